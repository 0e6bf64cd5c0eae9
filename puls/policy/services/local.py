"""Writes of a unit's local interpretation: adopting the central tree, the unit's reading of each
value and its own focus areas and initiatives. A unit never changes a central node: its nodes
hang under the central ones and belong to the unit. Callers check that the actor may edit the unit
(permissions.can_edit_unit)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from puls.core.audit import audit_record
from puls.core.models import User
from puls.organisations.models import Unit
from puls.policy.models import (
    LOCAL_KINDS,
    LocalInterpretation,
    LocalReading,
    NodeKind,
    PolicyNode,
)
from puls.policy.selectors.tree import is_published
from puls.policy.services.tree import NodeContent, PolicyError, node_create_any


@transaction.atomic
def interpretation_adopt(*, actor: User, unit: Unit) -> LocalInterpretation:
    """The unit adopts the central tree (idempotent)."""
    interpretation, created = LocalInterpretation.objects.get_or_create(
        unit=unit, defaults={"organisation": unit.organisation, "adopted_by": actor}
    )
    if created:
        audit_record(
            actor=actor,
            action="policy.interpretation_adopt",
            organisation=unit.organisation,
            target=interpretation,
            summary=unit.name,
        )
    return interpretation


def _interpretation(unit: Unit) -> LocalInterpretation:
    interpretation = LocalInterpretation.objects.filter(unit=unit).first()
    if interpretation is None:
        raise PolicyError(_("The unit must adopt the central policy before it adds its own."))
    return interpretation


@transaction.atomic
def local_reading_save(*, actor: User, unit: Unit, value: PolicyNode, text: str) -> LocalReading | None:
    """Write (or with an empty text, remove) the unit's reading of a central, adopted value."""
    if value.organisation_id != unit.organisation_id or value.is_local or value.kind != NodeKind.VALUE:
        raise PolicyError(_("A local reading belongs to one of the organisation's values."))
    if not is_published(value):
        raise PolicyError(_("Only adopted values can be read locally."))
    interpretation = _interpretation(unit)
    text = text.strip()
    if not text:
        LocalReading.objects.filter(interpretation=interpretation, value=value).delete()
        return None
    reading, _created = LocalReading.objects.update_or_create(
        interpretation=interpretation,
        value=value,
        defaults={"text": text, "updated_by": actor, "updated_at": timezone.now()},
    )
    return reading


@transaction.atomic
def local_node_create(
    *, actor: User, unit: Unit, parent: PolicyNode, kind: str, content: NodeContent
) -> PolicyNode:
    """A local focus area or initiative under an adopted central policy or focus area, or an
    initiative under one of the unit's own focus areas."""
    _interpretation(unit)
    if kind not in LOCAL_KINDS:
        raise PolicyError(_("A unit adds focus areas and initiatives; values and policies are central."))
    if parent.organisation_id != unit.organisation_id:
        raise PolicyError(_("The node above must belong to the same organisation."))
    if parent.is_local:
        if parent.unit_id != unit.pk:
            raise PolicyError(_("Another unit's nodes cannot be built on."))
    elif not is_published(parent):
        raise PolicyError(_("Local nodes are added under adopted central policy."))
    return node_create_any(
        actor=actor, organisation=unit.organisation, kind=kind, parent=parent, content=content, unit=unit
    )


@transaction.atomic
def initiative_to_action(*, actor: User, node: PolicyNode, unit: Unit) -> object:
    """An initiative becomes an action in a unit's action plan, linked back to it. A unit's own
    initiative goes to that unit; a central one to the unit the leader chooses."""
    from puls.actions import services as action_services  # the actions app owns actions

    if node.kind != NodeKind.INITIATIVE:
        raise PolicyError(_("Only initiatives become actions."))
    if node.is_local and node.unit_id != unit.pk:
        raise PolicyError(_("A unit's own initiative becomes an action of that unit."))
    if not node.is_local and not is_published(node):
        raise PolicyError(_("Only adopted initiatives become actions."))
    return action_services.action_create(
        actor=actor,
        organisation=unit.organisation,
        unit=unit,
        title=node.title,
        solution=node.text,
        source_kind="policy.node",
        source_id=node.pk,
        source_reason=_("Initiative of the staff policy"),
    )
