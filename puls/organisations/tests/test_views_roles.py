"""HR assigns and removes roles; every change is audited and limited to the organisation."""

import pytest
from django.urls import reverse

from puls.core.models import AuditEntry
from puls.organisations.models import Role, RoleAssignment

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def hr_client(client, settings, personas):
    settings.LANGUAGE_CODE = "en"
    client.force_login(personas.org_admin, backend=MODEL_BACKEND)
    return client


def url(name, **kwargs):
    return reverse(f"organisations:{name}", kwargs={"org_slug": "testby", **kwargs})


def test_role_list_groups_assignments_by_role_with_units_and_source(personas, hr_client):
    RoleAssignment.objects.filter(person=personas.leader_person).update(from_import=True)
    html = hr_client.get(url("role_list")).content.decode()
    assert "Organisation administrator (HR)" in html
    assert "Hanne Hansen" in html
    assert "Unit leader" in html
    assert "210 Skole A" in html
    assert "MED/AMO representative" in html
    assert "300 Ældre" in html
    assert "Import" in html
    assert "Assigned here" in html
    assert "Otto Udenfor" not in html


def test_assign_a_unit_leader_role_creates_it_and_audits(personas, hr_client):
    response = hr_client.post(
        url("role_assign"),
        {"employee_number": "2201", "role": Role.UNIT_LEADER, "units": [str(personas.units["220"].pk)]},
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(person=personas.employee_person, role=Role.UNIT_LEADER)
    assert list(assignment.units.all()) == [personas.units["220"]]
    entry = AuditEntry.objects.get(action="role.assign", target_id=str(assignment.pk))
    assert entry.actor == personas.org_admin
    assert entry.organisation == personas.org
    assert "Erik Ansat now has the role Unit leader." in hr_client.get(response["Location"]).content.decode()


def test_assign_a_whole_organisation_role_without_units(personas, hr_client):
    response = hr_client.post(url("role_assign"), {"employee_number": "2201", "role": Role.FACILITATOR})
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(person=personas.employee_person, role=Role.FACILITATOR).exists()


def field_error(html: str, field: str) -> bool:
    return f'id="id_{field}-error"' in html


def test_a_leader_role_without_units_is_rejected_at_the_units_field(personas, hr_client):
    response = hr_client.post(url("role_assign"), {"employee_number": "2201", "role": Role.UNIT_LEADER})
    html = response.content.decode()
    assert response.status_code == 200
    assert field_error(html, "units")
    assert "Choose at least one unit for this role." in html
    assert not RoleAssignment.objects.filter(person=personas.employee_person).exists()


def test_units_of_another_organisation_are_rejected_at_the_units_field(personas, hr_client):
    audit_before = AuditEntry.objects.count()
    response = hr_client.post(
        url("role_assign"),
        {"employee_number": "2201", "role": Role.MED_REP, "units": [str(personas.other_unit.pk)]},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert field_error(html, "units")
    assert not RoleAssignment.objects.filter(person=personas.employee_person).exists()
    assert AuditEntry.objects.count() == audit_before


def test_a_person_of_another_organisation_is_rejected_at_the_person_field(personas, hr_client):
    response = hr_client.post(url("role_assign"), {"employee_number": "9001", "role": Role.FACILITATOR})
    html = response.content.decode()
    assert field_error(html, "employee_number")
    assert "Testby Kommune has no person with this employee number." in html
    assert not RoleAssignment.objects.filter(person=personas.outsider_person, role=Role.FACILITATOR).exists()


def test_units_given_for_a_whole_organisation_role_are_an_error(personas, hr_client):
    response = hr_client.post(
        url("role_assign"),
        {"employee_number": "2201", "role": Role.ORG_ADMIN, "units": [str(personas.units["220"].pk)]},
    )
    assert field_error(response.content.decode(), "units")
    assert not RoleAssignment.objects.filter(person=personas.employee_person).exists()


def test_assign_form_is_prefilled_from_the_person_page_link(personas, hr_client):
    html = hr_client.get(url("role_assign"), {"person": str(personas.employee_person.pk)}).content.decode()
    assert 'name="employee_number" value="2201"' in html
    # Another organisation's person is not prefilled.
    html = hr_client.get(url("role_assign"), {"person": str(personas.outsider_person.pk)}).content.decode()
    assert "9001" not in html


def test_remove_asks_for_confirmation_then_removes_and_audits(personas, hr_client):
    assignment = RoleAssignment.objects.get(person=personas.leader_person)
    remove_url = url("role_remove", assignment_id=assignment.pk)

    confirm = hr_client.get(remove_url).content.decode()
    assert "Do you want to remove the role <strong>Unit leader</strong> from Lea Leder" in confirm
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()

    response = hr_client.post(remove_url)
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert AuditEntry.objects.filter(action="role.remove", target_id=str(assignment.pk)).exists()


def test_the_last_hr_administrator_cannot_be_removed(personas, hr_client):
    assignment = RoleAssignment.objects.get(organisation=personas.org, role=Role.ORG_ADMIN)
    response = hr_client.post(url("role_remove", assignment_id=assignment.pk))
    assert response.status_code == 409
    assert "only HR administrator" in response.content.decode()
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_another_organisations_assignment_is_not_found(personas, hr_client):
    other = RoleAssignment.objects.get(person=personas.outsider_person)
    assert hr_client.get(url("role_remove", assignment_id=other.pk)).status_code == 404
    assert hr_client.post(url("role_remove", assignment_id=other.pk)).status_code == 404
    assert RoleAssignment.objects.filter(pk=other.pk).exists()


@pytest.mark.parametrize("persona", ["leader", "med_rep", "employee"])
def test_only_hr_manages_roles(personas, client, persona):
    client.force_login(getattr(personas, persona), backend=MODEL_BACKEND)
    assignment = RoleAssignment.objects.get(person=personas.leader_person)
    assert client.get(url("role_list")).status_code == 403
    assert client.get(url("role_assign")).status_code == 403
    response = client.post(url("role_assign"), {"employee_number": "2201", "role": Role.ORG_ADMIN})
    assert response.status_code == 403
    assert client.post(url("role_remove", assignment_id=assignment.pk)).status_code == 403
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert not RoleAssignment.objects.filter(person=personas.employee_person).exists()


def test_outsider_does_not_find_the_role_pages(personas, client):
    client.force_login(personas.outsider, backend=MODEL_BACKEND)
    assert client.get(url("role_list")).status_code == 404
    assert client.get(url("role_assign")).status_code == 404
