"""The demo ends with computed reports: `make run` shows results straight away, including a unit
with four respondents that every output shows as hidden."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from puls.invitations.models import Ballot, ParticipationCount
from puls.organisations.models import Organisation
from puls.surveys.models import MeasureResult, Survey, SurveyReport
from puls.surveys.reports.tests.compute_setup import assert_stored_rows_consistent

pytestmark = pytest.mark.django_db


def test_load_demo_computes_the_reports_of_the_closed_surveys(settings):
    settings.DEBUG = True  # as under `make run`
    with translation.override("en"):
        call_command("load_demo", stdout=StringIO())
    demo = Organisation.objects.get(slug="demo")
    assert demo.benchmark_opt_in
    first, second = (
        Survey.objects.filter(organisation=demo, ballot__status=Ballot.Status.CLOSED)
        .select_related("ballot")
        .order_by("ballot__opens_at")
    )
    assert second.previous_survey == first
    now = timezone.now()
    for survey in (first, second):
        report = SurveyReport.objects.get(survey=survey)
        assert (report.status, report.progress) == (SurveyReport.Status.DONE, 100)
        assert report.respondents == survey.ballot.completed_count
        assert survey.release_leaders_at is not None
        assert survey.release_everyone_at is not None
        assert survey.release_leaders_at <= survey.release_everyone_at <= now

    # Four of Plan og Udvikling's people answered in the latest survey: hidden in every measure.
    few = ParticipationCount.objects.get(ballot=second.ballot, unit__name="Plan og Udvikling")
    assert few.completed == 4
    rows = MeasureResult.objects.filter(report__survey=second, unit=few.unit)
    assert rows.exists()
    assert not rows.filter(shown=True).exists()
    # Its parent and siblings are shown, and nothing shown lets anyone subtract down to the four.
    parent_rows = MeasureResult.objects.filter(report__survey=second, unit=few.unit.parent, attribute="")
    assert parent_rows.filter(shown=True).exists()
    assert_stored_rows_consistent(second)
