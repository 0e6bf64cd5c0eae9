from datetime import timedelta

from puls.core.periodic import periodic_job_register
from puls.participation.tasks import outcome_announcements_run_due

# Outcome changes are announced to all invitees after a quiet period (settings); looking every five
# minutes keeps the delay close to it.
periodic_job_register(
    name="participation.outcome_announcements", task=outcome_announcements_run_due, every=timedelta(minutes=5)
)
