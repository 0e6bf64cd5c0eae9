"""The unit tree and a unit's page."""

import uuid
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from puls.organisations import selectors
from puls.organisations.models import Unit
from puls.organisations.scoping import Access, org_view

PEOPLE_PER_PAGE = 50


@dataclass
class UnitNode:
    """A unit with its current head counts and its visible sub-units, for the tree and overviews."""

    unit: Unit
    direct: int
    subtree: int
    children: list["UnitNode"] = field(default_factory=list)
    expanded: bool = False

    @property
    def is_closed(self) -> bool:
        return unit_is_closed(self.unit)


def unit_is_closed(unit: Unit) -> bool:
    return unit.closed_on is not None and unit.closed_on <= timezone.localdate()


def unit_tree_build(rows: list[tuple[Unit, int, int]]) -> tuple[list[UnitNode], dict[uuid.UUID, UnitNode]]:
    """Nest (unit, direct, subtree) rows given in path order. A unit whose parent is not among the
    rows (outside the viewer's scope, or closed and left out) becomes a root. Returns the roots, each
    expanded, and every node by unit id."""
    nodes: dict[uuid.UUID, UnitNode] = {}
    roots: list[UnitNode] = []
    for unit, direct, subtree in rows:
        node = UnitNode(unit=unit, direct=direct, subtree=subtree)
        nodes[unit.pk] = node
        parent = nodes.get(unit.parent_id) if unit.parent_id else None
        (parent.children if parent else roots).append(node)
    # Paths are made of ids, so siblings arrive in id order; people look for units by code.
    for node in nodes.values():
        node.children.sort(key=_sibling_order)
    roots.sort(key=_sibling_order)
    for root in roots:
        root.expanded = True
    return roots, nodes


def _sibling_order(node: UnitNode) -> tuple[str, str]:
    return (node.unit.code, node.unit.name)


def _access(request: HttpRequest) -> Access:
    return request.access  # type: ignore[attr-defined,no-any-return]


@org_view(require=lambda access: access.can_see_people)
def unit_tree(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    show_closed = request.GET.get("closed") == "1"
    roots, nodes = unit_tree_build(selectors.unit_tree_with_counts(access=access, include_closed=show_closed))
    return render(
        request,
        "organisations/unit_tree.html",
        {"roots": roots, "unit_count": len(nodes), "show_closed": show_closed},
    )


@org_view()
def unit_detail(request: HttpRequest, unit_id: uuid.UUID) -> HttpResponse:
    access = _access(request)
    unit = selectors.unit_get(access=access, unit_id=unit_id)
    closed = unit_is_closed(unit)
    _roots, nodes = unit_tree_build(selectors.unit_tree_with_counts(access=access, include_closed=closed))
    node = nodes[unit.pk]
    people = selectors.person_rows(access=access, unit=unit)
    page_obj = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "organisations/unit_detail.html",
        {
            "unit": unit,
            "node": node,
            "ancestors": selectors.unit_ancestors(access=access, unit=unit),
            "page_obj": page_obj,
            "role_assignments": (
                selectors.unit_role_assignments(access=access, unit=unit) if access.is_org_admin else None
            ),
        },
    )
