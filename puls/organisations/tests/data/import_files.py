"""Import files built in the tests, the way Excel and HR systems write them (no committed binaries)."""

import io
from collections.abc import Sequence
from datetime import date
from typing import Any

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

PEOPLE_HEADER = [
    "Medarbejdernummer",
    "Fornavn",
    "Efternavn",
    "E-mail",
    "Enhedskode",
    "Stillingsgruppe",
    "Startdato",
    "Fødselsår",
    "Leder",
]
UNITS_HEADER = ["Enhedskode", "Navn", "Overordnet enhedskode"]

# The Testby personas (puls/testing.py) as an HR system would list them, so a people file can keep
# them employed.
TESTBY_STAFF = [
    ["1001", "Hanne", "Hansen", "hr@testby.test", "100", "Pædagog", "01-01-2015", "1980", "Nej"],
    ["2101", "Lea", "Leder", "leder@testby.test", "210", "Pædagog", "01-01-2015", "1980", "Ja"],
    ["2110", "Anna0", "Andersen", "", "210", "Pædagog", "01-01-2015", "1980", "Nej"],
    ["2111", "Anna1", "Andersen", "", "210", "Pædagog", "01-01-2015", "1980", "Nej"],
    ["2112", "Anna2", "Andersen", "", "210", "Pædagog", "01-01-2015", "1980", "Nej"],
    ["3101", "Mette", "Med", "med@testby.test", "310", "Pædagog", "01-01-2015", "1980", "Nej"],
    ["2201", "Erik", "Ansat", "ansat@testby.test", "220", "Pædagog", "01-01-2015", "1980", "Nej"],
    ["3102", "Ole", "Uden-Mail", "", "310", "Pædagog", "01-01-2015", "1980", "Nej"],
]


def csv_bytes(
    rows: Sequence[Sequence[Any]],
    *,
    encoding: str = "cp1252",
    delimiter: str = ";",
    bom: bool = False,
    line_end: str = "\r\n",
    trailing_blank_lines: int = 0,
) -> bytes:
    """A CSV file as Danish Excel saves it by default: Windows-1252, semicolons, CRLF."""
    text = line_end.join(delimiter.join(str(cell) for cell in row) for row in rows) + line_end
    text += line_end * trailing_blank_lines
    data = text.encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(rows: Sequence[Sequence[Any]], *, sheet_title: str = "Ark1") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    for row in rows:
        sheet.append(list(row))
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, date):
                cell.number_format = "DD-MM-YYYY"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client: Any, *, kind: str, name: str, content: bytes, org_slug: str = "testby") -> Any:
    url = reverse("organisations:import_start", kwargs={"org_slug": org_slug})
    return client.post(url, {"kind": kind, "file": SimpleUploadedFile(name, content)})


def job_url(name: str, job: Any, org_slug: str = "testby") -> str:
    return reverse(f"organisations:{name}", kwargs={"org_slug": org_slug, "job_id": job.pk})
