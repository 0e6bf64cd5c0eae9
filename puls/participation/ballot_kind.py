"""The dialogue round's side of the Ballot interface (`puls.invitations.kinds`).

Every round is a ballot of kind "participation.round"; what differs between rounds is delegated to
the round's kind (`round_kinds`). The submit writes, inside the invitations app's sealed submit
transaction: the Receipt (HMAC of the code the review page made), the kind's answer rows and, in
named processes only, NamedAuthorship rows. The shuffle rewrites receipts and the kind's rows.

Submission data (built by the participant views, never taken from the form as a whole):
    {"receipt_code": "<16 characters>", "author": "<person id>" (named processes only),
     "previous_code": "<an earlier round's receipt code>" (optional), ...kind data}

With `previous_code` the new Receipt is attached to that earlier receipt (`receipt_chains`): the
submit only sets `Receipt.previous`; the shuffle moves the chain's rows to a common, coarser cell.
"""

import random
import uuid
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _

from puls.invitations.kinds import ballot_kind_register
from puls.invitations.models import Ballot, BallotCell
from puls.organisations.models import Employment, Unit
from puls.participation.models import NamedAuthorship, Process, Receipt, Round
from puls.participation.receipt_chains import AttachRefused, attach_target, chain_cells_coarsen
from puls.participation.receipts import receipt_code_hmac, receipt_code_normalise
from puls.participation.round_kinds import round_kind_get, round_kinds

ROUND_BALLOT_KIND = "participation.round"
INSERT_BATCH = 1000


def round_for_ballot(ballot: Ballot) -> Round:
    """The round of the ballot being submitted. The participant views read it together with the
    invitation (relation "ballot__dialogue_round__process"), so a submit reads it once at most."""
    return ballot.dialogue_round  # type: ignore[attr-defined,no-any-return]


def _audience(holder: Process | Round, organisation_id: Any) -> "models.QuerySet[Employment]":
    """The current employments a process's or a round's audience fields describe: everyone, the
    chosen units' subtrees and/or job groups, or the standing panel's members."""
    employments = Employment.objects.current().filter(
        unit__organisation_id=organisation_id, person__anonymised_at__isnull=True
    )
    if holder.audience_panel_id is not None:
        employments = employments.filter(person__panels=holder.audience_panel_id)
    elif not holder.audience_everyone:
        units = list(holder.audience_units.all())
        if units:
            employments = employments.filter(unit__in=Unit.objects.within(units))
        if holder.audience_job_groups:  # with units: those job groups in those units
            employments = employments.filter(job_group__in=holder.audience_job_groups)
        elif not units:
            employments = employments.none()
    return employments.select_related("person", "unit")


def process_audience(process: Process) -> "models.QuerySet[Employment]":
    return _audience(process, process.organisation_id)


def round_audience(round_: Round) -> "models.QuerySet[Employment]":
    """The round's own audience, or its process's when `audience_from_process` (the default)."""
    if round_.audience_from_process:
        return process_audience(round_.process)
    return _audience(round_, round_.process.organisation_id)


def _follow(mapping: dict[uuid.UUID, uuid.UUID], cell: uuid.UUID) -> uuid.UUID:
    target = mapping[cell]
    seen = {cell}
    # Follow chains (a → b, b → c) so every row ends in the surviving cell.
    while target in mapping and target not in seen:
        seen.add(target)
        target = mapping[target]
    return target


class DialogueRoundKind:
    name = ROUND_BALLOT_KIND

    def audience(self, ballot: Ballot) -> "models.QuerySet[Employment]":
        round_ = Round.objects.select_related("process").get(ballot=ballot)
        return round_audience(round_)

    def validate_submission(self, ballot: Ballot, data: dict[str, Any]) -> dict[str, list[str]]:
        if not isinstance(data, dict):
            return {"data": [_("Your input could not be read.")]}
        round_ = round_for_ballot(ballot)
        if not receipt_code_normalise(str(data.get("receipt_code", ""))):
            return {"receipt_code": [_("The receipt code is missing. Reload the page and submit again.")]}
        if round_.process.is_named and not data.get("author"):
            return {"author": [_("This named round needs to know who writes.")]}
        errors = dict(round_kind_get(round_.kind).validate(round_, data))
        if data.get("previous_code"):
            try:
                attach_target(round_, str(data["previous_code"]))
            except AttachRefused as refusal:
                errors["previous_code"] = [str(refusal)]
        return errors

    def write_submission(self, ballot: Ballot, cell: BallotCell, data: dict[str, Any]) -> dict[str, Any]:
        round_ = round_for_ballot(ballot)
        named = round_.process.is_named
        # Only a pointer to the earlier receipt: its rows are moved by the shuffle, not here (§4.11).
        previous = attach_target(round_, str(data["previous_code"])) if data.get("previous_code") else None
        # Named rows are tied to a person anyway: nothing to shuffle.
        receipt = Receipt.objects.create(
            process_id=round_.process_id,
            round=round_,
            cell=cell,
            code_hmac=receipt_code_hmac(data["receipt_code"]),
            previous=previous,
            shuffled=named,
        )
        contributions = round_kind_get(round_.kind).write(round_, cell, receipt, data, shuffled=named)
        if named:
            NamedAuthorship.objects.bulk_create(
                [
                    NamedAuthorship(contribution=contribution, person_id=data["author"])
                    for contribution in contributions
                ]
            )
        return {"contributions": len(contributions)}

    def answer_models(self) -> list[type[models.Model]]:
        """Receipt and every kind's answer tables (each has `round` and `cell`)."""
        tables: list[type[models.Model]] = [Receipt]
        for kind in round_kinds().values():
            tables += [model for model in kind.answer_models() if model not in tables]
        return tables

    def shuffle(self, ballot: Ballot) -> int:
        """Inside the caller's transaction: delete and re-insert the round's unshuffled receipts
        and the kind's unshuffled rows, each table in random order (DESIGN §4.11). Rows of receipt
        chains (a ballot attached to an earlier receipt) move to the chain's common cell first,
        the earlier rounds' rows included (`receipt_chains.chain_cells_coarsen`)."""
        round_ = Round.objects.select_related("ballot").get(ballot=ballot)
        kind = round_kind_get(round_.kind)
        receipts = list(Receipt.objects.filter(round=round_, shuffled=False))
        tables = [list(queryset) for queryset in kind.unshuffled(round_)]
        if not receipts and not any(tables):
            return 0
        chain_cells_coarsen(
            round_, [*receipts, *(row for rows in tables for row in rows)], self.answer_models()
        )
        for queryset in reversed(kind.unshuffled(round_)):
            queryset.delete()
        # A raw DELETE: Django's would set later receipts' `previous` to NULL; the receipts come
        # back with the same ids below, and foreign keys are checked at commit.
        Receipt.objects.filter(round=round_, shuffled=False)._raw_delete(Receipt.objects.db)
        rng = random.SystemRandom()
        for rows in [receipts, *tables]:
            rng.shuffle(rows)
            for row in rows:
                row.shuffled = True  # type: ignore[attr-defined]
            if rows:
                type(rows[0]).objects.bulk_create(rows, batch_size=INSERT_BATCH)
        return len(receipts)

    def move_cells(self, ballot: Ballot, mapping: dict[uuid.UUID, uuid.UUID]) -> None:
        round_ = Round.objects.get(ballot=ballot)
        for old_cell in mapping:
            target = _follow(mapping, old_cell)
            for model in self.answer_models():
                model._default_manager.filter(round=round_, cell_id=old_cell).update(cell_id=target)

    def answered_count(self, ballot: Ballot) -> int:
        return Receipt.objects.filter(round__ballot=ballot).count()

    def start_url(self, ballot: Ballot) -> str:
        round_ = Round.objects.get(ballot=ballot)
        return reverse(round_kind_get(round_.kind).start_view, kwargs={"ballot_id": ballot.pk})


ballot_kind_register(DialogueRoundKind())
