"""The participant behind a dialogue round's ballot cookie, shared by every round kind's pages
under /b/<ballot id>/dialogue/ (DESIGN §4.6, §4.7).

Access is by the ballot-scoped cookie only (set by the invitation link or printed code); no login,
no session row. Everything a participant enters is a draft (the invitations app's `Draft`, keyed by
an HMAC of the token and unreadable by staff) until the sealed submit on the review page. Each kind
keeps its own keys in the draft; `Participant.draft_update` replaces only the keys it is given.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from puls.invitations import services as invitation_services
from puls.invitations.models import Ballot, Invitation
from puls.invitations.services import AlreadySubmitted, BallotClosed, BallotError, TokenHolder
from puls.invitations.views import ballot_with_holder
from puls.participation.ballot_kind import ROUND_BALLOT_KIND
from puls.participation.models import Process, Round
from puls.participation.site_access import site_cookie_grant

# Read with the invitation on every participant request: the round, its process, the storage cell.
_RELATED = ("ballot__dialogue_round__process__organisation", "cell")


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
    def process(self) -> Process:
        return self.round.process

    def url(self, name: str) -> str:
        """A participant page of this ballot by URL name in the dialogue_answer namespace."""
        return reverse(f"dialogue_answer:{name}", kwargs={"ballot_id": self.ballot.pk})

    def draft_list(self, key: str) -> list[Any]:
        value = self.draft.get(key)
        return list(value) if isinstance(value, list) else []

    def draft_dict(self, key: str) -> dict[str, Any]:
        value = self.draft.get(key)
        return dict(value) if isinstance(value, dict) else {}

    def draft_update(self, **values: Any) -> None:
        """Save the draft with the given keys replaced. Raises BallotError when the ballot closed
        or was submitted meanwhile (callers answer with `refused`)."""
        self.draft = {**self.draft, **values}
        invitation_services.draft_save(holder=self.holder, data=self.draft)


def answer_render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return render(request, f"participation/{template}", context, status=status)


def more_url(ballot: Ballot) -> str:
    return reverse("dialogue_answer:more", kwargs={"ballot_id": ballot.pk})


def closed(request: HttpRequest, ballot: Ballot) -> HttpResponse:
    not_yet_open = ballot.status == Ballot.Status.OPEN and timezone.now() < ballot.opens_at
    return answer_render(request, "answer_closed.html", {"ballot": ballot, "not_yet_open": not_yet_open})


def already(request: HttpRequest, ballot: Ballot) -> HttpResponse:
    from puls.participation.round_kinds import round_kind_get

    round_: Round = ballot.dialogue_round  # type: ignore[attr-defined]
    more = more_url(ballot) if round_kind_get(round_.kind).more_by_receipt else ""
    response = answer_render(request, "answer_already.html", {"ballot": ballot, "more_url": more})
    return site_cookie_grant(response, round_.process)


def no_access(request: HttpRequest, ballot: Ballot) -> HttpResponse:
    return answer_render(request, "answer_no_access.html", {"ballot": ballot}, status=403)


def refused(request: HttpRequest, ballot: Ballot, refusal: BallotError) -> HttpResponse:
    if isinstance(refusal, AlreadySubmitted):
        return already(request, ballot)
    if isinstance(refusal, BallotClosed):
        return closed(request, ballot)
    return no_access(request, ballot)


def ballot_and_holder(request: HttpRequest, ballot_id: uuid.UUID) -> tuple[Ballot, TokenHolder | None]:
    ballot, holder = ballot_with_holder(
        request, ballot_id, kind=ROUND_BALLOT_KIND, related=_RELATED, with_draft=True
    )
    if ballot is None or ballot.status == Ballot.Status.DRAFT:
        raise Http404
    return ballot, holder


def participant_or_response(request: HttpRequest, ballot_id: uuid.UUID) -> Participant | HttpResponse:
    """The participant behind the ballot cookie, or the page that explains why they cannot answer."""
    ballot, holder = ballot_and_holder(request, ballot_id)
    if not ballot.is_open:
        return closed(request, ballot)
    invitation = holder.invitation if holder else None
    if holder is None or invitation is None:
        return no_access(request, ballot)
    if invitation.completed:
        return already(request, ballot)
    try:
        draft = invitation_services.draft_get(holder=holder)
    except BallotError as refusal:
        return refused(request, ballot, refusal)
    return Participant(holder=holder, invitation=invitation, draft=draft or {})
