"""Retention (DESIGN §7 item 20): the retention job deletes what the policy says, when it says."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from puls.core.audit import audit_record
from puls.core.models import AuditEntry, User
from puls.core.tasks import prune_finished_task_results
from puls.organisations import services
from puls.organisations.models import Employment, Person, Role, RoleAssignment
from puls.organisations.scoping import access_build
from puls.organisations.tasks import retention_run
from puls.testing import Personas

TODAY = date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _retention_policy(settings):
    settings.RETENTION_PERSON_MONTHS = 24
    settings.RETENTION_TASK_RESULT_DAYS = 30


def months_before(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return day.replace(year=year, month=month + 1)


def leaver(personas: Personas, number: str, *end_dates: date | None, email: str = "") -> Person:
    """A person in Skole A with one employment per end date (None: still employed)."""
    person = Person.objects.create(
        organisation=personas.org, employee_number=number, first_name="Lone", last_name="Larsen", email=email
    )
    for index, end_date in enumerate(end_dates):
        Employment.objects.create(
            person=person,
            unit=personas.units["210"],
            job_group="Lærer",
            start_date=date(2010 + index, 1, 1),
            end_date=end_date,
            birth_year=1975,
        )
    return person


def test_person_whose_employments_all_ended_long_ago_is_anonymised(personas):
    person = leaver(
        personas, "7001", months_before(TODAY, 30), months_before(TODAY, 25), email="lone.larsen@testby.test"
    )
    user = services.user_for_person(person=person)
    services.role_assign(actor=None, person=person, role=Role.UNIT_LEADER, units=[personas.units["210"]])
    audit_record(actor=user, action="unit.rename", organisation=personas.org, summary="an action of theirs")

    assert services.people_anonymise_expired(now_date=TODAY) == 1

    person.refresh_from_db()
    assert (person.first_name, person.last_name, person.email) == ("", "", "")
    assert person.employee_number == f"anon-{person.pk.hex}"
    assert person.user is None
    assert person.anonymised_at is not None
    assert not RoleAssignment.objects.filter(person=person).exists()
    assert not User.objects.filter(pk=user.pk).exists()
    assert not User.objects.filter(email="lone.larsen@testby.test").exists()
    # Employments stay, so historical counts by unit, job group and dates still add up.
    employments = list(person.employments.order_by("start_date"))
    assert [(e.unit, e.job_group, e.birth_year) for e in employments] == [
        (personas.units["210"], "Lærer", 1975)
    ] * 2
    assert employments[1].end_date == months_before(TODAY, 25)
    # Their audit entries stay too, without the login.
    entry = AuditEntry.objects.get(action="unit.rename")
    assert entry.actor is None
    assert AuditEntry.objects.filter(action="person.anonymise", target_id=str(person.pk)).exists()


def test_recent_leavers_and_current_staff_are_untouched(personas):
    recent = leaver(personas, "7002", months_before(TODAY, 23))
    still_employed = leaver(personas, "7003", months_before(TODAY, 60), None)
    came_back_and_left = leaver(personas, "7004", months_before(TODAY, 60), months_before(TODAY, 3))
    starts_later = leaver(personas, "7005", months_before(TODAY, 60))
    Employment.objects.create(
        person=starts_later, unit=personas.units["220"], start_date=TODAY + timedelta(days=30)
    )
    # e.g. a new organisation's first HR administrator, created before any import
    never_employed = Person.objects.create(
        organisation=personas.org, employee_number="7009", first_name="Lone", last_name="Larsen"
    )
    everyone_before = dict(Person.objects.values_list("pk", "employee_number"))

    assert services.people_anonymise_expired(now_date=TODAY) == 0

    assert dict(Person.objects.values_list("pk", "employee_number")) == everyone_before
    for person in (recent, still_employed, came_back_and_left, starts_later, never_employed):
        person.refresh_from_db()
        assert person.anonymised_at is None
        assert person.last_name == "Larsen"


def test_the_same_leaver_is_anonymised_once_the_period_has_passed(personas):
    ended = months_before(TODAY, 20)
    person = leaver(personas, "7006", ended)

    assert services.people_anonymise_expired(now_date=TODAY) == 0
    assert services.people_anonymise_expired(now_date=months_before(TODAY, -5)) == 1
    person.refresh_from_db()
    assert person.anonymised_at is not None
    assert services.people_anonymise_expired(now_date=months_before(TODAY, -6)) == 0


def test_a_login_shared_with_another_organisation_is_kept(personas):
    person = leaver(personas, "7007", months_before(TODAY, 30), email="otto@andenby.test")
    person.user = personas.outsider
    person.save()

    assert services.people_anonymise_expired(now_date=TODAY) == 1

    person.refresh_from_db()
    assert person.user is None
    outsider_access = access_build(user=personas.outsider, organisation=personas.other_org)
    assert outsider_access is not None
    assert outsider_access.is_org_admin
    assert access_build(user=personas.outsider, organisation=personas.org) is None


def test_retention_task_anonymises_and_reports_how_many(personas):
    leaver(personas, "7008", timezone.localdate() - timedelta(days=800))

    result = retention_run.enqueue()

    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == {"anonymised": 1}
    assert Person.objects.filter(anonymised_at__isnull=False).count() == 1


def task_row(*, status: str, finished_days_ago: int | None) -> DBTaskResult:
    now = timezone.now()
    finished_at = None if finished_days_ago is None else now - timedelta(days=finished_days_ago)
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="puls.organisations.tasks.retention_run",
        backend_name="default",
        run_after=now - timedelta(days=60),
        started_at=finished_at,
        finished_at=finished_at,
    )


@pytest.mark.django_db
def test_finished_task_rows_older_than_the_retention_period_are_pruned():
    old_success = task_row(status=TaskResultStatus.SUCCESSFUL, finished_days_ago=31)
    old_failure = task_row(status=TaskResultStatus.FAILED, finished_days_ago=45)
    recent = task_row(status=TaskResultStatus.SUCCESSFUL, finished_days_ago=29)
    waiting = task_row(status=TaskResultStatus.READY, finished_days_ago=None)

    result = prune_finished_task_results.enqueue()

    assert result.return_value == 2
    remaining = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert remaining == {recent.pk, waiting.pk}
    assert old_success.pk not in remaining
    assert old_failure.pk not in remaining
