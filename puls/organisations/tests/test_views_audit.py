"""HR reads the organisation's audit log; nobody else does."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from puls.core.audit import audit_record
from puls.organisations import services
from puls.organisations.models import Role

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def audit_url(org_slug="testby"):
    return reverse("organisations:audit_log", kwargs={"org_slug": org_slug})


@pytest.fixture
def hr_client(client, settings, personas):
    settings.LANGUAGE_CODE = "en"
    client.force_login(personas.org_admin, backend=MODEL_BACKEND)
    return client


def test_audit_log_lists_the_organisations_entries_newest_first_with_actor(personas, hr_client):
    services.role_assign(
        actor=personas.org_admin, person=personas.employee_person, role=Role.FACILITATOR, units=[]
    )
    audit_record(
        actor=personas.outsider, action="role.assign", organisation=personas.other_org, summary="andenby-only"
    )

    html = hr_client.get(audit_url()).content.decode()
    rows = re.findall(r"<tr>.*?</tr>", html.split("<tbody>")[1], re.DOTALL)
    newest = rows[0]
    assert "Hanne Hansen" in newest
    assert "Role assigned" in newest
    assert "Facilitator" in newest
    assert "Erik Ansat" in newest  # named from the person record, not from the log
    # Older entries from the personas' set-up, by the system, follow.
    assert "Organisation created" in rows[-1]
    assert "System" in rows[-1]
    assert "andenby-only" not in html


def test_audit_log_is_paginated(personas, hr_client):
    for i in range(60):
        audit_record(actor=None, action="unit.move", organisation=personas.org, summary=f"move {i}")
    first = hr_client.get(audit_url()).content.decode()
    assert "Page 1 of 2" in first
    assert "move 59" in first
    assert "move 0<" not in first
    second = hr_client.get(audit_url(), {"page": 2}).content.decode()
    assert "Page 2 of 2" in second


def test_audit_log_has_no_forms_to_change_it(personas, hr_client):
    main = hr_client.get(audit_url()).content.decode().split("<main")[1]
    assert 'method="post"' not in main


@pytest.mark.parametrize("persona", ["leader", "med_rep", "employee"])
def test_audit_log_is_for_hr_only(personas, client, persona):
    client.force_login(getattr(personas, persona), backend=MODEL_BACKEND)
    assert client.get(audit_url()).status_code == 403


def test_outsider_does_not_find_the_audit_log(personas, client):
    client.force_login(personas.outsider, backend=MODEL_BACKEND)
    assert client.get(audit_url()).status_code == 404


def test_an_anonymised_person_is_no_longer_named_in_the_audit_log(personas, hr_client):
    services.role_assign(
        actor=personas.org_admin, person=personas.employee_person, role=Role.FACILITATOR, units=[]
    )
    person = personas.employee_person
    person.first_name, person.last_name, person.anonymised_at = "", "", timezone.now()
    person.save()
    html = hr_client.get(audit_url()).content.decode()
    assert "Erik Ansat" not in html
    assert "Facilitator" in html
