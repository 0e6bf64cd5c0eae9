"""Reminders: before an action's deadline, when it is overdue, when the next APV and the annual
working-environment discussion are due — each once per due date."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from puls.actions import reminders, services
from puls.actions.models import Action, ApvCycle, SentReminder
from puls.actions.tasks import reminders_run_due
from puls.actions.tests.conftest import make_action
from puls.core.periodic import periodic_jobs
from puls.testing import Personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the periodic job as the scheduler would, with its e-mail tasks."""

    def run_job() -> list[str]:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            reminders_run_due.call()
        return [message.to[0] for message in mail.outbox]

    return run_job


def today() -> date:
    return timezone.localdate()


def test_the_job_is_registered():
    assert periodic_jobs()["actions.reminders"].task == reminders_run_due


def test_owner_is_reminded_once_before_the_deadline(personas: Personas, run):
    make_action(personas, "210", owner=personas.leader_person, deadline=today() + timedelta(days=5))
    assert run() == ["leder@testby.test"]
    message = mail.outbox[0]
    assert "Faste mødetider" in message.subject
    assert "/o/testby/actions/" in message.body
    assert run() == []  # the next run sends nothing new


def test_no_reminder_long_before_the_deadline(personas: Personas, run):
    make_action(personas, "210", owner=personas.leader_person, deadline=today() + timedelta(days=30))
    assert run() == []


def test_overdue_action_reminds_owner_and_co_owner_once(personas: Personas, run):
    med = personas.med_rep.persons.get()  # type: ignore[attr-defined]
    make_action(
        personas, "310", owner=personas.employee_person, co_owner=med, deadline=today() - timedelta(days=1)
    )
    assert sorted(run()) == ["ansat@testby.test", "med@testby.test"]
    assert "Overdue" in mail.outbox[0].subject or "Forsinket" in mail.outbox[0].subject
    assert run() == []


def test_a_new_deadline_is_reminded_again(personas: Personas, run):
    action = make_action(personas, "210", owner=personas.leader_person, deadline=today() - timedelta(days=2))
    assert len(run()) == 1
    services.action_update(actor=None, action=action, deadline=today() - timedelta(days=1))
    assert len(run()) == 1
    assert SentReminder.objects.filter(subject_id=action.pk).count() == 2


def test_finished_actions_are_not_reminded(personas: Personas, run):
    make_action(
        personas,
        "210",
        owner=personas.leader_person,
        deadline=today() - timedelta(days=1),
        status=Action.Status.DONE,
    )
    assert run() == []


def test_action_without_owner_reminds_the_units_leader(personas: Personas, run):
    make_action(personas, "210", deadline=today() - timedelta(days=1))
    assert run() == ["leder@testby.test"]


def test_reminder_claimed_but_finished_before_sending_is_not_sent(personas: Personas):
    action = make_action(personas, "210", owner=personas.leader_person, deadline=today() - timedelta(days=1))
    (claimed,) = reminders.reminders_claim_due()
    services.follow_up_add(actor=None, action=action, text="Klaret", status=Action.Status.DONE)
    assert reminders.reminder_send(reminder_id=claimed.pk) == 0
    assert mail.outbox == []


def test_reminder_task_sends_once(personas: Personas):
    make_action(personas, "210", owner=personas.leader_person, deadline=today() - timedelta(days=1))
    (claimed,) = reminders.reminders_claim_due()
    assert reminders.reminder_send(reminder_id=claimed.pk) == 1
    assert reminders.reminder_send(reminder_id=claimed.pk) == 0
    assert len(mail.outbox) == 1


def _completed_apv(personas: Personas, unit_code: str, completed_on: date) -> ApvCycle:
    return ApvCycle.objects.create(
        organisation=personas.org,
        unit=personas.units[unit_code],
        title="APV",
        stage=ApvCycle.Stage.COMPLETED,
        started_on=completed_on - timedelta(days=90),
        completed_on=completed_on,
    )


def test_next_apv_due_reminds_leader_and_med_reps(personas: Personas, run):
    # Completed almost 3 years ago: due within the month.
    _completed_apv(personas, "310", today().replace(year=today().year - 3) + timedelta(days=10))
    # Mette (MED, 300) covers 310; 310 has no leader of its own and neither do 300 and 100.
    assert run() == ["med@testby.test"]
    assert "APV" in mail.outbox[0].subject
    assert run() == []


def test_apv_not_due_yet_or_in_progress_is_not_reminded(personas: Personas, run):
    _completed_apv(personas, "210", today() - timedelta(days=365))
    _completed_apv(personas, "310", today() - timedelta(days=4 * 365))
    services.apv_cycle_start(
        actor=None, organisation=personas.org, unit=personas.units["310"], title="APV 2027"
    )
    assert run() == []


def test_working_environment_discussion_due(personas: Personas, run):
    services.discussion_record(
        actor=None,
        organisation=personas.org,
        unit=personas.units["210"],
        held_on=today() - timedelta(days=360),
    )
    assert run() == ["leder@testby.test"]
    assert run() == []
