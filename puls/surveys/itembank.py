"""Reading, checking and saving item banks (docs/item-bank.md).

A bank arrives as JSON (the shape of `data/puls_itembank.json`) or as an Excel workbook with the
sheets `domains`, `scales`, `items` and `reference_values` (and optionally `bank`, `option_sets`,
`questionnaires`). Both are read into the same raw rows, every row is checked, and every bad row
is reported with its sheet, row number and reason. Only a bank without errors is saved, in one
go, so nothing is ever half-imported.

`bank_save` takes the model classes as an argument, so the data migration that ships Puls's own
bank can call it with historical models.
"""

import io
import json
import math
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from django.utils.text import slugify
from django.utils.translation import gettext as _

FORMAT = "puls-itembank/1"
SHIPPED_BANK_PATH = Path(__file__).resolve().parent / "data" / "puls_itembank.json"
SHIPPED_BANK_CODE = "puls"

SHEETS = ("bank", "option_sets", "domains", "scales", "items", "reference_values", "questionnaires")
REQUIRED_SHEETS = ("domains", "scales", "items")
COLUMNS = {
    "bank": ("code", "name", "licence_note"),
    "option_sets": ("set", "da", "en"),
    "domains": ("code", "name_da", "name_en"),
    "scales": (
        "code",
        "domain",
        "name_da",
        "name_en",
        "description_da",
        "description_en",
        "higher_is_better",
        "is_outcome",
    ),
    "items": ("code", "scale", "kind", "text_da", "text_en", "options", "reversed"),
    "reference_values": ("scale", "population", "year", "mean", "n"),
    "questionnaires": ("questionnaire", "kind", "name", "section_da", "section_en", "scale", "item"),
}
ITEM_KINDS = ("likert", "single", "multiple", "scale10", "text")
QUESTIONNAIRE_KINDS = ("trivsel", "apv", "pulse", "custom")
LIKERT_OPTION_COUNT = 5
MAX_CHOICES = 20
NAME_LENGTH = 200
CODE_LENGTH = 60
CODE_PATTERN = re.compile(r"^[-a-zA-Z0-9_]+$")
TRUE_WORDS = {"1", "true", "yes", "ja", "x", "sand"}
FALSE_WORDS = {"0", "false", "no", "nej", "falsk"}
XLSX_MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024


@dataclass(frozen=True)
class RowError:
    """One reason a bank cannot be imported. `row` is the Excel row (header = 1) or the list position
    in JSON (first = 1); None when the sheet or file as a whole is wrong."""

    sheet: str
    row: int | None
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return f"{self.sheet}: {self.message}"
        return _("%(sheet)s, row %(row)d: %(message)s") % {
            "sheet": self.sheet,
            "row": self.row,
            "message": self.message,
        }


class ItemBankError(Exception):
    def __init__(self, errors: Iterable[RowError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(str(error) for error in self.errors))


@dataclass
class RawBank:
    """Rows as read from the file, before checking: (row number, {column: value})."""

    meta: dict[str, Any] = field(default_factory=dict)
    option_sets: dict[str, Any] = field(default_factory=dict)
    sheets: dict[str, list[tuple[int, dict[str, Any]]]] = field(default_factory=dict)
    # JSON questionnaires are nested; XLSX rows are grouped into the same shape while reading.
    questionnaires: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


@dataclass
class CleanBank:
    code: str
    name: str
    licence_note: str
    domains: list[dict[str, Any]]
    scales: list[dict[str, Any]]
    items: list[dict[str, Any]]
    reference_values: list[dict[str, Any]]
    questionnaires: list[dict[str, Any]]


# Reading -----------------------------------------------------------------------------------------


def read_json(content: bytes | str) -> RawBank:
    try:
        data = json.loads(content)
    except (ValueError, UnicodeDecodeError):
        raise ItemBankError([RowError("file", None, _("The file is not valid JSON."))]) from None
    if not isinstance(data, dict):
        raise ItemBankError([RowError("file", None, _("The file must hold one JSON object."))])
    raw = RawBank(
        meta={key: data.get(key) for key in ("code", "name", "licence_note")},
        option_sets=data.get("option_sets") or {},
    )
    errors = []
    if data.get("format", FORMAT) != FORMAT:
        errors.append(
            RowError("file", None, _("Unknown format “%(format)s”.") % {"format": data.get("format")})
        )
    if not isinstance(raw.option_sets, dict):
        errors.append(RowError("option_sets", None, _("Must be an object of named option lists.")))
        raw.option_sets = {}
    for sheet in ("domains", "scales", "items", "reference_values", "questionnaires"):
        rows = data.get(sheet, [] if sheet not in REQUIRED_SHEETS else None)
        if not isinstance(rows, list):
            errors.append(RowError(sheet, None, _("Missing, or not a list.")))
            continue
        numbered = []
        for number, row in enumerate(rows, start=1):
            if isinstance(row, dict):
                numbered.append((number, row))
            else:
                errors.append(RowError(sheet, number, _("Must be an object.")))
        if sheet == "questionnaires":
            raw.questionnaires = numbered
        else:
            raw.sheets[sheet] = numbered
    if errors:
        raise ItemBankError(errors)
    return raw


def read_xlsx(stream: IO[bytes]) -> RawBank:
    workbook = _open_workbook(stream)
    try:
        sheets = {sheet.title.strip().lower(): sheet for sheet in workbook.worksheets}
        missing = [name for name in REQUIRED_SHEETS if name not in sheets]
        if missing:
            raise ItemBankError(
                [RowError(name, None, _("The workbook has no sheet with this name.")) for name in missing]
            )
        errors: list[RowError] = []
        rows_by_sheet = {name: _sheet_rows(sheets[name], name, errors) for name in SHEETS if name in sheets}
    finally:
        workbook.close()
    if errors:
        raise ItemBankError(errors)
    raw = RawBank()
    bank_rows = rows_by_sheet.pop("bank", [])
    if bank_rows:
        raw.meta = bank_rows[0][1]
    for number, row in rows_by_sheet.pop("option_sets", []):
        name = row.get("set") or ""
        raw.option_sets.setdefault(name, []).append(
            {"da": row.get("da", ""), "en": row.get("en", ""), "_row": number}
        )
    raw.questionnaires = _group_questionnaire_rows(rows_by_sheet.pop("questionnaires", []))
    raw.sheets = rows_by_sheet
    return raw


def read_file(stream: IO[bytes], *, file_name: str) -> RawBank:
    suffix = Path(file_name).suffix.lower()
    if suffix == ".json":
        return read_json(stream.read())
    if suffix == ".xlsx":
        return read_xlsx(stream)
    raise ItemBankError([RowError("file", None, _("Upload a .json or .xlsx file."))])


def _open_workbook(stream: IO[bytes]) -> Any:
    import openpyxl  # only XLSX imports pay for loading it

    not_xlsx = ItemBankError([RowError("file", None, _("The file is not an Excel workbook (.xlsx)."))])
    data = stream.read()
    buffer = io.BytesIO(data)
    if not zipfile.is_zipfile(buffer):
        raise not_xlsx
    try:
        with zipfile.ZipFile(buffer) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise not_xlsx from None
    if "xl/workbook.xml" not in names:
        raise not_xlsx
    if unpacked > XLSX_MAX_UNCOMPRESSED_BYTES:
        raise ItemBankError([RowError("file", None, _("The workbook is too large when unpacked."))])
    buffer.seek(0)
    try:
        return openpyxl.load_workbook(buffer, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors for damaged files
        raise ItemBankError(
            [RowError("file", None, _("The workbook could not be read. Save it again as .xlsx."))]
        ) from None


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.strip()
    return value


def _sheet_rows(sheet: Any, name: str, errors: list[RowError]) -> list[tuple[int, dict[str, Any]]]:
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        errors.append(RowError(name, None, _("The sheet is empty.")))
        return []
    columns = [str(value).strip().lower() if value is not None else "" for value in header]
    known = COLUMNS[name]
    unknown = [column for column in columns if column and column not in known]
    if unknown:
        errors.append(RowError(name, 1, _("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)}))
    result = []
    for number, values in enumerate(rows, start=2):
        row = {
            column: _cell(value) for column, value in zip(columns, values, strict=False) if column in known
        }
        if any(value != "" for value in row.values()):
            result.append((number, row))
    return result


def _group_questionnaire_rows(rows: list[tuple[int, dict[str, Any]]]) -> list[tuple[int, dict[str, Any]]]:
    """Consecutive rows of one questionnaire code form one questionnaire; within it, a new section
    starts whenever the Danish section title changes."""
    grouped: list[tuple[int, dict[str, Any]]] = []
    by_code: dict[str, dict[str, Any]] = {}
    for number, row in rows:
        code = str(row.get("questionnaire") or "")
        questionnaire = by_code.get(code)
        if questionnaire is None:
            questionnaire = {"code": code, "kind": row.get("kind") or "custom", "name": row.get("name", "")}
            questionnaire["sections"] = []
            by_code[code] = questionnaire
            grouped.append((number, questionnaire))
        sections = questionnaire["sections"]
        title = row.get("section_da", "")
        if not sections or sections[-1]["title_da"] != title:
            sections.append(
                {
                    "title_da": title,
                    "title_en": row.get("section_en", ""),
                    "scales": [],
                    "items": [],
                    "_row": number,
                }
            )
        if row.get("scale"):
            sections[-1]["scales"].append(row["scale"])
        if row.get("item"):
            sections[-1]["items"].append(row["item"])
        if not row.get("scale") and not row.get("item"):
            sections[-1].setdefault("_empty_rows", []).append(number)
    return grouped


# Checking ----------------------------------------------------------------------------------------


class _Checker:
    def __init__(self, sheet: str) -> None:
        self.sheet = sheet
        self.errors: list[RowError] = []

    def error(self, row: int | None, message: str) -> None:
        self.errors.append(RowError(self.sheet, row, message))

    def text(
        self, row: int, data: dict[str, Any], key: str, *, required: bool, length: int = NAME_LENGTH
    ) -> str:
        value = data.get(key)
        value = "" if value is None else str(value).strip()
        if required and not value:
            self.error(row, _("%(column)s is empty.") % {"column": key})
        elif len(value) > length:
            self.error(
                row, _("%(column)s is longer than %(length)d characters.") % {"column": key, "length": length}
            )
        return value

    def code(self, row: int, data: dict[str, Any], key: str, seen: set[str]) -> str:
        value = self.text(row, data, key, required=True, length=CODE_LENGTH)
        if value and not CODE_PATTERN.match(value):
            self.error(row, _("%(column)s may only hold letters a–z, digits, - and _.") % {"column": key})
        elif value in seen:
            self.error(row, _("The code %(code)s is used twice.") % {"code": value})
        seen.add(value)
        return value

    def boolean(self, row: int, data: dict[str, Any], key: str, *, default: bool) -> bool:
        value = data.get(key)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        self.error(row, _("%(column)s must be yes or no, not “%(value)s”.") % {"column": key, "value": value})
        return default

    def number(
        self,
        row: int,
        data: dict[str, Any],
        key: str,
        *,
        low: float,
        high: float,
        whole: bool,
        required: bool,
    ) -> float | int | None:
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.error(row, _("%(column)s is empty.") % {"column": key})
            return None
        try:
            number = float(str(value).replace(",", ".")) if not isinstance(value, int | float) else value
        except ValueError:
            number = None
        if (
            number is None
            or isinstance(number, bool)
            or not math.isfinite(number)
            or (whole and float(number) != int(number))
        ):
            self.error(
                row, _("%(column)s must be a number, not “%(value)s”.") % {"column": key, "value": value}
            )
            return None
        if not low <= number <= high:
            self.error(
                row,
                _("%(column)s must lie between %(low)s and %(high)s.")
                % {"column": key, "low": low, "high": high},
            )
            return None
        return int(number) if whole else float(number)


def _option_list(value: Any) -> list[dict[str, str]] | None:
    if not isinstance(value, list) or not value:
        return None
    options = []
    for option in value:
        if isinstance(option, str) and option.strip():
            options.append({"da": option.strip(), "en": ""})
        elif isinstance(option, dict) and str(option.get("da") or "").strip():
            options.append({"da": str(option["da"]).strip(), "en": str(option.get("en") or "").strip()})
        else:
            return None
    return options


@lru_cache(maxsize=1)
def shipped_option_sets() -> dict[str, list[dict[str, str]]]:
    """The named answer scales of Puls's bank (extent, frequency, …): any imported bank may use them."""
    with SHIPPED_BANK_PATH.open(encoding="utf-8") as file:
        return dict(json.load(file)["option_sets"])


def _check_option_sets(raw: RawBank, errors: list[RowError]) -> dict[str, list[dict[str, str]]]:
    sets = {name: list(options) for name, options in shipped_option_sets().items()}
    for name, options in raw.option_sets.items():
        rows = [option.pop("_row") for option in options if isinstance(option, dict) and "_row" in option]
        row = rows[0] if rows else None
        cleaned = _option_list(options)
        if not name or not CODE_PATTERN.match(str(name)):
            errors.append(
                RowError("option_sets", row, _("Each option set needs a name (letters, digits, - and _)."))
            )
        elif cleaned is None or len(cleaned) > MAX_CHOICES:
            errors.append(
                RowError(
                    "option_sets",
                    row,
                    _("The option set %(name)s needs 1–20 options with a Danish text.") % {"name": name},
                )
            )
        else:
            sets[str(name)] = cleaned
    return sets


def check(raw: RawBank, *, default_name: str = "") -> CleanBank:
    """Every row checked; raises ItemBankError listing all bad rows, or returns the clean bank."""
    errors: list[RowError] = []
    option_sets = _check_option_sets(raw, errors)

    meta = _Checker("bank")
    name = str(raw.meta.get("name") or default_name).strip()
    if not name:
        meta.error(None, _("The bank has no name."))
    code = str(raw.meta.get("code") or slugify(name)[:CODE_LENGTH]).strip()
    if name and not CODE_PATTERN.match(code):
        meta.error(None, _("The bank code may only hold letters a–z, digits, - and _."))
    licence_note = str(raw.meta.get("licence_note") or "").strip()

    domains_check = _Checker("domains")
    domains: list[dict[str, Any]] = []
    domain_codes: set[str] = set()
    for row, data in raw.sheets.get("domains", []):
        domains.append(
            {
                "code": domains_check.code(row, data, "code", domain_codes),
                "name_da": domains_check.text(row, data, "name_da", required=True),
                "name_en": domains_check.text(row, data, "name_en", required=False),
            }
        )

    scales_check = _Checker("scales")
    scales: list[dict[str, Any]] = []
    scale_codes: set[str] = set()
    scale_rows: dict[str, int] = {}
    for row, data in raw.sheets.get("scales", []):
        scale_code = scales_check.code(row, data, "code", scale_codes)
        domain = scales_check.text(row, data, "domain", required=True, length=CODE_LENGTH)
        if domain and domain not in domain_codes:
            scales_check.error(row, _("The domain %(code)s does not exist.") % {"code": domain})
        scale_rows[scale_code] = row
        scales.append(
            {
                "code": scale_code,
                "domain": domain,
                "name_da": scales_check.text(row, data, "name_da", required=True),
                "name_en": scales_check.text(row, data, "name_en", required=False),
                "description_da": scales_check.text(row, data, "description_da", required=False, length=2000),
                "description_en": scales_check.text(row, data, "description_en", required=False, length=2000),
                "higher_is_better": scales_check.boolean(row, data, "higher_is_better", default=True),
                "is_outcome": scales_check.boolean(row, data, "is_outcome", default=False),
            }
        )

    items_check = _Checker("items")
    items: list[dict[str, Any]] = []
    item_codes: set[str] = set()
    scales_with_items: set[str] = set()
    for row, data in raw.sheets.get("items", []):
        item = _check_item(items_check, row, data, item_codes, scale_codes, option_sets)
        if item["scale"]:
            scales_with_items.add(item["scale"])
        items.append(item)
    for scale_code, row in scale_rows.items():
        if scale_code and scale_code not in scales_with_items:
            scales_check.error(row, _("The scale %(code)s has no items.") % {"code": scale_code})

    references_check = _Checker("reference_values")
    references = []
    for row, data in raw.sheets.get("reference_values", []):
        scale = references_check.text(row, data, "scale", required=True, length=CODE_LENGTH)
        if scale and scale not in scale_codes:
            references_check.error(row, _("The scale %(code)s does not exist.") % {"code": scale})
        references.append(
            {
                "scale": scale,
                "population": references_check.text(row, data, "population", required=True),
                "year": references_check.number(
                    row, data, "year", low=1900, high=2100, whole=True, required=False
                ),
                "mean": references_check.number(
                    row, data, "mean", low=0, high=100, whole=False, required=True
                ),
                "n": references_check.number(row, data, "n", low=1, high=10**9, whole=True, required=False),
            }
        )

    questionnaires_check = _Checker("questionnaires")
    item_scales = {item["code"]: item["scale"] for item in items}
    questionnaires = [
        _check_questionnaire(questionnaires_check, row, data, scale_codes, item_scales)
        for row, data in raw.questionnaires
    ]

    for checker in (meta, domains_check, scales_check, items_check, references_check, questionnaires_check):
        errors.extend(checker.errors)
    if not items and not errors:
        errors.append(RowError("items", None, _("The bank has no items.")))
    if errors:
        raise ItemBankError(errors)
    return CleanBank(code, name, licence_note, domains, scales, items, references, questionnaires)


def _check_item(
    checker: _Checker,
    row: int,
    data: dict[str, Any],
    seen: set[str],
    scale_codes: set[str],
    option_sets: dict[str, list[dict[str, str]]],
) -> dict[str, Any]:
    code = checker.code(row, data, "code", seen)
    scale = checker.text(row, data, "scale", required=False, length=CODE_LENGTH)
    kind = checker.text(row, data, "kind", required=False, length=20) or "likert"
    if kind not in ITEM_KINDS:
        checker.error(
            row,
            _("Unknown kind “%(kind)s”; use one of %(kinds)s.")
            % {"kind": kind, "kinds": ", ".join(ITEM_KINDS)},
        )
    if scale and scale not in scale_codes:
        checker.error(row, _("The scale %(code)s does not exist.") % {"code": scale})
    elif scale and kind != "likert":
        checker.error(row, _("Only 5-point (likert) items can belong to a scale."))
    reversed_ = checker.boolean(row, data, "reversed", default=False)
    if reversed_ and kind != "likert":
        checker.error(row, _("Only 5-point (likert) items can be reversed."))

    raw_options = data.get("options")
    options: list[dict[str, str]] = []
    if isinstance(raw_options, str) and raw_options.strip():
        options = option_sets.get(raw_options.strip(), [])
        if not options:
            checker.error(row, _("The option set “%(name)s” does not exist.") % {"name": raw_options})
    elif raw_options not in (None, "", []):
        options = _option_list(raw_options) or []
        if not options:
            checker.error(row, _("options must name an option set or list options with a Danish text."))
    if kind == "likert":
        options = options or option_sets["extent"]
        if len(options) != LIKERT_OPTION_COUNT:
            checker.error(
                row, _("A 5-point item needs exactly 5 options, not %(count)d.") % {"count": len(options)}
            )
    elif kind in ("single", "multiple") and not 2 <= len(options) <= MAX_CHOICES:
        checker.error(row, _("A choice item needs 2–20 options."))
    elif kind in ("scale10", "text") and options:
        checker.error(row, _("Items of kind %(kind)s have no options.") % {"kind": kind})
    return {
        "code": code,
        "scale": scale,
        "kind": kind,
        "text_da": checker.text(row, data, "text_da", required=True, length=2000),
        "text_en": checker.text(row, data, "text_en", required=False, length=2000),
        "options": options,
        "reversed": reversed_,
    }


def _check_questionnaire(
    checker: _Checker, row: int, data: dict[str, Any], scale_codes: set[str], item_scales: dict[str, str]
) -> dict[str, Any]:
    name = checker.text(row, data, "name", required=True)
    kind = str(data.get("kind") or "custom")
    if kind not in QUESTIONNAIRE_KINDS:
        checker.error(row, _("Unknown questionnaire kind “%(kind)s”.") % {"kind": kind})
    sections_data = data.get("sections")
    if not isinstance(sections_data, list) or not sections_data:
        checker.error(row, _("The questionnaire has no sections."))
        sections_data = []
    sections = []
    for section in sections_data:
        section_row = section.get("_row", row) if isinstance(section, dict) else row
        if not isinstance(section, dict):
            checker.error(row, _("A section must be an object."))
            continue
        for empty_row in section.get("_empty_rows", []):
            checker.error(empty_row, _("Name a scale or an item in this row."))
        item_codes: list[str] = []
        for scale in section.get("scales") or []:
            if scale not in scale_codes:
                checker.error(section_row, _("The scale %(code)s does not exist.") % {"code": scale})
            item_codes.extend(code for code, item_scale in item_scales.items() if item_scale == scale)
        for item in section.get("items") or []:
            if item not in item_scales:
                checker.error(section_row, _("The item %(code)s does not exist.") % {"code": item})
            item_codes.append(item)
        if not str(section.get("title_da") or "").strip():
            checker.error(section_row, _("The section has no Danish title."))
        if not item_codes:
            checker.error(section_row, _("The section has no items."))
        sections.append(
            {
                "title_da": str(section.get("title_da") or "").strip()[:NAME_LENGTH],
                "title_en": str(section.get("title_en") or "").strip()[:NAME_LENGTH],
                "items": list(dict.fromkeys(item_codes)),
            }
        )
    return {"kind": kind, "name": name, "sections": sections}


# Saving ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BankModels:
    """The model classes to write with: the real ones, or a migration's historical ones."""

    ItemBank: Any
    Domain: Any
    Scale: Any
    Item: Any
    ReferenceValue: Any
    Questionnaire: Any
    Section: Any
    SectionItem: Any

    @classmethod
    def from_apps(cls, apps: Any) -> "BankModels":
        return cls(*(apps.get_model("surveys", name) for name in cls.__dataclass_fields__))

    @classmethod
    def current(cls) -> "BankModels":
        from django.apps import apps

        return cls.from_apps(apps)


def default_questionnaire(bank: CleanBank) -> dict[str, Any]:
    """For a bank without questionnaires: one section per domain, then the items outside scales."""
    sections = []
    for domain in bank.domains:
        scale_codes = [scale["code"] for scale in bank.scales if scale["domain"] == domain["code"]]
        codes = [item["code"] for code in scale_codes for item in bank.items if item["scale"] == code]
        if codes:
            sections.append({"title_da": domain["name_da"], "title_en": domain["name_en"], "items": codes})
    other = [item["code"] for item in bank.items if not item["scale"]]
    if other:
        sections.append({"title_da": "Øvrige spørgsmål", "title_en": "Other questions", "items": other})
    return {"kind": "custom", "name": bank.name[:NAME_LENGTH], "sections": sections}


def bank_save(bank: CleanBank, *, organisation_id: Any, models: BankModels) -> Any:
    """Write a checked bank with its questionnaires. Call inside a transaction."""
    item_bank = models.ItemBank.objects.create(
        organisation_id=organisation_id,
        code=bank.code,
        name=bank.name[:NAME_LENGTH],
        licence_note=bank.licence_note,
    )
    domains = {}
    for order, data in enumerate(bank.domains):
        domains[data["code"]] = models.Domain.objects.create(bank=item_bank, order=order, **data)
    scales = {}
    for order, data in enumerate(bank.scales):
        values = {**data, "domain": domains[data["domain"]]}
        scales[data["code"]] = models.Scale.objects.create(bank=item_bank, order=order, **values)
    items = {}
    for order, data in enumerate(bank.items):
        values = {**data, "scale": scales.get(data["scale"])}
        items[data["code"]] = models.Item(
            bank=item_bank, organisation_id=organisation_id, order=order, **values
        )
    models.Item.objects.bulk_create(items.values())
    models.ReferenceValue.objects.bulk_create(
        [models.ReferenceValue(**{**data, "scale": scales[data["scale"]]}) for data in bank.reference_values]
    )
    for questionnaire in bank.questionnaires or [default_questionnaire(bank)]:
        _questionnaire_save(questionnaire, items, organisation_id=organisation_id, models=models)
    return item_bank


def _questionnaire_save(
    data: dict[str, Any], items: dict[str, Any], *, organisation_id: Any, models: BankModels
) -> Any:
    questionnaire = models.Questionnaire.objects.create(
        organisation_id=organisation_id, kind=data["kind"], name=data["name"]
    )
    links: list[Any] = []
    for order, section_data in enumerate(data["sections"]):
        section = models.Section.objects.create(
            questionnaire=questionnaire,
            title_da=section_data["title_da"],
            title_en=section_data["title_en"],
            order=order,
        )
        links.extend(
            models.SectionItem(section=section, item=items[code], order=position)
            for position, code in enumerate(section_data["items"])
        )
    models.SectionItem.objects.bulk_create(links)
    return questionnaire


def shipped_bank() -> CleanBank:
    with SHIPPED_BANK_PATH.open("rb") as file:
        return check(read_json(file.read()))


def load_shipped_bank(models: BankModels) -> Any:
    """Load Puls's own bank and its template questionnaires, unless it is already there."""
    existing = models.ItemBank.objects.filter(organisation__isnull=True, code=SHIPPED_BANK_CODE).first()
    if existing is not None:
        return existing
    return bank_save(shipped_bank(), organisation_id=None, models=models)
