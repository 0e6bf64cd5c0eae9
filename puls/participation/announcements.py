"""Outcome announcements: when what became of the input changes, everyone invited to the process
is told — never one person (DESIGN §4.9).

Linking or unlinking a theme's outcome sets `Process.outcomes_changed_at`. The periodic job
(`periodic_jobs.py`) looks for processes whose outcomes changed and have then been quiet for
DIALOGUE_OUTCOME_ANNOUNCE_QUIET_MINUTES, so a facilitator's afternoon of linking gives one e-mail,
not twenty; the facilitator may also tell everyone at once. Either way one task per process sends
every distinct person invited to a launched round of the process (with an e-mail address) the same
message: the outcomes were published or updated, with links to the process website and to the
receipt page. Nothing in it depends on whether or what the person contributed: no contribution
text, no receipt code, nothing per person but the greeting.
"""

import logging
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from puls.core.audit import audit_record
from puls.core.models import User
from puls.invitations.models import Ballot, Invitation
from puls.invitations.sending import site_url
from puls.organisations.models import Person
from puls.participation.models import Process

logger = logging.getLogger(__name__)

SEND_CHUNK = 100


def quiet_period() -> timedelta:
    return timedelta(minutes=int(getattr(settings, "DIALOGUE_OUTCOME_ANNOUNCE_QUIET_MINUTES", 30)))


def outcomes_pending(process: Process) -> bool:
    """Whether the outcomes changed since they were last announced."""
    changed = process.outcomes_changed_at
    announced = process.outcomes_announced_at
    return changed is not None and (announced is None or changed > announced)


def _pending() -> "QuerySet[Process]":
    return Process.objects.filter(outcomes_changed_at__isnull=False).filter(
        Q(outcomes_announced_at__isnull=True) | Q(outcomes_changed_at__gt=F("outcomes_announced_at"))
    )


def announcements_due(*, now: datetime | None = None) -> list[uuid.UUID]:
    """Processes whose outcomes changed and have been quiet for the quiet period since."""
    now = now or timezone.now()
    return list(_pending().filter(outcomes_changed_at__lte=now - quiet_period()).values_list("pk", flat=True))


def announcements_enqueue_due(*, now: datetime | None = None) -> int:
    """The periodic job: one announcement task per due process. A task enqueued twice sends once
    (`outcome_announcement_send` claims the change first)."""
    from puls.participation.tasks import announce_outcomes

    due = announcements_due(now=now)
    for process_id in due:
        announce_outcomes.enqueue(str(process_id))
    return len(due)


def announcement_recipients(process: Process) -> "QuerySet[Person]":
    """Every distinct person invited to a launched round of the process who has an e-mail address."""
    invited = (
        Invitation.objects.filter(ballot__dialogue_round__process=process)
        .exclude(ballot__status=Ballot.Status.DRAFT)
        .values("person_id")
    )
    return Person.objects.filter(pk__in=invited, anonymised_at__isnull=True).exclude(email="").order_by("pk")


def _links(process: Process) -> dict[str, str]:
    return {
        "site_link": site_url()
        + reverse(
            "dialogue_site:process",
            kwargs={"org_slug": process.organisation.slug, "process_id": process.pk},
        ),
        "receipt_link": site_url() + reverse("dialogue_receipt:receipt"),
    }


def _message(process: Process, person: Person, links: dict[str, str]) -> EmailMessage:
    context = {"process": process, "organisation": process.organisation, "person": person, **links}
    subject = render_to_string("participation/email/outcomes_subject.txt", context)
    body = render_to_string("participation/email/outcomes_body.txt", context)
    return EmailMessage(subject=" ".join(subject.split()), body=body, to=[person.email])


def outcome_announcement_send(*, process_id: uuid.UUID) -> int:
    """Tell every invitee of the process that its outcomes were published or updated; returns the
    number of messages sent. Claims the change first (sets `outcomes_announced_at`), so the same
    change is never announced twice, even when two tasks run for it."""
    with transaction.atomic():
        process = (
            Process.objects.select_for_update().select_related("organisation").filter(pk=process_id).first()
        )
        if process is None or not outcomes_pending(process):
            return 0
        process.outcomes_announced_at = timezone.now()
        process.save(update_fields=["outcomes_announced_at"])
    links = _links(process)
    people = list(announcement_recipients(process))
    sent = 0
    for start in range(0, len(people), SEND_CHUNK):
        messages = [_message(process, person, links) for person in people[start : start + SEND_CHUNK]]
        with get_connection() as connection:
            sent += connection.send_messages(messages) or 0
    # Counts only: never who got it or what the outcomes say.
    logger.info("Outcome announcement for process %s: %d messages", process.pk, sent)
    return sent


@transaction.atomic
def outcomes_announce_now(*, actor: User, process: Process) -> bool:
    """The facilitator's "tell all invitees now": the same announcement, without waiting for the
    quiet period. False when nothing changed since the last announcement."""
    process = Process.objects.select_for_update().select_related("organisation").get(pk=process.pk)
    if not outcomes_pending(process):
        return False
    audit_record(
        actor=actor,
        action="dialogue.outcomes.announce",
        organisation=process.organisation,
        target=process,
        summary=process.title,
    )
    from puls.participation.tasks import announce_outcomes

    process_id = str(process.pk)
    transaction.on_commit(lambda: announce_outcomes.enqueue(process_id))
    return True
