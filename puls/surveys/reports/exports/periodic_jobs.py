from datetime import timedelta

from puls.core.periodic import periodic_job_register
from puls.surveys.reports.exports.tasks import report_exports_prune_task

# Exports are kept as rows for a day (DESIGN §8); this deletes the older ones.
periodic_job_register(
    name="surveys.report_exports_prune", task=report_exports_prune_task, every=timedelta(hours=1)
)
