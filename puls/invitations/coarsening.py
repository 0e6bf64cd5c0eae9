"""Storage cells: where answers are stored so every stored combination matches >= k people (DESIGN §4.2).

Pure functions over plain data, so the rules can be property-tested without a database:

- `plan_cells` (launch): units below k invitees merge into their parent; at a root, while 0 < pending
  < k, the smallest storage unit directly below it merges back; attribute values below k are pooled
  as "other"; attributes are dropped from the end of the declared list for a unit until every
  combination holds >= k invitees.
- `plan_close_merges` (close): cells with 0 < responses < k lose attributes, then move up the tree
  until each holds 0 or >= k responses.

Both return report entries (`{"action": ..., ...}`) that `report_lines` turns into readable text.
"""

import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

OTHER = "other"


@dataclass(frozen=True)
class UnitNode:
    id: uuid.UUID
    parent_id: uuid.UUID | None
    name: str


@dataclass
class PlannedCell:
    unit_id: uuid.UUID
    attributes: dict[str, str]
    members: list[int] = field(default_factory=list)


class UnitTree:
    """Parent links, depths and names of an organisation's units."""

    def __init__(self, units: Iterable[UnitNode]) -> None:
        self.nodes = {unit.id: unit for unit in units}
        self._depth: dict[uuid.UUID, int] = {}

    def parent(self, unit_id: uuid.UUID) -> uuid.UUID | None:
        parent_id = self.nodes[unit_id].parent_id
        return parent_id if parent_id in self.nodes else None

    def depth(self, unit_id: uuid.UUID) -> int:
        if unit_id not in self._depth:
            parent_id = self.parent(unit_id)
            self._depth[unit_id] = 0 if parent_id is None else self.depth(parent_id) + 1
        return self._depth[unit_id]

    def ancestors(self, unit_id: uuid.UUID) -> list[uuid.UUID]:
        """Strict ancestors, nearest first."""
        found = []
        parent_id = self.parent(unit_id)
        while parent_id is not None:
            found.append(parent_id)
            parent_id = self.parent(parent_id)
        return found

    def root(self, unit_id: uuid.UUID) -> uuid.UUID:
        ancestors = self.ancestors(unit_id)
        return ancestors[-1] if ancestors else unit_id

    def name(self, unit_id: uuid.UUID) -> str:
        return self.nodes[unit_id].name

    def sort_key(self, unit_id: uuid.UUID) -> tuple[int, str, str]:
        return (-self.depth(unit_id), self.name(unit_id), unit_id.hex)


def _unit_entry(tree: UnitTree, action: str, unit_id: uuid.UUID, **extra: Any) -> dict[str, Any]:
    return {"action": action, "unit": str(unit_id), "unit_name": tree.name(unit_id), **extra}


def _move_entry(
    tree: UnitTree, action: str, unit_id: uuid.UUID, into: uuid.UUID, count: int, **extra: Any
) -> dict[str, Any]:
    return _unit_entry(tree, action, unit_id, into=str(into), into_name=tree.name(into), count=count, **extra)


def _nearest_storage_ancestor(
    tree: UnitTree, unit_id: uuid.UUID, storage: dict[uuid.UUID, Any]
) -> uuid.UUID | None:
    return next((a for a in tree.ancestors(unit_id) if a in storage), None)


def plan_storage_units(
    *, tree: UnitTree, member_units: list[uuid.UUID], k: int
) -> tuple[dict[uuid.UUID, list[int]], list[dict[str, Any]]]:
    """Storage unit → invitee indexes, so that each storage unit holds >= k invitees."""
    if len(member_units) < k:
        raise ValueError("fewer invitees than k")
    pending: dict[uuid.UUID, list[int]] = defaultdict(list)
    for index, unit_id in enumerate(member_units):
        pending[unit_id].append(index)
    # Every ancestor of a unit with invitees takes part, even with no direct staff.
    involved = set(pending)
    for unit_id in list(pending):
        involved.update(tree.ancestors(unit_id))

    report: list[dict[str, Any]] = []
    storage: dict[uuid.UUID, list[int]] = {}
    roots = []
    for unit_id in sorted(involved, key=tree.sort_key):
        parent_id = tree.parent(unit_id)
        members = pending.pop(unit_id, [])
        if parent_id is None:
            roots.append((unit_id, members))
        elif len(members) >= k:
            storage[unit_id] = members
        elif members:
            pending[parent_id].extend(members)
            report.append(_move_entry(tree, "unit_merged", unit_id, parent_id, len(members)))

    leftovers: list[tuple[uuid.UUID, list[int]]] = []
    for root_id, members in roots:
        while 0 < len(members) < k:
            below = [
                unit_id
                for unit_id in storage
                if tree.root(unit_id) == root_id and _nearest_storage_ancestor(tree, unit_id, storage) is None
            ]
            if not below:
                break
            smallest = min(below, key=lambda u: (len(storage[u]), tree.name(u), u.hex))
            moved = storage.pop(smallest)
            members.extend(moved)
            report.append(_move_entry(tree, "unit_absorbed_by_root", smallest, root_id, len(moved)))
        if len(members) >= k:
            storage[root_id] = members
        elif members:
            leftovers.append((root_id, members))

    # A whole tree (one of several roots) with fewer than k invitees joins the smallest top-level cell;
    # when no tree reaches k on its own, they all join the largest.
    leftovers.sort(key=lambda item: (-len(item[1]), tree.name(item[0]), item[0].hex))
    for root_id, members in leftovers:
        top = [unit_id for unit_id in storage if _nearest_storage_ancestor(tree, unit_id, storage) is None]
        if not top:
            storage[root_id] = members
            continue
        target = min(top, key=lambda u: (len(storage[u]), tree.name(u), u.hex))
        storage[target].extend(members)
        report.append(_move_entry(tree, "tree_pooled", root_id, target, len(members)))
    return storage, report


def _pool_values(values: list[str], k: int) -> tuple[dict[str, str], list[str], list[str]]:
    """Value → stored value for one attribute within one storage unit; also what was pooled/absorbed."""
    counts = Counter(value or OTHER for value in values)
    mapping = {value: value for value in counts}
    mapping[""] = OTHER
    pooled = sorted(value for value, n in counts.items() if n < k and value != OTHER)
    for value in pooled:
        mapping[value] = OTHER
    other = counts[OTHER] + sum(counts[value] for value in pooled)
    remaining = {value: n for value, n in counts.items() if n >= k and value != OTHER}
    absorbed = []
    while 0 < other < k and remaining:
        smallest = min(remaining, key=lambda v: (remaining[v], v))
        other += remaining.pop(smallest)
        mapping[smallest] = OTHER
        absorbed.append(smallest)
    return mapping, pooled, absorbed


def plan_cells(
    *,
    tree: UnitTree,
    member_units: list[uuid.UUID],
    member_attributes: list[dict[str, str]],
    attributes: list[str],
    k: int,
) -> tuple[list[PlannedCell], dict[str, Any]]:
    """The storage cells for a ballot's invitees (index i = member_units[i], member_attributes[i])."""
    storage, entries = plan_storage_units(tree=tree, member_units=member_units, k=k)
    cells: list[PlannedCell] = []
    for unit_id in sorted(storage, key=lambda u: (tree.depth(u), tree.name(u), u.hex)):
        members = storage[unit_id]
        stored: dict[str, dict[int, str]] = {}
        for attribute in attributes:
            values = [member_attributes[i].get(attribute, "") for i in members]
            mapping, pooled, absorbed = _pool_values(values, k)
            stored[attribute] = {i: mapping[value] for i, value in zip(members, values, strict=True)}
            if pooled:
                count = sum(1 for value in values if value in pooled)
                entries.append(
                    _unit_entry(
                        tree, "values_pooled", unit_id, attribute=attribute, values=pooled, count=count
                    )
                )
            for value in absorbed:
                count = sum(1 for v in values if v == value)
                entries.append(
                    _unit_entry(
                        tree, "value_absorbed", unit_id, attribute=attribute, value=value, count=count
                    )
                )
        active = list(attributes)
        while active:
            combinations = Counter(tuple(stored[a][i] for a in active) for i in members)
            smallest = min(combinations.values())
            if smallest >= k:
                break
            dropped = active.pop()
            entries.append(_unit_entry(tree, "attribute_dropped", unit_id, attribute=dropped, count=smallest))
        by_key: dict[tuple[str, ...], PlannedCell] = {}
        for i in members:
            key = tuple(stored[a][i] for a in active)
            if key not in by_key:
                by_key[key] = PlannedCell(unit_id=unit_id, attributes=dict(zip(active, key, strict=True)))
            by_key[key].members.append(i)
        cells.extend(by_key[key] for key in sorted(by_key))
    report = {
        "k": k,
        "attributes": list(attributes),
        "storage_units": [
            {"unit": str(unit_id), "unit_name": tree.name(unit_id), "count": len(storage[unit_id])}
            for unit_id in sorted(storage, key=lambda u: (tree.depth(u), tree.name(u), u.hex))
        ],
        "entries": entries,
    }
    return cells, report


@dataclass
class CellState:
    id: uuid.UUID
    unit_id: uuid.UUID
    attributes: dict[str, str]
    responses: int
    invited: int = 0
    created: bool = False

    def key(self) -> tuple[uuid.UUID, tuple[tuple[str, str], ...]]:
        return (self.unit_id, tuple(sorted(self.attributes.items())))


class _CloseMerger:
    def __init__(self, tree: UnitTree, cells: list[CellState], k: int, attribute_order: list[str]) -> None:
        self.tree = tree
        self.k = k
        self.order = attribute_order
        self.active = {cell.id: cell for cell in cells}
        self.by_key = {cell.key(): cell.id for cell in cells}
        self.moved: dict[uuid.UUID, uuid.UUID] = {}
        self.entries: list[dict[str, Any]] = []

    def small(self, cell: CellState) -> bool:
        return 0 < cell.responses < self.k

    def cells_of(self, unit_id: uuid.UUID) -> list[CellState]:
        return sorted(
            (cell for cell in self.active.values() if cell.unit_id == unit_id),
            key=lambda c: (sorted(c.attributes.items()), c.id.hex),
        )

    def merge(self, cell: CellState, unit_id: uuid.UUID, attributes: dict[str, str]) -> CellState:
        key = (unit_id, tuple(sorted(attributes.items())))
        target_id = self.by_key.get(key)
        if target_id is None or target_id not in self.active:
            target = CellState(
                id=uuid.uuid4(), unit_id=unit_id, attributes=attributes, responses=0, created=True
            )
            self.active[target.id] = target
            self.by_key[key] = target.id
        else:
            target = self.active[target_id]
        if target.id == cell.id:
            return target
        target.responses += cell.responses
        target.invited += cell.invited
        del self.active[cell.id]
        self.moved[cell.id] = target.id
        return target

    def coarsen_unit(self, unit_id: uuid.UUID) -> None:
        present = {name for cell in self.cells_of(unit_id) for name in cell.attributes}
        in_use = [a for a in self.order if a in present] + sorted(present - set(self.order))
        while in_use and any(self.small(cell) for cell in self.cells_of(unit_id)):
            dropped = in_use.pop()
            smallest = min(cell.responses for cell in self.cells_of(unit_id) if self.small(cell))
            for cell in self.cells_of(unit_id):
                if dropped in cell.attributes:
                    rest = {name: value for name, value in cell.attributes.items() if name != dropped}
                    self.merge(cell, unit_id, rest)
            self.entries.append(
                _unit_entry(
                    self.tree, "attribute_dropped_at_close", unit_id, attribute=dropped, count=smallest
                )
            )

    def run(self) -> None:
        pending_units = {cell.unit_id for cell in self.active.values()}
        for unit_id in list(pending_units):
            pending_units.update(self.tree.ancestors(unit_id))
        roots = []
        for unit_id in sorted(pending_units, key=self.tree.sort_key):
            self.coarsen_unit(unit_id)
            parent_id = self.tree.parent(unit_id)
            if parent_id is None:
                roots.append(unit_id)
                continue
            for cell in self.cells_of(unit_id):
                if self.small(cell):
                    count = cell.responses
                    self.merge(cell, parent_id, {})
                    self.entries.append(
                        _move_entry(self.tree, "cell_merged_at_close", unit_id, parent_id, count)
                    )
        for root_id in roots:
            self.fill_root(root_id)

    def fill_root(self, root_id: uuid.UUID) -> None:
        while True:
            self.coarsen_unit(root_id)
            small = [cell for cell in self.cells_of(root_id) if self.small(cell)]
            if not small:
                return
            answered_units = {
                c.unit_id for c in self.active.values() if c.responses > 0 and c.unit_id != root_id
            }
            below = [
                cell
                for cell in self.active.values()
                if cell.responses > 0
                and cell.unit_id in answered_units
                and self.tree.root(cell.unit_id) == root_id
                and not any(a in answered_units for a in self.tree.ancestors(cell.unit_id))
            ]
            if not below:
                return
            smallest = min(below, key=lambda c: (c.responses, self.tree.name(c.unit_id), c.id.hex))
            count = smallest.responses
            self.merge(smallest, root_id, {})
            self.entries.append(
                _move_entry(self.tree, "cell_absorbed_by_root", smallest.unit_id, root_id, count)
            )

    def resolved_mapping(self) -> dict[uuid.UUID, uuid.UUID]:
        resolved = {}
        for source in self.moved:
            target = self.moved[source]
            while target in self.moved:
                target = self.moved[target]
            resolved[source] = target
        return resolved


def plan_close_merges(
    *, tree: UnitTree, cells: list[CellState], k: int, attribute_order: list[str]
) -> tuple[list[CellState], dict[uuid.UUID, uuid.UUID], list[dict[str, Any]]]:
    """(cells created at close, {merged cell id: surviving cell id}, report entries).

    Afterwards each surviving cell holds 0 or >= k responses, unless a whole tree has fewer than k.
    """
    merger = _CloseMerger(tree, cells, k, attribute_order)
    merger.run()
    mapping = merger.resolved_mapping()
    created = [cell for cell in merger.active.values() if cell.created]
    # A cell created at close and merged again later is never written.
    return created, mapping, merger.entries


def report_lines(report: dict[str, Any]) -> list[str]:
    """The coarsening report as sentences in the active language (for administrators)."""
    k = report.get("k")
    lines = []
    for entry in report.get("entries", []):
        values = {**entry, "k": k}
        if isinstance(entry.get("values"), list):
            values["values"] = ", ".join(entry["values"])
        template = _REPORT_TEXTS.get(entry.get("action", ""))
        if template is not None:
            lines.append(_(template) % values)
    return lines


# Marked for translation here, translated when shown (report_lines).
_REPORT_TEXTS = {
    "unit_merged": gettext_noop(
        "%(unit_name)s (%(count)d invited, with merged units below it) is stored with %(into_name)s: "
        "fewer than %(k)d."
    ),
    "unit_absorbed_by_root": gettext_noop(
        "%(unit_name)s (%(count)d invited) is stored with %(into_name)s, so that the people directly in "
        "%(into_name)s are at least %(k)d."
    ),
    "tree_pooled": gettext_noop(
        "All of %(unit_name)s (%(count)d invited) is stored with %(into_name)s: the whole tree has fewer "
        "than %(k)d."
    ),
    "values_pooled": gettext_noop(
        "In %(unit_name)s, %(attribute)s values with fewer than %(k)d invited (%(values)s, %(count)d in all) "
        "are stored as “other”."
    ),
    "value_absorbed": gettext_noop(
        "In %(unit_name)s, %(attribute)s “%(value)s” (%(count)d invited) is also stored as “other”, so that "
        "“other” has at least %(k)d."
    ),
    "attribute_dropped": gettext_noop(
        "In %(unit_name)s, %(attribute)s is not stored: combined with the other attributes a group "
        "would have %(count)d invited, fewer than %(k)d."
    ),
    "attribute_dropped_at_close": gettext_noop(
        "At closing, %(attribute)s was removed from answers in %(unit_name)s: a group had %(count)d answers, "
        "fewer than %(k)d."
    ),
    "cell_merged_at_close": gettext_noop(
        "At closing, %(count)d answers from %(unit_name)s were moved to %(into_name)s: fewer than %(k)d."
    ),
    "cell_absorbed_by_root": gettext_noop(
        "At closing, %(count)d answers from %(unit_name)s were moved to %(into_name)s, so that its own group "
        "has at least %(k)d."
    ),
}
