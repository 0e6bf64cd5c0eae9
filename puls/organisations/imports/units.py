"""The units import: create and update units by code, move them when their parent changes.

Units missing from the file are left alone. Parents may come after their children in the file.
"""

import uuid
from dataclasses import dataclass, field

from puls.core.models import User
from puls.organisations import services as organisation_services
from puls.organisations.imports.messages import Message
from puls.organisations.imports.parsing import UNIT_COLUMNS, ImportFile, Row, looks_like_cpr
from puls.organisations.imports.plan import (
    CHANGED,
    NEW,
    UNCHANGED,
    Plan,
    Progress,
    RowOutcome,
    error_row,
    no_progress,
)
from puls.organisations.models import Organisation, Unit

MAX_LENGTHS = {column.key: column.max_length for column in UNIT_COLUMNS if column.max_length}


@dataclass
class UnitRow:
    number: int
    code: str
    name: str
    parent_code: str


@dataclass
class UnitPlan(Plan):
    # Valid rows, parents before children.
    ordered: list[UnitRow] = field(default_factory=list)
    existing: dict[str, Unit] = field(default_factory=dict)


def _read_row(row: Row) -> tuple[UnitRow, list[Message]]:
    unit_row = UnitRow(
        number=row.number, code=row.text("code"), name=row.text("name"), parent_code=row.text("parent_code")
    )
    errors: list[Message] = []
    if looks_like_cpr(row):
        return UnitRow(number=row.number, code="", name="", parent_code=""), [("cpr_value", {})]
    for key in ("code", "name"):
        if not getattr(unit_row, key):
            errors.append(("missing_value", {"field": key}))
    for key, limit in MAX_LENGTHS.items():
        if len(getattr(unit_row, key)) > limit:
            errors.append(("too_long", {"field": key, "limit": limit}))
    return unit_row, errors


def plan_units(
    *, organisation: Organisation, imported: ImportFile, progress: Progress = no_progress
) -> UnitPlan:
    existing = {unit.code: unit for unit in Unit.objects.filter(organisation=organisation)}
    code_of = {unit.pk: code for code, unit in existing.items()}
    plan = UnitPlan(existing=existing)

    errors_by_number: dict[int, list[Message]] = {}
    rows: list[UnitRow] = []
    first_row_of: dict[str, int] = {}
    for handled, raw in enumerate(imported.rows, start=1):
        unit_row, errors = _read_row(raw)
        if unit_row.code in first_row_of:
            errors.append(
                ("duplicate_unit_code", {"value": unit_row.code, "row": first_row_of[unit_row.code]})
            )
        elif unit_row.code:
            first_row_of[unit_row.code] = raw.number
        rows.append(unit_row)
        errors_by_number[raw.number] = errors
        if handled % 500 == 0:
            progress(handled)

    # The tree after the import: file rows give their parent, other units keep theirs.
    valid = {row.code: row for row in rows if not errors_by_number[row.number]}
    settled = False
    while not settled:
        settled = True
        parent_of: dict[str, str] = {
            code: code_of[unit.parent_id]
            for code, unit in existing.items()
            if unit.parent_id and code not in valid
        }
        parent_of.update({code: row.parent_code for code, row in valid.items() if row.parent_code})
        for code, row in list(valid.items()):
            if row.parent_code and row.parent_code not in valid and row.parent_code not in existing:
                failed_parent = row.parent_code in first_row_of
                errors_by_number[row.number].append(
                    ("parent_has_errors" if failed_parent else "unknown_parent", {"value": row.parent_code})
                )
                del valid[code]
                settled = False
        for code in list(valid):
            cycle = _cycle_from(code, parent_of)
            if cycle:
                members = [member for member in cycle[:-1] if member in valid]
                for member in members:
                    errors_by_number[valid[member].number].append(("cycle", {"value": " → ".join(cycle)}))
                    del valid[member]
                if members:
                    settled = False
                    break

    for row in rows:
        errors = errors_by_number[row.number]
        if errors:
            plan.outcomes.append(error_row(row.number, row.code, row.name, errors))
        else:
            plan.outcomes.append(_outcome(row, existing.get(row.code), code_of))
    plan.ordered = _parents_first(list(valid.values()))
    in_file = set(first_row_of)
    plan.absent = [
        [unit.code, unit.name]
        for code, unit in existing.items()
        if code not in in_file and unit.closed_on is None
    ]
    progress(len(imported.rows))
    return plan


def _cycle_from(code: str, parent_of: dict[str, str]) -> list[str]:
    """The codes of the cycle reached by following parents from `code`, first code repeated at the end."""
    seen: list[str] = []
    current: str | None = code
    while current is not None:
        if current in seen:
            start = seen.index(current)
            return [*seen[start:], current]
        seen.append(current)
        current = parent_of.get(current)
    return []


def _outcome(row: UnitRow, unit: Unit | None, code_of: dict[uuid.UUID, str]) -> RowOutcome:
    if unit is None:
        return RowOutcome(number=row.number, outcome=NEW, key=row.code, label=row.name)
    changes: list[Message] = []
    if unit.name != row.name:
        changes.append(("field_changed", {"field": "name", "old": unit.name, "new": row.name}))
    current_parent = code_of.get(unit.parent_id, "") if unit.parent_id else ""
    if current_parent != row.parent_code:
        changes.append(
            ("field_changed", {"field": "parent_code", "old": current_parent, "new": row.parent_code})
        )
    return RowOutcome(
        number=row.number,
        outcome=CHANGED if changes else UNCHANGED,
        key=row.code,
        label=row.name,
        details=changes,
    )


def _parents_first(rows: list[UnitRow]) -> list[UnitRow]:
    by_code = {row.code: row for row in rows}
    ordered: list[UnitRow] = []
    placed: set[str] = set()

    def place(row: UnitRow) -> None:
        # Iterative walk up the file's parents; the plan has already refused cycles.
        chain = [row]
        while chain[-1].parent_code in by_code and chain[-1].parent_code not in placed:
            chain.append(by_code[chain[-1].parent_code])
        for member in reversed(chain):
            if member.code not in placed:
                placed.add(member.code)
                ordered.append(member)

    for row in rows:
        place(row)
    return ordered


def apply_units(*, organisation: Organisation, plan: UnitPlan, actor: User | None) -> dict[str, int]:
    """Write the plan. Runs inside the caller's transaction."""
    units = dict(plan.existing)
    code_of_parent = {unit.pk: unit.code for unit in units.values()}
    moved = False
    counts = {"created": 0, "renamed": 0, "moved": 0}
    for row in plan.ordered:
        parent = units.get(row.parent_code) if row.parent_code else None
        if parent is not None and moved:
            parent.refresh_from_db()
        unit = units.get(row.code)
        if unit is None:
            units[row.code] = organisation_services.unit_create(
                organisation=organisation, code=row.code, name=row.name, parent=parent
            )
            code_of_parent[units[row.code].pk] = row.code
            counts["created"] += 1
            continue
        if moved:
            unit.refresh_from_db()
        if unit.name != row.name:
            unit.name = row.name
            unit.save(update_fields=["name"])
            counts["renamed"] += 1
        current_parent = code_of_parent.get(unit.parent_id) if unit.parent_id else None
        if (current_parent or "") != row.parent_code:
            organisation_services.unit_move(actor=actor, unit=unit, new_parent=parent)
            moved = True
            counts["moved"] += 1
    return counts
