"""The XLSX of a survey report: one sheet per view, the selectors' numbers in the cells, hidden cells
marked "Hidden for anonymity" and never a number, comments streamed, formulas never evaluated."""

import io
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.utils import translation
from openpyxl import load_workbook
from openpyxl.workbook import Workbook
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from puls.invitations.models import BallotCell
from puls.surveys.models import Answer, Response
from puls.surveys.reports import selectors
from puls.surveys.reports.exports.content import HIDDEN, ExportContent, content_build
from puls.surveys.reports.exports.xlsx import report_xlsx
from puls.surveys.reports.tests.export_setup import COMMENT, ExportWorld, access_for, build_export_world
from puls.testing import build_personas

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """The tests find sheets by their English titles: English whatever an earlier test activated."""
    with translation.override("en"):
        yield


@dataclass
class Expected:
    heatmap: selectors.Heatmap
    overview: selectors.Overview
    scale_pages: list[selectors.ScalePage]
    comments: dict[str, list[str]]  # question -> comments
    hidden_comment_questions: list[str]


@dataclass
class Exported:
    organisation: Workbook
    organisation_expected: Expected
    skole_b: Workbook
    skole_b_expected: Expected
    hidden_text: str


def _xlsx(content: ExportContent) -> Workbook:
    target = io.BytesIO()
    report_xlsx(content=content, target=target)
    return load_workbook(io.BytesIO(target.getvalue()))


def _expected(content: ExportContent) -> Expected:
    comments, hidden = {}, []
    for question in content.comment_questions:
        if question.shown:
            comments[question.question] = list(content.comment_texts(question))
        else:
            hidden.append(question.question)
    return Expected(
        heatmap=content.heatmap,
        overview=content.overview,
        scale_pages=list(content.scale_pages()),
        comments=comments,
        hidden_comment_questions=hidden,
    )


@pytest.fixture(scope="module")
def exported(django_db_setup, django_db_blocker) -> Exported:
    """The organisation's and Skole B's (hidden) workbooks, as HR exports them, in English. The list
    selector that reads every comment into memory is switched off: exports must stream."""
    with django_db_blocker.unblock(), transaction.atomic(), pytest.MonkeyPatch.context() as patch:
        personas = build_personas()
        world: ExportWorld = build_export_world(personas)
        access = access_for(personas.org_admin, personas)

        def refuse(**kwargs: object) -> None:
            raise AssertionError("an export read every comment into memory")

        patch.setattr(selectors, "report_comments", refuse)
        with translation.override("en"):
            organisation = content_build(access=access, report=world.report, unit=personas.units["100"])
            skole_b = content_build(access=access, report=world.report, unit=personas.units["220"])
            result = Exported(
                organisation=_xlsx(organisation),
                organisation_expected=_expected(organisation),
                skole_b=_xlsx(skole_b),
                skole_b_expected=_expected(skole_b),
                hidden_text=str(HIDDEN),
            )
        transaction.set_rollback(True)
    return result


def rows(workbook: Workbook, sheet: str) -> list[tuple]:
    return [tuple(row) for row in workbook[sheet].iter_rows(values_only=True)]


def test_one_sheet_per_view(exported):
    names = exported.organisation.sheetnames
    scale_names = [page.scale.name for page in exported.organisation_expected.scale_pages]
    assert names == ["Notes", "Overview", "Heatmap", *scale_names, "Drivers", "Comments"]
    assert scale_names == ["Krav", "Arbejdsglæde"]


def test_heatmap_cells_are_the_selector_numbers_and_hidden_cells_carry_the_marker(exported):
    heatmap = exported.organisation_expected.heatmap
    sheet = rows(exported.organisation, "Heatmap")
    assert sheet[0] == ("Unit", "Level", *(scale.name for scale in heatmap.scales))
    assert [row[0] for row in sheet[1:]] == [row.unit.name for row in heatmap.rows]
    hidden_seen = 0
    for row, expected in zip(sheet[1:], heatmap.rows, strict=True):
        for value, result in zip(row[2:], expected.cells, strict=True):
            if result.has_figure:
                assert value == pytest.approx(result.mean, rel=1e-14)  # Excel keeps 15 digits
            else:
                assert value == exported.hidden_text
                hidden_seen += 1
    skole_b = next(row for row in sheet if row[0] == "Skole B")
    assert skole_b[2:] == (exported.hidden_text, exported.hidden_text)
    assert hidden_seen == 2


def test_overview_has_every_scale_with_the_selector_score_and_respondents(exported):
    sheet = rows(exported.organisation, "Overview")
    for summary in exported.organisation_expected.overview.scales:
        (row,) = [row for row in sheet if row[0] == summary.scale.name and row[2] == summary.result.n]
        assert row[1] == pytest.approx(summary.result.mean, rel=1e-14)


def test_each_scale_sheet_has_its_items_answers(exported):
    for page in exported.organisation_expected.scale_pages:
        sheet = rows(exported.organisation, page.scale.name)
        (own,) = [row for row in sheet if row[0] == "Whole organisation – Testby Kommune"]
        assert own[1:3] == (pytest.approx(page.result.mean, rel=1e-14), page.result.n)
        for item in page.items:
            item_rows = [row for row in sheet if row[0] == item.text]
            assert [(row[1], row[2], row[3]) for row in item_rows] == [
                (option.label, pytest.approx(option.percent, rel=1e-14), option.count)
                for option in item.options
            ]
            assert item_rows[0][4:6] == (pytest.approx(item.result.mean, rel=1e-14), item.result.n)


def test_comments_are_all_there_where_shown(exported):
    sheet = rows(exported.organisation, "Comments")
    expected = exported.organisation_expected.comments
    assert len(expected) == 1
    ((question, comments),) = expected.items()
    assert len(comments) == 26  # everyone wrote one, pooled over the whole organisation
    assert sorted(row[1] for row in sheet[1:] if row[0] == question) == sorted(comments)
    assert any(COMMENT in row[1] for row in sheet[1:])


def test_a_hidden_unit_has_no_number_anywhere_of_its_own(exported):
    expected = exported.skole_b_expected
    hidden = exported.hidden_text
    assert rows(exported.skole_b, "Heatmap")[1:] == [("Skole B", 0, hidden, hidden)]
    overview = rows(exported.skole_b, "Overview")
    for summary in expected.overview.scales:
        (row,) = [row for row in overview if row[0] == summary.scale.name and row[1] == hidden]
        assert row[2] is None  # not even the number of respondents
    for page in expected.scale_pages:
        sheet = rows(exported.skole_b, page.scale.name)
        assert ("Skole B", hidden, None) in [row[:3] for row in sheet]
        for item in page.items:
            assert [row[:2] for row in sheet if row[0] == item.text] == [(item.text, hidden)]
    assert rows(exported.skole_b, "Comments")[1:] == [(q, hidden) for q in expected.hidden_comment_questions]
    assert expected.hidden_comment_questions  # Skole B's own comment list is hidden


def test_the_notes_sheet_explains_the_marker_and_the_thresholds(exported):
    text = " ".join(str(value) for row in rows(exported.organisation, "Notes") for value in row if value)
    assert exported.hidden_text in text
    assert "fewer than 5 respondents" in text


def test_a_comment_that_looks_like_a_formula_stays_text(personas):
    world = build_export_world(personas)
    cell = BallotCell.objects.create(ballot=world.world.ballot, unit=personas.units["210"])
    response = Response.objects.create(survey=world.survey, cell=cell, shuffled=True)
    Answer.objects.create(
        response=response, item=world.world.items["comment"], text='=HYPERLINK("http://x")\x07'
    )
    access = access_for(personas.org_admin, personas)
    content = content_build(access=access, report=world.report, unit=personas.units["100"])
    target = io.BytesIO()
    report_xlsx(content=content, target=target)
    sheet = load_workbook(io.BytesIO(target.getvalue()))["Comments"]
    (cell_found,) = [c for row in sheet.iter_rows() for c in row if str(c.value).startswith("=HYPERLINK")]
    assert cell_found.data_type == "s"
    assert cell_found.value == '=HYPERLINK("http://x")'


def test_comments_are_written_while_they_are_read_not_collected_first(personas, monkeypatch):
    """Each comment goes into the sheet as soon as it comes from the database (which reads them in
    chunks), so memory does not grow with the number of comments."""
    world = build_export_world(personas)
    access = access_for(personas.org_admin, personas)
    content = content_build(access=access, report=world.report, unit=personas.units["100"])
    read = [0]
    read_when_written: list[int] = []
    original_texts = ExportContent.comment_texts

    def counted_texts(self: ExportContent, question: object) -> Iterator[str]:
        for text in original_texts(self, question):  # type: ignore[arg-type]
            read[0] += 1
            yield text

    original_append = WriteOnlyWorksheet.append

    def recorded_append(self: WriteOnlyWorksheet, row: object) -> None:
        if self.title == "Comments" and read[0]:
            read_when_written.append(read[0])
        original_append(self, row)

    monkeypatch.setattr(ExportContent, "comment_texts", counted_texts)
    monkeypatch.setattr(WriteOnlyWorksheet, "append", recorded_append)
    report_xlsx(content=content, target=io.BytesIO())
    assert read_when_written == list(range(1, 27))  # comment n is written right after it is read
