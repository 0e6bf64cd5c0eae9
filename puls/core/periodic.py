"""The one mechanism for periodic work (DESIGN §2.2): a scheduler command enqueues due tasks.

Apps register jobs here; `manage.py run_scheduler` wakes every minute and, for each job whose
interval has passed, locks its PeriodicRun row and enqueues the task on django-tasks, so several
schedulers on several servers enqueue each job once. The worker (`manage.py db_worker`) runs them.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from puls.core.models import PeriodicRun


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: Any  # a django_tasks Task
    every: timedelta


_jobs: dict[str, PeriodicJob] = {}


def periodic_job_register(*, name: str, task: Any, every: timedelta) -> None:
    _jobs[name] = PeriodicJob(name=name, task=task, every=every)


def periodic_jobs() -> dict[str, PeriodicJob]:
    return dict(_jobs)


def periodic_jobs_enqueue_due(*, now: datetime | None = None) -> list[str]:
    """Enqueue every job whose interval has passed; returns the names enqueued."""
    now = now or timezone.now()
    enqueued = []
    for job in _jobs.values():
        with transaction.atomic():
            PeriodicRun.objects.get_or_create(name=job.name)
            run = PeriodicRun.objects.select_for_update().get(name=job.name)
            if run.last_enqueued_at is not None and run.last_enqueued_at + job.every > now:
                continue
            run.last_enqueued_at = now
            run.save(update_fields=["last_enqueued_at"])
            transaction.on_commit(job.task.enqueue)
            enqueued.append(job.name)
    return enqueued
