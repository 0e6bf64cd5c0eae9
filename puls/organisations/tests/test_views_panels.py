"""HR's standing employee panels: members set by pasting employee numbers, every unknown number
reported with its line and nothing saved, the panels listed with counts; organisation-scoped."""

from datetime import date

import pytest
from django.urls import reverse

from puls.core.models import AuditEntry
from puls.organisations import services
from puls.organisations.models import EmployeePanel, Employment, Person

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr_client(client, settings, personas):
    settings.LANGUAGE_CODE = "en"
    client.force_login(personas.org_admin, backend=MODEL_BACKEND)
    return client


def url(name, **kwargs):
    return reverse(f"organisations:{name}", kwargs={"org_slug": "testby", **kwargs})


def members(panel: EmployeePanel) -> list[str]:
    return sorted(panel.members.values_list("employee_number", flat=True))


def test_hr_creates_a_panel_by_pasting_employee_numbers(personas, hr_client):
    response = hr_client.post(
        url("panel_create"),
        {"name": "Medarbejderpanelet", "numbers": "2201\r\n\r\n  2110 \r\n3101\r\n2201\r\n"},
    )
    assert response.status_code == 302
    panel = EmployeePanel.objects.get(organisation=personas.org)
    assert (panel.name, members(panel)) == ("Medarbejderpanelet", ["2110", "2201", "3101"])
    page = hr_client.get(response["Location"]).content.decode()
    assert "The panel “Medarbejderpanelet” was saved with 3 members." in page
    assert "Medarbejderpanelet" in page
    entry = AuditEntry.objects.get(action="panel.create", target_id=str(panel.pk))
    assert entry.data == {"members": 3}
    assert "2201" not in f"{entry.summary} {entry.data}"  # no employee numbers in the audit log


def test_every_unknown_number_is_reported_with_its_line_and_nothing_is_saved(personas, hr_client):
    panel = services.panel_save(
        actor=personas.org_admin, organisation=personas.org, name="Panel", numbers="2201\n2110"
    )
    anonymised = Person.objects.get(organisation=personas.org, employee_number="3102")
    anonymised.anonymised_at = anonymised.created_at
    anonymised.save()
    numbers = "3101\n9001\n\n12345\n3102\n2101"  # Otto 9001 is Andenby's; 3102 is anonymised
    response = hr_client.post(url("panel_edit", panel_id=panel.pk), {"name": "Nyt navn", "numbers": numbers})
    assert response.status_code == 200
    errors = response.context["form"].errors["numbers"]
    assert errors == [
        "Line 2: Testby Kommune has no person with the employee number “9001”.",
        "Line 4: Testby Kommune has no person with the employee number “12345”.",
        "Line 5: Testby Kommune has no person with the employee number “3102”.",
    ]
    page = response.content.decode()
    assert "Line 4: Testby Kommune has no person with the employee number “12345”." in page
    assert "There is a problem" in page
    panel.refresh_from_db()
    assert (panel.name, members(panel)) == ("Panel", ["2110", "2201"])
    assert not AuditEntry.objects.filter(action="panel.update").exists()


def test_the_edit_page_shows_the_members_and_a_new_list_replaces_them(personas, hr_client):
    panel = services.panel_save(
        actor=personas.org_admin, organisation=personas.org, name="Panel", numbers="2201\n2110"
    )
    page = hr_client.get(url("panel_edit", panel_id=panel.pk))
    assert page.context["form"].initial["numbers"] == "2110\n2201"
    assert "The panel has 2 members." in page.content.decode()
    response = hr_client.post(url("panel_edit", panel_id=panel.pk), {"name": "Panel", "numbers": "3101"})
    assert response.status_code == 302
    assert members(panel) == ["3101"]
    assert AuditEntry.objects.get(action="panel.update").data == {"members": 1}


def test_the_list_counts_members_and_those_employed_today(personas, hr_client):
    services.panel_save(
        actor=personas.org_admin, organisation=personas.org, name="Panel", numbers="2201\n2110\n3101"
    )
    Employment.objects.filter(person__employee_number="3101", person__organisation=personas.org).update(
        end_date=date(2020, 1, 1)
    )
    panel = hr_client.get(url("panel_list")).context["panels"].get()
    assert (panel.member_count, panel.employed_count) == (3, 2)
    page = hr_client.get(url("panel_list")).content.decode()
    assert "<caption" in page
    assert "Employed today" in page


def test_a_panel_name_is_unique_in_the_organisation(personas, hr_client):
    services.panel_save(actor=personas.org_admin, organisation=personas.org, name="Panel", numbers="")
    services.panel_save(actor=personas.outsider, organisation=personas.other_org, name="Andet", numbers="")
    response = hr_client.post(url("panel_create"), {"name": "Panel", "numbers": "2201"})
    assert response.context["form"].errors["name"] == ["Another panel has this name."]
    # Another organisation's panel name is free.
    assert hr_client.post(url("panel_create"), {"name": "Andet", "numbers": ""}).status_code == 302


def test_panels_are_hr_only_and_organisation_scoped(personas, client):
    other = services.panel_save(
        actor=personas.outsider, organisation=personas.other_org, name="Andenbys panel", numbers="9001"
    )
    client.force_login(personas.leader, backend=MODEL_BACKEND)
    assert client.get(url("panel_list")).status_code == 403
    assert client.post(url("panel_create"), {"name": "x", "numbers": "2201"}).status_code == 403
    client.force_login(personas.org_admin, backend=MODEL_BACKEND)
    assert client.get(url("panel_edit", panel_id=other.pk)).status_code == 404
    assert client.post(url("panel_edit", panel_id=other.pk), {"name": "x", "numbers": ""}).status_code == 404
    assert members(other) == ["9001"]
    assert "Andenbys panel" not in client.get(url("panel_list")).content.decode()


def test_an_anonymised_person_leaves_the_panel(personas):
    panel = services.panel_save(
        actor=personas.org_admin, organisation=personas.org, name="Panel", numbers="3102\n2201"
    )
    Employment.objects.filter(person__employee_number="3102").update(end_date=date(2015, 6, 1))
    assert services.people_anonymise_expired() == 1
    assert members(panel) == ["2201"]
