"""Submit → code → the public receipt page shows each contribution, its theme, the outcome and the
reason (DESIGN §4.9); the page is throttled and tied to no login, session or log line."""

import logging

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from puls.participation import services
from puls.participation.link_kinds import OUTCOME_KIND
from puls.participation.models import Contribution, Outcome, Receipt
from puls.participation.tests.conftest import facilitator_client

pytestmark = pytest.mark.django_db

RECEIPT_URL = reverse("dialogue_receipt:receipt")


def _look_up(client: Client, code: str):
    return client.post(RECEIPT_URL, {"code": code}, HTTP_ACCEPT_LANGUAGE="en")


def test_receipt_page_shows_where_both_ideas_went(dialogue, caplog):
    caplog.set_level(logging.DEBUG)
    people = dialogue.people()
    _client, code = dialogue.submit_ideas(
        people[0], ["Tid til faglig sparring", "Færre møder om eftermiddagen"]
    )
    dialogue.submit_ideas(people[1], ["Mere faglig sparring i teamet"])
    dialogue.publish()

    # The facilitator themes the ideas and links the theme to an outcome with a reason.
    facilitator = facilitator_client(dialogue.personas)
    facilitator.post(
        dialogue.admin_url("theme_create"), {"theme-title": "Faglighed", "theme-description": ""}
    )
    theme = dialogue.process.themes.get()
    sparring = Contribution.objects.get(text="Tid til faglig sparring")
    duplicate = Contribution.objects.get(text="Mere faglig sparring i teamet")
    meetings = Contribution.objects.get(text="Færre møder om eftermiddagen")
    response = facilitator.post(
        dialogue.admin_url("theme_detail", theme_id=theme.pk),
        {"shown": [sparring.pk, duplicate.pk, meetings.pk], "member": [sparring.pk, duplicate.pk]},
    )
    assert response.status_code == 302
    facilitator.post(
        dialogue.admin_url("outcome_create"),
        {"outcome-kind": Outcome.Kind.DRAFT_VALUE, "outcome-title": "Vi lærer af hinanden"},
    )
    value = Outcome.objects.get()
    facilitator.post(
        dialogue.admin_url("outcome_link", theme_id=theme.pk),
        {"outcome": str(value.pk), "reason": "Sparring var det mest nævnte ønske"},
    )
    not_forward = services.outcome_create(
        actor=dialogue.personas.org_admin,
        process=dialogue.process,
        kind=Outcome.Kind.NOT_TAKEN_FORWARD,
        title="Ikke videreført",
    )
    meetings_theme = services.theme_create(
        actor=dialogue.personas.org_admin, process=dialogue.process, title="Møder"
    )
    services.theme_assign(
        actor=dialogue.personas.org_admin,
        theme=meetings_theme,
        contribution_ids={meetings.pk},
        shown_ids={meetings.pk},
    )
    services.outcome_link(
        actor=dialogue.personas.org_admin,
        theme=meetings_theme,
        target_kind=OUTCOME_KIND,
        target_id=not_forward.pk,
        reason="Mødeplanen er besluttet centralt",
    )

    sessions = Session.objects.count()
    anonymous = Client()
    page = _look_up(anonymous, code.lower())
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    text = page.content.decode()
    for expected in (
        "Tid til faglig sparring",
        "Færre møder om eftermiddagen",
        "Faglighed",
        "Draft value: Vi lærer af hinanden",
        "Sparring var det mest nævnte ønske",
        "Not taken forward",
        "Mødeplanen er besluttet centralt",
    ):
        assert expected in text
    # Only the code's own contributions; the other participant's is not shown.
    assert "Mere faglig sparring i teamet" not in text
    # The code is not echoed back, no session row is written, nothing is logged about it.
    assert code not in text
    assert Session.objects.count() == sessions
    assert "sessionid" not in page.cookies
    assert code not in caplog.text
    assert code.lower() not in caplog.text


def test_a_merged_duplicate_leads_to_the_theme_of_what_it_was_merged_into(dialogue):
    people = dialogue.people()
    _client, code = dialogue.submit_ideas(people[0], ["Mere sparring"])
    dialogue.submit_ideas(people[1], ["Mere faglig sparring"])
    dialogue.publish()
    mine, other = (
        Contribution.objects.get(text="Mere sparring"),
        Contribution.objects.get(text="Mere faglig sparring"),
    )
    admin = dialogue.personas.org_admin
    services.contribution_merge(actor=admin, contribution=mine, into=other)
    theme = services.theme_create(actor=admin, process=dialogue.process, title="Sparring")
    services.theme_assign(actor=admin, theme=theme, contribution_ids={other.pk}, shown_ids={other.pk})
    text = _look_up(Client(), code).content.decode()
    assert "Merged with a similar contribution" in text
    assert "Theme: Sparring" in text


def test_a_hidden_contribution_shows_the_moderators_reason_on_the_receipt(dialogue):
    _client, code = dialogue.submit_ideas(dialogue.people()[0], ["Lederen på afdeling X er dårlig"])
    dialogue.publish()
    services.contribution_hide(
        actor=dialogue.personas.org_admin, contribution=Contribution.objects.get(), reason="Nævner en person"
    )
    text = _look_up(Client(), code).content.decode()
    assert "Hidden by moderator:" in text
    assert "Nævner en person" in text


def test_unpublished_input_is_shown_as_waiting(dialogue):
    _client, code = dialogue.submit_ideas(dialogue.people()[0], ["Venter på næste batch"])
    text = _look_up(Client(), code).content.decode()
    assert "Venter på næste batch" in text
    assert "Not published yet" in text


def test_wrong_codes_are_throttled(dialogue, settings):
    settings.RECEIPT_CODE_FAILURES_PER_ADDRESS = 3
    _client, code = dialogue.submit_ideas(dialogue.people()[0], ["Idé"])
    client = Client()
    for _ in range(3):
        response = _look_up(client, "ZZZZ-ZZZZ-ZZZZ-ZZZZ")
        assert response.status_code == 200
        assert "not recognised" in response.content.decode()
    assert _look_up(client, "ZZZZ-ZZZZ-ZZZZ-ZZZZ").status_code == 429
    # Even the right code waits until the window has passed.
    assert _look_up(client, code).status_code == 429
    assert Receipt.objects.count() == 1


def test_the_code_is_taken_by_post_only(dialogue):
    _client, code = dialogue.submit_ideas(dialogue.people()[0], ["Idé"])
    page = Client().get(RECEIPT_URL, {"code": code}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "Idé" not in page.content.decode()
