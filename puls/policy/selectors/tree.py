"""Reads of the policy tree: the working tree, the published (adopted) tree, nodes, versions, citations."""

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404

from puls.core.links import UnknownLinkKind, link_kind_get, links_from, links_to
from puls.core.models import Link
from puls.organisations.models import Organisation, Unit
from puls.organisations.scoping import Access
from puls.policy.models import (
    LocalInterpretation,
    LocalReading,
    NodeKind,
    NodeStatus,
    NodeVersion,
    PolicyNode,
    Publication,
)
from puls.policy.permissions import can_read_unit, sees_working_tree

NODE_LINK_KIND = "policy.node"
CITES = "cites"


@dataclass
class TreeItem:
    """A node with its children; `version` is its latest adopted version (None: never adopted)."""

    node: PolicyNode
    version: NodeVersion | None
    children: list["TreeItem"] = field(default_factory=list)
    reading: LocalReading | None = None  # a unit's reading of a value, on a unit's page

    @property
    def title(self) -> str:
        return self.version.title if self.version is not None else self.node.title

    @property
    def text(self) -> str:
        return self.version.text if self.version is not None else self.node.text

    @property
    def rationale(self) -> str:
        return self.version.rationale if self.version is not None else self.node.rationale

    @property
    def responsible(self) -> str:
        return self.version.responsible if self.version is not None else self.node.responsible

    @property
    def kind(self) -> str:
        return self.node.kind

    @property
    def is_local(self) -> bool:
        return self.node.is_local

    @property
    def focus_areas(self) -> list["TreeItem"]:
        return [child for child in self.children if child.kind == NodeKind.FOCUS_AREA]

    @property
    def initiatives(self) -> list["TreeItem"]:
        return [child for child in self.children if child.kind == NodeKind.INITIATIVE]

    @property
    def has_revision(self) -> bool:
        """The working text differs from what is published (a revision is being prepared)."""
        return self.version is not None and self.node.status not in (
            NodeStatus.ADOPTED_MED,
            NodeStatus.ADOPTED_POLITICAL,
        )


@dataclass
class Tree:
    values: list[TreeItem]
    policies: list[TreeItem]

    def __bool__(self) -> bool:
        return bool(self.values or self.policies)

    def walk(self) -> list[TreeItem]:
        found: list[TreeItem] = []

        def visit(items: list[TreeItem]) -> None:
            for item in items:
                found.append(item)
                visit(item.children)

        visit(self.values)
        visit(self.policies)
        return found


def latest_versions(node_ids: list[uuid.UUID]) -> dict[uuid.UUID, NodeVersion]:
    latest: dict[uuid.UUID, NodeVersion] = {}
    for version in NodeVersion.objects.filter(node_id__in=node_ids).order_by("node_id", "number"):
        latest[version.node_id] = version
    return latest


def _assemble(nodes: list[PolicyNode], versions: dict[uuid.UUID, NodeVersion]) -> Tree:
    items = {node.pk: TreeItem(node=node, version=versions.get(node.pk)) for node in nodes}
    roots: list[TreeItem] = []
    for node in sorted(nodes, key=lambda n: (n.position, n.created_at)):
        item = items[node.pk]
        if node.parent_id is None:
            roots.append(item)
        elif node.parent_id in items:
            items[node.parent_id].children.append(item)
        # A node whose parent is not in the list (retired or never adopted) is left out.
    return Tree(
        values=[item for item in roots if item.kind == NodeKind.VALUE],
        policies=[item for item in roots if item.kind != NodeKind.VALUE],
    )


def working_tree(*, access: Access) -> Tree:
    """Every central node, whatever its status, for the people who prepare and hear the policy."""
    if not sees_working_tree(access):
        raise Http404
    nodes = list(PolicyNode.objects.filter(organisation=access.organisation, unit__isnull=True))
    return _assemble(nodes, latest_versions([node.pk for node in nodes]))


def published_tree(*, organisation: Organisation, unit: Unit | None = None) -> Tree:
    """The adopted tree as published: each node's latest adopted version; retired nodes and nodes
    never adopted are left out with everything below them. With a unit, that unit's own focus areas
    and initiatives and its readings of the values are included (the caller checks the access)."""
    nodes = list(
        PolicyNode.objects.filter(organisation=organisation, unit__isnull=True, versions__isnull=False)
        .exclude(status=NodeStatus.RETIRED)
        .distinct()
    )
    versions = latest_versions([node.pk for node in nodes])
    if unit is not None:
        nodes += list(PolicyNode.objects.filter(organisation=organisation, unit=unit))
    tree = _assemble(nodes, versions)
    if unit is not None:
        readings = {
            reading.value_id: reading
            for reading in LocalReading.objects.filter(interpretation__unit=unit).select_related("value")
        }
        for item in tree.values:
            item.reading = readings.get(item.node.pk)
    return tree


def is_published(node: PolicyNode) -> bool:
    """A central node is published when it and every node above it has an adopted version and is
    not retired."""
    current: PolicyNode | None = node
    while current is not None:
        if current.unit_id is not None:
            current = current.parent
            continue
        if current.status == NodeStatus.RETIRED or not current.versions.exists():
            return False
        current = current.parent
    return True


def node_get(*, access: Access, node_id: uuid.UUID | str) -> PolicyNode:
    """A node the user may see: central nodes in the working tree for its readers, else only when
    published; a unit's own nodes for the readers of that unit."""
    node = (
        PolicyNode.objects.filter(organisation=access.organisation, pk=node_id)
        .select_related("unit", "parent")
        .first()
    )
    if node is None:
        raise Http404
    if node.unit is not None:
        if not can_read_unit(access, node.unit):
            raise Http404
        if not sees_working_tree(access) and node.parent is not None and not is_published(node.parent):
            raise Http404
        return node
    if not sees_working_tree(access) and not is_published(node):
        raise Http404
    return node


def node_versions(*, node: PolicyNode) -> list[NodeVersion]:
    return list(node.versions.order_by("-number"))


def node_ancestors(*, node: PolicyNode) -> list[PolicyNode]:
    chain: list[PolicyNode] = []
    current = node.parent
    while current is not None:
        chain.append(current)
        current = current.parent
    return list(reversed(chain))


def node_children(*, access: Access, node: PolicyNode) -> list[PolicyNode]:
    children = node.children.select_related("unit").order_by("position", "created_at")
    visible = []
    for child in children:
        if child.unit is not None:
            if can_read_unit(access, child.unit):
                visible.append(child)
        elif sees_working_tree(access) or is_published(child):
            visible.append(child)
    return visible


def values_list(*, organisation: Organisation, published_only: bool) -> list[PolicyNode]:
    nodes = PolicyNode.objects.filter(organisation=organisation, unit__isnull=True, kind=NodeKind.VALUE)
    if published_only:
        nodes = nodes.filter(versions__isnull=False).exclude(status=NodeStatus.RETIRED).distinct()
    return list(nodes.order_by("position", "created_at"))


def publication_get(*, organisation: Organisation) -> Publication:
    """The publication settings (unsaved defaults when HR never changed them)."""
    return Publication.objects.filter(organisation=organisation).first() or Publication(
        organisation=organisation
    )


def public_organisation_get(*, slug: str) -> Organisation:
    """An organisation whose tree is published publicly; any other slug is a 404."""
    publication = (
        Publication.objects.filter(organisation__slug=slug, is_public=True)
        .select_related("organisation")
        .first()
    )
    if publication is None:
        raise Http404
    return publication.organisation


def interpretations_adopted(*, organisation: Organisation) -> int:
    return LocalInterpretation.objects.filter(organisation=organisation).count()


# --- Citations ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Citation:
    link: Link
    incoming: bool
    kind_label: str
    description: str
    available: bool


def _describe(
    kind_name: str, organisation: Organisation, object_id: uuid.UUID, detail: dict[str, Any]
) -> tuple[str, str, bool]:
    try:
        kind = link_kind_get(kind_name)
    except UnknownLinkKind:
        return kind_name, "", False
    obj = kind.resolve(organisation, object_id)
    if obj is None:
        return str(kind.label), "", False
    return str(kind.label), kind.describe(obj, detail), True


def node_citations(*, access: Access, node: PolicyNode) -> list[Citation]:
    """What shaped the node: the sources it cites, and links other apps made to it (e.g. a dialogue
    theme linked to it as an outcome). Only for readers of the working tree."""
    if not sees_working_tree(access):
        return []
    citations = []
    organisation = access.organisation
    for link in links_from(organisation=organisation, kind=NODE_LINK_KIND, object_id=node.pk):
        if link.kind != CITES:
            continue
        label, description, available = _describe(
            link.target_kind, organisation, link.target_id, link.target_detail
        )
        citations.append(Citation(link, False, label, description, available))
    for link in links_to(organisation=organisation, kind=NODE_LINK_KIND, object_id=node.pk):
        label, description, available = _describe(
            link.source_kind, organisation, link.source_id, link.source_detail
        )
        citations.append(Citation(link, True, label, description, available))
    return citations


def node_links_out(*, access: Access, node: PolicyNode, target_kind: str) -> list[Link]:
    """Links from the node to objects of one kind (e.g. the actions made from an initiative)."""
    return [
        link
        for link in links_from(organisation=access.organisation, kind=NODE_LINK_KIND, object_id=node.pk)
        if link.target_kind == target_kind
    ]


def citation_get(*, access: Access, node: PolicyNode, link_id: uuid.UUID | str) -> Link:
    link = Link.objects.filter(
        organisation=access.organisation,
        pk=link_id,
        source_kind=NODE_LINK_KIND,
        source_id=node.pk,
        kind=CITES,
    ).first()
    if link is None:
        raise Http404
    return link
