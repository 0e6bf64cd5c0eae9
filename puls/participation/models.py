"""Dialogue processes (DESIGN §2, §4, §5; docs/adr/0005-dialogue-processes.md).

A Process has ordered Rounds; each Round is an `invitations.Ballot` (one-to-one) of a pluggable
round kind. What participants write is stored in answer tables — Receipt, Contribution, Support —
that hold no person, invitation, token, date or time: only the round, the storage cell (a unit
that matched at least k invitees at launch) and the content. A Receipt is the ballot's random
pseudonym; only an HMAC of its code is stored. NamedAuthorship (named processes only) is the one
table that ties a contribution to a person (DESIGN §4.12).

Facilitators group contributions into Themes; what became of a theme is a core Link from the
theme (kind "outcome", with a reason) to a policy node, an action, or a process-local Outcome
such as a draft value or "not taken forward".
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from puls.core.models import ExportJob
from puls.invitations.models import Ballot, BallotCell
from puls.organisations.models import EmployeePanel, Organisation, Person, Unit


class Process(models.Model):
    """A dialogue process: a purpose, an audience and ordered rounds."""

    class Mode(models.TextChoices):
        ANONYMOUS = "anonymous", _("Anonymous")
        NAMED = "named", _("Named")

    class Results(models.TextChoices):
        PUBLIC = "public", _("Public: anyone with the address")
        INTERNAL = "internal", _("Internal: the audience only")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="dialogue_processes"
    )
    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("purpose"), blank=True)
    mode = models.CharField(_("anonymity"), max_length=10, choices=Mode.choices, default=Mode.ANONYMOUS)
    results = models.CharField(_("results"), max_length=10, choices=Results.choices, default=Results.INTERNAL)
    live_results = models.BooleanField(_("show results while a round is open"), default=False)
    audience_everyone = models.BooleanField(default=True)
    audience_units = models.ManyToManyField(Unit, blank=True, related_name="+")
    audience_job_groups = models.JSONField(default=list, blank=True)
    # The standing employee panel instead of units/job groups (its current members are invited).
    audience_panel = models.ForeignKey(
        EmployeePanel, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # People who run this process besides the organisation's admins (DESIGN §3: facilitator).
    facilitators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    # Outcome links changed since they were last announced to all invitees (DESIGN §4.9).
    outcomes_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    outcomes_announced_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.title

    @property
    def is_named(self) -> bool:
        return self.mode == self.Mode.NAMED


class Round(models.Model):
    """One round of a process: a Ballot of a registered round kind (see `round_kinds`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="rounds")
    ballot = models.OneToOneField(Ballot, on_delete=models.CASCADE, related_name="dialogue_round")
    order = models.PositiveSmallIntegerField(default=1)
    kind = models.CharField(_("kind"), max_length=40)
    question = models.TextField(_("question to participants"), blank=True)
    # Kind-specific settings, e.g. {"categories": [...], "supports": true} for ideas.
    settings = models.JSONField(default=dict, blank=True)
    # A round may invite a different audience than its process (e.g. only leaders for a hearing).
    audience_from_process = models.BooleanField(_("same audience as the process"), default=True)
    audience_everyone = models.BooleanField(default=True)
    audience_units = models.ManyToManyField(Unit, blank=True, related_name="+")
    audience_job_groups = models.JSONField(default=list, blank=True)
    audience_panel = models.ForeignKey(
        EmployeePanel, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ("process", "order")
        constraints = [models.UniqueConstraint(fields=["process", "order"], name="one_round_per_position")]

    def __str__(self) -> str:
        return f"{self.order}. {self.ballot.title}"


class Receipt(models.Model):
    """The ballot's random pseudonym. The code is shown to the participant once and never stored:
    only `code_hmac`. Its cell is the storage cell of the ballot it came from (≥ k invitees)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="receipts")
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="receipts")
    cell = models.ForeignKey(BallotCell, on_delete=models.PROTECT, related_name="+")
    code_hmac = models.CharField(max_length=64, unique=True)
    # A later round's ballot attached to an earlier receipt (DESIGN §4.9: only when the two rounds'
    # audiences overlap in at least k people). The receipt page follows this chain.
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="later"
    )
    shuffled = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"Receipt {self.pk}"


class ContributionQuerySet(models.QuerySet["Contribution"]):
    def published(self) -> "ContributionQuerySet":
        """Rows the shuffle has rewritten: new contributions become visible in batches of ≥ k."""
        return self.filter(shuffled=True)

    def listed(self) -> "ContributionQuerySet":
        """Published and not merged into another (hidden ones stay listed, as hidden)."""
        return self.published().filter(merged_into__isnull=True)

    def supportable(self) -> "ContributionQuerySet":
        return self.listed().filter(hidden=False)


class Contribution(models.Model):
    """Something a participant wrote in a round: no person, invitation, token, date or time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="contributions")
    cell = models.ForeignKey(BallotCell, on_delete=models.PROTECT, related_name="+")
    receipt = models.ForeignKey(
        Receipt, null=True, blank=True, on_delete=models.CASCADE, related_name="contributions"
    )
    text = models.TextField()
    category = models.CharField(max_length=100, blank=True)
    # The item a free-text answer is about (assessment: a strength or weakness of one item).
    item = models.ForeignKey(
        "RoundItem", null=True, blank=True, on_delete=models.CASCADE, related_name="contributions"
    )
    hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(max_length=500, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )
    # False until the shuffle has rewritten the row; only shuffled rows are shown (batches ≥ k).
    shuffled = models.BooleanField(default=False)

    objects = ContributionQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Contribution {self.pk}"


class Support(models.Model):
    """One participant's support of a visible contribution, submitted with their ballot."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="supports")
    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="supports")
    cell = models.ForeignKey(BallotCell, on_delete=models.PROTECT, related_name="+")
    shuffled = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"Support {self.pk}"


class NamedAuthorship(models.Model):
    """Who wrote a contribution in a *named* process: the one exemption of the anonymity schema
    test (DESIGN §4.12). Never written for anonymous processes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    contribution = models.OneToOneField(Contribution, on_delete=models.CASCADE, related_name="authorship")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"{self.person_id} wrote {self.contribution_id}"


class Theme(models.Model):
    """A group of contributions, made by a facilitator."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="themes")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    contributions: "models.ManyToManyField[Contribution, ThemeMembership]" = models.ManyToManyField(
        Contribution, through="ThemeMembership", related_name="themes", blank=True
    )

    class Meta:
        ordering = ("title",)

    def __str__(self) -> str:
        return self.title


class ThemeMembership(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="memberships")
    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="memberships")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["theme", "contribution"], name="one_membership_per_theme"),
        ]

    def __str__(self) -> str:
        return f"{self.contribution_id} in {self.theme_id}"


class Outcome(models.Model):
    """A process-local target of a theme's outcome link: a draft value, a draft text, or
    "not taken forward". Policy nodes and actions are linked directly (their own link kinds)."""

    class Kind(models.TextChoices):
        DRAFT_VALUE = "draft_value", _("Draft value")
        DRAFT_TEXT = "draft_text", _("Draft text")
        NOT_TAKEN_FORWARD = "not_taken_forward", _("Not taken forward")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ("kind", "title")

    def __str__(self) -> str:
        return self.title


class RoundItem(models.Model):
    """Something participants prioritise or assess in a round: facilitator content, not an answer.
    Taken from an earlier round's themes or items, or written as a list."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="items")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source_item = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("round", "order", "title")

    def __str__(self) -> str:
        return self.title


class DotVote(models.Model):
    """Dots one ballot put on one item (prioritise, dot voting). No person, invitation or time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="dot_votes")
    receipt = models.ForeignKey(Receipt, on_delete=models.CASCADE, related_name="dot_votes")
    item = models.ForeignKey(RoundItem, on_delete=models.CASCADE, related_name="dot_votes")
    cell = models.ForeignKey(BallotCell, on_delete=models.PROTECT, related_name="+")
    dots = models.PositiveSmallIntegerField()
    shuffled = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"DotVote {self.pk}"


class RankingPosition(models.Model):
    """One item's place in one ballot's ranking (1 = most important). Rows of a ballot share its
    receipt, so a ranking can be read as a whole."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="ranking_positions")
    receipt = models.ForeignKey(Receipt, on_delete=models.CASCADE, related_name="ranking_positions")
    item = models.ForeignKey(RoundItem, on_delete=models.CASCADE, related_name="ranking_positions")
    cell = models.ForeignKey(BallotCell, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    shuffled = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"RankingPosition {self.pk}"


class PairwiseChoice(models.Model):
    """One "which matters more?" answer: the winner of a pair of items."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="pairwise_choices")
    receipt = models.ForeignKey(Receipt, on_delete=models.CASCADE, related_name="pairwise_choices")
    winner = models.ForeignKey(RoundItem, on_delete=models.CASCADE, related_name="+")
    loser = models.ForeignKey(RoundItem, on_delete=models.CASCADE, related_name="+")
    cell = models.ForeignKey(BallotCell, on_delete=models.PROTECT, related_name="+")
    shuffled = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"PairwiseChoice {self.pk}"


class Assessment(models.Model):
    """One ballot's score of today's culture against one item (assessment kind). The free-text
    strengths and weaknesses are Contributions with `item` set, so they can be themed and traced."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="assessments")
    receipt = models.ForeignKey(Receipt, on_delete=models.CASCADE, related_name="assessments")
    item = models.ForeignKey(RoundItem, on_delete=models.CASCADE, related_name="assessments")
    cell = models.ForeignKey(BallotCell, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    shuffled = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"Assessment {self.pk}"


class RoundExport(ExportJob):
    """A round's results as PDF for the process website, built by a task and kept as a row for a
    day (DESIGN §8). It holds what anyone who may read the round's results may see, so it belongs to
    the round, not to whoever asked: the process website's access check guards every address."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="exports")

    def __str__(self) -> str:
        return f"PDF {self.round_id} ({self.status})"
