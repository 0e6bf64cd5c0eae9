"""The people import: people by employee number, their employments and the leader column.

A change of unit or job group closes the current employment (end date yesterday) and opens a new
one from today, so reports keep history. People who are no longer in the file get an end date on
their open employments; nobody is deleted.
"""

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from puls.core.models import User
from puls.organisations import services as organisation_services
from puls.organisations.imports.messages import Message
from puls.organisations.imports.parsing import (
    PEOPLE_COLUMNS,
    ImportFile,
    Row,
    is_valid_email,
    looks_like_cpr,
    parse_birth_year,
    parse_date,
    parse_yes_no,
)
from puls.organisations.imports.plan import (
    CHANGED,
    NEW,
    UNCHANGED,
    Plan,
    Progress,
    RowOutcome,
    error_row,
    no_progress,
)
from puls.organisations.models import Employment, Organisation, Person, Role, RoleAssignment, Unit

MAX_LENGTHS = {column.key: column.max_length for column in PEOPLE_COLUMNS if column.max_length}
REQUIRED = ("employee_number", "first_name", "last_name", "unit_code", "start_date")
BATCH_SIZE = 500


def _day(value: date) -> str:
    return value.strftime("%d-%m-%Y")


@dataclass
class PersonRow:
    number: int
    employee_number: str
    first_name: str
    last_name: str
    email: str | None  # None: leave a stored e-mail as it is
    unit: Unit
    job_group: str
    start_date: date
    birth_year: int | None
    leader: bool


@dataclass
class NewEmployment:
    employee_number: str
    unit: Unit
    job_group: str
    start_date: date
    birth_year: int | None


@dataclass(slots=True)
class KnownPerson:
    pk: uuid.UUID
    first_name: str
    last_name: str
    email: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(slots=True)
class KnownEmployment:
    pk: uuid.UUID
    unit_id: uuid.UUID
    job_group: str
    start_date: date
    end_date: date | None
    birth_year: int | None


@dataclass
class LeaderAssignment:
    assignment: RoleAssignment
    unit_ids: set[uuid.UUID]


@dataclass
class PeoplePlan(Plan):
    people: dict[str, KnownPerson] = field(default_factory=dict)
    new_people: list[PersonRow] = field(default_factory=list)
    person_changes: list[tuple[KnownPerson, dict[str, str]]] = field(default_factory=list)
    employment_changes: list[tuple[KnownEmployment, dict[str, Any]]] = field(default_factory=list)
    employment_ends: list[tuple[KnownEmployment, date]] = field(default_factory=list)
    employment_starts: list[NewEmployment] = field(default_factory=list)
    leader_grants: list[tuple[str, Unit]] = field(default_factory=list)
    leader_removals: list[LeaderAssignment] = field(default_factory=list)
    leader_assignments_ended: list[RoleAssignment] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return super().has_changes or bool(self.absent)


class _Context:
    """Everything the plan compares rows with, loaded in a handful of queries as plain values
    (model instances for 50,000 people would cost more than the rest of the plan)."""

    def __init__(self, organisation: Organisation) -> None:
        self.today = timezone.localdate()
        self.yesterday = self.today - timedelta(days=1)
        self.units = {unit.code: unit for unit in Unit.objects.filter(organisation=organisation)}
        self.unit_code = {unit.pk: code for code, unit in self.units.items()}
        self.people = {
            employee_number: KnownPerson(pk, first_name, last_name, email)
            for pk, employee_number, first_name, last_name, email in Person.objects.filter(
                organisation=organisation, anonymised_at__isnull=True
            ).values_list("pk", "employee_number", "first_name", "last_name", "email")
        }
        self.employments: dict[uuid.UUID, list[KnownEmployment]] = {}
        employments = (
            Employment.objects.filter(person__organisation=organisation, person__anonymised_at__isnull=True)
            .order_by("person_id", "-start_date")
            .values_list("person_id", "pk", "unit_id", "job_group", "start_date", "end_date", "birth_year")
        )
        for person_id, pk, unit_id, job_group, start_date, end_date, birth_year in employments:
            self.employments.setdefault(person_id, []).append(
                KnownEmployment(pk, unit_id, job_group, start_date, end_date, birth_year)
            )
        assignments = {
            assignment.pk: assignment
            for assignment in RoleAssignment.objects.filter(organisation=organisation, role=Role.UNIT_LEADER)
        }
        self.leaders: dict[uuid.UUID, LeaderAssignment] = {
            assignment.person_id: LeaderAssignment(assignment=assignment, unit_ids=set())
            for assignment in assignments.values()
        }
        through = RoleAssignment.units.through.objects.filter(roleassignment_id__in=list(assignments))
        for assignment_id, unit_id in through.values_list("roleassignment_id", "unit_id"):
            self.leaders[assignments[assignment_id].person_id].unit_ids.add(unit_id)

    def current_employment(self, person: KnownPerson) -> KnownEmployment | None:
        for employment in self.employments.get(person.pk, []):
            if employment.end_date is None or employment.end_date >= self.today:
                return employment
        return None


def _read_row(row: Row, context: _Context) -> tuple[PersonRow | None, list[Message]]:
    errors: list[Message] = []
    text = {key: row.text(key) for key in MAX_LENGTHS}
    for key in REQUIRED:
        if row.text(key) == "":
            errors.append(("missing_value", {"field": key}))
    for key, limit in MAX_LENGTHS.items():
        if len(text[key]) > limit:
            errors.append(("too_long", {"field": key, "limit": limit}))
    email: str | None = text["email"].lower() or None
    if email is not None and not is_valid_email(email):
        errors.append(("invalid_email", {"value": text["email"]}))
    unit = context.units.get(text["unit_code"])
    if text["unit_code"] and unit is None:
        errors.append(("unknown_unit", {"value": text["unit_code"]}))
    elif unit is not None and unit.closed_on is not None and unit.closed_on <= context.today:
        errors.append(("closed_unit", {"value": text["unit_code"]}))
    start_date = parse_date(row.values.get("start_date", ""))
    if row.text("start_date") and start_date is None:
        errors.append(("invalid_date", {"value": row.text("start_date")}))
    birth_year = parse_birth_year(row.text("birth_year"), this_year=context.today.year)
    if row.text("birth_year") and birth_year is None:
        errors.append(("invalid_birth_year", {"value": row.text("birth_year")}))
    leader = parse_yes_no(row.text("leader"))
    if leader is None:
        errors.append(("invalid_leader", {"value": row.text("leader")}))
    if errors or unit is None or start_date is None or leader is None:
        return None, errors
    person_row = PersonRow(
        number=row.number,
        employee_number=text["employee_number"],
        first_name=text["first_name"],
        last_name=text["last_name"],
        email=email,
        unit=unit,
        job_group=text["job_group"],
        start_date=start_date,
        birth_year=birth_year,
        leader=leader,
    )
    return person_row, errors


def plan_people(
    *, organisation: Organisation, imported: ImportFile, progress: Progress = no_progress
) -> PeoplePlan:
    context = _Context(organisation)
    plan = PeoplePlan(people=context.people)
    first_row_of: dict[str, int] = {}
    for handled, row in enumerate(imported.rows, start=1):
        plan.outcomes.append(_plan_row(row, context, plan, first_row_of))
        if handled % BATCH_SIZE == 0:
            progress(handled)
    _plan_absent_people(context, plan, in_file=set(first_row_of))
    progress(len(imported.rows))
    return plan


def _plan_row(row: Row, context: _Context, plan: PeoplePlan, first_row_of: dict[str, int]) -> RowOutcome:
    if looks_like_cpr(row, number_column="employee_number"):
        # Keep nothing from the row: not even its employee number may be shown or stored.
        return error_row(row.number, "", "", [("cpr_value", {})])
    employee_number = row.text("employee_number")
    label = f"{row.text('first_name')} {row.text('last_name')}".strip()
    person_row, errors = _read_row(row, context)
    if employee_number in first_row_of:
        errors.append(
            ("duplicate_employee_number", {"value": employee_number, "row": first_row_of[employee_number]})
        )
    elif employee_number:
        # Someone in a bad row is still in the file: they must not get an end date.
        first_row_of[employee_number] = row.number
    if errors or person_row is None:
        return error_row(row.number, employee_number, label, errors)

    person = context.people.get(employee_number)
    if person is None:
        plan.new_people.append(person_row)
        if person_row.leader:
            plan.leader_grants.append((employee_number, person_row.unit))
        return RowOutcome(number=row.number, outcome=NEW, key=employee_number, label=label)

    changes = _plan_person_changes(person, person_row, plan)
    moved_from = _plan_employment(person, person_row, context, plan, changes)
    _plan_leader(person, person_row, moved_from, context, plan, changes)
    return RowOutcome(
        number=row.number,
        outcome=CHANGED if changes else UNCHANGED,
        key=employee_number,
        label=label,
        details=changes,
    )


def _plan_person_changes(person: KnownPerson, row: PersonRow, plan: PeoplePlan) -> list[Message]:
    changes: list[Message] = []
    new_values: dict[str, str] = {}
    for key in ("first_name", "last_name"):
        if getattr(person, key) != getattr(row, key):
            new_values[key] = getattr(row, key)
    if row.email is not None and person.email.lower() != row.email:
        new_values["email"] = row.email
    for key, value in new_values.items():
        changes.append(("field_changed", {"field": key, "old": getattr(person, key), "new": value}))
    if new_values:
        plan.person_changes.append((person, new_values))
    return changes


def _plan_employment(
    person: KnownPerson, row: PersonRow, context: _Context, plan: PeoplePlan, changes: list[Message]
) -> uuid.UUID | None:
    """Plan the employment change; returns the unit the person leaves, if any."""
    employments = context.employments.get(person.pk, [])
    current = context.current_employment(person)
    if current is None:
        last_end = max((e.end_date for e in employments if e.end_date is not None), default=None)
        start = row.start_date if last_end is None or row.start_date > last_end else context.today
        plan.employment_starts.append(
            NewEmployment(row.employee_number, row.unit, row.job_group, start, row.birth_year)
        )
        changes.append(("employment_starts", {"unit": row.unit.code, "start": _day(start)}))
        return None

    birth_year = row.birth_year if row.birth_year is not None else current.birth_year
    if birth_year != current.birth_year:
        changes.append(
            ("field_changed", {"field": "birth_year", "old": current.birth_year, "new": birth_year})
        )
    moved_unit = current.unit_id != row.unit.pk
    if moved_unit:
        old_code = context.unit_code.get(current.unit_id, "")
        changes.append(("field_changed", {"field": "unit_code", "old": old_code, "new": row.unit.code}))
    if current.job_group != row.job_group:
        changes.append(
            ("field_changed", {"field": "job_group", "old": current.job_group, "new": row.job_group})
        )

    if moved_unit or current.job_group != row.job_group:
        if current.start_date >= context.today:
            # Not started yet (or started today): correct it rather than leave a day-long employment.
            plan.employment_changes.append(
                (current, {"unit": row.unit, "job_group": row.job_group, "birth_year": birth_year})
            )
        else:
            plan.employment_ends.append((current, context.yesterday))
            plan.employment_starts.append(
                NewEmployment(row.employee_number, row.unit, row.job_group, context.today, birth_year)
            )
            changes.append(("new_employment", {"end": _day(context.yesterday), "start": _day(context.today)}))
        return current.unit_id if moved_unit else None

    corrections: dict[str, Any] = {}
    if birth_year != current.birth_year:
        corrections["birth_year"] = birth_year
    # The start date is the hiring date: it can only correct a person's one and only employment,
    # since later employments start on the day of a move.
    if len(employments) == 1 and current.end_date is None and current.start_date != row.start_date:
        changes.append(
            (
                "field_changed",
                {"field": "start_date", "old": _day(current.start_date), "new": _day(row.start_date)},
            )
        )
        corrections["start_date"] = row.start_date
    if corrections:
        plan.employment_changes.append((current, corrections))
    return None


def _plan_leader(
    person: KnownPerson,
    row: PersonRow,
    moved_from: uuid.UUID | None,
    context: _Context,
    plan: PeoplePlan,
    changes: list[Message],
) -> None:
    leader = context.leaders.get(person.pk)
    leads = leader.unit_ids if leader else set()
    if row.leader and row.unit.pk not in leads:
        plan.leader_grants.append((row.employee_number, row.unit))
        changes.append(("becomes_leader", {"unit": row.unit.code}))
    # Only leader roles the import gave are the import's to take back; roles given by hand stay.
    if leader is None or not leader.assignment.from_import:
        return
    removed = set()
    if not row.leader and row.unit.pk in leads:
        removed.add(row.unit.pk)
    if moved_from is not None and moved_from in leads:
        removed.add(moved_from)
    if removed:
        plan.leader_removals.append(LeaderAssignment(assignment=leader.assignment, unit_ids=removed))
        for unit_id in sorted(removed, key=lambda unit_id: context.unit_code.get(unit_id, "")):
            changes.append(("leader_removed", {"unit": context.unit_code.get(unit_id, "")}))


def _plan_absent_people(context: _Context, plan: PeoplePlan, *, in_file: set[str]) -> None:
    for employee_number, person in sorted(context.people.items()):
        if employee_number in in_file:
            continue
        still_open = [e for e in context.employments.get(person.pk, []) if e.end_date is None]
        if not still_open:
            continue
        for employment in still_open:
            plan.employment_ends.append((employment, max(context.yesterday, employment.start_date)))
        unit_code = context.unit_code.get(still_open[0].unit_id, "")
        plan.absent.append([employee_number, person.full_name, unit_code])
        leader = context.leaders.get(person.pk)
        if leader is not None and leader.assignment.from_import:
            plan.leader_assignments_ended.append(leader.assignment)


def apply_people(*, organisation: Organisation, plan: PeoplePlan, actor: User | None) -> dict[str, int]:
    """Write the plan with bulk queries. Runs inside the caller's transaction."""
    new_people = [
        Person(
            organisation=organisation,
            employee_number=row.employee_number,
            first_name=row.first_name,
            last_name=row.last_name,
            email=row.email or "",
        )
        for row in plan.new_people
    ]
    Person.objects.bulk_create(new_people, batch_size=BATCH_SIZE)
    person_ids = {number: known.pk for number, known in plan.people.items()}
    person_ids.update({person.employee_number: person.pk for person in new_people})

    Person.objects.bulk_update(
        [
            Person(
                pk=known.pk,
                first_name=values.get("first_name", known.first_name),
                last_name=values.get("last_name", known.last_name),
                email=values.get("email", known.email),
            )
            for known, values in plan.person_changes
        ],
        ["first_name", "last_name", "email"],
        batch_size=BATCH_SIZE,
    )
    Employment.objects.bulk_update(
        [Employment(pk=known.pk, end_date=end_date) for known, end_date in plan.employment_ends],
        ["end_date"],
        batch_size=BATCH_SIZE,
    )
    corrected = []
    for known, values in plan.employment_changes:
        unit = values.get("unit")
        corrected.append(
            Employment(
                pk=known.pk,
                unit_id=unit.pk if unit is not None else known.unit_id,
                job_group=values.get("job_group", known.job_group),
                birth_year=values.get("birth_year", known.birth_year),
                start_date=values.get("start_date", known.start_date),
            )
        )
    Employment.objects.bulk_update(
        corrected, ["unit", "job_group", "birth_year", "start_date"], batch_size=BATCH_SIZE
    )
    hired = [
        NewEmployment(row.employee_number, row.unit, row.job_group, row.start_date, row.birth_year)
        for row in plan.new_people
    ]
    starts = [
        Employment(
            person_id=person_ids[start.employee_number],
            unit_id=start.unit.pk,
            job_group=start.job_group,
            start_date=start.start_date,
            birth_year=start.birth_year,
        )
        for start in [*hired, *plan.employment_starts]
    ]
    Employment.objects.bulk_create(starts, batch_size=BATCH_SIZE)

    leaders = Person.objects.select_related("organisation").in_bulk(
        [person_ids[employee_number] for employee_number, _unit in plan.leader_grants]
    )
    for employee_number, unit in plan.leader_grants:
        organisation_services.role_assign(
            actor=actor,
            person=leaders[person_ids[employee_number]],
            role=Role.UNIT_LEADER,
            units=[unit],
            from_import=True,
        )
    for removal in plan.leader_removals:
        removal.assignment.units.remove(*removal.unit_ids)  # type: ignore[arg-type]  # pks are accepted
        if not removal.assignment.units.exists():
            organisation_services.role_remove(actor=actor, assignment=removal.assignment)
    for assignment in plan.leader_assignments_ended:
        organisation_services.role_remove(actor=actor, assignment=assignment)

    return {
        "employments_started": len(starts),
        "employments_ended": len(plan.employment_ends),
        "leader_roles_given": len(plan.leader_grants),
        "leader_roles_removed": sum(len(removal.unit_ids) for removal in plan.leader_removals)
        + len(plan.leader_assignments_ended),
    }
