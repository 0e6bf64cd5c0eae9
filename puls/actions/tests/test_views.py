"""The action-plan pages as each persona sees them."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from puls.actions.models import Action, FollowUp
from puls.actions.tests.conftest import client_for, make_action, med_person
from puls.core.models import AuditEntry
from puls.testing import Personas

pytestmark = pytest.mark.django_db


def url(name: str, **kwargs) -> str:
    return reverse(f"actions:{name}", kwargs={"org_slug": "testby", **kwargs})


@pytest.fixture
def actions(personas: Personas) -> dict[str, Action]:
    past = timezone.localdate() - timedelta(days=3)
    return {
        "210": make_action(personas, "210", "Faste mødetider", owner=personas.leader_person, deadline=past),
        "220": make_action(personas, "220", "Ny legeplads", owner=personas.employee_person),
        "310": make_action(personas, "310", "Bedre løft"),
    }


def titles(response) -> set[str]:
    return {a.title for a in response.context["actions"]}


def test_hr_sees_every_units_actions(personas, actions):
    response = client_for(personas.org_admin).get(url("action_list"))
    assert response.status_code == 200
    assert titles(response) == {"Faste mødetider", "Ny legeplads", "Bedre løft"}


def test_leader_sees_their_subtree_only(personas, actions):
    response = client_for(personas.leader).get(url("action_list"))
    assert titles(response) == {"Faste mødetider"}


def test_med_rep_sees_their_units(personas, actions):
    response = client_for(personas.med_rep).get(url("action_list"))
    assert titles(response) == {"Bedre løft"}


def test_employee_sees_only_actions_they_own(personas, actions):
    response = client_for(personas.employee).get(url("action_list"))
    assert response.status_code == 200
    assert titles(response) == {"Ny legeplads"}
    assert b"My actions" in response.content


def test_leader_gets_404_on_a_sibling_units_action(personas, actions):
    client = client_for(personas.leader)
    assert client.get(url("action_detail", action_id=actions["220"].pk)).status_code == 404
    assert client.get(url("action_edit", action_id=actions["220"].pk)).status_code == 404
    assert client.get(url("action_detail", action_id=actions["210"].pk)).status_code == 200


def test_other_organisation_gets_404(personas, actions):
    client = client_for(personas.outsider)
    assert client.get(url("action_detail", action_id=actions["210"].pk)).status_code == 404
    assert client.get(url("action_list")).status_code == 404
    andenby = reverse("actions:action_detail", kwargs={"org_slug": "andenby", "action_id": actions["210"].pk})
    assert client.get(andenby).status_code == 404


def test_filters_narrow_the_list(personas, actions):
    client = client_for(personas.org_admin)
    assert titles(client.get(url("action_list"), {"overdue": "on"})) == {"Faste mødetider"}
    assert titles(client.get(url("action_list"), {"without_owner": "on"})) == {"Bedre løft"}
    unit_200 = personas.units["200"].pk
    assert titles(client.get(url("action_list"), {"unit": unit_200})) == {"Faste mødetider", "Ny legeplads"}


def test_leader_creates_an_action_through_the_form(personas):
    client = client_for(personas.leader)
    unit = personas.units["210"]
    page = client.get(url("action_create"), {"unit": unit.pk})
    assert page.status_code == 200
    owner_choices = {str(choice[0]) for choice in page.context["form"].fields["owner"].choices}
    assert str(personas.leader_person.pk) in owner_choices
    assert str(personas.employee_person.pk) not in owner_choices  # employed in 220
    response = client.post(
        url("action_create"),
        {
            "unit": unit.pk,
            "title": "Pauser uden telefon",
            "problem": "Pauserne bliver afbrudt",
            "owner": personas.leader_person.pk,
            "deadline": "2031-03-01",
            "priority": "high",
            "status": "planned",
        },
    )
    action = Action.objects.get(title="Pauser uden telefon")
    assert response.status_code == 302
    assert response["Location"] == url("action_detail", action_id=action.pk)
    assert (action.unit, action.owner, action.priority) == (unit, personas.leader_person, "high")
    assert AuditEntry.objects.filter(action="actions.action_create", target_id=str(action.pk)).exists()


def test_leader_cannot_create_in_a_unit_outside_their_subtree(personas):
    client = client_for(personas.leader)
    assert client.get(url("action_create"), {"unit": personas.units["220"].pk}).status_code == 404
    response = client.post(url("action_create"), {"unit": personas.units["220"].pk, "title": "X"})
    assert response.status_code == 404
    assert not Action.objects.exists()


def test_employee_cannot_open_the_create_page(personas):
    assert client_for(personas.employee).get(url("action_create")).status_code == 403


def test_med_rep_edits_and_co_owns_their_units_action(personas, actions):
    client = client_for(personas.med_rep)
    action = actions["310"]
    response = client.post(
        url("action_edit", action_id=action.pk),
        {
            "title": action.title,
            "co_owner": med_person(personas).pk,
            "priority": "low",
            "status": "in_progress",
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.co_owner, action.status, action.priority) == (med_person(personas), "in_progress", "low")


def test_owner_without_role_writes_a_follow_up_but_cannot_edit(personas, actions):
    client = client_for(personas.employee)
    action = actions["220"]
    assert client.get(url("action_edit", action_id=action.pk)).status_code == 403
    page = client.get(url("action_detail", action_id=action.pk))
    assert page.status_code == 200
    assert b"Edit action" not in page.content
    response = client.post(
        url("action_detail", action_id=action.pk), {"text": "Tegningerne er klar", "status": "done"}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == Action.Status.DONE
    assert action.completed_on == timezone.localdate()
    assert FollowUp.objects.get(action=action).text == "Tegningerne er klar"


def test_empty_follow_up_is_refused_at_the_field(personas, actions):
    response = client_for(personas.org_admin).post(
        url("action_detail", action_id=actions["310"].pk), {"text": ""}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["text"]
    assert not FollowUp.objects.exists()


def test_dashboard_lists_overdue_and_ownerless_per_unit(personas, actions):
    response = client_for(personas.org_admin).get(url("action_dashboard"))
    board = response.context["board"]
    assert [a.title for a in board.overdue] == ["Faste mødetider"]
    assert [a.title for a in board.without_owner] == ["Bedre løft"]
    assert {row.unit.code: (row.overdue, row.without_owner) for row in board.rows} == {
        "210": (1, 0),
        "310": (0, 1),
    }


def test_med_reps_dashboard_shows_only_their_units(personas, actions):
    board = client_for(personas.med_rep).get(url("action_dashboard")).context["board"]
    assert board.overdue == []
    assert [a.title for a in board.without_owner] == ["Bedre løft"]


def test_dashboard_filter_by_unit(personas, actions):
    response = client_for(personas.org_admin).get(url("action_dashboard"), {"unit": personas.units["300"].pk})
    board = response.context["board"]
    assert board.overdue == []
    assert [a.title for a in board.without_owner] == ["Bedre løft"]


def test_employee_has_no_dashboard(personas, actions):
    assert client_for(personas.employee).get(url("action_dashboard")).status_code == 403


def test_xlsx_export_holds_the_visible_actions(personas, actions):
    response = client_for(personas.leader).get(url("export_xlsx"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][2] == "Title"
    assert [row[2] for row in rows[1:]] == ["Faste mødetider"]


def test_xlsx_export_follows_the_filters(personas, actions):
    response = client_for(personas.org_admin).get(url("export_xlsx"), {"without_owner": "on"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[2] for row in rows[1:]] == ["Bedre løft"]


def test_pdf_export(personas, actions):
    response = client_for(personas.org_admin).get(url("export_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
