from datetime import timedelta

from puls.actions.tasks import reminders_run_due
from puls.core.periodic import periodic_job_register

# Reminders go out once per due date; looking hourly keeps them timely without sending twice.
periodic_job_register(name="actions.reminders", task=reminders_run_due, every=timedelta(hours=1))
