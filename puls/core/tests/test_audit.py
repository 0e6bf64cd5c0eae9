"""DESIGN §7.21: the audit log of admin actions is append-only, and admin actions write to it."""

import pytest
from django.db import transaction
from django.urls import reverse

from puls.core.audit import audit_record
from puls.core.models import AuditEntry
from puls.core.tests.conftest import World
from puls.organisations.models import RoleAssignment


@pytest.fixture
def entry(personas) -> AuditEntry:
    return audit_record(
        actor=personas.org_admin, action="role.assign", organisation=personas.org, summary="facilitator"
    )


def test_an_entry_cannot_be_changed(entry: AuditEntry):
    entry.summary = "rewritten history"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(summary="rewritten history")
    # bulk_update runs in a transaction without a savepoint; give it one so the test can go on.
    with pytest.raises(PermissionError), transaction.atomic():
        AuditEntry.objects.bulk_update([entry], ["summary"])
    assert AuditEntry.objects.get(pk=entry.pk).summary == "facilitator"


def test_an_entry_cannot_be_deleted(entry: AuditEntry):
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_new_entries_can_still_be_added(entry: AuditEntry, personas):
    before = AuditEntry.objects.count()
    audit_record(actor=personas.org_admin, action="role.remove", organisation=personas.org)
    assert AuditEntry.objects.count() == before + 1


def test_assigning_a_role_through_the_page_is_audited_with_the_actor(world: World):
    client = world.client_for("org_admin")
    person = world.personas.employee_person
    response = client.post(
        reverse("organisations:role_assign", kwargs={"org_slug": "testby"}),
        {"employee_number": person.employee_number, "role": "facilitator"},
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(person=person, role="facilitator")
    entry = AuditEntry.objects.get(action="role.assign", target_id=str(assignment.pk))
    assert entry.actor == world.personas.org_admin
    assert entry.organisation == world.personas.org
    assert entry.data["person"] == str(person.pk)
    # The log outlives retention, so it names the person by id only.
    assert person.employee_number not in entry.summary
    assert person.last_name not in entry.summary


def test_removing_a_role_through_the_page_is_audited_with_the_actor(world: World):
    client = world.client_for("org_admin")
    assignment_id = world.role_assignment.pk
    response = client.post(
        reverse("organisations:role_remove", kwargs={"org_slug": "testby", "assignment_id": assignment_id})
    )
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment_id).exists()
    entry = AuditEntry.objects.get(action="role.remove", target_id=str(assignment_id))
    assert entry.actor == world.personas.org_admin


def test_sending_an_activation_link_is_audited(world: World):
    client = world.client_for("org_admin")
    person = world.personas.employee_person
    client.post(
        reverse("organisations:person_send_activation", kwargs={"org_slug": "testby", "person_id": person.pk})
    )
    entry = AuditEntry.objects.get(action="person.activation_sent", target_id=str(person.pk))
    assert entry.actor == world.personas.org_admin


def test_hr_reads_the_audit_log_of_own_organisation_only(world: World):
    client = world.client_for("org_admin")
    audit_record(
        actor=world.personas.outsider,
        action="role.assign",
        organisation=world.personas.other_org,
        summary="andenby-only-entry",
    )
    audit_record(
        actor=world.personas.org_admin,
        action="role.assign",
        organisation=world.personas.org,
        summary="testby-only-entry",
    )
    page = client.get(reverse("organisations:audit_log", kwargs={"org_slug": "testby"}))
    assert page.status_code == 200
    content = page.content.decode()
    assert "testby-only-entry" in content
    assert "andenby-only-entry" not in content


def test_applying_an_import_through_the_page_is_audited_with_the_actor(world: World):
    client = world.client_for("org_admin")
    job = world.import_job
    response = client.post(
        reverse("organisations:import_apply", kwargs={"org_slug": "testby", "job_id": job.pk}),
        {"action": "apply"},
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="import.apply", target_id=str(job.pk))
    assert entry.actor == world.personas.org_admin
    assert entry.organisation == world.personas.org
    assert "1 new" in entry.summary
    # The entry is on the audit log page HR reads.
    log = client.get(reverse("organisations:audit_log", kwargs={"org_slug": "testby"}))
    assert entry.summary in log.content.decode()
