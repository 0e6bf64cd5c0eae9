from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult


@task()
def prune_finished_task_results() -> int:
    """Delete finished task rows older than the retention period; returns how many were deleted."""
    cutoff = timezone.now() - timedelta(days=settings.RETENTION_TASK_RESULT_DAYS)
    deleted, _ = DBTaskResult.objects.filter(finished_at__lt=cutoff).delete()
    return deleted
