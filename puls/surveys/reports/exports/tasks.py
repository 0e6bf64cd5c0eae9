"""Background work of report exports. Task arguments are ids only."""

from django_tasks import task

from puls.surveys.reports.exports import services


@task()
def report_export_task(export_id: str) -> str:
    """Build one requested PDF or XLSX into its ReportExport row."""
    return str(services.report_export_build(export_id=export_id))


@task()
def report_exports_prune_task() -> int:
    """The periodic job: delete exports requested more than a day ago."""
    return services.report_exports_prune()
