"""Entering a ballot: the e-mail link, the printed code at /svar, and the ballot cookie (DESIGN §4.6).

The token never appears in a URL the server sees: the e-mail link carries it in the fragment,
which enter.js posts and removes from the address bar; /svar takes it by POST. It is exchanged for
a signed, HttpOnly cookie scoped to /b/<ballot id>/ that holds only the token. Wrong codes are
throttled per client address and globally. Every page here is sent with Cache-Control: no-store.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from puls.core.throttle import GLOBAL, ThrottleRule, client_address, throttle_exceeded, throttle_failure
from puls.invitations.forms import CodeForm
from puls.invitations.kinds import ballot_start_url
from puls.invitations.models import Ballot
from puls.invitations.services import TokenHolder, invitation_for_token, invitation_with_ballot

BALLOT_COOKIE_SALT = "puls.ballot"


def ballot_cookie_name(ballot_id: uuid.UUID) -> str:
    return f"ballot_{ballot_id.hex}"


def ballot_cookie_path(ballot_id: uuid.UUID) -> str:
    return reverse("invitations:enter_page", kwargs={"ballot_id": ballot_id})


def _set_ballot_cookie(response: HttpResponse, ballot: Ballot, token: str) -> None:
    seconds = int((ballot.closes_at - timezone.now()).total_seconds())
    response.set_signed_cookie(
        ballot_cookie_name(ballot.pk),
        token,
        salt=BALLOT_COOKIE_SALT,
        path=ballot_cookie_path(ballot.pk),
        max_age=max(seconds, 60),
        httponly=True,
        secure=not settings.DEBUG,
        samesite="Lax",
    )


def holder_from_request(request: HttpRequest, ballot_id: uuid.UUID) -> TokenHolder | None:
    """The participant behind the ballot cookie, when the ballot is open and the code still valid."""
    token = request.get_signed_cookie(ballot_cookie_name(ballot_id), default=None, salt=BALLOT_COOKIE_SALT)
    if not token:
        return None
    ballot = Ballot.objects.select_related("organisation").filter(pk=ballot_id).first()
    if ballot is None:
        return None
    return holder_for_ballot(request, ballot)


def ballot_with_holder(
    request: HttpRequest,
    ballot_id: uuid.UUID,
    *,
    kind: str,
    related: tuple[str, ...] = (),
    with_draft: bool = False,
) -> tuple[Ballot | None, TokenHolder | None]:
    """The ballot of `kind` and the participant behind its cookie, for an owning app's pages.

    With a current code in the cookie, one query reads the invitation, its ballot, `related`
    (relations of the invitation, e.g. "cell" or "ballot__survey") and, with `with_draft`, the
    participant's draft for draft_get; otherwise the ballot alone is read. The holder is None unless
    the ballot is open and the code valid; it carries the invitation, so the rest of the request
    need not look the token up again."""
    token = request.get_signed_cookie(ballot_cookie_name(ballot_id), default=None, salt=BALLOT_COOKIE_SALT)
    invitation = None
    if token:
        invitation = invitation_with_ballot(
            token=token, ballot_id=ballot_id, kind=kind, related=related, with_draft=with_draft
        )
    if not token or invitation is None:
        return Ballot.objects.filter(pk=ballot_id, kind=kind).first(), None
    ballot = invitation.ballot
    if not ballot.is_open:
        return ballot, None
    return ballot, TokenHolder(ballot=ballot, token=token, invitation=invitation)


def holder_for_ballot(request: HttpRequest, ballot: Ballot) -> TokenHolder | None:
    """As holder_from_request, for a ballot the view has loaded already. The holder carries the
    invitation it found, so the rest of the request need not look the token up again."""
    token = request.get_signed_cookie(ballot_cookie_name(ballot.pk), default=None, salt=BALLOT_COOKIE_SALT)
    if not token or not ballot.is_open:
        return None
    invitation = invitation_for_token(token=token, ballot=ballot)
    if invitation is None:
        return None
    return TokenHolder(ballot=ballot, token=token, invitation=invitation)


def _code_throttle(request: HttpRequest) -> list[tuple[ThrottleRule, str]]:
    per_address = ThrottleRule(
        scope="invitation-code:address",
        limit=getattr(settings, "INVITATION_CODE_FAILURES_PER_ADDRESS", 10),
        window=timedelta(minutes=getattr(settings, "INVITATION_CODE_WINDOW_MINUTES", 15)),
    )
    everyone = ThrottleRule(
        scope="invitation-code:global",
        limit=getattr(settings, "INVITATION_CODE_FAILURES_PER_MINUTE", 300),
        window=timedelta(minutes=1),
    )
    return [(per_address, client_address(request)), (everyone, GLOBAL)]


def _throttled(request: HttpRequest) -> HttpResponse:
    minutes = getattr(settings, "INVITATION_CODE_WINDOW_MINUTES", 15)
    return render(request, "invitations/throttled.html", {"minutes": minutes}, status=429)


def _launched_ballot(ballot_id: uuid.UUID) -> Ballot:
    ballot = Ballot.objects.select_related("organisation").filter(pk=ballot_id).first()
    if ballot is None or ballot.status == Ballot.Status.DRAFT:
        raise Http404
    return ballot


def _unavailable(request: HttpRequest, ballot: Ballot) -> HttpResponse | None:
    """The page for a ballot that is not open (closed: 410 Gone), or None when it is open."""
    if ballot.is_open:
        return None
    if ballot.status == Ballot.Status.OPEN and timezone.now() < ballot.opens_at:
        return render(request, "invitations/not_open.html", {"ballot": ballot})
    return render(request, "invitations/closed.html", {"ballot": ballot}, status=410)


def _enter_page(request: HttpRequest, ballot: Ballot, form: CodeForm) -> HttpResponse:
    return render(request, "invitations/enter.html", {"ballot": ballot, "form": form})


@never_cache
@require_http_methods(["GET", "HEAD"])
def enter_page(request: HttpRequest, ballot_id: uuid.UUID) -> HttpResponse:
    """Where the e-mail link lands: with a valid cookie straight on, otherwise the code form."""
    ballot = _launched_ballot(ballot_id)
    unavailable = _unavailable(request, ballot)
    if unavailable is not None:
        return unavailable
    if holder_from_request(request, ballot.pk) is not None:
        return redirect(ballot_start_url(ballot))
    return _enter_page(request, ballot, CodeForm())


@never_cache
@require_POST
def enter(request: HttpRequest, ballot_id: uuid.UUID) -> HttpResponse:
    """Exchange the token (from the link's fragment, or typed) for the ballot cookie."""
    ballot = _launched_ballot(ballot_id)
    unavailable = _unavailable(request, ballot)
    if unavailable is not None:
        return unavailable
    checks = _code_throttle(request)
    if throttle_exceeded(checks):
        return _throttled(request)
    form = CodeForm(request.POST)
    invitation = (
        invitation_for_token(token=form.cleaned_data["code"], ballot=ballot) if form.is_valid() else None
    )
    if invitation is None:
        throttle_failure(checks)
        if form.is_valid():
            form.reject()
        return _enter_page(request, ballot, form)
    response = redirect(ballot_start_url(ballot))
    _set_ballot_cookie(response, ballot, form.cleaned_data["code"])
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def code_entry(request: HttpRequest) -> HttpResponse:
    """/svar: type the code from a printed letter. The code alone decides the organisation and ballot."""
    if request.method != "POST":
        return render(request, "invitations/code.html", {"form": CodeForm()})
    checks = _code_throttle(request)
    if throttle_exceeded(checks):
        return _throttled(request)
    form = CodeForm(request.POST)
    invitation = invitation_for_token(token=form.cleaned_data["code"]) if form.is_valid() else None
    if invitation is None or invitation.ballot.status == Ballot.Status.DRAFT:
        throttle_failure(checks)
        if form.is_valid():
            form.reject()
        return render(request, "invitations/code.html", {"form": form})
    ballot = invitation.ballot
    unavailable = _unavailable(request, ballot)
    if unavailable is not None:
        return unavailable
    response = redirect("invitations:enter_page", ballot_id=ballot.pk)
    _set_ballot_cookie(response, ballot, form.cleaned_data["code"])
    return response
