"""Writes of the actions app: actions, follow-ups, APV cycles and working-environment discussions.

Every service takes the acting user and checks that they may act on the unit (HR everywhere,
leaders and MED/AMO representatives in their subtrees); `actor=None` is the system (demo, tasks).
"""

import uuid
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from puls.actions import permissions
from puls.actions.link_kinds import ACTION_KIND, APV_FINDING_KIND
from puls.actions.models import (
    Action,
    ApvCycle,
    ApvFinding,
    FollowUp,
    WorkingEnvironmentDiscussion,
)
from puls.core.audit import audit_record
from puls.core.links import UnknownLinkKind, link_create
from puls.core.models import Link, User
from puls.organisations.models import Organisation, Person, Role, Unit
from puls.organisations.scoping import Access, access_build

# A survey result is addressed as (survey, unit, scale) (DESIGN §2.1): the source is the survey,
# the detail names the unit and the scale.
SURVEY_RESULT_KIND = "surveys.survey"
LINK_KIND_ACTION = "action"


class ActionSourceError(ValidationError):
    """The source an action should be created from cannot be linked (unknown, foreign, or a
    survey result that suppression hides)."""


def _access_for(actor: User | None, organisation: Organisation) -> Access | None:
    if actor is None:
        return None
    access = access_build(user=actor, organisation=organisation)
    if access is None:
        raise PermissionDenied
    return access


def _require_unit(actor: User | None, organisation: Organisation, unit: Unit) -> Access | None:
    if unit.organisation_id != organisation.pk:
        raise PermissionDenied
    access = _access_for(actor, organisation)
    if access is not None and not permissions.can_manage_unit(access, unit):
        raise PermissionDenied
    return access


def med_reps_for_unit(unit: Unit) -> list[Person]:
    """The MED/AMO representatives whose units cover this unit: the possible co-owners."""
    ancestor_ids = unit.ancestor_ids
    return list(
        Person.objects.filter(
            organisation_id=unit.organisation_id,
            anonymised_at__isnull=True,
            role_assignments__role=Role.MED_REP,
            role_assignments__units__in=ancestor_ids,
        )
        .distinct()
        .order_by("first_name", "last_name")
    )


def _check_people(
    organisation: Organisation, unit: Unit, owner: Person | None, co_owner: Person | None
) -> None:
    if owner is not None and (owner.organisation_id != organisation.pk or owner.anonymised_at is not None):
        raise ValidationError({"owner": _("Choose a person of this organisation.")})
    if co_owner is not None and co_owner.pk not in {p.pk for p in med_reps_for_unit(unit)}:
        raise ValidationError({"co_owner": _("The co-owner must be a MED/AMO representative of the unit.")})


def _survey_result_shown(*, survey_id: uuid.UUID, unit_id: uuid.UUID, scale_id: uuid.UUID) -> bool:
    """Ask the survey reports whether suppression shows this result; refuse when it cannot say."""
    try:
        from puls.surveys.reports import selectors as report_selectors

        shown = report_selectors.scale_result_shown
    except (ImportError, AttributeError):
        return False
    return bool(shown(survey_id=survey_id, unit_id=unit_id, scale_id=scale_id))


def _check_survey_result(unit: Unit, source_id: uuid.UUID, detail: dict[str, Any]) -> dict[str, str]:
    try:
        result_unit_id = uuid.UUID(str(detail["unit"]))
        scale_id = uuid.UUID(str(detail["scale"]))
    except (KeyError, ValueError) as exc:
        raise ActionSourceError(_("A survey result is addressed by its survey, unit and scale.")) from exc
    result_unit = Unit.objects.filter(organisation_id=unit.organisation_id, pk=result_unit_id).first()
    if result_unit is None or not unit.is_within(result_unit):
        raise ActionSourceError(_("The action must belong to the result's unit or a unit below it."))
    if not _survey_result_shown(survey_id=source_id, unit_id=result_unit_id, scale_id=scale_id):
        raise ActionSourceError(
            _("This result is hidden to protect anonymity, so no action can be linked to it.")
        )
    return {**{k: str(v) for k, v in detail.items()}, "unit": str(result_unit_id), "scale": str(scale_id)}


def survey_result_check(*, unit: Unit, survey_id: uuid.UUID, detail: dict[str, Any]) -> None:
    """Raise ActionSourceError unless an action of `unit` may be made from this survey result."""
    _check_survey_result(unit, survey_id, detail)


def _link_source(
    *,
    action: Action,
    actor: User | None,
    source_kind: str,
    source_id: uuid.UUID,
    source_detail: dict[str, Any] | None,
    reason: str = "",
) -> Link:
    detail = dict(source_detail or {})
    if source_kind == SURVEY_RESULT_KIND:
        detail = _check_survey_result(action.unit, source_id, detail)
    try:
        return link_create(
            organisation=action.organisation,
            source_kind=source_kind,
            source_id=source_id,
            source_detail=detail,
            target_kind=ACTION_KIND,
            target_id=action.pk,
            kind=LINK_KIND_ACTION,
            reason=reason,
            created_by=actor,
        )
    except UnknownLinkKind as exc:
        raise ActionSourceError(_("Actions cannot be linked to this kind of source.")) from exc
    except LookupError as exc:
        raise ActionSourceError(_("The source of the action was not found in this organisation.")) from exc


@transaction.atomic
def action_create(
    *,
    actor: User | None,
    organisation: Organisation,
    unit: Unit,
    title: str,
    problem: str = "",
    solution: str = "",
    owner: Person | None = None,
    co_owner: Person | None = None,
    deadline: date | None = None,
    priority: str = Action.Priority.MEDIUM,
    status: str = Action.Status.PLANNED,
    evaluation_method: str = "",
    evaluation_date: date | None = None,
    apv_cycle: ApvCycle | None = None,
    source_kind: str | None = None,
    source_id: uuid.UUID | None = None,
    source_detail: dict[str, Any] | None = None,
    source_reason: str = "",
) -> Action:
    """Create an action in a unit's plan; with a source, also link the source to the action.

    Raises PermissionDenied when the actor may not plan for the unit, ActionSourceError when the
    source cannot be linked (unknown kind, not in this organisation, or a survey result that
    suppression hides: a hidden score is never linked).
    """
    _require_unit(actor, organisation, unit)
    if (source_kind is None) != (source_id is None):
        raise ActionSourceError(_("A source needs both its kind and its id."))
    if not title.strip():
        raise ValidationError({"title": _("Give the action a title.")})
    if priority not in Action.Priority.values:
        raise ValidationError({"priority": _("Unknown priority.")})
    if status not in Action.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    _check_people(organisation, unit, owner, co_owner)
    if apv_cycle is not None and apv_cycle.unit_id != unit.pk:
        raise ValidationError(_("An APV's actions belong to the APV's unit."))
    now = timezone.now()
    action = Action.objects.create(
        organisation=organisation,
        unit=unit,
        title=title.strip(),
        problem=problem,
        solution=solution,
        owner=owner,
        co_owner=co_owner,
        deadline=deadline,
        priority=priority,
        status=status,
        evaluation_method=evaluation_method,
        evaluation_date=evaluation_date,
        apv_cycle=apv_cycle,
        created_by=actor,
        created_at=now,
        updated_at=now,
        completed_on=timezone.localdate() if status == Action.Status.DONE else None,
    )
    if source_kind is not None and source_id is not None:
        _link_source(
            action=action,
            actor=actor,
            source_kind=source_kind,
            source_id=source_id,
            source_detail=source_detail,
            reason=source_reason,
        )
    audit_record(
        actor=actor,
        action="actions.action_create",
        organisation=organisation,
        target=action,
        summary=action.title,
        data={"unit": str(unit.pk), "source_kind": source_kind or ""},
    )
    return action


ACTION_EDITABLE_FIELDS = (
    "title",
    "problem",
    "solution",
    "owner",
    "co_owner",
    "deadline",
    "priority",
    "status",
    "evaluation_method",
    "evaluation_date",
    "evaluation_result",
)


@transaction.atomic
def action_update(*, actor: User | None, action: Action, **changes: Any) -> Action:
    """Change an action's plan (HR, and leaders and MED/AMO representatives of its unit)."""
    unknown = set(changes) - set(ACTION_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    _require_unit(actor, action.organisation, action.unit)
    owner = changes.get("owner", action.owner)
    co_owner = changes.get("co_owner", action.co_owner)
    _check_people(action.organisation, action.unit, owner, co_owner)
    if "title" in changes and not str(changes["title"]).strip():
        raise ValidationError({"title": _("Give the action a title.")})
    before = {name: str(getattr(action, name)) for name in changes}
    for name, value in changes.items():
        setattr(action, name, value)
    _status_changed(action)
    action.updated_at = timezone.now()
    action.save()
    changed = sorted(name for name in changes if before[name] != str(getattr(action, name)))
    if changed:
        audit_record(
            actor=actor,
            action="actions.action_update",
            organisation=action.organisation,
            target=action,
            summary=action.title,
            data={"changed": changed},
        )
    return action


def _status_changed(action: Action) -> None:
    if action.status == Action.Status.DONE and action.completed_on is None:
        action.completed_on = timezone.localdate()
    elif action.status != Action.Status.DONE:
        action.completed_on = None


@transaction.atomic
def follow_up_add(*, actor: User | None, action: Action, text: str, status: str = "") -> FollowUp:
    """Write a follow-up on an action, optionally moving its status (also its owner and co-owner)."""
    if actor is not None:
        access = _access_for(actor, action.organisation)
        if access is not None and not permissions.can_follow_up_action(access, action):
            raise PermissionDenied
    if not text.strip():
        raise ValidationError({"text": _("Write what happened.")})
    if status and status not in Action.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    follow_up = FollowUp.objects.create(action=action, text=text.strip(), status_after=status, author=actor)
    if status and status != action.status:
        action.status = status
        _status_changed(action)
    action.updated_at = timezone.now()
    action.save(update_fields=["status", "completed_on", "updated_at"])
    return follow_up


@transaction.atomic
def action_link_add(
    *,
    actor: User | None,
    action: Action,
    source_kind: str,
    source_id: uuid.UUID,
    source_detail: dict[str, Any] | None = None,
    reason: str = "",
) -> Link:
    """Link one more source to an existing action (e.g. the same problem found twice)."""
    _require_unit(actor, action.organisation, action.unit)
    return _link_source(
        action=action,
        actor=actor,
        source_kind=source_kind,
        source_id=source_id,
        source_detail=source_detail,
        reason=reason,
    )


# --- APV ---


@transaction.atomic
def apv_cycle_start(
    *,
    actor: User | None,
    organisation: Organisation,
    unit: Unit,
    title: str,
    mapping_method: str = ApvCycle.MappingMethod.CHECKLIST,
    started_on: date | None = None,
) -> ApvCycle:
    _require_unit(actor, organisation, unit)
    if ApvCycle.objects.filter(unit=unit).exclude(stage=ApvCycle.Stage.COMPLETED).exists():
        raise ValidationError(_("This unit already has an APV in progress."))
    if mapping_method not in ApvCycle.MappingMethod.values:
        raise ValidationError({"mapping_method": _("Unknown mapping method.")})
    cycle = ApvCycle.objects.create(
        organisation=organisation,
        unit=unit,
        title=title.strip() or _("APV"),
        mapping_method=mapping_method,
        started_on=started_on or timezone.localdate(),
        created_by=actor,
    )
    audit_record(
        actor=actor, action="actions.apv_start", organisation=organisation, target=cycle, summary=cycle.title
    )
    return cycle


APV_EDITABLE_FIELDS = (
    "title",
    "mapping_method",
    "mapping_notes",
    "risk_assessment",
    "sickness_absence_assessment",
    "follow_up_notes",
)


@transaction.atomic
def apv_cycle_update(*, actor: User | None, cycle: ApvCycle, **changes: Any) -> ApvCycle:
    unknown = set(changes) - set(APV_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    _require_unit(actor, cycle.organisation, cycle.unit)
    for name, value in changes.items():
        setattr(cycle, name, value)
    cycle.save()
    return cycle


@transaction.atomic
def apv_cycle_advance(*, actor: User | None, cycle: ApvCycle, on: date | None = None) -> ApvCycle:
    """Move the APV to its next stage; the last step completes it (next APV due in 3 years)."""
    _require_unit(actor, cycle.organisation, cycle.unit)
    if cycle.is_completed:
        raise ValidationError(_("This APV is completed."))
    missing = apv_stage_missing(cycle)
    if missing:
        raise ValidationError(missing)
    cycle.stage = ApvCycle.STAGE_ORDER[cycle.stage_index + 1]
    if cycle.is_completed:
        cycle.completed_on = on or timezone.localdate()
    cycle.save(update_fields=["stage", "completed_on"])
    audit_record(
        actor=actor,
        action="actions.apv_advance",
        organisation=cycle.organisation,
        target=cycle,
        summary=cycle.title,
        data={"stage": cycle.stage},
    )
    return cycle


def apv_stage_missing(cycle: ApvCycle) -> str:
    """What the current stage still lacks before the APV can move on ("" when nothing)."""
    stage = ApvCycle.Stage(cycle.stage)
    if stage == ApvCycle.Stage.MAPPING and not (cycle.mapping_notes.strip() or cycle.findings.exists()):
        return _("Describe the mapping or record its findings first.")
    if stage == ApvCycle.Stage.RISK_ASSESSMENT and not cycle.risk_assessment.strip():
        return _("Write the risk assessment first.")
    if stage == ApvCycle.Stage.SICKNESS_ABSENCE and not cycle.sickness_absence_assessment.strip():
        return _("Write the sickness-absence assessment first.")
    if stage == ApvCycle.Stage.ACTION_PLAN and not cycle.actions.exists():
        return _("Add at least one action to the written action plan first.")
    if stage == ApvCycle.Stage.FOLLOW_UP and not cycle.follow_up_notes.strip():
        return _("Describe the follow-up first.")
    return ""


@transaction.atomic
def apv_finding_add(
    *,
    actor: User | None,
    cycle: ApvCycle,
    title: str,
    description: str = "",
    risk: str = ApvFinding.Risk.MEDIUM,
) -> ApvFinding:
    _require_unit(actor, cycle.organisation, cycle.unit)
    if cycle.is_completed:
        raise ValidationError(_("This APV is completed."))
    if not title.strip():
        raise ValidationError({"title": _("Name the finding.")})
    if risk not in ApvFinding.Risk.values:
        raise ValidationError({"risk": _("Unknown risk.")})
    return ApvFinding.objects.create(cycle=cycle, title=title.strip(), description=description, risk=risk)


def action_create_from_finding(
    *, actor: User | None, finding: ApvFinding, title: str = "", **fields: Any
) -> Action:
    """An action in the APV's written plan, linked to the finding it answers."""
    cycle = finding.cycle
    return action_create(
        actor=actor,
        organisation=cycle.organisation,
        unit=cycle.unit,
        title=title or finding.title,
        problem=fields.pop("problem", finding.description),
        apv_cycle=cycle,
        source_kind=APV_FINDING_KIND,
        source_id=finding.pk,
        **fields,
    )


@transaction.atomic
def discussion_record(
    *, actor: User | None, organisation: Organisation, unit: Unit, held_on: date, notes: str = ""
) -> WorkingEnvironmentDiscussion:
    """Record that the unit held its annual working-environment discussion."""
    _require_unit(actor, organisation, unit)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("The discussion cannot be recorded before it is held.")})
    return WorkingEnvironmentDiscussion.objects.create(
        organisation=organisation, unit=unit, held_on=held_on, notes=notes, created_by=actor
    )
