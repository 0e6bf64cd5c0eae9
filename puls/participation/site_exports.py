"""PDF and XLSX of one round of a process website (DESIGN §4.3: the thresholds hold on every
output path). Both are built only when `selectors.round_results` shows the round's results; the
PDF renders the same results template as the page, the XLSX the kind's `export_sheets`.

PDF: WeasyPrint, A4, with the print stylesheet `participation/site-print.css`; it loads nothing from
the network or the disk (the URL fetcher allows no protocol, the stylesheet is read here). XLSX:
openpyxl write-only; text stays text (never a formula, no control characters).
"""

import io
from datetime import datetime
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from puls.core.exports import ProgressCallback, weasyprint_page_progress
from puls.core.spreadsheets import Sheets, cell_text
from puls.participation.round_kinds.base import ExportSheet
from puls.participation.selectors_site import RoundParticipation, SiteRound

PRINT_STYLESHEET = "participation/site-print.css"
DATE_FORMAT = "yyyy-mm-dd hh:mm"
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E6E6E6")


# PDF ------------------------------------------------------------------------------------------------


def _stylesheet_text() -> str:
    found = finders.find(PRINT_STYLESHEET)
    if not found:
        raise FileNotFoundError(PRINT_STYLESHEET)
    return Path(str(found if isinstance(found, str) else found[0])).read_text(encoding="utf-8")


def round_pdf(*, context: dict[str, Any], progress: ProgressCallback | None = None) -> bytes:
    """The round's PDF in the active language: cover, participation, results, anonymity note.

    `progress` hears the share done (0–100) after each step; laying out the pages takes most of
    the time for a large round."""
    report_progress = progress or (lambda percent: None)
    import weasyprint  # imported here: it is slow to import and only PDFs need it
    from weasyprint.urls import URLFetcher

    html = render_to_string(
        "participation/site/round_pdf.html", {**context, "lang": translation.get_language() or "da"}
    )
    report_progress(15)
    with weasyprint_page_progress(report_progress, start=20, end=85):
        document = weasyprint.HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).render(
            stylesheets=[weasyprint.CSS(string=_stylesheet_text())]
        )
    report_progress(85)
    pdf = document.write_pdf()
    report_progress(95)
    return bytes(pdf or b"")


def round_file_name(site_round: SiteRound, extension: str) -> str:
    """The download's name: the round's number and title."""
    name = slugify(f"{site_round.round.order}-{site_round.title}") or "round"
    return f"{name}.{extension}"


# XLSX -----------------------------------------------------------------------------------------------


def _cell(sheet: WriteOnlyWorksheet, value: Any, *, bold: bool = False) -> WriteOnlyCell:
    if isinstance(value, datetime):
        value = timezone.localtime(value).replace(tzinfo=None)
    elif value is not None and not isinstance(value, int | float):
        # Text stays text: no control characters Excel refuses, and never a formula.
        value = cell_text(str(value))
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    elif isinstance(value, datetime):
        cell.number_format = DATE_FORMAT
    if bold:
        cell.font = BOLD
    return cell


def _header(sheet: WriteOnlyWorksheet, labels: list[str]) -> None:
    cells = []
    for label in labels:
        cell = _cell(sheet, label, bold=True)
        cell.fill = HEADER_FILL
        cells.append(cell)
    sheet.append(cells)


def _row(sheet: WriteOnlyWorksheet, values: list[Any]) -> None:
    sheet.append([_cell(sheet, value) for value in values])


def round_xlsx(
    *, site_round: SiteRound, participation: RoundParticipation, sheets: list[ExportSheet]
) -> bytes:
    """Overview, participation per unit (shown units only) and the kind's result sheets."""
    round_ = site_round.round
    ballot = round_.ballot
    workbook = Workbook(write_only=True)
    names = Sheets(workbook)

    overview = names.create(_("Overview"))
    _header(overview, [_("Field"), _("Value")])
    for label, value in (
        (_("Process"), round_.process.title),
        (_("Round"), f"{round_.order}. {ballot.title}"),
        (_("Kind"), site_round.kind_label),
        (_("Opens"), ballot.opens_at),
        (_("Closes"), ballot.closes_at),
        (_("Status"), site_round.status_label),
        (_("Invited"), participation.invited),
        (_("Answered"), participation.answered),
        (_("Anonymity threshold"), participation.k),
        (
            _("Note"),
            _(
                "Units are listed only when at least %(k)d people in them were invited, and only where "
                "no difference between the listed figures would single out fewer than %(k)d people."
            )
            % {"k": participation.k},
        ),
    ):
        _row(overview, [label, value])

    units = names.create(_("Participation"))
    _header(units, [_("Unit"), _("Invited"), _("Answered"), _("Response rate (%)")])
    for row in participation.units:
        _row(units, [row.unit.name, row.invited, row.answered, row.rate])

    for sheet in sheets:
        target = names.create(sheet.title)
        _header(target, [str(label) for label in sheet.header])
        for values in sheet.rows:
            _row(target, list(values))

    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()
