"""Small-cell suppression: which units and filtered cells a published table may show.

Implements DESIGN §4.3–4.5 exactly as `SUPPRESSION.md` (in the shared design notes) states it.
The module knows nothing about models: callers pass the unit tree with the atoms (respondents with
a valid value for the measure, or invitees for participation counts) counted at each unit's own
level, and get back one result that every output path shows its part of.

- `suppress_tree`: rules 1-3 (threshold, residual, repair order). Comments call it with the
  free-text threshold as `k`; participation counts pass invitee counts as `direct`.
- `suppress_filtered`: rule 4 (the tree x one background attribute) including the LP audit.
- `audit_filtered` / `cell_bounds`: the audit on its own, for any set of published numbers.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_array

# LP results are floats; counts at the polytope's vertices are whole numbers.
_TOLERANCE = 1e-7


class HiddenReason(StrEnum):
    BELOW_THRESHOLD = "below_threshold"  # N < k, or (filtered) one of the unit's cells < k
    RESIDUAL = "residual"  # hidden so that no difference of shown numbers isolates fewer than k
    UNIT_HIDDEN = "unit_hidden"  # filtered: the unit itself is hidden, so its cells are too
    LEAK = "leak"  # filtered: the LP audit showed that publishing these cells pins a hidden cell


@dataclass(frozen=True)
class TreeNode:
    """One unit. `direct` counts the atoms whose own unit this is (not its descendants')."""

    id: str
    parent: str | None
    code: str  # tie-breaker: "lowest unit code" (compared as text)
    direct: int


@dataclass(frozen=True)
class SuppressionResult:
    shown: frozenset[str]
    n: Mapping[str, int]  # N(u), the subtree total, of every unit (hidden ones too: never publish those)
    hidden: Mapping[str, HiddenReason]

    def is_shown(self, unit_id: str) -> bool:
        return unit_id in self.shown

    def reason(self, unit_id: str) -> HiddenReason | None:
        if unit_id not in self.n:
            raise KeyError(unit_id)
        return self.hidden.get(unit_id)


@dataclass(frozen=True)
class FilteredResult:
    unfiltered: SuppressionResult
    values: tuple[str, ...]
    units_with_cells: frozenset[str]  # units whose filtered cells are all shown
    n: Mapping[tuple[str, str], int]  # subtree count of every (unit, value) cell, shown or not
    hidden: Mapping[str, HiddenReason]  # why a unit's cells are hidden

    def is_cell_shown(self, unit_id: str, value: str) -> bool:
        return unit_id in self.units_with_cells and value in self.values

    @property
    def shown_cells(self) -> frozenset[tuple[str, str]]:
        return frozenset((unit, value) for unit in self.units_with_cells for value in self.values)

    def reason(self, unit_id: str) -> HiddenReason | None:
        if unit_id not in self.unfiltered.n:
            raise KeyError(unit_id)
        return self.hidden.get(unit_id)


@dataclass(frozen=True)
class CellBounds:
    """The smallest and largest count of a cell consistent with the published numbers."""

    unit: str
    value: str
    low: int
    high: int | None  # None: unbounded

    @property
    def determined(self) -> bool:
        return self.high == self.low


def suppress_tree(nodes: Sequence[TreeNode], k: int) -> SuppressionResult:
    """Rules 1-3: the units whose figures may be published."""
    _check_threshold(k)
    return _suppress(_Tree(nodes), k)


def suppress_filtered(
    nodes: Sequence[TreeNode], cells: Mapping[tuple[str, str], int], k: int
) -> FilteredResult:
    """Rule 4: the units whose filtered cells may be published, after the LP audit.

    `cells[(unit id, value)]` counts the unit's own atoms with that attribute value; a unit's cells
    must add up to its `direct`. The attribute's values are those that occur in `cells`: pass a 0
    for a value that exists but has no atoms, so that its cells are suppressed like any other.
    """
    _check_threshold(k)
    tree = _Tree(nodes)
    direct_by_value = _direct_by_value(tree, cells)
    unfiltered = _suppress(tree, k)
    shown = {tree.index[unit] for unit in unfiltered.shown}
    counts_by_value = {value: tree.subtree_sums(direct) for value, direct in direct_by_value.items()}
    totals = tree.subtree_sums(tree.direct)

    baseline = _Lazy(lambda: _CellAudit(tree, direct_by_value, shown, with_cells=set()))
    # Each round publishes a subset of the previous round's cells, so what an earlier round proved
    # about a hidden cell's freedom (and the tables it found feasible) still holds: see `_Knowledge`.
    knowledge = _Knowledge()
    with_cells = set(shown)
    hidden_by_audit: set[int] = set()
    while True:
        with_cells = _stable_cell_units(tree, counts_by_value, k, with_cells)
        if not with_cells:
            # No filtered cell is published: the published numbers are the unfiltered ones, and a
            # leak is a cell that they pin and the unfiltered ones alone do not.
            break
        audit = _CellAudit(tree, direct_by_value, shown, with_cells, baseline, knowledge)
        leak = next(audit.leaks(), None)
        if leak is None:
            break
        # The published cells the derivation uses (non-zero LP dual); as in rule 3, hide the smallest.
        candidates = leak.derived_from or with_cells
        victim = min(candidates, key=lambda unit: (totals[unit], tree.sort_key[unit]))
        with_cells.discard(victim)
        hidden_by_audit.add(victim)

    hidden: dict[str, HiddenReason] = {}
    for unit in range(tree.size):
        if unit in with_cells:
            continue
        if unit not in shown:
            hidden[tree.ids[unit]] = HiddenReason.UNIT_HIDDEN
        elif any(counts[unit] < k for counts in counts_by_value.values()):
            hidden[tree.ids[unit]] = HiddenReason.BELOW_THRESHOLD
        elif unit in hidden_by_audit:
            hidden[tree.ids[unit]] = HiddenReason.LEAK
        else:
            hidden[tree.ids[unit]] = HiddenReason.RESIDUAL
    return FilteredResult(
        unfiltered=unfiltered,
        values=tuple(direct_by_value),
        units_with_cells=frozenset(tree.ids[unit] for unit in with_cells),
        n={
            (tree.ids[unit], value): counts[unit]
            for value, counts in counts_by_value.items()
            for unit in range(tree.size)
        },
        hidden=hidden,
    )


def audit_filtered(
    nodes: Sequence[TreeNode],
    cells: Mapping[tuple[str, str], int],
    *,
    shown_units: Collection[str],
    units_with_cells: Collection[str],
) -> list[CellBounds]:
    """Hidden cells whose count the published numbers pin to one value (leaks).

    Published: N(u) of every shown unit and every cell of the units with cells. A cell that the
    unfiltered figures alone already pin (by rules 1-3 only a count of 0, below a residual of 0) is
    not reported: no choice of filtered cells could protect it.
    """
    tree = _Tree(nodes)
    direct_by_value = _direct_by_value(tree, cells)
    shown, with_cells = _published_units(tree, shown_units, units_with_cells)
    baseline = _Lazy(lambda: _CellAudit(tree, direct_by_value, shown, with_cells=set()))
    audit = _CellAudit(tree, direct_by_value, shown, with_cells, baseline)
    return [leak.bounds for leak in audit.leaks()]


def cell_bounds(
    nodes: Sequence[TreeNode],
    cells: Mapping[tuple[str, str], int],
    *,
    shown_units: Collection[str],
    units_with_cells: Collection[str],
    unit: str,
    value: str,
) -> CellBounds:
    """The interval the published numbers leave for the subtree count of one cell."""
    tree = _Tree(nodes)
    direct_by_value = _direct_by_value(tree, cells)
    shown, with_cells = _published_units(tree, shown_units, units_with_cells)
    audit = _CellAudit(tree, direct_by_value, shown, with_cells)
    return audit.bounds(tree.index[unit], list(direct_by_value).index(value))[0]


def _check_threshold(k: int) -> None:
    if k < 1:
        raise ValueError(f"threshold must be at least 1, got {k}")


class _Tree:
    """The unit tree with integer indices, checked once."""

    def __init__(self, nodes: Sequence[TreeNode]) -> None:
        self.size = len(nodes)
        self.ids = [node.id for node in nodes]
        self.index = {unit_id: i for i, unit_id in enumerate(self.ids)}
        if len(self.index) != self.size:
            raise ValueError("unit ids must be unique")
        self.sort_key = [(node.code, node.id) for node in nodes]
        self.direct = [node.direct for node in nodes]
        if any(count < 0 for count in self.direct):
            raise ValueError("direct counts must not be negative")
        self.parent: list[int] = []
        for node in nodes:
            if node.parent is not None and node.parent not in self.index:
                raise ValueError(f"unit {node.id!r} has an unknown parent {node.parent!r}")
            self.parent.append(-1 if node.parent is None else self.index[node.parent])
        self.children: list[list[int]] = [[] for _ in nodes]
        for unit, parent in enumerate(self.parent):
            if parent >= 0:
                self.children[parent].append(unit)
        self.depth = [0] * self.size
        self.top_down = [unit for unit, parent in enumerate(self.parent) if parent < 0]
        position = 0
        while position < len(self.top_down):
            unit = self.top_down[position]
            for child in self.children[unit]:
                self.depth[child] = self.depth[unit] + 1
                self.top_down.append(child)
            position += 1
        if len(self.top_down) != self.size:
            raise ValueError("the unit tree has a cycle")

    def subtree_sums(self, direct: Sequence[int]) -> list[int]:
        totals = list(direct)
        for unit in reversed(self.top_down):
            if self.parent[unit] >= 0:
                totals[self.parent[unit]] += totals[unit]
        return totals

    def nearest_in(self, members: Collection[int]) -> list[int]:
        """For every unit: itself if it is a member, else its closest member ancestor (-1: none)."""
        nearest = [-1] * self.size
        for unit in self.top_down:
            parent = self.parent[unit]
            nearest[unit] = unit if unit in members else (nearest[parent] if parent >= 0 else -1)
        return nearest

    def subtree(self, unit: int) -> Iterator[int]:
        stack = [unit]
        while stack:
            current = stack.pop()
            yield current
            stack.extend(self.children[current])


def _suppress(tree: _Tree, k: int) -> SuppressionResult:
    totals = tree.subtree_sums(tree.direct)
    shown = _apply_rule(tree, totals, k, candidates=range(tree.size))
    hidden = {
        tree.ids[unit]: HiddenReason.BELOW_THRESHOLD if totals[unit] < k else HiddenReason.RESIDUAL
        for unit in range(tree.size)
        if unit not in shown
    }
    return SuppressionResult(
        shown=frozenset(tree.ids[unit] for unit in shown),
        n={tree.ids[unit]: totals[unit] for unit in range(tree.size)},
        hidden=hidden,
    )


def _apply_rule(tree: _Tree, totals: Sequence[int], k: int, candidates: Collection[int]) -> set[int]:
    """Rules 1-3 on one tree of subtree counts; only candidates can be shown."""
    shown = {unit for unit in candidates if totals[unit] >= k}
    nearest_shown = tree.nearest_in(shown)
    shown_below: dict[int, list[int]] = {unit: [] for unit in shown}  # maximal shown descendants
    for unit in shown:
        parent = tree.parent[unit]
        if parent >= 0 and nearest_shown[parent] >= 0:
            shown_below[nearest_shown[parent]].append(unit)
    residual = {unit: totals[unit] - sum(totals[d] for d in below) for unit, below in shown_below.items()}

    violating = [unit for unit in shown if 0 < residual[unit] < k]
    for unit in sorted(violating, key=lambda unit: (tree.depth[unit], tree.sort_key[unit])):
        if unit not in shown:
            continue  # hidden while a shallower unit was repaired
        # Hiding a maximal shown descendant changes no residual but this unit's, and only raises it,
        # so repairing this unit completely before the next one follows the rule's order.
        queue = [(totals[d], tree.sort_key[d], d) for d in shown_below[unit]]
        heapq.heapify(queue)
        while residual[unit] < k:
            _, _, smallest = heapq.heappop(queue)
            shown.remove(smallest)
            residual[unit] += residual[smallest]
            for d in shown_below[smallest]:
                heapq.heappush(queue, (totals[d], tree.sort_key[d], d))
    return shown


def _direct_by_value(tree: _Tree, cells: Mapping[tuple[str, str], int]) -> dict[str, list[int]]:
    table = {value: [0] * tree.size for value in sorted({value for _, value in cells})}
    for (unit_id, value), count in cells.items():
        if unit_id not in tree.index:
            raise ValueError(f"cell of an unknown unit {unit_id!r}")
        if count < 0:
            raise ValueError("cell counts must not be negative")
        table[value][tree.index[unit_id]] = count
    for unit in range(tree.size):
        if sum(direct[unit] for direct in table.values()) != tree.direct[unit]:
            raise ValueError(f"the cells of unit {tree.ids[unit]!r} do not add up to its direct count")
    return table


def _published_units(
    tree: _Tree, shown_units: Collection[str], units_with_cells: Collection[str]
) -> tuple[set[int], set[int]]:
    shown = {tree.index[unit] for unit in shown_units}
    with_cells = {tree.index[unit] for unit in units_with_cells}
    if not with_cells <= shown:
        raise ValueError("only shown units can have shown filtered cells")
    return shown, with_cells


def _stable_cell_units(
    tree: _Tree, counts_by_value: Mapping[str, Sequence[int]], k: int, allowed: set[int]
) -> set[int]:
    """Rules 1-3 in each value's tree; a unit keeps its cells only if every value's tree shows it."""
    while True:
        kept = set(allowed)
        for counts in counts_by_value.values():
            kept &= _apply_rule(tree, counts, k, candidates=allowed)
        if kept == allowed:
            return kept
        allowed = kept


@dataclass(frozen=True)
class _Leak:
    bounds: CellBounds
    derived_from: set[int]  # units whose published cells the derivation uses


class _Lazy:
    """The baseline audit, built the first time a cell needs it (most tables never do)."""

    def __init__(self, build: Callable[[], _CellAudit]) -> None:
        self._build = build
        self._value: _CellAudit | None = None

    def __call__(self) -> _CellAudit:
        if self._value is None:
            self._value = self._build()
        return self._value


@dataclass
class _Knowledge:
    """What the audits of one filtered table have proved so far, kept from round to round.

    Every round of `suppress_filtered` publishes the same unit totals and a subset of the previous
    round's cells: its feasible tables are a superset of the previous round's. So a table that was
    feasible stays feasible (`witnesses`: per table, the subtree sums of y and y per region), and a
    hidden cell that two feasible tables gave different counts stays undetermined (`open`)."""

    open: set[tuple[int, int]] = field(default_factory=set)
    witnesses: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)


class _CellAudit:
    """The published numbers of one filtered table as a linear program.

    The unknowns are the direct counts x[u, v] of every (unit, value). Every published number is a
    sum of them over a subtree: N(s) of a shown unit s over all values, a shown cell (f, v) over value
    v. Units whose closest shown ancestor-or-self is the same shown unit t (t's *region*) appear in
    exactly the same published sums, so the program only needs y[t, v], the region's total for
    value v; the split inside a region is free. Hence the count of a hidden cell (u, v) is
      the y[t, v] of the shown units t in u's subtree (regions wholly inside it),
      plus, when u itself is hidden, any part from 0 to y[r, v] of its own region r, which also
      holds units outside u's subtree (r's top at least); with no shown ancestor it is unbounded.
    Its bounds are two linprog calls. Most hidden cells are settled without one: two feasible
    tables that give a cell different counts prove it is not determined. The true table is one;
    the other spreads each region's total over the values in proportion to the value totals of its
    block (the regions under the same closest unit with cells), a point in the relative interior of
    the feasible set: where a cell can move, its count there lies strictly between the bounds, so
    the true table agrees with it only by coincidence. Every table a linprog call returns is feasible
    too and serves as a further witness for the other cells (`_Knowledge`). A cell the witnesses do
    not settle gets one linprog call for the bound the true table is less likely to reach; only
    when the true table reaches it as well does the cell get both bounds, exactly as `bounds`
    computes them, so `leaks` finds exactly the cells that `bounds` calls determined.
    """

    def __init__(
        self,
        tree: _Tree,
        direct_by_value: Mapping[str, Sequence[int]],
        shown: set[int],
        with_cells: set[int],
        baseline: Callable[[], _CellAudit] | None = None,
        knowledge: _Knowledge | None = None,
    ) -> None:
        self.tree = tree
        self.values = list(direct_by_value)
        self.shown = shown
        self.with_cells = with_cells
        self.baseline = baseline
        self.knowledge = knowledge if knowledge is not None else _Knowledge()
        self._determined: dict[tuple[int, int], bool] = {}
        self._bounds: dict[tuple[int, int], tuple[CellBounds, set[int]]] = {}
        self.tops = sorted(shown)
        self.region = {top: i for i, top in enumerate(self.tops)}
        self.nearest_shown = tree.nearest_in(shown)
        value_count = len(self.values)

        direct = np.array([list(counts) for counts in direct_by_value.values()], dtype=float).T
        direct = direct.reshape(tree.size, value_count)
        self.true_y = np.zeros((len(self.tops), value_count))
        for unit in range(tree.size):
            if self.nearest_shown[unit] >= 0:
                self.true_y[self.region[self.nearest_shown[unit]]] += direct[unit]
        self.interior_y = self._interior_point()
        # Sums of y over the shown units in each unit's subtree, for both tables.
        self.inner_true = self._sum_up(self._at_tops(self.true_y))
        self.inner_interior = self._sum_up(self._at_tops(self.interior_y))
        self._build_constraints(subtree_counts=self._sum_up(direct))
        if knowledge is not None:
            for corner in self._corner_points():
                self._add_witness(corner)

    def _at_tops(self, region_rows: np.ndarray) -> np.ndarray:
        per_unit = np.zeros((self.tree.size, len(self.values)))
        per_unit[self.tops] = region_rows
        return per_unit

    def _sum_up(self, per_unit: np.ndarray) -> np.ndarray:
        """Rows per unit -> sums over each unit's subtree."""
        sums = per_unit.copy()
        for unit in reversed(self.tree.top_down):
            if self.tree.parent[unit] >= 0:
                sums[self.tree.parent[unit]] += sums[unit]
        return sums

    def _variable(self, top: int, value_index: int) -> int:
        return self.region[top] * len(self.values) + value_index

    def _build_constraints(self, subtree_counts: np.ndarray) -> None:
        value_count = len(self.values)
        row_of_total = {unit: i for i, unit in enumerate(self.tops)}
        first_cell_row = len(row_of_total)
        cell_units = sorted(self.with_cells)
        row_of_cells = {unit: first_cell_row + i * value_count for i, unit in enumerate(cell_units)}
        # (first row, region) for every published number a region's y appears in: the totals of the
        # shown ancestors-or-self of its top, the cells of its ancestors-or-self with cells.
        total_rows: list[int] = []
        total_regions: list[int] = []
        cell_rows: list[int] = []
        cell_regions: list[int] = []
        for region, top in enumerate(self.tops):
            ancestor = top
            while ancestor >= 0:
                if ancestor in row_of_total:
                    total_rows.append(row_of_total[ancestor])
                    total_regions.append(region)
                if ancestor in row_of_cells:
                    cell_rows.append(row_of_cells[ancestor])
                    cell_regions.append(region)
                ancestor = self.tree.parent[ancestor]
        offsets = np.arange(value_count)
        rows = np.concatenate(
            [
                np.repeat(np.array(total_rows, dtype=np.int64), value_count),
                (np.array(cell_rows, dtype=np.int64)[:, None] + offsets).ravel(),
            ]
        )
        columns = np.concatenate(
            [
                (np.array(total_regions, dtype=np.int64)[:, None] * value_count + offsets).ravel(),
                (np.array(cell_regions, dtype=np.int64)[:, None] * value_count + offsets).ravel(),
            ]
        )
        row_count = first_cell_row + len(cell_units) * value_count
        equalities = coo_array(
            (np.ones(len(rows)), (rows, columns)), shape=(row_count, len(self.tops) * value_count)
        ).tocsr()
        equalities.sort_indices()
        self.equalities = equalities
        self.published = np.concatenate(
            [
                [subtree_counts[unit].sum() for unit in self.tops],
                np.concatenate([subtree_counts[unit] for unit in cell_units]) if cell_units else [],
            ]
        )
        self.row_owner = [-1] * first_cell_row + [unit for unit in cell_units for _ in self.values]

    def _interior_point(self) -> np.ndarray:
        region_totals = self.true_y.sum(axis=1)
        if not self.values:
            return self.true_y.copy()
        nearest_with_cells = self.tree.nearest_in(self.with_cells)
        block_of = [nearest_with_cells[top] for top in self.tops]
        block_value_totals: dict[int, np.ndarray] = {}
        for i, block in enumerate(block_of):
            block_value_totals.setdefault(block, np.zeros(len(self.values)))
            block_value_totals[block] += self.true_y[i]
        interior = np.zeros_like(self.true_y)
        for i, block in enumerate(block_of):
            if block < 0:  # no published cells above: only the region's total is known
                interior[i] = region_totals[i] / len(self.values)
            elif block_value_totals[block].sum() > 0:
                shares = block_value_totals[block] / block_value_totals[block].sum()
                interior[i] = region_totals[i] * shares
        return interior

    def _corner_points(self) -> Iterator[np.ndarray]:
        """Feasible tables that differ from the true one in most cells that can move: within each
        block, each region's total and the block's value totals are kept and the regions are
        filled value by value in order (the north-west corner rule), with the values in their order
        and reversed. Each is checked against the published numbers before it serves as a witness."""
        if not self.values or not self.tops:
            return
        nearest_with_cells = self.tree.nearest_in(self.with_cells)
        blocks: dict[int, list[int]] = {}
        for i, top in enumerate(self.tops):
            blocks.setdefault(nearest_with_cells[top], []).append(i)
        for order in (list(range(len(self.values))), list(reversed(range(len(self.values))))):
            corner = np.zeros_like(self.true_y)
            for regions in blocks.values():
                remaining = self.true_y[regions].sum(axis=0)[order]
                for i in regions:
                    need = self.true_y[i].sum()
                    for position, value_index in enumerate(order):
                        take = min(need, remaining[position])
                        corner[i, value_index] = take
                        remaining[position] -= take
                        need -= take
            yield corner

    def _add_witness(self, y: np.ndarray) -> None:
        """Keep a table as a witness if it is feasible: it meets every published number, no count
        is negative."""
        flat = y.reshape(-1)
        if (flat < -_TOLERANCE).any():
            return
        if not np.allclose(self.equalities @ flat, self.published, rtol=0.0, atol=1e-6):
            return
        self.knowledge.witnesses.append((self._sum_up(self._at_tops(y)), y))

    def _own_region(self, unit: int) -> int | None:
        """The region a hidden unit shares with units outside its subtree (-1: unpublished top)."""
        return None if unit in self.shown else self.nearest_shown[unit]

    def _proven_not_determined(self, unit: int, value_index: int) -> bool:
        own_region = self._own_region(unit)
        if own_region == -1:
            return True
        counts = [self.inner_true[unit, value_index], self.inner_interior[unit, value_index]]
        if own_region is not None:
            variable = (self.region[own_region], value_index)
            counts += [counts[0] + self.true_y[variable], counts[1] + self.interior_y[variable]]
        return max(counts) - min(counts) > _TOLERANCE

    def _true_range(self, unit: int, value_index: int) -> tuple[float, float]:
        """The smallest and largest count of the cell in the true table (its own region's share
        inside the subtree is free): both lie within the cell's bounds."""
        low = float(self.inner_true[unit, value_index])
        own_region = self._own_region(unit)
        if own_region is None or own_region < 0:
            return low, low
        return low, low + float(self.true_y[self.region[own_region], value_index])

    def _witnessed_open(self, unit: int, value_index: int) -> bool:
        """Whether a feasible table found by linprog gives the cell a count that the bounds, as
        `bounds` rounds them, cannot both contain with the true count: then they differ."""
        low, high = self._true_range(unit, value_index)
        own_region = self._own_region(unit)
        for inner, y in self.knowledge.witnesses:
            count = float(inner[unit, value_index])
            counts = [count]
            if own_region is not None and own_region >= 0:
                counts.append(count + float(y[self.region[own_region], value_index]))
            if math.floor(max(high, *counts) + _TOLERANCE) > math.ceil(min(low, *counts) - _TOLERANCE):
                return True
        return False

    def _pinned(self, unit: int, value_index: int) -> bool:
        """`bounds(unit, value_index)[0].determined`, with fewer linprog calls (see the class text)."""
        key = (unit, value_index)
        if key in self.knowledge.open:
            return False
        if self._proven_not_determined(unit, value_index) or self._witnessed_open(unit, value_index):
            self.knowledge.open.add(key)
            return False
        low_objective, high_objective = self._objectives(unit, value_index)
        true_low, true_high = self._true_range(unit, value_index)
        # One bound the true table does not reach proves the cell undetermined. When the true count
        # is 0 the low bound is too, so try the high one; else the low one.
        if true_low <= _TOLERANCE:
            if high_objective is not None and high_objective.any():
                result = self._solve(-high_objective)
                if math.floor(-result.fun + _TOLERANCE) > true_high:
                    return self._open(key, result.x)
        elif low_objective.any():
            result = self._solve(low_objective)
            if math.ceil(result.fun - _TOLERANCE) < true_low:
                return self._open(key, result.x)
        # The true table reaches that bound: both bounds, as `bounds` computes them.
        cell, _derived_from = self._bounds[key] = self.bounds(unit, value_index)
        if not cell.determined:
            self.knowledge.open.add(key)
        return cell.determined

    def _open(self, key: tuple[int, int], witness: np.ndarray) -> bool:
        """Record an undetermined cell and the feasible table that showed it; False (not pinned)."""
        self._add_witness(np.asarray(witness, dtype=float).reshape(len(self.tops), len(self.values)))
        self.knowledge.open.add(key)
        return False

    def _objectives(self, unit: int, value_index: int) -> tuple[np.ndarray, np.ndarray | None]:
        """The objectives of the cell's low and high bound (None: no high bound)."""
        objective = np.zeros(len(self.tops) * len(self.values))
        for inner in self.tree.subtree(unit):
            if inner in self.shown:
                objective[self._variable(inner, value_index)] = 1
        own_region = self._own_region(unit)
        if own_region == -1:
            return objective, None
        high = objective.copy()
        if own_region is not None:
            high[self._variable(own_region, value_index)] = 1
        return objective, high

    def is_determined(self, unit: int, value_index: int) -> bool:
        key = (unit, value_index)
        if key not in self._determined:
            self._determined[key] = (
                not self._proven_not_determined(unit, value_index)
                and self.bounds(unit, value_index)[0].determined
            )
        return self._determined[key]

    def bounds(self, unit: int, value_index: int) -> tuple[CellBounds, set[int]]:
        """The cell's bounds and the units whose published cells the bounds depend on."""
        low_objective, high_objective = self._objectives(unit, value_index)
        derived_from: set[int] = set()
        low = self._optimum(low_objective, derived_from)
        high = None if high_objective is None else -self._optimum(-high_objective, derived_from)
        cell = CellBounds(
            unit=self.tree.ids[unit],
            value=self.values[value_index],
            low=math.ceil(low - _TOLERANCE),
            high=None if high is None else math.floor(high + _TOLERANCE),
        )
        return cell, derived_from

    def _solve(self, objective: np.ndarray) -> Any:
        result = linprog(
            objective, A_eq=self.equalities, b_eq=self.published, bounds=(0, None), method="highs"
        )
        if result.status != 0:
            raise RuntimeError(f"suppression audit: linear program failed: {result.message}")
        return result

    def _optimum(self, objective: np.ndarray, derived_from: set[int]) -> float:
        if not objective.any():
            return 0.0
        result = self._solve(objective)
        for row, dual in enumerate(result.eqlin.marginals):
            if abs(dual) > _TOLERANCE and self.row_owner[row] >= 0:
                derived_from.add(self.row_owner[row])
        return float(result.fun)

    def leaks(self) -> Iterator[_Leak]:
        """Hidden cells the published numbers determine and the unfiltered ones alone do not."""
        tree = self.tree
        for unit in sorted(range(tree.size), key=lambda unit: (tree.depth[unit], tree.sort_key[unit])):
            if unit in self.with_cells:
                continue
            for value_index in range(len(self.values)):
                # With fewer published numbers a cell is determined only if it is with these too
                # (the baseline's feasible tables include these'), so ask the baseline second.
                if not self._pinned(unit, value_index):
                    continue
                if self.baseline is not None and self.baseline().is_determined(unit, value_index):
                    continue
                cell, derived_from = self._bounds[unit, value_index]
                yield _Leak(cell, derived_from)
