"""Background work of survey reports: the stored report is computed when a survey closes and again
when the organisation's unit mappings change (a closed survey is never reopened, so nothing else
changes its answers). Task arguments are ids only."""

import logging
import uuid
from typing import Any

from django.db import transaction
from django_tasks import task

from puls.invitations.models import Ballot
from puls.organisations.models import Organisation
from puls.surveys.models import Survey, SurveyReport

logger = logging.getLogger(__name__)


@task()
def report_compute_task(survey_id: str) -> str:
    """Compute the survey's stored report unless a computation finished since it was queued."""
    from puls.surveys.reports.compute import report_compute

    survey = Survey.objects.select_related("ballot").filter(pk=uuid.UUID(survey_id)).first()
    if survey is None or survey.ballot.status != Ballot.Status.CLOSED:
        return "skipped"
    report = SurveyReport.objects.filter(survey=survey).first()
    if report is not None and report.status == SurveyReport.Status.DONE:
        return "done"  # computed directly (e.g. by the demo) after this task was queued
    try:
        report = report_compute(survey=survey)
    except Exception:
        SurveyReport.objects.filter(survey=survey).update(status=SurveyReport.Status.FAILED)
        logger.exception("Survey report %s failed", survey_id)
        raise
    return report.status


def report_compute_enqueue(*, survey: Survey) -> SurveyReport:
    """Mark the survey's report as waiting and queue its computation once the caller commits."""
    report, created = SurveyReport.objects.get_or_create(survey=survey)
    if not created:
        SurveyReport.objects.filter(pk=report.pk).update(status=SurveyReport.Status.PENDING, progress=0)
        report.status, report.progress = SurveyReport.Status.PENDING, 0
    survey_id = str(survey.pk)
    transaction.on_commit(lambda: report_compute_task.enqueue(survey_id))
    return report


def reports_recompute_for_organisation(*, organisation: Organisation) -> int:
    """Queue the reports of the organisation's closed surveys again (after unit mappings changed)."""
    surveys = list(
        Survey.objects.filter(organisation=organisation, ballot__status=Ballot.Status.CLOSED).order_by(
            "ballot__closes_at"
        )
    )
    for survey in surveys:
        report_compute_enqueue(survey=survey)
    return len(surveys)


def unit_mappings_changed_receiver(sender: Any, *, organisation: Organisation, **kwargs: Any) -> None:
    reports_recompute_for_organisation(organisation=organisation)
