from datetime import timedelta

from puls.core.periodic import periodic_job_register
from puls.core.tasks import prune_finished_task_results

periodic_job_register(
    name="core.prune_task_results", task=prune_finished_task_results, every=timedelta(days=1)
)
