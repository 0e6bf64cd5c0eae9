"""The participant's pages every round kind shares, under /b/<ballot id>/dialogue/ (DESIGN §4.6,
§4.7, §4.9): the start (which leads to the kind's first page), the review page with the sealed
submit, and "more ideas" through the receipt code. Each kind's own pages are in its views module
and registered by the kind (`RoundKind.answer_urls`).

The review page makes the receipt code and carries it in the submit form, so a retried submit
shows the same code; only its HMAC is stored, by the submit. When an earlier round of the process
shares at least k invitees with this one, the review page also takes an earlier receipt code to
attach this ballot to (`receipt_chains`); a wrong one counts as a failed guess, like on the
receipt page. More ideas in the same open round go in
through the receipt code, which leads to the receipt, never to the invitation. Every page is sent
with Cache-Control: no-store.
"""

import uuid
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from puls.core.throttle import throttle_exceeded, throttle_failure
from puls.invitations.models import Ballot
from puls.participation.forms import MoreIdeasForm, PreviousReceiptForm
from puls.participation.models import Receipt, Round
from puls.participation.participant import (
    PAGES,
    answer_render,
    ballot_and_holder,
    closed,
    more_url,
    participant_or_response,
)
from puls.participation.receipt_chains import attachable_rounds
from puls.participation.receipts import (
    receipt_code_format,
    receipt_code_hmac,
    receipt_code_new,
    receipt_code_normalise,
)
from puls.participation.round_kinds import round_kind_get
from puls.participation.services import ParticipationError, ideas_add_by_receipt, receipt_for_code
from puls.participation.site_access import site_cookie_grant
from puls.participation.throttle import receipt_throttle, throttled_response


@never_cache
@require_http_methods(["GET"])
def answer_start(request: HttpRequest, ballot_id: uuid.UUID) -> HttpResponse:
    participant = participant_or_response(request, ballot_id)
    if isinstance(participant, HttpResponse):
        return participant
    kind = round_kind_get(participant.round.kind)
    response = HttpResponseRedirect(reverse(kind.start_view, kwargs={"ballot_id": participant.ballot.pk}))
    return site_cookie_grant(response, participant.process)


def _done(
    request: HttpRequest, ballot: Ballot, round_: Round, code: str, *, attached: bool = False
) -> HttpResponse:
    response = answer_render(
        request,
        "answer_done.html",
        {
            "ballot": ballot,
            "round": round_,
            "code": receipt_code_format(code),
            "attached": attached,
            "receipt_url": reverse("dialogue_receipt:receipt"),
            "more_url": more_url(ballot) if round_kind_get(round_.kind).more_by_receipt else "",
        },
    )
    return site_cookie_grant(response, round_.process)


def _retried_submit(request: HttpRequest, ballot_id: uuid.UUID) -> HttpResponse | None:
    """A submit that arrives after this invitation's ballot was stored (double click, retry,
    another tab) shows the code it carried when that code's receipt is stored in this round."""
    ballot, holder = ballot_and_holder(request, ballot_id)
    invitation = holder.invitation if holder else None
    if invitation is None or not invitation.completed:
        return None
    code = receipt_code_normalise(request.POST.get("receipt_code", ""))
    if not code:
        return None
    checks = receipt_throttle(request)
    if throttle_exceeded(checks):
        return throttled_response(request)
    stored = (
        Receipt.objects.filter(code_hmac=receipt_code_hmac(code), round__ballot=ballot)
        .values_list("previous_id")
        .first()
    )
    if stored is None:
        throttle_failure(checks)
        return None
    round_: Round = ballot.dialogue_round  # type: ignore[attr-defined]
    return _done(request, ballot, round_, code, attached=stored[0] is not None)


@never_cache
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, ballot_id: uuid.UUID) -> HttpResponse:
    """Everything the participant is about to submit (the kind's review fragment), the receipt
    code, and the one submit button."""
    if request.method == "POST":
        retried = _retried_submit(request, ballot_id)
        if retried is not None:
            return retried
    participant = participant_or_response(request, ballot_id)
    if isinstance(participant, HttpResponse):
        return participant
    round_ = participant.round
    kind = round_kind_get(round_.kind)
    errors: dict[str, list[str]] = {}
    failed = False
    code = receipt_code_normalise(request.POST.get("receipt_code", "")) if request.method == "POST" else ""
    previous_form = PreviousReceiptForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and code:
        data: dict[str, Any] = {"receipt_code": code, **kind.submission(round_, participant.draft)}
        if round_.process.is_named:
            data["author"] = str(participant.invitation.person_id)
        checks = receipt_throttle(request)
        if previous_form.data.get("previous_code", "").strip():
            # An earlier receipt code is a guessable secret: throttled like the receipt page.
            if throttle_exceeded(checks):
                return throttled_response(request)
            if previous_form.is_valid():
                data["previous_code"] = previous_form.cleaned_data["previous_code"]
            else:
                throttle_failure(checks)
                errors = {"previous_code": [str(e) for e in previous_form.errors["previous_code"]]}
        if not errors:
            submitted = PAGES.submit(request, participant, data)
            if submitted.refusal is not None:
                return submitted.refusal
            if submitted.stored:
                return _done(request, participant.ballot, round_, code, attached="previous_code" in data)
            errors, failed = submitted.errors, submitted.failed
            if "previous_code" in errors:
                throttle_failure(checks)
                for message in errors["previous_code"]:
                    previous_form.add_error("previous_code", message)
    code = code or receipt_code_new()
    return answer_render(
        request,
        "answer_review.html",
        {
            "ballot": participant.ballot,
            "round": round_,
            "process": round_.process,
            "errors": errors,
            "failed": failed,
            "code": code,
            "code_shown": receipt_code_format(code),
            "back_url": reverse(kind.start_view, kwargs={"ballot_id": participant.ballot.pk}),
            "review_template": kind.review_template,
            # The earlier-receipt field, when an earlier round shares >= k invitees (DESIGN §4.9),
            # or to show why a posted code was refused.
            "previous_form": previous_form if previous_form.errors or attachable_rounds(round_) else None,
            **kind.review_context(round_, participant.draft),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def more(request: HttpRequest, ballot_id: uuid.UUID) -> HttpResponse:
    """More ideas in the same open round through the receipt code; no cookie needed."""
    ballot = PAGES.launched_ballot(ballot_id, select_related=("dialogue_round__process",))
    if not ballot.is_open:
        return closed(request, ballot)
    round_: Round = ballot.dialogue_round  # type: ignore[attr-defined]
    if not round_kind_get(round_.kind).more_by_receipt:
        raise Http404
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
                    return answer_render(
                        request,
                        "answer_more_done.html",
                        {"ballot": ballot, "round": round_, "more_url": more_url(ballot)},
                    )
    return answer_render(
        request,
        "answer_more.html",
        {"ballot": ballot, "round": round_, "process": round_.process, "form": form},
    )
