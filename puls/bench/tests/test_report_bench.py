"""The report benchmark at a tiny size: its baseline query computes what the scoring rules define,
and our stored report agrees with it, so `make bench SCENARIO=report` compares like with like."""

from collections import defaultdict

import pytest

from puls.bench import report as bench
from puls.organisations.models import Unit
from puls.surveys import scoring
from puls.surveys.models import Answer, MeasureResult, Response, SectionItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    return bench.build(respondents=200, units=20, analyse=False)


def _expected(survey):
    """Subtree × scale (n, mean) from the scoring functions, one response at a time."""
    scale_items = defaultdict(list)
    for item_id, scale_id in SectionItem.objects.filter(
        section__questionnaire=survey.questionnaire, item__scale__isnull=False
    ).values_list("item_id", "item__scale_id"):
        scale_items[str(scale_id)].append(str(item_id))
    values = defaultdict(dict)
    for response_id, item_id, value in Answer.objects.filter(
        response__survey=survey, value__isnull=False
    ).values_list("response_id", "item_id", "value"):
        values[response_id][str(item_id)] = value
    paths = dict(Unit.objects.filter(organisation=survey.organisation).values_list("id", "path"))
    scores = defaultdict(list)
    for response_id, unit_id in Response.objects.filter(survey=survey).values_list("id", "cell__unit_id"):
        for scale_id, score in scoring.scale_scores(values[response_id], scale_items).items():
            if score is None:
                continue
            for ancestor in paths[unit_id].strip("/").split("/"):
                scores[ancestor, scale_id.replace("-", "")].append(score)
    return {key: (len(found), sum(found) / len(found)) for key, found in scores.items()}


def _as_key(unit_id, scale_id):
    return (str(unit_id).replace("-", ""), str(scale_id).replace("-", ""))


def test_the_baseline_query_computes_subtree_scale_scores_by_the_scoring_rules(data):
    assert data.answers < 200 * bench.ITEMS  # some answers are blank

    bench.baseline_prepare(data.survey)
    rows = bench.baseline_query(data.survey)

    got = {_as_key(unit, scale): (n, float(mean)) for unit, scale, n, mean in rows}
    expected = _expected(data.survey)
    assert got.keys() == expected.keys()
    for key, (n, mean) in expected.items():
        assert got[key][0] == n
        assert got[key][1] == pytest.approx(mean)


def test_our_report_shows_the_baseline_figures_and_hides_small_units(data):
    bench.baseline_prepare(data.survey)
    baseline = {
        _as_key(unit, scale): (n, float(mean)) for unit, scale, n, mean in bench.baseline_query(data.survey)
    }

    bench.ours(data.survey, bench.admin_client(data.admin))

    results = MeasureResult.objects.filter(
        report__survey=data.survey, measure=MeasureResult.Measure.SCALE, attribute=""
    )
    shown = [result for result in results if result.shown]
    assert shown
    assert any(not result.shown for result in results)
    for result in shown:
        n, mean = baseline[_as_key(result.unit_id, result.measure_key)]
        assert result.n == n
        assert result.mean == pytest.approx(mean)
