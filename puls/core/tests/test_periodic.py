"""The one mechanism for periodic work: `run_scheduler` enqueues due jobs (see core/periodic.py)."""

import logging
import os
import signal
import threading
from datetime import datetime, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from puls.core import periodic
from puls.core.models import PeriodicRun
from puls.core.periodic import PeriodicJob, periodic_jobs, periodic_jobs_enqueue_due
from puls.core.tasks import prune_finished_task_results
from puls.organisations.tasks import retention_run

DB_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
T0 = datetime(2026, 3, 2, 3, 0, tzinfo=timezone.get_fixed_timezone(60))


class CountingTask:
    """Stands in for a django-tasks Task: counts how often the scheduler enqueues it."""

    def __init__(self) -> None:
        self.enqueued = 0
        self._lock = threading.Lock()

    def enqueue(self) -> None:
        with self._lock:
            self.enqueued += 1


@pytest.fixture
def jobs(monkeypatch) -> dict[str, CountingTask]:
    tasks = {"hourly": CountingTask(), "ten_minutes": CountingTask()}
    monkeypatch.setattr(
        periodic,
        "_jobs",
        {
            "hourly": PeriodicJob(name="hourly", task=tasks["hourly"], every=timedelta(hours=1)),
            "ten_minutes": PeriodicJob(
                name="ten_minutes", task=tasks["ten_minutes"], every=timedelta(minutes=10)
            ),
        },
    )
    return tasks


def test_retention_and_task_pruning_are_registered_daily():
    registered = periodic_jobs()
    assert registered["organisations.retention"].task is retention_run
    assert registered["core.prune_task_results"].task is prune_finished_task_results
    assert registered["organisations.retention"].every == timedelta(days=1)
    assert registered["core.prune_task_results"].every == timedelta(days=1)


@pytest.mark.django_db
def test_each_job_is_enqueued_once_per_interval(jobs, django_capture_on_commit_callbacks):
    def enqueue_at(minutes: int) -> list[str]:
        with django_capture_on_commit_callbacks(execute=True):
            return sorted(periodic_jobs_enqueue_due(now=T0 + timedelta(minutes=minutes)))

    assert enqueue_at(0) == ["hourly", "ten_minutes"]
    assert enqueue_at(0) == []  # a second scheduler in the same minute enqueues nothing
    assert enqueue_at(5) == []
    assert enqueue_at(10) == ["ten_minutes"]
    assert enqueue_at(19) == []
    assert enqueue_at(20) == ["ten_minutes"]
    assert enqueue_at(59) == ["ten_minutes"]
    assert enqueue_at(60) == ["hourly"]

    assert jobs["hourly"].enqueued == 2
    assert jobs["ten_minutes"].enqueued == 4
    assert PeriodicRun.objects.get(name="hourly").last_enqueued_at == T0 + timedelta(minutes=60)


@pytest.mark.django_db
def test_jobs_are_enqueued_only_once_the_run_rows_commit(jobs, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert len(periodic_jobs_enqueue_due(now=T0)) == 2
    assert len(callbacks) == 2
    assert jobs["hourly"].enqueued == jobs["ten_minutes"].enqueued == 0


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks across connections need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_schedulers_on_several_servers_enqueue_each_job_once(jobs):
    start = threading.Barrier(4)

    def scheduler() -> None:
        try:
            start.wait()
            periodic_jobs_enqueue_due(now=T0)
        finally:
            connection.close()

    threads = [threading.Thread(target=scheduler) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert jobs["hourly"].enqueued == 1
    assert jobs["ten_minutes"].enqueued == 1


@pytest.mark.django_db
def test_run_scheduler_once_enqueues_the_due_tasks_for_the_worker(
    settings, django_capture_on_commit_callbacks, caplog
):
    settings.TASKS = DB_BACKEND
    caplog.set_level(logging.INFO, logger="puls.scheduler")

    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_scheduler", "--once", stdout=StringIO())

    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    expected = {job.task.module_path for job in periodic_jobs().values()}
    assert set(waiting.values_list("task_path", flat=True)) == expected
    assert "puls.organisations.tasks.retention_run" in expected
    assert "organisations.retention" in caplog.text

    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_scheduler", "--once", stdout=StringIO())
    assert DBTaskResult.objects.count() == len(expected)


@pytest.mark.django_db(transaction=True)
def test_run_scheduler_loops_until_sigterm_then_stops_cleanly(monkeypatch):
    passes = CountingTask()
    monkeypatch.setattr(
        periodic, "_jobs", {"often": PeriodicJob(name="often", task=passes, every=timedelta(0))}
    )
    received_outside: list[int] = []

    def outside_handler(signum: int, frame: Any) -> None:
        received_outside.append(signum)

    previous = signal.signal(signal.SIGTERM, outside_handler)
    try:

        def terminate_after_a_few_passes() -> None:
            deadline = timezone.now() + timedelta(seconds=10)
            while passes.enqueued < 3 and timezone.now() < deadline:
                threading.Event().wait(0.02)
            os.kill(os.getpid(), signal.SIGTERM)

        killer = threading.Thread(target=terminate_after_a_few_passes)
        killer.start()
        call_command("run_scheduler", "--interval", "0.05", stdout=StringIO())
        killer.join()

        assert passes.enqueued >= 3
        assert received_outside == []  # the command, not the fallback, handled the signal
        assert signal.getsignal(signal.SIGTERM) is outside_handler  # and restored what was there
    finally:
        signal.signal(signal.SIGTERM, previous)
