"""The participant behind a ballot cookie and the refusal pages every owning app shares
(`puls.invitations.participant`, DESIGN §4.6, §4.7). The kinds' own pages are tested in their apps."""

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.http import Http404, HttpRequest, HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from puls.invitations.models import Ballot, Draft, Invitation
from puls.invitations.participant import Participant, ParticipantPages, Submitted
from puls.invitations.services import AlreadySubmitted, BallotClosed, BallotError, InvalidSubmission
from puls.invitations.tests.conftest import Launched, survey_ballot
from puls.invitations.views import BALLOT_COOKIE_SALT, ballot_cookie_name
from puls.surveys.ballot_kind import SURVEY_KIND, SurveyKind
from puls.surveys.models import Response

pytestmark = pytest.mark.django_db


class SurveyParticipant(Participant):
    url_namespace = "survey_answer"


class RecordingPages(ParticipantPages[SurveyParticipant]):
    """Records which page would be rendered, with what, instead of rendering it."""

    def __init__(self, kind: str = SURVEY_KIND) -> None:
        super().__init__(kind=kind, participant=SurveyParticipant, templates="surveys", related=("cell",))
        self.shown: list[tuple[str, dict[str, Any]]] = []

    def render(
        self, request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
    ) -> HttpResponse:
        self.shown.append((template, context))
        return HttpResponse(template, status=status)


def request_with(ballot: Ballot, token: str | None) -> HttpRequest:
    request = RequestFactory().get(f"/b/{ballot.pk}/survey/")
    if token is not None:
        name = ballot_cookie_name(ballot.pk)
        signer = HttpResponse()
        signer.set_signed_cookie(name, token, salt=BALLOT_COOKIE_SALT)
        request.COOKIES[name] = signer.cookies[name].value
    return request


def page_for(ballot: Ballot, token: str | None, kind: str = SURVEY_KIND) -> tuple[HttpResponse, list[Any]]:
    """The refusal page the pages of `kind` give for the ballot with this cookie, and what it shows."""
    pages = RecordingPages(kind)
    response = pages.participant_or_response(request_with(ballot, token), ballot.pk)
    assert isinstance(response, HttpResponse)
    return response, pages.shown


def participant_of(launched: Launched, pages: RecordingPages | None = None) -> SurveyParticipant:
    token = launched.token(launched.personas.employee_person)
    participant = (pages or RecordingPages()).participant_or_response(
        request_with(launched.ballot, token), launched.ballot.pk
    )
    assert isinstance(participant, SurveyParticipant)
    return participant


def test_the_cookie_gives_the_participant_of_the_pages_kind_with_an_empty_draft(launched):
    participant = participant_of(launched)

    assert participant.invitation == launched.invitation(launched.personas.employee_person)
    assert participant.ballot == launched.ballot
    assert participant.holder.invitation is participant.invitation
    assert participant.draft == {}
    assert participant.url("section", number=2) == reverse(
        "survey_answer:section", kwargs={"ballot_id": launched.ballot.pk, "number": 2}
    )
    assert participant.url("review") == reverse(
        "survey_answer:review", kwargs={"ballot_id": launched.ballot.pk}
    )


@pytest.mark.parametrize("token", [None, "not-a-token"])
def test_without_a_current_code_the_participant_is_told_to_use_the_invitation(launched, token):
    response, shown = page_for(launched.ballot, token)

    assert response.status_code == 403
    assert shown == [("answer_no_access.html", {"ballot": launched.ballot})]


def test_a_ballot_of_another_kind_an_unknown_or_an_unlaunched_ballot_is_not_found(launched):
    token = launched.token(launched.personas.employee_person)
    with pytest.raises(Http404):
        page_for(launched.ballot, token, kind="participation.round")
    with pytest.raises(Http404):
        RecordingPages().participant_or_response(request_with(launched.ballot, token), uuid.uuid4())
    draft_ballot, _survey, _items = survey_ballot(launched.personas.org, title="Not launched")
    with pytest.raises(Http404):
        page_for(draft_ballot, None)


def test_a_closed_ballot_says_so_even_with_a_current_code(launched):
    token = launched.token(launched.personas.employee_person)
    Ballot.objects.filter(pk=launched.ballot.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    response, [(template, context)] = page_for(launched.ballot, token)

    assert response.status_code == 200
    assert template == "answer_closed.html"
    assert context["not_yet_open"] is False


def test_a_ballot_that_has_not_opened_yet_says_when_it_opens(launch):
    launched = launch(opens_at=timezone.now() + timedelta(days=1))
    _response, [(template, context)] = page_for(launched.ballot, None)

    assert template == "answer_closed.html"
    assert context["not_yet_open"] is True


def test_after_the_submit_the_participant_is_thanked_again(launched):
    token = launched.token(launched.personas.employee_person)
    launched.submit(token)
    response, shown = page_for(launched.ballot, token)

    assert response.status_code == 200
    assert shown == [("answer_already.html", {"ballot": launched.ballot})]


def test_draft_update_replaces_only_the_given_keys_and_is_read_back(launched):
    participant = participant_of(launched)
    participant.draft_update(answers={"a": 1}, saved=["one"])
    participant.draft_update(saved=["one", "two"])

    again = participant_of(launched)
    assert again.draft == {"answers": {"a": 1}, "saved": ["one", "two"]}
    # The draft is stored under a key of its own, never the invitation or the token (DESIGN §4.7).
    [stored] = Draft.objects.filter(ballot=launched.ballot)
    token = launched.token(launched.personas.employee_person)
    assert str(again.invitation.pk) not in stored.key
    assert token not in stored.key


def test_draft_list_and_draft_dict_are_copies_with_empty_defaults(launched):
    participant = participant_of(launched)
    participant.draft = {"saved": ["one"], "answers": {"a": 1}, "odd": "text"}

    saved = participant.draft_list("saved")
    saved.append("two")
    answers = participant.draft_dict("answers")
    answers["b"] = 2

    assert participant.draft == {"saved": ["one"], "answers": {"a": 1}, "odd": "text"}
    assert participant.draft_list("odd") == []
    assert participant.draft_list("missing") == []
    assert participant.draft_dict("odd") == {}
    assert participant.draft_dict("missing") == {}


def test_a_draft_saved_after_a_submit_from_another_tab_is_not_kept(launched):
    participant = participant_of(launched)
    launched.submit(launched.token(launched.personas.employee_person))

    participant.draft_update(answers={"a": 1})

    assert not Draft.objects.filter(ballot=launched.ballot).exists()
    _response, shown = page_for(launched.ballot, launched.token(launched.personas.employee_person))
    assert shown == [("answer_already.html", {"ballot": launched.ballot})]


@pytest.mark.parametrize(
    ("refusal", "template", "status"),
    [
        (AlreadySubmitted(), "answer_already.html", 200),
        (BallotClosed(), "answer_closed.html", 200),
        (InvalidSubmission({}), "answer_no_access.html", 403),
        (BallotError(), "answer_no_access.html", 403),
    ],
)
def test_each_refusal_has_its_page(launched, refusal, template, status):
    pages = RecordingPages()

    response = pages.refused(RequestFactory().get("/"), launched.ballot, refusal)

    assert response.status_code == status
    assert [shown for shown, _context in pages.shown] == [template]


def test_launched_ballot_is_the_ballot_of_the_kind_and_not_found_before_launch(launched):
    pages = RecordingPages()

    assert pages.launched_ballot(launched.ballot.pk, select_related=("survey",)) == launched.ballot
    with pytest.raises(Http404):
        RecordingPages(kind="participation.round").launched_ballot(launched.ballot.pk)
    draft_ballot, _survey, _items = survey_ballot(launched.personas.org, title="Not launched")
    with pytest.raises(Http404):
        pages.launched_ballot(draft_ballot.pk)


def test_render_uses_the_owning_apps_template_folder(launched):
    pages = ParticipantPages(kind=SURVEY_KIND, participant=SurveyParticipant, templates="surveys")

    response = pages.render(
        RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE="en"),
        "answer_already.html",
        {"ballot": launched.ballot},
    )

    assert response.status_code == 200
    assert "You have already answered" in response.content.decode()


def test_submit_stores_the_ballot_once_and_refuses_a_second_submit_with_the_already_page(launched):
    participant = participant_of(launched)
    participant.draft_update(**launched.answers())
    pages = RecordingPages()

    first = pages.submit(RequestFactory().post("/"), participant, launched.answers())
    second = pages.submit(RequestFactory().post("/"), participant, launched.answers())

    assert first == Submitted(stored=True)
    assert Response.objects.filter(survey__ballot=launched.ballot).count() == 1
    assert Invitation.objects.get(pk=participant.invitation.pk).completed is True
    assert not Draft.objects.filter(ballot=launched.ballot).exists()
    assert second.stored is False
    assert second.refusal is not None
    assert pages.shown == [("answer_already.html", {"ballot": launched.ballot})]


def test_submit_returns_the_kinds_errors_and_stores_nothing(launched):
    participant = participant_of(launched)

    submitted = RecordingPages().submit(
        RequestFactory().post("/"), participant, {"answers": {uuid.uuid4().hex: 1}}
    )

    assert submitted.stored is False
    assert submitted.refusal is None
    assert submitted.errors
    assert submitted.failed is False
    assert not Response.objects.filter(survey__ballot=launched.ballot).exists()


def test_a_submit_that_fails_is_failed_and_may_be_tried_again(launched, monkeypatch):
    participant = participant_of(launched)

    def fail(self, ballot, cell, data):
        raise ValueError("the storage is gone")

    monkeypatch.setattr(SurveyKind, "write_submission", fail)
    submitted = RecordingPages().submit(RequestFactory().post("/"), participant, launched.answers())

    assert submitted == Submitted(failed=True)
    monkeypatch.undo()
    assert RecordingPages().submit(RequestFactory().post("/"), participant, launched.answers()).stored
