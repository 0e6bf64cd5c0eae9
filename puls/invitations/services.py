"""Writes of the invitations app. Signatures are the contract used by surveys and participation.

Implementation notes live in docs/adr/0004-anonymous-ballots.md. Nothing here logs or stores a
token or answer content; the submit writes only the answer rows, the completed flag and the draft
deletion.
"""

import logging
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, F, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from puls.core.audit import audit_record
from puls.core.models import User
from puls.invitations import tokens
from puls.invitations.coarsening import CellState, UnitNode, UnitTree, plan_cells, plan_close_merges
from puls.invitations.kinds import BallotKind, ballot_kind_get
from puls.invitations.models import (
    Ballot,
    BallotCell,
    DailyCount,
    Draft,
    Invitation,
    ParticipationCount,
)
from puls.organisations.models import Employment, Unit

logger = logging.getLogger(__name__)

BULK_BATCH = 1000
SEND_BATCH = 500


class BallotError(Exception):
    """A user-facing refusal (message is translated)."""


class AlreadySubmitted(BallotError):
    pass


class BallotClosed(BallotError):
    pass


class InvalidSubmission(BallotError):
    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("invalid submission")
        self.errors = errors


class SubmissionFailed(BallotError):
    """The submit failed for a reason other than the participant's input; nothing was stored.

    Raised instead of the original error, whose message might quote answer content.
    """


@dataclass(frozen=True)
class TokenHolder:
    """What a participant's request carries: the ballot and the token from the ballot cookie."""

    ballot: Ballot
    token: str
    # The invitation found when the holder was made from the request: a per-request memo, so one
    # request looks the token up once. The submit still locks and re-reads the invitation row.
    invitation: Invitation | None = field(default=None, compare=False, repr=False)


# Background attributes a ballot may store with answers, computed from the employment at launch.
ATTRIBUTES = {
    "job_group": lambda employment, on: (employment.job_group or "").strip(),
    "age_band": lambda employment, on: employment.age_band(on),
    "seniority_band": lambda employment, on: employment.seniority_band(on),
}


def effective_thresholds(ballot: Ballot) -> tuple[int, int]:
    """(k, free-text k): the maximum of the organisation's and the ballot's settings (DESIGN §4.3)."""
    organisation = ballot.organisation
    k = max(organisation.anonymity_k, ballot.requested_k or 0)
    free_text_k = max(organisation.free_text_k, k, ballot.requested_free_text_k or 0)
    return k, free_text_k


def _kind(ballot: Ballot) -> BallotKind:
    try:
        return ballot_kind_get(ballot.kind)
    except KeyError:
        raise BallotError(_("This kind of ballot is not available.")) from None


@dataclass
class _Invitee:
    person_id: uuid.UUID
    unit_id: uuid.UUID
    email: str
    attributes: dict[str, str]


def _audience(kind: BallotKind, ballot: Ballot, on: date) -> list[_Invitee]:
    """One invitee per person, from their newest current employment in the kind's audience."""
    rows = (
        kind.audience(ballot)
        .filter(person__organisation=ballot.organisation, person__anonymised_at__isnull=True)
        .order_by("person_id", "-start_date", "-id")
        .values("person_id", "unit_id", "job_group", "start_date", "birth_year", "person__email")
    )
    invitees = []
    seen: set[uuid.UUID] = set()
    for row in rows.iterator(chunk_size=5000):
        if row["person_id"] in seen:
            continue
        seen.add(row["person_id"])
        employment = Employment(
            job_group=row["job_group"], start_date=row["start_date"], birth_year=row["birth_year"]
        )
        invitees.append(
            _Invitee(
                person_id=row["person_id"],
                unit_id=row["unit_id"],
                email=row["person__email"] or "",
                attributes={name: ATTRIBUTES[name](employment, on) for name in ballot.attributes},
            )
        )
    return invitees


def _unit_tree(ballot: Ballot) -> UnitTree:
    units = Unit.objects.filter(organisation=ballot.organisation).values_list("id", "parent_id", "name")
    return UnitTree(UnitNode(id=id_, parent_id=parent_id, name=name) for id_, parent_id, name in units)


def ballot_launch(*, actor: User, ballot: Ballot) -> Ballot:
    """Freeze audience and thresholds, coarsen storage cells, create invitations, schedule sending."""
    with transaction.atomic():
        ballot = Ballot.objects.select_for_update().select_related("organisation").get(pk=ballot.pk)
        if ballot.status != Ballot.Status.DRAFT:
            raise BallotError(_("This ballot has already been launched."))
        unknown = [name for name in ballot.attributes if name not in ATTRIBUTES]
        if unknown:
            raise BallotError(_("Unknown background attributes: %(names)s.") % {"names": ", ".join(unknown)})
        now = timezone.now()
        if ballot.closes_at <= max(now, ballot.opens_at):
            raise BallotError(_("The closing time must be in the future and after the opening time."))
        kind = _kind(ballot)
        k, free_text_k = effective_thresholds(ballot)
        invitees = _audience(kind, ballot, timezone.localdate(now))
        if len(invitees) < k:
            raise BallotError(
                _("Only %(count)d people are in the audience; at least %(k)d are needed for anonymity.")
                % {"count": len(invitees), "k": k}
            )
        tree = _unit_tree(ballot)
        planned, report = plan_cells(
            tree=tree,
            member_units=[invitee.unit_id for invitee in invitees],
            member_attributes=[invitee.attributes for invitee in invitees],
            attributes=list(ballot.attributes),
            k=k,
        )
        cells = [
            BallotCell(
                ballot=ballot,
                unit_id=cell.unit_id,
                attributes=cell.attributes,
                invited_count=len(cell.members),
            )
            for cell in planned
        ]
        BallotCell.objects.bulk_create(cells, batch_size=BULK_BATCH)
        cell_of = {
            index: cell.pk for cell, plan in zip(cells, planned, strict=True) for index in plan.members
        }

        invitations = []
        for index, invitee in enumerate(invitees):
            invitation_id = uuid.uuid4()
            invitations.append(
                Invitation(
                    id=invitation_id,
                    ballot=ballot,
                    person_id=invitee.person_id,
                    unit_id=invitee.unit_id,
                    cell_id=cell_of[index],
                    channel=Invitation.Channel.EMAIL if invitee.email else Invitation.Channel.LETTER,
                    issue_number=1,
                    token_hmac=tokens.token_lookup_hmac(tokens.token_for(invitation_id, 1)),
                )
            )
        Invitation.objects.bulk_create(invitations, batch_size=BULK_BATCH)
        per_unit = Counter(invitee.unit_id for invitee in invitees)
        ParticipationCount.objects.bulk_create(
            [
                ParticipationCount(ballot=ballot, unit_id=unit_id, invited=n)
                for unit_id, n in per_unit.items()
            ],
            batch_size=BULK_BATCH,
        )

        ballot.k = k
        ballot.free_text_k = free_text_k
        ballot.coarsening_report = report
        ballot.invited_count = len(invitations)
        ballot.status = Ballot.Status.OPEN
        ballot.launched_at = now
        ballot.save()
        if ballot.opens_at <= now:
            _invitations_enqueue(ballot, now=now)
        letters = sum(1 for invitation in invitations if invitation.channel == Invitation.Channel.LETTER)
        audit_record(
            actor=actor,
            action="ballot.launch",
            organisation=ballot.organisation,
            target=ballot,
            summary=ballot.title,
            data={
                "invited": len(invitations),
                "letters": letters,
                "cells": len(cells),
                "k": k,
                "free_text_k": free_text_k,
            },
        )
    return ballot


def _invitations_enqueue(ballot: Ballot, *, now: datetime) -> int:
    """Queue the invitation e-mails in batches of invitation ids (never tokens): inside the caller's
    transaction, so the database task backend commits the task rows together with the invitations."""
    from puls.invitations.tasks import send_invitations

    ids = list(
        Invitation.objects.filter(ballot=ballot, channel=Invitation.Channel.EMAIL)
        .order_by("id")
        .values_list("id", flat=True)
    )
    for start in range(0, len(ids), SEND_BATCH):
        send_invitations.enqueue(str(ballot.pk), [str(i) for i in ids[start : start + SEND_BATCH]])
    Ballot.objects.filter(pk=ballot.pk).update(invitations_sent_at=now)
    ballot.invitations_sent_at = now
    return len(ids)


def ballot_send_due_invitations(*, ballot: Ballot, now: datetime | None = None) -> int:
    """Queue the invitation e-mails of a launched ballot whose opening time has come (once)."""
    now = now or timezone.now()
    with transaction.atomic():
        ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
        if ballot.status != Ballot.Status.OPEN or ballot.invitations_sent_at or ballot.opens_at > now:
            return 0
        return _invitations_enqueue(ballot, now=now)


def ballot_extend(*, actor: User, ballot: Ballot, closes_at: datetime) -> Ballot:
    """Move the closing time later; only while open (a closed ballot is never reopened)."""
    with transaction.atomic():
        ballot = Ballot.objects.select_for_update().select_related("organisation").get(pk=ballot.pk)
        if ballot.status != Ballot.Status.OPEN or ballot.closes_at <= timezone.now():
            raise BallotError(_("Only a ballot that has not closed yet can be extended."))
        if closes_at <= ballot.closes_at:
            raise BallotError(_("The new closing time must be later than the current one."))
        previous = ballot.closes_at
        ballot.closes_at = closes_at
        ballot.save(update_fields=["closes_at"])
        audit_record(
            actor=actor,
            action="ballot.extend",
            organisation=ballot.organisation,
            target=ballot,
            summary=ballot.title,
            data={"from": previous.isoformat(), "to": closes_at.isoformat()},
        )
    return ballot


def _cells_merge_at_close(ballot: Ballot, kind: BallotKind) -> None:
    """Merge storage cells with fewer than k responses further up (DESIGN §4.2)."""
    responses = Counter(
        Invitation.objects.filter(ballot=ballot, completed=True).values_list("cell_id", flat=True)
    )
    cells = list(BallotCell.objects.filter(ballot=ballot, merged_into__isnull=True))
    states = [
        CellState(
            id=cell.pk,
            unit_id=cell.unit_id,
            attributes=dict(cell.attributes),
            responses=responses.get(cell.pk, 0),
            invited=cell.invited_count,
        )
        for cell in cells
    ]
    created, mapping, entries = plan_close_merges(
        tree=_unit_tree(ballot), cells=states, k=ballot.k or 1, attribute_order=list(ballot.attributes)
    )
    BallotCell.objects.bulk_create(
        [
            BallotCell(
                id=c.id, ballot=ballot, unit_id=c.unit_id, attributes=c.attributes, invited_count=c.invited
            )
            for c in created
        ],
        batch_size=BULK_BATCH,
    )
    existing = {cell.pk for cell in cells}
    stored_mapping = {source: target for source, target in mapping.items() if source in existing}
    by_target: dict[uuid.UUID, list[uuid.UUID]] = {}
    for source, target in stored_mapping.items():
        by_target.setdefault(target, []).append(source)
    for target, sources in by_target.items():
        BallotCell.objects.filter(pk__in=sources).update(merged_into_id=target)
    survivors = {state.id: state for state in states if state.id not in mapping}
    for cell in cells:
        if cell.pk in survivors and survivors[cell.pk].invited != cell.invited_count:
            cell.invited_count = survivors[cell.pk].invited
            cell.save(update_fields=["invited_count"])
    if stored_mapping:
        kind.move_cells(ballot, stored_mapping)
    report = dict(ballot.coarsening_report or {})
    report["closing"] = entries
    Ballot.objects.filter(pk=ballot.pk).update(coarsening_report=report)


def _task_rows_delete(ballot_id: uuid.UUID) -> int:
    """Delete the ballot's sending and reminder task rows (they hold invitation ids)."""
    from puls.invitations.tasks import send_invitations, send_reminders

    deleted, _ = (
        DBTaskResult.objects.filter(task_path__in=[send_invitations.module_path, send_reminders.module_path])
        .filter(Q(args_kwargs__args__0=str(ballot_id)) | Q(args_kwargs__kwargs__ballot_id=str(ballot_id)))
        .exclude(status=TaskResultStatus.RUNNING)
        .delete()
    )
    return deleted


def ballot_close(*, ballot: Ballot, actor: User | None = None) -> Ballot:
    """Final shuffle, merge cells below k, keep counts, drop completed flags, delete task rows."""
    with transaction.atomic():
        ballot = Ballot.objects.select_for_update().select_related("organisation").get(pk=ballot.pk)
        if ballot.status == Ballot.Status.CLOSED:
            return ballot
        if ballot.status != Ballot.Status.OPEN:
            raise BallotError(_("A ballot that was never launched cannot be closed."))
        kind = _kind(ballot)
        ballot_shuffle(ballot=ballot, force=True)
        ballot.refresh_from_db()
        _cells_merge_at_close(ballot, kind)
        _count(ballot, final=True)
        ballot.refresh_from_db()
        Invitation.objects.filter(ballot=ballot).update(completed=None)
        Draft.objects.filter(ballot=ballot).delete()
        _task_rows_delete(ballot.pk)
        now = timezone.now()
        ballot.status = Ballot.Status.CLOSED
        ballot.closed_at = now
        if ballot.closes_at > now:
            ballot.closes_at = now
        ballot.save(update_fields=["status", "closed_at", "closes_at"])
        audit_record(
            actor=actor,
            action="ballot.close",
            organisation=ballot.organisation,
            target=ballot,
            summary=ballot.title,
            data={"invited": ballot.invited_count, "completed": ballot.completed_count},
        )
        closed_hook = getattr(kind, "closed", None)
        if callable(closed_hook):
            closed_ballot = ballot
            transaction.on_commit(lambda: closed_hook(closed_ballot))
    return ballot


def invitation_for_token(*, token: str, ballot: Ballot | None = None) -> Invitation | None:
    """The invitation a (current-issue) token belongs to, or None.

    Only the current issue's HMAC is stored, so a reprinted letter's old code finds nothing. Given
    the caller's ballot, the invitation refers to that instance and nothing else is joined (every
    participant request looks its token up; the cell is read when a page needs it).
    """
    normalised = tokens.token_normalise(token or "")
    if len(normalised) != tokens.TOKEN_CHARS:
        return None
    invitations = Invitation.objects.filter(token_hmac=tokens.token_lookup_hmac(normalised))
    if ballot is None:
        return invitations.select_related("ballot", "ballot__organisation", "cell", "cell__unit").first()
    invitation = invitations.filter(ballot_id=ballot.pk).first()
    if invitation is not None:
        invitation.ballot = ballot
    return invitation


# The attribute invitation_with_ballot(with_draft=True) puts the current issue's draft data in.
_CURRENT_DRAFT = "current_draft"


def invitation_with_ballot(
    *,
    token: str,
    ballot_id: uuid.UUID,
    kind: str,
    related: tuple[str, ...] = (),
    with_draft: bool = False,
) -> Invitation | None:
    """The invitation a (current-issue) token belongs to in ballot `ballot_id` of `kind`, read in
    one query together with its ballot and the relations `related` names (e.g. "cell", or the
    owning app's row as "ballot__survey"), or None. Every participant request starts here.

    With `with_draft`, the same query reads the draft the token keys (found by its own HMAC of the
    token, as draft_get would), so draft_get needs no query of its own."""
    normalised = tokens.token_normalise(token or "")
    if len(normalised) != tokens.TOKEN_CHARS:
        return None
    invitations = Invitation.objects.select_related("ballot", *related).filter(
        token_hmac=tokens.token_lookup_hmac(normalised), ballot_id=ballot_id, ballot__kind=kind
    )
    if with_draft:
        drafts = Draft.objects.filter(key=tokens.token_draft_key(normalised)).values("data")
        invitations = invitations.annotate(**{_CURRENT_DRAFT: Subquery(drafts[:1])})
    # token_hmac is unique: no ordering needed to pick the one row.
    return next(iter(invitations[:1]), None)


def invitation_reprint(*, actor: User, invitation: Invitation) -> str:
    """Increase the issue number (old code dies, draft re-keyed), audit it, return the new token.

    The draft is re-keyed when the participant next uses the new code (see `_draft_keys`), not
    here: moving it in this transaction would give the draft row the same transaction id as the
    invitation row and so tie the draft's content to the person.
    """
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("ballot__organisation")
            .get(pk=invitation.pk)
        )
        ballot = invitation.ballot
        if ballot.status != Ballot.Status.OPEN or ballot.closes_at <= timezone.now():
            raise BallotError(_("Letters can only be reprinted while the ballot is open."))
        invitation.issue_number += 1
        token = tokens.token_for(invitation.pk, invitation.issue_number)
        invitation.token_hmac = tokens.token_lookup_hmac(token)
        invitation.save(update_fields=["issue_number", "token_hmac"])
        audit_record(
            actor=actor,
            action="invitation.reprint",
            organisation=ballot.organisation,
            target=invitation,
            summary=ballot.title,
            data={"ballot": str(ballot.pk), "issue_number": invitation.issue_number},
        )
    return token


def _draft_keys(invitation: Invitation) -> list[str]:
    """Draft keys of the current issue first, then of earlier (reprinted) issues."""
    return [
        tokens.token_draft_key(tokens.token_for(invitation.pk, issue))
        for issue in range(invitation.issue_number, 0, -1)
    ]


def _holder_invitation(holder: TokenHolder) -> tuple[Ballot, Invitation]:
    """The participant's invitation, refusing closed ballots and submitted invitations."""
    invitation = holder.invitation or invitation_for_token(token=holder.token, ballot=holder.ballot)
    if invitation is None:
        raise BallotError(_("This code is not valid for this ballot."))
    ballot = invitation.ballot
    if not ballot.is_open:
        raise BallotClosed(_("This ballot is closed."))
    if invitation.completed:
        raise AlreadySubmitted(_("You have already answered."))
    return ballot, invitation


def draft_get(*, holder: TokenHolder) -> dict[str, Any]:
    _ballot, invitation = _holder_invitation(holder)
    if hasattr(invitation, _CURRENT_DRAFT):
        current: dict[str, Any] | None = getattr(invitation, _CURRENT_DRAFT)
        # Read with the invitation; a draft of an earlier issue (reprint) is looked for below.
        if current is not None or invitation.issue_number == 1:
            return current or {}
    keys = _draft_keys(invitation)
    drafts = dict(Draft.objects.filter(key__in=keys).values_list("key", "data"))
    return next((drafts[key] for key in keys if key in drafts), {})


def draft_save(*, holder: TokenHolder, data: dict[str, Any]) -> None:
    # No lock on the invitation: a lock would stamp the invitation row with this transaction's id,
    # the same id the draft row gets.
    with transaction.atomic():
        ballot, invitation = _holder_invitation(holder)
        keys = _draft_keys(invitation)
        Draft.objects.update_or_create(key=keys[0], defaults={"ballot": ballot, "data": data})
        if len(keys) > 1:
            Draft.objects.filter(key__in=keys[1:]).delete()
    # A submit from another tab may have committed meanwhile; its draft deletion could not see ours.
    if Invitation.objects.filter(pk=invitation.pk, completed=True).exists():
        Draft.objects.filter(key__in=keys).delete()


def ballot_submit(*, holder: TokenHolder, data: dict[str, Any]) -> dict[str, Any]:
    """The sealed, idempotent submit (DESIGN §4.7). Raises AlreadySubmitted, BallotClosed,
    InvalidSubmission, SubmissionFailed. Returns what the owning kind's write_submission returned.

    One transaction: set the completed flag, validate, write the answer rows, delete the draft;
    nothing else (no audit row, task, session or log line). Setting the flag comes first and only
    where it is still false: that takes the invitation's row lock, so a second submit of the same
    invitation (double click, another tab, a retry) waits for the first to commit and then finds
    no row to set, and a close that committed meanwhile has set the flag to NULL. A concurrent
    shuffle rewrites every flag of the ballot first, so it waits for a submit in progress, or the
    submit waits for it (docs/adr/0004-anonymous-ballots.md).
    """
    ballot, invitation = _holder_invitation(holder)
    kind = _kind(ballot)
    lookup = tokens.token_lookup_hmac(holder.token)
    try:
        with transaction.atomic():
            claimed = Invitation.objects.filter(pk=invitation.pk, token_hmac=lookup, completed=False).update(
                completed=True
            )
            if not claimed:
                raise _submit_refusal(invitation.pk, lookup)
            errors = kind.validate_submission(ballot, data)
            if errors:
                raise InvalidSubmission(errors)
            result = kind.write_submission(ballot, invitation.cell, data)
            Draft.objects.filter(key__in=_draft_keys(invitation)).delete()
    except BallotError:
        raise
    except Exception as error:
        # The original message may quote answer content; error reports get only its type.
        raise SubmissionFailed(type(error).__name__) from None
    return result


def _submit_refusal(invitation_id: uuid.UUID, lookup: str) -> BallotError:
    """Why a submit found no flag to set, read after any submit or close that held the row committed."""
    row = Invitation.objects.filter(pk=invitation_id).values_list("token_hmac", "completed").first()
    if row is None or row[0] != lookup:
        return BallotError(_("This code is not valid for this ballot."))
    if row[1] is None:
        return BallotClosed(_("This ballot is closed."))
    return AlreadySubmitted(_("You have already answered."))


def ballot_shuffle(*, ballot: Ballot, force: bool = False) -> int:
    """Rewrite completed flags and new answer rows in random order when >= k are waiting (or force).

    Rewriting every invitation flag of the ballot first also locks the invitations, so no submit of
    this ballot is half-way through while the kind deletes and re-inserts its answer rows.
    """
    kind = _kind(ballot)
    with transaction.atomic():
        ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
        if ballot.status != Ballot.Status.OPEN:
            return 0
        waiting = kind.answered_count(ballot) - ballot.shuffled_count
        if not force and (waiting <= 0 or waiting < (ballot.k or 1)):
            return 0
        Invitation.objects.filter(ballot=ballot).update(completed=F("completed"))
        moved = kind.shuffle(ballot)
        ballot.shuffled_count = kind.answered_count(ballot)
        ballot.save(update_fields=["shuffled_count"])
    return moved


def _count(ballot: Ballot, *, final: bool) -> bool:
    per_unit = dict(
        Invitation.objects.filter(ballot=ballot, completed=True)
        .values("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    total = sum(per_unit.values())
    # Live counts move in steps of at least k (DESIGN §4, residual risks), the final one exactly.
    if not final and total - ballot.completed_count < (ballot.k or 1):
        return False
    counts = list(ParticipationCount.objects.filter(ballot=ballot))
    for count in counts:
        count.completed = per_unit.get(count.unit_id, 0)
    ParticipationCount.objects.bulk_update(counts, ["completed"], batch_size=BULK_BATCH)
    now = timezone.now()
    Ballot.objects.filter(pk=ballot.pk).update(completed_count=total, counted_at=now)
    ballot.completed_count = total
    ballot.counted_at = now
    DailyCount.objects.update_or_create(
        ballot=ballot, day=timezone.localdate(now), defaults={"completed_total": total}
    )
    return True


def ballot_count(*, ballot: Ballot) -> None:
    """Refresh the aggregate participation and daily counts (batched, not per answer)."""
    with transaction.atomic():
        ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
        if ballot.status == Ballot.Status.OPEN:
            _count(ballot, final=False)


def ballot_participation_id(ballot: Ballot) -> uuid.UUID:
    return ballot.pk


def reminders_due(ballot: Ballot, *, now: datetime) -> int:
    """How many of the ballot's reminders are due by now (reminder_days counts days after opening)."""
    due = 0
    for day in ballot.reminder_days or []:
        try:
            at = ballot.opens_at + timedelta(days=float(day))
        except (TypeError, ValueError):
            continue
        if at <= now < ballot.closes_at:
            due += 1
    return due


def reminders_waiting(
    ballot: Ballot, *, now: datetime, reminder: int | None = None
) -> tuple["QuerySet[Invitation]", int]:
    """(Invitations that should get reminder number `reminder` — by default the number due by now —,
    that number): not completed, invited by e-mail, not reminded that many times yet."""
    number = reminders_due(ballot, now=now) if reminder is None else reminder
    waiting = Invitation.objects.filter(
        ballot=ballot,
        completed=False,
        channel=Invitation.Channel.EMAIL,
        reminders_sent__lt=number,
    ).exclude(person__email="")
    return waiting, number


def ballots_run_due(*, now: datetime | None = None) -> dict[str, int]:
    """The periodic job: send invitations of ballots that opened, queue due reminders, shuffle,
    count and close ballots whose time is up. One failing ballot does not stop the others."""
    from puls.invitations.tasks import send_reminders

    now = now or timezone.now()
    done = Counter[str]()
    for ballot in Ballot.objects.filter(status=Ballot.Status.OPEN).order_by("closes_at"):
        step = "start"
        try:
            if ballot.closes_at <= now:
                step = "close"
                ballot_close(ballot=ballot)
                done["closed"] += 1
                continue
            if ballot.opens_at > now:
                continue
            step = "send"
            if ballot.invitations_sent_at is None and ballot_send_due_invitations(ballot=ballot, now=now):
                done["sent"] += 1
            step = "remind"
            waiting, number = reminders_waiting(ballot, now=now)
            if waiting.exists():
                send_reminders.enqueue(str(ballot.pk), number)
                done["reminded"] += 1
            step = "shuffle"
            if ballot_shuffle(ballot=ballot):
                done["shuffled"] += 1
            step = "count"
            ballot_count(ballot=ballot)
        except Exception as error:
            # Only the step and the error type: messages could quote answer content.
            logger.error("Ballot %s: %s failed (%s)", ballot.pk, step, type(error).__name__)
            done["failed"] += 1
    for ballot_id in Ballot.objects.filter(
        status=Ballot.Status.CLOSED, closed_at__gte=now - timedelta(days=2)
    ).values_list("id", flat=True):
        _task_rows_delete(ballot_id)
    return dict(done)
