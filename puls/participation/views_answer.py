"""The participant's pages of a dialogue round under /b/<ballot id>/dialogue/ (DESIGN §4.6, §4.7, §4.9).

Access is by the ballot-scoped cookie only (set by the invitation link or printed code); no login,
no session row. Everything a participant enters is a draft until the sealed submit on the review
page. The review page makes the receipt code and carries it in the submit form, so a retried
submit shows the same code; only its HMAC is stored, by the submit. More ideas in the same open
round go in through the receipt code ("more/"), which leads to the receipt, never to the invitation.
Every page is sent with Cache-Control: no-store.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from puls.core.cpr import looks_like_cpr
from puls.core.throttle import throttle_exceeded, throttle_failure
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
from puls.participation.ballot_kind import ROUND_BALLOT_KIND
from puls.participation.forms import IdeaForm, MoreIdeasForm
from puls.participation.models import Contribution, Receipt, Round
from puls.participation.receipts import (
    receipt_code_format,
    receipt_code_hmac,
    receipt_code_new,
    receipt_code_normalise,
)
from puls.participation.round_kinds import round_kind_get
from puls.participation.round_kinds.ideas import MAX_IDEAS, supports_allowed
from puls.participation.services import ParticipationError, ideas_add_by_receipt, receipt_for_code
from puls.participation.throttle import receipt_throttle, throttled_response

# Read with the invitation on every participant request: the round, its process, the storage cell.
_RELATED = ("ballot__dialogue_round__process", "cell")


@dataclass
class Participant:
    holder: TokenHolder
    invitation: Invitation
    draft: dict[str, Any]

    @property
    def ballot(self) -> Ballot:
        return self.holder.ballot

    @property
    def round(self) -> Round:
        return self.ballot.dialogue_round  # type: ignore[attr-defined,no-any-return]

    @property
    def ideas(self) -> list[dict[str, str]]:
        ideas = self.draft.get("ideas")
        return [idea for idea in ideas if isinstance(idea, dict)] if isinstance(ideas, list) else []

    @property
    def supports(self) -> list[str]:
        supports = self.draft.get("supports")
        return [str(key) for key in supports] if isinstance(supports, list) else []

    def url(self, name: str) -> str:
        return reverse(f"dialogue_answer:{name}", kwargs={"ballot_id": self.ballot.pk})

    def save(self, *, ideas: list[dict[str, str]] | None = None, supports: list[str] | None = None) -> None:
        data = {
            "ideas": self.ideas if ideas is None else ideas,
            "supports": self.supports if supports is None else supports,
        }
        invitation_services.draft_save(holder=self.holder, data=data)


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, f"participation/{template}", context, status=status)


def _closed(request: HttpRequest, ballot: Ballot) -> HttpResponse:
    not_yet_open = ballot.status == Ballot.Status.OPEN and timezone.now() < ballot.opens_at
    return _render(request, "answer_closed.html", {"ballot": ballot, "not_yet_open": not_yet_open})


def _already(request: HttpRequest, ballot: Ballot) -> HttpResponse:
    return _render(request, "answer_already.html", {"ballot": ballot, "more_url": _more_url(ballot)})


def _no_access(request: HttpRequest, ballot: Ballot) -> HttpResponse:
    return _render(request, "answer_no_access.html", {"ballot": ballot}, status=403)


def _refused(request: HttpRequest, ballot: Ballot, refusal: BallotError) -> HttpResponse:
    if isinstance(refusal, AlreadySubmitted):
        return _already(request, ballot)
    if isinstance(refusal, BallotClosed):
        return _closed(request, ballot)
    return _no_access(request, ballot)


def _more_url(ballot: Ballot) -> str:
    return reverse("dialogue_answer:more", kwargs={"ballot_id": ballot.pk})


def _holder(request: HttpRequest, ballot_id: uuid.UUID) -> tuple[Ballot, TokenHolder | None]:
    ballot, holder = ballot_with_holder(
        request, ballot_id, kind=ROUND_BALLOT_KIND, related=_RELATED, with_draft=True
    )
    if ballot is None or ballot.status == Ballot.Status.DRAFT:
        raise Http404
    return ballot, holder


def _participant(request: HttpRequest, ballot_id: uuid.UUID) -> Participant | HttpResponse:
    """The participant behind the ballot cookie, or the page that explains why they cannot answer."""
    ballot, holder = _holder(request, ballot_id)
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


@never_cache
@require_http_methods(["GET"])
def answer_start(request: HttpRequest, ballot_id: uuid.UUID) -> HttpResponse:
    participant = _participant(request, ballot_id)
    if isinstance(participant, HttpResponse):
        return participant
    kind = round_kind_get(participant.round.kind)
    return HttpResponseRedirect(reverse(kind.start_view, kwargs={"ballot_id": participant.ballot.pk}))


def _supportable(participant: Participant) -> list[Contribution]:
    if not supports_allowed(participant.round):
        return []
    return list(
        Contribution.objects.supportable().filter(round=participant.round).order_by("category", "text")
    )


@never_cache
@require_http_methods(["GET", "POST"])
def ideas(request: HttpRequest, ballot_id: uuid.UUID) -> HttpResponse:
    """The ideas round: write ideas, remove them, support others' visible ideas. All a draft."""
    participant = _participant(request, ballot_id)
    if isinstance(participant, HttpResponse):
        return participant
    round_ = participant.round
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = IdeaForm(request.POST if action == "add" else None, round_=round_)
    others = _supportable(participant)
    try:
        if action == "add" and form.is_valid():
            if len(participant.ideas) >= MAX_IDEAS:
                form.add_error(None, _max_ideas_message())
            else:
                participant.save(ideas=[*participant.ideas, form.idea()])
                return HttpResponseRedirect(participant.url("ideas") + "#my-ideas")
        elif action.startswith("remove-"):
            index = _index(action.removeprefix("remove-"), len(participant.ideas))
            if index is not None:
                participant.save(ideas=[idea for i, idea in enumerate(participant.ideas) if i != index])
            return HttpResponseRedirect(participant.url("ideas") + "#my-ideas")
        elif action == "supports":
            shown = {c.pk.hex for c in others}
            chosen = [key for key in request.POST.getlist("support") if key in shown]
            participant.save(supports=list(dict.fromkeys(chosen)))
            return HttpResponseRedirect(participant.url("review"))
    except BallotError as refusal:
        return _refused(request, participant.ballot, refusal)
    supported = set(participant.supports)
    return _render(
        request,
        "answer_ideas.html",
        {
            "ballot": participant.ballot,
            "round": round_,
            "process": round_.process,
            "form": form,
            "my_ideas": [
                {"index": i, "cpr_warning": looks_like_cpr(idea.get("text", "")), **idea}
                for i, idea in enumerate(participant.ideas)
            ],
            "others": [{"contribution": c, "supported": c.pk.hex in supported} for c in others],
            "supports_allowed": supports_allowed(round_),
            "review_url": participant.url("review"),
        },
    )


def _max_ideas_message() -> str:
    return _(
        "You can send at most %(limit)d ideas at a time. Submit these, then add more with your receipt code."
    ) % {"limit": MAX_IDEAS}


def _index(text: str, count: int) -> int | None:
    try:
        index = int(text)
    except ValueError:
        return None
    return index if 0 <= index < count else None


def _done(request: HttpRequest, ballot: Ballot, round_: Round, code: str) -> HttpResponse:
    return _render(
        request,
        "answer_done.html",
        {
            "ballot": ballot,
            "round": round_,
            "code": receipt_code_format(code),
            "receipt_url": reverse("dialogue_receipt:receipt"),
            "more_url": _more_url(ballot),
        },
    )


def _retried_submit(request: HttpRequest, ballot_id: uuid.UUID) -> HttpResponse | None:
    """A submit that arrives after this invitation's ballot was stored (double click, retry,
    another tab) shows the code it carried when that code's receipt is stored in this round."""
    ballot, holder = _holder(request, ballot_id)
    invitation = holder.invitation if holder else None
    if invitation is None or not invitation.completed:
        return None
    code = receipt_code_normalise(request.POST.get("receipt_code", ""))
    if not code:
        return None
    checks = receipt_throttle(request)
    if throttle_exceeded(checks):
        return throttled_response(request)
    if not Receipt.objects.filter(code_hmac=receipt_code_hmac(code), round__ballot=ballot).exists():
        throttle_failure(checks)
        return None
    return _done(request, ballot, ballot.dialogue_round, code)  # type: ignore[attr-defined]


@never_cache
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, ballot_id: uuid.UUID) -> HttpResponse:
    """Everything the participant is about to submit, the receipt code, and the one submit button."""
    if request.method == "POST":
        retried = _retried_submit(request, ballot_id)
        if retried is not None:
            return retried
    participant = _participant(request, ballot_id)
    if isinstance(participant, HttpResponse):
        return participant
    round_ = participant.round
    errors: dict[str, list[str]] = {}
    failed = False
    code = receipt_code_normalise(request.POST.get("receipt_code", "")) if request.method == "POST" else ""
    if request.method == "POST" and code:
        data: dict[str, Any] = {
            "receipt_code": code,
            "ideas": participant.ideas,
            "supports": participant.supports,
        }
        if round_.process.is_named:
            data["author"] = str(participant.invitation.person_id)
        try:
            invitation_services.ballot_submit(holder=participant.holder, data=data)
        except InvalidSubmission as invalid:
            errors = invalid.errors
        except SubmissionFailed:
            failed = True
        except BallotError as refusal:
            return _refused(request, participant.ballot, refusal)
        else:
            return _done(request, participant.ballot, round_, code)
    code = code or receipt_code_new()
    supported = set(participant.supports)
    return _render(
        request,
        "answer_review.html",
        {
            "ballot": participant.ballot,
            "round": round_,
            "process": round_.process,
            "my_ideas": [
                {"cpr_warning": looks_like_cpr(idea.get("text", "")), **idea} for idea in participant.ideas
            ],
            "supported": [c for c in _supportable(participant) if c.pk.hex in supported],
            "errors": errors,
            "failed": failed,
            "code": code,
            "code_shown": receipt_code_format(code),
            "ideas_url": participant.url("ideas"),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def more(request: HttpRequest, ballot_id: uuid.UUID) -> HttpResponse:
    """More ideas in the same open round through the receipt code; no cookie needed."""
    ballot = (
        Ballot.objects.select_related("dialogue_round__process")
        .filter(pk=ballot_id, kind=ROUND_BALLOT_KIND)
        .first()
    )
    if ballot is None or ballot.status == Ballot.Status.DRAFT:
        raise Http404
    if not ballot.is_open:
        return _closed(request, ballot)
    round_: Round = ballot.dialogue_round  # type: ignore[attr-defined]
    form = MoreIdeasForm(request.POST or None, round_=round_)
    if request.method == "POST":
        checks = receipt_throttle(request)
        if throttle_exceeded(checks):
            return throttled_response(request)
        if form.is_valid():
            receipt = receipt_for_code(form.cleaned_data["code"])
            if receipt is None or receipt.round_id != round_.pk:
                throttle_failure(checks)
                form.reject()
            else:
                try:
                    ideas_add_by_receipt(round_=round_, receipt=receipt, ideas=[form.idea()])
                except ParticipationError as error:
                    form.add_error(None, str(error))
                else:
                    return _render(
                        request,
                        "answer_more_done.html",
                        {"ballot": ballot, "round": round_, "more_url": _more_url(ballot)},
                    )
    return _render(
        request,
        "answer_more.html",
        {"ballot": ballot, "round": round_, "process": round_.process, "form": form},
    )
