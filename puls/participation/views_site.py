"""The process website under /p/<org_slug>/dialog/<process id>/ (DESIGN §4.13, issue 6 part 5).

A page per process and per launched round, and each round's results as XLSX and as PDF. The PDF is
made in the background (`services_site`): the round page's button requests it, a progress bar
follows it and offers the download when it is ready. Who may read is decided once, by `_reader`: a
public process is open to anyone, no login needed; an internal one to a logged-in facilitator of its
organisation, a logged-in member of its audience or invitee of one of its rounds, or a browser
holding the process's invitation cookie (`site_access`) — so employees without accounts can follow
it. Anyone else gets a 404 for every address: an internal process is not revealed to exist. Public
pages may be cached privately, internal ones are `private, no-store`; the PDF's export pages never.
"""

from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from puls.core import exports
from puls.participation import selectors_site, services_site
from puls.participation.models import Process, RoundExport
from puls.participation.round_kinds import round_kind_get
from puls.participation.site_access import site_cookie_valid
from puls.participation.site_exports import round_file_name, round_xlsx

# How long a browser may keep a public page (private caches only: the page can name the viewer).
PUBLIC_MAX_AGE = 300
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

read_only = require_http_methods(["GET", "HEAD"])


@dataclass
class Reader:
    process: Process
    facilitator: bool  # may manage the process (gets a link to the facilitator's pages)

    @property
    def is_public(self) -> bool:
        return self.process.results == Process.Results.PUBLIC


def _reader(request: HttpRequest, org_slug: str, process_id: Any) -> Reader:
    """The one access check of every site view (see the module docstring)."""
    process = selectors_site.site_process_get(org_slug=org_slug, process_id=process_id)
    facilitator = selectors_site.user_facilitates(user=request.user, process=process)
    reader = Reader(process=process, facilitator=facilitator)
    if reader.is_public or facilitator:
        return reader
    if site_cookie_valid(request, process) or selectors_site.user_may_read(
        user=request.user, process=process
    ):
        return reader
    raise Http404


def _cached(response: HttpResponse, reader: Reader) -> HttpResponse:
    if reader.is_public:
        patch_cache_control(response, private=True, max_age=PUBLIC_MAX_AGE)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response


@read_only
def process_page(request: HttpRequest, org_slug: str, process_id: Any) -> HttpResponse:
    reader = _reader(request, org_slug, process_id)
    process = reader.process
    rounds = selectors_site.site_round_list(process=process)
    context = {
        "process": process,
        "organisation": process.organisation,
        "reader": reader,
        "rounds": rounds,
        "round_units": [
            (site_round, selectors_site.round_participation(round_=site_round.round)) for site_round in rounds
        ],
        "chart": selectors_site.participation_chart(
            chart_id="round-participation-chart",
            title=_("Response rate per round"),
            description=_(
                "Share of invited people who have taken part in each round. "
                "The same figures are in the table."
            ),
            rows=[(f"{r.round.order}. {r.title}", r.answered, r.invited) for r in rounds],
        ),
        "outcomes": selectors_site.process_outcomes(process=process),
    }
    return _cached(render(request, "participation/site/process.html", context), reader)


@read_only
def round_page(request: HttpRequest, org_slug: str, process_id: Any, round_id: Any) -> HttpResponse:
    reader = _reader(request, org_slug, process_id)
    context = selectors_site.site_round_context(process=reader.process, round_id=round_id, request=request)
    context["reader"] = reader
    return _cached(render(request, "participation/site/round.html", context), reader)


@read_only
def round_xlsx_view(request: HttpRequest, org_slug: str, process_id: Any, round_id: Any) -> HttpResponse:
    reader = _reader(request, org_slug, process_id)
    site_round = selectors_site.shown_round_get(process=reader.process, round_id=round_id)
    content = round_xlsx(
        site_round=site_round,
        participation=selectors_site.round_participation(round_=site_round.round),
        sheets=round_kind_get(site_round.round.kind).export_sheets(site_round.round),
    )
    response = exports.export_file_response(
        content=content, content_type=XLSX_TYPE, file_name=round_file_name(site_round, "xlsx")
    )
    return _cached(response, reader)


# The results PDF: requested here, made by a task, followed and downloaded below. Nothing is cached. ---


def _export_url(name: str, export: RoundExport) -> str:
    round_ = export.round
    return reverse(
        f"dialogue_site:{name}",
        kwargs={
            "org_slug": round_.process.organisation.slug,
            "process_id": round_.process_id,
            "round_id": round_.pk,
            "export_id": export.pk,
        },
    )


def _export_context(export: RoundExport) -> dict[str, Any]:
    context = exports.export_progress_context(
        export=export,
        dom_id="round-pdf-export",
        progress_url=_export_url("round_pdf_progress", export),
        status_url=_export_url("round_pdf_status", export),
        download_url=_export_url("round_pdf_download", export),
    )
    return {**context, "round": export.round, "process": export.round.process}


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def round_pdf_view(request: HttpRequest, org_slug: str, process_id: Any, round_id: Any) -> HttpResponse:
    """POST (the round page's button): make the results PDF in the background and show its progress
    (the fragment for htmx, else the export's own page). GET, from an older link: the round page."""
    reader = _reader(request, org_slug, process_id)
    site_round = selectors_site.shown_round_get(process=reader.process, round_id=round_id)
    if request.method != "POST":
        return redirect(
            "dialogue_site:round", org_slug=org_slug, process_id=reader.process.pk, round_id=round_id
        )
    export = services_site.round_pdf_request(site_round=site_round)
    export.refresh_from_db(fields=["status", "progress"])  # an immediate task backend has built it already
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "participation/site/_round_pdf_progress.html", _export_context(export))
    return redirect(_export_url("round_pdf_status", export))


@never_cache
@read_only
def round_pdf_status(
    request: HttpRequest, org_slug: str, process_id: Any, round_id: Any, export_id: Any
) -> HttpResponse:
    """The export's page without JavaScript: the progress bar, reloaded by hand or polled by htmx."""
    return _round_export_page(request, org_slug, process_id, round_id, export_id, "round_pdf_export.html")


@never_cache
@read_only
def round_pdf_progress(
    request: HttpRequest, org_slug: str, process_id: Any, round_id: Any, export_id: Any
) -> HttpResponse:
    """The progress fragment, polled by htmx until the file is ready (then it offers the download)."""
    return _round_export_page(request, org_slug, process_id, round_id, export_id, "_round_pdf_progress.html")


def _round_export_page(
    request: HttpRequest, org_slug: str, process_id: Any, round_id: Any, export_id: Any, template: str
) -> HttpResponse:
    reader = _reader(request, org_slug, process_id)
    export = selectors_site.round_export_get(process=reader.process, round_id=round_id, export_id=export_id)
    return render(request, f"participation/site/{template}", _export_context(export))


@never_cache
@read_only
def round_pdf_download(
    request: HttpRequest, org_slug: str, process_id: Any, round_id: Any, export_id: Any
) -> HttpResponse:
    reader = _reader(request, org_slug, process_id)
    export = selectors_site.round_export_file(process=reader.process, round_id=round_id, export_id=export_id)
    return exports.export_file_response(
        content=bytes(export.content or b""), content_type="application/pdf", file_name=export.file_name
    )
