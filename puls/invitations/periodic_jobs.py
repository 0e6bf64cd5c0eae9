from datetime import timedelta

from puls.core.periodic import periodic_job_register
from puls.invitations.tasks import ballots_run_due

# Sends invitations of ballots that opened, queues due reminders, shuffles, counts, closes.
periodic_job_register(name="invitations.ballots", task=ballots_run_due, every=timedelta(minutes=15))
