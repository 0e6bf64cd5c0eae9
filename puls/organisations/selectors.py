"""Reads of organisation data, always through an Access (see scoping.py)."""

import uuid

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from puls.organisations.models import Employment, ImportJob, Person, RoleAssignment, Unit
from puls.organisations.scoping import Access


def unit_list(*, access: Access) -> QuerySet[Unit]:
    return access.visible_units().order_by("path")


def unit_get(*, access: Access, unit_id: uuid.UUID | str) -> Unit:
    unit = access.visible_units().filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    return unit


def unit_tree_with_counts(*, access: Access) -> list[tuple[Unit, int, int]]:
    """Visible units in tree order with (direct staff, whole subtree) counts of current employees."""
    today = timezone.localdate()
    current = Q(employments__start_date__lte=today) & (
        Q(employments__end_date__isnull=True) | Q(employments__end_date__gte=today)
    )
    units = list(
        unit_list(access=access).active().annotate(direct=Count("employments", filter=current, distinct=True))
    )
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
        people = people.filter(employments__in=Employment.objects.current().filter(unit__in=Unit.objects.within([unit])))
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
