"""The participant's answering flow under /b/<ballot id>/survey/ (DESIGN §4.6, §4.7).

Access is by the ballot-scoped cookie only (set when the invitation link or printed code is used);
no login, no session row. The cookie lookup, the draft, the closed / already answered / no access
pages and the sealed, idempotent submit are the invitations app's (`puls.invitations.participant`);
the survey's own part is here. One section per page; every move saves the draft, so a participant
can leave and come back to the first section they have not saved yet. Every page is sent with
Cache-Control: no-store.
"""

import uuid
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from puls.core.cpr import looks_like_cpr
from puls.invitations import participant as invitations_participant
from puls.invitations.participant import ParticipantPages
from puls.invitations.services import BallotError
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


class Participant(invitations_participant.Participant):
    """A participant's view of one open survey: who they hold, where they are stored, their draft."""

    url_namespace = "survey_answer"

    @property
    def survey(self) -> Survey:
        return self.ballot.survey  # read with the invitation (PAGES.related)

    # Read when a page needs them, not for a submit that succeeds.
    @cached_property
    def sections(self) -> list[AnswerSection]:
        return survey_sections(self.survey, self.invitation.cell)

    @property
    def answers(self) -> dict[str, Any]:
        return self.draft_dict("answers")

    @property
    def saved_sections(self) -> list[str]:
        return self.draft_list("saved")

    def first_number(self, index: int) -> int:
        """The number of the first question of section `index` (1-based), counting across sections."""
        return 1 + sum(len(section.items) for section in self.sections[: index - 1])


PAGES = ParticipantPages(
    kind=SURVEY_KIND,
    participant=Participant,
    templates="surveys",
    # Read with the invitation on every participant request: the survey and the storage cell.
    related=("ballot__survey", "cell"),
)


@never_cache
@require_http_methods(["GET"])
def answer_start(request: HttpRequest, ballot_id: uuid.UUID) -> HttpResponse:
    """Entry and resume point: the first section not saved yet, or the review when all are."""
    participant = PAGES.participant_or_response(request, ballot_id)
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
    participant = PAGES.participant_or_response(request, ballot_id)
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
            return PAGES.refused(request, participant.ballot, refusal)
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
    return PAGES.render(
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
    participant.draft_update(answers=answers, saved=saved)


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
    participant = PAGES.participant_or_response(request, ballot_id)
    if isinstance(participant, HttpResponse):
        return participant
    errors: dict[str, list[str]] = {}
    failed = False
    if request.method == "POST":
        data = {"answers": {key: value for key, value in participant.answers.items() if not is_blank(value)}}
        submitted = PAGES.submit(request, participant, data)
        if submitted.refusal is not None:
            return submitted.refusal
        if submitted.stored:
            # Not redirect(): that first tries the path as a view name (the submit is the hot path).
            return HttpResponseRedirect(participant.url("done"))
        errors, failed = submitted.errors, submitted.failed
    sections = _review_sections(participant, errors)
    return PAGES.render(
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
    participant = PAGES.participant_or_response(request, ballot_id)
    if isinstance(participant, HttpResponse):
        return participant
    return PAGES.render(
        request, "answer_saved.html", {"ballot": participant.ballot, "resume_url": participant.url("start")}
    )


@never_cache
@require_http_methods(["GET"])
def answer_done(request: HttpRequest, ballot_id: uuid.UUID) -> HttpResponse:
    """The confirmation after the submit. Shows nothing about the answers."""
    return PAGES.render(request, "answer_done.html", {"ballot": PAGES.launched_ballot(ballot_id)})
