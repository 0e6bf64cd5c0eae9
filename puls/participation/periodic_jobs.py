from datetime import timedelta

from puls.core.periodic import periodic_job_register
from puls.participation.tasks import outcome_announcements_run_due, round_exports_prune_task

# Outcome changes are announced to all invitees after a quiet period (settings); looking every five
# minutes keeps the delay close to it.
periodic_job_register(
    name="participation.outcome_announcements", task=outcome_announcements_run_due, every=timedelta(minutes=5)
)

# Round PDFs are kept as rows for a day (DESIGN §8); this deletes the older ones.
periodic_job_register(
    name="participation.round_exports_prune", task=round_exports_prune_task, every=timedelta(hours=1)
)
