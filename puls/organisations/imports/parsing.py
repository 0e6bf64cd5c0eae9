"""Reading import files as Danish Excel writes them: CSV (semicolon, comma or tab separated;
Windows-1252, UTF-8 or UTF-16) and XLSX.

A file is read into rows of text (or dates, from real XLSX date cells) keyed by column. The row
numbers are the ones the user sees in Excel: the header is row 1.
"""

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

FILE_TYPES = ("csv", "xlsx")
# A zip archive that inflates beyond this is refused before openpyxl reads it.
XLSX_MAX_UNCOMPRESSED_BYTES = 400 * 1024 * 1024
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0e-\x19\x1b-\x1f\x7f]")


class ImportFileError(Exception):
    """The file as a whole cannot be imported; `messages` say why, in the user's words."""

    def __init__(self, messages: Iterable[str | Promise]) -> None:
        self.messages = list(messages)
        super().__init__("; ".join(str(message) for message in self.messages))


@dataclass(frozen=True)
class Column:
    key: str
    danish: str
    english: str
    required: bool = True
    aliases: tuple[str, ...] = ()
    max_length: int | None = None

    @property
    def display(self) -> str:
        return f"{self.danish} ({self.english})"

    def names(self) -> set[str]:
        return {header_key(name) for name in (self.danish, self.english, *self.aliases)}


UNIT_COLUMNS = (
    Column("code", "Enhedskode", "Unit code", aliases=("kode", "code", "enhed"), max_length=50),
    Column("name", "Navn", "Name", aliases=("enhedsnavn", "unit name"), max_length=200),
    Column(
        "parent_code",
        "Overordnet enhedskode",
        "Parent unit code",
        aliases=("overordnet enhed", "overordnet", "parent code", "parent unit", "parent"),
        max_length=50,
    ),
)

PEOPLE_COLUMNS = (
    Column(
        "employee_number",
        "Medarbejdernummer",
        "Employee number",
        aliases=("medarbejdernr", "medarbejder nr", "employee no", "employee id"),
        max_length=50,
    ),
    Column("first_name", "Fornavn", "First name", aliases=("given name",), max_length=100),
    Column("last_name", "Efternavn", "Last name", aliases=("surname", "family name"), max_length=100),
    Column(
        "email",
        "E-mail",
        "E-mail",
        required=False,
        aliases=("email", "mail", "e-mail address", "e-mailadresse"),
        max_length=254,
    ),
    Column("unit_code", "Enhedskode", "Unit code", aliases=("enhed", "unit"), max_length=50),
    Column("job_group", "Stillingsgruppe", "Job group", aliases=("stilling", "job title"), max_length=100),
    Column("start_date", "Startdato", "Start date", aliases=("ansættelsesdato", "hire date")),
    Column("birth_year", "Fødselsår", "Birth year", aliases=("year of birth",)),
    Column("leader", "Leder", "Leader", aliases=("enhedsleder", "unit leader")),
)

COLUMNS = {"units": UNIT_COLUMNS, "people": PEOPLE_COLUMNS}

# Header names that mean a CPR number (Danish personal identity number). Such a column is refused.
CPR_HEADER_WORDS = ("cpr", "personnummer", "personnr", "socialsecurity", "ssn")
CPR_VALUE = re.compile(r"(?<!\d)([0-3]\d)([01]\d)(\d\d)-(\d{4})(?!\d)")
CPR_VALUE_UNDASHED = re.compile(r"^([0-3]\d)([01]\d)(\d\d)(\d{4})$")


def header_key(name: str) -> str:
    """Headers compare by their letters and digits only, case-insensitively: 'E-mail ' == 'email'."""
    return "".join(character for character in name.casefold() if character.isalnum())


Cell = str | date


@dataclass
class Row:
    number: int
    values: dict[str, Cell]

    def text(self, key: str) -> str:
        value = self.values.get(key, "")
        return value.strftime("%d-%m-%Y") if isinstance(value, date) else value


@dataclass
class ImportFile:
    file_type: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)


def file_type_of(name: str) -> str:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in FILE_TYPES:
        raise ImportFileError([_("Choose a CSV file (.csv) or an Excel workbook (.xlsx).")])
    return extension


def read_import_file(stream: IO[bytes], *, file_type: str, kind: str) -> ImportFile:
    """Read and check the whole file: its type by content, its columns, and every row."""
    stream.seek(0)
    records = _csv_records(stream.read()) if file_type == "csv" else _xlsx_records(stream)
    return _rows_from_records(records, file_type=file_type, kind=kind)


def _rows_from_records(records: Iterator[list[Cell]], *, file_type: str, kind: str) -> ImportFile:
    numbered = enumerate(records, start=1)  # Excel's row numbers: the first line is row 1
    header: list[Cell] | None = None
    for _number, cells in numbered:
        if any(cell != "" for cell in cells):
            header = cells
            break
    if header is None:
        raise ImportFileError([_("The file is empty.")])
    positions = _column_positions([str(cell) for cell in header], kind)
    imported = ImportFile(file_type=file_type, columns=[key for key, _position in positions])
    for number, cells in numbered:
        if not any(cell != "" for cell in cells):
            continue
        values = {key: (cells[position] if position < len(cells) else "") for key, position in positions}
        imported.rows.append(Row(number=number, values=values))
    if not imported.rows:
        raise ImportFileError([_("The file has a header row but no rows below it.")])
    return imported


def _column_positions(headers: list[str], kind: str) -> list[tuple[str, int]]:
    columns = COLUMNS[kind]
    by_name = {name: column for column in columns for name in column.names()}
    positions: dict[str, int] = {}
    unknown: list[str] = []
    duplicated: list[str] = []
    cpr: list[str] = []
    for position, header in enumerate(headers):
        key = header_key(header)
        if not key:
            continue
        if any(word in key for word in CPR_HEADER_WORDS):
            cpr.append(header.strip())
            continue
        column = by_name.get(key)
        if column is None:
            unknown.append(header.strip())
        elif column.key in positions:
            duplicated.append(header.strip())
        else:
            positions[column.key] = position
    if cpr:
        raise ImportFileError(
            [
                _(
                    "The column “%(column)s” looks like CPR numbers. Puls never accepts CPR numbers: "
                    "remove the column and upload the file again."
                )
                % {"column": ", ".join(cpr)}
            ]
        )
    errors: list[str | Promise] = []
    missing = [column.display for column in columns if column.required and column.key not in positions]
    if missing:
        errors.append(_("These columns are missing: %(columns)s.") % {"columns": ", ".join(missing)})
    if unknown:
        errors.append(
            _("Puls does not know these columns: %(columns)s. The columns are: %(expected)s.")
            % {"columns": ", ".join(unknown), "expected": ", ".join(column.danish for column in columns)}
        )
    if duplicated:
        errors.append(
            _("These columns appear more than once: %(columns)s.") % {"columns": ", ".join(duplicated)}
        )
    if errors:
        raise ImportFileError(errors)
    return [(column.key, positions[column.key]) for column in columns if column.key in positions]


# CSV ---------------------------------------------------------------------------------------------


def _decode_text(data: bytes) -> str:
    not_text = ImportFileError([_("The file is not a text file. Save it from Excel as CSV or as .xlsx.")])
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise not_text from None
    elif data.startswith(codecs.BOM_UTF8):
        try:
            text = data[len(codecs.BOM_UTF8) :].decode("utf-8")
        except UnicodeDecodeError:
            raise not_text from None
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            # Danish Excel's "CSV (semikolonsepareret)" is Windows-1252.
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                raise not_text from None
    if CONTROL_CHARACTERS.search(text[:20000]):
        raise not_text
    return text


def _sniff_delimiter(text: str) -> str:
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: first_line.count(delimiter) for delimiter in (";", "\t", ",")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ";"


def _csv_records(data: bytes) -> Iterator[list[Cell]]:
    text = _decode_text(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    for record in reader:
        yield [cell.strip() for cell in record]


# XLSX --------------------------------------------------------------------------------------------


def _check_xlsx_archive(stream: IO[bytes]) -> None:
    not_xlsx = ImportFileError([_("The file is not an Excel workbook (.xlsx). Save it as .xlsx or as CSV.")])
    stream.seek(0)
    if not zipfile.is_zipfile(stream):
        raise not_xlsx
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            uncompressed = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise not_xlsx from None
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise not_xlsx
    if uncompressed > XLSX_MAX_UNCOMPRESSED_BYTES:
        raise ImportFileError([_("The workbook is too large when unpacked.")])
    stream.seek(0)


def _xlsx_cell(value: Any) -> Cell:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx_open(stream: IO[bytes]) -> Any:
    import openpyxl  # imported here: only XLSX imports pay for loading it

    _check_xlsx_archive(stream)
    try:
        return openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors for damaged files
        raise ImportFileError(
            [_("The workbook could not be read. Open it in Excel and save it again as .xlsx.")]
        ) from None


def _xlsx_records(stream: IO[bytes]) -> Iterator[list[Cell]]:
    workbook = _xlsx_open(stream)
    try:
        for values in workbook.worksheets[0].iter_rows(values_only=True):
            yield [_xlsx_cell(value) for value in values]
    finally:
        workbook.close()


def inspect_import_file(stream: IO[bytes], *, file_type: str, kind: str) -> int:
    """Check the file's type by content and its columns; return how many rows it has.

    For a workbook the count comes from the sheet's stated size, so a large workbook is not read
    twice on the request path; the task counts exactly while it works.
    """
    if file_type == "csv":
        return len(read_import_file(stream, file_type=file_type, kind=kind).rows)
    workbook = _xlsx_open(stream)
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_xlsx_cell(value) for value in values]
            if any(cell != "" for cell in cells):
                _column_positions([str(cell) for cell in cells], kind)
                stated_rows = sheet.max_row
                if stated_rows is not None and stated_rows > number:
                    return int(stated_rows) - number
                break
    finally:
        workbook.close()
    return len(read_import_file(stream, file_type=file_type, kind=kind).rows)


# Values ------------------------------------------------------------------------------------------

DATE_FORMATS = ("%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y")
YES = {"ja", "j", "yes", "y", "x", "1", "true", "sand"}
NO = {"", "nej", "n", "no", "0", "false", "falsk"}


def parse_date(value: Cell) -> date | None:
    if isinstance(value, date):
        return value
    return _parse_date_text(value.split()[0] if value.split() else "")


@lru_cache(maxsize=4096)  # files repeat the same few thousand dates over many rows
def _parse_date_text(text: str) -> date | None:
    for date_format in DATE_FORMATS:
        try:
            parsed = datetime.strptime(text, date_format).date()  # a calendar day, no time zone
        except ValueError:
            continue
        if 1900 <= parsed.year <= 2200:
            return parsed
    return None


def parse_birth_year(value: str, *, this_year: int | None = None) -> int | None:
    if len(value) != 4 or not (value.isascii() and value.isdigit()):
        return None
    year = int(value)
    return year if 1900 <= year <= (this_year or timezone.localdate().year) else None


def parse_yes_no(value: str) -> bool | None:
    lowered = value.casefold()
    if lowered in YES:
        return True
    if lowered in NO:
        return False
    return None


def is_valid_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def _is_cpr_date(day: str, month: str) -> bool:
    return 1 <= int(day) <= 31 and 1 <= int(month) <= 12


def looks_like_cpr(row: Row, *, number_column: str | None = None) -> bool:
    """A dashed ddmmyy-xxxx anywhere in the row, or ten digits ddmmyyxxxx as the key."""
    for value in row.values.values():
        if isinstance(value, str):
            for dashed in CPR_VALUE.finditer(value):
                if _is_cpr_date(dashed.group(1), dashed.group(2)):
                    return True
    if number_column:
        undashed = CPR_VALUE_UNDASHED.match(row.text(number_column))
        if undashed and _is_cpr_date(undashed.group(1), undashed.group(2)):
            return True
    return False
