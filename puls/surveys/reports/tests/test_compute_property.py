"""Property test of the stored report: random unit trees, respondents and background values in the
database, computed by `report_compute`, checked against an independent recount — every shown n is
the subtree count, the residual rule holds for every measure, filtered cells are all-or-none per
unit, and the LP audit finds no hidden cell that the stored numbers pin down."""

import statistics
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from puls.invitations.models import Ballot
from puls.organisations import services as organisation_services
from puls.surveys.models import MeasureResult
from puls.surveys.reports.compute import report_compute
from puls.surveys.reports.tests.compute_setup import (
    assert_report_invariants,
    build_report_world,
    responses_bulk_write,
)

pytestmark = pytest.mark.django_db

SCORES = st.sampled_from([0, 25, 50, 75, 100])
MAYBE_SCORE = st.one_of(st.none(), SCORES, SCORES, SCORES)
RESPONDENT = st.tuples(
    st.sampled_from(["<40", "40+", "60+", None]),  # None: the cell does not store the age band
    st.lists(MAYBE_SCORE, min_size=5, max_size=5),  # d1-d3, s1-s2
    st.booleans(),  # wrote a comment
)


@st.composite
def organisations(draw):
    size = draw(st.integers(1, 9))
    parents = [None] + [draw(st.integers(0, i - 1)) for i in range(1, size)]
    codes = draw(st.lists(st.integers(100, 999), min_size=size, max_size=size, unique=True))
    respondents = [
        draw(st.lists(RESPONDENT, max_size=draw(st.sampled_from([0, 3, 6, 12])))) for _ in range(size)
    ]
    k = draw(st.integers(3, 5))
    return parents, codes, respondents, k, draw(st.integers(k, k + 3))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(organisations())
def test_stored_reports_keep_the_suppression_invariants(db, example):
    parents, codes, respondents, k, free_text_k = example
    organisation = organisation_services.organisation_create(
        actor=None, name="Eksempel", slug=f"eks-{uuid.uuid4().hex[:12]}"
    )
    units = []
    for parent, code in zip(parents, codes, strict=True):
        units.append(
            organisation_services.unit_create(
                organisation=organisation,
                code=str(code),
                name=str(code),
                parent=None if parent is None else units[parent],
            )
        )
    world = build_report_world(None, organisation=organisation, k=k, free_text_k=free_text_k)
    Ballot.objects.filter(pk=world.ballot.pk).update(status=Ballot.Status.CLOSED)
    item_ids = [world.items[code].pk for code in ("d1", "d2", "d3", "s1", "s2")]
    comment = world.items["comment"].pk
    for unit, people in zip(units, respondents, strict=True):
        by_age: dict[str | None, list] = {}
        for age, scores, wrote in people:
            values = dict(zip(item_ids, scores, strict=True))
            values[comment] = "En kommentar" if wrote else None
            by_age.setdefault(age, []).append(values)
        for age, rows in by_age.items():
            responses_bulk_write(world.survey, world.cell(unit, age), rows)

    report = report_compute(survey=world.survey)

    assert report.respondents == sum(len(people) for people in respondents)
    counts = assert_report_invariants(world.survey)
    satisfaction = str(world.scales["satisfaction"].pk)
    root = MeasureResult.objects.get(report=report, unit=units[0], measure_key=satisfaction, attribute="")
    if root.shown:
        scores = [score for by_unit in counts.values.get(satisfaction, {}).values() for score in by_unit]
        assert root.mean == pytest.approx(statistics.mean(scores))
