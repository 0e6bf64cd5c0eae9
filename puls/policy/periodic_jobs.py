from datetime import timedelta

from puls.core.periodic import periodic_job_register
from puls.policy.tasks import report_reminders_send

periodic_job_register(name="policy.report_reminders", task=report_reminders_send, every=timedelta(days=1))
