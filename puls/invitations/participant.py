"""The participant behind a ballot cookie, for the answering pages of every owning app: surveys
under /b/<ballot id>/survey/, dialogue rounds under /b/<ballot id>/dialogue/ (DESIGN §4.6, §4.7).

Access is by the ballot-scoped cookie only (set by the invitation link or printed code); no login,
no session row. Everything a participant enters is a draft (`Draft`, keyed by an HMAC of the token
and unreadable by staff) until the sealed submit; `Participant.draft_update` replaces only the keys
it is given, and `ParticipantPages.submit` is the sealed, idempotent submit. An owning app makes
one `ParticipantPages` for its ballot kind and keeps its own templates for the pages that explain
why someone cannot answer (closed, already answered, no access): their wording differs per kind.
Their shared caption is invitations/_answer_caption.html.
"""

import uuid
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, TypeVar

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from puls.invitations import services
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


@dataclass
class Participant:
    """Whose ballot cookie this is (the invitation, never shown to anyone) and their draft.

    An owning app subclasses it with its kind's reads and sets `url_namespace`."""

    holder: TokenHolder
    invitation: Invitation
    draft: dict[str, Any]

    # The URL namespace of the owning app's participant pages (kwargs: ballot_id).
    url_namespace: ClassVar[str] = ""

    @property
    def ballot(self) -> Ballot:
        return self.holder.ballot

    def url(self, name: str, **kwargs: Any) -> str:
        """A participant page of this ballot by URL name in the owning app's namespace."""
        return reverse(f"{self.url_namespace}:{name}", kwargs={"ballot_id": self.ballot.pk, **kwargs})

    def draft_list(self, key: str) -> list[Any]:
        value = self.draft.get(key)
        return list(value) if isinstance(value, list) else []

    def draft_dict(self, key: str) -> dict[str, Any]:
        value = self.draft.get(key)
        return dict(value) if isinstance(value, dict) else {}

    def draft_update(self, **values: Any) -> None:
        """Save the draft with the given keys replaced. Raises BallotError when the ballot closed
        or was submitted meanwhile (callers answer with `ParticipantPages.refused`)."""
        self.draft = {**self.draft, **values}
        services.draft_save(holder=self.holder, data=self.draft)


@dataclass
class Submitted:
    """What became of a sealed submit: stored; refused, with the page to show (submitted meanwhile,
    closed, no access); or to be shown again with the kind's `errors` or as `failed` (nothing was
    stored, the participant may try again)."""

    stored: bool = False
    refusal: HttpResponse | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)
    failed: bool = False


P = TypeVar("P", bound=Participant)


class ParticipantPages(Generic[P]):
    """The participant lookup, the refusal pages and the submit of one ballot kind's answering pages.

    `templates` is the owning app's template folder; it holds answer_closed.html (context: ballot,
    not_yet_open), answer_already.html (ballot) and answer_no_access.html (ballot)."""

    def __init__(
        self, *, kind: str, participant: type[P], templates: str, related: tuple[str, ...] = ()
    ) -> None:
        self.kind = kind
        self.participant = participant
        self.templates = templates
        # Read with the invitation on every participant request (relations of the invitation).
        self.related = related

    def render(
        self, request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
    ) -> HttpResponse:
        return render(request, f"{self.templates}/{template}", context, status=status)

    def closed(self, request: HttpRequest, ballot: Ballot) -> HttpResponse:
        not_yet_open = ballot.status == Ballot.Status.OPEN and timezone.now() < ballot.opens_at
        return self.render(request, "answer_closed.html", {"ballot": ballot, "not_yet_open": not_yet_open})

    def already(self, request: HttpRequest, ballot: Ballot) -> HttpResponse:
        """A second submit (double click, another tab, a retry) is thanked, never an error."""
        return self.render(request, "answer_already.html", {"ballot": ballot})

    def no_access(self, request: HttpRequest, ballot: Ballot) -> HttpResponse:
        return self.render(request, "answer_no_access.html", {"ballot": ballot}, status=403)

    def refused(self, request: HttpRequest, ballot: Ballot, refusal: BallotError) -> HttpResponse:
        """The page for a refusal by the invitations services (the state changed since the page loaded)."""
        if isinstance(refusal, AlreadySubmitted):
            return self.already(request, ballot)
        if isinstance(refusal, BallotClosed):
            return self.closed(request, ballot)
        return self.no_access(request, ballot)

    def launched_ballot(self, ballot_id: uuid.UUID, *, select_related: tuple[str, ...] = ()) -> Ballot:
        """The ballot of this kind, for a page that needs no cookie; 404 before launch."""
        queryset = Ballot.objects.filter(pk=ballot_id, kind=self.kind)
        if select_related:
            queryset = queryset.select_related(*select_related)
        ballot = queryset.first()
        if ballot is None or ballot.status == Ballot.Status.DRAFT:
            raise Http404
        return ballot

    def ballot_and_holder(
        self, request: HttpRequest, ballot_id: uuid.UUID
    ) -> tuple[Ballot, TokenHolder | None]:
        """The launched ballot and the holder of its cookie (None unless open with a current code).
        One query reads the ballot, the invitation, `related` and the draft."""
        ballot, holder = ballot_with_holder(
            request, ballot_id, kind=self.kind, related=self.related, with_draft=True
        )
        if ballot is None or ballot.status == Ballot.Status.DRAFT:
            raise Http404
        return ballot, holder

    def participant_or_response(self, request: HttpRequest, ballot_id: uuid.UUID) -> P | HttpResponse:
        """The participant behind the ballot cookie, or the page that explains why they cannot answer."""
        ballot, holder = self.ballot_and_holder(request, ballot_id)
        if not ballot.is_open:
            return self.closed(request, ballot)
        invitation = holder.invitation if holder else None
        if holder is None or invitation is None:
            return self.no_access(request, ballot)
        if invitation.completed:
            return self.already(request, ballot)
        try:
            draft = services.draft_get(holder=holder)
        except BallotError as refusal:
            return self.refused(request, ballot, refusal)
        return self.participant(holder=holder, invitation=invitation, draft=draft or {})

    def submit(self, request: HttpRequest, participant: P, data: dict[str, Any]) -> Submitted:
        """The sealed, idempotent submit of `data` (`services.ballot_submit`, DESIGN §4.7)."""
        try:
            services.ballot_submit(holder=participant.holder, data=data)
        except InvalidSubmission as invalid:
            return Submitted(errors=invalid.errors)
        except SubmissionFailed:
            return Submitted(failed=True)
        except BallotError as refusal:
            return Submitted(refusal=self.refused(request, participant.ballot, refusal))
        return Submitted(stored=True)
