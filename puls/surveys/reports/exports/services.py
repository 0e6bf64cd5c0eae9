"""Writes around report exports: request one, build it (in the task), prune old ones.

An export is a `ReportExport` row: the task writes its progress and, when done, the file into the
row, so any app server can report progress and serve the download (DESIGN §8: no state in process
memory or local files). Rows are deleted a day after they were requested.
"""

from __future__ import annotations

import logging
import tempfile
import uuid
from datetime import datetime

from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation

from puls.core import exports
from puls.organisations.models import Unit
from puls.organisations.scoping import Access, access_build
from puls.surveys.models import ReportExport, SurveyReport
from puls.surveys.reports import selectors
from puls.surveys.reports.exports.content import (
    ExportContent,
    ProgressCallback,
    content_build,
    export_file_name,
)

logger = logging.getLogger(__name__)

KEEP_FOR = exports.KEEP_FOR
# Files up to this size are built in memory, larger ones spill to a temporary file while written.
SPOOL_BYTES = 8 * 1024 * 1024
FORMATS: dict[str, str] = {ReportExport.Format.PDF: "pdf", ReportExport.Format.XLSX: "xlsx"}
CONTENT_TYPES: dict[str, str] = {
    ReportExport.Format.PDF: "application/pdf",
    ReportExport.Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
WAITING = exports.WAITING


def report_export_request(*, access: Access, report: SurveyReport, unit: Unit, format: str) -> ReportExport:
    """Queue the export of `unit`'s report for the requesting user, in the active language.

    404 when the user may not see the unit in this report. A second request for the same file while
    the first is still being built returns the first."""
    if format not in FORMATS:
        raise ValueError(f"Unknown export format {format!r}")
    unit = selectors.report_unit_get(access=access, report=report, unit_id=unit.pk)
    language = (translation.get_language() or "da")[:2]
    with transaction.atomic():
        waiting = (
            ReportExport.objects.defer("content")
            .filter(
                report=report,
                unit=unit,
                format=format,
                language=language,
                requested_by=access.user,
                status__in=WAITING,
                created_at__gte=timezone.now() - KEEP_FOR,
            )
            .first()
        )
        if waiting is not None:
            return waiting
        export = ReportExport.objects.create(
            report=report,
            unit=unit,
            format=format,
            language=language,
            requested_by=access.user,
            file_name=export_file_name(report=report, unit=unit, extension=FORMATS[format]),
        )
        export_id = str(export.pk)
        transaction.on_commit(lambda: _enqueue(export_id))
    return export


def _enqueue(export_id: str) -> None:
    from puls.surveys.reports.exports.tasks import report_export_task

    report_export_task.enqueue(export_id)


def _fail(export_id: uuid.UUID) -> None:
    exports.export_fail(model=ReportExport, export_id=export_id)


def report_export_build(*, export_id: uuid.UUID | str) -> str:
    """Build a waiting export (the task's work); returns its final status.

    The numbers are read with the requester's Access as it is now, so an export shows nothing the
    requester could not see on the pages at the time it is built."""
    if not exports.export_claim(model=ReportExport, export_id=export_id):
        return "skipped"
    export = (
        ReportExport.objects.defer("content")
        .select_related("report__survey__ballot", "report__survey__organisation", "unit", "requested_by")
        .get(pk=export_id)
    )
    organisation = export.report.survey.organisation
    access = access_build(user=export.requested_by, organisation=organisation)
    if access is None:
        _fail(export.pk)
        return ReportExport.Status.FAILED
    progress = exports.export_progress_writer(model=ReportExport, export_id=export.pk)
    try:
        with translation.override(export.language):
            report = selectors.report_get(access=access, survey_id=export.report.survey_id)
            content = content_build(access=access, report=report, unit=export.unit)
            data = _render(export.format, content, progress)
    except Http404:
        _fail(export.pk)
        return ReportExport.Status.FAILED
    except Exception:
        logger.exception("Report export %s failed", export.pk)
        _fail(export.pk)
        raise
    exports.export_finish(model=ReportExport, export_id=export.pk, content=data)
    return ReportExport.Status.DONE


def _render(format: str, content: ExportContent, progress: ProgressCallback) -> bytes:
    if format == ReportExport.Format.PDF:
        from puls.surveys.reports.exports.pdf import report_pdf

        return report_pdf(content=content, progress=progress)
    from puls.surveys.reports.exports.xlsx import report_xlsx

    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as target:
        report_xlsx(content=content, target=target, progress=progress)  # type: ignore[arg-type]
        target.seek(0)
        return target.read()


def report_exports_prune(*, now: datetime | None = None) -> int:
    """Delete exports requested more than a day ago (the periodic job); returns how many."""
    return exports.exports_prune(model=ReportExport, now=now)
