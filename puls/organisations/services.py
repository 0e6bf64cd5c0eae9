"""Writes of organisation data. Each service is transactional and audits admin actions."""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.text import slugify

from puls.core.audit import audit_record
from puls.core.models import User
from puls.organisations.models import (
    UNIT_SCOPED_ROLES,
    EmployeePanel,
    Employment,
    Organisation,
    Person,
    Role,
    RoleAssignment,
    Unit,
    UnitMapping,
)
from puls.organisations.signals import unit_mappings_changed


@transaction.atomic
def organisation_create(
    *,
    actor: User | None,
    name: str,
    kind: str = Organisation.Kind.MUNICIPALITY,
    slug: str = "",
) -> Organisation:
    organisation = Organisation.objects.create(name=name, kind=kind, slug=slug or slugify(name)[:60])
    audit_record(
        actor=actor,
        action="organisation.create",
        organisation=organisation,
        target=organisation,
        summary=name,
    )
    return organisation


@transaction.atomic
def organisation_create_with_admin(
    *,
    actor: User | None,
    name: str,
    kind: str,
    slug: str,
    admin_first_name: str,
    admin_last_name: str,
    admin_email: str,
    admin_employee_number: str,
) -> tuple[Organisation, Person]:
    """Create an organisation and its first HR administrator (a Person with a User)."""
    organisation = organisation_create(actor=actor, name=name, kind=kind, slug=slug)
    person = Person.objects.create(
        organisation=organisation,
        employee_number=admin_employee_number,
        first_name=admin_first_name,
        last_name=admin_last_name,
        email=admin_email.lower(),
    )
    user_for_person(person=person)
    role_assign(actor=actor, person=person, role=Role.ORG_ADMIN, units=[])
    return organisation, person


def user_for_person(*, person: Person) -> User:
    """The person's login, created without a usable password until they activate it."""
    if person.user_id:
        return person.user  # type: ignore[return-value]
    if not person.email:
        raise ValueError("A person needs an e-mail address to get a login")
    user = User.objects.filter(email__iexact=person.email).first()
    if user is None:
        user = User.objects.create_user(email=person.email, password=None, full_name=person.full_name)
    person.user = user
    person.save(update_fields=["user"])
    return user


@transaction.atomic
def unit_create(*, organisation: Organisation, code: str, name: str, parent: Unit | None = None) -> Unit:
    unit = Unit(organisation=organisation, code=code, name=name, parent=parent)
    unit.compute_path()
    unit.save()
    return unit


@transaction.atomic
def unit_move(*, actor: User | None, unit: Unit, new_parent: Unit | None) -> Unit:
    """Move a unit and its subtree under a new parent, rewriting the materialised paths."""
    if new_parent is not None and new_parent.is_within(unit):
        raise ValueError("A unit cannot move into its own subtree")
    old_path = unit.path
    unit.parent = new_parent
    unit.compute_path()
    unit.save(update_fields=["parent", "path", "depth"])
    for descendant in Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk):
        descendant.path = unit.path + descendant.path[len(old_path) :]
        descendant.depth = descendant.path.count("/") - 1
        descendant.save(update_fields=["path", "depth"])
    audit_record(
        actor=actor,
        action="unit.move",
        organisation=unit.organisation,
        target=unit,
        summary=f"{unit.code} → {new_parent.code if new_parent else '-'}",
    )
    return unit


@transaction.atomic
def unit_reorganise(
    *, actor: User | None, old_units: list[Unit], new_unit: Unit, note: str = ""
) -> list[UnitMapping]:
    """Record that the history of old units continues in new_unit, and close the old units."""
    today = timezone.localdate()
    mappings = []
    for old in old_units:
        mappings.append(
            UnitMapping.objects.create(
                organisation=new_unit.organisation,
                old_unit=old,
                new_unit=new_unit,
                effective_on=today,
                note=note,
            )
        )
        if old.closed_on is None:
            old.closed_on = today
            old.save(update_fields=["closed_on"])
    audit_record(
        actor=actor,
        action="unit.reorganise",
        organisation=new_unit.organisation,
        target=new_unit,
        summary=", ".join(o.code for o in old_units) + f" → {new_unit.code}",
    )
    unit_mappings_changed.send(sender=UnitMapping, organisation=new_unit.organisation)
    return mappings


@transaction.atomic
def role_assign(
    *, actor: User | None, person: Person, role: str, units: list[Unit], from_import: bool = False
) -> RoleAssignment:
    """Give a person a role; unit-scoped roles need at least one unit of the same organisation."""
    if role in UNIT_SCOPED_ROLES and not units:
        raise ValueError("This role needs at least one unit")
    if any(unit.organisation_id != person.organisation_id for unit in units):
        raise ValueError("Units must belong to the person's organisation")
    assignment, _created = RoleAssignment.objects.get_or_create(
        person=person, role=role, defaults={"organisation": person.organisation, "from_import": from_import}
    )
    if role in UNIT_SCOPED_ROLES:
        assignment.units.add(*units)
    audit_record(
        actor=actor,
        action="role.assign",
        organisation=person.organisation,
        target=assignment,
        summary=role,
        # The person is referenced by id, never by name or employee number: the log is append-only,
        # so anything personal written here would outlive retention (see people_anonymise_expired).
        data={"person": str(person.pk), "units": [u.code for u in units], "from_import": from_import},
    )
    return assignment


@transaction.atomic
def role_remove(*, actor: User | None, assignment: RoleAssignment) -> None:
    audit_record(
        actor=actor,
        action="role.remove",
        organisation=assignment.organisation,
        target=assignment,
        summary=assignment.role,
        data={"person": str(assignment.person_id)},
    )
    assignment.delete()


def people_anonymise_expired(*, now_date: date | None = None) -> int:
    """Anonymise people whose every employment ended more than RETENTION_PERSON_MONTHS ago.

    Their employments stay (unit, job group, dates) so historical counts hold; name, e-mail,
    employee number and login are removed, and their roles are dropped. The login (User) itself
    is deleted unless it still belongs to a person in another organisation or a platform admin.
    """
    today = now_date or timezone.localdate()
    cutoff = today - timedelta(days=round(settings.RETENTION_PERSON_MONTHS * 30.44))
    candidates = (
        Person.objects.filter(anonymised_at__isnull=True)
        .exclude(employments__end_date__isnull=True)
        .annotate(last_end=Max("employments__end_date"))
        .filter(last_end__lt=cutoff)
    )
    count = 0
    for person in candidates:
        with transaction.atomic():
            person.role_assignments.all().delete()
            person.panels.clear()
            user = person.user
            person.first_name = ""
            person.last_name = ""
            person.email = ""
            person.employee_number = f"anon-{person.pk.hex}"
            person.user = None
            person.anonymised_at = timezone.now()
            person.save()
            # The User holds the same name and e-mail, so it goes too unless someone still needs it.
            if user is not None and not user.is_platform_admin and not user.persons.exists():
                user.delete()
            audit_record(
                actor=None, action="person.anonymise", organisation=person.organisation, target=person
            )
        count += 1
    return count


class PanelMembersError(ValueError):
    """Employee numbers the organisation does not know, as (line number, text of the line)."""

    def __init__(self, unknown: list[tuple[int, str]]) -> None:
        super().__init__("Unknown employee numbers")
        self.unknown = unknown


def panel_numbers(text: str) -> list[tuple[int, str]]:
    """(line number, employee number) of each non-blank line, counted from 1."""
    return [(index, line.strip()) for index, line in enumerate(text.splitlines(), start=1) if line.strip()]


@transaction.atomic
def panel_save(
    *,
    actor: User | None,
    organisation: Organisation,
    name: str,
    numbers: str,
    panel: EmployeePanel | None = None,
) -> EmployeePanel:
    """Create or change a panel: its name and members, one employee number a line. Every unknown
    number (or an anonymised person's) is reported with its line and nothing is saved."""
    lines = panel_numbers(numbers)
    people = {
        person.employee_number: person
        for person in Person.objects.filter(
            organisation=organisation,
            anonymised_at__isnull=True,
            employee_number__in={number for _line, number in lines},
        )
    }
    unknown = [(line, number) for line, number in lines if number not in people]
    if unknown:
        raise PanelMembersError(unknown)
    action = "panel.update"
    if panel is None:
        panel = EmployeePanel(organisation=organisation)
        action = "panel.create"
    else:
        panel = EmployeePanel.objects.select_for_update().get(pk=panel.pk, organisation=organisation)
    panel.name = name
    panel.save()
    members = {person.pk: person for person in people.values()}
    panel.members.set(list(members.values()))
    # Ids and a count only: the audit log outlives retention, so no names or employee numbers.
    audit_record(
        actor=actor,
        action=action,
        organisation=organisation,
        target=panel,
        summary=name,
        data={"members": len(members)},
    )
    return panel


def employment_current(person: Person) -> Employment | None:
    today = timezone.localdate()
    return (
        person.employments.filter(
            Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gte=today))
        )
        .select_related("unit")
        .first()
    )
