"""Every page of the policy app renders for the people it is made for."""

import pytest
from django.urls import reverse

from puls.policy.tests.conftest import client_for

ORG = "testby"


def pages(objects, personas):
    unit = personas.units["210"]
    return [
        ("policy:tree", {}),
        ("policy:node_create", {}),
        ("policy:node_detail", {"node_id": objects.value.pk}),
        ("policy:node_detail", {"node_id": objects.policy.pk}),
        ("policy:node_detail", {"node_id": objects.local_focus_area.pk}),
        ("policy:node_edit", {"node_id": objects.draft.pk}),
        ("policy:node_status", {"node_id": objects.draft.pk}),
        ("policy:node_delete", {"node_id": objects.draft.pk}),
        ("policy:node_diff", {"node_id": objects.policy.pk}),
        ("policy:citation_add", {"node_id": objects.policy.pk}),
        ("policy:publication", {}),
        ("policy:publication_settings", {}),
        ("policy:unit_list", {}),
        ("policy:unit_detail", {"unit_id": unit.pk}),
        ("policy:local_reading_edit", {"unit_id": unit.pk, "node_id": objects.value.pk}),
        ("policy:local_node_create", {"unit_id": unit.pk}),
        ("policy:walk_create", {"unit_id": unit.pk}),
        ("policy:walk_detail", {"walk_id": objects.walk.pk}),
        ("policy:walk_stop", {"walk_id": objects.walk.pk}),
        ("policy:round_list", {}),
        ("policy:round_create", {}),
        ("policy:round_detail", {"round_id": objects.round.pk}),
        ("policy:round_edit", {"round_id": objects.round.pk}),
        ("policy:round_answer", {"round_id": objects.round.pk, "unit_id": unit.pk}),
    ]


@pytest.mark.django_db
def test_every_page_renders_for_hr(objects, personas):
    client = client_for(personas.org_admin)
    for name, kwargs in pages(objects, personas):
        url = reverse(name, kwargs={"org_slug": ORG, **kwargs})
        if name == "policy:local_node_create":
            url += f"?parent={objects.policy.pk}"
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
