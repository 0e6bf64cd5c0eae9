"""A later round's ballot attached to an earlier receipt (DESIGN §4.9): offered and accepted only
for an earlier round of the same process whose invitees overlap this round's in ≥ k people; either
code then shows both rounds on the receipt page; the later round's shuffle moves the chain's rows
of both rounds to a cell at the lowest common ancestor of their cells."""

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from puls.core.models import ThrottleCount
from puls.invitations.models import Invitation
from puls.invitations.services import ballot_shuffle
from puls.invitations.tests.conftest import add_people
from puls.organisations.models import Employment, Person
from puls.participation import services
from puls.participation.models import Contribution, Receipt, Round, ThemeMembership
from puls.participation.receipts import receipt_code_new
from puls.participation.tests.conftest import Dialogue

pytestmark = pytest.mark.django_db

RECEIPT_URL = reverse("dialogue_receipt:receipt")


def add_round(dialogue: Dialogue, title: str = "Runde 2: Mere") -> Dialogue:
    """A second ideas round of the same process, launched and open now."""
    now = timezone.now()
    round_ = services.round_create(
        actor=dialogue.personas.org_admin,
        process=dialogue.process,
        settings=services.RoundSettings(
            title=title,
            kind="ideas",
            opens_at=now - timedelta(hours=1),
            closes_at=now + timedelta(days=7),
        ),
    )
    services.round_launch(actor=dialogue.personas.org_admin, round_=round_)
    return Dialogue(
        personas=dialogue.personas, process=dialogue.process, round=Round.objects.get(pk=round_.pk)
    )


def submit(dialogue: Dialogue, person: Person, ideas: list[str], previous: str = "") -> tuple[str, Any]:
    """Write the ideas, open the review page and submit with `previous` in the earlier-receipt
    field; returns (the receipt code the review page made, the response)."""
    client = dialogue.participant(person)
    for text in ideas:
        client.post(dialogue.url("ideas"), {"action": "add", "text": text})
    code = client.get(dialogue.url("review")).context["code"]
    response = client.post(dialogue.url("review"), {"receipt_code": code, "previous_code": previous})
    return code, response


def look_up(code: str) -> str:
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post(RECEIPT_URL, {"code": code})
    assert response.status_code == 200
    return response.content.decode()


def completed(dialogue: Dialogue, person: Person) -> bool:
    return bool(Invitation.objects.get(ballot_id=dialogue.round.ballot_id, person=person).completed)


def test_only_a_later_round_with_an_earlier_overlapping_round_offers_the_field(dialogue):
    person = dialogue.people()[0]
    first = dialogue.participant(person)
    first.post(dialogue.url("ideas"), {"action": "add", "text": "Idé"})
    assert "previous_code" not in first.get(dialogue.url("review")).content.decode()

    second = add_round(dialogue)
    client = second.participant(person)
    client.post(second.url("ideas"), {"action": "add", "text": "Idé"})
    page = client.get(second.url("review")).content.decode()
    assert "Your receipt code from an earlier round" in page
    assert 'name="previous_code"' in page


def test_a_later_ballot_attached_to_an_earlier_receipt_shows_both_rounds_for_either_code(dialogue):
    person = dialogue.people()[0]
    first_code, _response = submit(dialogue, person, ["Tid til sparring"])
    second = add_round(dialogue)

    second_code, response = submit(second, person, ["Sparring hver fredag"], previous=first_code.lower())

    assert response.status_code == 200
    assert "either code shows your input from both rounds" in response.content.decode()
    later = Receipt.objects.get(round=second.round)
    assert later.previous == Receipt.objects.get(round=dialogue.round)
    for code in (first_code, second_code):
        page = look_up(code)
        assert "Round 1: Runde 1: Udfordringer" in page
        assert "Round 2: Runde 2: Mere" in page
        assert (
            page.index("Tid til sparring")
            < page.index("Round 2: Runde 2: Mere")
            < page.index("Sparring hver fredag")
        )
    # Another participant's code shows only their own round.
    other_code, _response = submit(dialogue, dialogue.people()[1], ["Bedre kaffe"])
    page = look_up(other_code)
    assert "Bedre kaffe" in page
    assert "Tid til sparring" not in page
    assert "Round 2" not in page


def _refused(second: Dialogue, person: Person, previous: str, message: str) -> None:
    receipts = Receipt.objects.count()
    contributions = Contribution.objects.count()
    failures = sum(ThrottleCount.objects.values_list("count", flat=True))
    _code, response = submit(second, person, ["Må ikke gemmes"], previous=previous)
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    # The error sits at the field, and nothing was stored.
    assert 'id="id_previous_code-error"' in page
    assert Receipt.objects.count() == receipts
    assert Contribution.objects.count() == contributions
    assert not completed(second, person)
    # A wrong code counts as a failed guess, like on the receipt page.
    assert sum(ThrottleCount.objects.values_list("count", flat=True)) > failures


NOT_FOUND = "No receipt from an earlier round of this process has this code."


def test_a_wrong_code_is_refused(dialogue):
    second = add_round(dialogue)
    _refused(second, dialogue.people()[0], receipt_code_new(), NOT_FOUND)


def test_a_code_of_another_process_is_refused(dialogue, make_dialogue: Callable[..., Dialogue]):
    other = make_dialogue()
    person = dialogue.people()[0]
    other_code, _response = submit(other, person, ["I en anden proces"])
    second = add_round(dialogue)
    _refused(second, person, other_code, NOT_FOUND)


def test_a_code_of_a_later_round_is_refused(dialogue):
    person, other = dialogue.people()[:2]
    second = add_round(dialogue)
    later_code, _response = submit(second, person, ["Fra runde 2"])
    _refused(dialogue, other, later_code, NOT_FOUND)


def test_a_receipt_already_joined_with_this_round_is_refused(dialogue):
    person, other = dialogue.people()[:2]
    first_code, _response = submit(dialogue, person, ["Fra runde 1"])
    second = add_round(dialogue)
    _code, response = submit(second, person, ["Fra runde 2"], previous=first_code)
    assert response.status_code == 200
    _refused(second, other, first_code, "already attached to this receipt")


def test_a_receipt_of_a_round_with_too_small_an_overlap_is_refused(dialogue):
    """Between the rounds all but three of the invitees left and others came: three people were
    invited to both rounds, fewer than k = 5, so the field is not offered and a code is refused."""
    people = dialogue.people()
    stayed = people[:3]
    first_code, _response = submit(dialogue, stayed[0], ["Fra runde 1"])
    Employment.objects.filter(person__in=people[3:]).update(end_date=timezone.localdate() - timedelta(days=1))
    add_people(dialogue.personas.org, dialogue.personas.units["220"], 12, prefix="77")
    second = add_round(dialogue)
    assert dialogue.round.ballot.k == 5
    assert Invitation.objects.filter(ballot_id=second.round.ballot_id, person__in=stayed).count() == 3

    client = second.participant(stayed[0])
    client.post(second.url("ideas"), {"action": "add", "text": "Idé"})
    assert "previous_code" not in client.get(second.url("review")).content.decode()
    _refused(second, stayed[0], first_code, "too few of the same people were invited to both rounds")


def test_wrong_earlier_codes_are_throttled(dialogue, settings):
    settings.RECEIPT_CODE_FAILURES_PER_ADDRESS = 2
    person = dialogue.people()[0]
    first_code, _response = submit(dialogue, person, ["Fra runde 1"])
    second = add_round(dialogue)
    client = second.participant(person)
    client.post(second.url("ideas"), {"action": "add", "text": "Fra runde 2"})
    code = client.get(second.url("review")).context["code"]
    for wrong in (receipt_code_new(), "ABC"):
        response = client.post(second.url("review"), {"receipt_code": code, "previous_code": wrong})
        assert response.status_code == 200
    # Even the right code now waits for the window to pass; nothing is stored meanwhile.
    response = client.post(second.url("review"), {"receipt_code": code, "previous_code": first_code})
    assert response.status_code == 429
    assert not Receipt.objects.filter(round=second.round).exists()
    # Without an earlier code the participant can still submit.
    response = client.post(second.url("review"), {"receipt_code": code})
    assert response.status_code == 200
    assert Receipt.objects.get(round=second.round).previous is None


def test_a_retried_submit_shows_the_same_code_and_stores_one_ballot(dialogue):
    person = dialogue.people()[0]
    first_code, _response = submit(dialogue, person, ["Fra runde 1"])
    second = add_round(dialogue)
    client = second.participant(person)
    client.post(second.url("ideas"), {"action": "add", "text": "Fra runde 2"})
    code = client.get(second.url("review")).context["code"]
    data = {"receipt_code": code, "previous_code": first_code}
    assert client.post(second.url("review"), data).status_code == 200
    again = client.post(second.url("review"), data)
    assert again.status_code == 200
    assert again.context["code"].replace("-", "") == code
    assert again.context["attached"]
    assert Receipt.objects.filter(round=second.round).count() == 1


def _xmin(table: str, pk: uuid.UUID) -> int | None:
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT xmin::text FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return int(cursor.fetchone()[0])


@pytest.mark.django_db(transaction=True)
def test_the_later_rounds_shuffle_stores_the_chain_at_the_common_ancestor(make_dialogue, crowd):
    """Skole A (210) and Skole B (220) are storage cells of their own; a chain of a Skole B
    receipt in round 1 and a Skole A ballot in round 2 ends up at Børn og Unge (200), their lowest
    common ancestor, in both rounds — after the round-2 shuffle, not in the submit."""
    add_people(crowd.org, crowd.units["210"], 2, prefix="31")
    add_people(crowd.org, crowd.units["100"], 2, prefix="11")
    dialogue = make_dialogue()
    units = crowd.units
    school_b = Person.objects.filter(employments__unit=units["220"]).order_by("employee_number")[0]
    school_a = Person.objects.filter(employments__unit=units["210"]).order_by("employee_number")[0]
    first_code, _response = submit(dialogue, school_b, ["Fra Skole B i runde 1"])
    submit(dialogue, dialogue.people()[-1], ["En andens idé"])
    dialogue.publish()
    earlier = Receipt.objects.get(round=dialogue.round, contributions__text="Fra Skole B i runde 1")
    idea = Contribution.objects.get(text="Fra Skole B i runde 1")
    assert earlier.cell.unit == units["220"]
    assert idea.shuffled
    theme = services.theme_create(actor=crowd.org_admin, process=dialogue.process, title="Sparring")
    services.theme_assign(actor=crowd.org_admin, theme=theme, contribution_ids={idea.pk}, shown_ids={idea.pk})

    second = add_round(dialogue)
    receipt_xmin = _xmin("participation_receipt", earlier.pk)
    _code, response = submit(second, school_a, ["Fra Skole A i runde 2"], previous=first_code)
    assert response.status_code == 200
    later = Receipt.objects.get(round=second.round)
    assert later.cell.unit == units["210"]
    # The submit did not touch the earlier round's rows.
    earlier.refresh_from_db()
    assert earlier.cell.unit == units["220"]
    assert _xmin("participation_receipt", earlier.pk) == receipt_xmin

    ballot_shuffle(ballot=second.ballot, force=True)

    earlier.refresh_from_db()
    later.refresh_from_db()
    idea.refresh_from_db()
    new_idea = Contribution.objects.get(text="Fra Skole A i runde 2")
    assert earlier.cell.unit == units["200"]
    assert earlier.cell.ballot_id == dialogue.round.ballot_id
    assert later.cell.unit == units["200"]
    assert later.cell.ballot_id == second.round.ballot_id
    assert idea.cell_id == earlier.cell_id
    assert new_idea.cell_id == later.cell_id
    assert later.previous_id == earlier.pk
    # Rewritten with the same ids: the theme, the publication state and the chain are kept.
    assert idea.shuffled
    assert new_idea.shuffled
    assert ThemeMembership.objects.filter(theme=theme, contribution=idea).exists()
    if connection.vendor == "postgresql":
        assert _xmin("participation_receipt", earlier.pk) == _xmin("participation_receipt", later.pk)
    # The other participant's receipt stays in its own cell.
    other = Receipt.objects.get(round=dialogue.round, contributions__text="En andens idé")
    assert other.cell.unit != units["200"]
    page = look_up(first_code)
    assert "Fra Skole B i runde 1" in page
    assert "Fra Skole A i runde 2" in page
    assert "Theme: Sparring" in page
