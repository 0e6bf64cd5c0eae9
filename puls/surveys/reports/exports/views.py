"""Report exports: request a PDF or XLSX (POST), follow its progress (htmx-polled fragment), download it.

Mounted under a survey's report address (`…/<survey id>/report/`). Everything is answered with 404
for anyone but the user who requested the export, HR included; nothing is cached (DESIGN §7.22).
"""

import uuid
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from puls.core import exports
from puls.organisations.scoping import Access, org_view
from puls.surveys.models import ReportExport
from puls.surveys.reports import selectors
from puls.surveys.reports.exports import selectors as export_selectors
from puls.surveys.reports.exports import services


class ExportForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=ReportExport.Format.choices)
    # Empty: the viewer's top unit (the whole organisation for HR).
    unit = forms.UUIDField(label=_("Unit"), required=False)


def _access(request: HttpRequest) -> Access:
    return request.access  # type: ignore[attr-defined]


def _url(request: HttpRequest, name: str, **kwargs: Any) -> str:
    """A URL of this module, in whatever namespace the report URLs include it."""
    namespace = request.resolver_match.namespace if request.resolver_match else ""
    kwargs["org_slug"] = request.organisation.slug  # type: ignore[attr-defined]
    return reverse(f"{namespace}:{name}" if namespace else name, kwargs=kwargs)


def _export_context(request: HttpRequest, export: ReportExport) -> dict[str, Any]:
    ids = {"survey_id": export.report.survey_id, "export_id": export.pk}
    context = exports.export_progress_context(
        export=export,
        dom_id="report-export",
        progress_url=_url(request, "progress", **ids),
        status_url=_url(request, "status", **ids),
        download_url=_url(request, "download", **ids),
    )
    return {**context, "survey": export.report.survey}


@never_cache
@require_POST
@org_view()
def export_request(request: HttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    access = _access(request)
    report = selectors.report_get(access=access, survey_id=survey_id)
    form = ExportForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest()
    unit_id = form.cleaned_data["unit"]
    if unit_id is None:
        unit = selectors.report_default_unit(access=access, report=report)
    else:
        unit = selectors.report_unit_get(access=access, report=report, unit_id=unit_id)
    export = services.report_export_request(
        access=access, report=report, unit=unit, format=form.cleaned_data["format"]
    )
    export.refresh_from_db(fields=["status", "progress"])  # an immediate task backend has built it already
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "surveys/report/_export_progress.html", _export_context(request, export))
    return redirect(_url(request, "status", survey_id=survey_id, export_id=export.pk))


@never_cache
@require_GET
@org_view()
def export_status(request: HttpRequest, survey_id: uuid.UUID, export_id: uuid.UUID) -> HttpResponse:
    """The page without JavaScript: the progress bar, reloaded by hand or polled by htmx."""
    export = export_selectors.report_export_get(
        access=_access(request), survey_id=survey_id, export_id=export_id
    )
    return render(request, "surveys/report/export.html", _export_context(request, export))


@never_cache
@require_GET
@org_view()
def export_progress(request: HttpRequest, survey_id: uuid.UUID, export_id: uuid.UUID) -> HttpResponse:
    """The progress fragment, polled by htmx until the file is ready (then it offers the download)."""
    export = export_selectors.report_export_get(
        access=_access(request), survey_id=survey_id, export_id=export_id
    )
    return render(request, "surveys/report/_export_progress.html", _export_context(request, export))


@never_cache
@require_GET
@org_view()
def export_download(request: HttpRequest, survey_id: uuid.UUID, export_id: uuid.UUID) -> HttpResponse:
    export = export_selectors.report_export_file(
        access=_access(request), survey_id=survey_id, export_id=export_id
    )
    return exports.export_file_response(
        content=bytes(export.content or b""),
        content_type=services.CONTENT_TYPES[export.format],
        file_name=export.file_name or f"report.{export.format}",
    )
