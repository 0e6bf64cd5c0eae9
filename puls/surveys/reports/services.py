"""Writes around survey reports: the phased release of a survey's results and the organisation's
benchmark opt-in. Both are HR decisions and are written to the audit log."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from puls.core.audit import audit_record
from puls.core.models import User
from puls.organisations.models import Organisation
from puls.organisations.scoping import access_build
from puls.surveys.models import Survey


def _require_admin(actor: User, organisation: Organisation) -> None:
    access = access_build(user=actor, organisation=organisation)
    if access is None or not access.is_org_admin:
        raise PermissionDenied


def _iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment is not None else ""


@transaction.atomic
def survey_release_set(
    *,
    actor: User,
    survey: Survey,
    release_leaders_at: datetime | None,
    release_everyone_at: datetime | None,
) -> Survey:
    """Set when leaders and MED/AMO representatives, and then every employee, see the results.
    HR sees them as soon as they are computed. Leaders come first: everyone's date is never earlier."""
    _require_admin(actor, survey.organisation)
    if release_everyone_at is not None and release_leaders_at is None:
        raise ValidationError(
            {"release_leaders_at": _("Release the results to leaders first, then to everyone.")}
        )
    if (
        release_everyone_at is not None
        and release_leaders_at is not None
        and release_everyone_at < release_leaders_at
    ):
        raise ValidationError(
            {"release_everyone_at": _("Everyone can see the results at the same time as leaders or later.")}
        )
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    before = {"leaders": _iso(survey.release_leaders_at), "everyone": _iso(survey.release_everyone_at)}
    survey.release_leaders_at = release_leaders_at
    survey.release_everyone_at = release_everyone_at
    survey.save(update_fields=["release_leaders_at", "release_everyone_at"])
    audit_record(
        actor=actor,
        action="survey.release",
        organisation=survey.organisation,
        target=survey,
        summary=str(survey.ballot.title),
        data={
            "before": before,
            "after": {"leaders": _iso(release_leaders_at), "everyone": _iso(release_everyone_at)},
        },
    )
    return survey


@transaction.atomic
def organisation_benchmark_set(*, actor: User, organisation: Organisation, opt_in: bool) -> Organisation:
    """Share (or stop sharing) the organisation-level scale means of closed surveys with the other
    opted-in organisations; only an organisation that shares sees the benchmark."""
    _require_admin(actor, organisation)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.benchmark_opt_in == opt_in:
        return organisation
    organisation.benchmark_opt_in = opt_in
    organisation.save(update_fields=["benchmark_opt_in"])
    audit_record(
        actor=actor,
        action="organisation.benchmark_opt_in" if opt_in else "organisation.benchmark_opt_out",
        organisation=organisation,
        target=organisation,
        summary=organisation.name,
        data={"benchmark_opt_in": opt_in},
    )
    return organisation
