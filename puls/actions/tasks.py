"""Background work of the actions app. Task arguments are ids only."""

import uuid
from functools import partial

from django.db import transaction
from django_tasks import task

from puls.actions import reminders


@task()
def reminder_send(reminder_id: str) -> int:
    return reminders.reminder_send(reminder_id=uuid.UUID(reminder_id))


@task()
def reminders_run_due() -> int:
    """The periodic job: claim the reminders due today and queue one e-mail task for each."""
    with transaction.atomic():
        claimed = reminders.reminders_claim_due()
        for reminder in claimed:
            transaction.on_commit(partial(reminder_send.enqueue, str(reminder.pk)))
    return len(claimed)
