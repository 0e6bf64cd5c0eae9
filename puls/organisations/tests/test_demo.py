"""`manage.py load_demo` and `manage.py demo_logins`: the demo municipality `make run` shows."""

import re
from collections import Counter
from collections.abc import Iterator
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone, translation

from puls.core.models import AuditEntry, User
from puls.organisations.demo.structure import DEMO_LOGINS, DEMO_PASSWORD
from puls.organisations.models import Employment, Organisation, Person, Role, RoleAssignment, Unit
from puls.organisations.scoping import access_build
from puls.testing import data_for_module, settings_for_tests

pytestmark = pytest.mark.django_db

CARE_AND_CLEANING = {"Social- og sundhedshjælper", "Social- og sundhedsassistent", "Rengøringsassistent"}


def run_command(name: str, *args: str) -> str:
    """Run a management command in English (the source language) and return what it printed."""
    out = StringIO()
    with translation.override("en"):
        call_command(name, *args, stdout=out)
    return out.getvalue()


def load_demo(*args: str) -> str:
    # The surveys demo has its own tests (puls/surveys/tests/test_demo.py); leaving it out keeps these fast.
    return run_command("load_demo", "--without-surveys", *args)


@pytest.fixture(scope="module")
def _module_demo(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[None]:
    """The demo, loaded once for the module's tests (the one that loads it again and resets it does
    so in its own savepoint). The tests of the command without a demo are in test_demo_not_loaded.py."""
    with data_for_module(django_db_blocker):
        with override_settings(DEBUG=True, **settings_for_tests(tmp_path_factory.mktemp("demo-media"))):
            load_demo()
        yield


@pytest.fixture
def demo(_module_demo, settings) -> Organisation:
    settings.DEBUG = True  # as under `make run`
    return Organisation.objects.get(slug="demo")


def row_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Organisation, Unit, Person, Employment, RoleAssignment, User)
    }


def test_demo_is_a_danish_municipality_of_about_2000_people_in_60_units(demo):
    units = list(Unit.objects.filter(organisation=demo))
    people = list(Person.objects.filter(organisation=demo))
    employments = list(Employment.objects.filter(person__organisation=demo).select_related("unit"))

    assert demo.name == "Demo Kommune"
    assert 50 <= len(units) <= 70
    assert 1800 <= len(people) <= 2200
    assert len(employments) == len(people)
    administrations = {unit.name for unit in units if unit.depth == 1}
    assert {
        "Børne- og Ungeforvaltningen",
        "Social- og Sundhedsforvaltningen",
        "Teknik og Miljø",
    } <= administrations
    names = {unit.name for unit in units}
    assert any(name.startswith("Plejecenter") for name in names)
    assert any(name.startswith("Hjemmepleje Distrikt") for name in names)
    assert any(name.endswith("skolen") for name in names)
    assert any(name.startswith(("Børnehuset", "Daginstitution")) for name in names)

    # The materialised path of every unit continues its parent's, so subtree queries hold.
    by_id = {unit.pk: unit for unit in units}
    for unit in units:
        expected_prefix = by_id[unit.parent_id].path if unit.parent_id else ""
        assert unit.path == f"{expected_prefix}{unit.pk.hex}/"
    root = next(unit for unit in units if unit.parent_id is None)
    assert Unit.objects.filter(organisation=demo).within([root]).count() == len(units)

    job_groups = Counter(employment.job_group for employment in employments)
    for job_group in ("Pædagog", "Pædagogmedhjælper", "Lærer", "Social- og sundhedshjælper",
                      "Social- og sundhedsassistent", "Sygeplejerske", "Rengøringsassistent",
                      "Administrativ medarbejder", "Leder", "Ingeniør"):  # fmt: skip
        assert job_groups[job_group] > 0, job_group

    today = timezone.localdate()
    assert all(1960 <= employment.birth_year <= 2004 for employment in employments)  # type: ignore[operator]
    start_dates = [employment.start_date for employment in employments]
    assert max(start_dates) < today
    assert min(start_dates) >= date(today.year - 26, 1, 1)
    assert (max(start_dates) - min(start_dates)).days > 20 * 365
    assert all(employment.end_date is None for employment in employments)


def test_about_a_quarter_have_no_email_mostly_care_and_cleaning_staff(demo):
    employments = list(Employment.objects.filter(person__organisation=demo).select_related("person"))
    without = [employment for employment in employments if not employment.person.email]
    assert 0.18 <= len(without) / len(employments) <= 0.32

    care = [employment for employment in employments if employment.job_group in CARE_AND_CLEANING]
    care_without_share = sum(1 for employment in care if not employment.person.email) / len(care)
    teachers = [employment for employment in employments if employment.job_group == "Lærer"]
    teacher_without_share = sum(1 for employment in teachers if not employment.person.email) / len(teachers)
    assert care_without_share > 0.4 > teacher_without_share

    emails = [employment.person.email for employment in employments if employment.person.email]
    assert len(emails) == len(set(emails))
    role_addresses = {login.email for login in DEMO_LOGINS}
    for email in emails:
        assert email in role_addresses or re.fullmatch(r"[a-z-]+\.[a-z-]+\d*@demo\.puls\.test", email), email


def test_every_unit_has_an_imported_leader_of_its_own_subtree(demo):
    units = Unit.objects.filter(organisation=demo)
    leader_roles = RoleAssignment.objects.filter(organisation=demo, role=Role.UNIT_LEADER).prefetch_related(
        "units"
    )
    led_units = Counter(unit.pk for assignment in leader_roles for unit in assignment.units.all())

    assert set(led_units) == {unit.pk for unit in units}
    assert set(led_units.values()) == {1}
    assert all(assignment.from_import for assignment in leader_roles)
    for assignment in leader_roles:
        assert assignment.person.employments.get().unit in assignment.units.all()


def test_each_demo_login_logs_in_with_the_published_password(demo):
    nabo = Organisation.objects.get(slug="nabo")
    for login in DEMO_LOGINS:
        client = Client()
        response = client.post(reverse("core:login"), {"username": login.email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, login.email
        assert client.session.get("_auth_user_id"), login.email

    def access(email: str, organisation: Organisation):  # type: ignore[no-untyped-def]
        return access_build(user=User.objects.get(email=email), organisation=organisation)

    assert access("hr@demo.puls.test", demo).is_org_admin
    leader = access("leder@demo.puls.test", demo)
    assert leader.is_leader
    assert not leader.is_org_admin
    assert [unit.name for unit in leader.scope_roots] == ["Nordskolen"]
    med = access("med@demo.puls.test", demo)
    assert med.is_med_rep
    assert [unit.name for unit in med.scope_roots] == ["Social- og Sundhedsforvaltningen"]
    facilitator = access("facilitator@demo.puls.test", demo)
    assert facilitator.is_facilitator
    assert not facilitator.is_org_admin
    employee = access("medarbejder@demo.puls.test", demo)
    assert employee.roles == {}
    assert employee.person is not None
    assert User.objects.get(email="platform@puls.test").is_platform_admin
    assert not Person.objects.filter(email="platform@puls.test").exists()

    # The neighbour's HR administrator sees only Nabo Kommune.
    assert access("hr@nabo.puls.test", nabo).is_org_admin
    assert access("hr@nabo.puls.test", demo) is None
    client = Client()
    client.post(reverse("core:login"), {"username": "hr@nabo.puls.test", "password": DEMO_PASSWORD})
    assert client.get(reverse("organisations:dashboard", kwargs={"org_slug": "demo"})).status_code == 404


def test_nabo_kommune_is_a_small_separate_organisation(demo):
    nabo = Organisation.objects.get(slug="nabo")
    assert nabo.name == "Nabo Kommune"
    assert Unit.objects.filter(organisation=nabo).count() == 4
    assert 25 <= Person.objects.filter(organisation=nabo).count() <= 40
    assert not Employment.objects.filter(person__organisation=nabo, unit__organisation=demo).exists()
    assert not Person.objects.filter(organisation=nabo, email__endswith="@demo.puls.test").exists()


def test_demo_logins_prints_every_login_and_the_address(demo):
    text = run_command("demo_logins")
    assert "http://127.0.0.1:8000" in text
    assert DEMO_PASSWORD in text
    for login in DEMO_LOGINS:
        assert login.email in text
    leader = Person.objects.get(email="leder@demo.puls.test")
    assert leader.full_name in text


def test_loading_again_adds_nothing_and_reset_recreates_the_same_demo(demo):
    before = row_counts()
    people_before = set(Person.objects.filter(organisation=demo).values_list("employee_number", "first_name"))
    audit_before = AuditEntry.objects.filter(organisation=demo).count()

    assert "already exists" in load_demo()
    assert row_counts() == before

    load_demo("--reset")
    assert row_counts() == before
    assert Organisation.objects.get(slug="demo").pk == demo.pk
    people_after = set(Person.objects.filter(organisation=demo).values_list("employee_number", "first_name"))
    assert people_after == people_before  # the same seed gives the same people
    # The append-only audit log survives the reset.
    assert AuditEntry.objects.filter(organisation=demo).count() > audit_before
    client = Client()
    client.post(reverse("core:login"), {"username": "hr@demo.puls.test", "password": DEMO_PASSWORD})
    assert client.session.get("_auth_user_id")
