"""Every page of the actions app renders for HR with data in it, in both languages."""

import uuid
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from puls.actions import services
from puls.actions.models import Action
from puls.actions.tests.conftest import MODEL_BACKEND, client_for, make_action
from puls.testing import Personas

pytestmark = pytest.mark.django_db


def url(name: str, **kwargs) -> str:
    return reverse(f"actions:{name}", kwargs={"org_slug": "testby", **kwargs})


@pytest.fixture
def filled(personas: Personas):
    action = make_action(
        personas,
        "210",
        owner=personas.leader_person,
        deadline=timezone.localdate() - timedelta(days=2),
        evaluation_method="Næste måling",
    )
    services.follow_up_add(actor=personas.leader, action=action, text="Godt i gang", status="in_progress")
    cycle = services.apv_cycle_start(
        actor=None, organisation=personas.org, unit=personas.units["310"], title="APV 2027"
    )
    services.apv_finding_add(actor=None, cycle=cycle, title="Tunge løft", risk="high")
    return {"action": action, "cycle": cycle}


@pytest.mark.parametrize("language", ["da", "en"])
def test_every_page_renders(personas: Personas, filled, language: str):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(personas.org_admin, backend=MODEL_BACKEND)
    action, cycle = filled["action"], filled["cycle"]
    pages = [
        url("action_list"),
        url("action_list") + f"?unit={personas.units['200'].pk}&status=open&overdue=on",
        url("action_create"),
        url("action_create") + f"?unit={personas.units['210'].pk}",
        url("action_detail", action_id=action.pk),
        url("action_edit", action_id=action.pk),
        url("action_dashboard"),
        url("action_dashboard") + "?show_all=on",
        url("apv_overview"),
        url("apv_overview") + "?show_all=on",
        url("apv_start"),
        url("apv_detail", cycle_id=cycle.pk),
        url("discussion_record"),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert b"<h1>" in response.content, page


def test_action_page_shows_plan_follow_ups_and_source(personas: Personas, filled):
    response = client_for(personas.org_admin).get(url("action_detail", action_id=filled["action"].pk))
    content = response.content.decode()
    assert "Godt i gang" in content
    assert "Overdue" in content
    assert "Næste måling" in content


def test_an_action_made_from_a_finding_names_its_source(personas: Personas, filled):
    finding = filled["cycle"].findings.get()
    action = services.action_create_from_finding(actor=None, finding=finding)
    response = client_for(personas.org_admin).get(url("action_detail", action_id=action.pk))
    assert "APV finding" in response.content.decode()


def test_a_hidden_survey_result_is_refused_on_the_page(personas: Personas, monkeypatch):
    monkeypatch.setattr(services, "_survey_result_shown", lambda **kwargs: False)
    params = {"unit": personas.units["210"].pk, "survey": uuid.uuid4(), "scale": uuid.uuid4()}
    client = client_for(personas.leader)
    page = client.get(url("action_create"), params)
    assert page.status_code == 200
    assert "hidden to protect anonymity" in page.content.decode()
    assert b'name="title"' not in page.content
    client.post(url("action_create"), {**params, "title": "X", "priority": "medium", "status": "planned"})
    assert not Action.objects.exists()


def test_unknown_ids_are_404(personas: Personas):
    client = client_for(personas.org_admin)
    assert client.get(url("action_detail", action_id=uuid.uuid4())).status_code == 404
    assert client.get(url("apv_detail", cycle_id=uuid.uuid4())).status_code == 404
    assert client.get(url("action_create"), {"unit": "not-a-uuid"}).status_code == 404
    assert client.get(url("action_create"), {"finding": uuid.uuid4()}).status_code == 404


def _summary(user, org) -> str:
    from django.template import Context, Template
    from django.utils import translation

    from puls.organisations.scoping import access_build

    with translation.override("en"):
        return Template("{% load actions_tags %}{% actions_summary %}").render(
            Context({"access": access_build(user=user, organisation=org)})
        )


def test_overview_summary_for_hr_and_for_an_owner(personas: Personas, filled):
    hr = _summary(personas.org_admin, personas.org)
    assert "Overdue actions" in hr
    make_action(personas, "220", "Ny legeplads", owner=personas.employee_person)
    employee = _summary(personas.employee, personas.org)
    assert "You own 1 unfinished action" in employee
    assert "Overdue actions" not in employee
    assert _summary(personas.med_rep, personas.org).count("<dd>") == 2
