"""Background work of the organisations app."""

from django_tasks import task

from puls.organisations import services


@task()
def retention_run() -> dict[str, int]:
    """Anonymise people whose employment ended longer ago than the retention period."""
    return {"anonymised": services.people_anonymise_expired()}
