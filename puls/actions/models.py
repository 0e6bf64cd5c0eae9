"""Action plans, follow-up, reminders and the APV cycle per unit (DESIGN §1 Act, §6).

A unit's action plan is the set of its actions. Where an action came from (a survey result, an APV
finding, a Værdivejen answer, a dialogue commitment, a policy initiative) is recorded as a core
Link from the source to the action (DESIGN §2.1), so a source of an app that lands later links the
same way.
"""

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from puls.organisations.models import Organisation, Person, Unit

# The APV must be redone at least every 3 years (DESIGN §6); the working-environment discussion
# is annual.
APV_INTERVAL_YEARS = 3
DISCUSSION_INTERVAL_DAYS = 365


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class ActionQuerySet(models.QuerySet["Action"]):
    def unfinished(self) -> "ActionQuerySet":
        return self.filter(status__in=Action.OPEN_STATUSES)

    def overdue(self, on: date | None = None) -> "ActionQuerySet":
        on = on or timezone.localdate()
        return self.unfinished().filter(deadline__lt=on)

    def without_owner(self) -> "ActionQuerySet":
        return self.unfinished().filter(owner__isnull=True)


class Action(models.Model):
    """One owned, dated step of a unit's action plan (problem → solution → evaluation)."""

    class Priority(models.TextChoices):
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATUSES = (Status.PLANNED, Status.IN_PROGRESS)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="actions")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="actions")
    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("problem"), blank=True)
    solution = models.TextField(_("chosen solution"), blank=True)
    owner = models.ForeignKey(
        Person,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_actions",
    )
    co_owner = models.ForeignKey(
        Person,
        verbose_name=_("co-owner (MED/AMO representative)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="co_owned_actions",
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    evaluation_method = models.TextField(_("how the effect is evaluated"), blank=True)
    evaluation_date = models.DateField(_("when the effect is evaluated"), null=True, blank=True)
    evaluation_result = models.TextField(_("evaluated effect"), blank=True)
    # The APV cycle whose written action plan this action belongs to, if any.
    apv_cycle = models.ForeignKey(
        "ApvCycle", null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ("deadline", "created_at")
        indexes = [models.Index(fields=["organisation", "status", "deadline"])]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def is_overdue(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.is_open and self.deadline is not None and self.deadline < on


class FollowUp(models.Model):
    """A dated note on how an action is going, written by someone who may see it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="follow_ups")
    text = models.TextField(_("follow-up"))
    status_after = models.CharField(_("status"), max_length=12, choices=Action.Status.choices, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("created_at",)
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return f"{self.action_id} {self.created_at:%Y-%m-%d}"


class ApvCycle(models.Model):
    """One workplace assessment (APV) of a unit: mapping, risk assessment, sickness-absence
    assessment, written action plan (its actions) and follow-up.

    The sickness-absence assessment is free text about the unit: never individual absence data.
    """

    class Stage(models.TextChoices):
        MAPPING = "mapping", _("Mapping")
        RISK_ASSESSMENT = "risk", _("Risk assessment")
        SICKNESS_ABSENCE = "absence", _("Sickness-absence assessment")
        ACTION_PLAN = "plan", _("Written action plan")
        FOLLOW_UP = "follow_up", _("Follow-up")
        COMPLETED = "completed", _("Completed")

    STAGE_ORDER = (
        Stage.MAPPING,
        Stage.RISK_ASSESSMENT,
        Stage.SICKNESS_ABSENCE,
        Stage.ACTION_PLAN,
        Stage.FOLLOW_UP,
        Stage.COMPLETED,
    )

    class MappingMethod(models.TextChoices):
        SURVEY = "survey", _("APV survey")
        CHECKLIST = "checklist", _("Checklist walk-through")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="apv_cycles")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="apv_cycles")
    title = models.CharField(_("title"), max_length=200)
    started_on = models.DateField(_("started on"), default=timezone.localdate)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.MAPPING)
    mapping_method = models.CharField(
        _("mapping method"), max_length=10, choices=MappingMethod.choices, default=MappingMethod.CHECKLIST
    )
    mapping_notes = models.TextField(_("mapping"), blank=True)
    risk_assessment = models.TextField(_("risk assessment"), blank=True)
    sickness_absence_assessment = models.TextField(
        _("sickness-absence assessment"),
        blank=True,
        help_text=_(
            "Describe how the working environment may affect sickness absence in the unit. "
            "Never write about individual people's absence."
        ),
    )
    follow_up_notes = models.TextField(_("follow-up"), blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-started_on", "-created_at")
        constraints = [
            # One cycle in progress per unit at a time.
            models.UniqueConstraint(
                fields=["unit"], condition=~Q(stage="completed"), name="one_open_apv_per_unit"
            ),
        ]
        verbose_name = _("APV")
        verbose_name_plural = _("APVs")

    def __str__(self) -> str:
        return self.title

    @property
    def is_completed(self) -> bool:
        return self.stage == self.Stage.COMPLETED

    @property
    def next_due(self) -> date | None:
        """The next APV is due at the latest 3 years after this one was completed."""
        return add_years(self.completed_on, APV_INTERVAL_YEARS) if self.completed_on else None

    @property
    def stage_index(self) -> int:
        return self.STAGE_ORDER.index(self.Stage(self.stage))


class ApvFinding(models.Model):
    """A problem found by the mapping and rated by the risk assessment; actions are made from it."""

    class Risk(models.TextChoices):
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cycle = models.ForeignKey(ApvCycle, on_delete=models.CASCADE, related_name="findings")
    title = models.CharField(_("finding"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    risk = models.CharField(_("risk"), max_length=10, choices=Risk.choices, default=Risk.MEDIUM)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("created_at",)
        verbose_name = _("APV finding")
        verbose_name_plural = _("APV findings")

    def __str__(self) -> str:
        return self.title


class WorkingEnvironmentDiscussion(models.Model):
    """The annual working-environment discussion (arbejdsmiljødrøftelse) of a unit."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="working_environment_discussions"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="working_environment_discussions")
    held_on = models.DateField(_("held on"))
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-held_on",)
        verbose_name = _("working-environment discussion")
        verbose_name_plural = _("working-environment discussions")

    def __str__(self) -> str:
        return f"{self.unit_id} {self.held_on}"

    @property
    def next_due(self) -> date:
        return self.held_on + timedelta(days=DISCUSSION_INTERVAL_DAYS)


class SentReminder(models.Model):
    """A reminder that went out (or is going out): one per (kind, subject, due date), so a reminder
    is sent once per due date however often the job runs; a new deadline is a new due date."""

    class Kind(models.TextChoices):
        ACTION_DUE_SOON = "action_due", _("Action deadline approaching")
        ACTION_OVERDUE = "action_overdue", _("Action overdue")
        APV_DUE = "apv_due", _("APV due")
        DISCUSSION_DUE = "discussion_due", _("Working-environment discussion due")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="action_reminders")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    subject_id = models.UUIDField()  # an Action's id, or a Unit's id for APV and discussion
    due_date = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_id", "due_date"], name="one_reminder_per_due_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject_id} {self.due_date}"


# --- Follow-up of notably low survey results (DESIGN §6: differences under 5 points are not notable) ---


class FollowUpSettings(models.Model):
    """An organisation's settings for the follow-up rule on survey results: besides every shown
    score 5 or more points worse than the organisation's, HR may name a level below which a score
    needs an action or a recorded reason as well."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, primary_key=True, related_name="follow_up_settings"
    )
    low_score_level = models.PositiveSmallIntegerField(
        _("low score level"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_(
            "Scores below this level (0–100) also need an action or a reason why not. "
            "Applies to scales where a high score is good. Leave empty for no level."
        ),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(low_score_level__isnull=True) | Q(low_score_level__lte=100),
                name="low_score_level_0_to_100",
            ),
        ]
        verbose_name = _("follow-up settings")
        verbose_name_plural = _("follow-up settings")

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.low_score_level}"


class NoActionReason(models.Model):
    """Why a notably low survey result, addressed as (survey, unit, scale) (DESIGN §2.1), gets no
    action. Only a result the report shows can carry one: a hidden score is never flagged."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="no_action_reasons")
    survey = models.ForeignKey("surveys.Survey", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    scale = models.ForeignKey("surveys.Scale", on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(_("reason why no action"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "unit", "scale"], name="one_no_action_reason_per_result"
            ),
        ]
        verbose_name = _("reason why no action")
        verbose_name_plural = _("reasons why no action")

    def __str__(self) -> str:
        return f"{self.survey_id} {self.unit_id} {self.scale_id}"
