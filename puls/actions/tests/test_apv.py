"""The APV cycle per unit: stages in order, findings turned into actions, status per unit, and
MED/AMO representatives seeing and co-owning their units' APVs."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from puls.actions import services
from puls.actions.link_kinds import ACTION_KIND, APV_FINDING_KIND
from puls.actions.models import ApvCycle
from puls.actions.tests.conftest import client_for
from puls.core.links import links_to
from puls.testing import Personas

pytestmark = pytest.mark.django_db


def url(name: str, **kwargs) -> str:
    return reverse(f"actions:{name}", kwargs={"org_slug": "testby", **kwargs})


def start(personas: Personas, code: str = "310", actor=None) -> ApvCycle:
    return services.apv_cycle_start(
        actor=actor, organisation=personas.org, unit=personas.units[code], title="APV 2027"
    )


def test_stages_go_in_order_and_each_needs_its_part(personas: Personas):
    cycle = start(personas)
    with pytest.raises(ValidationError):
        services.apv_cycle_advance(actor=None, cycle=cycle)  # nothing mapped yet
    finding = services.apv_finding_add(actor=None, cycle=cycle, title="Tunge løft", risk="high")
    services.apv_cycle_advance(actor=None, cycle=cycle)
    assert cycle.stage == ApvCycle.Stage.RISK_ASSESSMENT
    services.apv_cycle_update(actor=None, cycle=cycle, risk_assessment="Løft først")
    services.apv_cycle_advance(actor=None, cycle=cycle)
    services.apv_cycle_update(
        actor=None, cycle=cycle, sickness_absence_assessment="Fravær på afsnittet er højt"
    )
    services.apv_cycle_advance(actor=None, cycle=cycle)
    assert cycle.stage == ApvCycle.Stage.ACTION_PLAN
    with pytest.raises(ValidationError):
        services.apv_cycle_advance(actor=None, cycle=cycle)  # the written plan has no actions
    action = services.action_create_from_finding(actor=None, finding=finding)
    assert action.apv_cycle == cycle
    assert action.title == "Tunge løft"
    (link,) = links_to(organisation=personas.org, kind=ACTION_KIND, object_id=action.pk)
    assert (link.source_kind, link.source_id) == (APV_FINDING_KIND, finding.pk)
    services.apv_cycle_advance(actor=None, cycle=cycle)
    services.apv_cycle_update(actor=None, cycle=cycle, follow_up_notes="Liftene virker")
    services.apv_cycle_advance(actor=None, cycle=cycle)
    assert cycle.is_completed
    assert cycle.completed_on == timezone.localdate()
    assert cycle.next_due == cycle.completed_on.replace(year=cycle.completed_on.year + 3)


def test_one_apv_in_progress_per_unit(personas: Personas):
    start(personas)
    with pytest.raises(ValidationError):
        start(personas)


def test_leader_cannot_start_an_apv_outside_their_unit(personas: Personas):
    with pytest.raises(PermissionDenied):
        start(personas, "310", actor=personas.leader)


def test_med_rep_sees_and_co_owns_their_units_apv(personas: Personas):
    cycle = start(personas, "310", actor=personas.med_rep)
    client = client_for(personas.med_rep)
    assert client.get(url("apv_detail", cycle_id=cycle.pk)).status_code == 200
    response = client.post(
        url("apv_finding_add", cycle_id=cycle.pk), {"title": "Støj i fællesstuen", "risk": "medium"}
    )
    assert response.status_code == 302
    assert cycle.findings.get().title == "Støj i fællesstuen"
    response = client.post(url("apv_advance", cycle_id=cycle.pk))
    cycle.refresh_from_db()
    assert cycle.stage == ApvCycle.Stage.RISK_ASSESSMENT


def test_leader_and_employee_get_404_on_another_units_apv(personas: Personas):
    cycle = start(personas, "310")
    assert client_for(personas.leader).get(url("apv_detail", cycle_id=cycle.pk)).status_code == 404
    assert client_for(personas.leader).post(url("apv_advance", cycle_id=cycle.pk)).status_code == 404
    assert client_for(personas.employee).get(url("apv_detail", cycle_id=cycle.pk)).status_code == 403
    andenby = reverse("actions:apv_detail", kwargs={"org_slug": "andenby", "cycle_id": cycle.pk})
    assert client_for(personas.outsider).get(andenby).status_code == 404


def test_saving_the_written_parts(personas: Personas):
    cycle = start(personas)
    response = client_for(personas.org_admin).post(
        url("apv_detail", cycle_id=cycle.pk),
        {"mapping_method": "survey", "mapping_notes": "APV-spørgeskema i marts", "risk_assessment": ""},
    )
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert (cycle.mapping_method, cycle.mapping_notes) == ("survey", "APV-spørgeskema i marts")


def test_advance_without_the_stages_part_shows_what_is_missing(personas: Personas):
    cycle = start(personas)
    response = client_for(personas.org_admin).post(url("apv_advance", cycle_id=cycle.pk), follow=True)
    cycle.refresh_from_db()
    assert cycle.stage == ApvCycle.Stage.MAPPING
    assert b"Describe the mapping" in response.content


def test_action_from_a_finding_through_the_page(personas: Personas):
    cycle = start(personas)
    finding = services.apv_finding_add(
        actor=None, cycle=cycle, title="Tunge løft", description="Mangler lift"
    )
    client = client_for(personas.med_rep)
    page = client.get(url("action_create"), {"finding": finding.pk})
    assert page.status_code == 200
    assert page.context["form"].initial["title"] == "Tunge løft"
    response = client.post(
        url("action_create"),
        {"finding": finding.pk, "title": "Loftlifte", "priority": "high", "status": "planned"},
    )
    assert response.status_code == 302
    assert cycle.actions.get().title == "Loftlifte"


def test_finding_of_another_units_apv_is_404_for_the_leader(personas: Personas):
    cycle = start(personas)
    finding = services.apv_finding_add(actor=None, cycle=cycle, title="Tunge løft")
    assert client_for(personas.leader).get(url("action_create"), {"finding": finding.pk}).status_code == 404


def test_overview_shows_status_and_due_dates(personas: Personas):
    today = timezone.localdate()
    ApvCycle.objects.create(
        organisation=personas.org,
        unit=personas.units["210"],
        title="APV 2023",
        stage=ApvCycle.Stage.COMPLETED,
        completed_on=today - timedelta(days=4 * 365),
    )
    start(personas, "310")
    services.discussion_record(
        actor=None, organisation=personas.org, unit=personas.units["210"], held_on=today - timedelta(days=10)
    )
    response = client_for(personas.org_admin).get(url("apv_overview"))
    statuses = {s.unit.code: s for s in response.context["statuses"]}
    assert set(statuses) == {"210", "310"}
    assert statuses["210"].apv_overdue
    assert not statuses["210"].discussion_overdue
    assert statuses["310"].current is not None
    med_statuses = client_for(personas.med_rep).get(url("apv_overview")).context["statuses"]
    assert [s.unit.code for s in med_statuses] == ["310"]


def test_discussion_is_recorded_and_cannot_be_in_the_future(personas: Personas):
    client = client_for(personas.leader)
    today = timezone.localdate()
    future = client.post(
        url("discussion_record"),
        {"unit": personas.units["210"].pk, "held_on": (today + timedelta(days=3)).isoformat()},
    )
    assert future.status_code == 200
    ok = client.post(
        url("discussion_record"), {"unit": personas.units["210"].pk, "held_on": today.isoformat()}
    )
    assert ok.status_code == 302
    outside = client.post(
        url("discussion_record"), {"unit": personas.units["310"].pk, "held_on": today.isoformat()}
    )
    assert outside.status_code == 200  # not a choice for the leader
    assert outside.context["form"].errors["unit"]
