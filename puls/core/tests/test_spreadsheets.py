"""Sheet names and cell texts as Excel accepts them, for every XLSX export."""

import io

from openpyxl import Workbook, load_workbook

from puls.core.spreadsheets import CELL_TEXT_MAX, Sheets, cell_text


def test_sheet_names_are_valid_unique_and_at_most_31_characters():
    workbook = Workbook(write_only=True)
    sheets = Sheets(workbook)
    titles = [
        "Trivsel: ledelse/samarbejde [2026]?",
        "Trivsel: ledelse/samarbejde [2026]?",
        "x" * 40,
        "x" * 40,
        "***",
    ]
    for title in titles:
        sheets.create(title, widths=[30, 12]).append(["ok"])
    target = io.BytesIO()
    workbook.save(target)
    names = load_workbook(target).sheetnames
    assert names == [
        "Trivsel  ledelse samarbejde  20",
        "Trivsel  ledelse samarbejde (2)",
        "x" * 31,
        "x" * 27 + " (2)",
        "-",
    ]


def test_cell_text_drops_control_characters_and_keeps_excels_length():
    assert cell_text("Godt\x07 arbejde") == "Godt arbejde"
    assert len(cell_text("a" * (CELL_TEXT_MAX + 10))) == CELL_TEXT_MAX
