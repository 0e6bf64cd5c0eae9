"""The process website under /p/<org_slug>/dialog/<process id>/ (DESIGN §4.13, issue 6 part 5).

A page per process and per launched round, and each round's results as PDF and XLSX. Who may read
is decided once, by `_reader`: a public process is open to anyone, no login needed; an internal one
to a logged-in facilitator of its organisation, a logged-in member of its audience or invitee of one
of its rounds, or a browser holding the process's invitation cookie (`site_access`) — so employees
without accounts can follow it. Anyone else gets a 404 for every address: an internal process is not
revealed to exist. Public pages may be cached privately; internal ones are `private, no-store`.
"""

from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from puls.participation import selectors, selectors_site
from puls.participation.models import Process
from puls.participation.round_kinds import round_kind_get
from puls.participation.site_access import site_cookie_valid
from puls.participation.site_exports import round_pdf, round_xlsx

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


def _shown_results(round_: Any) -> selectors.RoundResults:
    results = selectors.round_results(round_=round_)
    if not results.shown:
        raise Http404
    return results


def _participation_chart(participation: selectors_site.RoundParticipation) -> dict[str, Any]:
    return selectors_site.participation_chart(
        chart_id="unit-participation-chart",
        title=_("Response rate per unit"),
        description=_(
            "Share of invited people who have taken part, per unit. The same figures are in the table."
        ),
        rows=[(row.unit.name, row.answered, row.invited) for row in participation.units],
    )


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


def _round_context(request: HttpRequest | None, reader: Reader, round_id: Any) -> dict[str, Any]:
    site_round = selectors_site.site_round_get(process=reader.process, round_id=round_id)
    results = selectors.round_results(round_=site_round.round)
    participation = selectors_site.round_participation(round_=site_round.round)
    return {
        "process": reader.process,
        "organisation": reader.process.organisation,
        "reader": reader,
        "site_round": site_round,
        "round": site_round.round,
        "ballot": site_round.ballot,
        "participation": participation,
        "chart": _participation_chart(participation),
        "results": results,
        "results_state": selectors_site.results_state(site_round=site_round, results=results),
        "results_html": selectors.round_results_html(results, request=request),
    }


@read_only
def round_page(request: HttpRequest, org_slug: str, process_id: Any, round_id: Any) -> HttpResponse:
    reader = _reader(request, org_slug, process_id)
    context = _round_context(request, reader, round_id)
    return _cached(render(request, "participation/site/round.html", context), reader)


def _filename(context: dict[str, Any], extension: str) -> str:
    site_round: selectors_site.SiteRound = context["site_round"]
    name = slugify(f"{site_round.round.order}-{site_round.title}") or "round"
    return f"{name}.{extension}"


def _file(content: bytes, *, content_type: str, filename: str, inline: bool) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@read_only
def round_pdf_view(request: HttpRequest, org_slug: str, process_id: Any, round_id: Any) -> HttpResponse:
    reader = _reader(request, org_slug, process_id)
    context = _round_context(None, reader, round_id)
    _shown_results(context["round"])
    pdf = round_pdf(context=context)
    response = _file(pdf, content_type="application/pdf", filename=_filename(context, "pdf"), inline=True)
    return _cached(response, reader)


@read_only
def round_xlsx_view(request: HttpRequest, org_slug: str, process_id: Any, round_id: Any) -> HttpResponse:
    reader = _reader(request, org_slug, process_id)
    site_round = selectors_site.site_round_get(process=reader.process, round_id=round_id)
    _shown_results(site_round.round)
    content = round_xlsx(
        site_round=site_round,
        participation=selectors_site.round_participation(round_=site_round.round),
        sheets=round_kind_get(site_round.round.kind).export_sheets(site_round.round),
    )
    response = _file(
        content, content_type=XLSX_TYPE, filename=_filename({"site_round": site_round}, "xlsx"), inline=False
    )
    return _cached(response, reader)
