"""One rounding rule for every report output: halves round away from zero (62.5 → 63) on the heatmap,
the scale page, the overview, in the PDF's templates and in the XLSX's number formats. Python's own
rounding (round half to even) gave 62 on the heatmap while `floatformat` gave 63 on the scale page."""

import re
from decimal import Decimal
from typing import Any

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import translation

from puls.surveys.reports.presentation import band, is_notable, number_text, rounded, score_text
from puls.surveys.reports.selectors import ScaleColumn
from puls.surveys.reports.tests.report_setup import bank_build, stored_report
from puls.testing import Personas

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
EN: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _scale(higher_is_better: bool = True) -> ScaleColumn:
    import uuid

    return ScaleColumn(
        id=uuid.uuid4(),
        code="s",
        bank_code="b",
        name="S",
        description="",
        domain="",
        higher_is_better=higher_is_better,
        is_outcome=False,
    )


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (62.5, 0, "63"),
        (61.5, 0, "62"),
        (62.49, 0, "62"),
        (0.125, 2, "0.13"),
        (0.0005, 3, "0.001"),
        (-2.5, 0, "-3"),
        (-0.4, 0, "0"),  # never "-0"
    ],
)
def test_halves_round_away_from_zero(value, places, expected):
    with translation.override("en"):
        assert number_text(value, places) == expected
    assert rounded(value, places) == Decimal(expected)


def test_texts_of_scores_signs_and_the_danish_decimal_comma():
    assert score_text(62.5) == "63"
    assert score_text(None) == "–"
    with translation.override("en"):
        assert number_text(2.5, signed=True) == "+3"
        assert number_text(-2.5, signed=True) == "-3"
        assert number_text(0.2, signed=True) == "0"
    with translation.override("da"):
        assert number_text(0.456, 2) == "0,46"


def test_the_colour_band_is_that_of_the_number_shown():
    # 54.5 reads 55, and the legend puts 55 in the band "55 to under 70".
    assert band(_scale(), 54.5) == band(_scale(), 55.0) == 2
    assert band(_scale(), 54.4) == 1
    # High is bad: 45.5 reads 46, favourability 54; 45.4 reads 45, favourability 55.
    assert band(_scale(higher_is_better=False), 45.5) == band(_scale(higher_is_better=False), 46.0) == 1
    assert band(_scale(higher_is_better=False), 45.4) == 2


@pytest.mark.parametrize(
    ("difference", "shown", "notable"),
    [
        (4.5, "+5", True),
        (4.4, "+4", False),
        (4.6, "+5", True),
        (-4.5, "-5", True),
        (-4.4, "-4", False),
        (-5.2, "-5", True),
        (54.4 - 50.0, "+4", False),  # 4.399999999999999
        (64.8 - 69.3, "-5", True),  # exactly -4.5
        (None, "–", False),
    ],
)
def test_notable_is_decided_on_the_difference_as_shown(difference, shown, notable):
    """A change shown as ±5 is always marked notable, one shown as ±4 never is."""
    assert number_text(difference, signed=True) == shown
    assert is_notable(difference) is notable


def test_template_filters_use_the_same_rule():
    template = Template(
        "{% load report_numbers %}{{ a|score }} {{ b|number }} {{ c|number:3 }} {{ d|signed }} {{ e|score }}"
    )
    with translation.override("en"):
        text = template.render(Context({"a": 62.5, "b": 12.5, "c": 0.0125, "d": 4.5, "e": None}))
    assert text == "63 13 0.013 +5 –"


@pytest.mark.django_db
def test_a_score_of_62_5_reads_63_on_the_heatmap_the_scale_page_and_the_overview(personas: Personas):
    bank = bank_build(organisation=personas.org)
    unit = personas.units["210"]
    earlier = stored_report(personas.org, bank, title="Trivsel 2025", closed_days_ago=365)
    earlier.scale_row(unit, "trust", n=11, mean=41.5)
    stored = stored_report(personas.org, bank, previous=earlier.survey)
    stored.scale_row(unit, "trust", n=12, mean=62.5)
    stored.scale_row(unit, "demands", n=12, mean=48.0)
    stored.scale_row(unit, "satisfaction", n=12, mean=70.0)
    client = Client()
    client.force_login(personas.org_admin, backend=MODEL_BACKEND)
    kwargs = {"org_slug": personas.org.slug, "survey_id": stored.survey.pk, "unit_id": unit.pk}
    trust = stored.bank.scales["trust"].pk

    heatmap = client.get(reverse("surveys:report:heatmap", kwargs=kwargs), **EN).content.decode()
    row = re.search(r"<tr><th[^>]*><a[^>]*>Skole A</a></th>(.*?)</tr>", heatmap, flags=re.S)
    assert row is not None
    cells = [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row.group(1))]
    assert cells[0] == "63"

    scale_page = client.get(
        reverse("surveys:report:scale", kwargs={**kwargs, "scale_id": trust}), **EN
    ).content.decode()
    score = re.search(r'<span class="puls-score [^"]*">([^<]*)</span>', scale_page)
    assert score is not None
    assert score.group(1) == "63"
    trend = scale_page.split("in each survey</caption>", 1)[1].split("</table>", 1)[0]
    assert re.findall(r'<td class="align-text-right puls-number">([^<]*)</td>', trend) == ["42", "63"]

    overview = client.get(reverse("surveys:report:overview", kwargs=kwargs), **EN).content.decode()
    scales = overview.split('id="scales-caption"', 1)[1].split("</table>", 1)[0]
    assert '<td class="align-text-right puls-number">63</td>' in scales
    assert ">62<" not in heatmap + scale_page + overview
