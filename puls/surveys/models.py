"""Item bank, questionnaires, surveys and their anonymous responses (DESIGN §6).

Texts are bilingual (`*_da`, `*_en`); `localised()` picks the active language.
Response and Answer rows hold no person, invitation, token, address, date or time (DESIGN §4.1).
"""

import uuid
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from puls.core.models import ExportJob
from puls.invitations.models import Ballot, BallotCell
from puls.organisations.models import Organisation, Unit


def localised(obj: Any, field: str) -> str:
    """The Danish or English text of a bilingual field, falling back to Danish."""
    language = (get_language() or "da")[:2]
    return getattr(obj, f"{field}_{language}", "") or getattr(obj, f"{field}_da", "")


class ItemBank(models.Model):
    """A bank of items. Puls ships its own (organisation empty); an organisation may load a licensed one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="item_banks"
    )
    code = models.SlugField(max_length=60)
    name = models.CharField(_("name"), max_length=200)
    licence_note = models.TextField(_("licence"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="bank_code_unique")]

    def __str__(self) -> str:
        return self.name


class Domain(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    bank = models.ForeignKey(ItemBank, on_delete=models.CASCADE, related_name="domains")
    code = models.SlugField(max_length=60)
    name_da = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("order",)
        constraints = [models.UniqueConstraint(fields=["bank", "code"], name="domain_code_unique")]

    def __str__(self) -> str:
        return localised(self, "name")


class Scale(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    bank = models.ForeignKey(ItemBank, on_delete=models.CASCADE, related_name="scales")
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="scales")
    code = models.SlugField(max_length=60)
    name_da = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    description_da = models.TextField(blank=True)
    description_en = models.TextField(blank=True)
    # True when a high score is good (e.g. trust); False for e.g. "quantitative demands".
    higher_is_better = models.BooleanField(default=True)
    # An outcome scale (e.g. job satisfaction) that driver analysis correlates the others with.
    is_outcome = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("order",)
        constraints = [models.UniqueConstraint(fields=["bank", "code"], name="scale_code_unique")]

    def __str__(self) -> str:
        return localised(self, "name")


class Item(models.Model):
    class Kind(models.TextChoices):
        LIKERT = "likert", _("5-point scale")
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        SCALE_0_10 = "scale10", _("0–10 scale")
        FREE_TEXT = "text", _("Free text")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    bank = models.ForeignKey(ItemBank, null=True, blank=True, on_delete=models.CASCADE, related_name="items")
    # Items an organisation or a unit adds to its own questionnaires have no bank.
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    scale = models.ForeignKey(Scale, null=True, blank=True, on_delete=models.PROTECT, related_name="items")
    code = models.SlugField(max_length=60)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.LIKERT)
    text_da = models.TextField()
    text_en = models.TextField(blank=True)
    # Likert labels: [{"da": "I meget høj grad", "en": "To a very large extent"}, ...] (5 entries, scored
    # 100/75/50/25/0 in that order unless reversed); choices for single/multiple the same way.
    options = models.JSONField(default=list, blank=True)
    reversed = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("order",)

    def __str__(self) -> str:
        return f"{self.code}: {localised(self, 'text')[:60]}"


class ReferenceValue(models.Model):
    """A national or sector reference value for a scale, imported with a licensed bank."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    scale = models.ForeignKey(Scale, on_delete=models.CASCADE, related_name="reference_values")
    population = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    mean = models.FloatField()
    n = models.PositiveIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.population} {self.year or ''}: {self.mean}"


class Questionnaire(models.Model):
    """A versioned set of sections and items. A launched questionnaire is frozen."""

    class Kind(models.TextChoices):
        TRIVSEL = "trivsel", _("Well-being (trivsel)")
        APV = "apv", _("Workplace assessment (APV)")
        PULSE = "pulse", _("Pulse")
        CUSTOM = "custom", _("Custom")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="questionnaires"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    version = models.PositiveSmallIntegerField(default=1)
    previous_version = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    frozen = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("name", "-version")

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class Section(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="sections")
    title_da = models.CharField(max_length=200)
    title_en = models.CharField(max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("order",)

    def __str__(self) -> str:
        return localised(self, "title")


class SectionItem(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="section_items")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("order",)

    def __str__(self) -> str:
        return f"{self.section_id} #{self.order}"


class Survey(models.Model):
    """A questionnaire put to an audience for a period: a Ballot of kind "surveys.survey"."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="surveys")
    ballot = models.OneToOneField(Ballot, on_delete=models.CASCADE, related_name="survey")
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="surveys")
    # Audience: everyone, or the union of unit subtrees, optionally narrowed to job groups.
    audience_everyone = models.BooleanField(default=True)
    audience_units = models.ManyToManyField(Unit, blank=True, related_name="+")
    audience_job_groups = models.JSONField(default=list, blank=True)
    previous_survey = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Phased release of results (HR always sees them once computed): leaders and MED/AMO first,
    # then every employee for their own unit. Empty means "not yet".
    release_leaders_at = models.DateTimeField(
        _("results released to leaders and MED/AMO"), null=True, blank=True
    )
    release_everyone_at = models.DateTimeField(_("results released to everyone"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.ballot.title


class LocalItem(models.Model):
    """An item a unit adds to a survey for its own subtree (at most 5 per unit)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="local_items")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.item_id}"


class Response(models.Model):
    """One submitted questionnaire. No person, invitation, token, address, date or time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    cell = models.ForeignKey(BallotCell, on_delete=models.PROTECT, related_name="+")
    # False until the shuffle task has re-inserted the row (DESIGN §4.11).
    shuffled = models.BooleanField(default=False)

    def __str__(self) -> str:
        return str(self.id)


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    # Likert scored 0/25/50/75/100 (after reversal), 0–10 scale as given, single choice as option index.
    value = models.SmallIntegerField(null=True, blank=True)
    choices = models.JSONField(null=True, blank=True)
    text = models.TextField(blank=True)

    def __str__(self) -> str:
        return str(self.id)


# Reports ------------------------------------------------------------------------------------------


class SurveyReport(models.Model):
    """The stored, suppressed aggregates of one closed survey (DESIGN §4.4, §8).

    Computed by a task when the survey closes and again when unit mappings are corrected; every
    report page and export reads these rows, never the answers, except comment lists, whose texts
    are read from the answers of the units whose list the stored result shows.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Computing")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.OneToOneField(Survey, on_delete=models.CASCADE, related_name="report")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    # Thresholds the results were suppressed with (the ballot's frozen values).
    k = models.PositiveSmallIntegerField(default=5)
    free_text_k = models.PositiveSmallIntegerField(default=10)
    respondents = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Report {self.survey_id} ({self.status})"


class MeasureResult(models.Model):
    """One unit's figure for one measure, unfiltered or in one background-attribute cell.

    A hidden result stores no numbers at all: n, mean, sd, distribution and correlation are empty,
    so no output path can show what suppression hid.
    """

    class Measure(models.TextChoices):
        SCALE = "scale", _("Scale")
        ITEM = "item", _("Item")
        COMMENTS = "comments", _("Comments")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # No index of its own: `result_lookup` and `one_result_per_cell` start with the report (an extra
    # index would only slow down storing a report's tens of thousands of rows).
    report = models.ForeignKey(SurveyReport, on_delete=models.CASCADE, related_name="results", db_index=False)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    measure = models.CharField(max_length=10, choices=Measure.choices)
    # The Scale id for scales, the Item id for items and comment lists.
    measure_key = models.CharField(max_length=64)
    # Unfiltered: both empty. Filtered: a declared background attribute and one of its stored values.
    attribute = models.CharField(max_length=40, blank=True)
    value = models.CharField(max_length=100, blank=True)
    shown = models.BooleanField(default=False)
    hidden_reason = models.CharField(max_length=20, blank=True)
    n = models.PositiveIntegerField(null=True, blank=True)
    mean = models.FloatField(null=True, blank=True)
    sd = models.FloatField(null=True, blank=True)
    # Items: respondents per option in listed order ({"0": 12, "1": 30, ...}; 0-10 scales by value).
    distribution = models.JSONField(null=True, blank=True)
    # Scales, unfiltered, n >= 25: Pearson r with the questionnaire's outcome scale (driver analysis).
    correlation = models.FloatField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["report", "measure", "attribute", "unit"], name="result_lookup")]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "unit", "measure", "measure_key", "attribute", "value"],
                name="one_result_per_cell",
            ),
            models.CheckConstraint(
                condition=models.Q(shown=True)
                | models.Q(n__isnull=True, mean__isnull=True, sd__isnull=True, distribution__isnull=True),
                name="hidden_result_has_no_numbers",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure}:{self.measure_key} {self.unit_id} {self.attribute}={self.value}"


class ReportExport(ExportJob):
    """A PDF or XLSX of a report, built by a task and kept as a row for a day (DESIGN §8)."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        XLSX = "xlsx", "XLSX"

    report = models.ForeignKey(SurveyReport, on_delete=models.CASCADE, related_name="exports")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    format = models.CharField(max_length=4, choices=Format.choices)
    requested_by = models.ForeignKey("core.User", on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"{self.format} {self.unit_id} ({self.status})"
