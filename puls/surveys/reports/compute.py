"""The stored report of a closed survey: aggregates per unit × measure × background cell, suppressed
once over the whole organisation tree (DESIGN §4.3–4.5, §6; `SUPPRESSION.md`).

Every report page and export reads the `MeasureResult` rows written here, never the answers (comment
texts excepted: they are read for the units whose list a stored COMMENTS row shows).

How it stays fast on 50,000 respondents × 80 items (DESIGN §8): the database joins each answer with
a value to its response's storage cell and groups the answers per response, handing over one row
per response (`_answer_rows_sql`); NumPy then works on chunks of responses (`_AnswerPass`) —

- per (response, scale) the scale score (mean of the answered items when at least half of the
  scale's items in the questionnaire are answered), summed per storage cell as count, Σx, Σx² and,
  with the outcome scale, the sums of the correlation,
- per (cell, item, stored value) the number of answers, so every distribution but those of
  multiple-choice items comes from the same pass;

and the multiple-choice and free-text items are counted per (cell, item, chosen set) in a second
query (`_choice_and_text_data`), on PostgreSQL in a second connection at the same time.

What is left grows with cells × measures, not with answers: the cells are rolled up to units and
subtrees (a sparse ancestor matrix), suppression runs per measure (and per measure × background
attribute for scales, with its LP audit), and the rows are written with COPY (PostgreSQL) or
executemany (SQLite), not as model instances. Memory never holds the answers.

Atoms are counted at the storage cell's unit (after close every response sits in a surviving
cell). A cell that lacks a declared attribute (coarsening dropped it) counts under the value "-".

Every unit has a row per unfiltered measure, shown or hidden. Filtered cells (scale × background
attribute) are stored only where shown, all of a unit's values together: no row means hidden. Most
filtered cells are hidden, and their rows would be a third of the report's rows.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import connection, connections, models, transaction
from django.utils import timezone
from scipy.sparse import csr_array
from threadpoolctl import threadpool_limits

from puls.core.suppression import (
    FilteredResult,
    SuppressionResult,
    TreeNode,
    suppress_filtered,
    suppress_tree,
)
from puls.invitations.models import Ballot, BallotCell
from puls.organisations.models import Unit
from puls.surveys import scoring
from puls.surveys.ballot_kind import item_options
from puls.surveys.models import (
    Answer,
    Item,
    LocalItem,
    MeasureResult,
    Response,
    Scale,
    SectionItem,
    Survey,
    SurveyReport,
)

ProgressCallback = Callable[[int], None]

# The value a filtered table uses for cells that do not store the attribute.
MISSING_VALUE = "-"
# Driver analysis only where this many respondents have a score (DESIGN §6).
DRIVER_MIN_N = 25
WRITE_BATCH = 2000
PROGRESS_READ = 60  # percent done when the answers are read and the scales suppressed
DEFAULT_K = 5
DEFAULT_FREE_TEXT_K = 10

# Columns of the scale moments (per cell, unit or subtree).
_N, _SX, _SXX, _PAIRS, _PX, _PY, _PXY, _PXX, _PYY = range(9)
_MOMENTS = 9
# An answer in the answer pass: item position and stored value (a small integer) in one number.
_CODE_BASE = 65536
_VALUE_OFFSET = 32768
# Responses processed together in the answer pass (memory: responses × listed items floats).
_RESPONSE_CHUNK = 5000
# Memory for each sort or hash of the report's queries, for their session only (PostgreSQL): the
# answer pass groups the answers per response in memory (about 1.5 kB per response of 80 answers)
# instead of sorting millions of rows on disk.
_ANALYTIC_WORK_MEM = "256MB"


class ReportNotReady(Exception):
    """The survey is not closed: its answers may still change."""


# Units -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationTree:
    """All units of the organisation (closed ones too) with a sparse subtree-sum operator."""

    ids: list[uuid.UUID]
    names: list[str]  # str(id), as suppression knows the units
    index: dict[uuid.UUID, int]
    parents: list[uuid.UUID | None]
    codes: list[str]
    ancestors: csr_array  # (unit, descendant-or-self) = 1: subtree sums are `ancestors @ direct`

    @classmethod
    def load(cls, organisation_id: Any) -> OrganisationTree:
        rows = list(
            Unit.objects.filter(organisation_id=organisation_id)
            .order_by("depth", "path")
            .values_list("id", "parent_id", "code", "path")
        )
        ids = [row[0] for row in rows]
        index = {unit_id: i for i, unit_id in enumerate(ids)}
        rows_, columns = [], []
        for i, (_unit_id, _parent, _code, path) in enumerate(rows):
            for part in path.strip("/").split("/"):
                ancestor = index.get(uuid.UUID(part))
                if ancestor is not None:
                    rows_.append(ancestor)
                    columns.append(i)
        size = len(ids)
        ancestors = csr_array((np.ones(len(rows_)), (rows_, columns)), shape=(size, size))
        return cls(
            ids=ids,
            names=[str(unit_id) for unit_id in ids],
            index=index,
            parents=[row[1] for row in rows],
            codes=[row[2] for row in rows],
            ancestors=ancestors,
        )

    @property
    def size(self) -> int:
        return len(self.ids)

    def subtree(self, direct: np.ndarray) -> np.ndarray:
        return np.asarray(self.ancestors @ direct)

    def nodes(self, direct: Sequence[int] | np.ndarray) -> list[TreeNode]:
        parents = [self.names[self.index[parent]] if parent is not None else None for parent in self.parents]
        return [
            TreeNode(id=name, parent=parent, code=code, direct=count)
            for name, parent, code, count in zip(
                self.names, parents, self.codes, np.asarray(direct, dtype=np.int64).tolist(), strict=True
            )
        ]


class _Suppressor:
    """Suppression with the same input computed once (many scales and items share their counts)."""

    def __init__(self, tree: OrganisationTree) -> None:
        self.tree = tree
        self._plain: dict[tuple[int, tuple[int, ...]], SuppressionResult] = {}
        self._filtered: dict[tuple[int, tuple[int, ...], frozenset[Any]], FilteredResult] = {}

    def tree_result(self, direct: np.ndarray, k: int) -> SuppressionResult:
        key = (k, tuple(int(count) for count in direct))
        if key not in self._plain:
            self._plain[key] = suppress_tree(self.tree.nodes(key[1]), k)
        return self._plain[key]

    def filtered_result(
        self, direct: np.ndarray, cells: dict[tuple[str, str], int], k: int
    ) -> FilteredResult:
        key = (k, tuple(int(count) for count in direct), frozenset(cells.items()))
        if key not in self._filtered:
            self._filtered[key] = suppress_filtered(self.tree.nodes(key[1]), cells, k)
        return self._filtered[key]


# Reading the aggregates --------------------------------------------------------------------------


def _table(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _column(model: type[models.Model], name: str) -> str:
    return connection.ops.quote_name(str(model._meta.get_field(name).column))  # type: ignore[union-attr]


def _param(model: type[models.Model], value: Any) -> Any:
    """A primary-key value as the database driver takes it (uuid on PostgreSQL, hex on SQLite)."""
    return model._meta.pk.get_db_prep_value(value, connection)  # type: ignore[union-attr]


def _as_uuid(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _answer_rows_sql(items: int, cells: int) -> str:
    """Per response of the survey in one of the `cells` listed storage cells: the cell's position in
    that list and one code per answer with a value among the
    `items` listed items, `position * 65536 + value + 32768` (the item's position in the list and
    the stored value, any small integer, in one number). Parameters: each listed item id with its
    position, each listed cell id with its position, then the survey. PostgreSQL hands the codes
    over as bytes (4-byte big-endian integers, read without a Python object per answer), SQLite as
    a comma-separated text.

    One row per response (not per answer) is what makes this pass cheap: the database only joins
    and groups, and the arithmetic on the codes is vectorised in `_AnswerPass`."""
    a, r = _table(Answer), _table(Response)
    value = _column(Answer, "value")
    code = f"x.pos * {_CODE_BASE} + a.{value} + {_VALUE_OFFSET}"
    if connection.vendor == "postgresql":
        codes = f"STRING_AGG(INT4SEND({code}), ''::BYTEA)"
    else:
        codes = f"GROUP_CONCAT({code})"
    listed_items = ", ".join(["(%s, %s)"] * items)
    listed_cells = ", ".join(["(%s, %s)"] * cells)
    return f"""
        SELECT c.pos, {codes}
        FROM {a} a
        JOIN {r} r ON r.{_column(Response, "id")} = a.{_column(Answer, "response")}
        JOIN (SELECT column1 AS item_id, column2 AS pos FROM (VALUES {listed_items}) AS items) x
          ON x.item_id = a.{_column(Answer, "item")}
        JOIN (SELECT column1 AS cell_id, column2 AS pos FROM (VALUES {listed_cells}) AS cells) c
          ON c.cell_id = r.{_column(Response, "cell")}
        WHERE r.{_column(Response, "survey")} = %s AND a.{value} IS NOT NULL
        GROUP BY a.{_column(Answer, "response")}, c.pos
    """  # noqa: S608  # nosec B608 (names come from the models; numbers are ours; values are parameters)


def _choice_and_text_sql(items: int) -> str:
    """Per (cell, item, chosen set) of the given multiple-choice and free-text items: the number of
    answers (free-text answers have no chosen set: their group counts the comments)."""
    a, r = _table(Answer), _table(Response)
    choices, text, item = _column(Answer, "choices"), _column(Answer, "text"), _column(Answer, "item")
    placeholders = ", ".join(["%s"] * items)
    return f"""
        SELECT r.{_column(Response, "cell")}, a.{item}, a.{choices}, COUNT(*)
        FROM {a} a JOIN {r} r ON r.{_column(Response, "id")} = a.{_column(Answer, "response")}
        WHERE r.{_column(Response, "survey")} = %s AND a.{item} IN ({placeholders})
          AND (a.{choices} IS NOT NULL OR a.{text} <> '')
        GROUP BY r.{_column(Response, "cell")}, a.{item}, a.{choices}
    """  # noqa: S608  # nosec B608 (names come from the models; values are parameters)


@contextmanager
def analytic_session() -> Iterator[None]:
    """Planner settings for these one-off aggregate queries on PostgreSQL, for this connection while
    the report reads: no JIT compilation (it costs more than it saves on them), and no nested-loop
    joins: right after a close the tables' statistics are often stale (the shuffle rewrote the rows),
    and a nested loop planned for "4 rows" over the scores of thousands of respondents takes
    minutes, where a hash join takes a fraction of a second whatever the estimate; and memory
    enough to group the answers per response in memory (`_ANALYTIC_WORK_MEM`)."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")
        cursor.execute("SET enable_nestloop = off")
        cursor.execute(f"SET work_mem = '{_ANALYTIC_WORK_MEM}'")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET jit")
            cursor.execute("RESET enable_nestloop")
            cursor.execute("RESET work_mem")


def _rows(sql: str, params: Sequence[Any], size: int = 5000) -> Iterator[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while True:
            chunk = cursor.fetchmany(size)
            if not chunk:
                return
            yield from chunk


def _choices(raw: Any) -> list[int]:
    if raw is None:
        return []
    value = json.loads(raw) if isinstance(raw, (str, bytes)) else raw
    return [int(index) for index in value] if isinstance(value, list) else []


# The survey's measures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Cell:
    unit: int  # index into the organisation tree
    attributes: dict[str, str]


@dataclass
class _Context:
    survey: Survey
    ballot: Ballot
    tree: OrganisationTree
    cells: dict[uuid.UUID, _Cell]
    attributes: list[str]
    k: int
    free_text_k: int
    scales: list[Scale]
    outcome: Scale | None
    items: list[Item]  # questionnaire items, then local items, in order; free-text ones included
    scale_items: list[Item]  # the questionnaire's items that belong to a scale


def _context(survey: Survey) -> _Context:
    ballot = survey.ballot
    tree = OrganisationTree.load(survey.organisation_id)
    cells = {}
    for cell_id, unit_id, attributes in BallotCell.objects.filter(ballot=ballot).values_list(
        "id", "unit_id", "attributes"
    ):
        if unit_id in tree.index:
            cells[cell_id] = _Cell(
                unit=tree.index[unit_id],
                attributes={str(name): str(value) for name, value in (attributes or {}).items()},
            )
    links = (
        SectionItem.objects.filter(section__questionnaire_id=survey.questionnaire_id)
        .select_related("item__scale")
        .order_by("section__order", "order")
    )
    items: dict[uuid.UUID, Item] = {}
    for link in links:
        items.setdefault(link.item_id, link.item)
    for local in (
        LocalItem.objects.filter(survey=survey).select_related("item__scale").order_by("unit__path", "order")
    ):
        items.setdefault(local.item_id, local.item)
    questionnaire_scales = {
        item.scale_id: item.scale
        for link in links
        if (item := link.item).scale is not None and item.scale_id is not None
    }
    scales = sorted(questionnaire_scales.values(), key=lambda scale: (scale.order, scale.code))
    outcome = next((scale for scale in scales if scale.is_outcome), None)
    return _Context(
        survey=survey,
        ballot=ballot,
        tree=tree,
        cells=cells,
        attributes=[str(name) for name in ballot.attributes or []],
        k=ballot.k or DEFAULT_K,
        free_text_k=ballot.free_text_k or max(ballot.k or DEFAULT_K, DEFAULT_FREE_TEXT_K),
        scales=scales,
        outcome=outcome,
        items=list(items.values()),
        scale_items=[link.item for link in links if link.item.scale_id is not None],
    )


def _value_of(cell: _Cell, attribute: str) -> str:
    return cell.attributes.get(attribute) or MISSING_VALUE


# One stored row in the order of `_ROW_FIELDS`; the unit is its index in the organisation tree.
Row = tuple[Any, ...]
_ROW_FIELDS = (
    "unit",
    "measure",
    "measure_key",
    "attribute",
    "value",
    "shown",
    "hidden_reason",
    "n",
    "mean",
    "sd",
    "distribution",
    "correlation",
)


def _shown(
    unit: int,
    measure: str,
    key: str,
    *,
    n: int,
    attribute: str = "",
    value: str = "",
    mean: float | None = None,
    sd: float | None = None,
    distribution: dict[str, int] | None = None,
    correlation: float | None = None,
) -> Row:
    return (unit, measure, key, attribute, value, True, "", n, mean, sd, distribution, correlation)


def _hidden(unit: int, measure: str, key: str, reason: Any, attribute: str = "", value: str = "") -> Row:
    """A hidden result: no numbers at all, only why (the model's check constraint insists)."""
    return (unit, measure, key, attribute, value, False, str(reason or ""), None, None, None, None, None)


# Scales -------------------------------------------------------------------------------------------


@dataclass
class _ScaleData:
    direct: np.ndarray  # (units, moments)
    # (attribute, value) -> (units, 3): n, Σx, Σx² of the unit's own atoms with that value
    by_value: dict[tuple[str, str], np.ndarray]


class _ItemCounts:
    """Answers per item and unit (own atoms), and per item, stored value (or chosen option) and unit."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.respondents: dict[uuid.UUID, np.ndarray] = {}
        self.counts: dict[tuple[uuid.UUID, int], np.ndarray] = {}

    def _row(self, table: dict[Any, np.ndarray], key: Any) -> np.ndarray:
        if key not in table:
            table[key] = np.zeros(self.size, dtype=np.int64)
        return table[key]

    def answered(self, item_id: uuid.UUID, units: Any, counts: Any) -> None:
        """Add answers: `units` and `counts` are one unit index and count, or arrays of them."""
        np.add.at(self._row(self.respondents, item_id), units, counts)

    def chosen(self, item_id: uuid.UUID, key: int, units: Any, counts: Any) -> None:
        np.add.at(self._row(self.counts, (item_id, key)), units, counts)

    def update(self, other: _ItemCounts) -> None:
        self.respondents.update(other.respondents)
        self.counts.update(other.counts)

    def data(self) -> dict[uuid.UUID, _ItemData]:
        data = {item_id: _ItemData(respondents=row, counts={}) for item_id, row in self.respondents.items()}
        for (item_id, key), row in self.counts.items():
            data[item_id].counts[key] = row
        return data


class _AnswerPass:
    """The one pass over the answers with a value (every item except multiple choice and free text):
    the database hands over each response's cell and answers (`_answer_rows_sql`), and per chunk of
    responses NumPy computes the scale scores (mean of the answered items when at least half of the
    scale's items in the questionnaire are answered), their moments with the outcome scale, and the
    answers per item and stored value, summed per storage cell. Memory holds one chunk of responses,
    never the survey's answers."""

    def __init__(self, context: _Context) -> None:
        self.context = context
        self.items = [
            item for item in context.items if item.kind not in (Item.Kind.MULTIPLE, Item.Kind.FREE_TEXT)
        ]
        self.cell_ids = list(context.cells)
        self.cell_units = np.array([context.cells[cell_id].unit for cell_id in self.cell_ids], dtype=np.int64)
        scale_index = {scale.pk: s for s, scale in enumerate(context.scales)}
        # (item position, scale) = 1 for the questionnaire's scale items; a scale's item count is
        # over the questionnaire (an item of the scale without a value still counts).
        self.membership = np.zeros((len(self.items), len(context.scales)))
        positions = {item.pk: position for position, item in enumerate(self.items)}
        self.scale_items = np.zeros(len(context.scales))
        for item in {item.pk: item for item in context.scale_items}.values():
            if item.scale_id in scale_index:
                self.scale_items[scale_index[item.scale_id]] += 1
                if item.pk in positions:
                    self.membership[positions[item.pk], scale_index[item.scale_id]] = 1
        self.outcome = scale_index.get(context.outcome.pk) if context.outcome is not None else None
        cells, items, scales = len(self.cell_ids), len(self.items), len(context.scales)
        self.moments = np.zeros((cells, scales, _MOMENTS))
        self.answered = np.zeros(cells * items, dtype=np.int64)
        self.by_value: dict[int, np.ndarray] = {}

    def read(self) -> tuple[dict[uuid.UUID, _ScaleData], _ItemCounts]:
        if self.items and self.cell_ids:
            params: list[Any] = []
            for position, item in enumerate(self.items):
                params += [_param(Item, item.pk), position]
            for position, cell_id in enumerate(self.cell_ids):
                params += [_param(BallotCell, cell_id), position]
            params.append(_param(Survey, self.context.survey.pk))
            sql = _answer_rows_sql(len(self.items), len(self.cell_ids))
            # One BLAS thread: the products are small, and the threads of a BLAS pool cost more
            # than they save on them (four times more on a busy two-core machine).
            with analytic_session(), threadpool_limits(limits=1, user_api="blas"):
                rows = _rows(sql, params, size=_RESPONSE_CHUNK)
                for chunk in _batched(rows, _RESPONSE_CHUNK):
                    self._add(chunk)
        return self._scale_data(), self._item_counts()

    def _add(self, chunk: list[tuple[Any, Any]]) -> None:
        kept = [(int(index), answers) for index, answers in chunk if answers]
        if not kept:
            return
        cell_list = [index for index, _answers in kept]
        if isinstance(kept[0][1], (bytes, memoryview)):  # PostgreSQL: 4-byte big-endian codes
            lengths = [len(answers) // 4 for _index, answers in kept]
            flat = np.frombuffer(b"".join(answers for _index, answers in kept), dtype=">i4").astype(np.int64)
        else:  # SQLite: comma-separated codes
            codes = [[int(code) for code in str(answers).split(",")] for _index, answers in kept]
            lengths = [len(answers) for answers in codes]
            flat = np.fromiter(itertools.chain.from_iterable(codes), dtype=np.int64, count=sum(lengths))
        response = np.repeat(np.arange(len(cell_list)), lengths)
        position, value = flat // _CODE_BASE, flat % _CODE_BASE - _VALUE_OFFSET
        cell = np.array(cell_list, dtype=np.int64)
        self._add_scales(cell, response, position, value)
        # Answers per (cell, item) and per (cell, item, stored value).
        key = cell[response] * len(self.items) + position
        size = self.answered.size
        self.answered += np.bincount(key, minlength=size)
        present = np.flatnonzero(np.bincount(value + _VALUE_OFFSET)) - _VALUE_OFFSET
        for stored in present.tolist():
            counts = np.bincount(key[value == stored], minlength=size)
            if stored in self.by_value:
                self.by_value[stored] += counts
            else:
                self.by_value[stored] = counts

    def _add_scales(
        self, cell: np.ndarray, response: np.ndarray, position: np.ndarray, value: np.ndarray
    ) -> None:
        if not self.scale_items.any():
            return
        values = np.zeros((len(cell), len(self.items)))
        answered = np.zeros((len(cell), len(self.items)))
        values[response, position] = value
        answered[response, position] = 1
        counts, sums = answered @ self.membership, values @ self.membership
        scored = (counts > 0) & (2 * counts >= self.scale_items)
        x = np.where(scored, sums / np.maximum(counts, 1), 0.0)
        if self.outcome is None:
            paired = np.zeros_like(scored)
            y = np.zeros(len(cell))
        else:
            paired = scored & scored[:, [self.outcome]]
            y = x[:, self.outcome]
        moments = np.empty((len(cell), len(self.scale_items), _MOMENTS))
        moments[:, :, _N] = scored
        moments[:, :, _SX] = x
        moments[:, :, _SXX] = x * x
        moments[:, :, _PAIRS] = paired
        moments[:, :, _PX] = x * paired
        moments[:, :, _PY] = y[:, None] * paired
        moments[:, :, _PXY] = x * y[:, None] * paired
        moments[:, :, _PXX] = x * x * paired
        moments[:, :, _PYY] = (y * y)[:, None] * paired
        responses = len(cell)
        per_cell = csr_array(
            (np.ones(responses), (cell, np.arange(responses))), shape=(len(self.cell_ids), responses)
        )
        self.moments += (per_cell @ moments.reshape(responses, -1)).reshape(self.moments.shape)

    def _scale_data(self) -> dict[uuid.UUID, _ScaleData]:
        context, size = self.context, self.context.tree.size
        data: dict[uuid.UUID, _ScaleData] = {}
        for s, scale in enumerate(context.scales):
            moments = self.moments[:, s, :]
            entry = data[scale.pk] = _ScaleData(direct=np.zeros((size, _MOMENTS)), by_value={})
            np.add.at(entry.direct, self.cell_units, moments)
            # A filtered table's values are those of the cells with a scored respondent.
            scored = np.flatnonzero(moments[:, _N] > 0)
            for attribute in context.attributes:
                cell_values = [_value_of(context.cells[self.cell_ids[c]], attribute) for c in scored]
                for value in set(cell_values):
                    chosen = scored[[cell_value == value for cell_value in cell_values]]
                    table = entry.by_value[attribute, value] = np.zeros((size, 3))
                    np.add.at(table, self.cell_units[chosen], moments[chosen, :3])
        return data

    def _item_counts(self) -> _ItemCounts:
        items = _ItemCounts(self.context.tree.size)
        shape = (len(self.cell_ids), len(self.items))
        answered = self.answered.reshape(shape)
        by_value = {stored: counts.reshape(shape) for stored, counts in self.by_value.items()}
        for position, item in enumerate(self.items):
            if not answered[:, position].any():
                continue
            items.answered(item.pk, self.cell_units, answered[:, position])
            for stored, counts in by_value.items():
                if counts[:, position].any():
                    items.chosen(item.pk, stored, self.cell_units, counts[:, position])
        return items


def _mean_sd(n: float, total: float, squares: float) -> tuple[float | None, float | None]:
    if n < 1:
        return None, None
    mean = total / n
    if n < 2:
        return mean, None
    variance = max(0.0, (squares - total * total / n) / (n - 1))
    return mean, math.sqrt(variance)


def _correlation(moments: np.ndarray) -> float | None:
    pairs = moments[_PAIRS]
    if pairs < DRIVER_MIN_N:
        return None
    sx, sy = moments[_PX], moments[_PY]
    cov = pairs * moments[_PXY] - sx * sy
    var_x = pairs * moments[_PXX] - sx * sx
    var_y = pairs * moments[_PYY] - sy * sy
    if var_x <= 1e-9 or var_y <= 1e-9:
        return None
    return max(-1.0, min(1.0, float(cov / math.sqrt(var_x * var_y))))


SCALE = MeasureResult.Measure.SCALE.value
ITEM = MeasureResult.Measure.ITEM.value
COMMENTS = MeasureResult.Measure.COMMENTS.value

# A measure whose suppression is decided: its rows, produced on demand inside the write transaction.
RowSource = Callable[[], Iterator[Row]]


def _scale_plan(
    context: _Context, suppressor: _Suppressor, scale: Scale, data: _ScaleData | None
) -> RowSource:
    tree = context.tree
    direct = data.direct if data is not None else np.zeros((tree.size, _MOMENTS))
    result = suppressor.tree_result(direct[:, _N], context.k)
    key = str(scale.pk)
    is_outcome = context.outcome is not None and scale.pk == context.outcome.pk
    filtered = [
        _filtered_scale_plan(context, suppressor, key, direct, data, name) for name in context.attributes
    ]

    def rows() -> Iterator[Row]:
        subtree = tree.subtree(direct)
        for i, unit in enumerate(tree.names):
            if not result.is_shown(unit):
                yield _hidden(i, SCALE, key, result.reason(unit))
                continue
            moments = subtree[i]
            mean, sd = _mean_sd(moments[_N], moments[_SX], moments[_SXX])
            # The outcome's correlation with itself is not a driver.
            correlation = None if is_outcome or moments[_N] < DRIVER_MIN_N else _correlation(moments)
            yield _shown(i, SCALE, key, n=int(moments[_N]), mean=mean, sd=sd, correlation=correlation)
        for source in filtered:
            yield from source()

    return rows


def _filtered_scale_plan(
    context: _Context,
    suppressor: _Suppressor,
    key: str,
    direct: np.ndarray,
    data: _ScaleData | None,
    attribute: str,
) -> RowSource:
    """The scale over the tree × one attribute: a unit's cells are all shown or all hidden, and
    only shown cells are stored (no row: hidden)."""
    tree = context.tree
    by_value = {
        value: table
        for (name, value), table in (data.by_value.items() if data is not None else [])
        if name == attribute
    }
    cells: dict[tuple[str, str], int] = {}
    for value, table in by_value.items():
        for i in np.flatnonzero(table[:, 0]):
            cells[(str(tree.ids[i]), value)] = int(table[i, 0])
        # A value whose respondents all lack a valid score is still a value of the table.
        cells.setdefault((str(tree.ids[0]), value), 0)
    result = suppressor.filtered_result(direct[:, _N], cells, context.k) if by_value else None

    def rows() -> Iterator[Row]:
        # Only the shown cells are stored: a unit without filtered rows has its cells hidden (they
        # are hidden for most units, and the rows would be most of the report's rows).
        if result is None or not result.units_with_cells:
            return
        shown = [i for i, unit in enumerate(tree.names) if unit in result.units_with_cells]
        for value in sorted(by_value):
            subtree = tree.subtree(by_value[value])
            for i in shown:
                mean, sd = _mean_sd(*subtree[i])
                yield _shown(
                    i,
                    SCALE,
                    key,
                    n=int(subtree[i][0]),
                    attribute=attribute,
                    value=value,
                    mean=mean,
                    sd=sd,
                )

    return rows


# Items and comments ------------------------------------------------------------------------------


def item_value_keys(item: Item) -> list[str]:
    """The distribution keys of an item in the order its options are listed: the stored score of
    each Likert option, the option index of a choice item, 0–10 for a 0–10 item."""
    if item.kind == Item.Kind.LIKERT:
        options = item_options(item)
        return [
            str(scoring.likert_score(index, option_count=len(options), reversed=item.reversed))
            for index in range(len(options))
        ]
    if item.kind in (Item.Kind.SINGLE, Item.Kind.MULTIPLE):
        return [str(index) for index in range(len(item_options(item)))]
    if item.kind == Item.Kind.SCALE_0_10:
        return [str(value) for value in range(11)]
    return []


@dataclass
class _ItemData:
    respondents: np.ndarray  # (units,) answers (or comments) of the unit's own atoms
    # stored value or chosen index -> (units,) counts of the unit's own atoms
    counts: dict[int, np.ndarray]


def _choice_and_text_data(context: _Context, item_ids: Sequence[uuid.UUID]) -> _ItemCounts:
    """The distributions of the multiple-choice items and the comment counts of the free-text items
    among `item_ids` (the answer pass covers the rest)."""
    items = _ItemCounts(context.tree.size)
    if not item_ids:
        return items
    units = {cell_id: cell.unit for cell_id, cell in context.cells.items()}
    params = [_param(Survey, context.survey.pk), *(_param(Item, item_id) for item_id in item_ids)]
    with analytic_session():
        for cell_id, item_id, choices, count in _rows(_choice_and_text_sql(len(item_ids)), params):
            unit = units.get(_as_uuid(cell_id))
            if unit is None:
                continue
            items.answered(_as_uuid(item_id), unit, int(count))
            for index in _choices(choices):
                items.chosen(_as_uuid(item_id), index, unit, int(count))
    return items


def _item_plan(context: _Context, suppressor: _Suppressor, item: Item, data: _ItemData | None) -> RowSource:
    tree = context.tree
    direct = data.respondents if data is not None else np.zeros(tree.size, dtype=np.int64)
    result = suppressor.tree_result(direct, context.k)
    keys = item_value_keys(item)
    with_mean = item.kind in (Item.Kind.LIKERT, Item.Kind.SCALE_0_10)
    measure_key = str(item.pk)

    def rows() -> Iterator[Row]:
        respondents = tree.subtree(direct)
        values = sorted(data.counts) if data is not None else []
        counts = (
            tree.subtree(np.stack([data.counts[value] for value in values], axis=1))
            if data is not None and values
            else np.zeros((tree.size, 0))
        )
        numbers = np.array(values, dtype=float)
        totals = (counts @ numbers).tolist()
        squares = (counts @ (numbers * numbers)).tolist()
        # The distribution's keys: the listed options in order, then any other stored value.
        value_keys = [str(value) for value in values]
        listed = set(keys)
        ordered = keys + [key for key in value_keys if key not in listed]
        column = {key: j for j, key in enumerate(ordered)}
        table = np.zeros((tree.size, len(ordered)), dtype=np.int64)
        table[:, [column[key] for key in value_keys]] = counts
        distributions = table.tolist()
        whole_respondents = respondents.astype(np.int64).tolist()
        for i, unit in enumerate(tree.names):
            if not result.is_shown(unit):
                yield _hidden(i, ITEM, measure_key, result.reason(unit))
                continue
            distribution = dict(zip(ordered, distributions[i], strict=True))
            n = whole_respondents[i]
            mean = sd = None
            if with_mean:
                mean, sd = _mean_sd(n, totals[i], squares[i])
            yield _shown(i, ITEM, measure_key, n=n, mean=mean, sd=sd, distribution=distribution)

    return rows


def _comment_plan(
    context: _Context, suppressor: _Suppressor, item: Item, data: _ItemData | None
) -> RowSource:
    """A comment list per unit, shown where the free-text threshold holds (rules 1–3 with it)."""
    tree = context.tree
    direct = data.respondents if data is not None else np.zeros(tree.size, dtype=np.int64)
    result = suppressor.tree_result(direct, context.free_text_k)
    key = str(item.pk)

    def rows() -> Iterator[Row]:
        for i, unit in enumerate(tree.names):
            if result.is_shown(unit):
                yield _shown(i, COMMENTS, key, n=result.n[unit])
            else:
                yield _hidden(i, COMMENTS, key, result.reason(unit))

    return rows


# The computation ---------------------------------------------------------------------------------


class _Progress:
    def __init__(self, report: SurveyReport, callback: ProgressCallback | None) -> None:
        self.report = report
        self.callback = callback

    def __call__(self, percent: int) -> None:
        """Store the progress (other connections see it) and tell the caller."""
        percent = max(0, min(100, int(percent)))
        SurveyReport.objects.filter(pk=self.report.pk).update(progress=percent)
        self.report.progress = percent
        self.notify(percent)

    def notify(self, percent: int) -> None:
        if self.callback is not None:
            self.callback(max(0, min(100, int(percent))))


# COPY's text format: backslash, tab, newline and carriage return are escaped; \N is NULL.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_NULL = "\\N"


def _copy_text(value: str) -> str:
    return value.translate(_COPY_ESCAPES) if value else value


def _uuid4_hex(count: int) -> list[str]:
    """`count` random (version 4) UUIDs as 32 hex digits, as uuid.uuid4() makes them, in one go."""
    raw = np.frombuffer(os.urandom(16 * count), dtype=np.uint8).reshape(count, 16).copy()
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40  # version 4
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80  # RFC 4122 variant
    digits = raw.tobytes().hex()
    return [digits[start : start + 32] for start in range(0, 32 * count, 32)]


def _distribution_json(distribution: dict[str, int]) -> str:
    """A distribution as JSON, written out directly (json.dumps took a third of the writing time):
    its keys are option indexes or stored values written as integers, its counts integers, so
    nothing needs escaping, in JSON or in COPY's text format."""
    return "{" + ", ".join([f'"{key}": {count}' for key, count in distribution.items()]) + "}"


def _copy_line(row_id: str, report_id: str, units: Sequence[str], row: Row) -> str:
    unit, measure, key, attribute, value, shown, reason, n, mean, sd, distribution, correlation = row
    return "\t".join(
        (
            row_id,
            report_id,
            units[unit],
            measure,
            key,
            _copy_text(attribute),
            _copy_text(value),
            "t" if shown else "f",
            reason,
            _NULL if n is None else str(n),
            _NULL if mean is None else str(mean),
            _NULL if sd is None else str(sd),
            _NULL if distribution is None else _distribution_json(distribution),
            _NULL if correlation is None else str(correlation),
        )
    )


def _rows_write(
    report: SurveyReport, tree: OrganisationTree, rows: Iterable[Row], progress: Callable[[int], None]
) -> int:
    """Insert the rows: one COPY on PostgreSQL (the server stores rows while the rest are still being
    computed), executemany elsewhere. Building a model instance per row (bulk_create) would cost more
    than the whole computation on a large organisation. `progress` must not use the database."""
    fields = [MeasureResult._meta.get_field(name) for name in ("id", "report", *_ROW_FIELDS)]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(field.column)) for field in fields)  # type: ignore[union-attr]
    table = quote(MeasureResult._meta.db_table)
    written = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            report_id = str(report.pk)
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for batch in _batched(rows, WRITE_BATCH):
                    ids = _uuid4_hex(len(batch))
                    copy.write(
                        "".join(
                            _copy_line(row_id, report_id, tree.names, row) + "\n"
                            for row_id, row in zip(ids, batch, strict=True)
                        )
                    )
                    written += len(batch)
                    progress(written)
            return written
        distribution_field = MeasureResult._meta.get_field("distribution")
        placeholders = ", ".join(["%s"] * len(fields))
        for batch in _batched(rows, WRITE_BATCH):
            values = [
                (
                    uuid.uuid4().hex,
                    report.pk.hex,
                    tree.ids[row[0]].hex,
                    *row[1:10],
                    None if row[10] is None else distribution_field.get_db_prep_save(row[10], connection),  # type: ignore[union-attr]
                    row[11],
                )
                for row in batch
            ]
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608  # nosec B608
                values,
            )
            written += len(values)
            progress(written)
    return written


def _batched(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


class _Background:
    """Run a read in a second database connection while this one does other work, on PostgreSQL
    outside a transaction (a second connection would not see uncommitted rows, and SQLite has one
    writer anyway); elsewhere run it when its result is asked for."""

    def __init__(self, work: Callable[[], Any]) -> None:
        self.work = work
        self.thread: threading.Thread | None = None
        self.outcome: tuple[bool, Any] | None = None
        if self.parallel():
            self.thread = threading.Thread(target=self._run, name="report-read", daemon=True)
            self.thread.start()

    @staticmethod
    def parallel() -> bool:
        return connection.vendor == "postgresql" and not connection.in_atomic_block

    def _run(self) -> None:
        try:
            self.outcome = (True, self.work())
        except BaseException as error:  # handed to the caller in result()
            self.outcome = (False, error)
        finally:
            connections.close_all()  # this thread's own connections

    def result(self) -> Any:
        if self.thread is None:
            return self.work()
        self.thread.join()
        if self.outcome is None:
            raise RuntimeError("the background read ended without a result")
        succeeded, value = self.outcome
        if not succeeded:
            raise value
        return value


def report_compute(*, survey: Survey, progress: ProgressCallback | None = None) -> SurveyReport:
    """Compute and store the survey's report: every measure for every unit of the organisation,
    suppressed once over the whole tree. Replaces the previous rows in one transaction.

    The reading runs before that transaction, reporting progress to the database as it goes."""
    survey = Survey.objects.select_related("ballot").get(pk=survey.pk)
    if survey.ballot.status != Ballot.Status.CLOSED:
        raise ReportNotReady(f"survey {survey.pk} is not closed")
    report, _created = SurveyReport.objects.get_or_create(survey=survey)
    SurveyReport.objects.filter(pk=report.pk).update(status=SurveyReport.Status.RUNNING, progress=0)
    step = _Progress(report, progress)
    step(0)

    context = _context(survey)
    answer_pass = _AnswerPass(context)
    # The two passes over the answers run side by side where they can (see `_Background`).
    listed = {item.pk for item in answer_pass.items}
    others = [item.pk for item in context.items if item.pk not in listed]
    others_read = _Background(lambda: _choice_and_text_data(context, others))
    scale_data, item_counts = answer_pass.read()
    suppressor = _Suppressor(context.tree)
    scale_sources = {
        scale.pk: _scale_plan(context, suppressor, scale, scale_data.get(scale.pk))
        for scale in context.scales
    }
    respondents = Response.objects.filter(survey=survey).count()
    step(PROGRESS_READ)

    # Every read is done before the COPY below starts: nothing else may use the connection then.
    item_counts.update(others_read.result())
    item_data = item_counts.data()

    def plans() -> Iterator[RowSource]:
        for scale in context.scales:
            yield scale_sources[scale.pk]
        for item in context.items:
            plan = _comment_plan if item.kind == Item.Kind.FREE_TEXT else _item_plan
            yield plan(context, suppressor, item, item_data.get(item.pk))

    # On PostgreSQL the items' suppression runs while the COPY streams (the server stores rows
    # meanwhile); on SQLite it runs first, as a write transaction there blocks every other writer.
    sources: Iterable[RowSource] = plans() if connection.vendor == "postgresql" else list(plans())
    # The unfiltered rows; the filtered ones (shown cells only) are few next to them.
    expected = max(1, context.tree.size * (len(context.items) + len(context.scales)))
    first = step.report.progress

    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Derived data: should the server crash in the moment after the commit, the report is
            # computed again; not waiting for the WAL flush saves most of the commit's time.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit = off")
        report = SurveyReport.objects.select_for_update().get(pk=report.pk)
        step.report = report
        MeasureResult.objects.filter(report=report).delete()
        # Progress inside the transaction is for the caller only: no other connection would see it.
        _rows_write(
            report,
            context.tree,
            (row for source in sources for row in source()),
            lambda written: step.notify(first + (99 - first) * min(written, expected) // expected),
        )
        report.k = context.k
        report.free_text_k = context.free_text_k
        report.respondents = respondents
        report.status = SurveyReport.Status.DONE
        report.progress = 100
        report.computed_at = timezone.now()
        report.save(update_fields=["k", "free_text_k", "respondents", "status", "progress", "computed_at"])
    step.notify(100)
    return report
