from datetime import timedelta

from puls.core.periodic import periodic_job_register
from puls.organisations.tasks import import_previews_discard, retention_run

periodic_job_register(name="organisations.retention", task=retention_run, every=timedelta(days=1))
periodic_job_register(
    name="organisations.import_previews_discard", task=import_previews_discard, every=timedelta(hours=1)
)
