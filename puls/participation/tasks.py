"""Background work of the participation app. Task arguments are ids, never codes or text."""

import uuid

from django_tasks import task

from puls.participation import announcements, services_site


@task()
def announce_outcomes(process_id: str) -> int:
    """E-mail every invitee of the process that its outcomes were published or updated."""
    return announcements.outcome_announcement_send(process_id=uuid.UUID(process_id))


@task()
def outcome_announcements_run_due() -> int:
    """The periodic job: enqueue an announcement for each process whose outcomes changed and have
    been quiet for DIALOGUE_OUTCOME_ANNOUNCE_QUIET_MINUTES."""
    return announcements.announcements_enqueue_due()


@task()
def round_pdf_task(export_id: str) -> str:
    """Build one requested round results PDF into its RoundExport row."""
    return str(services_site.round_pdf_build(export_id=export_id))


@task()
def round_exports_prune_task() -> int:
    """The periodic job: delete round PDFs requested more than a day ago."""
    return services_site.round_exports_prune()
