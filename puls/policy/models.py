"""The policy tree, its adopted versions, local interpretations (Værdivejen) and report-back.

The central tree (nodes without a unit) is written by HR: values are the roots, policies the
branches, focus areas and initiatives the leaves. Each adoption freezes a `NodeVersion`; the
published tree always shows a node's latest version, so a revision can be drafted and heard while
the adopted text stays published. A unit adopts the central tree (`LocalInterpretation`), writes
its own reading of each value and adds local focus areas and initiatives (nodes with a unit); it
never changes a central node.
"""

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from puls.organisations.models import Organisation, Unit


class NodeKind(models.TextChoices):
    VALUE = "value", _("Value")
    POLICY = "policy", _("Policy")
    FOCUS_AREA = "focus_area", _("Focus area")
    INITIATIVE = "initiative", _("Initiative")


# Which kinds a node of each kind may hang under (None: the top of the tree).
ALLOWED_PARENTS: dict[str, set[str | None]] = {
    NodeKind.VALUE: {None},
    NodeKind.POLICY: {None},
    NodeKind.FOCUS_AREA: {NodeKind.POLICY},
    NodeKind.INITIATIVE: {NodeKind.POLICY, NodeKind.FOCUS_AREA},
}
# What a unit may add locally.
LOCAL_KINDS = (NodeKind.FOCUS_AREA, NodeKind.INITIATIVE)


class NodeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    HEARING = "hearing", _("In hearing")
    ADOPTED_MED = "adopted_med", _("Adopted by MED")
    ADOPTED_POLITICAL = "adopted_political", _("Adopted politically")
    RETIRED = "retired", _("Retired")


ADOPTED_STATUSES = (NodeStatus.ADOPTED_MED, NodeStatus.ADOPTED_POLITICAL)

# The status workflow: draft → in hearing → adopted by MED → adopted politically → retired, with the
# ways back a real process needs (a hearing sends a draft back; an adopted text is revised as a new
# draft while the adopted version stays published; a retired node can be taken up again).
STATUS_TRANSITIONS: dict[str, tuple[str, ...]] = {
    NodeStatus.DRAFT: (NodeStatus.HEARING,),
    NodeStatus.HEARING: (NodeStatus.DRAFT, NodeStatus.ADOPTED_MED),
    NodeStatus.ADOPTED_MED: (NodeStatus.ADOPTED_POLITICAL, NodeStatus.DRAFT, NodeStatus.RETIRED),
    NodeStatus.ADOPTED_POLITICAL: (NodeStatus.DRAFT, NodeStatus.RETIRED),
    NodeStatus.RETIRED: (NodeStatus.DRAFT,),
}


class PolicyNode(models.Model):
    """A value, policy, focus area or initiative. Central when `unit` is empty, else a unit's own."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="policy_nodes")
    # CASCADE, not PROTECT: services refuse to delete a node with children; a reset deletes them all.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="local_policy_nodes"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NodeKind.choices)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    rationale = models.TextField(_("rationale"), blank=True)
    responsible = models.CharField(_("responsible body"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=NodeStatus.choices, default=NodeStatus.DRAFT
    )
    position = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    CONTENT_FIELDS: ClassVar[tuple[str, ...]] = ("title", "text", "rationale", "responsible")

    class Meta:
        ordering = ("position", "created_at")
        indexes = [models.Index(fields=["organisation", "unit"])]
        verbose_name = _("policy node")
        verbose_name_plural = _("policy nodes")

    def __str__(self) -> str:
        return self.title

    @property
    def is_local(self) -> bool:
        return self.unit_id is not None

    @property
    def is_adopted(self) -> bool:
        return self.status in ADOPTED_STATUSES

    def content(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.CONTENT_FIELDS}


class NodeVersion(models.Model):
    """The text of a node as it was adopted. Never changed after it is written."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    node = models.ForeignKey(PolicyNode, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    rationale = models.TextField(_("rationale"), blank=True)
    responsible = models.CharField(_("responsible body"), max_length=200, blank=True)
    status = models.CharField(_("adopted as"), max_length=20, choices=NodeStatus.choices)
    adopted_on = models.DateField(_("adopted on"), default=timezone.localdate)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("node", "number")
        constraints = [
            models.UniqueConstraint(fields=["node", "number"], name="policy_version_number_unique")
        ]
        verbose_name = _("version")
        verbose_name_plural = _("versions")

    def __str__(self) -> str:
        return f"{self.title} v{self.number}"

    def content(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in PolicyNode.CONTENT_FIELDS}


class Publication(models.Model):
    """How the organisation publishes its adopted tree: internally always, publicly if chosen."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="policy_publication"
    )
    title = models.CharField(_("title of the handbook"), max_length=200, blank=True)
    intro = models.TextField(_("introduction"), blank=True)
    is_public = models.BooleanField(
        _("publish on a public page"),
        default=False,
        help_text=_("Anyone with the address can read the adopted tree, without logging in."),
    )
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.title or str(self.organisation)


# --- Local interpretation -----------------------------------------------------------------------


class LocalInterpretation(models.Model):
    """A unit has adopted the central tree; its own readings and nodes hang on this."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="local_interpretations"
    )
    unit = models.OneToOneField(Unit, on_delete=models.PROTECT, related_name="local_interpretation")
    adopted_at = models.DateTimeField(default=timezone.now)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("local interpretation")
        verbose_name_plural = _("local interpretations")

    def __str__(self) -> str:
        return str(self.unit)


class LocalReading(models.Model):
    """What a central value means in this unit, in the unit's own words."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    interpretation = models.ForeignKey(LocalInterpretation, on_delete=models.CASCADE, related_name="readings")
    value = models.ForeignKey(PolicyNode, on_delete=models.CASCADE, related_name="local_readings")
    text = models.TextField(_("our reading of the value"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["interpretation", "value"], name="one_local_reading_per_value")
        ]

    def __str__(self) -> str:
        return f"{self.interpretation} – {self.value}"


# --- Værdivejen ---------------------------------------------------------------------------------


class ValueWalk(models.Model):
    """One Værdivejen workshop of a unit's team: four stops for each chosen value."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="value_walks")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="value_walks")
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("date of the workshop"), default=timezone.localdate)
    participants = models.CharField(
        _("who took part"),
        max_length=200,
        blank=True,
        help_text=_("For example “the whole staff group, 14 people”. Do not list names."),
    )
    values = models.ManyToManyField(PolicyNode, related_name="value_walks", verbose_name=_("values"))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-held_on", "-created_at")
        verbose_name = _("Værdivejen workshop")
        verbose_name_plural = _("Værdivejen workshops")

    def __str__(self) -> str:
        return self.title


class WalkStop(models.IntegerChoices):
    """The four stop signs of Værdivejen, each a question about the value."""

    MEANING = 1, _("What does the value mean in our daily work?")
    LIVED = 2, _("Where do we live the value today?")
    NOT_YET = 3, _("Where do we not live it yet?")
    ACTION = 4, _("What will we do?")


WALK_STOP_SHORT = {
    WalkStop.MEANING: pgettext_lazy("Værdivejen stop", "Meaning"),
    WalkStop.LIVED: pgettext_lazy("Værdivejen stop", "Lived today"),
    WalkStop.NOT_YET: pgettext_lazy("Værdivejen stop", "Not yet"),
    WalkStop.ACTION: pgettext_lazy("Værdivejen stop", "What we will do"),
}


class WalkAnswer(models.Model):
    """One point the team wrote at one stop for one value (a note on the wall)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    walk = models.ForeignKey(ValueWalk, on_delete=models.CASCADE, related_name="answers")
    value = models.ForeignKey(PolicyNode, on_delete=models.CASCADE, related_name="+")
    stop = models.PositiveSmallIntegerField(choices=WalkStop.choices)
    text = models.CharField(_("point"), max_length=500)
    position = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("stop", "position", "created_at")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stop__gte=1, stop__lte=4), name="walk_answer_stop_1_to_4"
            )
        ]

    def __str__(self) -> str:
        return self.text


# --- Report-back --------------------------------------------------------------------------------


class ReportRound(models.Model):
    """A yearly report-back round: every unit with a leader answers a short structured form."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Not opened yet")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="report_rounds")
    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year reported on"))
    intro = models.TextField(_("message to the leaders"), blank=True)
    tools = models.JSONField(_("tools to choose from"), default=list)
    goal_units = models.PositiveIntegerField(
        _("goal: units that used a tool"),
        null=True,
        blank=True,
        help_text=_("For example 30: at least 30 workplaces used one of the tools this year."),
    )
    due_on = models.DateField(_("answer by"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-year", "-created_at")
        verbose_name = _("report-back round")
        verbose_name_plural = _("report-back rounds")

    def __str__(self) -> str:
        return self.title


class ReportAnswer(models.Model):
    """One unit's answer in a round; the row exists from the opening, `submitted_at` marks it answered."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(ReportRound, on_delete=models.CASCADE, related_name="answers")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="report_answers")
    what_done = models.TextField(_("What did you do with the values this year?"), blank=True)
    tools = models.JSONField(_("Which tools did you use?"), default=list, blank=True)
    effect = models.TextField(_("What effect did it have?"), blank=True)
    next_steps = models.TextField(_("What will you do next?"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("unit__path",)
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="one_report_answer_per_unit")]

    def __str__(self) -> str:
        return f"{self.round} – {self.unit}"

    @property
    def is_answered(self) -> bool:
        return self.submitted_at is not None
