"""Writes for the follow-up rule on survey results: a reason why a notably low result gets no
action, and the low-score level HR sets for the organisation."""

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from puls.actions import permissions
from puls.actions.models import FollowUpSettings, NoActionReason
from puls.core.audit import audit_record
from puls.core.models import User
from puls.organisations.models import Organisation, Unit
from puls.organisations.scoping import access_build
from puls.surveys.models import Survey
from puls.surveys.reports import selectors as report_selectors

REASON_MAX_LENGTH = 2000


@transaction.atomic
def no_action_reason_record(
    *, actor: User | None, survey: Survey, unit: Unit, scale_id: uuid.UUID, reason: str
) -> NoActionReason:
    """Record (or replace) why the (survey, unit, scale) result gets no action.

    Only for a result the report shows (a hidden score is never flagged, so it needs no reason),
    by someone who plans for the unit (HR, and leaders and MED/AMO representatives of its subtree).
    """
    organisation = survey.organisation
    if unit.organisation_id != organisation.pk:
        raise PermissionDenied
    if actor is not None:
        access = access_build(user=actor, organisation=organisation)
        if access is None or not permissions.can_manage_unit(access, unit):
            raise PermissionDenied
    text = reason.strip()
    if not text:
        raise ValidationError({"reason": _("Write why this result gets no action.")})
    if len(text) > REASON_MAX_LENGTH:
        raise ValidationError(
            {"reason": _("Keep the reason under %(count)d characters.") % {"count": REASON_MAX_LENGTH}}
        )
    if not report_selectors.scale_result_shown(survey_id=survey.pk, unit_id=unit.pk, scale_id=scale_id):
        raise ValidationError(_("This result is hidden to protect anonymity, so it needs no follow-up."))
    recorded, created = NoActionReason.objects.update_or_create(
        survey=survey,
        unit=unit,
        scale_id=scale_id,
        defaults={
            "organisation": organisation,
            "reason": text,
            "recorded_by": actor,
            "recorded_at": timezone.now(),
        },
    )
    audit_record(
        actor=actor,
        action="actions.no_action_reason_record",
        organisation=organisation,
        target=recorded,
        summary=unit.name,
        data={"survey": str(survey.pk), "unit": str(unit.pk), "scale": str(scale_id), "created": created},
    )
    return recorded


@transaction.atomic
def low_score_level_set(
    *, actor: User | None, organisation: Organisation, level: int | None
) -> FollowUpSettings:
    """HR sets (or clears, with None) the level below which a score needs an action or a reason."""
    if actor is not None:
        access = access_build(user=actor, organisation=organisation)
        if access is None or not access.is_org_admin:
            raise PermissionDenied
    if level is not None and not 0 <= level <= 100:
        raise ValidationError({"low_score_level": _("Give a level from 0 to 100, or leave it empty.")})
    found, _created = FollowUpSettings.objects.select_for_update().get_or_create(organisation=organisation)
    before = found.low_score_level
    found.low_score_level = level
    found.updated_by = actor
    found.updated_at = timezone.now()
    found.save()
    if before != level:
        audit_record(
            actor=actor,
            action="actions.low_score_level_set",
            organisation=organisation,
            target=found,
            summary=str(level) if level is not None else "",
            data={"before": before, "after": level},
        )
    return found
