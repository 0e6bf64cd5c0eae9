"""The whole path: people answer through the sealed submit, HR closes the survey, the report is
computed and suppressed, and no page shows what suppression hid.

Population on top of the personas (k = 5):
    100 Testby Kommune   HR + 2 added; with 310's two stored here (its cell); 3 of the 5 answer
    210 Skole A          leader + 3 + 3 added = 7, all answer: every scale score 50
    220 Skole B          employee + 5 added = 6, all answer: every scale score 75
At close the organisation's cell holds only 3 answers, fewer than k, so it is merged with Skole B's
into one cell at 100: Skole B's answers count for the organisation only (16 respondents, 59.4),
Skole A and Børn og Unge show 7 respondents and 50, and Skole B is hidden. Its true score, 75,
must appear nowhere.
"""

import re
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from puls.core.tests.conftest import small_item_bank_file
from puls.organisations.models import Employment, Person
from puls.surveys import services as survey_services
from puls.surveys.models import Item, MeasureResult, Questionnaire, Scale
from puls.surveys.reports import selectors
from puls.surveys.reports.tests.closed_survey import closed_survey_build
from puls.testing import Personas

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
EN: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": "en"}
SILENT_AT_100 = {"3101", "3102"}  # the MED rep and Ole do not answer


def add_people(personas: Personas, code: str, count: int, prefix: str) -> None:
    for i in range(count):
        person = Person.objects.create(
            organisation=personas.org,
            employee_number=f"{prefix}{i}",
            first_name="Ny",
            last_name=f"{prefix}{i}",
        )
        Employment.objects.create(
            person=person, unit=personas.units[code], job_group="Pædagog", start_date=date(2015, 1, 1)
        )


@pytest.fixture
def computed(personas: Personas):
    add_people(personas, "100", 2, "10")
    add_people(personas, "210", 3, "21")
    add_people(personas, "220", 5, "22")
    bank = survey_services.item_bank_import(
        actor=personas.org_admin,
        organisation=personas.org,
        stream=small_item_bank_file(personas.org),
        file_name="bank.json",
    )
    skole_b = personas.units["220"]

    def answers(position: int, person: Person, items: list[Item]) -> dict[str, object]:
        in_220 = person.employments.filter(unit=skole_b).exists()
        plan: dict[str, object] = {}
        for item in items:
            if item.kind == Item.Kind.LIKERT:
                # 220: "To a large extent" twice (75); the others 100 and 0 (50).
                plan[item.id.hex] = 1 if in_220 else (0 if item.code == "p1" else 4)
            elif item.kind == Item.Kind.FREE_TEXT:
                plan[item.id.hex] = f"Kommentar {person.employee_number}"
        return plan

    survey = closed_survey_build(
        organisation=personas.org,
        admin=personas.org_admin,
        questionnaire=Questionnaire.objects.get(organisation=personas.org),
        answers=answers,
        answering=lambda person: person.employee_number not in SILENT_AT_100,
    )
    return survey, Scale.objects.get(bank=bank)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def text_of(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def test_suppression_as_expected(personas, computed):
    survey, scale = computed
    rows = {
        row.unit.code: row
        for row in MeasureResult.objects.filter(
            report__survey=survey, measure="scale", measure_key=str(scale.pk), attribute=""
        ).select_related("unit")
    }
    assert {code for code, row in rows.items() if row.shown} == {"100", "200", "210"}
    assert rows["100"].n == 16
    assert rows["210"].mean == 50.0
    assert selectors.scale_result_shown(
        survey_id=survey.pk, unit_id=personas.units["210"].pk, scale_id=scale.pk
    )
    assert not selectors.scale_result_shown(
        survey_id=survey.pk, unit_id=personas.units["220"].pk, scale_id=scale.pk
    )


def test_no_page_shows_the_hidden_score(personas, computed):
    survey, scale = computed
    units = personas.units
    kwargs = {"org_slug": "testby", "survey_id": survey.pk}
    hr = client_for(personas.org_admin)
    pages = {
        "heatmap 100": hr.get(
            reverse("surveys:report:heatmap", kwargs={**kwargs, "unit_id": units["100"].pk}), **EN
        ),
        "heatmap 200": hr.get(
            reverse("surveys:report:heatmap", kwargs={**kwargs, "unit_id": units["200"].pk}), **EN
        ),
        "overview 220": hr.get(
            reverse("surveys:report:overview", kwargs={**kwargs, "unit_id": units["220"].pk}), **EN
        ),
        "scale 220": hr.get(
            reverse(
                "surveys:report:scale", kwargs={**kwargs, "unit_id": units["220"].pk, "scale_id": scale.pk}
            ),
            **EN,
        ),
        "scale 100 by job group": hr.get(
            reverse(
                "surveys:report:scale", kwargs={**kwargs, "unit_id": units["100"].pk, "scale_id": scale.pk}
            )
            + "?attribute=job_group",
            **EN,
        ),
        "employee's own unit": client_for(personas.employee).get(
            reverse("surveys:report:overview", kwargs={**kwargs, "unit_id": units["220"].pk}), **EN
        ),
        "employee's heatmap": client_for(personas.employee).get(
            reverse("surveys:report:heatmap", kwargs={**kwargs, "unit_id": units["100"].pk}), **EN
        ),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        text = text_of(response.content.decode())
        assert not re.search(r"\b75\b", text), f"{name} shows Skole B's hidden score"
    heatmap = pages["heatmap 100"].content.decode()
    assert "59" in text_of(heatmap)
    assert "50" in text_of(heatmap)
    row = re.search(r">Skole B</a></th>(.*?)</tr>", heatmap, re.S)
    assert row is not None
    assert "Hidden for anonymity" in row.group(1)
    assert not re.search(r"\d", text_of(row.group(1)))  # no n, no score, no "< 5"
    scale_page = text_of(pages["scale 220"].content.decode())
    assert "Hidden for anonymity" in scale_page
    # Skole B's comments are not a list of their own (fewer than the free-text threshold).
    comments = hr.get(reverse("surveys:report:comments", kwargs={**kwargs, "unit_id": units["220"].pk}), **EN)
    assert "Kommentar 22" not in comments.content.decode()
    assert "Hidden for anonymity" in comments.content.decode()


def test_organisation_comments_are_pooled(personas, computed):
    survey, _scale = computed
    kwargs = {"org_slug": "testby", "survey_id": survey.pk, "unit_id": personas.units["100"].pk}
    page = (
        client_for(personas.org_admin)
        .get(reverse("surveys:report:comments", kwargs=kwargs), **EN)
        .content.decode()
    )
    assert page.count("Kommentar ") == 16
    assert "Kommentar 2201" in page  # the employee's, among everyone's, without a unit
