"""Background work of the invitations app. Task arguments are ids, never tokens (DESIGN §4.6)."""

import uuid

from django_tasks import task

from puls.invitations import sending


@task()
def send_invitations(ballot_id: str, invitation_ids: list[str]) -> int:
    return sending.invitations_send(
        ballot_id=uuid.UUID(ballot_id), invitation_ids=[uuid.UUID(i) for i in invitation_ids]
    )


@task()
def send_reminders(ballot_id: str, reminder: int | None = None) -> int:
    """Send reminder number `reminder` (default: as many as are due now) to those not done yet."""
    return sending.reminders_send(ballot_id=uuid.UUID(ballot_id), reminder=reminder)


@task()
def ballots_run_due() -> dict[str, int]:
    """The periodic job: open, remind, shuffle, count and close ballots (see services.ballots_run_due)."""
    from puls.invitations import services

    return services.ballots_run_due()
