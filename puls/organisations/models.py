import uuid
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ANONYMITY_K_DEFAULT = 5
ANONYMITY_K_MIN = 3
ANONYMITY_K_MAX = 10
FREE_TEXT_K_DEFAULT = 10


class Organisation(models.Model):
    """The tenant. Its slug is the first part of every tenant URL (/o/<slug>/...)."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        REGION = "region", _("Region")
        INSTITUTION = "institution", _("Institution")
        PARTNERSHIP = "partnership", _("Partnership")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    slug = models.SlugField(_("short name in addresses"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MUNICIPALITY)
    logo = models.FileField(_("logo"), upload_to="logos/", blank=True)
    # Anonymity thresholds (DESIGN §4.3): a ballot may raise them, never lower them.
    anonymity_k = models.PositiveSmallIntegerField(
        _("anonymity threshold"),
        default=ANONYMITY_K_DEFAULT,
        validators=[MinValueValidator(ANONYMITY_K_MIN), MaxValueValidator(ANONYMITY_K_MAX)],
        help_text=_("Results are shown only for groups of at least this many people (3–10)."),
    )
    free_text_k = models.PositiveSmallIntegerField(
        _("free-text threshold"),
        default=FREE_TEXT_K_DEFAULT,
        validators=[MinValueValidator(ANONYMITY_K_MIN)],
        help_text=_("Free-text answers are shown only for groups of at least this many people."),
    )
    # Shares the organisation-level scale means of closed surveys with other opted-in organisations
    # (aggregates only, never rows); a benchmark is shown only when at least 3 organisations contribute.
    benchmark_opt_in = models.BooleanField(_("share results with the benchmark"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("name",)
        constraints = [
            models.CheckConstraint(
                condition=Q(anonymity_k__gte=ANONYMITY_K_MIN, anonymity_k__lte=ANONYMITY_K_MAX),
                name="organisation_anonymity_k_range",
            ),
            models.CheckConstraint(
                condition=Q(free_text_k__gte=models.F("anonymity_k")),
                name="organisation_free_text_k_not_below_k",
            ),
        ]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        both_set = self.free_text_k is not None and self.anonymity_k is not None
        if both_set and self.free_text_k < self.anonymity_k:
            raise ValidationError(
                {"free_text_k": _("The free-text threshold cannot be lower than the anonymity threshold.")}
            )


class UnitQuerySet(models.QuerySet["Unit"]):
    def active(self, on: date | None = None) -> "UnitQuerySet":
        on = on or timezone.localdate()
        return self.filter(Q(closed_on__isnull=True) | Q(closed_on__gt=on))

    def within(self, units: "list[Unit] | UnitQuerySet") -> "UnitQuerySet":
        """The units in the subtrees of the given units (each unit included)."""
        condition = Q(pk__in=[])
        for unit in units:
            condition |= Q(path__startswith=unit.path)
        return self.filter(condition)


class Unit(models.Model):
    """A node of an organisation's unit tree. Its figures always mean its whole subtree.

    `path` is the materialised path: the ancestors' ids and its own, each followed by '/', so a
    subtree is `path__startswith=unit.path`.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="units")
    code = models.CharField(_("unit code"), max_length=50)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=1200, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ("path",)
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="unit_code_unique_per_org"),
        ]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if not self.path:
            self.compute_path()
        super().save(*args, **kwargs)

    def compute_path(self) -> None:
        parent_path = self.parent.path if self.parent_id and self.parent else ""
        self.path = f"{parent_path}{self.id.hex}/"
        self.depth = parent_path.count("/")

    def is_within(self, other: "Unit") -> bool:
        return self.path.startswith(other.path)

    @property
    def ancestor_ids(self) -> list[uuid.UUID]:
        return [uuid.UUID(part) for part in self.path.strip("/").split("/")]


class UnitMapping(models.Model):
    """Records that an old unit's history continues in a new unit after a reorganisation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="unit_mappings")
    old_unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="mapped_to")
    new_unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="mapped_from")
    effective_on = models.DateField(_("effective on"), default=timezone.localdate)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["old_unit", "new_unit"], name="unit_mapping_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.old_unit_id} → {self.new_unit_id}"


class PersonQuerySet(models.QuerySet["Person"]):
    def employed(self, on: date | None = None) -> "PersonQuerySet":
        on = on or timezone.localdate()
        return self.filter(
            Q(employments__start_date__lte=on)
            & (Q(employments__end_date__isnull=True) | Q(employments__end_date__gte=on))
        ).distinct()


class Person(models.Model):
    """An employee record, keyed by employee number. Never holds a CPR number."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="people")
    employee_number = models.CharField(_("employee number"), max_length=50)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="persons"
    )
    anonymised_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ("last_name", "first_name")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "employee_number"], name="person_number_unique_per_org"
            ),
            models.UniqueConstraint(
                fields=["organisation", "user"],
                name="one_person_per_user_per_org",
                condition=Q(user__isnull=False),
            ),
        ]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


AGE_BANDS = [(0, 29, "-29"), (30, 39, "30-39"), (40, 49, "40-49"), (50, 59, "50-59"), (60, 200, "60+")]
SENIORITY_BANDS = [(0, 1, "<2"), (2, 4, "2-4"), (5, 9, "5-9"), (10, 200, "10+")]


def band_for(value: int, bands: list[tuple[int, int, str]]) -> str:
    for low, high, label in bands:
        if low <= value <= high:
            return label
    return ""


class EmploymentQuerySet(models.QuerySet["Employment"]):
    def current(self, on: date | None = None) -> "EmploymentQuerySet":
        on = on or timezone.localdate()
        return self.filter(Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on)))


class Employment(models.Model):
    """A person's employment in a unit. Background attributes used in reports live here."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="employments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="employments")
    job_group = models.CharField(_("job group"), max_length=100, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)

    objects = EmploymentQuerySet.as_manager()

    class Meta:
        ordering = ("-start_date",)
        verbose_name = _("employment")
        verbose_name_plural = _("employments")

    def __str__(self) -> str:
        return f"{self.person} @ {self.unit}"

    def age_band(self, on: date | None = None) -> str:
        if not self.birth_year:
            return ""
        on = on or timezone.localdate()
        return band_for(on.year - self.birth_year, AGE_BANDS)

    def seniority_band(self, on: date | None = None) -> str:
        on = on or timezone.localdate()
        years = (on - self.start_date).days // 365
        return band_for(max(years, 0), SENIORITY_BANDS)


class Role(models.TextChoices):
    ORG_ADMIN = "org_admin", _("Organisation administrator (HR)")
    UNIT_LEADER = "unit_leader", _("Unit leader")
    MED_REP = "med_rep", _("MED/AMO representative")
    FACILITATOR = "facilitator", _("Facilitator")
    EXPERT = "expert", _("Expert (travel team/ambassador)")


# Roles that are limited to one or more unit subtrees; the others cover the whole organisation.
UNIT_SCOPED_ROLES = {Role.UNIT_LEADER, Role.MED_REP}


class RoleAssignment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="role_assignments")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    units = models.ManyToManyField(Unit, blank=True, related_name="role_assignments")
    from_import = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "role"], name="one_assignment_per_role"),
        ]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()}"


class EmployeePanel(models.Model):
    """A standing employee panel: people HR asks again and again (e.g. in dialogue rounds), chosen
    by employee number. An audience may be "the panel"; only its currently employed members are
    invited."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="employee_panels")
    name = models.CharField(_("name"), max_length=200)
    members = models.ManyToManyField(Person, blank=True, related_name="panels")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="panel_name_unique_per_org"),
        ]
        verbose_name = _("employee panel")
        verbose_name_plural = _("employee panels")

    def __str__(self) -> str:
        return self.name


class ImportJob(models.Model):
    """An uploaded import file: previewed (dry run), then applied once, then its file deleted."""

    class Kind(models.TextChoices):
        UNITS = "units", _("Units")
        PEOPLE = "people", _("People")

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("Previewed")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        APPLIED = "applied", _("Applied")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="import_jobs")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEWED)
    file = models.FileField(upload_to="imports/", blank=True)
    original_name = models.CharField(max_length=255)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name}"

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))
