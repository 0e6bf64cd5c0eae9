"""The participant's answering flow under /b/<ballot id>/survey/ (DESIGN §4.6, §4.7).

Access is by the ballot-scoped cookie only (set when the invitation link or printed code is used);
no login, no session row. One section per page; every move saves the draft, so a participant can
leave and come back to the first section they have not saved yet. The submit is the invitations
app's sealed, idempotent `ballot_submit`. Every page is sent with Cache-Control: no-store.
"""

import uuid
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from puls.core.cpr import looks_like_cpr
from puls.invitations import services as invitation_services
from puls.invitations.models import Ballot, Invitation
from puls.invitations.services import (
    AlreadySubmitted,
    BallotClosed,
    BallotError,
    InvalidSubmission,
    SubmissionFailed,
    TokenHolder,
)
from puls.invitations.views import ballot_with_holder
from puls.surveys.ballot_kind import (
    SURVEY_KIND,
    AnswerSection,
    is_blank,
    item_options,
    option_label,
    survey_sections,
)
from puls.surveys.forms_answer import SectionAnswerForm
from puls.surveys.models import Item, Survey, localised


@dataclass
class Participant:
    """A participant's view of one open survey: who they hold, where they are stored, their draft."""

    holder: TokenHolder
    invitation: Invitation
    draft: dict[str, Any]

    @property
    def ballot(self) -> Ballot:
        return self.holder.ballot

    @property
    def survey(self) -> Survey:
        return self.ballot.survey  # read with the invitation (_participant)

    # Read when a page needs them, not for a submit that succeeds.
    @cached_property
    def sections(self) -> list[AnswerSection]:
        return survey_sections(self.survey, self.invitation.cell)

    @property
    def answers(self) -> dict[str, Any]:
        answers = self.draft.get("answers")
        return answers if isinstance(answers, dict) else {}

    @property
    def saved_sections(self) -> list[str]:
        saved = self.draft.get("saved")
        return saved if isinstance(saved, list) else []

    def first_number(self, index: int) -> int:
        """The number of the first question of section `index` (1-based), counting across sections."""
        return 1 + sum(len(section.items) for section in self.sections[: index - 1])

    def url(self, name: str, **kwargs: Any) -> str:
        return reverse(f"survey_answer:{name}", kwargs={"ballot_id": self.ballot.pk, **kwargs})


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, f"surveys/{template}", context, status=status)


# Read with the invitation on every participant request: the survey and the storage cell.
_RELATED = ("ballot__survey", "cell")


def _participant(request: HttpRequest, ballot_id: uuid.UUID) -> Participant | HttpResponse:
    """The participant behind the ballot cookie, or the page that explains why they cannot answer."""
    # One query for the ballot, the invitation behind the cookie, its storage cell, the survey and
    # the draft.
    ballot, holder = ballot_with_holder(
        request, ballot_id, kind=SURVEY_KIND, related=_RELATED, with_draft=True
    )
    if ballot is None or ballot.status == Ballot.Status.DRAFT:
        raise Http404
    if not ballot.is_open:
        return _closed(request, ballot)
    invitation = holder.invitation if holder else None
    if holder is None or invitation is None:
        return _no_access(request, ballot)
    if invitation.completed:
        return _already(request, ballot)
    try:
        draft = invitation_services.draft_get(holder=holder)
    except BallotError as refusal:
        return _refused(request, ballot, refusal)
    return Participant(holder=holder, invitation=invitation, draft=draft or {})


def _no_access(request: HttpRequest, ballot: Ballot) -> HttpResponse:
    return _render(request, "answer_no_access.html", {"ballot": ballot}, status=403)


def _already(request: HttpRequest, ballot: Ballot) -> HttpResponse:
    """A second submit (double click, another tab, a retry) is thanked, never an error."""
    return _render(request, "answer_already.html", {"ballot": ballot})


def _closed(request: HttpRequest, ballot: Ballot) -> HttpResponse:
    not_yet_open = ballot.status == Ballot.Status.OPEN and timezone.now() < ballot.opens_at
    return _render(request, "answer_closed.html", {"ballot": ballot, "not_yet_open": not_yet_open})


def _refused(request: HttpRequest, ballot: Ballot, refusal: BallotError) -> HttpResponse:
    """The page for a refusal by the invitations services (the state changed since the page loaded)."""
    if isinstance(refusal, AlreadySubmitted):
        return _already(request, ballot)
    if isinstance(refusal, BallotClosed):
        return _closed(request, ballot)
    return _no_access(request, ballot)


@never_cache
@require_http_methods(["GET"])
def answer_start(request: HttpRequest, ballot_id: uuid.UUID) -> HttpResponse:
    """Entry and resume point: the first section not saved yet, or the review when all are."""
    participant = _participant(request, ballot_id)
    if isinstance(participant, HttpResponse):
        return participant
    saved = set(participant.saved_sections)
    for number, section in enumerate(participant.sections, start=1):
        if section.key not in saved:
            return redirect(participant.url("section", number=number))
    return redirect(participant.url("review"))


@never_cache
@require_http_methods(["GET", "POST"])
def answer_section(request: HttpRequest, ballot_id: uuid.UUID, number: int) -> HttpResponse:
    participant = _participant(request, ballot_id)
    if isinstance(participant, HttpResponse):
        return participant
    if not 1 <= number <= len(participant.sections):
        raise Http404
    section = participant.sections[number - 1]
    form = SectionAnswerForm(
        request.POST or None,
        items=section.items,
        answers=participant.answers,
        first_number=participant.first_number(number),
    )
    if request.method == "POST" and form.is_valid() and not form.needs_confirmation:
        try:
            _draft_store(participant, section, form.answers())
        except BallotError as refusal:
            return _refused(request, participant.ballot, refusal)
        action = request.POST.get("action")
        if action == "later":
            return redirect(participant.url("saved"))
        if action == "previous":
            return redirect(
                participant.url("section", number=number - 1) if number > 1 else participant.url("start")
            )
        if number < len(participant.sections):
            return redirect(participant.url("section", number=number + 1))
        return redirect(participant.url("review"))
    return _render(
        request,
        "answer_section.html",
        {
            "ballot": participant.ballot,
            "section": section,
            "form": form,
            "questions": form.questions(),
            "number": number,
            "count": len(participant.sections),
            "previous_url": participant.url("section", number=number - 1) if number > 1 else None,
        },
    )


def _draft_store(participant: Participant, section: AnswerSection, section_answers: dict[str, Any]) -> None:
    answers = dict(participant.answers)
    for key, value in section_answers.items():
        if is_blank(value):
            answers.pop(key, None)
        else:
            answers[key] = value
    saved = [key for key in participant.saved_sections if key != section.key] + [section.key]
    invitation_services.draft_save(holder=participant.holder, data={"answers": answers, "saved": saved})


@dataclass
class ReviewedAnswer:
    number: int
    text: str
    shown_value: str | None
    is_free_text: bool
    cpr_warning: bool
    error: str | None


def _shown_value(item: Item, value: Any) -> str | None:
    if is_blank(value):
        return None
    options = item_options(item)
    if (
        item.kind in (Item.Kind.LIKERT, Item.Kind.SINGLE)
        and isinstance(value, int)
        and 0 <= value < len(options)
    ):
        return option_label(options[value])
    if item.kind == Item.Kind.MULTIPLE and isinstance(value, list):
        return ", ".join(
            option_label(options[v]) for v in value if isinstance(v, int) and 0 <= v < len(options)
        )
    return str(value)


def _review_sections(participant: Participant, errors: dict[str, list[str]]) -> list[dict[str, Any]]:
    answers = participant.answers
    reviewed = []
    for number, section in enumerate(participant.sections, start=1):
        first = participant.first_number(number)
        rows = []
        for offset, item in enumerate(section.items):
            value = answers.get(item.id.hex)
            item_errors = errors.get(item.id.hex) or errors.get(str(item.id)) or []
            rows.append(
                ReviewedAnswer(
                    number=first + offset,
                    text=localised(item, "text"),
                    shown_value=_shown_value(item, value),
                    is_free_text=item.kind == Item.Kind.FREE_TEXT,
                    cpr_warning=isinstance(value, str) and looks_like_cpr(value),
                    error=item_errors[0] if item_errors else None,
                )
            )
        reviewed.append(
            {
                "number": number,
                "title": section.title,
                "edit_url": participant.url("section", number=number),
                "answers": rows,
                "has_error": any(row.error for row in rows),
            }
        )
    return reviewed


@never_cache
@require_http_methods(["GET", "POST"])
def answer_review(request: HttpRequest, ballot_id: uuid.UUID) -> HttpResponse:
    """All answers per section with edit links, and the one submit button."""
    participant = _participant(request, ballot_id)
    if isinstance(participant, HttpResponse):
        return participant
    errors: dict[str, list[str]] = {}
    failed = False
    if request.method == "POST":
        data = {"answers": {key: value for key, value in participant.answers.items() if not is_blank(value)}}
        try:
            invitation_services.ballot_submit(holder=participant.holder, data=data)
        except InvalidSubmission as invalid:
            errors = invalid.errors
        except SubmissionFailed:
            failed = True
        except BallotError as refusal:
            return _refused(request, participant.ballot, refusal)
        else:
            # Not redirect(): that first tries the path as a view name (the submit is the hot path).
            return HttpResponseRedirect(participant.url("done"))
    sections = _review_sections(participant, errors)
    return _render(
        request,
        "answer_review.html",
        {
            "ballot": participant.ballot,
            "sections": sections,
            "errors": errors,
            "failed": failed,
            "answered": sum(1 for s in sections for row in s["answers"] if row.shown_value is not None),
            "total": sum(len(s["answers"]) for s in sections),
            "cpr_warning": any(row.cpr_warning for s in sections for row in s["answers"]),
            "count": len(participant.sections),
            "previous_url": participant.url("section", number=len(participant.sections))
            if participant.sections
            else None,
        },
    )


@never_cache
@require_http_methods(["GET"])
def answer_saved(request: HttpRequest, ballot_id: uuid.UUID) -> HttpResponse:
    """After "save and continue later": how to come back."""
    participant = _participant(request, ballot_id)
    if isinstance(participant, HttpResponse):
        return participant
    return _render(
        request, "answer_saved.html", {"ballot": participant.ballot, "resume_url": participant.url("start")}
    )


@never_cache
@require_http_methods(["GET"])
def answer_done(request: HttpRequest, ballot_id: uuid.UUID) -> HttpResponse:
    """The confirmation after the submit. Shows nothing about the answers."""
    ballot = Ballot.objects.filter(pk=ballot_id, kind=SURVEY_KIND).first()
    if ballot is None or ballot.status == Ballot.Status.DRAFT:
        raise Http404
    return _render(request, "answer_done.html", {"ballot": ballot})
