"""Builds the demo organisations from `structure.py`, locally and deterministically.

The same seed gives the same people on every machine; only the dates move with today, so the
seniority and age bands stay realistic whenever the demo is loaded.
"""

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.db.models import CASCADE
from django.utils import timezone

from puls.core.models import User
from puls.organisations import services
from puls.organisations.demo.names import FEMALE_FIRST_NAMES, LAST_NAMES, MALE_FIRST_NAMES
from puls.organisations.demo.structure import (
    DEMO_LOGINS,
    DEMO_PASSWORD,
    DEMO_SLUG,
    DEMO_TREE,
    JOB_GROUPS,
    LEADER,
    NEIGHBOUR_SLUG,
    NEIGHBOUR_TREE,
    STAFFING,
    UnitSpec,
)
from puls.organisations.models import Employment, Organisation, Person, Role, Unit

SEED = 2026
OLDEST_BIRTH_YEAR = 1960
YOUNGEST_BIRTH_YEAR = 2004
SENIORITY_YEARS = 25


@dataclass(frozen=True)
class DemoOrganisation:
    slug: str
    name: str
    tree: UnitSpec
    email_domain: str
    first_employee_number: int


DEMO_ORGANISATIONS = [
    DemoOrganisation(DEMO_SLUG, "Demo Kommune", DEMO_TREE, "demo.puls.test", 100001),
    DemoOrganisation(NEIGHBOUR_SLUG, "Nabo Kommune", NEIGHBOUR_TREE, "nabo.puls.test", 500001),
]


@dataclass
class OrganisationSummary:
    name: str
    units: int = 0
    people: int = 0
    without_email: int = 0
    leaders: int = 0


@dataclass
class DemoSummary:
    organisations: list[OrganisationSummary] = field(default_factory=list)
    logins: int = 0


def demo_exists() -> bool:
    return Organisation.objects.filter(slug=DEMO_SLUG).exists()


@transaction.atomic
def demo_load(*, reset: bool = False) -> DemoSummary:
    """Create (or with reset, recreate) the demo organisations and their logins."""
    # Demo data must be reproducible, not secret.
    rng = random.Random(SEED)  # noqa: S311  # nosec B311
    today = timezone.localdate()
    summary = DemoSummary()
    people_by_slug: dict[str, _GeneratedOrganisation] = {}
    for spec in DEMO_ORGANISATIONS:
        organisation = Organisation.objects.filter(slug=spec.slug).first()
        if organisation is not None:
            if not reset:
                continue
            _organisation_clear(organisation)
        else:
            organisation = services.organisation_create(actor=None, name=spec.name, slug=spec.slug)
        generated = _GeneratedOrganisation(organisation, spec, rng, today)
        generated.build()
        people_by_slug[spec.slug] = generated
        summary.organisations.append(generated.summary)
    summary.logins = _logins_create(people_by_slug)
    return summary


def _organisation_clear(organisation: Organisation) -> None:
    """Delete everything the organisation holds except the organisation row and its audit log.

    The audit log is append-only and protects the organisation row, so a reset keeps both and
    refills the organisation. Every model that cascades from Organisation is emptied, so apps
    added later are cleared too; units go last because employments and other rows protect them.
    """
    for relation in Organisation._meta.related_objects:
        model = relation.related_model
        if relation.on_delete is CASCADE and isinstance(model, type) and model is not Unit:
            model._base_manager.filter(**{relation.field.name: organisation}).delete()
    units = Unit.objects.filter(organisation=organisation)
    units.update(parent=None)
    units.delete()


class _GeneratedOrganisation:
    def __init__(self, organisation: Organisation, spec: DemoOrganisation, rng: random.Random, today: date):
        self.organisation = organisation
        self.spec = spec
        self.rng = rng
        self.today = today
        self.units: dict[str, Unit] = {}
        self.people_by_unit: dict[str, list[tuple[Person, str]]] = {}
        self.leaders: list[tuple[Person, Unit]] = []
        self.employments: list[Employment] = []
        self.used_emails: set[str] = set()
        self.next_number = spec.first_employee_number
        self.summary = OrganisationSummary(name=spec.name)

    def build(self) -> None:
        self._unit_create(self.spec.tree, parent=None)
        people = [person for staff in self.people_by_unit.values() for person, _job in staff]
        Person.objects.bulk_create(people, batch_size=500)
        Employment.objects.bulk_create(self.employments, batch_size=500)
        for leader, unit in self.leaders:
            services.role_assign(
                actor=None, person=leader, role=Role.UNIT_LEADER, units=[unit], from_import=True
            )
        self.summary.units = len(self.units)
        self.summary.people = len(people)
        self.summary.without_email = sum(1 for person in people if not person.email)
        self.summary.leaders = len(self.leaders)

    def _unit_create(self, spec: UnitSpec, parent: Unit | None) -> None:
        unit = services.unit_create(
            organisation=self.organisation, code=spec.code, name=spec.name, parent=parent
        )
        self.units[spec.code] = unit
        staffing = STAFFING[spec.staffing]
        leader = self._person_create(unit, LEADER)
        self.leaders.append((leader, unit))
        staff = [(leader, LEADER)]
        job_groups = list(staffing.job_groups)
        weights = list(staffing.job_groups.values())
        for _ in range(self.rng.randint(*staffing.headcount)):
            job_group = self.rng.choices(job_groups, weights)[0]
            staff.append((self._person_create(unit, job_group), job_group))
        self.people_by_unit[spec.code] = staff
        for child in spec.children:
            self._unit_create(child, parent=unit)

    def _person_create(self, unit: Unit, job_group: str) -> Person:
        profile = JOB_GROUPS[job_group]
        names = FEMALE_FIRST_NAMES if self.rng.random() < profile.female_share else MALE_FIRST_NAMES
        first_name = _weighted_choice(self.rng, names)
        last_name = _weighted_choice(self.rng, LAST_NAMES)
        if self.rng.random() < 0.12:  # a double surname, e.g. "Holm Nielsen"
            last_name = f"{_weighted_choice(self.rng, LAST_NAMES)} {last_name}"
        has_email = self.rng.random() >= profile.without_email_share
        person = Person(
            organisation=self.organisation,
            employee_number=str(self.next_number),
            first_name=first_name,
            last_name=last_name,
            email=self._email_for(first_name, last_name) if has_email else "",
        )
        self.next_number += 1
        birth_year = self.rng.randint(OLDEST_BIRTH_YEAR, 1990 if job_group == LEADER else YOUNGEST_BIRTH_YEAR)
        self.employments.append(
            Employment(
                person=person,
                unit=unit,
                job_group=job_group,
                start_date=self._start_date(birth_year),
                birth_year=birth_year,
            )
        )
        return person

    def _start_date(self, birth_year: int) -> date:
        earliest = max(self.today - timedelta(days=365 * SENIORITY_YEARS), date(birth_year + 19, 8, 1))
        latest = self.today - timedelta(days=30)
        # Weighted towards recent years: staff turn over, so short seniority is the most common.
        share_of_span = self.rng.random() ** 1.4
        return latest - timedelta(days=round((latest - earliest).days * share_of_span))

    def _email_for(self, first_name: str, last_name: str) -> str:
        local = f"{_ascii_slug(first_name)}.{_ascii_slug(last_name.split()[-1])}"
        candidate, number = local, 1
        while candidate in self.used_emails:
            number += 1
            candidate = f"{local}{number}"
        self.used_emails.add(candidate)
        return f"{candidate}@{self.spec.email_domain}"


def _logins_create(generated: dict[str, _GeneratedOrganisation]) -> int:
    """Give the demo login persons their e-mail, User, password and role; returns how many."""
    count = 0
    taken: set[Person] = set()
    for login in DEMO_LOGINS:
        if login.organisation_slug is None:
            _platform_admin_ensure(login.email)
            count += 1
            continue
        organisation = generated.get(login.organisation_slug)
        if organisation is None:
            continue
        person = next(
            (
                person
                for person, job_group in organisation.people_by_unit[login.unit_code]
                if job_group == login.job_group and person not in taken
            ),
            None,
        )
        if person is None:
            raise RuntimeError(
                f"The demo has no free {login.job_group} in unit {login.unit_code} for {login.email}"
            )
        taken.add(person)
        person.email = login.email
        person.save(update_fields=["email"])
        user = services.user_for_person(person=person)
        user.full_name = person.full_name
        user.is_active = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        if login.role is not None:
            units = [organisation.units[code] for code in login.role_unit_codes]
            services.role_assign(actor=None, person=person, role=login.role, units=units)
        count += 1
    return count


def _platform_admin_ensure(email: str) -> None:
    user = User.objects.filter(email=email).first() or User(email=email)
    user.full_name = "Platform Admin"
    user.is_platform_admin = True
    user.is_active = True
    user.set_password(DEMO_PASSWORD)
    user.save()


def _weighted_choice(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    names = [name for name, _weight in weighted]
    weights = [weight for _name, weight in weighted]
    return rng.choices(names, weights)[0]


_DANISH_LETTERS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})


def _ascii_slug(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name.lower().translate(_DANISH_LETTERS))
    return "".join(char for char in folded if char.isascii() and (char.isalnum() or char == "-"))
