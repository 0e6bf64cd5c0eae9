"""Counting, reminders, the periodic job, extending and closing (DESIGN §4.2, §4.11; ADR 0004)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from puls.core.models import AuditEntry
from puls.core.periodic import periodic_jobs
from puls.invitations import services
from puls.invitations.models import (
    Ballot,
    BallotCell,
    BallotReopenRefused,
    DailyCount,
    Draft,
    Invitation,
    ParticipationCount,
)
from puls.invitations.services import AlreadySubmitted, BallotClosed, BallotError
from puls.invitations.tasks import ballots_run_due
from puls.surveys.models import Response

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def invitations_in(launched, code: str) -> list[Invitation]:
    return list(
        Invitation.objects.filter(ballot=launched.ballot, unit__code=code)
        .select_related("person")
        .order_by("person__employee_number")
    )


def submit_from(launched, code: str, count: int) -> None:
    for invitation in invitations_in(launched, code)[:count]:
        launched.submit(launched.token(invitation.person))


def cell_of(launched, code: str) -> BallotCell:
    return BallotCell.objects.get(ballot=launched.ballot, unit__code=code, merged_into__isnull=True)


def test_the_ballot_job_runs_every_fifteen_minutes():
    job = periodic_jobs()["invitations.ballots"]
    assert job.task is ballots_run_due
    assert job.every == timedelta(minutes=15)


def test_counts_are_published_in_steps_of_at_least_k(launched):
    submit_from(launched, "210", 4)
    services.ballot_count(ballot=launched.ballot)
    assert launched.refresh().completed_count == 0
    assert not DailyCount.objects.filter(ballot=launched.ballot).exists()

    submit_from(launched, "220", 1)
    services.ballot_count(ballot=launched.ballot)
    assert launched.refresh().completed_count == 5
    counts = {
        pc.unit.code: (pc.invited, pc.completed)
        for pc in ParticipationCount.objects.filter(ballot=launched.ballot)
    }
    assert counts == {"100": (3, 0), "210": (7, 4), "220": (6, 1), "310": (2, 0)}
    daily = DailyCount.objects.get(ballot=launched.ballot)
    assert (daily.day, daily.completed_total) == (timezone.localdate(), 5)


def test_reminders_go_to_those_not_done_by_email_once_per_reminder_day(launch):
    launched = launch(reminder_days=[3, 7])
    done = invitations_in(launched, "220")[0]
    launched.submit(launched.token(done.person))
    mail.outbox.clear()
    waiting = Invitation.objects.filter(
        ballot=launched.ballot, completed=False, channel=Invitation.Channel.EMAIL
    )
    expected = {invitation.person.email for invitation in waiting.select_related("person")}

    services.ballots_run_due(now=timezone.now() + timedelta(days=2))
    assert mail.outbox == []
    services.ballots_run_due(now=timezone.now() + timedelta(days=3, minutes=1))
    assert {m.to[0] for m in mail.outbox} == expected
    assert done.person.email not in {m.to[0] for m in mail.outbox}
    assert all("Reminder" in m.subject for m in mail.outbox)
    reminded = mail.outbox[0]
    invitation = Invitation.objects.get(ballot=launched.ballot, person__email=reminded.to[0])
    assert launched.token(invitation.person) in reminded.body  # the same token as the invitation
    assert set(waiting.values_list("reminders_sent", flat=True)) == {1}

    services.ballots_run_due(now=timezone.now() + timedelta(days=3, minutes=30))
    assert len(mail.outbox) == len(expected)  # not twice
    services.ballots_run_due(now=timezone.now() + timedelta(days=7, minutes=1))
    assert len(mail.outbox) == 2 * len(expected)
    letters = Invitation.objects.filter(ballot=launched.ballot, channel=Invitation.Channel.LETTER)
    assert set(letters.values_list("reminders_sent", flat=True)) == {0}


def test_the_job_shuffles_counts_and_closes_when_the_time_is_up(launched):
    submit_from(launched, "210", 5)
    result = services.ballots_run_due()
    assert result == {"shuffled": 1}
    assert launched.refresh().completed_count == 5
    assert not Response.objects.filter(survey__ballot=launched.ballot, shuffled=False).exists()

    services.ballots_run_due(now=launched.ballot.closes_at + timedelta(minutes=1))
    assert launched.refresh().status == Ballot.Status.CLOSED


def test_extend_only_later_and_only_while_open(launched):
    admin = launched.personas.org_admin
    later = launched.ballot.closes_at + timedelta(days=3)
    with pytest.raises(BallotError):
        services.ballot_extend(
            actor=admin, ballot=launched.ballot, closes_at=launched.ballot.closes_at - timedelta(hours=1)
        )
    services.ballot_extend(actor=admin, ballot=launched.ballot, closes_at=later)
    assert launched.refresh().closes_at == later
    entry = AuditEntry.objects.get(action="ballot.extend")
    assert entry.actor == admin
    assert entry.data["to"] == later.isoformat()

    services.ballot_close(ballot=launched.ballot, actor=admin)
    with pytest.raises(BallotError):
        services.ballot_extend(actor=admin, ballot=launched.ballot, closes_at=later + timedelta(days=1))


def test_close_merges_small_cells_keeps_counts_and_drops_flags_drafts_and_task_rows(launched, settings):
    settings.TASKS = DB_TASKS
    ours = DBTaskResult.objects.create(
        args_kwargs={"args": [str(launched.ballot.pk), ["x"]], "kwargs": {}},
        task_path="puls.invitations.tasks.send_invitations",
        backend_name="default",
        run_after=timezone.now(),
    )
    other = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="puls.core.tasks.prune_finished_task_results",
        backend_name="default",
        run_after=timezone.now(),
    )
    submit_from(launched, "210", 5)
    submit_from(launched, "220", 2)
    submit_from(launched, "100", 3)
    waiting = invitations_in(launched, "310")[0]
    services.draft_save(holder=launched.holder(launched.token(waiting.person)), data=launched.answers(1))
    small = cell_of(launched, "220")
    root = cell_of(launched, "100")

    services.ballot_close(ballot=launched.ballot, actor=launched.personas.org_admin)
    ballot = launched.refresh()

    assert ballot.status == Ballot.Status.CLOSED
    assert ballot.closed_at is not None
    # 220's two answers went up (via 200) into the root's cell, which now holds 3 + 2.
    small.refresh_from_db()
    assert small.merged_into_id == root.pk
    per_cell = {
        cell.unit.code: Response.objects.filter(cell=cell).count()
        for cell in BallotCell.objects.filter(ballot=ballot, merged_into__isnull=True)
    }
    assert per_cell == {"100": 5, "210": 5}
    assert all(n == 0 or n >= ballot.k for n in per_cell.values())
    assert any(entry["action"] == "cell_merged_at_close" for entry in ballot.coarsening_report["closing"])
    assert not Response.objects.filter(survey__ballot=ballot, shuffled=False).exists()
    # Counts survive; per-person flags do not.
    assert set(Invitation.objects.filter(ballot=ballot).values_list("completed", flat=True)) == {None}
    counts = {pc.unit.code: pc.completed for pc in ParticipationCount.objects.filter(ballot=ballot)}
    assert counts == {"100": 3, "210": 5, "220": 2, "310": 0}
    assert ballot.completed_count == 10
    assert DailyCount.objects.get(ballot=ballot).completed_total == 10
    assert not Draft.objects.filter(ballot=ballot).exists()
    assert not DBTaskResult.objects.filter(pk=ours.pk).exists()
    assert DBTaskResult.objects.filter(pk=other.pk).exists()
    assert AuditEntry.objects.filter(action="ballot.close", target_id=str(ballot.pk)).exists()


def test_a_closed_ballot_is_never_reopened(launched):
    token = launched.token(launched.personas.employee_person)
    launched.submit(token)
    services.ballot_close(ballot=launched.ballot)
    ballot = launched.refresh()

    ballot.status = Ballot.Status.OPEN
    with pytest.raises(BallotReopenRefused):
        ballot.save()
    assert services.ballot_close(ballot=launched.ballot).status == Ballot.Status.CLOSED  # no-op
    with pytest.raises(BallotError):
        services.ballot_launch(actor=launched.personas.org_admin, ballot=launched.ballot)
    with pytest.raises(BallotClosed):
        launched.submit(launched.token(launched.personas.leader_person))
    with pytest.raises((BallotClosed, AlreadySubmitted)):
        launched.submit(token)
    assert Response.objects.filter(survey__ballot=launched.ballot).count() == 1
    assert services.ballot_shuffle(ballot=launched.ballot, force=True) == 0
