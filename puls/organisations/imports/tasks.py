"""Background work for large imports. Arguments are ids only; the job row carries the rest."""

from django_tasks import task

from puls.organisations.imports import services


@task()
def import_job_preview_task(job_id: str) -> None:
    services.import_job_preview(job_id=job_id)


@task()
def import_job_apply_task(job_id: str, actor_id: str) -> None:
    services.import_job_apply(job_id=job_id, actor_id=actor_id)
