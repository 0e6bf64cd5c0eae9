"""XLSX exports of the policy tree and of a report-back round."""

import io
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from puls.organisations.models import Organisation
from puls.policy.selectors.tree import Tree, TreeItem

# Spreadsheet programs treat a cell starting with these as a formula; exported text must stay text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _workbook(title: str, header: list[str], rows: Iterable[list[Any]]) -> bytes:
    import openpyxl  # only exports pay for loading it
    from openpyxl.styles import Alignment, Font

    book = openpyxl.Workbook()
    sheet = book.active
    if sheet is None:  # a new workbook always has one sheet
        raise RuntimeError("openpyxl made a workbook without a sheet")
    sheet.title = title[:31]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_cell(value) for value in row])
    for column in sheet.columns:
        letter = column[0].column_letter
        width = max(len(str(cell.value or "")) for cell in column[:50])
        sheet.column_dimensions[letter].width = min(max(width, 10), 60)
        for cell in column[1:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def tree_xlsx(*, organisation: Organisation, tree: Tree) -> bytes:
    header = [
        _("Level"),
        _("Kind"),
        _("Title"),
        _("Text"),
        _("Rationale"),
        _("Responsible body"),
        _("Status"),
        _("Latest adopted version"),
        _("Adopted on"),
    ]
    rows: list[list[Any]] = []

    def visit(items: list[TreeItem], level: int) -> None:
        for item in items:
            node = item.node
            rows.append(
                [
                    level,
                    node.get_kind_display(),
                    node.title,
                    node.text,
                    node.rationale,
                    node.responsible,
                    node.get_status_display(),
                    item.version.number if item.version else "",
                    item.version.adopted_on if item.version else None,
                ]
            )
            visit(item.children, level + 1)

    visit(tree.values, 1)
    visit(tree.policies, 1)
    return _workbook(_("Policy tree"), header, rows)


def report_xlsx(*, title: str, rows: list[dict[str, Any]], tools: list[str]) -> bytes:
    header = [
        _("Unit code"),
        _("Unit"),
        _("Answered"),
        _("What did you do with the values this year?"),
        *tools,
        _("What effect did it have?"),
        _("What will you do next?"),
    ]
    body = []
    for row in rows:
        used = set(row["tools"])
        body.append(
            [
                row["unit_code"],
                row["unit_name"],
                row["submitted_on"] or _("No"),
                row["what_done"],
                *[_("Yes") if tool in used else "" for tool in tools],
                row["effect"],
                row["next_steps"],
            ]
        )
    return _workbook(title, header, body)
