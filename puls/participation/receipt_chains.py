"""A later round's ballot attached to an earlier receipt (DESIGN §4.9).

A participant may type the receipt code of an earlier round of the same process on the review
page; the new Receipt then points at it (`Receipt.previous`), and either code shows the whole
chain on the receipt page. This is allowed only when the two rounds' invitees overlap in at least
k people (k = the later ballot's frozen k), so the chain cannot single out someone who was asked
in only one of them.

Contributions gathered under one receipt are stored at the coarsest unit level of those rounds:
the lowest common ancestor of the chain's storage cells, a subtree that holds at least k invitees
because it contains cells that each do. The submit only sets `previous`; it never touches the
earlier round's rows, because rewriting them in the submit transaction would tie them to this
invitation through xmin/rowid (§4.11). The later round's shuffle moves them instead
(`chain_cells_coarsen`), in the same transaction that rewrites its own new rows.

A chain is kept linear by round order: a ballot is attached to the chain's latest receipt, and
only when no receipt of this round or a later one is in the chain yet.
"""

import random
import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from puls.invitations.models import Ballot, BallotCell, Invitation
from puls.organisations.models import Unit
from puls.participation.models import Receipt, Round
from puls.participation.receipts import receipt_code_hmac, receipt_code_normalise

# How many ids go into one `IN (...)` query.
_CHUNK = 500


def rounds_overlap(first: Round, second: Round) -> int:
    """How many people were invited to both rounds (from the two ballots' invitations)."""
    first_people = Invitation.objects.filter(ballot_id=first.ballot_id).values("person_id")
    return (
        Invitation.objects.filter(ballot_id=second.ballot_id, person_id__in=first_people)
        .values("person_id")
        .distinct()
        .count()
    )


def _k(round_: Round) -> int:
    return round_.ballot.k or 1


def attachable_rounds(round_: Round) -> list[Round]:
    """Earlier launched rounds of the process whose invitees overlap this round's in ≥ k people:
    the review page offers the "earlier receipt" field only when there is one."""
    earlier = (
        Round.objects.filter(process_id=round_.process_id, order__lt=round_.order)
        .exclude(ballot__status=Ballot.Status.DRAFT)
        .select_related("ballot")
        .order_by("order")
    )
    return [other for other in earlier if rounds_overlap(other, round_) >= _k(round_)]


def receipt_chain(receipt: Receipt) -> list[Receipt]:
    """Every receipt joined to this one through `previous`, earlier and later, by round order."""
    return _chain_of(receipt.pk)


def _chain_of(receipt_id: uuid.UUID) -> list[Receipt]:
    found: dict[uuid.UUID, Receipt] = {}
    visited: set[uuid.UUID] = set()
    frontier = {receipt_id}
    while frontier:
        visited |= frontier
        rows = Receipt.objects.filter(Q(pk__in=frontier) | Q(previous_id__in=frontier)).select_related(
            "round__ballot", "cell__unit"
        )
        following: set[uuid.UUID] = set()
        for row in rows:
            found.setdefault(row.pk, row)
            for neighbour in (row.pk, row.previous_id):
                if neighbour is not None and neighbour not in visited:
                    following.add(neighbour)
        frontier = following
    return sorted(found.values(), key=lambda row: (row.round.order, row.pk.hex))


class AttachRefused(Exception):
    """Why a ballot cannot be attached to the receipt of the given code (message is translated)."""


def attach_target(round_: Round, code: str) -> Receipt:
    """The receipt a ballot of `round_` is attached to for `code` — the latest receipt of the
    code's chain — or AttachRefused. Reads only: called inside the sealed submit."""
    normalised = receipt_code_normalise(code)
    receipt = (
        Receipt.objects.filter(
            code_hmac=receipt_code_hmac(normalised),
            process_id=round_.process_id,
            round__order__lt=round_.order,
        ).first()
        if normalised
        else None
    )
    if receipt is None:
        raise AttachRefused(
            _(
                "No receipt from an earlier round of this process has this code. "
                "Check it, or leave the field empty."
            )
        )
    chain = receipt_chain(receipt)
    if any(member.round.order >= round_.order for member in chain):
        raise AttachRefused(_("A ballot of this round or a later one is already attached to this receipt."))
    for earlier in {member.round_id: member.round for member in chain}.values():
        if rounds_overlap(earlier, round_) < _k(round_):
            raise AttachRefused(
                _(
                    "This receipt cannot be joined with this round: too few of the same people were "
                    "invited to both rounds to keep your input anonymous. Leave the field empty."
                )
            )
    return chain[-1]


# Coarsening in the shuffle ------------------------------------------------------------------------


def _common_ancestor(units: Iterable[Unit]) -> uuid.UUID | None:
    """The lowest unit whose subtree holds all the given units (None: they have no common root)."""
    common: list[uuid.UUID] | None = None
    for unit in units:
        ancestors = unit.ancestor_ids
        if common is None:
            common = ancestors
            continue
        length = 0
        while length < min(len(common), len(ancestors)) and common[length] == ancestors[length]:
            length += 1
        common = common[:length]
    return common[-1] if common else None


def _cell_at(ballot_id: uuid.UUID, unit_id: uuid.UUID) -> BallotCell:
    """The ballot's storage cell for the whole unit (no attributes), made when it has none. It is
    nobody's invitation cell (invited_count 0): it only stores the rows of receipt chains."""
    for cell in BallotCell.objects.filter(ballot_id=ballot_id, unit_id=unit_id, merged_into__isnull=True):
        if not cell.attributes:
            return cell
    return BallotCell.objects.create(ballot_id=ballot_id, unit_id=unit_id, attributes={}, invited_count=0)


def _receipt_of(row: models.Model) -> uuid.UUID | None:
    if isinstance(row, Receipt):
        return row.pk
    return getattr(row, "receipt_id", None)


def _chained(receipt_ids: set[uuid.UUID]) -> set[uuid.UUID]:
    """The given receipts that are part of a chain (have an earlier or a later receipt)."""
    ids = sorted(receipt_ids)
    chained: set[uuid.UUID] = set()
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        chained.update(
            Receipt.objects.filter(pk__in=chunk, previous__isnull=False).values_list("pk", flat=True)
        )
        chained.update(
            pk
            for pk in Receipt.objects.filter(previous_id__in=chunk).values_list("previous_id", flat=True)
            if pk
        )
    return chained


def chain_cells_coarsen(
    round_: Round, waiting: Sequence[models.Model], answer_models: Sequence[type[models.Model]]
) -> None:
    """Inside the shuffle of `round_`, after the round's ballot row is locked and before its
    waiting rows are deleted: for every chain the waiting rows belong to, move the chain's rows of
    this round and of earlier rounds to a cell at the lowest common ancestor of the chain's cells.

    Waiting rows (about to be re-inserted by the shuffle) only get their `cell_id` changed. Rows
    already stored (earlier rounds, or this round's published rows) are deleted and re-inserted in
    random order, keeping their ids and their `shuffled` flag, so themes, supports, merges and
    later receipts that point at them stay valid (foreign keys are checked at commit). Rows of
    later rounds are left to those rounds' own shuffles.
    """
    chained = _chained({receipt_id for row in waiting if (receipt_id := _receipt_of(row)) is not None})
    if not chained:
        return
    chains: list[list[Receipt]] = []
    seen: set[uuid.UUID] = set()
    for receipt_id in sorted(chained):
        if receipt_id in seen:
            continue
        chain = _chain_of(receipt_id)
        seen.update(member.pk for member in chain)
        chains.append(chain)
    waiting_ids = {(type(row), row.pk) for row in waiting}
    targets: dict[tuple[uuid.UUID, uuid.UUID], BallotCell] = {}
    _lock_earlier_ballots(round_, chains)
    moved: dict[type[models.Model], list[models.Model]] = {}
    for chain in chains:
        unit_id = _common_ancestor(member.cell.unit for member in chain)
        if unit_id is None:
            continue
        rounds = {member.round_id: member.round for member in chain if member.round.order <= round_.order}
        cell_of: dict[uuid.UUID, uuid.UUID] = {}
        for chain_round in rounds.values():
            key = (chain_round.ballot_id, unit_id)
            if key not in targets:
                targets[key] = _cell_at(chain_round.ballot_id, unit_id)
            cell_of[chain_round.pk] = targets[key].pk
        receipt_ids = {member.pk for member in chain}
        for row in waiting:
            if _receipt_of(row) in receipt_ids:
                row.cell_id = cell_of[round_.pk]  # type: ignore[attr-defined]
        for model in answer_models:
            field = "pk" if model is Receipt else "receipt_id"
            if model is not Receipt and not any(f.name == "receipt" for f in model._meta.fields):
                continue  # e.g. supports: counts without a receipt stay where they are
            stored = model._default_manager.filter(
                **{f"{field}__in": receipt_ids, "round_id__in": list(rounds)}
            )
            for row in stored:
                if (model, row.pk) in waiting_ids:
                    continue
                target = cell_of[row.round_id]  # type: ignore[attr-defined]
                if row.cell_id != target:  # type: ignore[attr-defined]
                    row.cell_id = target  # type: ignore[attr-defined]
                    moved.setdefault(model, []).append(row)
    _rewrite(moved, answer_models)


def _lock_earlier_ballots(round_: Round, chains: list[list[Receipt]]) -> None:
    """Lock the earlier rounds' ballots, latest first, so their own shuffle or close waits. Every
    shuffle locks its own ballot first and then only earlier ones, latest first: no lock cycle."""
    earlier = {
        member.round.ballot_id: member.round.order
        for chain in chains
        for member in chain
        if member.round.order < round_.order
    }
    for ballot_id, _order in sorted(earlier.items(), key=lambda item: -item[1]):
        Ballot.objects.select_for_update().filter(pk=ballot_id).values_list("pk", flat=True).first()


def _rewrite(
    moved: dict[type[models.Model], list[models.Model]], order: Sequence[type[models.Model]]
) -> None:
    rng = random.SystemRandom()
    for model in reversed(order):
        if moved.get(model):
            # A raw DELETE: Django's delete would cascade to themes and supports or null the later
            # receipts' `previous`; the rows come back at once with the same ids.
            model._default_manager.filter(pk__in=[row.pk for row in moved[model]])._raw_delete(
                model._default_manager.db
            )
    for model in order:
        rows: list[Any] = moved.get(model, [])
        rng.shuffle(rows)
        if rows:
            model._default_manager.bulk_create(rows, batch_size=1000)
