"""The survey report pages (DESIGN §6): overview, heatmap, scale pages, comments, driver analysis,
the guide to reading the report, and HR's phased release and benchmark opt-in.

Views are thin: every figure comes from `puls.surveys.reports.selectors`, the same functions the PDF
and XLSX exports call, so all outputs show the same numbers and hide the same cells.
"""

import uuid
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from puls.core.models import User
from puls.organisations.models import Unit
from puls.organisations.scoping import Access, org_view
from puls.surveys import selectors as survey_selectors
from puls.surveys.models import SurveyReport
from puls.surveys.reports import selectors, services
from puls.surveys.reports.comparisons import BENCHMARK_MIN_ORGANISATIONS, SIGNIFICANCE_LEVEL
from puls.surveys.reports.forms import BenchmarkForm, FilterForm, ReleaseForm, attribute_label
from puls.surveys.reports.presentation import (
    BAND_EDGES,
    HIDDEN_TEXT,
    NO_FIGURE,
    PALETTE,
    band,
    number_text,
    option_band,
    rounded_int,
    score_text,
)
from puls.surveys.reports.selectors import ScaleColumn

PAGES = ("overview", "heatmap", "comments", "drivers")


def _access(request: HttpRequest) -> Access:
    return request.access  # type: ignore[attr-defined]


def _slug(request: HttpRequest) -> str:
    return request.organisation.slug  # type: ignore[attr-defined]


def _legend() -> list[dict[str, str]]:
    edges = (0.0, *BAND_EDGES, 100.0)
    legend = []
    for i in range(len(edges) - 1):
        low, high = edges[i], edges[i + 1]
        text = _("%(low)d to under %(high)d") % {"low": low, "high": high} if i < len(edges) - 2 else None
        legend.append({"css": f"puls-band-{i}", "text": text or _("%(low)d and above") % {"low": low}})
    return legend


def _unit_options(request: HttpRequest, report: SurveyReport) -> list[dict[str, Any]]:
    return [
        {"unit": ru.unit, "depth": ru.depth, "label": "\u2003" * ru.depth + ru.unit.name}
        for ru in selectors.report_units(access=_access(request), report=report)
    ]


def _context(request: HttpRequest, report: SurveyReport, unit: Unit | None, page: str) -> dict[str, Any]:
    access = _access(request)
    survey = report.survey
    return {
        "report": report,
        "survey": survey,
        "ballot": survey.ballot,
        "unit": unit,
        "page": page,
        "unit_options": _unit_options(request, report) if unit is not None else [],
        "is_admin": access.is_org_admin,
        "k": report.k,
        "free_text_k": report.free_text_k,
    }


def _report_and_unit(
    request: HttpRequest, survey_id: uuid.UUID, unit_id: uuid.UUID
) -> tuple[SurveyReport, Unit]:
    access = _access(request)
    report = selectors.report_get(access=access, survey_id=survey_id)
    unit = selectors.report_unit_get(access=access, report=report, unit_id=unit_id)
    return report, unit


def _filter(request: HttpRequest, report: SurveyReport) -> tuple[FilterForm, str | None]:
    form = FilterForm(request.GET or None, attributes=selectors.report_attributes(report=report))
    attribute = form.chosen() if request.GET.get("attribute") else None
    if request.GET.get("attribute") and attribute is None:
        raise Http404
    return form, attribute


# Lists and settings -----------------------------------------------------------------------------------


@org_view()
def report_list(request: HttpRequest) -> HttpResponse:
    """Every survey report the visitor may see something of (employees' entry to their results)."""
    reports = selectors.report_list(access=_access(request))
    return render(request, "surveys/report/list.html", {"reports": reports})


@org_view(require=lambda access: access.is_org_admin)
def benchmark_settings(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    organisation = access.organisation
    form = BenchmarkForm(
        request.POST if request.method == "POST" else None, initial={"opt_in": organisation.benchmark_opt_in}
    )
    if request.method == "POST" and form.is_valid():
        services.organisation_benchmark_set(
            actor=cast(User, request.user),
            organisation=organisation,
            opt_in=bool(form.cleaned_data["opt_in"]),
        )
        messages.success(request, _("The benchmark setting was saved."))
        return redirect("surveys:report:benchmark", org_slug=_slug(request))
    return render(
        request,
        "surveys/report/benchmark.html",
        {"form": form, "opted_in": organisation.benchmark_opt_in, "minimum": BENCHMARK_MIN_ORGANISATIONS},
    )


@org_view(require=lambda access: access.is_org_admin)
def report_release(request: HttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    """HR sets when leaders and MED/AMO representatives, then everyone, see the results."""
    survey = survey_selectors.survey_get(access=_access(request), survey_id=survey_id)
    form = ReleaseForm(request.POST if request.method == "POST" else None, survey=survey)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_release_set(
                actor=cast(User, request.user),
                survey=survey,
                release_leaders_at=form.cleaned_data["release_leaders_at"],
                release_everyone_at=form.cleaned_data["release_everyone_at"],
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, _("The release dates were saved."))
            return redirect("surveys:survey_detail", org_slug=_slug(request), survey_id=survey.pk)
    return render(
        request, "surveys/report/release.html", {"form": form, "survey": survey, "ballot": survey.ballot}
    )


# Report pages -----------------------------------------------------------------------------------------


@never_cache
@org_view()
def report_start(request: HttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    """The report's front door: the overview of the visitor's top unit, or (from the unit picker)
    the chosen page of the chosen unit."""
    access = _access(request)
    report = selectors.report_get(access=access, survey_id=survey_id)
    chosen = request.GET.get("unit")
    if chosen:
        try:
            unit_id = uuid.UUID(chosen)
        except ValueError as error:
            raise Http404 from error
        unit = selectors.report_unit_get(access=access, report=report, unit_id=unit_id)
        page = request.GET.get("page", "overview")
        if page not in PAGES:
            page = "overview"
        return redirect(
            f"surveys:report:{page}", org_slug=_slug(request), survey_id=survey_id, unit_id=unit.pk
        )
    unit = selectors.report_default_unit(access=access, report=report)
    return _overview(request, report, unit)


@never_cache
@org_view()
def report_overview(request: HttpRequest, survey_id: uuid.UUID, unit_id: uuid.UUID) -> HttpResponse:
    report, unit = _report_and_unit(request, survey_id, unit_id)
    return _overview(request, report, unit)


def _overview(request: HttpRequest, report: SurveyReport, unit: Unit) -> HttpResponse:
    overview = selectors.report_overview(access=_access(request), report=report, unit=unit)
    context = _context(request, report, unit, "overview")
    context["overview"] = overview
    context["scale_url"] = _scale_url_maker(request, report)
    context["rows"] = [
        {
            "summary": summary,
            "url": context["scale_url"](unit.pk, summary.scale.id),
            "score": score_text(summary.result.mean) if summary.result.shown else "",
            "previous": score_text(summary.previous.mean)
            if summary.previous and summary.previous.shown
            else "",
            "change": number_text(summary.change, signed=True) if summary.change is not None else "",
        }
        for summary in overview.scales
    ]
    return render(request, "surveys/report/overview.html", context)


def _scale_url_maker(request: HttpRequest, report: SurveyReport, query: str = "") -> Any:
    """Cell links for many cells: reverse once, then fill in the ids (a heatmap has thousands)."""
    placeholder_unit = uuid.UUID(int=1)
    placeholder_scale = uuid.UUID(int=2)
    pattern = reverse(
        "surveys:report:scale",
        kwargs={
            "org_slug": _slug(request),
            "survey_id": report.survey_id,
            "unit_id": placeholder_unit,
            "scale_id": placeholder_scale,
        },
    )
    head, _sep, rest = pattern.partition(str(placeholder_unit))
    middle, _sep, tail = rest.partition(str(placeholder_scale))
    suffix = tail + query

    def url(unit_id: uuid.UUID, scale_id: uuid.UUID) -> str:
        return f"{head}{unit_id}{middle}{scale_id}{suffix}"

    return url


@never_cache
@org_view()
def report_heatmap(request: HttpRequest, survey_id: uuid.UUID, unit_id: uuid.UUID) -> HttpResponse:
    report, unit = _report_and_unit(request, survey_id, unit_id)
    form, attribute = _filter(request, report)
    heatmap = selectors.report_heatmap(access=_access(request), report=report, unit=unit, attribute=attribute)
    guide_url = reverse(
        "surveys:report:guide", kwargs={"org_slug": _slug(request), "survey_id": report.survey_id}
    )
    context = _context(request, report, unit, "heatmap")
    context.update(
        {
            "heatmap": heatmap,
            "body": heatmap_body(request, report, heatmap, guide_url),
            "form": form,
            "attribute": attribute,
            "attribute_label": attribute_label(attribute) if attribute else "",
            "legend": _legend(),
            "guide_url": guide_url,
        }
    )
    template = (
        "surveys/report/_heatmap_table.html"
        if request.headers.get("HX-Request")
        else "surveys/report/heatmap.html"
    )
    return render(request, template, context)


def heatmap_body(
    request: HttpRequest, report: SurveyReport, heatmap: selectors.Heatmap, guide_url: str
) -> str:
    """The heatmap's table rows. Built here rather than in the template: an organisation's heatmap
    has 400 units × 25 scales, and the template engine takes seconds for 10,000 cells."""
    query = f"?attribute={heatmap.attribute}" if heatmap.attribute else ""
    scale_url = _scale_url_maker(request, report, query)
    unit_url = _unit_url_maker(request, report, "heatmap", query)
    hidden_text = escape(HIDDEN_TEXT)
    hidden_cell = (
        f'<td class="puls-heat puls-heat-hidden"><a href="{escape(guide_url)}#hidden">{hidden_text}</a></td>'
    )
    hidden_row = (
        f'<td colspan="{len(heatmap.scales)}" class="puls-heat-hidden">'
        f'<a href="{escape(guide_url)}#hidden">{hidden_text}</a></td>'
    )
    lines = []
    for row in heatmap.rows:
        parts = [
            f'<tr><th scope="row" class="puls-depth-{min(row.depth, 8)}">'
            f'<a href="{unit_url(row.unit.pk)}">{escape(row.unit.name)}</a></th>'
        ]
        if heatmap.attribute:
            parts.append(f'<th scope="row">{NO_FIGURE if row.hidden else escape(row.value)}</th>')
        if row.hidden:
            parts.append(hidden_row)
        else:
            for scale, result in zip(heatmap.scales, row.cells, strict=True):
                if not result.shown:
                    parts.append(hidden_cell)
                elif result.mean is None:
                    link = scale_url(row.unit.pk, scale.id)
                    parts.append(
                        f'<td class="puls-heat puls-band-none"><a href="{link}">{NO_FIGURE}</a></td>'
                    )
                else:
                    parts.append(
                        f'<td class="puls-heat puls-band-{band(scale, result.mean)}">'
                        f'<a href="{scale_url(row.unit.pk, scale.id)}">{score_text(result.mean)}</a></td>'
                    )
        parts.append("</tr>")
        lines.append("".join(parts))
    return mark_safe("\n".join(lines))  # noqa: S308  # nosec B308 B703 (every text part is escaped above)


def _unit_url_maker(request: HttpRequest, report: SurveyReport, page: str, query: str = "") -> Any:
    placeholder = uuid.UUID(int=1)
    pattern = reverse(
        f"surveys:report:{page}",
        kwargs={"org_slug": _slug(request), "survey_id": report.survey_id, "unit_id": placeholder},
    )
    head, _sep, tail = pattern.partition(str(placeholder))

    def url(unit_id: uuid.UUID) -> str:
        return f"{head}{unit_id}{tail}{query}"

    return url


@never_cache
@org_view()
def report_scale(
    request: HttpRequest, survey_id: uuid.UUID, unit_id: uuid.UUID, scale_id: uuid.UUID
) -> HttpResponse:
    report, unit = _report_and_unit(request, survey_id, unit_id)
    form, attribute = _filter(request, report)
    page = selectors.report_scale(
        access=_access(request), report=report, unit=unit, scale_id=scale_id, attribute=attribute
    )
    context = _context(request, report, unit, "scale")
    context.update(
        {
            "scale_page": page,
            "scale": page.scale,
            "form": form,
            "attribute": attribute,
            "attribute_label": attribute_label(attribute) if attribute else "",
            "score": score_text(page.result.mean) if page.result.shown else "",
            "band": f"puls-band-{band(page.scale, page.result.mean)}" if page.result.mean is not None else "",
            "items": [_item_bars(page.scale, item) for item in page.items],
            "trend_chart": _trend_chart(page),
            "level": SIGNIFICANCE_LEVEL,
        }
    )
    return render(request, "surveys/report/scale.html", context)


def _item_bars(scale: ScaleColumn, item: selectors.ItemDistribution) -> dict[str, Any]:
    """One stacked bar per item: segments in the order the options are listed, coloured by how
    favourable the option is (Likert), labelled with their share where there is room."""
    segments = []
    left = 0.0
    likert = item.kind == "likert"
    for position, option in enumerate(item.options):
        width = option.percent if item.kind != "multiple" else 0.0
        css_band = option_band(scale, float(option.key)) if likert else position % len(PALETTE)
        colour, text_colour = PALETTE[css_band]
        segments.append(
            {
                "option": option,
                "x": f"{left:.2f}",
                "width": f"{width:.2f}",
                "text_x": f"{left + width / 2:.2f}",
                "label": f"{number_text(option.percent)} %" if width >= 8 else "",
                "fill": colour,
                "text_fill": text_colour,
                "legend_band": css_band,
            }
        )
        left += width
    return {"item": item, "segments": segments}


def _trend_chart(page: selectors.ScalePage) -> dict[str, Any] | None:
    bars = []
    for point in page.trend:
        if point.result is not None and point.result.has_figure:
            bars.append(
                {
                    "label": point.survey.ballot.title,
                    "value": rounded_int(point.result.mean),  # type: ignore[arg-type]
                    "text": score_text(point.result.mean),
                }
            )
    if len(bars) < 2:
        return None
    return {
        "id": "trend-chart",
        "title": _("%(scale)s over time") % {"scale": page.scale.name},
        "description": _(
            "The score (0–100) in each survey, oldest first. The same figures are in the table."
        ),
        "max": 100,
        "bars": bars,
    }


@never_cache
@org_view()
def report_comments(request: HttpRequest, survey_id: uuid.UUID, unit_id: uuid.UUID) -> HttpResponse:
    report, unit = _report_and_unit(request, survey_id, unit_id)
    context = _context(request, report, unit, "comments")
    context["comments"] = selectors.report_comments(access=_access(request), report=report, unit=unit)
    return render(request, "surveys/report/comments.html", context)


@never_cache
@org_view()
def report_drivers(request: HttpRequest, survey_id: uuid.UUID, unit_id: uuid.UUID) -> HttpResponse:
    report, unit = _report_and_unit(request, survey_id, unit_id)
    drivers = selectors.report_drivers(access=_access(request), report=report, unit=unit)
    context = _context(request, report, unit, "drivers")
    scale_url = _scale_url_maker(request, report)
    context["drivers"] = drivers
    context["rows"] = [
        {
            "driver": driver,
            "url": scale_url(unit.pk, driver.scale.id),
            "r": number_text(driver.correlation, 2),
            "score": score_text(driver.result.mean),
        }
        for driver in drivers.drivers
    ]
    context["chart"] = (
        {
            "id": "drivers-chart",
            "title": _("How strongly each area goes with %(outcome)s") % {"outcome": drivers.outcome.name},
            "description": _(
                "Correlation (r) of each scale with the outcome, strongest first, as a share of 1."
            ),
            "max": 100,
            "bars": [
                {
                    "label": row["driver"].scale.name,
                    "value": rounded_int(abs(row["driver"].correlation) * 100),
                    "text": row["r"],
                }
                for row in context["rows"]
            ],
        }
        if drivers.outcome is not None and drivers.drivers
        else None
    )
    return render(request, "surveys/report/drivers.html", context)


@org_view()
def report_guide(request: HttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    """How to read the report and how anonymity is protected (hidden cells link here)."""
    report = selectors.report_get(access=_access(request), survey_id=survey_id)
    context = _context(request, report, None, "guide")
    context.update(
        {
            "benchmark_minimum": BENCHMARK_MIN_ORGANISATIONS,
            "driver_min_n": selectors.DRIVER_MIN_N,
            "level": SIGNIFICANCE_LEVEL,
            "legend": _legend(),
            "default_unit": selectors.report_default_unit(access=_access(request), report=report),
        }
    )
    return render(request, "surveys/report/guide.html", context)
