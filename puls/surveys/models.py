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
