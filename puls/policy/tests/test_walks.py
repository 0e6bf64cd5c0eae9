"""Værdivejen: the leader runs the workshop with the team in facilitator mode, the points are saved
per unit, the poster is an A3 PDF, and a point becomes an action with one click."""

import subprocess

import pytest
from django.urls import reverse

from puls.actions.models import Action
from puls.core.links import links_from
from puls.policy.models import ValueWalk, WalkAnswer, WalkStop
from puls.policy.services import walks
from puls.policy.tests.conftest import client_for
from puls.testing import dark_share, pdf_page_image

pytestmark = pytest.mark.django_db
ORG = "testby"


def url(name: str, **kwargs: object) -> str:
    return reverse(f"policy:{name}", kwargs={"org_slug": ORG, **kwargs})


def stop_url(walk: ValueWalk, step: int) -> str:
    return url("walk_stop", walk_id=walk.pk) + f"?step={step}"


def test_leader_plans_a_workshop_on_adopted_values_only(personas, objects):
    client = client_for(personas.leader)
    skole_a = personas.units["210"]
    page = client.get(url("walk_create", unit_id=skole_a.pk)).content.decode()
    assert "Tillid" in page
    assert "Mod" not in page
    response = client.post(
        url("walk_create", unit_id=skole_a.pk),
        {
            "title": "Værdivejen 2027",
            "held_on": "2027-01-15",
            "participants": "Hele teamet, 12",
            "values": [objects.value.pk],
        },
    )
    walk = ValueWalk.objects.get(title="Værdivejen 2027")
    assert response["Location"] == url("walk_detail", walk_id=walk.pk)
    assert walk.unit == skole_a
    assert list(walk.values.all()) == [objects.value]
    refused = client.post(
        url("walk_create", unit_id=skole_a.pk),
        {"title": "Med udkast", "held_on": "2027-01-15", "values": [objects.draft.pk]},
    )
    assert refused.status_code == 200
    assert not ValueWalk.objects.filter(title="Med udkast").exists()


def test_facilitator_mode_shows_one_stop_at_a_time_and_saves_the_teams_points(personas, objects):
    client = client_for(personas.leader)
    walk = objects.walk
    first = client.get(stop_url(walk, 1)).content.decode()
    assert '<h1 class="puls-walk-question">What does the value mean in our daily work?</h1>' in first
    assert 'rel="next"' in first
    assert 'rel="prev"' not in first
    assert 'data-walk-key="next"' in first
    assert "puls/policy/walk.js" in first
    assert 'class="navigation-menu' not in first  # the projector shows the stop, not the menus

    response = client.post(stop_url(walk, 2), {"text": "Vi giver hinanden plads"})
    assert response["Location"] == stop_url(walk, 2)
    answer = WalkAnswer.objects.get(text="Vi giver hinanden plads")
    assert (answer.walk, answer.value, answer.stop) == (walk, objects.value, WalkStop.LIVED)
    page = client.get(stop_url(walk, 2)).content.decode()
    assert "Vi giver hinanden plads" in page
    assert "Where do we live the value today?" in page

    last = client.get(stop_url(walk, 4)).content.decode()
    assert 'rel="prev"' in last
    assert url("walk_detail", walk_id=walk.pk) in last
    assert client.get(stop_url(walk, 5)).status_code == 404
    assert client.get(stop_url(walk, 0)).status_code == 404
    assert client.get(url("walk_stop", walk_id=walk.pk) + "?step=x").status_code == 404


def test_points_can_be_removed_until_the_workshop_is_completed(personas, objects):
    client = client_for(personas.leader)
    walk = objects.walk
    extra = walks.walk_answer_add(walk=walk, value=objects.value, stop=1, text="Fejl")
    response = client.post(url("walk_answer_delete", walk_id=walk.pk, answer_id=extra.pk), {"step": "1"})
    assert response["Location"] == stop_url(walk, 1)
    assert not WalkAnswer.objects.filter(pk=extra.pk).exists()

    client.post(url("walk_complete", walk_id=walk.pk))
    walk.refresh_from_db()
    assert walk.status == ValueWalk.Status.COMPLETED
    client.post(stop_url(walk, 1), {"text": "For sent"})
    assert not WalkAnswer.objects.filter(text="For sent").exists()
    assert 'name="text"' not in client.get(stop_url(walk, 1)).content.decode()


def test_one_click_turns_a_point_into_an_action_of_the_units_plan(personas, objects):
    client = client_for(personas.leader)
    walk, answer = objects.walk, objects.answer
    walks.walk_answer_add(walk=walk, value=objects.value, stop=WalkStop.NOT_YET, text="Vi mødes for sjældent")
    detail = client.get(url("walk_detail", walk_id=walk.pk)).content.decode()
    action_url = url("walk_answer_action", walk_id=walk.pk, answer_id=answer.pk)
    assert action_url in detail

    response = client.post(action_url)
    assert response["Location"] == url("walk_detail", walk_id=walk.pk) + f"#answer-{answer.pk}"
    action = Action.objects.get()
    assert (action.unit, action.title, action.solution) == (personas.units["210"], answer.text, answer.text)
    assert "Vi mødes for sjældent" in action.problem
    links = links_from(organisation=personas.org, kind="policy.walk_answer", object_id=answer.pk)
    assert [(link.target_kind, link.target_id) for link in links] == [("actions.action", action.pk)]
    detail = client.get(url("walk_detail", walk_id=walk.pk)).content.decode()
    assert reverse("actions:action_detail", kwargs={"org_slug": ORG, "action_id": action.pk}) in detail

    # A second click makes no second action; the point with an action cannot be removed.
    client.post(action_url)
    assert Action.objects.count() == 1
    client.post(url("walk_answer_delete", walk_id=walk.pk, answer_id=answer.pk))
    assert WalkAnswer.objects.filter(pk=answer.pk).exists()


def test_a_stop_one_point_does_not_become_an_action(personas, objects):
    meaning = walks.walk_answer_add(
        walk=objects.walk, value=objects.value, stop=1, text="Vi stoler på hinanden"
    )
    client_for(personas.leader).post(url("walk_answer_action", walk_id=objects.walk.pk, answer_id=meaning.pk))
    assert not Action.objects.exists()


def test_the_team_reads_the_workshop_but_only_the_leader_runs_it(personas, objects):
    from puls.testing import make_person

    colleague = make_person(
        personas.org, personas.units["210"], "2198", "Kim", "Kollega", email="kim@testby.test", with_user=True
    )
    client = client_for(colleague.user)
    walk = objects.walk
    assert client.get(url("walk_detail", walk_id=walk.pk)).status_code == 200
    page = client.get(stop_url(walk, 4)).content.decode()
    assert "Vi holder fælles morgenmøde" in page
    assert 'name="text"' not in page
    assert client.post(stop_url(walk, 4), {"text": "Mig også"}).status_code == 403
    assert (
        client.post(url("walk_answer_action", walk_id=walk.pk, answer_id=objects.answer.pk)).status_code
        == 403
    )
    # Skole B's employee and the other organisation do not see it at all.
    assert client_for(personas.employee).get(url("walk_detail", walk_id=walk.pk)).status_code == 404
    assert client_for(personas.outsider).get(url("walk_detail", walk_id=walk.pk)).status_code == 404


def test_poster_is_an_a3_pdf_with_the_four_stops_and_the_teams_points(personas, objects, tmp_path):
    response = client_for(personas.leader).get(url("walk_poster", walk_id=objects.walk.pk))
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "poster.pdf"
    pdf.write_bytes(response.content)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607
    assert "1190.55 x 841.89 pts (A3)" in info  # landscape
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607
    text = " ".join(text.split())
    for stop in WalkStop:
        assert str(stop.label) in text
    assert "Vi holder fælles morgenmøde" in text
    assert "SKOLE A" in text
    # Drawn as a printer would: landscape A3, with the stop signs and text on it, not an empty sheet.
    image = pdf_page_image(pdf, dpi=20)
    assert abs(image.width / image.height - 420 / 297) < 0.01
    assert dark_share(image) > 0.02
