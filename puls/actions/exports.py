"""PDF and XLSX versions of an action plan: the same actions the list shows for the same filters.

Actions hold no answers, so there is nothing to suppress here; an action made from a survey result
exists only for a result suppression showed (services.action_create refuses the others).
"""

import io
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from puls.actions.models import Action
from puls.organisations.models import Organisation


def file_name(organisation: Organisation, extension: str) -> str:
    return f"{slugify(_('action plan'))}-{organisation.slug}-{timezone.localdate():%Y-%m-%d}.{extension}"


def _columns() -> list[tuple[str, Any, int]]:
    def date_or_blank(value: Any) -> Any:
        return value or ""

    return [
        (_("Unit code"), lambda a: a.unit.code, 10),
        (_("Unit"), lambda a: a.unit.name, 28),
        (_("Title"), lambda a: a.title, 36),
        (_("Problem"), lambda a: a.problem, 40),
        (_("Chosen solution"), lambda a: a.solution, 40),
        (_("Owner"), lambda a: a.owner.full_name if a.owner else "", 22),
        (_("Co-owner (MED/AMO representative)"), lambda a: a.co_owner.full_name if a.co_owner else "", 22),
        (_("Deadline"), lambda a: date_or_blank(a.deadline), 12),
        (_("Priority"), lambda a: a.get_priority_display(), 10),
        (_("Status"), lambda a: a.get_status_display(), 12),
        (_("Overdue"), lambda a: _("Yes") if a.is_overdue() else "", 9),
        (_("How the effect is evaluated"), lambda a: a.evaluation_method, 36),
        (_("When the effect is evaluated"), lambda a: date_or_blank(a.evaluation_date), 12),
        (_("Evaluated effect"), lambda a: a.evaluation_result, 36),
    ]


def actions_xlsx(*, actions: list[Action], organisation: Organisation) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101
    sheet.title = _("Action plan")[:31]
    columns = _columns()
    sheet.append([str(header) for header, _value, _width in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for action in actions:
        sheet.append([value(action) for _header, value, _width in columns])
    for index, (_header, _value, width) in enumerate(columns, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if hasattr(cell.value, "year"):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def actions_pdf(
    *, actions: list[Action], organisation: Organisation, request: HttpRequest | None = None
) -> bytes:
    html = render_to_string(
        "actions/action_plan_pdf.html",
        {
            "organisation": organisation,
            "actions": actions,
            "today": timezone.localdate(),
        },
        request=request,
    )
    import weasyprint  # slow to import; only PDFs need it

    return bytes(weasyprint.HTML(string=html).write_pdf() or b"")
