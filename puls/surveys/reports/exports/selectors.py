"""Reads of report exports: only the user who requested an export ever sees it, and only while the
user may still see its unit in the report (anyone else, HR included, gets a 404)."""

import uuid

from django.http import Http404

from puls.organisations.scoping import Access
from puls.surveys.models import ReportExport
from puls.surveys.reports import selectors


def report_export_get(
    *, access: Access, survey_id: uuid.UUID | str, export_id: uuid.UUID | str, with_content: bool = False
) -> ReportExport:
    exports = ReportExport.objects.select_related("report__survey__ballot", "unit")
    if not with_content:
        exports = exports.defer("content")
    export = exports.filter(
        pk=export_id,
        requested_by=access.user,
        report__survey_id=survey_id,
        report__survey__organisation=access.organisation,
    ).first()
    if export is None:
        raise Http404
    report = selectors.report_get(access=access, survey_id=survey_id)
    selectors.report_unit_get(access=access, report=report, unit_id=export.unit_id)
    return export


def report_export_file(
    *, access: Access, survey_id: uuid.UUID | str, export_id: uuid.UUID | str
) -> ReportExport:
    """A finished export with its file; 404 while it is being built or when it failed."""
    export = report_export_get(access=access, survey_id=survey_id, export_id=export_id, with_content=True)
    if export.status != ReportExport.Status.DONE or export.content is None:
        raise Http404
    return export
