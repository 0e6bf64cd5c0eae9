"""Which unit a report opens on: the viewer's own unit (HR: the organisation), also once the results
are released to everyone and a leader may see the organisation too; the unit picker still offers
everything the viewer may see."""

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from puls.core.models import User
from puls.organisations import services as org_services
from puls.organisations.models import Role
from puls.organisations.scoping import access_build
from puls.surveys.models import Survey
from puls.surveys.reports import selectors
from puls.surveys.reports.tests.report_setup import StoredReport, bank_build, stored_report
from puls.testing import Personas

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
EN: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def stored(personas: Personas) -> StoredReport:
    """A report released to leaders and to everyone, with a shown trust result for every unit."""
    report = stored_report(personas.org, bank_build(organisation=personas.org))
    for unit in personas.units.values():
        report.scale_row(unit, "trust", n=9, mean=50.0)
    return report


def default_code(personas: Personas, user: User, stored: StoredReport) -> str:
    access = access_build(user=user, organisation=personas.org)
    assert access is not None
    report = selectors.report_get(access=access, survey_id=stored.survey.pk)
    return selectors.report_default_unit(access=access, report=report).code


def start_page(user: User, stored: StoredReport) -> str:
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    response = client.get(
        reverse(
            "surveys:report:start",
            kwargs={"org_slug": stored.survey.organisation.slug, "survey_id": stored.survey.pk},
        ),
        **EN,
    )
    assert response.status_code == 200
    return response.content.decode()


def picker_units(page: str) -> list[str]:
    """The unit names the page's unit picker offers."""
    select = re.search(r'<select[^>]*id="report-unit".*?</select>', page, flags=re.S)
    assert select is not None
    return [name.strip("\u2003 ") for name in re.findall(r"<option[^>]*>([^<]*)</option>", select.group(0))]


def test_hr_opens_on_the_organisation(personas, stored):
    assert default_code(personas, personas.org_admin, stored) == "100"
    assert "Overview: Testby Kommune" in start_page(personas.org_admin, stored)


def test_a_leader_opens_on_their_unit_after_the_release_to_everyone_and_can_go_to_the_organisation(
    personas, stored
):
    assert default_code(personas, personas.leader, stored) == "210"
    page = start_page(personas.leader, stored)
    assert "Overview: Skole A" in page
    # Everything the leader may see is still one choice away: the organisation and their subtree.
    assert picker_units(page) == ["Testby Kommune", "Skole A"]


def test_a_leader_opens_on_their_unit_before_the_release_to_everyone(personas, stored):
    Survey.objects.filter(pk=stored.survey.pk).update(release_everyone_at=None)
    assert default_code(personas, personas.leader, stored) == "210"


def test_a_leader_of_several_units_opens_on_the_highest(personas, stored):
    units = personas.units
    org_services.role_assign(
        actor=None, person=personas.leader_person, role=Role.UNIT_LEADER, units=[units["310"], units["200"]]
    )
    # Led: Skole A (210), Plejecenter (310), Børn og Unge (200): 200 is the highest.
    assert default_code(personas, personas.leader, stored) == "200"
    assert "Overview: Børn og Unge" in start_page(personas.leader, stored)


def test_a_leader_of_units_at_the_same_level_opens_on_the_first_in_tree_order(personas, stored):
    units = personas.units
    org_services.role_assign(
        actor=None, person=personas.leader_person, role=Role.UNIT_LEADER, units=[units["310"]]
    )
    assert default_code(personas, personas.leader, stored) == "210"  # 210 before 310


def test_a_leader_who_also_represents_a_unit_opens_on_the_unit_they_lead(personas, stored):
    org_services.role_assign(
        actor=None, person=personas.leader_person, role=Role.MED_REP, units=[personas.units["300"]]
    )
    assert default_code(personas, personas.leader, stored) == "210"


def test_a_med_rep_opens_on_the_represented_unit(personas, stored):
    # Mette is employed in Plejecenter (310) and represents Ældre (300).
    assert default_code(personas, personas.med_rep, stored) == "300"
    page = start_page(personas.med_rep, stored)
    assert "Overview: Ældre" in page
    assert picker_units(page) == ["Testby Kommune", "Ældre", "Plejecenter"]
    Survey.objects.filter(pk=stored.survey.pk).update(release_everyone_at=None)
    assert default_code(personas, personas.med_rep, stored) == "300"


def test_an_employee_opens_on_their_own_unit(personas, stored):
    assert default_code(personas, personas.employee, stored) == "220"
    page = start_page(personas.employee, stored)
    assert "Overview: Skole B" in page
    assert picker_units(page) == ["Testby Kommune", "Skole B"]


def test_a_viewer_whose_own_unit_has_no_result_opens_on_what_they_see(personas, stored):
    """An employee moved to a unit created after the survey: that unit has no results, so the
    report opens on the organisation, the one unit they see."""
    new_unit = org_services.unit_create(
        organisation=personas.org, code="230", name="Skole C", parent=personas.units["200"]
    )
    personas.employee_person.employments.update(unit=new_unit)
    assert default_code(personas, personas.employee, stored) == "100"
