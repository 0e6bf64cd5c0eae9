"""The participant's answering flow, end to end with the test client (DESIGN §4.5–§4.7, §7.18, §7.22)."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from puls.invitations import services as invitation_services
from puls.invitations.models import Ballot, Draft, Invitation
from puls.invitations.tokens import token_for, token_format
from puls.surveys.models import Answer, Response
from puls.surveys.tests.answer_setup import add_local_item, ballot_cookie, build_survey_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def world(personas):
    return build_survey_world(personas)


@pytest.fixture
def participant(world, personas):
    """Erik (Skole B) with his invitation cookie in the browser."""
    client = Client()
    ballot_cookie(client, world.ballot, world.invite(personas.employee_person))
    return client


def url(world, name, **kwargs):
    return reverse(f"survey_answer:{name}", kwargs={"ballot_id": world.ballot.pk, **kwargs})


def field(world, code):
    return f"q_{world.items[code].pk.hex}"


def checked_values(html, name):
    return re.findall(
        rf'<input type="(?:radio|checkbox)" name="{name}" value="([^"]*)"[^>]*\bchecked\b', html
    )


def test_without_the_invitation_cookie_there_is_no_way_in(world, personas):
    world.invite(personas.employee_person)
    for page in ("start", "review"):
        response = Client().get(url(world, page))
        assert response.status_code == 403
        assert "Use your invitation to answer" in response.content.decode()
    assert Client().get(url(world, "section", number=1)).status_code == 403


def test_a_forged_or_foreign_cookie_is_refused(world, personas):
    client = Client()
    ballot_cookie(client, world.ballot, "AAAABBBBCCCCDDDD")
    assert client.get(url(world, "start")).status_code == 403


def test_one_section_per_page_with_progress_and_accessible_questions(world, participant):
    response = participant.get(url(world, "start"))
    assert response.status_code == 302
    assert response["Location"] == url(world, "section", number=1)

    html = participant.get(url(world, "section", number=1)).content.decode()
    assert "<h1>Demands</h1>" in html
    assert "Section 1 of 4" in html
    assert re.search(r'<progress id="answer-progress"[^>]*max="4"[^>]*value="1"', html)
    assert html.count("<fieldset") == 2
    assert "<legend" in html
    assert "Do you have to work very fast?" in html
    assert html.count('type="radio"') == 10
    assert "To a very large extent" in html
    assert "Do you trust the management?" not in html  # a later section


def test_answer_half_leave_and_resume_where_you_left_off(world, participant):
    participant.post(
        url(world, "section", number=1),
        {field(world, "tempo"): "1", field(world, "rest"): "3", "action": "next"},
    )
    response = participant.post(
        url(world, "section", number=2),
        {field(world, "role"): "0", field(world, "channels"): ["0", "2"], "action": "later"},
    )
    assert response["Location"] == url(world, "saved")
    assert "Your answers are saved" in participant.get(url(world, "saved")).content.decode()

    # Later, from the invitation link again: back to the first section not yet saved.
    response = participant.get(url(world, "start"))
    assert response["Location"] == url(world, "section", number=3)

    html = participant.get(url(world, "section", number=1)).content.decode()
    assert checked_values(html, field(world, "tempo")) == ["1"]
    assert checked_values(html, field(world, "rest")) == ["3"]
    html = participant.get(url(world, "section", number=2)).content.decode()
    assert checked_values(html, field(world, "channels")) == ["0", "2"]
    # Saved answers are a draft, not a response.
    assert Response.objects.count() == 0
    assert Draft.objects.count() == 1


def test_previous_saves_and_goes_back(world, participant):
    response = participant.post(
        url(world, "section", number=2), {field(world, "role"): "1", "action": "previous"}
    )
    assert response["Location"] == url(world, "section", number=1)
    html = participant.get(url(world, "section", number=2)).content.decode()
    assert checked_values(html, field(world, "role")) == ["1"]


def test_an_invalid_value_is_shown_at_the_question_and_nothing_is_saved(world, participant):
    response = participant.post(
        url(world, "section", number=3), {field(world, "recommend"): "11", "action": "next"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert f'id="id_{field(world, "recommend")}-error"' in html
    assert participant.get(url(world, "start"))["Location"] == url(world, "section", number=1)


def answer_everything(world, participant):
    participant.post(
        url(world, "section", number=1),
        {field(world, "tempo"): "0", field(world, "rest"): "0", "action": "next"},
    )
    participant.post(url(world, "section", number=2), {field(world, "role"): "1", "action": "next"})
    participant.post(url(world, "section", number=3), {field(world, "recommend"): "8", "action": "next"})
    return participant.post(
        url(world, "section", number=4), {field(world, "comment"): "Godt kollegaskab", "action": "next"}
    )


def test_review_lists_answers_per_section_with_edit_links(world, participant):
    response = answer_everything(world, participant)
    assert response["Location"] == url(world, "review")
    html = participant.get(url(world, "review")).content.decode()
    assert "<h1>Review your answers</h1>" in html
    assert "You have answered 5 of 7 questions" in html
    assert "Godt kollegaskab" in html
    assert "Manager" in html
    assert "Not answered" in html
    for number in range(1, 5):
        assert f'href="{url(world, "section", number=number)}"' in html
    # With everything saved, coming back leads to the review.
    assert participant.get(url(world, "start"))["Location"] == url(world, "review")


def test_submit_stores_one_anonymous_response_and_confirms(world, participant, personas):
    answer_everything(world, participant)

    response = participant.post(url(world, "review"))

    assert response.status_code == 302
    assert response["Location"] == url(world, "done")
    html = participant.get(url(world, "done")).content.decode()
    assert "Thank you" in html
    assert "Your answers are stored anonymously; nobody can see what you answered." in html
    stored = Response.objects.get()
    assert stored.cell == world.cell
    assert dict(
        Answer.objects.filter(item__code__in=["tempo", "rest"]).values_list("item__code", "value")
    ) == {
        "tempo": 100,
        "rest": 0,
    }
    assert Answer.objects.get(item__code="comment").text == "Godt kollegaskab"
    assert Invitation.objects.get(person=personas.employee_person).completed is True
    assert not Draft.objects.exists()


def test_the_submit_reads_once_and_writes_each_table_once(
    world, participant, personas, django_assert_max_num_queries
):
    """The review's submit, the step `make bench SCENARIO=submit` times: one query reads the
    invitation, its ballot, survey, cell and the draft; then the flag, the questionnaire's items,
    the response with its answers (one statement on PostgreSQL, two elsewhere) and the draft
    deletion, plus the savepoint pair of the test's own transaction."""
    answer_everything(world, participant)
    participant.post(
        url(world, "section", number=2),
        {field(world, "role"): "1", field(world, "channels"): ["2", "0"], "action": "next"},
    )

    with django_assert_max_num_queries(8):
        response = participant.post(url(world, "review"))

    assert response["Location"] == url(world, "done")
    stored = {
        code: (value, choices, text)
        for code, value, choices, text in Answer.objects.values_list("item__code", "value", "choices", "text")
    }
    assert stored == {
        "tempo": (100, None, ""),
        "rest": (0, None, ""),
        "role": (1, None, ""),
        "channels": (None, [0, 2], ""),
        "recommend": (8, None, ""),
        "comment": (None, None, "Godt kollegaskab"),
    }
    assert Invitation.objects.get(person=personas.employee_person).completed is True
    assert not Draft.objects.exists()


def test_answers_saved_before_a_reprint_are_there_with_the_new_code(world, participant, personas):
    participant.post(url(world, "section", number=1), {field(world, "tempo"): "3", "action": "later"})
    invitation = Invitation.objects.get(person=personas.employee_person)
    new_code = invitation_services.invitation_reprint(actor=personas.org_admin, invitation=invitation)
    assert participant.get(url(world, "start")).status_code == 403  # the old code is dead

    client = Client()
    ballot_cookie(client, world.ballot, new_code)
    assert client.get(url(world, "start"))["Location"] == url(world, "section", number=2)
    assert checked_values(
        client.get(url(world, "section", number=1)).content.decode(), field(world, "tempo")
    ) == ["3"]
    assert client.post(url(world, "review"))["Location"] == url(world, "done")
    assert list(Answer.objects.values_list("item__code", "value")) == [("tempo", 25)]
    assert not Draft.objects.exists()


def test_a_second_submit_is_met_with_a_polite_already_answered_page(world, participant):
    answer_everything(world, participant)
    participant.post(url(world, "review"))

    for response in (participant.post(url(world, "review")), participant.get(url(world, "start"))):
        assert response.status_code == 200
        assert "You have already answered — thank you" in response.content.decode()
    assert Response.objects.count() == 1


def test_two_tabs_submitting_store_exactly_one_response(world, participant, personas):
    answer_everything(world, participant)
    second_tab = Client()
    ballot_cookie(second_tab, world.ballot, world.tokens[personas.employee_person.employee_number])
    second_tab.get(url(world, "review"))  # both tabs show the review page

    first = participant.post(url(world, "review"))
    second = second_tab.post(url(world, "review"))

    assert first.status_code == 302
    assert second.status_code == 200
    assert "You have already answered" in second.content.decode()
    assert Response.objects.count() == 1


def test_a_closed_survey_says_so(world, participant):
    Ballot.objects.filter(pk=world.ballot.pk).update(status=Ballot.Status.CLOSED, closes_at=timezone.now())
    for response in (participant.get(url(world, "start")), participant.get(url(world, "section", number=1))):
        assert response.status_code == 200
        assert "The survey is closed" in response.content.decode()


def test_a_survey_past_its_closing_time_takes_no_submit(world, participant):
    answer_everything(world, participant)
    Ballot.objects.filter(pk=world.ballot.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    response = participant.post(url(world, "review"))
    assert "The survey is closed" in response.content.decode()
    assert Response.objects.count() == 0


def test_a_cpr_like_number_is_flagged_before_it_is_saved(world, participant):
    comment = field(world, "comment")
    response = participant.post(
        url(world, "section", number=4),
        {comment: "Ring til mig, mit nummer er 120345-1234", "action": "next"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Your answer seems to contain a CPR number" in html
    assert "120345-1234" in html  # the text is kept in the field so the participant can edit it
    assert not Draft.objects.exists()

    # Edited: saved without fuss.
    response = participant.post(url(world, "section", number=4), {comment: "Ring til mig", "action": "next"})
    assert response["Location"] == url(world, "review")


def test_the_participant_may_keep_a_number_that_is_not_a_cpr_number(world, participant):
    comment = field(world, "comment")
    data = {comment: "Sagsnummer 010203-4455", "action": "next"}
    assert "CPR number" in participant.post(url(world, "section", number=4), data).content.decode()
    response = participant.post(
        url(world, "section", number=4), {**data, f"keep_{world.items['comment'].pk.hex}": "on"}
    )
    assert response["Location"] == url(world, "review")
    assert "Looks like it contains a CPR number" in participant.get(url(world, "review")).content.decode()


@pytest.mark.parametrize("text", ["Vi mangler 1234567890 kr.", "Ring på 12345678", "Lokale 991399-1234"])
def test_ordinary_numbers_pass_without_a_warning(world, participant, text):
    response = participant.post(
        url(world, "section", number=4), {field(world, "comment"): text, "action": "next"}
    )
    assert response.status_code == 302


def test_every_answering_page_is_sent_no_store(world, participant):
    answer_everything(world, participant)
    pages = [url(world, "start"), url(world, "section", number=1), url(world, "review"), url(world, "saved")]
    for page in pages:
        assert "no-store" in participant.get(page)["Cache-Control"], page
    assert "no-store" in participant.post(url(world, "review"))["Cache-Control"]
    assert "no-store" in participant.get(url(world, "done"))["Cache-Control"]
    assert "no-store" in participant.get(url(world, "start"))["Cache-Control"]  # the already-answered page


def test_items_follow_the_chosen_language(world, participant):
    participant.cookies["django_language"] = "da"
    html = participant.get(url(world, "section", number=1)).content.decode()
    assert "Skal du arbejde meget hurtigt?" in html
    assert "Krav" in html
    participant.cookies["django_language"] = "en"
    html = participant.get(url(world, "section", number=1)).content.decode()
    assert "Do you have to work very fast?" in html
    assert "To a very large extent" in html


def test_local_items_appear_for_cells_within_their_unit(world, participant, personas):
    add_local_item(
        world, personas.units["200"], "boern", "Fungerer overleveringen?", "Does the handover work?"
    )
    add_local_item(
        world, personas.units["310"], "pleje", "Er der nok hjælpemidler?", "Are there enough aids?"
    )
    html = participant.get(url(world, "section", number=5)).content.decode()
    assert "Questions from your workplace" in html
    assert "Does the handover work?" in html
    assert "Are there enough aids?" not in html
    assert participant.get(url(world, "section", number=6)).status_code == 404


def test_from_launch_through_the_code_to_a_counted_answer(personas):
    """The whole path with the invitations services: launch, type the code, answer, submit, count."""
    world = build_survey_world(personas, launched=False)
    invitation_services.ballot_launch(actor=personas.org_admin, ballot=world.ballot)
    invitation = Invitation.objects.get(ballot=world.ballot, person=personas.employee_person)
    code = token_format(token_for(invitation.pk, invitation.issue_number))

    client = Client()
    response = client.post(reverse("invitations:code"), {"code": code.lower()}, follow=True)
    assert response.redirect_chain[-1][0] == url(world, "section", number=1)
    assert "Section 1 of 4" in response.content.decode()

    client.post(url(world, "section", number=1), {field(world, "tempo"): "2", "action": "later"})
    assert client.get(url(world, "start"))["Location"] == url(world, "section", number=2)
    assert client.post(url(world, "review"))["Location"] == url(world, "done")

    invitation_services.ballot_count(ballot=world.ballot)
    world.ballot.refresh_from_db()
    assert world.ballot.completed_count == 0  # counts move in batches of at least k, never one answer
    stored = Response.objects.get()
    assert stored.cell_id == invitation.cell_id
    assert list(stored.answers.values_list("item__code", "value")) == [("tempo", 50)]
    assert "You have already answered" in client.get(url(world, "start")).content.decode()
