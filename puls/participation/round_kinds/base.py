"""The round-kind interface and registry (DESIGN §5).

Every dialogue round is an `invitations.Ballot` of the one ballot kind "participation.round"
(`puls.participation.ballot_kind`), which delegates what differs between rounds to the round's
kind: a module in this package, registered in `round_kinds/__init__.py` and nowhere else. A kind
declares its participant pages (the URL name where answering starts), how a sealed submission is
validated and written, the answer tables it owns (checked by the anonymity schema test and
rewritten by the shuffle), its results view and its anonymity needs. No `if kind == …` elsewhere.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from django.db import models

if TYPE_CHECKING:
    from puls.invitations.models import BallotCell
    from puls.participation.models import Contribution, Receipt, Round


@dataclass(frozen=True)
class AnonymityNeeds:
    """What the kind's output paths must respect besides k (DESIGN §4.3, §4.5)."""

    # Stores free text: shown only when the round has at least the free-text threshold of ballots.
    free_text: bool
    # Stores votes on items that can be tallied per unit (suppression by k applies).
    votes: bool = False


class RoundKind(Protocol):
    name: str
    label: Any  # a (lazily) translated name
    anonymity: AnonymityNeeds
    # URL name (namespace "dialogue_answer") of the participant's first page; kwargs: ballot_id.
    start_view: str
    # Template of the round's results, rendered with results_context().
    results_template: str

    def settings_defaults(self) -> dict[str, Any]:
        """Kind-specific round settings stored in Round.settings."""
        ...

    def validate(self, round_: "Round", data: dict[str, Any]) -> dict[str, list[str]]:
        """Errors keyed by field; empty when the submission may be written."""
        ...

    def write(
        self, round_: "Round", cell: "BallotCell", receipt: "Receipt", data: dict[str, Any], *, shuffled: bool
    ) -> list["Contribution"]:
        """Write the kind's answer rows inside the submit transaction; return new contributions.

        Must not store the person, the invitation, the token, a date or a time."""
        ...

    def answer_models(self) -> list[type[models.Model]]:
        """The kind's own answer tables, parents before children (Receipt is common)."""
        ...

    def unshuffled(self, round_: "Round") -> "list[models.QuerySet[Any]]":
        """The kind's rows not yet rewritten by the shuffle, parents before children."""
        ...

    def results_context(self, round_: "Round") -> dict[str, Any]:
        """What results_template shows (already respecting the thresholds)."""
        ...


_kinds: dict[str, RoundKind] = {}


def round_kind_register(kind: RoundKind) -> None:
    _kinds[kind.name] = kind


def round_kind_get(name: str) -> RoundKind:
    return _kinds[name]


def round_kinds() -> dict[str, RoundKind]:
    return dict(_kinds)
