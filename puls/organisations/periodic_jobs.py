from datetime import timedelta

from puls.core.periodic import periodic_job_register
from puls.organisations.tasks import retention_run

periodic_job_register(name="organisations.retention", task=retention_run, every=timedelta(days=1))
