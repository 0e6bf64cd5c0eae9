"""Writes of the central policy tree: nodes, the status workflow with its frozen versions,
citations and the publication settings. Only HR writes central nodes; units write their own nodes
through services/local.py."""

import re
import uuid
from dataclasses import dataclass
from datetime import date
from urllib.parse import parse_qsl, urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _

from puls.core.audit import audit_record
from puls.core.links import link_create, link_kinds
from puls.core.models import Link, User
from puls.organisations.models import Organisation, Unit
from puls.policy.models import (
    ADOPTED_STATUSES,
    ALLOWED_PARENTS,
    STATUS_TRANSITIONS,
    NodeStatus,
    NodeVersion,
    PolicyNode,
    Publication,
)
from puls.policy.selectors.tree import CITES, NODE_LINK_KIND


class PolicyError(ValidationError):
    """A write the policy rules do not allow; the message is shown to the user."""


@dataclass(frozen=True)
class NodeContent:
    title: str
    text: str = ""
    rationale: str = ""
    responsible: str = ""


def check_parent(*, kind: str, parent: PolicyNode | None, organisation: Organisation) -> None:
    if parent is not None and parent.organisation_id != organisation.pk:
        raise PolicyError(_("The node above must belong to the same organisation."))
    parent_kind = parent.kind if parent is not None else None
    if parent_kind not in ALLOWED_PARENTS[kind]:
        raise PolicyError(_("A node of this kind cannot be placed there in the tree."))


def _next_position(organisation: Organisation, parent: PolicyNode | None) -> int:
    siblings = PolicyNode.objects.filter(organisation=organisation, parent=parent)
    return (siblings.aggregate(top=Max("position"))["top"] or 0) + 1


def node_create_any(
    *,
    actor: User | None,
    organisation: Organisation,
    kind: str,
    parent: PolicyNode | None,
    content: NodeContent,
    unit: Unit | None = None,
) -> PolicyNode:
    """Create a node (central when unit is None). Callers check who may do it."""
    check_parent(kind=kind, parent=parent, organisation=organisation)
    node = PolicyNode.objects.create(
        organisation=organisation,
        parent=parent,
        unit=unit,
        kind=kind,
        title=content.title,
        text=content.text,
        rationale=content.rationale,
        responsible=content.responsible,
        position=_next_position(organisation, parent),
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    return node


@transaction.atomic
def node_create(
    *, actor: User, organisation: Organisation, kind: str, parent: PolicyNode | None, content: NodeContent
) -> PolicyNode:
    """A new central node, as a draft."""
    if parent is not None and parent.is_local:
        raise PolicyError(_("Central nodes cannot be placed under a unit's own nodes."))
    node = node_create_any(actor=actor, organisation=organisation, kind=kind, parent=parent, content=content)
    audit_record(
        actor=actor, action="policy.node_create", organisation=organisation, target=node, summary=node.title
    )
    return node


@transaction.atomic
def node_update(*, actor: User, node: PolicyNode, content: NodeContent) -> bool:
    """Save new content. Changing an adopted central node starts a revision: the node becomes a
    draft again and its adopted version stays published until the revision is adopted. Returns
    True when that happened."""
    node = PolicyNode.objects.select_for_update().get(pk=node.pk)
    if node.status == NodeStatus.RETIRED:
        raise PolicyError(_("A retired node cannot be changed. Take it up again first."))
    changed = [name for name in PolicyNode.CONTENT_FIELDS if getattr(node, name) != getattr(content, name)]
    if not changed:
        return False
    for name in changed:
        setattr(node, name, getattr(content, name))
    revision = not node.is_local and node.status in ADOPTED_STATUSES
    if revision:
        node.status = NodeStatus.DRAFT
    node.updated_at = timezone.now()
    node.save()
    if not node.is_local:
        audit_record(
            actor=actor,
            action="policy.node_update",
            organisation=node.organisation,
            target=node,
            summary=node.title,
            data={"fields": changed, "revision": revision},
        )
    return revision


def _transition(node: PolicyNode, status: str) -> None:
    if status not in STATUS_TRANSITIONS.get(node.status, ()):
        raise PolicyError(
            _("A node that is “%(current)s” cannot become “%(new)s”.")
            % {"current": node.get_status_display(), "new": NodeStatus(status).label}
        )


def _freeze(*, actor: User, node: PolicyNode, adopted_on: date, note: str) -> NodeVersion:
    number = (node.versions.aggregate(top=Max("number"))["top"] or 0) + 1
    return NodeVersion.objects.create(
        node=node,
        number=number,
        title=node.title,
        text=node.text,
        rationale=node.rationale,
        responsible=node.responsible,
        status=node.status,
        adopted_on=adopted_on,
        note=note,
        created_by=actor,
    )


@transaction.atomic
def node_status_change(
    *,
    actor: User,
    node: PolicyNode,
    status: str,
    adopted_on: date | None = None,
    note: str = "",
    include_below: bool = False,
) -> list[PolicyNode]:
    """Move a central node (and, if asked, every node below it that can take the same step) to a
    new status. Each adoption freezes a version. Returns the nodes that changed."""
    if node.is_local:
        raise PolicyError(_("A unit's own nodes have no adoption workflow."))
    node = PolicyNode.objects.select_for_update().get(pk=node.pk)
    _transition(node, status)
    if status in ADOPTED_STATUSES and not node.title.strip():
        raise PolicyError(_("A node needs a title before it can be adopted."))
    changed = [node]
    if include_below:
        changed += [
            below
            for below in _descendants(node)
            if not below.is_local and status in STATUS_TRANSITIONS.get(below.status, ())
        ]
    day = adopted_on or timezone.localdate()
    for target in changed:
        previous = target.status
        target.status = status
        target.updated_at = timezone.now()
        target.save(update_fields=["status", "updated_at"])
        version = (
            _freeze(actor=actor, node=target, adopted_on=day, note=note)
            if status in ADOPTED_STATUSES
            else None
        )
        audit_record(
            actor=actor,
            action="policy.node_status",
            organisation=target.organisation,
            target=target,
            summary=f"{target.title}: {previous} → {status}",
            data={"from": previous, "to": status, "version": version.number if version else None},
        )
    return changed


def _descendants(node: PolicyNode) -> list[PolicyNode]:
    found: list[PolicyNode] = []
    frontier = [node.pk]
    while frontier:
        children = list(PolicyNode.objects.filter(parent_id__in=frontier).order_by("position"))
        found += children
        frontier = [child.pk for child in children]
    return found


@transaction.atomic
def node_delete(*, actor: User, node: PolicyNode) -> None:
    """Delete a node that was never adopted and has nothing below it; an adopted node is retired."""
    node = PolicyNode.objects.select_for_update().get(pk=node.pk)
    if node.children.exists():
        raise PolicyError(_("Delete or move the nodes below it first."))
    if node.versions.exists():
        raise PolicyError(_("An adopted node cannot be deleted; retire it instead."))
    if node.value_walks.exists() or node.local_readings.exists():
        raise PolicyError(_("Units have worked with this value; retire it instead."))
    Link.objects.filter(
        organisation=node.organisation, source_kind=NODE_LINK_KIND, source_id=node.pk
    ).delete()
    if not node.is_local:
        audit_record(
            actor=actor,
            action="policy.node_delete",
            organisation=node.organisation,
            target=node,
            summary=node.title,
        )
    node.delete()


@transaction.atomic
def node_move(*, actor: User, node: PolicyNode, up: bool) -> None:
    """Swap the node with the sibling before (up) or after it."""
    siblings = list(
        PolicyNode.objects.select_for_update()
        .filter(organisation=node.organisation, parent=node.parent, unit=node.unit, kind=node.kind)
        .order_by("position", "created_at")
    )
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == node.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        if sibling.position != position:
            sibling.position = position
            sibling.save(update_fields=["position"])


# --- Citations ------------------------------------------------------------------------------------

_UUID = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}", re.IGNORECASE)
# Kinds a node does not cite: its own app's objects and the units (a citation is evidence).
_NOT_CITED_PREFIXES = ("policy.", "organisations.", "actions.")
MAX_DETAIL_KEYS = 5
SURVEY_RESULT_KIND = "surveys.survey"


def _address_ids(address: str) -> tuple[list[tuple[str, uuid.UUID]], dict[str, str]]:
    """The ids an address carries, in the order of its path, each with the name the page gives it
    ("unit_id" → "unit"), and its query parameters. A Puls page address is resolved to its URL
    pattern; anything else (a bare id) is scanned for ids."""
    parts = urlsplit(address.strip())
    query = {
        key: value
        for key, value in parse_qsl(parts.query)[:MAX_DETAIL_KEYS]
        if len(key) <= 40 and len(value) <= 100
    }
    try:
        match = resolve(parts.path or "/")
    except Resolver404:
        return [("", uuid.UUID(found)) for found in _UUID.findall(parts.path or address)], query
    named = []
    for name, value in match.kwargs.items():
        if isinstance(value, uuid.UUID):
            named.append((name.removesuffix("_id"), value))
    return named, query


def _citable_target(organisation: Organisation, address: str) -> tuple[str, uuid.UUID, dict[str, str]]:
    """Find what an address (a page of a dialogue theme, an outcome, a survey result…) or a bare id
    points at, through the registered link kinds. The last id in the path that a kind knows wins;
    the ids after it address a part of it, as a survey result is (survey, unit, scale)."""
    ids, detail = _address_ids(address)
    kinds = [kind for name, kind in link_kinds().items() if not name.startswith(_NOT_CITED_PREFIXES)]
    for index in range(len(ids) - 1, -1, -1):
        object_id = ids[index][1]
        for kind in kinds:
            if kind.resolve(organisation, object_id) is not None:
                parts = {name: str(value) for name, value in ids[index + 1 :] if name}
                return kind.name, object_id, {**detail, **parts}
    raise PolicyError(
        _(
            "Puls found nothing to cite at that address in this organisation. Paste the address of a "
            "dialogue theme or outcome, or of a survey result."
        )
    )


def _check_survey_result(kind_name: str, object_id: uuid.UUID, detail: dict[str, str]) -> None:
    """A survey result that suppression hides is never cited (DESIGN §4.3: flags other apps attach
    to results follow the thresholds too)."""
    if kind_name != SURVEY_RESULT_KIND or not ("unit" in detail and "scale" in detail):
        return
    from puls.surveys.reports.selectors import scale_result_shown  # the surveys app owns results

    try:
        shown = scale_result_shown(survey_id=object_id, unit_id=detail["unit"], scale_id=detail["scale"])
    except (ValueError, ValidationError):
        shown = False
    if not shown:
        raise PolicyError(_("This result is hidden to protect anonymity, so it cannot be cited."))


@transaction.atomic
def citation_add(*, actor: User, node: PolicyNode, address: str, reason: str) -> Link:
    kind_name, object_id, detail = _citable_target(node.organisation, address)
    _check_survey_result(kind_name, object_id, detail)
    duplicate = Link.objects.filter(
        organisation=node.organisation,
        source_kind=NODE_LINK_KIND,
        source_id=node.pk,
        target_kind=kind_name,
        target_id=object_id,
        target_detail=detail,
        kind=CITES,
    ).exists()
    if duplicate:
        raise PolicyError(_("The node already cites this."))
    link = link_create(
        organisation=node.organisation,
        source_kind=NODE_LINK_KIND,
        source_id=node.pk,
        target_kind=kind_name,
        target_id=object_id,
        target_detail=detail,
        kind=CITES,
        reason=reason,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="policy.citation_add",
        organisation=node.organisation,
        target=node,
        summary=f"{node.title} → {kind_name}",
    )
    return link


@transaction.atomic
def citation_remove(*, actor: User, node: PolicyNode, link: Link) -> None:
    audit_record(
        actor=actor,
        action="policy.citation_remove",
        organisation=node.organisation,
        target=node,
        summary=f"{node.title} → {link.target_kind}",
    )
    link.delete()


# --- Publication ----------------------------------------------------------------------------------


@transaction.atomic
def publication_update(
    *, actor: User, organisation: Organisation, title: str, intro: str, is_public: bool
) -> Publication:
    publication, _created = Publication.objects.get_or_create(organisation=organisation)
    was_public = publication.is_public
    publication.title = title
    publication.intro = intro
    publication.is_public = is_public
    publication.updated_at = timezone.now()
    publication.save()
    audit_record(
        actor=actor,
        action="policy.publication_update",
        organisation=organisation,
        target=publication,
        summary=title,
        data={"public": is_public, "was_public": was_public},
    )
    return publication
