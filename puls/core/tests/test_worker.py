"""The one test that runs the real task worker (DESIGN §2.2); every other test runs tasks at once.

The worker runs in-process with `--batch` (exit when the queue is empty) against the test
database, with the django-tasks database backend that `make run` and production use.
"""

import signal
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from puls.core.periodic import periodic_jobs
from puls.organisations import services
from puls.organisations.models import Employment, Person

WORKER_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)


@pytest.fixture
def database_task_backend(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def restore_signal_handlers():
    """The worker installs its own shutdown handlers; give pytest its own back afterwards."""
    saved = {signum: signal.getsignal(signum) for signum in WORKER_SIGNALS}
    yield
    for signum, handler in saved.items():
        signal.signal(signum, handler)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("database_task_backend", "restore_signal_handlers")
def test_scheduler_enqueues_and_the_real_worker_runs_the_periodic_jobs():
    organisation = services.organisation_create(actor=None, name="Workerby Kommune", slug="workerby")
    unit = services.unit_create(organisation=organisation, code="1", name="Rådhuset")
    leaver = Person.objects.create(
        organisation=organisation,
        employee_number="1",
        first_name="Lis",
        last_name="Lund",
        email="lis@workerby.test",
    )
    Employment.objects.create(
        person=leaver,
        unit=unit,
        start_date=date(2010, 1, 1),
        end_date=timezone.localdate() - timedelta(days=900),
    )
    long_finished = DBTaskResult.objects.create(
        status=TaskResultStatus.SUCCESSFUL,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="puls.core.tasks.prune_finished_task_results",
        backend_name="default",
        run_after=timezone.now() - timedelta(days=90),
        finished_at=timezone.now() - timedelta(days=90),
    )

    call_command("run_scheduler", "--once", stdout=StringIO())
    enqueued = {row.task_path: row for row in DBTaskResult.objects.filter(status=TaskResultStatus.READY)}
    assert {job.task.module_path for job in periodic_jobs().values()} == set(enqueued)
    assert {"puls.organisations.tasks.retention_run", "puls.core.tasks.prune_finished_task_results"} <= set(
        enqueued
    )

    call_command(
        "db_worker", batch=True, startup_delay=False, reload=False, interval=0, verbosity=0, stdout=StringIO()
    )

    retention = DBTaskResult.objects.get(pk=enqueued["puls.organisations.tasks.retention_run"].pk)
    prune = DBTaskResult.objects.get(pk=enqueued["puls.core.tasks.prune_finished_task_results"].pk)
    assert retention.status == TaskResultStatus.SUCCESSFUL, retention.traceback
    assert retention.return_value == {"anonymised": 1}
    assert prune.status == TaskResultStatus.SUCCESSFUL, prune.traceback
    assert prune.return_value == 1
    assert not DBTaskResult.objects.filter(pk=long_finished.pk).exists()
    leaver.refresh_from_db()
    assert leaver.anonymised_at is not None
    assert leaver.email == ""
