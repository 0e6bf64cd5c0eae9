"""The XLSX of a survey report (openpyxl, write-only): one sheet per view of the report pages.

Sheets: notes (what the file holds and how anonymity is protected), overview, heatmap, one sheet per
scale with its items' answers, comparisons and trend, driver analysis, comments. Figures are the
selectors' numbers as stored (the sheets format them like the pages); a hidden figure is the text
"Hidden for anonymity" in its cell, never a number, and a shown result without a number (an item
without a score, no change to show) reads "–", as on the pages. Rows are streamed: the write-only
workbook keeps each sheet in a temporary file, and comments are read from the database in chunks, so
memory does not grow with the number of respondents or comments.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from puls.core.spreadsheets import Sheets, cell_text
from puls.surveys.models import Survey
from puls.surveys.reports import selectors
from puls.surveys.reports.exports.content import (
    HIDDEN,
    ExportContent,
    ProgressCallback,
    content_build,
    organisation_access,
)
from puls.surveys.reports.presentation import NO_FIGURE
from puls.surveys.reports.selectors import Result

# Number formats show the cells with the pages' rounding: a spreadsheet rounds a displayed number
# half away from zero, the rule of `presentation.rounded` (62.5 shows as 63 here and on the pages).
# The cell holds the stored value with all its decimals.
SCORE_FORMAT = "0"  # whole numbers, as `presentation.score_text`
PERCENT_FORMAT = "0"
CORRELATION_FORMAT = "0.00"  # as `presentation.number_text(r, 2)`
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
HIDDEN_FONT = Font(italic=True, color="595959")
HEADER_FILL = PatternFill("solid", fgColor="E6E6E6")
WRAP = Alignment(wrap_text=True, vertical="top")


def _cell(sheet: WriteOnlyWorksheet, value: Any, *, font: Font | None = None, number_format: str = "") -> Any:
    if isinstance(value, str):
        # Text stays text: no control characters Excel refuses, and never a formula (a comment that
        # starts with "=" is shown as written, not evaluated).
        value = cell_text(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    if font is not None:
        cell.font = font
    if number_format:
        cell.number_format = number_format
    return cell


def _hidden(sheet: WriteOnlyWorksheet) -> Any:
    return _cell(sheet, str(HIDDEN), font=HIDDEN_FONT)


def _number(sheet: WriteOnlyWorksheet, value: float | int | None, number_format: str = SCORE_FORMAT) -> Any:
    """A figure, or "–" where a shown result has none (as the pages show it)."""
    return _cell(sheet, value, number_format=number_format) if value is not None else _cell(sheet, NO_FIGURE)


def _header(sheet: WriteOnlyWorksheet, labels: Iterable[str]) -> None:
    cells = []
    for label in labels:
        cell = _cell(sheet, label, font=BOLD)
        cell.fill = HEADER_FILL
        cells.append(cell)
    sheet.append(cells)


def _title(sheet: WriteOnlyWorksheet, text: str) -> None:
    sheet.append([_cell(sheet, text, font=TITLE)])


def _score_cells(sheet: WriteOnlyWorksheet, result: Result | None) -> list[Any]:
    """Score and respondents of a result: two numbers ("–" for a shown result without a mean), or the
    hidden marker and nothing."""
    if result is None:
        return [_cell(sheet, NO_FIGURE), _cell(sheet, None)]
    if not result.shown:
        return [_hidden(sheet), _cell(sheet, None)]
    return [_number(sheet, result.mean), _number(sheet, result.n, "0")]


def _unit_label(content: ExportContent) -> str:
    if content.is_organisation:
        return f"{_('Whole organisation')} – {content.unit.name}"
    return content.unit.name


# Sheets ---------------------------------------------------------------------------------------------


def _notes(sheets: Sheets, content: ExportContent) -> None:
    sheet = sheets.create(_("Notes"), widths=(28, 100))
    ballot = content.survey.ballot
    _title(sheet, f"{ballot.title} – {_unit_label(content)}")
    facts = [
        (_("Organisation"), content.organisation.name),
        (_("Survey"), ballot.title),
        (_("Report for"), _unit_label(content)),
        (
            _("Survey period"),
            f"{date_format(timezone.localtime(ballot.opens_at), 'DATE_FORMAT')} – "
            f"{date_format(timezone.localtime(ballot.closes_at), 'DATE_FORMAT')}",
        ),
        (_("Report made"), date_format(timezone.localtime(), "DATETIME_FORMAT")),
        (_("Anonymity threshold"), content.report.k),
        (_("Threshold for comments"), content.report.free_text_k),
    ]
    for label, value in facts:
        sheet.append([_cell(sheet, label, font=BOLD), _cell(sheet, value)])
    sheet.append([])
    notes = [
        _(
            "Scores run from 0 to 100: each answer is scored 100, 75, 50, 25 or 0, a person's scale score "
            "is the mean of the questions in the scale they answered (at least half of them), and a "
            "unit's score is the mean over its respondents. A unit's figures include its sub-units."
        ),
        _(
            "For most scales a high score is favourable; for some (such as workload or stress) a low "
            "score is. Differences of less than 5 points are not called notable."
        ),
        _(
            "No figure describes fewer than %(k)d respondents. Where a unit has fewer, or where a figure "
            "would let someone work out the answers of a smaller group by subtracting one number from "
            'another, the cell reads "%(hidden)s" and holds no number. The same cells are hidden in '
            "the report pages and the PDF, for everyone."
        )
        % {"k": content.report.k, "hidden": HIDDEN},
        _(
            "Comments are shown only for groups of at least %(k)d respondents, pooled over the unit "
            "and its sub-units, in random order."
        )
        % {"k": content.report.free_text_k},
        _("Cells hold the figures with all their decimals and are shown rounded, as on the report pages."),
    ]
    for note in notes:
        sheet.append([_cell(sheet, ""), _cell(sheet, note)])
    sheet.append([])
    _header(sheet, [_("Sheet"), _("What it holds")])
    sheet_notes = [
        (
            _("Overview"),
            _("Response rate and every scale's score, with the change since the previous survey."),
        ),
        (_("Heatmap"), _("Scale scores of the unit and every unit below it that you may see.")),
        (
            _("One sheet per scale"),
            _("The answers to each question of the scale, comparisons and the trend."),
        ),
        (_("Drivers"), _("How strongly each scale goes together with the outcome scale.")),
        (_("Comments"), _("The comments to each free-text question, where they are shown.")),
    ]
    for name, text in sheet_notes:
        sheet.append([_cell(sheet, name), _cell(sheet, text)])


def _overview(sheets: Sheets, content: ExportContent) -> None:
    overview = content.overview
    sheet = sheets.create(_("Overview"), widths=(40, 12, 14, 14, 12, 12))
    _title(sheet, f"{_('Overview')} – {_unit_label(content)}")
    participation = overview.participation
    for label, value in (
        (_("Respondents"), participation.answered),
        (_("Invited"), participation.invited),
        (_("Response rate (%)"), participation.rate),
    ):
        value_cell = _number(sheet, value, "0") if participation.shown else _hidden(sheet)
        sheet.append([_cell(sheet, label, font=BOLD), value_cell])
    sheet.append([])
    previous = overview.previous_survey
    labels = [_("Scale"), _("Score"), _("Respondents")]
    if previous is not None:
        labels += [_("Previous (%(survey)s)") % {"survey": previous.ballot.title}, _("Change"), _("Notable")]
    _header(sheet, labels)
    for summary in overview.scales:
        row = [_cell(sheet, summary.scale.name), *_score_cells(sheet, summary.result)]
        if previous is not None:
            row.append(_score_cells(sheet, summary.previous)[0])
            row.append(_number(sheet, summary.change))
            row.append(_cell(sheet, _("yes") if summary.notable_change else ""))
        sheet.append(row)
    sheet.append([])
    for label, summaries in ((_("Most favourable"), overview.top), (_("Least favourable"), overview.bottom)):
        sheet.append([_cell(sheet, label, font=BOLD)])
        for summary in summaries:
            sheet.append([_cell(sheet, summary.scale.name), _number(sheet, summary.result.mean)])


def _heatmap(sheets: Sheets, content: ExportContent) -> None:
    heatmap = content.heatmap
    sheet = sheets.create(_("Heatmap"), widths=(40, 10, *([14] * len(heatmap.scales))))
    sheet.freeze_panes = "C2"
    _header(sheet, [_("Unit"), _("Level"), *(scale.name for scale in heatmap.scales)])
    for row in heatmap.rows:
        cells = [_cell(sheet, row.unit.name), _cell(sheet, row.depth)]
        for result in row.cells:
            cells.append(_number(sheet, result.mean) if result.shown else _hidden(sheet))
        sheet.append(cells)


def _scale(sheets: Sheets, content: ExportContent, page: selectors.ScalePage) -> None:
    sheet = sheets.create(page.scale.name, widths=(60, 34, 14, 12, 14, 14))
    _title(sheet, page.scale.name)
    if page.scale.description:
        sheet.append([_cell(sheet, page.scale.description)])
    sheet.append(
        [
            _cell(
                sheet,
                _("A high score is favourable.")
                if page.scale.higher_is_better
                else _("A high score is unfavourable."),
            )
        ]
    )
    _header(sheet, ["", _("Score"), _("Respondents")])
    sheet.append([_cell(sheet, _unit_label(content), font=BOLD), *_score_cells(sheet, page.result)])
    if page.comparisons:
        sheet.append([])
        _header(sheet, [_("Compared with"), _("Score"), _("Difference"), _("Notable")])
        for comparison in page.comparisons:
            if comparison.shown:
                sheet.append(
                    [
                        _cell(sheet, comparison.label),
                        _number(sheet, comparison.mean),
                        _number(sheet, comparison.difference),
                        _cell(sheet, _("yes") if comparison.notable else ""),
                    ]
                )
            else:
                sheet.append([_cell(sheet, comparison.label), _hidden(sheet)])
    sheet.append([])
    _header(
        sheet, [_("Question"), _("Answer"), _("Share (%)"), _("Answers"), _("Question score"), _("Answered")]
    )
    for item in page.items:
        _item_rows(sheet, item)
    sheet.append([])
    _header(sheet, [_("Trend: survey"), _("Score"), _("Respondents")])
    for point in page.trend:
        sheet.append([_cell(sheet, point.survey.ballot.title), *_score_cells(sheet, point.result)])


def _item_rows(sheet: WriteOnlyWorksheet, item: selectors.ItemDistribution) -> None:
    if not item.result.shown:
        sheet.append([_cell(sheet, item.text), _hidden(sheet)])
        return
    if not item.options:  # shown, but no answer to list: still the score and the number who answered
        empty = [_cell(sheet, None) for _ in range(3)]
        sheet.append(
            [
                _cell(sheet, item.text),
                *empty,
                _number(sheet, item.result.mean),
                _number(sheet, item.result.n, "0"),
            ]
        )
        return
    for number, option in enumerate(item.options):
        row = [
            _cell(sheet, item.text),
            _cell(sheet, option.label),
            _number(sheet, option.percent, PERCENT_FORMAT),
            _number(sheet, option.count, "0"),
        ]
        if number == 0:
            row += [_number(sheet, item.result.mean), _number(sheet, item.result.n, "0")]
        sheet.append(row)


def _drivers(sheets: Sheets, content: ExportContent) -> None:
    drivers = content.drivers
    sheet = sheets.create(_("Drivers"), widths=(40, 14, 12, 14))
    if drivers.outcome is None:
        sheet.append(
            [_cell(sheet, _("The questionnaire has no outcome scale, so there is no driver analysis."))]
        )
        return
    _title(sheet, _("Correlation with %(outcome)s") % {"outcome": drivers.outcome.name})
    if not drivers.drivers:
        sheet.append(
            [
                _cell(
                    sheet,
                    _(
                        "The analysis needs at least %(n)d respondents with a shown result, so it is not "
                        "made for this unit."
                    )
                    % {"n": drivers.min_n},
                )
            ]
        )
        return
    _header(sheet, [_("Scale"), _("Correlation"), _("Score"), _("Respondents")])
    for driver in drivers.drivers:
        sheet.append(
            [
                _cell(sheet, driver.scale.name),
                _number(sheet, driver.correlation, CORRELATION_FORMAT),
                *_score_cells(sheet, driver.result),
            ]
        )


def _comments(
    sheets: Sheets, content: ExportContent, progress: ProgressCallback, start: int, end: int
) -> None:
    sheet = sheets.create(_("Comments"), widths=(40, 100))
    _header(sheet, [_("Question"), _("Comment")])
    questions = content.comment_questions
    for number, question in enumerate(questions):
        if not question.shown:
            sheet.append([_cell(sheet, question.question), _hidden(sheet)])
        else:
            for text in content.comment_texts(question):
                cell = _cell(sheet, text)
                cell.alignment = WRAP
                sheet.append([_cell(sheet, question.question), cell])
        progress(start + (end - start) * (number + 1) // max(len(questions), 1))


def report_xlsx(
    *, content: ExportContent, target: IO[bytes], progress: ProgressCallback | None = None
) -> None:
    """Write the report of `content.unit` as XLSX to `target`, in the active language."""
    report_progress = progress or (lambda percent: None)
    workbook = Workbook(write_only=True)
    sheets = Sheets(workbook)
    _notes(sheets, content)
    _overview(sheets, content)
    report_progress(10)
    _heatmap(sheets, content)
    report_progress(20)
    scales = content.scales
    for number, page in enumerate(content.scale_pages(), start=1):
        _scale(sheets, content, page)
        report_progress(20 + 50 * number // max(len(scales), 1))
    _drivers(sheets, content)
    report_progress(72)
    _comments(sheets, content, report_progress, 72, 92)
    workbook.save(target)
    report_progress(98)


def report_xlsx_write(
    *, target: IO[bytes], survey: Survey | None = None, content: ExportContent | None = None
) -> None:
    """`report_xlsx` of given content, or of a survey's whole organisation as HR sees it (for tools
    such as the report benchmark; users' exports always carry the requester's Access)."""
    if content is None:
        if survey is None:
            raise ValueError("Give the content or the survey")
        access = organisation_access(survey.organisation)
        report = selectors.report_get(access=access, survey_id=survey.pk)
        unit = selectors.report_default_unit(access=access, report=report)
        content = content_build(access=access, report=report, unit=unit)
    report_xlsx(content=content, target=target)


__all__ = ["report_xlsx", "report_xlsx_write"]
