"""The ideas round kind: draft, review with receipt code, sealed idempotent submit, supports,
more ideas through the receipt code (DESIGN §4.7, §4.9)."""

import pytest
from django.contrib.sessions.models import Session

from puls.core.models import ThrottleCount
from puls.invitations import services as ballots
from puls.invitations.models import Draft, Invitation
from puls.invitations.tests.test_anonymity import _stored_text
from puls.participation.models import Contribution, NamedAuthorship, Process, Receipt, Support
from puls.participation.receipts import receipt_code_format, receipt_code_hmac

pytestmark = pytest.mark.django_db


def test_participant_writes_two_ideas_submits_and_gets_a_receipt_code(dialogue):
    person = dialogue.people()[0]
    client = dialogue.participant(person)
    page = client.get(dialogue.url("ideas"))
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("max-age=0") or "no-store" in page["Cache-Control"]
    client.post(dialogue.url("ideas"), {"action": "add", "text": "Mere tid til kerneopgaven"})
    client.post(dialogue.url("ideas"), {"action": "add", "text": "Bedre overlevering mellem vagter"})
    # A draft, not a contribution, until the submit.
    assert Contribution.objects.count() == 0
    assert Draft.objects.filter(ballot_id=dialogue.round.ballot_id).count() == 1

    review = client.get(dialogue.url("review"))
    code = review.context["code"]
    assert review.context["code_shown"] in review.content.decode()
    done = client.post(dialogue.url("review"), {"receipt_code": code})
    assert done.status_code == 200
    assert "no-store" in done["Cache-Control"]
    assert review.context["code_shown"] in done.content.decode()
    assert "data-puls-copy" in done.content.decode()

    receipt = Receipt.objects.get()
    assert receipt.code_hmac == receipt_code_hmac(code)
    assert sorted(Contribution.objects.filter(receipt=receipt).values_list("text", flat=True)) == [
        "Bedre overlevering mellem vagter",
        "Mere tid til kerneopgaven",
    ]
    assert Draft.objects.count() == 0
    assert Invitation.objects.get(ballot_id=dialogue.round.ballot_id, person=person).completed is True
    # Only the HMAC of the receipt code is stored, anywhere.
    stored = _stored_text()
    assert code not in stored
    assert receipt_code_format(code) not in stored
    # The contribution's cell is the person's storage cell, never their unit below k.
    invitation = Invitation.objects.get(ballot_id=dialogue.round.ballot_id, person=person)
    assert {c.cell_id for c in Contribution.objects.all()} == {invitation.cell_id}


def test_a_retried_submit_shows_the_same_code_and_stores_one_ballot(dialogue):
    person = dialogue.people()[0]
    client = dialogue.participant(person)
    client.post(dialogue.url("ideas"), {"action": "add", "text": "Flere hænder om morgenen"})
    code = client.get(dialogue.url("review")).context["code"]
    first = client.post(dialogue.url("review"), {"receipt_code": code})
    second = client.post(dialogue.url("review"), {"receipt_code": code})
    assert first.context["code"] == second.context["code"]
    assert second.status_code == 200
    assert Receipt.objects.count() == 1
    assert Contribution.objects.count() == 1
    # Another tab's review page had another code: it is not shown as a receipt.
    other = client.post(dialogue.url("review"), {"receipt_code": "ABCDEFGHJKMNPQRS"})
    assert "already taken part" in other.content.decode()


def test_the_service_submit_is_idempotent(dialogue):
    person = dialogue.people()[1]
    holder = ballots.TokenHolder(ballot=dialogue.ballot, token=dialogue.token(person))
    data = {"receipt_code": "0123456789ABCDEF", "ideas": [{"text": "Idé", "category": ""}], "supports": []}
    ballots.ballot_submit(holder=holder, data=data)
    with pytest.raises(ballots.AlreadySubmitted):
        ballots.ballot_submit(
            holder=ballots.TokenHolder(ballot=dialogue.ballot, token=dialogue.token(person)), data=data
        )
    assert Receipt.objects.count() == 1
    assert Contribution.objects.count() == 1


def test_a_submit_without_a_receipt_code_or_input_stores_nothing(dialogue):
    person = dialogue.people()[1]
    holder = ballots.TokenHolder(ballot=dialogue.ballot, token=dialogue.token(person))
    with pytest.raises(ballots.InvalidSubmission):
        ballots.ballot_submit(holder=holder, data={"ideas": [{"text": "x"}], "supports": []})
    holder = ballots.TokenHolder(ballot=dialogue.ballot, token=dialogue.token(person))
    with pytest.raises(ballots.InvalidSubmission):
        ballots.ballot_submit(
            holder=holder, data={"receipt_code": "0123456789ABCDEF", "ideas": [], "supports": []}
        )
    assert Receipt.objects.count() == 0
    assert Invitation.objects.get(ballot_id=dialogue.round.ballot_id, person=person).completed is False


def test_new_ideas_are_shown_to_others_only_after_the_shuffle_and_can_be_supported(dialogue):
    people = dialogue.people()
    dialogue.submit_ideas(people[0], ["Fælles frokostpause"])
    client = dialogue.participant(people[1])
    assert "Fælles frokostpause" not in client.get(dialogue.url("ideas")).content.decode()
    dialogue.publish()
    page = client.get(dialogue.url("ideas"))
    assert "Fælles frokostpause" in page.content.decode()
    idea = Contribution.objects.get()
    dialogue.submit_ideas(people[1], [], supports=[idea.pk.hex])
    support = Support.objects.get()
    assert support.contribution_id == idea.pk
    # A hidden idea cannot be supported.
    idea.hidden = True
    idea.save()
    holder = ballots.TokenHolder(ballot=dialogue.ballot, token=dialogue.token(people[2]))
    with pytest.raises(ballots.InvalidSubmission):
        ballots.ballot_submit(
            holder=holder, data={"receipt_code": "0123456789ABCDEF", "ideas": [], "supports": [idea.pk.hex]}
        )


def test_more_ideas_go_in_through_the_receipt_code(dialogue, client):
    _participant, code = dialogue.submit_ideas(dialogue.people()[0], ["Første idé"])
    receipt = Receipt.objects.get()
    response = client.post(
        dialogue.url("more"), {"code": code.lower(), "text": "Anden idé"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "Your idea was added" in response.content.decode()
    assert sorted(receipt.contributions.values_list("text", flat=True)) == ["Anden idé", "Første idé"]
    later = Contribution.objects.get(text="Anden idé")
    assert (later.cell_id, later.shuffled) == (receipt.cell_id, False)
    wrong = client.post(
        dialogue.url("more"), {"code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ", "text": "x"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "not recognised" in wrong.content.decode()
    assert ThrottleCount.objects.exists()
    assert not Session.objects.exists()


def test_named_process_says_so_and_keeps_authorship_in_its_own_table(make_dialogue):
    dialogue = make_dialogue(mode=Process.Mode.NAMED)
    person = dialogue.people()[0]
    client = dialogue.participant(person)
    assert "This is a named process" in client.get(dialogue.url("ideas")).content.decode()
    assert "This is a named process" in client.get(dialogue.url("review")).content.decode()
    dialogue.submit_ideas(person, ["Navngivet idé"])
    authorship = NamedAuthorship.objects.get()
    assert (authorship.person_id, authorship.contribution.text) == (person.pk, "Navngivet idé")


def test_anonymous_process_writes_no_authorship(dialogue):
    dialogue.submit_ideas(dialogue.people()[0], ["Anonym idé"])
    assert not NamedAuthorship.objects.exists()
    assert (
        "anonymously"
        in dialogue.participant(dialogue.people()[1]).get(dialogue.url("ideas")).content.decode()
    )
