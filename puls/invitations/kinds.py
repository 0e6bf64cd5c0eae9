"""The Ballot interface: how an owning app (surveys, participation) plugs into invitations.

An app registers one BallotKind per kind of ballot it owns. The invitations app calls it to pick
the audience, validate and write a sealed submission inside the submit transaction, shuffle the
answer rows it owns and move them between storage cells at close. Nothing else crosses the line.
"""

import uuid
from typing import Any, Protocol

from django.db import models
from django.urls import reverse

from puls.invitations.models import Ballot, BallotCell
from puls.organisations.models import Employment


class BallotKind(Protocol):
    name: str

    def audience(self, ballot: Ballot) -> "models.QuerySet[Employment]":
        """Current employments of the people to invite (one per person is used)."""
        ...

    def validate_submission(self, ballot: Ballot, data: dict[str, Any]) -> dict[str, list[str]]:
        """Errors keyed by question/field; empty when the submission may be written."""
        ...

    def write_submission(self, ballot: Ballot, cell: BallotCell, data: dict[str, Any]) -> dict[str, Any]:
        """Write the answer rows (and the owner's extra rows) inside the submit transaction.

        Must not store the person, the invitation, the token, a date or a time.
        """
        ...

    def answer_models(self) -> list[type[models.Model]]:
        """Tables that hold answers: listed by the anonymity schema test, rewritten by the shuffle."""
        ...

    def shuffle(self, ballot: Ballot) -> int:
        """Delete and re-insert the ballot's not yet shuffled answer rows in random order."""
        ...

    def move_cells(self, ballot: Ballot, mapping: dict[uuid.UUID, uuid.UUID]) -> None:
        """Point answer rows of merged cells at the cell they were merged into."""
        ...

    def answered_count(self, ballot: Ballot) -> int:
        """Number of submitted ballots (responses) stored for the ballot."""
        ...


# Optional method a kind may add: `closed(ballot) -> None`, called once after the transaction that
# closed the ballot committed (e.g. to enqueue the survey report's computation).
#
# Optional method a kind may add: `start_url(ballot) -> str`, where the participant starts answering.
# It must lie under /b/<ballot id>/, the path the ballot cookie is scoped to. Without it the owning
# app's "<app>:answer" URL with the ballot_id argument is used (see ballot_start_url).

_kinds: dict[str, BallotKind] = {}


def ballot_kind_register(kind: BallotKind) -> None:
    _kinds[kind.name] = kind


def ballot_kind_get(name: str) -> BallotKind:
    return _kinds[name]


def ballot_kinds() -> dict[str, BallotKind]:
    return dict(_kinds)


def ballot_start_url(ballot: Ballot) -> str:
    """Where a participant holding the ballot's cookie starts (or resumes) answering."""
    kind = ballot_kind_get(ballot.kind)
    start_url = getattr(kind, "start_url", None)
    if callable(start_url):
        return str(start_url(ballot))
    return reverse(f"{kind.name.split('.')[0]}:answer", kwargs={"ballot_id": ballot.pk})
