"""The stored report of a closed survey: numbers against hand-computed answers, the half rule,
suppression over the whole tree (residual rule, filtered cells, comments), and when it is computed."""

import statistics
import uuid

import pytest

from puls.core.suppression import HiddenReason
from puls.invitations.models import Ballot, BallotCell
from puls.invitations.services import ballot_close
from puls.organisations import services as organisation_services
from puls.surveys.models import MeasureResult, Response, SurveyReport
from puls.surveys.reports.compute import ReportNotReady, report_compute
from puls.surveys.reports.tasks import report_compute_enqueue, report_compute_task
from puls.surveys.reports.tests.compute_setup import (
    ReportWorld,
    assert_report_invariants,
    build_report_world,
    responses_bulk_write,
)

pytestmark = pytest.mark.django_db


def results(world: ReportWorld, measure: str, key: str, attribute: str = "") -> dict[str, MeasureResult]:
    """Unfiltered rows by unit code (filtered: by "code/value")."""
    rows = MeasureResult.objects.filter(
        report__survey=world.survey, measure=measure, measure_key=key, attribute=attribute
    ).select_related("unit")
    return {(f"{row.unit.code}/{row.value}" if attribute else row.unit.code): row for row in rows}


def close(world: ReportWorld, capture) -> SurveyReport:
    """Close the ballot as the periodic job does; the report is computed once the close commits."""
    with capture(execute=True):
        ballot_close(ballot=world.ballot)
    return SurveyReport.objects.get(survey=world.survey)


@pytest.fixture
def answered(personas, django_capture_on_commit_callbacks) -> ReportWorld:
    """k = 3, free-text threshold 4. Skole A (210, age <40) and Skole B (220, age 40+) answer three
    each; Skole A's third person answers only one of the three demand items."""
    world = build_report_world(personas, k=3, free_text_k=4)
    a, b = personas.units["210"], personas.units["220"]
    world.submit(
        a,
        {
            "d1": 0,
            "d2": 1,
            "d3": 2,
            "s1": 0,
            "s2": 0,
            "choice": 0,
            "multi": [0, 2],
            "ten": 7,
            "comment": "Godt",
        },
    )
    world.submit(
        a, {"d1": 2, "d2": 2, "s1": 1, "s2": 2, "choice": 1, "multi": [0], "ten": 5, "comment": "Ok"}
    )
    world.submit(a, {"d1": 4, "s1": 1, "choice": 0, "ten": 10})
    world.submit(
        b, {"d1": 1, "d2": 1, "d3": 1, "s1": 1, "s2": 1, "multi": [1], "comment": "Fint"}, age_band="40+"
    )
    world.submit(
        b, {"d1": 3, "d2": 3, "d3": 3, "s1": 3, "s2": 3, "multi": [1, 2], "comment": "Travlt"}, age_band="40+"
    )
    world.submit(b, {"d1": 0, "d2": 0, "d3": 4, "s1": 2, "s2": 2, "comment": "  "}, age_band="40+")
    close(world, django_capture_on_commit_callbacks)
    return world


def test_closing_the_survey_computes_its_report(answered):
    report = SurveyReport.objects.get(survey=answered.survey)
    assert report.status == SurveyReport.Status.DONE
    assert report.progress == 100
    assert report.computed_at is not None
    assert (report.k, report.free_text_k, report.respondents) == (3, 4, 6)


def test_scale_means_counts_and_sd_match_the_answers(answered):
    satisfaction = results(answered, "scale", str(answered.scales["satisfaction"].pk))
    skole_a = [100.0, 62.5, 75.0]  # (100+100)/2, (75+50)/2, 75 (one of two items is half)
    skole_b = [75.0, 25.0, 50.0]
    for code, scores in (
        ("210", skole_a),
        ("220", skole_b),
        ("200", skole_a + skole_b),
        ("100", skole_a + skole_b),
    ):
        row = satisfaction[code]
        assert row.shown
        assert row.n == len(scores)
        assert row.mean == pytest.approx(statistics.mean(scores))
        assert row.sd == pytest.approx(statistics.stdev(scores))
    assert not satisfaction["300"].shown
    assert not satisfaction["310"].shown


def test_a_scale_score_needs_half_of_the_scales_items(answered):
    """Skole A's third person answered one of three demand items: no demands score, so Skole A has
    two scores (hidden, k = 3), and Skole B must go too, or 200 minus 220 would show Skole A's two."""
    demands = results(answered, "scale", str(answered.scales["demands"].pk))
    scores = [75.0, 50.0, 75.0, 25.0, 200 / 3]
    assert demands["200"].n == 5
    assert demands["200"].mean == pytest.approx(statistics.mean(scores))
    assert demands["100"].n == 5
    assert not demands["210"].shown
    assert demands["210"].hidden_reason == HiddenReason.BELOW_THRESHOLD
    assert not demands["220"].shown
    assert demands["220"].hidden_reason == HiddenReason.RESIDUAL
    assert demands["220"].n is None
    assert demands["220"].mean is None


def test_item_distributions_keyed_by_stored_score_or_option(answered):
    d1 = results(answered, "item", str(answered.items["d1"].pk))["210"]
    assert (d1.n, d1.mean) == (3, pytest.approx(50.0))
    assert d1.distribution == {"100": 1, "75": 0, "50": 1, "25": 0, "0": 1}
    choice = results(answered, "item", str(answered.items["choice"].pk))["210"]
    assert (choice.n, choice.mean, choice.distribution) == (3, None, {"0": 2, "1": 1, "2": 0})
    ten = results(answered, "item", str(answered.items["ten"].pk))["210"]
    assert ten.mean == pytest.approx(22 / 3)
    assert ten.distribution["7"] == ten.distribution["5"] == ten.distribution["10"] == 1
    # Multiple choice counts each chosen option; n is the respondents who chose anything.
    multi = results(answered, "item", str(answered.items["multi"].pk))
    assert not multi["210"].shown
    assert not multi["220"].shown
    assert (multi["200"].n, multi["200"].distribution) == (4, {"0": 2, "1": 2, "2": 2})
    # d2 was answered by two people in Skole A: hidden there, numbers and all.
    d2 = results(answered, "item", str(answered.items["d2"].pk))["210"]
    assert (d2.shown, d2.n, d2.distribution) == (False, None, None)


def test_comments_use_the_free_text_threshold(answered):
    """Four comments (a blank one is not a comment): shown for 200 and the organisation only."""
    comments = results(answered, "comments", str(answered.items["comment"].pk))
    assert {code for code, row in comments.items() if row.shown} == {"100", "200"}
    assert comments["200"].n == 4
    assert comments["210"].n is None
    assert comments["210"].hidden_reason == HiddenReason.BELOW_THRESHOLD
    assert not MeasureResult.objects.filter(
        report__survey=answered.survey, measure="item", measure_key=str(answered.items["comment"].pk)
    ).exists()


def test_filtered_rows_are_all_or_none_per_unit_and_pass_the_audit(answered):
    satisfaction = results(answered, "scale", str(answered.scales["satisfaction"].pk), attribute="age_band")
    # Only shown cells are stored. Skole A has nobody aged 40+ (and Skole B nobody under 40): their
    # cells are hidden, so they have no filtered rows at all.
    assert set(satisfaction) == {"100/40+", "100/<40", "200/40+", "200/<40"}
    assert all(row.shown for row in satisfaction.values())
    assert satisfaction["200/<40"].n == 3
    assert satisfaction["200/<40"].mean == pytest.approx(statistics.mean([100.0, 62.5, 75.0]))
    assert_report_invariants(answered.survey)


def test_the_filtered_heatmap_reads_a_unit_without_filtered_rows_as_hidden(answered, personas):
    from puls.organisations.scoping import access_build
    from puls.surveys.reports import selectors

    access = access_build(user=personas.org_admin, organisation=personas.org)
    assert access is not None
    report = selectors.report_get(access=access, survey_id=answered.survey.pk)
    heatmap = selectors.report_heatmap(
        access=access, report=report, unit=personas.units["100"], attribute="age_band"
    )
    stored = MeasureResult.objects.filter(report=report, attribute="age_band")
    tables = set(stored.values_list("measure_key", flat=True))
    with_rows: dict[uuid.UUID, set[str]] = {}
    for unit_id, key in stored.values_list("unit_id", "measure_key"):
        with_rows.setdefault(unit_id, set()).add(key)
    by_unit: dict[str, list] = {}
    for row in heatmap.rows:
        by_unit.setdefault(row.unit.code, []).append(row)
    assert set(by_unit) >= {"100", "200", "210", "220"}
    for code, rows in by_unit.items():
        unit_id = personas.units[code].pk
        if with_rows.get(unit_id, set()) >= tables:
            assert sorted(row.value for row in rows) == ["40+", "<40"]
            for row in rows:
                for scale, cell in zip(heatmap.scales, row.cells, strict=True):
                    assert cell.shown == (str(scale.id) in tables), (code, scale.code)
        else:
            # Skole A and B have no filtered rows: one hidden row, not even which ages they have.
            assert [(row.hidden, row.value) for row in rows] == [(True, "")], code
            assert not any(cell.shown for cell in rows[0].cells)
    assert [row.hidden for row in by_unit["210"]] == [True]
    assert [row.hidden for row in by_unit["220"]] == [True]


def test_unit_with_four_respondents_is_hidden_without_numbers(personas, django_capture_on_commit_callbacks):
    """k = 5: Skole A's four answers are stored higher up at close (their cell is below k), Skole A
    shows no number anywhere, and nothing shown lets anyone subtract their way to the four."""
    world = build_report_world(personas, k=5, free_text_k=5)
    answers = {"d1": 1, "d2": 2, "d3": 3, "s1": 1, "s2": 1, "choice": 2, "ten": 8, "comment": "Hej"}
    for unit, count in (("210", 4), ("220", 6), ("310", 6)):
        for _ in range(count):
            world.submit(personas.units[unit], answers)
    close(world, django_capture_on_commit_callbacks)
    rows = MeasureResult.objects.filter(report__survey=world.survey, unit=personas.units["210"])
    # A row for every unfiltered measure, like every other unit, and not one number in them; no
    # filtered rows (hidden cells are not stored).
    assert (
        rows.filter(attribute="").count()
        == MeasureResult.objects.filter(
            report__survey=world.survey, unit=personas.units["100"], attribute=""
        ).count()
    )
    assert not rows.exclude(attribute="").exists()
    assert not rows.filter(shown=True).exists()
    assert not rows.exclude(n=None).exists()
    assert not rows.exclude(mean=None).exists()
    assert not rows.exclude(distribution=None).exists()
    satisfaction = results(world, "scale", str(world.scales["satisfaction"].pk))
    assert satisfaction["210"].hidden_reason == HiddenReason.BELOW_THRESHOLD
    assert satisfaction["100"].n == 16
    assert_report_invariants(world.survey)


def test_cells_without_the_attribute_count_under_a_dash(personas):
    world = build_report_world(personas, k=3)
    Ballot.objects.filter(pk=world.ballot.pk).update(status=Ballot.Status.CLOSED)
    item_ids = [world.items[code].pk for code in ("s1", "s2")]
    responses_bulk_write(
        world.survey, world.cell(personas.units["210"], None), [dict.fromkeys(item_ids, 50)] * 4
    )
    responses_bulk_write(
        world.survey, world.cell(personas.units["220"], "40+"), [dict.fromkeys(item_ids, 75)] * 4
    )
    report_compute(survey=world.survey)
    satisfaction = results(world, "scale", str(world.scales["satisfaction"].pk), attribute="age_band")
    assert {key.split("/")[1] for key in satisfaction} == {"-", "40+"}
    assert satisfaction["100/-"].n == 4
    assert satisfaction["100/-"].mean == 50
    assert_report_invariants(world.survey)


def test_driver_analysis_correlates_scales_with_the_outcome_from_25_respondents(personas):
    world = build_report_world(personas, k=3)
    Ballot.objects.filter(pk=world.ballot.pk).update(status=Ballot.Status.CLOSED)
    d, s = world.items, world.items
    demands = [0, 25, 50, 75, 100] * 6
    satisfaction = [100, 75, 75, 25, 0, 50] * 5
    rows = [
        {d["d1"].pk: x, d["d2"].pk: x, d["d3"].pk: None, s["s1"].pk: y, s["s2"].pk: y}
        for x, y in zip(demands, satisfaction, strict=True)
    ]
    responses_bulk_write(world.survey, world.cell(personas.units["210"]), rows[:24])
    report_compute(survey=world.survey)
    scale_key = str(world.scales["demands"].pk)
    assert results(world, "scale", scale_key)["100"].correlation is None  # 24 respondents
    responses_bulk_write(world.survey, world.cell(personas.units["220"]), rows[24:])
    report_compute(survey=world.survey)
    by_unit = results(world, "scale", scale_key)
    assert by_unit["100"].correlation == pytest.approx(statistics.correlation(demands, satisfaction))
    assert by_unit["210"].correlation is None  # 24 there
    assert results(world, "scale", str(world.scales["satisfaction"].pk))["100"].correlation is None


def test_recomputing_replaces_the_rows(answered):
    before = MeasureResult.objects.filter(report__survey=answered.survey).count()
    report_compute(survey=answered.survey)
    assert MeasureResult.objects.filter(report__survey=answered.survey).count() == before


def test_an_open_survey_has_no_report_yet(personas):
    world = build_report_world(personas)
    with pytest.raises(ReportNotReady):
        report_compute(survey=world.survey)


def test_progress_is_reported_up_to_100(personas):
    world = build_report_world(personas)
    Ballot.objects.filter(pk=world.ballot.pk).update(status=Ballot.Status.CLOSED)
    seen: list[int] = []
    report_compute(survey=world.survey, progress=seen.append)
    assert seen == sorted(seen)
    assert seen[0] == 0
    assert seen[-1] == 100


def test_a_queued_task_stops_when_the_report_was_computed_meanwhile(
    answered, django_capture_on_commit_callbacks
):
    report_compute_enqueue(survey=answered.survey)  # the task runs when the caller commits
    assert SurveyReport.objects.get(survey=answered.survey).status == SurveyReport.Status.PENDING
    computed = report_compute(survey=answered.survey).computed_at
    assert report_compute_task.call(str(answered.survey.pk)) == "done"
    assert SurveyReport.objects.get(survey=answered.survey).computed_at == computed


def test_unit_mappings_recompute_the_reports_of_closed_surveys(
    answered, personas, django_capture_on_commit_callbacks
):
    report = SurveyReport.objects.get(survey=answered.survey)
    new_unit = organisation_services.unit_create(
        organisation=personas.org, code="230", name="Skole C", parent=personas.units["200"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        organisation_services.unit_reorganise(
            actor=None, old_units=[personas.units["220"]], new_unit=new_unit
        )
    report.refresh_from_db()
    assert report.status == SurveyReport.Status.DONE
    rows = MeasureResult.objects.filter(report=report, unit=new_unit)
    assert rows.exists()
    assert not rows.filter(shown=True).exists()


def test_responses_in_a_cell_of_another_organisation_are_ignored(personas):
    """Defensive: only the organisation's own units are counted."""
    world = build_report_world(personas, k=3)
    Ballot.objects.filter(pk=world.ballot.pk).update(status=Ballot.Status.CLOSED)
    foreign = BallotCell.objects.create(ballot=world.ballot, unit=personas.other_unit, attributes={})
    item_ids = [world.items["s1"].pk, world.items["s2"].pk]
    responses_bulk_write(world.survey, foreign, [dict.fromkeys(item_ids, 50)] * 5)
    report = report_compute(survey=world.survey)
    assert report.respondents == Response.objects.filter(survey=world.survey).count()
    assert not MeasureResult.objects.filter(report=report, shown=True).exists()
    assert not MeasureResult.objects.filter(report=report, unit=personas.other_unit).exists()
    assert uuid.UUID(str(world.survey.pk))


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_task_path_gives_the_same_report(personas):
    """As in the task worker (autocommit): on PostgreSQL the items outside scales are read in a
    second connection meanwhile, and the rows stream in by COPY; the numbers are the same."""
    world = build_report_world(personas, k=3)
    Ballot.objects.filter(pk=world.ballot.pk).update(status=Ballot.Status.CLOSED)
    items = world.items
    rows = [
        {
            items["s1"].pk: 75,
            items["s2"].pk: 50,
            items["choice"].pk: 1,
            items["ten"].pk: 6,
            items["comment"].pk: "Hej",
        }
    ] * 5
    responses_bulk_write(world.survey, world.cell(personas.units["210"]), rows)
    report = report_compute(survey=world.survey)
    assert report.status == SurveyReport.Status.DONE
    choice = results(world, "item", str(items["choice"].pk))["100"]
    assert (choice.n, choice.distribution) == (5, {"0": 0, "1": 5, "2": 0})
    assert results(world, "item", str(items["ten"].pk))["210"].mean == 6
    assert results(world, "scale", str(world.scales["satisfaction"].pk))["200"].mean == 62.5
    assert_report_invariants(world.survey)
