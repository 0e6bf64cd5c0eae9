"""Anonymous participation plumbing shared by surveys and dialogue rounds (DESIGN §2, §4).

Invitations (who was asked) and answers (what was said) live in separate tables with no link:
an answer row stores only its ballot, its storage cell (a unit + coarse attributes that at launch
matched at least k invitees) and the content. See docs/adr/0004-anonymous-ballots.md.
"""

import uuid
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from puls.organisations.models import Organisation, Person, Unit

# Fields of a ballot that are frozen once it is launched (DESIGN §4.8).
LOCKED_AFTER_LAUNCH = ("requested_k", "requested_free_text_k", "k", "free_text_k", "attributes", "kind")


class AnonymitySettingsLocked(Exception):
    pass


class BallotReopenRefused(Exception):
    """A closed ballot's completed flags are gone and its cells merged: it can never take answers again."""


class Ballot(models.Model):
    """Anything people are invited to answer once: a survey or a dialogue round.

    The owning app declares the kind (see `puls.invitations.kinds`) and keeps its own row with a
    one-to-one link to the ballot.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="ballots")
    kind = models.CharField(max_length=60)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    launched_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # What the ballot asks for; the effective values are copied to k/free_text_k at launch.
    requested_k = models.PositiveSmallIntegerField(_("anonymity threshold"), null=True, blank=True)
    requested_free_text_k = models.PositiveSmallIntegerField(_("free-text threshold"), null=True, blank=True)
    k = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    free_text_k = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    # Background attributes stored with answers, e.g. ["job_group", "age_band", "seniority_band"].
    attributes = models.JSONField(default=list, blank=True)
    coarsening_report = models.JSONField(default=dict, blank=True, editable=False)
    reminder_days = models.JSONField(_("reminder days after opening"), default=list, blank=True)
    # The owner's own words, shown in the e-mail above the standard text (which keeps the link and code).
    invitation_text = models.TextField(_("invitation text"), blank=True)
    reminder_text = models.TextField(_("reminder text"), blank=True)
    invited_count = models.PositiveIntegerField(default=0, editable=False)
    # Refreshed in batches by the count task, never per answer.
    completed_count = models.PositiveIntegerField(default=0, editable=False)
    counted_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Answers already rewritten by the shuffle (DESIGN §4.11); the rest are waiting for the next batch.
    shuffled_count = models.PositiveIntegerField(default=0, editable=False)
    # Set when the invitation e-mails were queued: at launch, or by the periodic job once the ballot opens.
    invitations_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-opens_at",)

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            stored = Ballot.objects.filter(pk=self.pk).values("status", *LOCKED_AFTER_LAUNCH).first()
            if stored and stored["status"] != self.Status.DRAFT:
                changed = [f for f in LOCKED_AFTER_LAUNCH if stored[f] != getattr(self, f)]
                if changed:
                    raise AnonymitySettingsLocked(f"Locked after launch: {', '.join(changed)}")
            if stored and stored["status"] == self.Status.CLOSED and self.status != self.Status.CLOSED:
                raise BallotReopenRefused("A closed ballot is never reopened")
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        now = timezone.now()
        return self.status == self.Status.OPEN and self.opens_at <= now < self.closes_at


class BallotCell(models.Model):
    """A storage cell: the reporting unit and coarse attribute values stored on answers.

    Built at launch so every cell matches at least k invitees; at close, cells with fewer than k
    answers are merged further (`merged_into`) and answer rows are moved to the surviving cell.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="cells")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    attributes = models.JSONField(default=dict, blank=True)
    invited_count = models.PositiveIntegerField(default=0)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.unit} {self.attributes}"


class Invitation(models.Model):
    """One person asked to answer one ballot. Holds no answer and no link to one.

    The token is never stored: it is derived from (id, issue_number) with a server key and only its
    HMAC is kept for look-up. `completed` is a plain flag, dropped (set to None) at close.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        LETTER = "letter", _("Printed letter")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="invitations")
    # The person's own unit at launch, for participation counts (DESIGN §4.4), and their storage cell.
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    cell = models.ForeignKey(BallotCell, on_delete=models.PROTECT, related_name="invitations")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    issue_number = models.PositiveSmallIntegerField(default=1)
    token_hmac = models.CharField(max_length=64, unique=True)
    completed = models.BooleanField(null=True, default=False)
    reminders_sent = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "person"], name="one_invitation_per_person")]

    def __str__(self) -> str:
        return f"{self.ballot} – {self.person_id}"


class Draft(models.Model):
    """Unsubmitted input, keyed by a second HMAC of the token (no link to the invitation).

    Staff have no page, selector or API that reads drafts; they are deleted by the submit.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64, unique=True)
    data = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"Draft {self.pk}"


class ParticipationCount(models.Model):
    """Invited and completed per unit (direct staff), kept as aggregates after the flags are dropped."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="participation_counts")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    invited = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "unit"], name="one_count_per_ballot_unit")]

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.completed}/{self.invited}"


class DailyCount(models.Model):
    """Total completed ballots at the end of each local day, recorded by the count task."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="daily_counts")
    day = models.DateField()
    completed_total = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "day"], name="one_daily_count")]

    def __str__(self) -> str:
        return f"{self.day}: {self.completed_total}"
