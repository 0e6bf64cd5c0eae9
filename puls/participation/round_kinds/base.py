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
from django.urls import URLPattern

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


@dataclass(frozen=True)
class ExportSheet:
    """One XLSX sheet of a round's results (the process website's export)."""

    title: str
    header: list[str]
    rows: list[list[Any]]


class RoundKind(Protocol):
    name: str
    label: Any  # a (lazily) translated name
    anonymity: AnonymityNeeds
    # URL name (namespace "dialogue_answer") of the participant's first page; kwargs: ballot_id.
    start_view: str
    # URL name (namespace "participation") of the facilitator's page that sets the round's items or
    # method before launch (kwargs: org_slug, process_id, round_id), or None when there is none.
    setup_view: str | None
    # Template of the round's results, rendered with results_context(). Used on the facilitator's
    # round page, the process website and the round's PDF, so it must be printable.
    results_template: str
    # Template fragment of the review page showing what is about to be submitted, rendered with
    # review_context(); the generic review page adds the receipt code and the submit button.
    review_template: str
    # Whether more ideas may be added later in the same open round through the receipt code.
    more_by_receipt: bool

    def answer_urls(self) -> list[URLPattern]:
        """Participant pages, relative to /b/<uuid:ballot_id>/dialogue/ (namespace dialogue_answer)."""
        ...

    def admin_urls(self) -> list[URLPattern]:
        """Facilitator pages, relative to /o/<org>/dialogue/<uuid:process_id>/rounds/<uuid:round_id>/
        (namespace participation)."""
        ...

    def settings_defaults(self) -> dict[str, Any]:
        """Kind-specific round settings stored in Round.settings."""
        ...

    def setup_form(self, round_: "Round", data: Any = None) -> Any:
        """The kind's own part of the items page (a bound or unbound form), or None."""
        ...

    def launch_errors(self, round_: "Round") -> list[str]:
        """Why the round cannot be launched yet (e.g. no items); empty when it can."""
        ...

    def submission(self, round_: "Round", draft: dict[str, Any]) -> dict[str, Any]:
        """The kind's part of the sealed submission, built from the participant's draft."""
        ...

    def review_context(self, round_: "Round", draft: dict[str, Any]) -> dict[str, Any]:
        """What review_template shows for this draft."""
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
        """What results_template shows. Called only when the results may be shown (selectors.
        round_results); reads only shuffled rows."""
        ...

    def export_sheets(self, round_: "Round") -> list[ExportSheet]:
        """The round's results as XLSX sheets (same numbers as results_context)."""
        ...

    def category_label(self, category: str) -> str:
        """How a contribution's stored category is named where it is listed (the moderation list), in
        the active language; empty when there is nothing to show."""
        ...


_kinds: dict[str, RoundKind] = {}


def round_kind_register(kind: RoundKind) -> None:
    _kinds[kind.name] = kind


def round_kind_get(name: str) -> RoundKind:
    return _kinds[name]


def round_kinds() -> dict[str, RoundKind]:
    return dict(_kinds)
