"""Reads of organisation data, always through an Access (see scoping.py)."""

import uuid
from dataclasses import dataclass

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import BooleanField, Case, Count, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from puls.core.models import AuditEntry, User
from puls.organisations.models import (
    EmployeePanel,
    Employment,
    ImportJob,
    Organisation,
    Person,
    RoleAssignment,
    Unit,
    UnitQuerySet,
)
from puls.organisations.scoping import Access


def unit_list(*, access: Access) -> UnitQuerySet:
    return access.visible_units().order_by("path")


def unit_get(*, access: Access, unit_id: uuid.UUID | str) -> Unit:
    unit = access.visible_units().filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    return unit


def unit_tree_with_counts(*, access: Access, include_closed: bool = False) -> list[tuple[Unit, int, int]]:
    """Visible units in tree order with (direct staff, whole subtree) counts of current employees."""
    today = timezone.localdate()
    current = Q(employments__start_date__lte=today) & (
        Q(employments__end_date__isnull=True) | Q(employments__end_date__gte=today)
    )
    visible = unit_list(access=access) if include_closed else unit_list(access=access).active()
    units = list(visible.annotate(direct=Count("employments", filter=current, distinct=True)))
    subtree_totals: dict[str, int] = {}
    for unit in units:
        for ancestor_path in _path_prefixes(unit.path):
            subtree_totals[ancestor_path] = subtree_totals.get(ancestor_path, 0) + unit.direct  # type: ignore[attr-defined]
    return [(unit, unit.direct, subtree_totals.get(unit.path, 0)) for unit in units]  # type: ignore[attr-defined]


def _path_prefixes(path: str) -> list[str]:
    parts = path.strip("/").split("/")
    return ["".join(f"{part}/" for part in parts[: i + 1]) for i in range(len(parts))]


def person_list(*, access: Access, query: str = "", unit: Unit | None = None) -> QuerySet[Person]:
    people = Person.objects.filter(organisation=access.organisation, anonymised_at__isnull=True)
    if not access.sees_whole_organisation:
        people = people.filter(
            employments__in=Employment.objects.current().filter(unit__in=access.visible_units())
        )
    if unit is not None:
        people = people.filter(
            employments__in=Employment.objects.current().filter(unit__in=Unit.objects.within([unit]))
        )
    if query:
        for word in query.split():
            people = people.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(employee_number__iexact=word)
                | Q(email__icontains=word)
            )
    return people.distinct().order_by("last_name", "first_name")


def person_get(*, access: Access, person_id: uuid.UUID | str) -> Person:
    person = person_list(access=access).filter(pk=person_id).first()
    if person is None:
        raise Http404
    return person


def role_assignment_list(*, access: Access) -> QuerySet[RoleAssignment]:
    if not access.is_org_admin:
        raise Http404
    return (
        RoleAssignment.objects.filter(organisation=access.organisation)
        .select_related("person")
        .prefetch_related("units")
        .order_by("role", "person__last_name")
    )


def import_job_get(*, access: Access, job_id: uuid.UUID | str) -> ImportJob:
    if not access.can_manage_people:
        raise Http404
    job = ImportJob.objects.filter(organisation=access.organisation, pk=job_id).first()
    if job is None:
        raise Http404
    return job


# --- Organisation pages: dashboard, unit detail, people, roles, audit log ---


@dataclass(frozen=True)
class OrganisationOverview:
    """The head counts an HR administrator checks before inviting people to anything."""

    units: int
    employees: int
    employees_without_email: int
    employees_without_login: int


def _has_login() -> Q:
    """An active user who has set a password, or who has logged in some other way (SSO later)."""
    return Q(user__is_active=True) & (
        ~Q(user__password__startswith=UNUSABLE_PASSWORD_PREFIX) | Q(user__last_login__isnull=False)
    )


def organisation_overview(*, access: Access) -> OrganisationOverview:
    if not access.sees_whole_organisation:
        raise Http404
    employees = Person.objects.filter(organisation=access.organisation, anonymised_at__isnull=True).employed()
    total = employees.count()
    return OrganisationOverview(
        units=Unit.objects.filter(organisation=access.organisation).active().count(),
        employees=total,
        employees_without_email=employees.filter(email="").count(),
        employees_without_login=total - employees.filter(_has_login()).count(),
    )


def import_job_recent_list(*, access: Access, limit: int = 5) -> list[ImportJob]:
    if not access.can_manage_people:
        raise Http404
    return list(ImportJob.objects.filter(organisation=access.organisation).order_by("-created_at")[:limit])


def unit_ancestors(*, access: Access, unit: Unit) -> list[Unit]:
    """The unit's ancestors that the viewer may see, root first (breadcrumbs)."""
    ancestor_ids = unit.ancestor_ids[:-1]
    visible = {u.pk: u for u in access.visible_units().filter(pk__in=ancestor_ids)}
    return [visible[pk] for pk in ancestor_ids if pk in visible]


def unit_role_assignments(*, access: Access, unit: Unit) -> QuerySet[RoleAssignment]:
    """Role assignments scoped to exactly this unit (HR only)."""
    return role_assignment_list(access=access).filter(units=unit)


def person_rows(*, access: Access, query: str = "", unit: Unit | None = None) -> QuerySet[Person]:
    """`person_list` with what a table of people shows: `current_employments` (with units) and
    `has_login`."""
    return (
        person_list(access=access, query=query, unit=unit)
        .annotate(
            has_login=Case(
                When(_has_login(), then=Value(True)), default=Value(False), output_field=BooleanField()
            )
        )
        .prefetch_related(
            Prefetch(
                "employments",
                queryset=Employment.objects.current().select_related("unit").order_by("unit__path"),
                to_attr="current_employments",
            )
        )
    )


def person_employments(*, access: Access, person: Person) -> QuerySet[Employment]:
    if person.organisation_id != access.organisation.pk:
        raise Http404
    return person.employments.select_related("unit").order_by("-start_date")


def person_role_assignments(*, access: Access, person: Person) -> QuerySet[RoleAssignment]:
    if person.organisation_id != access.organisation.pk:
        raise Http404
    return person.role_assignments.prefetch_related("units").order_by("role")


def person_get_by_employee_number(*, access: Access, employee_number: str) -> Person | None:
    """For HR forms that name a person by employee number; None when the organisation has no such person."""
    if not access.can_manage_people:
        raise Http404
    return Person.objects.filter(
        organisation=access.organisation, anonymised_at__isnull=True, employee_number=employee_number.strip()
    ).first()


def my_current_employments(*, access: Access) -> list[Employment]:
    """The acting user's own current employments in this organisation."""
    if access.person is None:
        return []
    return list(access.person.employments.current().select_related("unit").order_by("unit__path"))


def role_assignment_get(*, access: Access, assignment_id: uuid.UUID | str) -> RoleAssignment:
    assignment = role_assignment_list(access=access).filter(pk=assignment_id).first()
    if assignment is None:
        raise Http404
    return assignment


def role_assignment_count(*, access: Access, role: str) -> int:
    return role_assignment_list(access=access).filter(role=role).count()


def people_by_id(*, access: Access, person_ids: set[str]) -> dict[str, Person]:
    """The organisation's people among the given ids (e.g. those an audit page refers to), by id;
    anonymised people are left out."""
    valid_ids = []
    for person_id in person_ids:
        try:
            valid_ids.append(uuid.UUID(person_id))
        except (TypeError, ValueError):
            continue
    people = person_list(access=access).filter(pk__in=valid_ids)
    return {str(person.pk): person for person in people}


def audit_entry_list(*, access: Access) -> QuerySet[AuditEntry]:
    if not access.is_org_admin:
        raise Http404
    return (
        AuditEntry.objects.filter(organisation=access.organisation)
        .select_related("actor")
        .order_by("-created_at")
    )


def organisation_list_for_platform(*, user: User) -> QuerySet[Organisation]:
    """Every organisation with its number of people, for platform administrators only."""
    if not user.is_platform_admin:
        raise Http404
    return Organisation.objects.annotate(
        people_count=Count("people", filter=Q(people__anonymised_at__isnull=True))
    ).order_by("name")


# --- Standing employee panels (HR only) ---


def panel_list(*, access: Access) -> QuerySet[EmployeePanel]:
    """The organisation's panels with `member_count` (members not anonymised) and `employed_count`
    (of those, employed today: the ones an audience "the panel" invites)."""
    if not access.is_org_admin:
        raise Http404
    today = timezone.localdate()
    members = Q(members__anonymised_at__isnull=True)
    employed = (
        members
        & Q(members__employments__start_date__lte=today)
        & (Q(members__employments__end_date__isnull=True) | Q(members__employments__end_date__gte=today))
    )
    return EmployeePanel.objects.filter(organisation=access.organisation).annotate(
        member_count=Count("members", filter=members, distinct=True),
        employed_count=Count("members", filter=employed, distinct=True),
    )


def panel_get(*, access: Access, panel_id: uuid.UUID | str) -> EmployeePanel:
    panel = panel_list(access=access).filter(pk=panel_id).first()
    if panel is None:
        raise Http404
    return panel


def panel_member_numbers(*, access: Access, panel: EmployeePanel) -> list[str]:
    if panel.organisation_id != access.organisation.pk:
        raise Http404
    return list(
        panel.members.filter(anonymised_at__isnull=True)
        .order_by("employee_number")
        .values_list("employee_number", flat=True)
    )


def panel_choices(*, organisation: Organisation) -> QuerySet[EmployeePanel]:
    """Panels an audience may name (dialogue processes and rounds of the organisation)."""
    return EmployeePanel.objects.filter(organisation=organisation).order_by("name")


def people_with_login(*, organisation: Organisation) -> QuerySet[Person]:
    """The organisation's people who can log in (active account with a password, or used before),
    e.g. to choose a process's facilitators."""
    return (
        Person.objects.filter(organisation=organisation, anonymised_at__isnull=True, user__isnull=False)
        .filter(_has_login())
        .select_related("user")
        .order_by("last_name", "first_name")
    )


def job_group_choices(organisation: Organisation) -> list[str]:
    """The job groups of the organisation's current employments, sorted as people read them
    (ignoring case): the choices of a survey's or a round's audience."""
    groups = (
        Employment.objects.current()
        .filter(unit__organisation=organisation)
        .exclude(job_group="")
        .values_list("job_group", flat=True)
        .distinct()
    )
    return sorted(set(groups), key=str.casefold)
