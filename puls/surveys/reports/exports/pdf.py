"""The PDF of a survey report (WeasyPrint): cover, summary, reading guide, heatmap, one page per
scale with SVG charts, drivers and comments — A4, numbered pages, running headers.

The HTML is rendered from the export content (the report selectors' results) and laid out with the
print stylesheet `puls/static/puls/report-print.css`. WeasyPrint loads nothing from the network:
the URL fetcher below serves static files only (the stylesheet and the DKFDS font), everything else
is refused. As for the printed invitation letters, fonts fall back to DejaVu Sans when the DKFDS
font is not found.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string

from puls.surveys.models import Item
from puls.surveys.reports.exports.content import HIDDEN, CommentQuestion, ExportContent, ProgressCallback
from puls.surveys.reports.presentation import (
    BAND_EDGES,
    NO_FIGURE,
    PALETTE,
    band,
    option_band,
    score_text,
)
from puls.surveys.reports.selectors import (
    Comparison,
    HeatmapRow,
    ItemDistribution,
    Result,
    ScaleColumn,
    ScalePage,
    TrendPoint,
)

STYLESHEET = "puls/report-print.css"
# WeasyPrint resolves relative URLs against this made-up origin; the fetcher maps it to static files.
STATIC_BASE = "https://static.puls.invalid/"
# A printed comment list stops here; the XLSX holds every comment.
PDF_COMMENTS_PER_QUESTION = 300

# The report pages' colour bands and palette (reports/presentation.py: ColorBrewer PuOr, colour-blind
# safe), so the printed heatmap and bars have the colours of the pages; the `puls-band-<n>` classes
# are in the print stylesheet. Numbers are rounded by presentation's one rule (the templates use its
# `report_numbers` filters).


def band_legend() -> list[dict[str, Any]]:
    edges = (0, *(int(edge) for edge in BAND_EDGES), 100)
    legend = []
    for i in range(len(edges) - 1):
        legend.append(
            {"css": f"puls-band-{i}", "low": edges[i], "high": edges[i + 1], "last": i == len(edges) - 2}
        )
    return legend


# Charts -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    x: float  # percent of the bar's width
    width: float
    colour: str
    text_colour: str
    label: str
    percent: float

    @property
    def text_x(self) -> float:
        return self.x + self.width / 2

    @property
    def labelled(self) -> bool:
        return self.width >= 6


@dataclass(frozen=True)
class ItemBar:
    item: ItemDistribution
    segments: list[Segment]
    stacked: bool  # False for multiple choice: shares of respondents that may add up above 100 %
    own_legend: bool = False  # the options differ from the scale's first item's


@dataclass(frozen=True)
class LegendEntry:
    label: str
    colour: str


@dataclass(frozen=True)
class TrendChartPoint:
    label: str
    x: float
    y: float | None  # None: hidden or no result
    result: Result | None
    current: bool


@dataclass
class TrendChart:
    points: list[TrendChartPoint]
    width: int = 480
    height: int = 150
    top: int = 12
    bottom: int = 124  # y of 0

    @property
    def lines(self) -> list[str]:
        """Polylines through runs of neighbouring points that have a figure: no line is drawn across
        a hidden result, so the chart never suggests a value for it."""
        runs: list[list[TrendChartPoint]] = [[]]
        for point in self.points:
            if point.y is None:
                runs.append([])
            else:
                runs[-1].append(point)
        return [" ".join(f"{p.x:.1f},{p.y:.1f}" for p in run) for run in runs if len(run) > 1]

    @property
    def gridlines(self) -> list[tuple[int, float]]:
        return [(value, self._y(value)) for value in (0, 25, 50, 75, 100)]

    def _y(self, mean: float) -> float:
        return self.bottom - (self.bottom - self.top) * mean / 100.0


def item_bar(scale: ScaleColumn, item: ItemDistribution) -> ItemBar:
    segments = []
    x = 0.0
    stacked = item.kind != Item.Kind.MULTIPLE
    for index, option in enumerate(item.options):
        if item.kind == Item.Kind.LIKERT:
            colour_band = option_band(scale, float(option.key))
        elif item.kind == Item.Kind.SCALE_0_10:
            colour_band = option_band(scale, 10.0 * float(option.key))
        else:
            colour_band = index % len(PALETTE)
        colour, text_colour = PALETTE[colour_band]
        width = max(0.0, option.percent) if stacked else 0.0
        segments.append(
            Segment(
                x=x,
                width=width,
                colour=colour,
                text_colour=text_colour,
                label=option.label,
                percent=option.percent,
            )
        )
        x += width
    return ItemBar(item=item, segments=segments, stacked=stacked)


def trend_chart(points: list[TrendPoint]) -> TrendChart | None:
    """A line over the surveys (oldest first); None when there is no earlier survey."""
    if len(points) < 2:
        return None
    chart = TrendChart(points=[])
    left, right = 80.0, chart.width - 60.0
    step = (right - left) / (len(points) - 1)
    for i, point in enumerate(points):
        result = point.result
        y = chart._y(float(result.mean)) if result is not None and result.has_figure else None  # type: ignore[arg-type]
        chart.points.append(
            TrendChartPoint(
                label=str(point.survey.ballot.title),
                x=left + i * step,
                y=y,
                result=result,
                current=point.current,
            )
        )
    return chart


# Page models --------------------------------------------------------------------------------------


@dataclass
class ScaleSheet:
    page: ScalePage
    bars: list[ItemBar]
    legend: list[LegendEntry]
    trend: TrendChart | None
    band_name: str = ""
    comparisons: list[Comparison] = field(default_factory=list)


def scale_sheet(page: ScalePage) -> ScaleSheet:
    bars = [item_bar(page.scale, item) for item in page.items]
    legend: list[LegendEntry] = []
    first = next((bar for bar in bars if bar.segments and bar.stacked), None)
    if first is not None:
        legend = [LegendEntry(label=s.label, colour=s.colour) for s in first.segments]
        labels = [entry.label for entry in legend]
        bars = [
            ItemBar(
                item=bar.item,
                segments=bar.segments,
                stacked=bar.stacked,
                own_legend=bar.stacked and bool(bar.segments) and [s.label for s in bar.segments] != labels,
            )
            for bar in bars
        ]
    band_name = f"puls-band-{band(page.scale, float(page.result.mean))}" if page.result.has_figure else ""  # type: ignore[arg-type]
    return ScaleSheet(
        page=page,
        bars=bars,
        legend=legend,
        trend=trend_chart(page.trend),
        band_name=band_name,
        comparisons=list(page.comparisons),
    )


@dataclass
class HeatCell:
    result: Result
    css: str
    text: str


@dataclass
class HeatRow:
    row: HeatmapRow
    cells: list[HeatCell]


@dataclass
class CommentBlock:
    question: CommentQuestion
    comments: list[str]
    more: int  # comments left out of the PDF (they are in the XLSX)


def heat_rows(content: ExportContent) -> list[HeatRow]:
    """The heatmap's cells with the page's colour band and the page's text: whole numbers, "–" for a
    shown result without a mean (no colour), the hidden marker only for hidden results."""
    heatmap = content.heatmap
    rows = []
    for row in heatmap.rows:
        cells = []
        for scale, result in zip(heatmap.scales, row.cells, strict=True):
            if result.has_figure:
                css = f"puls-band-{band(scale, float(result.mean))}"  # type: ignore[arg-type]
                cells.append(HeatCell(result=result, css=css, text=score_text(result.mean)))
            elif result.shown:
                cells.append(HeatCell(result=result, css="", text=NO_FIGURE))
            else:
                cells.append(HeatCell(result=result, css="hidden", text=str(HIDDEN)))
        rows.append(HeatRow(row=row, cells=cells))
    return rows


def comment_blocks(content: ExportContent) -> Iterator[CommentBlock]:
    for question in content.comment_questions:
        texts: list[str] = []
        more = 0
        for text in content.comment_texts(question):
            if len(texts) < PDF_COMMENTS_PER_QUESTION:
                texts.append(text)
            else:
                more += 1
        yield CommentBlock(question=question, comments=texts, more=more)


def _context(content: ExportContent, progress: ProgressCallback) -> dict[str, Any]:
    progress(5)
    overview = content.overview
    sheets = []
    scales = content.scales
    for number, scale in enumerate(scales, start=1):
        sheets.append(scale_sheet(content.scale_page(scale)))
        progress(5 + 45 * number // max(len(scales), 1))
    return {
        "content": content,
        "report": content.report,
        "survey": content.survey,
        "ballot": content.survey.ballot,
        "organisation": content.organisation,
        "unit": content.unit,
        "overview": overview,
        "heatmap": content.heatmap,
        "heat_rows": heat_rows(content),
        "bands": band_legend(),
        "sheets": sheets,
        "drivers": content.drivers,
        "comments": list(comment_blocks(content)),
        "comment_limit": PDF_COMMENTS_PER_QUESTION,
        "hidden_text": HIDDEN,
        "stylesheet": STYLESHEET,
    }


def report_pdf(*, content: ExportContent, progress: ProgressCallback | None = None) -> bytes:
    """The report of `content.unit` as PDF bytes, in the active language."""
    report_progress = progress or (lambda percent: None)
    html = render_to_string("surveys/report/pdf/report.html", _context(content, report_progress))
    report_progress(55)
    import weasyprint  # imported here: it is slow to import and only PDFs need it

    document = weasyprint.HTML(string=html, base_url=STATIC_BASE, url_fetcher=_static_fetcher()).render()
    report_progress(85)
    pdf = document.write_pdf()
    report_progress(95)
    return bytes(pdf or b"")


# Static files only -----------------------------------------------------------------------------------


def _static_path(name: str) -> Path | None:
    found = finders.find(name)
    if found:
        return Path(found if isinstance(found, str) else found[0])
    try:
        path = Path(staticfiles_storage.path(name))
    except NotImplementedError:  # a storage without local files
        return None
    return path if path.is_file() else None


def _static_fetcher() -> Any:
    """A WeasyPrint URL fetcher that serves URLs under STATIC_BASE from the static files and refuses
    anything else, so a report never makes WeasyPrint fetch from the network or read other files."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            return URLFetcherResponse(url, body=static_file(url), headers={"Content-Type": _mime_type(url)})

    return StaticFetcher()


def static_file(url: str) -> bytes:
    name = url[len(STATIC_BASE) :] if url.startswith(STATIC_BASE) else ""
    if not name or ".." in Path(name).parts:
        raise ValueError(f"Report PDFs load static files only, not {url!r}")
    path = _static_path(name)
    if path is None:
        raise ValueError(f"No static file {name!r}")
    return path.read_bytes()


def _mime_type(url: str) -> str:
    return mimetypes.guess_type(url)[0] or "application/octet-stream"


__all__ = ["HIDDEN", "report_pdf", "static_file"]
