"""Background work of the organisations app."""

from django_tasks import task

from puls.organisations import services
from puls.organisations.imports.services import import_jobs_discard_stale


@task()
def retention_run() -> dict[str, int]:
    """Anonymise people whose employment ended longer ago than the retention period."""
    return {"anonymised": services.people_anonymise_expired()}


@task()
def import_previews_discard() -> dict[str, int]:
    """Discard import previews (and their files) that were never applied or cancelled."""
    return {"discarded": import_jobs_discard_stale()}
