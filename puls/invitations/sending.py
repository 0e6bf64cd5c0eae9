"""Invitation and reminder e-mails (run by the tasks in tasks.py, which receive invitation ids only).

The token is derived here from (invitation id, issue number) and goes into the message body only:
it is never logged, returned or stored. Each message is written in Danish and English.
"""

import uuid
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from puls.invitations import tokens
from puls.invitations.models import Ballot, Invitation

SEND_CHUNK = 100


def site_url() -> str:
    return settings.SITE_URL.rstrip("/")


def invitation_link(ballot_id: uuid.UUID, token: str) -> str:
    """The personal link: the token sits in the fragment, which browsers never send to the server."""
    return f"{site_url()}{reverse('invitations:enter_page', kwargs={'ballot_id': ballot_id})}#{token}"


def code_entry_url() -> str:
    return f"{site_url()}{reverse('invitations:code')}"


def _message(invitation: Invitation, *, reminder: bool) -> EmailMessage:
    ballot = invitation.ballot
    token = tokens.token_for(invitation.pk, invitation.issue_number)
    context = {
        "ballot": ballot,
        "organisation": ballot.organisation,
        "person": invitation.person,
        "link": invitation_link(ballot.pk, token),
        "code": tokens.token_format(token),
        "code_url": code_entry_url(),
        "reminder": reminder,
        # The owner's own words (plain text, written once), above the standard bilingual text.
        "own_text": (ballot.reminder_text if reminder else ballot.invitation_text).strip(),
    }
    subject = render_to_string("invitations/email/subject.txt", context).strip()
    body = render_to_string("invitations/email/body.txt", context)
    return EmailMessage(subject=" ".join(subject.split()), body=body, to=[invitation.person.email])


def _send(invitations: Iterable[Invitation], *, reminder: bool) -> int:
    messages = [
        _message(invitation, reminder=reminder) for invitation in invitations if invitation.person.email
    ]
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


def invitations_send(*, ballot_id: uuid.UUID, invitation_ids: list[uuid.UUID]) -> int:
    """E-mail the given invitations of an open ballot; returns how many messages were sent."""
    invitations = list(
        Invitation.objects.filter(
            ballot_id=ballot_id, pk__in=invitation_ids, ballot__status=Ballot.Status.OPEN
        )
        .select_related("ballot__organisation", "person")
        .order_by("id")
    )
    sent = 0
    for start in range(0, len(invitations), SEND_CHUNK):
        sent += _send(invitations[start : start + SEND_CHUNK], reminder=False)
    return sent


def reminders_send(*, ballot_id: uuid.UUID, reminder: int | None = None, now: datetime | None = None) -> int:
    """Send reminder number `reminder` (default: the number due by now) to invitations not completed
    yet. Each batch is claimed (reminders_sent raised) before its messages go out, so two workers
    never remind the same person twice."""
    from puls.invitations.services import reminders_waiting

    now = now or timezone.now()
    ballot = Ballot.objects.filter(pk=ballot_id, status=Ballot.Status.OPEN).first()
    if ballot is None or ballot.closes_at <= now:
        return 0
    sent = 0
    while True:
        with transaction.atomic():
            waiting, number = reminders_waiting(ballot, now=now, reminder=reminder)
            batch = list(
                waiting.select_for_update(skip_locked=True, of=("self",))
                .select_related("ballot__organisation", "person")
                .order_by("id")[:SEND_CHUNK]
            )
            if not batch:
                return sent
            Invitation.objects.filter(pk__in=[invitation.pk for invitation in batch]).update(
                reminders_sent=number
            )
        sent += _send(batch, reminder=True)
