"""The report selectors that pages and exports share: scope, heatmap cost, trend through
reorganisations, the significance test, and what other apps may ask about a result."""

import uuid
from datetime import timedelta

import numpy as np
import pytest
from django.http import Http404
from django.utils import timezone, translation
from scipy.stats import ttest_ind

from puls.core.links import link_create, link_kind_get
from puls.invitations.models import ParticipationCount
from puls.invitations.participation_counts import unit_participation
from puls.organisations import services as org_services
from puls.organisations.models import Unit, UnitMapping
from puls.organisations.scoping import access_build
from puls.surveys.models import SurveyReport
from puls.surveys.reports import selectors
from puls.surveys.reports.comparisons import welch_against_rest
from puls.surveys.reports.selectors import Result
from puls.surveys.reports.tests.report_setup import bank_build, stored_report


@pytest.fixture
def bank(personas):
    return bank_build(organisation=personas.org)


def access_of(personas, user):
    return access_build(user=user, organisation=personas.org)


def test_heatmap_reads_all_cells_in_one_query_whatever_the_tree(personas, bank, django_assert_num_queries):
    stored = stored_report(personas.org, bank)
    access = access_of(personas, personas.org_admin)
    for code in ("100", "200", "210"):
        for scale in bank.scales:
            stored.scale_row(personas.units[code], scale, n=30, mean=60.0)
    report = selectors.report_get(access=access, survey_id=stored.survey.pk)
    root = personas.units["100"]
    with django_assert_num_queries(6) as small:
        selectors.report_heatmap(access=access, report=report, unit=root)
    for i in range(40):
        unit = org_services.unit_create(
            organisation=personas.org, code=f"9{i:02d}", name=f"U{i}", parent=root
        )
        for scale in bank.scales:
            stored.scale_row(unit, scale, n=10, mean=50.0 + i % 7)
    with django_assert_num_queries(len(small.captured_queries)):
        heatmap = selectors.report_heatmap(access=access, report=report, unit=root)
    assert len(heatmap.rows) == 43
    assert [scale.code for scale in heatmap.scales] == ["trust", "demands", "satisfaction"]


def test_units_of_an_employee_are_their_own_and_the_organisation(personas, bank):
    stored = stored_report(personas.org, bank)
    for unit in personas.units.values():
        stored.scale_row(unit, "trust", n=9, mean=50.0)
    access = access_of(personas, personas.employee)
    report = selectors.report_get(access=access, survey_id=stored.survey.pk)
    units = selectors.report_units(access=access, report=report)
    assert [(ru.unit.code, ru.depth) for ru in units] == [("100", 0), ("220", 1)]
    assert selectors.report_default_unit(access=access, report=report).code == "220"  # their own unit
    with pytest.raises(Http404):
        selectors.report_unit_get(access=access, report=report, unit_id=personas.units["210"].pk)


def test_scale_result_shown_only_for_shown_computed_results(personas, bank):
    stored = stored_report(personas.org, bank)
    shown = stored.scale_row(personas.units["210"], "trust", n=9, mean=50.0)
    stored.scale_row(personas.units["220"], "trust")
    ask = {"survey_id": stored.survey.pk, "scale_id": bank.scales["trust"].pk}
    assert selectors.scale_result_shown(unit_id=personas.units["210"].pk, **ask)
    assert not selectors.scale_result_shown(unit_id=personas.units["220"].pk, **ask)
    assert not selectors.scale_result_shown(unit_id=personas.units["310"].pk, **ask)  # no row
    SurveyReport.objects.filter(pk=stored.report.pk).update(status=SurveyReport.Status.RUNNING)
    assert not selectors.scale_result_shown(unit_id=shown.unit_id, **ask)


def test_a_survey_result_is_a_link_kind(personas, bank):
    stored = stored_report(personas.org, bank)
    kind = link_kind_get("surveys.survey")
    assert kind.resolve(personas.org, stored.survey.pk) == stored.survey
    assert kind.resolve(personas.other_org, stored.survey.pk) is None
    detail = {"unit": str(personas.units["210"].pk), "scale": str(bank.scales["trust"].pk)}
    with translation.override("da"):
        assert kind.describe(stored.survey, detail) == "Trivsel 2026 – Skole A – Tillid"
    link = link_create(
        organisation=personas.org,
        source_kind="surveys.survey",
        source_id=stored.survey.pk,
        source_detail=detail,
        target_kind="organisations.unit",
        target_id=personas.units["210"].pk,
        kind="test",
    )
    assert link.source_detail == detail


def test_trend_combines_merged_units_only_when_all_are_shown(personas, bank):
    org = personas.org
    parent = personas.units["200"]
    old_a = org_services.unit_create(organisation=org, code="201", name="Gammel A", parent=parent)
    old_b = org_services.unit_create(organisation=org, code="202", name="Gammel B", parent=parent)
    for old in (old_a, old_b):
        UnitMapping.objects.create(organisation=org, old_unit=old, new_unit=personas.units["210"])
    previous = stored_report(org, bank, title="Trivsel 2024", closed_days_ago=400)
    previous.scale_row(old_a, "trust", n=6, mean=40.0)
    previous.scale_row(old_b, "trust", n=12, mean=70.0)
    previous.scale_row(old_a, "demands", n=6, mean=40.0)
    previous.scale_row(old_b, "demands")  # hidden
    current = stored_report(org, bank, previous=previous.survey)
    for scale in bank.scales:
        current.scale_row(personas.units["210"], scale, n=20, mean=66.0)
    access = access_of(personas, personas.leader)
    report = selectors.report_get(access=access, survey_id=current.survey.pk)
    unit = personas.units["210"]
    trust = selectors.report_scale(access=access, report=report, unit=unit, scale_id=bank.scales["trust"].pk)
    first = trust.trend[0]
    assert [u.code for u in first.units] == ["201", "202"]
    assert first.result == Result(shown=True, n=18, mean=60.0)
    demands = selectors.report_scale(
        access=access, report=report, unit=unit, scale_id=bank.scales["demands"].pk
    )
    assert demands.trend[0].result == Result(shown=False)
    overview = selectors.report_overview(access=access, report=report, unit=unit)
    by_code = {summary.scale.code: summary for summary in overview.scales}
    assert by_code["trust"].change == pytest.approx(6.0)
    assert by_code["trust"].notable_change
    assert by_code["demands"].change is None


def test_welch_from_stored_moments_matches_the_test_on_raw_data():
    rng = np.random.default_rng(7)
    unit = rng.normal(70, 12, 30)
    rest = rng.normal(60, 18, 90)
    everyone = np.concatenate([unit, rest])
    result = welch_against_rest(
        unit=Result(shown=True, n=30, mean=float(unit.mean()), sd=float(unit.std(ddof=1))),
        organisation=Result(shown=True, n=120, mean=float(everyone.mean()), sd=float(everyone.std(ddof=1))),
        k=5,
    )
    expected = ttest_ind(unit, rest, equal_var=False)
    assert result is not None
    assert result.p_value == pytest.approx(expected.pvalue, rel=1e-6)
    assert result.rest_n == 90
    assert result.significant
    # Too few in the rest of the organisation: no test.
    small = welch_against_rest(
        unit=Result(shown=True, n=30, mean=70.0, sd=10.0),
        organisation=Result(shown=True, n=33, mean=69.0, sd=10.0),
        k=5,
    )
    assert small is None


def test_comment_texts_stream_nothing_for_a_hidden_list(personas, bank):
    stored = stored_report(personas.org, bank)
    stored.scale_row(personas.units["210"], "trust", n=9, mean=50.0)
    stored.scale_row(personas.units["100"], "trust", n=9, mean=50.0)
    stored.comments_row(personas.units["210"], shown=False)
    stored.comments_row(personas.units["100"], shown=True)
    stored.comment(personas.units["210"], "Hemmelig kommentar")
    access = access_of(personas, personas.org_admin)
    report = selectors.report_get(access=access, survey_id=stored.survey.pk)
    item = bank.items["comment"].pk
    hidden = selectors.report_comment_texts(
        access=access, report=report, unit=personas.units["210"], item_id=item
    )
    assert list(hidden) == []
    pooled = selectors.report_comment_texts(
        access=access, report=report, unit=personas.units["100"], item_id=item
    )
    assert list(pooled) == ["Hemmelig kommentar"]
    with pytest.raises(Http404):
        selectors.report_comment_texts(
            access=access, report=report, unit=personas.units["100"], item_id=uuid.uuid4()
        )


def test_units_closed_before_the_survey_are_not_rows(personas, bank):
    root = personas.units["100"]
    gone = org_services.unit_create(organisation=personas.org, code="901", name="Nedlagt", parent=root)
    later = org_services.unit_create(organisation=personas.org, code="902", name="Lukket siden", parent=root)
    stored = stored_report(personas.org, bank)
    opened = timezone.localdate(stored.survey.ballot.opens_at)
    Unit.objects.filter(pk=gone.pk).update(closed_on=opened - timedelta(days=30))
    Unit.objects.filter(pk=later.pk).update(closed_on=opened + timedelta(days=30))
    for unit in (root, gone, later):
        stored.scale_row(unit, "trust")
    access = access_of(personas, personas.org_admin)
    report = selectors.report_get(access=access, survey_id=stored.survey.pk)
    assert [ru.unit.code for ru in selectors.report_units(access=access, report=report)] == ["100", "902"]
    with pytest.raises(Http404):
        selectors.report_unit_get(access=access, report=report, unit_id=gone.pk)


def test_overview_response_rate_is_the_response_rate_pages_figure(personas, bank):
    """The overview shows a unit's invited/answered exactly as the response-rate page decides them
    (DESIGN §4.4, once over the whole tree): a unit with 3 invitees is hidden, the organisation shows
    everyone."""
    stored = stored_report(personas.org, bank)
    ballot = stored.survey.ballot
    ParticipationCount.objects.create(ballot=ballot, unit=personas.units["210"], invited=10, completed=7)
    ParticipationCount.objects.create(ballot=ballot, unit=personas.units["220"], invited=3, completed=2)
    codes = ["100", "200", "210", "220"]
    for code in codes:
        stored.scale_row(personas.units[code], "trust", n=6, mean=50.0)
    access = access_of(personas, personas.org_admin)
    report = selectors.report_get(access=access, survey_id=stored.survey.pk)
    rate_page = {row.unit.code: row for row in unit_participation(ballot).units}

    shown = {}
    for code in codes:
        participation = selectors.report_overview(
            access=access, report=report, unit=personas.units[code]
        ).participation
        row = rate_page.get(code)
        expected = (row.shown, row.invited, row.answered) if row and row.shown else (False, None, None)
        assert (participation.shown, participation.invited, participation.answered) == expected
        shown[code] = participation.shown
    assert shown["100"]
    assert not shown["220"]
    organisation = selectors.report_overview(access=access, report=report, unit=personas.units["100"])
    assert (organisation.participation.invited, organisation.participation.answered) == (13, 9)
