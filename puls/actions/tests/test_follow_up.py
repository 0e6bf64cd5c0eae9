"""The follow-up rule on survey results against a real computed report (issue 7): each notably low
shown scale of a unit — 5 or more points worse than the organisation's, or below HR's level — has an
action or a recorded reason why not; a hidden result never appears (DESIGN §4.3).

The survey (k = 5, answered through the sealed submit, as closed_survey_build does it):

    100 Testby Kommune   HR does not answer                       support 52.5  demands 67.5
    ├── 200 Børn og Unge                                            support 51.9  demands 76.9 (worse)
    │   ├── 210 Skole A  6 answer support 25, demands 50            support 25 (low)
    │   └── 220 Skole B  7 answer support 75, demands 100           demands 100 (worse: high is bad)
    └── 300 Ældre        5 direct staff (stored with 100 at launch: below k invitees) support 75
        └── 310 Plejecenter  5 invited, 2 answer support 0 → hidden (n = 2 < k), and so is 300
"""

import copy
import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from puls.actions.models import Action, FollowUpSettings, NoActionReason
from puls.actions.selectors_follow_up import low_results
from puls.actions.tests.conftest import client_for
from puls.organisations.models import Person
from puls.organisations.scoping import access_build
from puls.surveys import services as survey_services
from puls.surveys.models import Item, Questionnaire, Scale, Survey
from puls.surveys.reports.selectors import report_get, scale_result_shown
from puls.surveys.reports.tests.closed_survey import closed_survey_build
from puls.testing import Personas, build_personas, data_for_module, make_person, settings_for_tests

pytestmark = pytest.mark.django_db

# Likert option index → points: 0 → 100, 1 → 75, 2 → 50, 3 → 25, 4 → 0.
ANSWERS = {"210": (3, 2), "220": (1, 0), "300": (1, 2), "310": (4, 2)}  # (support, demands)


def _bank() -> io.BytesIO:
    scales = [
        {"code": "support", "domain": "relations", "name_da": "Støtte", "name_en": "Support"},
        {
            "code": "demands",
            "domain": "relations",
            "name_da": "Krav",
            "name_en": "Demands",
            "higher_is_better": False,
        },
    ]
    items = [
        {"code": f"{scale}{n}", "scale": scale, "text_da": f"{scale} {n}", "text_en": f"{scale} {n}"}
        for scale in ("support", "demands")
        for n in (1, 2)
    ]
    return io.BytesIO(
        json.dumps(
            {
                "format": "puls-itembank/1",
                "code": "followup",
                "name": "Bank",
                "domains": [{"code": "relations", "name_da": "Relationer", "name_en": "Relations"}],
                "scales": scales,
                "items": items,
            }
        ).encode()
    )


def computed_build(personas: Personas) -> dict[str, Any]:
    org, units = personas.org, personas.units
    for n in range(2):
        make_person(org, units["210"], f"212{n}", "Bo", f"Skole{n}")
    for n in range(6):
        make_person(org, units["220"], f"222{n}", "Bent", f"Skole{n}")
    for n in range(5):
        make_person(org, units["300"], f"300{n}", "Ida", f"Ældre{n}")
    silent = {make_person(org, units["310"], f"312{n}", "Tove", f"Pleje{n}").pk for n in range(3)}
    silent.add(Person.objects.get(organisation=org, employee_number="1001").pk)  # HR
    bank = survey_services.item_bank_import(
        actor=personas.org_admin, organisation=org, stream=_bank(), file_name="bank.json"
    )
    unit_of = {
        person.pk: person.employments.get().unit.code
        for person in Person.objects.filter(organisation=org).prefetch_related("employments__unit")
    }

    def answers(position: int, person: Person, items: list[Item]) -> dict[str, Any]:
        support, demands = ANSWERS[unit_of[person.pk]]
        return {
            item.id.hex: support if item.code.startswith("support") else demands
            for item in items
            if item.kind == Item.Kind.LIKERT
        }

    survey = closed_survey_build(
        organisation=org,
        admin=personas.org_admin,
        questionnaire=Questionnaire.objects.get(organisation=org),
        attributes=(),
        answers=answers,
        answering=lambda person: person.pk not in silent,
    )
    return {
        "survey": survey,
        "support": Scale.objects.get(bank=bank, code="support"),
        "demands": Scale.objects.get(bank=bank, code="demands"),
    }


@pytest.fixture(scope="module")
def _module_computed(
    django_db_setup, django_db_blocker, tmp_path_factory
) -> Iterator[tuple[Personas, dict[str, Any]]]:
    """The personas and the computed survey, built once for the module (as the tests ask in English)."""
    with data_for_module(django_db_blocker):
        media_root = tmp_path_factory.mktemp("follow-up-media")
        with override_settings(**settings_for_tests(media_root)), translation.override("en"):
            personas = build_personas()
            built = (personas, computed_build(personas))
        yield built


@pytest.fixture
def _computed_copy(_module_computed, db) -> tuple[Personas, dict[str, Any]]:
    # A fresh copy per test, as setUpTestData gives (each test's rows are rolled back after it).
    return copy.deepcopy(_module_computed)


@pytest.fixture
def personas(_computed_copy) -> Personas:
    return _computed_copy[0]


@pytest.fixture
def computed(_computed_copy) -> dict[str, Any]:
    return _computed_copy[1]


def _page(survey: Survey, slug: str = "testby") -> str:
    return reverse("actions:follow_up", kwargs={"org_slug": slug, "survey_id": survey.pk})


def _items(personas: Personas, user: Any, survey: Survey) -> set[tuple[str, str, str]]:
    access = access_build(user=user, organisation=personas.org)
    assert access is not None
    report = report_get(access=access, survey_id=survey.pk)
    return {
        (item.unit.code, item.scale.code, item.status)
        for item in low_results(access=access, report=report).items
    }


def test_the_low_shown_results_are_listed_as_missing(personas: Personas, computed):
    survey = computed["survey"]
    assert _items(personas, personas.org_admin, survey) == {
        ("210", "support", "missing"),  # 25 against 52.5
        ("220", "demands", "missing"),  # 100 against 67.5: high is bad
        ("200", "demands", "missing"),  # 76.9 against 67.5
    }
    response = client_for(personas.org_admin).get(_page(survey))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Skole A" in content
    assert "Create action" in content
    assert "Record reason why not" in content
    create = reverse("actions:action_create", kwargs={"org_slug": "testby"})
    query = f"?unit={personas.units['210'].pk}&amp;survey={survey.pk}&amp;scale={computed['support'].pk}"
    assert create + query in content


def test_a_hidden_result_never_appears_however_low(personas: Personas, computed):
    survey, support = computed["survey"], computed["support"]
    pleje = personas.units["310"]  # its 2 answers give support 0, but n = 2 < k
    assert not scale_result_shown(survey_id=survey.pk, unit_id=pleje.pk, scale_id=support.pk)
    assert not scale_result_shown(survey_id=survey.pk, unit_id=personas.units["300"].pk, scale_id=support.pk)
    FollowUpSettings.objects.create(organisation=personas.org, low_score_level=100)
    units = {unit for unit, _scale, _status in _items(personas, personas.org_admin, survey)}
    assert units == {"100", "200", "210", "220"}  # every shown unit is below 100, no hidden one
    hr = client_for(personas.org_admin)
    content = hr.get(_page(survey)).content.decode()
    assert "Plejecenter" not in content
    assert "Ældre" not in content
    # Nor can a reason be recorded for it.
    response = hr.post(
        reverse("actions:follow_up_reason", kwargs={"org_slug": "testby", "survey_id": survey.pk}),
        {"unit": pleje.pk, "scale": support.pk, "reason": "Nej"},
    )
    assert response.status_code == 404
    assert not NoActionReason.objects.exists()


def test_an_action_created_from_the_result_covers_it(personas: Personas, computed):
    survey, support = computed["survey"], computed["support"]
    skole_a = personas.units["210"]
    leader = client_for(personas.leader)
    create = reverse("actions:action_create", kwargs={"org_slug": "testby"})
    response = leader.post(
        create,
        {
            # The form carries the result as the "Create action" link gave it.
            "unit": skole_a.pk,
            "survey": survey.pk,
            "scale": support.pk,
            "title": "Mere støtte fra ledelsen",
            "priority": "medium",
            "status": "planned",
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert _items(personas, personas.leader, survey) == {("210", "support", "action")}
    content = leader.get(_page(survey)).content.decode()
    assert "Mere støtte fra ledelsen" in content
    # A cancelled action no longer covers it.
    Action.objects.update(status=Action.Status.CANCELLED)
    assert _items(personas, personas.leader, survey) == {("210", "support", "missing")}


def test_recording_a_reason_covers_the_result_and_errors_show_at_the_field(personas: Personas, computed):
    survey, demands = computed["survey"], computed["demands"]
    skole_b = personas.units["220"]
    hr = client_for(personas.org_admin)
    url = reverse("actions:follow_up_reason", kwargs={"org_slug": "testby", "survey_id": survey.pk})
    assert hr.get(url).status_code == 405
    empty = hr.post(url, {"unit": skole_b.pk, "scale": demands.pk, "reason": "  "})
    assert empty.status_code == 200
    content = empty.content.decode()
    assert "Write why this result gets no action." in content
    assert 'aria-invalid="true"' in content
    assert "form-error" in content
    assert not NoActionReason.objects.exists()

    saved = hr.post(url, {"unit": skole_b.pk, "scale": demands.pk, "reason": "Eksamensperiode i marts"})
    assert saved.status_code == 302
    assert saved["Location"].startswith(_page(survey))
    reason = NoActionReason.objects.get()
    assert (reason.unit, reason.scale_id, reason.recorded_by) == (skole_b, demands.pk, personas.org_admin)
    assert ("220", "demands", "reason") in _items(personas, personas.org_admin, survey)
    assert "Eksamensperiode i marts" in hr.get(_page(survey)).content.decode()


def test_the_hr_level_adds_results(personas: Personas, computed):
    survey = computed["survey"]
    hr = client_for(personas.org_admin)
    url = reverse("actions:follow_up_level", kwargs={"org_slug": "testby", "survey_id": survey.pk})
    wrong = hr.post(url, {"low_score_level": "120"})
    assert wrong.status_code == 200
    assert "form-error" in wrong.content.decode()
    assert hr.post(url, {"low_score_level": "55"}).status_code == 302
    assert FollowUpSettings.objects.get(organisation=personas.org).low_score_level == 55
    assert _items(personas, personas.org_admin, survey) == {
        ("210", "support", "missing"),
        ("220", "demands", "missing"),
        ("200", "demands", "missing"),
        # Below 55 on a scale where high is good; the demands scale is judged against the
        # organisation only.
        ("100", "support", "missing"),  # 52.5
        ("200", "support", "missing"),  # 51.9
    }
    # Only HR sets the level.
    assert client_for(personas.leader).post(url, {"low_score_level": "10"}).status_code == 403
    assert hr.post(url, {"low_score_level": ""}).status_code == 302
    assert FollowUpSettings.objects.get(organisation=personas.org).low_score_level is None


def test_a_leader_sees_only_their_subtree_and_employees_are_refused(personas: Personas, computed):
    survey = computed["survey"]
    assert _items(personas, personas.leader, survey) == {("210", "support", "missing")}
    content = client_for(personas.leader).get(_page(survey)).content.decode()
    assert "Skole A" in content
    assert "Skole B" not in content
    assert "Level set by HR" not in content  # the level form is HR's
    assert _items(personas, personas.med_rep, survey) == set()  # Ældre's results are hidden
    assert client_for(personas.employee).get(_page(survey)).status_code == 403
    # A leader cannot record a reason for a unit outside their subtree.
    response = client_for(personas.leader).post(
        reverse("actions:follow_up_reason", kwargs={"org_slug": "testby", "survey_id": survey.pk}),
        {"unit": personas.units["220"].pk, "scale": computed["demands"].pk, "reason": "Ikke min enhed"},
    )
    assert response.status_code == 404


def test_not_released_to_leaders_yet_is_404(personas: Personas, computed):
    survey = computed["survey"]
    Survey.objects.filter(pk=survey.pk).update(release_leaders_at=None, release_everyone_at=None)
    assert client_for(personas.leader).get(_page(survey)).status_code == 404
    assert client_for(personas.org_admin).get(_page(survey)).status_code == 200


def test_another_organisations_survey_is_404(personas: Personas, computed):
    survey = computed["survey"]
    # Testby's survey under Andenby's address, for Andenby's HR; and Andenby's pages for Testby's HR.
    assert client_for(personas.outsider).get(_page(survey, "andenby")).status_code == 404
    assert client_for(personas.org_admin).get(_page(survey, "andenby")).status_code == 404
    reason_url = reverse("actions:follow_up_reason", kwargs={"org_slug": "andenby", "survey_id": survey.pk})
    data = {"unit": personas.units["210"].pk, "scale": computed["support"].pk, "reason": "x"}
    assert client_for(personas.outsider).post(reason_url, data).status_code == 404
    assert not NoActionReason.objects.exists()


def test_the_report_overview_shows_the_summary(personas: Personas, computed):
    survey = computed["survey"]
    hr = client_for(personas.org_admin)
    start = reverse("surveys:report:start", kwargs={"org_slug": "testby", "survey_id": survey.pk})
    content = " ".join(hr.get(start).content.decode().split())
    assert (
        "3 notably low results in this unit's area: 0 with an action, 0 with a reason, 3 missing" in content
    )
    assert _page(survey) in content
    NoActionReason.objects.create(
        organisation=personas.org,
        survey=survey,
        unit=personas.units["220"],
        scale=computed["demands"],
        reason="Eksamensperiode",
    )
    overview = reverse(
        "surveys:report:overview",
        kwargs={"org_slug": "testby", "survey_id": survey.pk, "unit_id": personas.units["200"].pk},
    )
    content = " ".join(hr.get(overview).content.decode().split())
    assert (
        "3 notably low results in this unit's area: 0 with an action, 1 with a reason, 2 missing" in content
    )
    leader = client_for(personas.leader)
    content = " ".join(leader.get(start).content.decode().split())
    assert "1 notably low result in this unit's area: 0 with an action, 0 with a reason, 1 missing" in content
    # Employees do not work with action plans: no panel.
    employee = client_for(personas.employee)
    assert "notably low" not in employee.get(start).content.decode()
