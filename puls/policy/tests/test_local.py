"""Local interpretation: a unit adopts the central tree, reads each value in its own words and adds
its own focus areas and initiatives; it never changes a central node. Who sees which unit."""

import pytest
from django.urls import reverse

from puls.organisations import services as org_services
from puls.organisations.models import Role
from puls.policy.models import LocalInterpretation, LocalReading, NodeKind, PolicyNode
from puls.policy.services import local
from puls.policy.services.tree import NodeContent, PolicyError
from puls.policy.tests.conftest import client_for
from puls.testing import make_person

pytestmark = pytest.mark.django_db
ORG = "testby"


def url(name: str, **kwargs: object) -> str:
    return reverse(f"policy:{name}", kwargs={"org_slug": ORG, **kwargs})


def test_leader_adopts_the_tree_and_writes_the_units_reading_of_a_value(personas, objects):
    skole_b = personas.units["220"]
    # Skole B gets its own leader (Erik), who starts from nothing.
    org_services.role_assign(
        actor=None, person=personas.employee_person, role=Role.UNIT_LEADER, units=[skole_b]
    )
    client = client_for(personas.employee)
    page = client.get(url("unit_detail", unit_id=skole_b.pk)).content.decode()
    assert "has not adopted the central policy yet" in page
    # Before adopting, there is nothing to write in.
    response = client.get(url("local_reading_edit", unit_id=skole_b.pk, node_id=objects.value.pk))
    assert response["Location"] == url("unit_detail", unit_id=skole_b.pk)

    client.post(url("unit_adopt", unit_id=skole_b.pk))
    assert LocalInterpretation.objects.filter(unit=skole_b).exists()
    client.post(
        url("local_reading_edit", unit_id=skole_b.pk, node_id=objects.value.pk),
        {"text": "Hos os betyder tillid, at vi selv lægger skemaet."},
    )
    page = client.get(url("unit_detail", unit_id=skole_b.pk)).content.decode()
    assert "Hos os betyder tillid, at vi selv lægger skemaet." in page
    assert "Vi viser hinanden tillid." in page  # the central text stands next to it


def test_a_local_node_hangs_under_the_central_tree_and_is_the_units_own(personas, objects):
    client = client_for(personas.leader)
    skole_a = personas.units["210"]
    response = client.post(
        url("local_node_create", unit_id=skole_a.pk),
        {"parent": objects.local_focus_area.pk, "kind": "initiative", "title": "Walk and talk", "text": ""},
    )
    assert response.status_code == 302
    node = PolicyNode.objects.get(title="Walk and talk")
    assert (node.unit, node.parent, node.kind) == (skole_a, objects.local_focus_area, NodeKind.INITIATIVE)
    page = client.get(url("unit_detail", unit_id=skole_a.pk)).content.decode()
    assert "Gode pauser" in page
    assert "Walk and talk" in page
    # The leader edits and deletes the unit's own node...
    client.post(
        url("node_edit", node_id=node.pk),
        {"title": "Gå-møder", "text": "", "rationale": "", "responsible": ""},
    )
    node.refresh_from_db()
    assert node.title == "Gå-møder"
    client.post(url("node_delete", node_id=node.pk))
    assert not PolicyNode.objects.filter(pk=node.pk).exists()


def test_a_unit_cannot_change_or_delete_central_nodes(personas, objects):
    client = client_for(personas.leader)
    assert (
        client.post(url("node_edit", node_id=objects.policy.pk), {"title": "Vores egen"}).status_code == 403
    )
    assert client.post(url("node_delete", node_id=objects.focus_area.pk)).status_code == 403
    assert client.post(url("node_move", node_id=objects.value.pk), {"direction": "down"}).status_code == 403
    # Nor put values or policies in the tree as local nodes, nor build on a draft.
    with pytest.raises(PolicyError):
        local.local_node_create(
            actor=personas.leader,
            unit=personas.units["210"],
            parent=objects.policy,
            kind=NodeKind.POLICY,
            content=NodeContent(title="Egen politik"),
        )
    draft_policy = PolicyNode.objects.create(organisation=personas.org, kind=NodeKind.POLICY, title="Udkast")
    with pytest.raises(PolicyError):
        local.local_node_create(
            actor=personas.leader,
            unit=personas.units["210"],
            parent=draft_policy,
            kind=NodeKind.FOCUS_AREA,
            content=NodeContent(title="Tidligt"),
        )
    objects.policy.refresh_from_db()
    assert objects.policy.title == "Trivselspolitik"


def test_another_units_node_cannot_be_built_on(personas, objects):
    skole_b = personas.units["220"]
    local.interpretation_adopt(actor=personas.org_admin, unit=skole_b)
    with pytest.raises(PolicyError):
        local.local_node_create(
            actor=personas.org_admin,
            unit=skole_b,
            parent=objects.local_focus_area,
            kind=NodeKind.INITIATIVE,
            content=NodeContent(title="Lånt"),
        )


def test_leader_of_a_unit_gets_404_on_a_sibling_units_interpretation(personas, objects):
    client = client_for(personas.leader)
    skole_b = personas.units["220"]
    assert client.get(url("unit_detail", unit_id=skole_b.pk)).status_code == 404
    assert client.post(url("unit_adopt", unit_id=skole_b.pk)).status_code == 404
    assert (
        client.post(
            url("local_reading_edit", unit_id=skole_b.pk, node_id=objects.value.pk), {"text": "x"}
        ).status_code
        == 404
    )
    assert client.get(url("walk_create", unit_id=skole_b.pk)).status_code == 404
    assert not LocalInterpretation.objects.filter(unit=skole_b).exists()


def test_employees_read_their_own_units_reading_only(personas, objects):
    skole_a, skole_b, boern = personas.units["210"], personas.units["220"], personas.units["200"]
    local.local_reading_save(
        actor=personas.leader, unit=skole_a, value=objects.value, text="Skole A læser værdien sådan"
    )
    employee = client_for(personas.employee)  # works in Skole B, below Børn og Unge
    assert employee.get(url("unit_detail", unit_id=skole_a.pk)).status_code == 404
    assert employee.get(url("node_detail", node_id=objects.local_focus_area.pk)).status_code == 404
    assert employee.get(url("unit_detail", unit_id=skole_b.pk)).status_code == 200
    assert employee.get(url("unit_detail", unit_id=boern.pk)).status_code == 200
    # Read-only.
    assert employee.post(url("unit_adopt", unit_id=skole_b.pk)).status_code == 403
    page = employee.get(url("unit_list")).content.decode()
    assert "Skole B" in page
    assert "Skole A" not in page

    # A colleague in Skole A reads it.
    colleague = make_person(
        personas.org, skole_a, "2199", "Kim", "Kollega", email="kim@testby.test", with_user=True
    )
    page = client_for(colleague.user).get(url("unit_detail", unit_id=skole_a.pk)).content.decode()
    assert "Skole A læser værdien sådan" in page
    assert "Write our reading" not in page


def test_med_rep_reads_their_units_but_does_not_edit(personas, objects):
    client = client_for(personas.med_rep)  # MED/AMO for Ældre (300)
    plejecenter = personas.units["310"]
    assert client.get(url("unit_detail", unit_id=plejecenter.pk)).status_code == 200
    assert client.post(url("unit_adopt", unit_id=plejecenter.pk)).status_code == 403
    assert client.get(url("unit_detail", unit_id=personas.units["210"].pk)).status_code == 404


def test_hr_sees_every_unit_and_the_state_of_its_local_work(personas, objects):
    page = client_for(personas.org_admin).get(url("unit_list")).content.decode()
    for unit in personas.units.values():
        assert unit.name in page
    assert "not adopted yet" in page
    assert "adopted" in page


def test_empty_reading_removes_it(personas, objects):
    skole_a = personas.units["210"]
    local.local_reading_save(actor=personas.leader, unit=skole_a, value=objects.value, text="Noget")
    local.local_reading_save(actor=personas.leader, unit=skole_a, value=objects.value, text="  ")
    assert not LocalReading.objects.exists()
    with pytest.raises(PolicyError):  # a draft value cannot be read locally
        local.local_reading_save(actor=personas.leader, unit=skole_a, value=objects.draft, text="Mod")


def test_other_organisation_gets_404(personas, objects):
    client = client_for(personas.outsider)
    assert client.get(url("unit_detail", unit_id=personas.units["210"].pk)).status_code == 404
    andenby = reverse(
        "policy:unit_detail", kwargs={"org_slug": "andenby", "unit_id": personas.units["210"].pk}
    )
    assert client.get(andenby).status_code == 404


def test_an_adopted_initiative_becomes_an_action_of_the_leaders_unit(personas, objects):
    from puls.actions.models import Action
    from puls.policy.tests.builders import adopt, central

    initiative = central(
        personas.org_admin, personas.org, NodeKind.INITIATIVE, "Walk and talk", parent=objects.focus_area
    )
    client = client_for(personas.leader)
    # A draft initiative is not planned yet.
    page = client.get(url("node_detail", node_id=initiative.pk)).content.decode()
    assert url("node_action", node_id=initiative.pk) not in page
    adopt(personas.org_admin, initiative)
    page = client.get(url("node_detail", node_id=initiative.pk)).content.decode()
    assert url("node_action", node_id=initiative.pk) in page
    assert "Skole A" in page
    assert "Skole B" not in page

    # Another unit than the leader's own is refused.
    response = client.post(url("node_action", node_id=initiative.pk), {"unit": personas.units["220"].pk})
    assert response.status_code == 404
    client.post(url("node_action", node_id=initiative.pk), {"unit": personas.units["210"].pk})
    action = Action.objects.get()
    assert (action.title, action.unit) == ("Walk and talk", personas.units["210"])
    page = client.get(url("node_detail", node_id=initiative.pk)).content.decode()
    assert reverse("actions:action_detail", kwargs={"org_slug": ORG, "action_id": action.pk}) in page

    # A MED/AMO representative and an employee cannot plan it.
    assert (
        client_for(personas.med_rep)
        .post(url("node_action", node_id=initiative.pk), {"unit": personas.units["310"].pk})
        .status_code
        == 403
    )
    assert (
        client_for(personas.employee)
        .post(url("node_action", node_id=initiative.pk), {"unit": personas.units["220"].pk})
        .status_code
        == 403
    )
    assert Action.objects.count() == 1
