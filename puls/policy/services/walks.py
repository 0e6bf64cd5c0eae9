"""Writes of Værdivejen: a unit's workshop, the points the team writes at each stop, and the
actions made from them. Callers check that the actor may edit the unit (permissions.can_edit_unit)."""

from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from puls.core.audit import audit_record
from puls.core.links import links_from
from puls.core.models import User
from puls.organisations.models import Unit
from puls.policy.link_kinds import WALK_ANSWER_KIND
from puls.policy.models import NodeKind, PolicyNode, ValueWalk, WalkAnswer, WalkStop
from puls.policy.selectors.tree import is_published
from puls.policy.services.tree import PolicyError

ACTION_TARGET_KIND = "actions.action"
# The stops whose points can become actions.
ACTION_STOPS = (WalkStop.NOT_YET, WalkStop.ACTION)


@transaction.atomic
def walk_create(
    *, actor: User, unit: Unit, title: str, held_on: date, participants: str, values: list[PolicyNode]
) -> ValueWalk:
    if not values:
        raise PolicyError(_("Choose at least one value to walk."))
    for value in values:
        wrong = (
            value.organisation_id != unit.organisation_id or value.kind != NodeKind.VALUE or value.is_local
        )
        if wrong or not is_published(value):
            raise PolicyError(_("Værdivejen walks the organisation's adopted values."))
    walk = ValueWalk.objects.create(
        organisation=unit.organisation,
        unit=unit,
        title=title.strip(),
        held_on=held_on,
        participants=participants.strip(),
        created_by=actor,
    )
    walk.values.set(values)
    audit_record(
        actor=actor,
        action="policy.walk_create",
        organisation=unit.organisation,
        target=walk,
        summary=walk.title,
    )
    return walk


def walk_values(walk: ValueWalk) -> list[PolicyNode]:
    return list(walk.values.order_by("position", "created_at"))


def walk_step(walk: ValueWalk, step: int) -> tuple[PolicyNode, WalkStop] | None:
    """Step 1 is the first stop of the first value; each value has four stops."""
    values = walk_values(walk)
    if not 1 <= step <= len(values) * len(WalkStop):
        return None
    value_index, stop_index = divmod(step - 1, len(WalkStop))
    return values[value_index], WalkStop(stop_index + 1)


def _check_open(walk: ValueWalk) -> None:
    if walk.status == ValueWalk.Status.COMPLETED:
        raise PolicyError(_("The workshop is marked as completed. Take it up again to change it."))


@transaction.atomic
def walk_answer_add(*, walk: ValueWalk, value: PolicyNode, stop: int, text: str) -> WalkAnswer:
    _check_open(walk)
    if not walk.values.filter(pk=value.pk).exists():
        raise PolicyError(_("This value is not part of the workshop."))
    text = text.strip()
    if not text:
        raise PolicyError(_("Write the point first."))
    position = (
        WalkAnswer.objects.filter(walk=walk, value=value, stop=stop).aggregate(top=Max("position"))["top"]
        or 0
    ) + 1
    return WalkAnswer.objects.create(walk=walk, value=value, stop=stop, text=text, position=position)


@transaction.atomic
def walk_answer_delete(*, answer: WalkAnswer) -> None:
    _check_open(answer.walk)
    if answer_actions(answer):
        raise PolicyError(_("An action was made from this point; it stays so the action keeps its origin."))
    answer.delete()


@transaction.atomic
def walk_complete(*, actor: User, walk: ValueWalk, completed: bool = True) -> ValueWalk:
    walk = ValueWalk.objects.select_for_update().get(pk=walk.pk)
    if completed:
        walk.status = ValueWalk.Status.COMPLETED
        walk.completed_at = timezone.now()
    else:
        walk.status = ValueWalk.Status.IN_PROGRESS
        walk.completed_at = None
    walk.save(update_fields=["status", "completed_at"])
    audit_record(
        actor=actor,
        action="policy.walk_complete" if completed else "policy.walk_reopen",
        organisation=walk.organisation,
        target=walk,
        summary=walk.title,
    )
    return walk


def answer_actions(answer: WalkAnswer) -> list[str]:
    """The ids (as text) of the actions made from an answer."""
    links = links_from(organisation=answer.walk.organisation, kind=WALK_ANSWER_KIND, object_id=answer.pk)
    return [str(link.target_id) for link in links if link.target_kind == ACTION_TARGET_KIND]


@transaction.atomic
def walk_answer_to_action(*, actor: User, answer: WalkAnswer) -> object:
    """One click: the team's point becomes an action in the unit's action plan, linked back to it.
    From a "what will we do" point, the problem is what the team said at the "not yet" stop of the
    same value; a "not yet" point becomes the problem of a new action."""
    from puls.actions import services as action_services  # the actions app owns actions

    walk = answer.walk
    if answer_actions(answer):
        raise PolicyError(_("An action was already made from this point."))
    if answer.stop not in ACTION_STOPS:
        raise PolicyError(
            _("Actions are made from what the team will do, or from where the value is not lived yet.")
        )
    if answer.stop == WalkStop.NOT_YET:
        problem, solution = answer.text, ""
    else:
        not_yet = WalkAnswer.objects.filter(walk=walk, value=answer.value, stop=WalkStop.NOT_YET)
        problem, solution = "\n".join(f"– {other.text}" for other in not_yet), answer.text
    title = answer.text if len(answer.text) <= 200 else answer.text[:199] + "…"
    return action_services.action_create(
        actor=actor,
        organisation=walk.organisation,
        unit=walk.unit,
        title=title,
        problem=problem,
        solution=solution,
        source_kind=WALK_ANSWER_KIND,
        source_id=answer.pk,
        source_reason=_("Værdivejen “%(walk)s”, value “%(value)s”")
        % {"walk": walk.title, "value": answer.value.title},
    )
