"""What every XLSX export needs from Excel's rules: unique, valid sheet names and cell texts."""

import re
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

SHEET_NAME_MAX = 31
CELL_TEXT_MAX = 32767  # Excel's limit for one cell
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


class Sheets:
    """Sheets of a write-only workbook with unique, valid names (Excel: at most 31 characters, none
    of []:*?/\\; a repeated title gets " (2)", " (3)", …)."""

    def __init__(self, workbook: Workbook) -> None:
        self.workbook = workbook
        self.used: set[str] = set()

    def create(self, title: str, widths: Iterable[float] = ()) -> WriteOnlyWorksheet:
        base = _SHEET_NAME_FORBIDDEN.sub(" ", title).strip()[:SHEET_NAME_MAX] or "-"
        name, number = base, 2
        while name.casefold() in self.used:
            suffix = f" ({number})"
            name = base[: SHEET_NAME_MAX - len(suffix)] + suffix
            number += 1
        self.used.add(name.casefold())
        sheet = self.workbook.create_sheet(title=name)
        for index, width in enumerate(widths):
            sheet.column_dimensions[get_column_letter(index + 1)].width = width
        return sheet


def cell_text(text: str) -> str:
    """Text as a cell may hold it: without the control characters Excel refuses, at most Excel's
    length. (Cells written with it get data type "s", so a text starting with "=" stays text.)"""
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:CELL_TEXT_MAX]
