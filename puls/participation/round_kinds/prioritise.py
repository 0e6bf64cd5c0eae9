"""The **prioritise** round kind: participants prioritise the round's items (RoundItem, set by the
facilitator before launch through `round_items.py`) by one of three methods (DESIGN §5):

- "dots": N dots to spread over the items (at most N in all);
- "ranking": every item gets a place, 1 = most important;
- "pairwise": a number of random pairs, one at a time, "Which matters more?" (a wiki survey).

Round settings: {"method": "dots"|"ranking"|"pairwise", "dots": 10, "pairs": 12}.

Submission data (built from the participant's draft by `submission`, never taken from a form):
    {"dots": {"<item hex>": n, ...}} | {"ranking": ["<item hex>", ...]} |
    {"pairs": [["<winner hex>", "<loser hex>"], ...]}
Rows written: DotVote / RankingPosition / PairwiseChoice with the receipt and the storage cell —
no person, invitation, token or time.

Results (`results_context`, only shuffled rows): Bradley–Terry scores for pairwise choices and for
rankings (each ranking read as the pairwise preferences it implies), mean dots per participant for
dot voting, each with a 95% bootstrap interval over ballots (`prioritise_scores.py`), seeded by the
round id so the page, the PDF and the XLSX agree. The computed result is cached per round and
number of shuffled rows (the rows cannot change otherwise: items are locked at launch).
"""

import math
import uuid
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from puls.participation import prioritise_scores
from puls.participation.models import DotVote, PairwiseChoice, RankingPosition, Receipt, RoundItem
from puls.participation.round_kinds.base import AnonymityNeeds, ExportSheet

if TYPE_CHECKING:
    from puls.invitations.models import BallotCell
    from puls.participation.models import Contribution, Round

PRIORITISE_KIND = "prioritise"
DOTS, RANKING, PAIRWISE = "dots", "ranking", "pairwise"
METHODS = (DOTS, RANKING, PAIRWISE)
METHOD_LABELS = {
    DOTS: gettext_lazy("Dot voting"),
    RANKING: gettext_lazy("Ranking"),
    PAIRWISE: gettext_lazy("Pairwise comparison"),
}
DEFAULT_DOTS, MAX_DOTS = 10, 100
DEFAULT_PAIRS, MAX_PAIRS = 12, 100
MIN_ITEMS = 2
# Placing more items than this one by one is more than people do well.
MAX_RANKING_ITEMS = 20
CACHE_SECONDS = 24 * 60 * 60

# Draft keys of the participant pages (views_prioritise.py).
DRAFT_DOTS, DRAFT_RANKING, DRAFT_PAIRWISE = "dots", "ranking", "pairwise"
CANNOT_CHOOSE = ""


def _setting_int(round_: "Round", key: str, default: int) -> int:
    try:
        return int((round_.settings or {}).get(key, default))
    except (TypeError, ValueError):
        return default


def round_method(round_: "Round") -> str:
    method = (round_.settings or {}).get("method", DOTS)
    return method if method in METHODS else DOTS


def round_dots(round_: "Round") -> int:
    return _setting_int(round_, "dots", DEFAULT_DOTS)


def round_items(round_: "Round") -> list[RoundItem]:
    return list(RoundItem.objects.filter(round=round_).order_by("order", "title"))


def possible_pairs(item_count: int) -> int:
    return item_count * (item_count - 1) // 2


def round_pairs(round_: "Round", item_count: int | None = None) -> int:
    """How many pairs each participant is shown: the setting, at most every distinct pair once."""
    count = len(round_items(round_)) if item_count is None else item_count
    return max(0, min(_setting_int(round_, "pairs", DEFAULT_PAIRS), possible_pairs(count)))


def _hex(value: Any) -> str | None:
    try:
        return uuid.UUID(str(value)).hex
    except ValueError:
        return None


# The participant's draft ----------------------------------------------------------------------


def draft_dots(draft: dict[str, Any]) -> dict[str, int]:
    value = draft.get(DRAFT_DOTS)
    if not isinstance(value, dict):
        return {}
    return {str(key): count for key, count in value.items() if isinstance(count, int) and count > 0}


def draft_ranking(draft: dict[str, Any]) -> list[str]:
    value = draft.get(DRAFT_RANKING)
    return [str(key) for key in value] if isinstance(value, list) else []


@dataclass
class PairwiseDraft:
    """The pairs drawn for this participant (each [left, right]) and an answer per pair shown so
    far: the chosen item's hex, or CANNOT_CHOOSE."""

    pairs: list[list[str]]
    answers: list[str]

    @property
    def done(self) -> bool:
        return bool(self.pairs) and len(self.answers) >= len(self.pairs)

    def choices(self) -> list[list[str]]:
        """[winner, loser] of every answered pair, leaving out "I can't choose"."""
        return [
            [answer, right if answer == left else left]
            for (left, right), answer in zip(self.pairs, self.answers, strict=False)
            if answer in (left, right)
        ]

    def as_draft(self) -> dict[str, Any]:
        return {"pairs": self.pairs, "answers": self.answers}


def draft_pairwise(draft: dict[str, Any]) -> PairwiseDraft:
    value = draft.get(DRAFT_PAIRWISE)
    if not isinstance(value, dict):
        return PairwiseDraft(pairs=[], answers=[])
    pairs = [
        [str(pair[0]), str(pair[1])]
        for pair in value.get("pairs") or []
        if isinstance(pair, list) and len(pair) == 2
    ]
    answers = [str(answer) for answer in value.get("answers") or []][: len(pairs)]
    return PairwiseDraft(pairs=pairs, answers=answers)


# Validation -----------------------------------------------------------------------------------


def dots_errors(round_: "Round", dots: Any, item_keys: set[str]) -> dict[str, list[str]]:
    """Errors of a dot vote, keyed "dots" (the whole vote) or "dots-<item hex>" (one item)."""
    if not isinstance(dots, dict):
        return {DRAFT_DOTS: [_("Your input could not be read.")]}
    errors: dict[str, list[str]] = {}
    total = 0
    for key, count in dots.items():
        item = _hex(key)
        if item is None or item not in item_keys:
            return {DRAFT_DOTS: [_("Some of the items you voted on are not in this round.")]}
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            errors[f"dots-{item}"] = [_("Write a whole number of dots, 0 or more.")]
            continue
        total += count
    limit = round_dots(round_)
    if not errors and total > limit:
        errors[DRAFT_DOTS] = [
            _("You have placed %(total)d dots, but you have %(limit)d. Take away %(extra)d.")
            % {"total": total, "limit": limit, "extra": total - limit}
        ]
    elif not errors and total == 0:
        errors[DRAFT_DOTS] = [_("Place at least one dot.")]
    return errors


def ranking_errors(ranking: Any, item_keys: set[str]) -> dict[str, list[str]]:
    if not isinstance(ranking, list):
        return {DRAFT_RANKING: [_("Your input could not be read.")]}
    keys = [_hex(key) for key in ranking]
    if None in keys or not set(keys) <= item_keys:
        return {DRAFT_RANKING: [_("Some of the items you ranked are not in this round.")]}
    if len(set(keys)) != len(keys):
        return {DRAFT_RANKING: [_("Each item can have only one place.")]}
    if set(keys) != item_keys:
        return {DRAFT_RANKING: [_("Give every item a place.")]}
    return {}


def pairs_errors(round_: "Round", pairs: Any, item_keys: set[str]) -> dict[str, list[str]]:
    if not isinstance(pairs, list):
        return {"pairs": [_("Your input could not be read.")]}
    seen: set[frozenset[str]] = set()
    for pair in pairs:
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            return {"pairs": [_("Your input could not be read.")]}
        winner, loser = _hex(pair[0]), _hex(pair[1])
        if winner is None or loser is None or not {winner, loser} <= item_keys:
            return {"pairs": [_("Some of the items you compared are not in this round.")]}
        if winner == loser:
            return {"pairs": [_("An item cannot be compared with itself.")]}
        key = frozenset((winner, loser))
        if key in seen:
            return {"pairs": [_("The same pair was answered twice.")]}
        seen.add(key)
    if len(pairs) > round_pairs(round_, len(item_keys)):
        return {"pairs": [_("You answered more pairs than this round asks for.")]}
    if not pairs:
        return {"pairs": [_("Choose the more important item in at least one pair.")]}
    return {}


# Results --------------------------------------------------------------------------------------


def round_half_up(value: float, places: int = 0) -> float:
    """The one rounding rule of these results (half away from zero), for page, PDF and XLSX."""
    quantum = Decimal(1).scaleb(-places)
    return float(Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP))


@dataclass
class ItemResult:
    item: RoundItem
    rank: int
    # The headline figure: 0–100 "preferred over the average item" (pairwise, ranking) or mean
    # dots per participant (dots), with its 95% interval.
    score: float
    low: float
    high: float
    # Method-specific figures.
    total_dots: int = 0
    share: float = 0.0  # % of all dots placed
    mean_rank: float = 0.0
    wins: int = 0
    comparisons: int = 0


@dataclass
class ChartRow:
    label: str
    score: float
    low: float
    high: float
    top: int
    x: float  # % of the plot width
    x_low: float
    x_high: float


@dataclass
class PrioritiseResult:
    method: str
    method_label: str
    ballots: int
    rows: list[ItemResult]
    scale_max: float
    comparisons: int
    places: int  # decimals shown: 0 on the 0–100 scale, 1 for mean dots
    ticks: list[dict[str, Any]]
    chart_rows: list[ChartRow]
    chart_height: int
    reference_x: float | None  # the average item's line (50), where the scale has one


def _seed(round_: "Round") -> int:
    return int(round_.pk.int % (2**63))


def _ballots(model: type[models.Model], round_: "Round") -> dict[uuid.UUID, list[Any]]:
    """The round's shuffled rows of one table, grouped by receipt, receipts in id order (the
    bootstrap's ballot order must not depend on how the database returns rows)."""
    grouped: dict[uuid.UUID, list[Any]] = {}
    rows: Any = model._default_manager.filter(round=round_, shuffled=True).order_by("receipt_id", "pk")
    for row in rows:
        grouped.setdefault(row.receipt_id, []).append(row)
    return dict(sorted(grouped.items()))


def _compute(round_: "Round", items: list[RoundItem]) -> dict[str, Any]:
    """The numbers, as plain data (cacheable): per item index score/low/high and extras."""
    method = round_method(round_)
    index = {item.pk: position for position, item in enumerate(items)}
    n = len(items)
    seed = _seed(round_)
    resamples = int(getattr(settings, "PRIORITISE_RESAMPLES", prioritise_scores.RESAMPLES))
    data: dict[str, Any] = {"method": method}
    if method == DOTS:
        ballots = _ballots(DotVote, round_)
        matrix = np.zeros((len(ballots), n))
        for row_index, rows in enumerate(ballots.values()):
            for vote in rows:
                matrix[row_index, index[vote.item_id]] += vote.dots
        estimate = prioritise_scores.mean_dots(matrix, seed=seed, resamples=resamples)
        totals = matrix.sum(axis=0)
        all_dots = float(totals.sum()) or 1.0
        data.update(
            ballots=len(ballots),
            comparisons=0,
            total_dots=[int(total) for total in totals],
            share=[100.0 * float(total) / all_dots for total in totals],
        )
    elif method == RANKING:
        ballots = _ballots(RankingPosition, round_)
        rankings = [
            [index[position.item_id] for position in sorted(rows, key=lambda p: p.position)]
            for rows in ballots.values()
        ]
        positions = np.zeros(n)
        counted = np.zeros(n)
        for ranking in rankings:
            for place, item_index in enumerate(ranking, start=1):
                positions[item_index] += place
                counted[item_index] += 1
        estimate = prioritise_scores.bradley_terry(
            n,
            [prioritise_scores.ranking_comparisons(ranking) for ranking in rankings],
            seed=seed,
            resamples=resamples,
        )
        data.update(
            ballots=len(ballots),
            comparisons=0,
            mean_rank=[float(p / c) if c else 0.0 for p, c in zip(positions, counted, strict=True)],
        )
    else:
        ballots = _ballots(PairwiseChoice, round_)
        comparisons = [
            [(index[choice.winner_id], index[choice.loser_id]) for choice in rows]
            for rows in ballots.values()
        ]
        wins, seen = [0] * n, [0] * n
        for ballot in comparisons:
            for winner, loser in ballot:
                wins[winner] += 1
                seen[winner] += 1
                seen[loser] += 1
        estimate = prioritise_scores.bradley_terry(n, comparisons, seed=seed, resamples=resamples)
        data.update(
            ballots=len(ballots),
            comparisons=sum(len(ballot) for ballot in comparisons),
            wins=wins,
            seen=seen,
        )
    data.update(
        score=[float(v) for v in estimate.value],
        low=[float(v) for v in estimate.low],
        high=[float(v) for v in estimate.high],
    )
    return data


def _cached(round_: "Round", items: list[RoundItem]) -> dict[str, Any]:
    rows = sum(
        model._default_manager.filter(round=round_, shuffled=True).count()
        for model in (DotVote, RankingPosition, PairwiseChoice)
    )
    key = f"participation:prioritise:{round_.pk.hex}:{round_method(round_)}:{len(items)}:{rows}"
    data = cache.get(key)
    if data is None:
        data = _compute(round_, items)
        cache.set(key, data, CACHE_SECONDS)
    return data


CHART_ROW_HEIGHT = 48


def _ticks(scale_max: float) -> list[dict[str, Any]]:
    return [{"x": 25.0 * i, "value": scale_max * i / 4} for i in range(5)]


def prioritise_result(round_: "Round") -> PrioritiseResult:
    """The round's priorities, most important first (ties by title)."""
    items = round_items(round_)
    data = _cached(round_, items)
    method = data["method"]
    places = 1 if method == DOTS else 0
    rows = [
        ItemResult(
            item=item,
            rank=0,
            score=round_half_up(data["score"][i], places),
            low=round_half_up(data["low"][i], places),
            high=round_half_up(data["high"][i], places),
            total_dots=data.get("total_dots", [0] * len(items))[i],
            share=round_half_up(data.get("share", [0.0] * len(items))[i], 1),
            mean_rank=round_half_up(data.get("mean_rank", [0.0] * len(items))[i], 1),
            wins=data.get("wins", [0] * len(items))[i],
            comparisons=data.get("seen", [0] * len(items))[i],
        )
        for i, item in enumerate(items)
    ]
    order = sorted(range(len(items)), key=lambda i: (-data["score"][i], items[i].title.casefold()))
    rows = [rows[i] for i in order]
    for rank, row in enumerate(rows, start=1):
        row.rank = rank
    if method == DOTS:
        # Whole-number ticks: the axis ends at the next multiple of 4 above the highest bound.
        scale_max = float(max(4, math.ceil(max([row.high for row in rows] + [0.0]) / 4) * 4))
    else:
        scale_max = 100.0
    chart_rows = [
        ChartRow(
            label=f"{row.rank}. {row.item.title}",
            score=row.score,
            low=row.low,
            high=row.high,
            top=index * CHART_ROW_HEIGHT,
            x=100.0 * row.score / scale_max,
            x_low=100.0 * row.low / scale_max,
            x_high=100.0 * row.high / scale_max,
        )
        for index, row in enumerate(rows)
    ]
    return PrioritiseResult(
        method=method,
        method_label=str(METHOD_LABELS[method]),
        ballots=data["ballots"],
        rows=rows,
        scale_max=scale_max,
        comparisons=data.get("comparisons", 0),
        places=places,
        ticks=_ticks(scale_max),
        chart_rows=chart_rows,
        chart_height=len(rows) * CHART_ROW_HEIGHT + 28,
        reference_x=None if method == DOTS else 50.0,
    )


def top_items(round_: "Round", n: int) -> list[RoundItem]:
    """The n most important items of a prioritise round by its result, most important first; []
    while its results may not be shown (before close, or with fewer than k ballots)."""
    from puls.participation.selectors import round_results

    results = round_results(round_=round_)
    if not results.shown:
        return []
    return [row.item for row in results.context["result"].rows[: max(0, n)]]


# The kind -------------------------------------------------------------------------------------


class PrioritiseKind:
    name = PRIORITISE_KIND
    label = gettext_lazy("Prioritise")
    anonymity = AnonymityNeeds(free_text=False, votes=True)
    start_view = "dialogue_answer:prioritise"
    setup_view: str | None = "participation:round_items"
    results_template = "participation/results_prioritise.html"
    review_template = "participation/review_prioritise.html"
    more_by_receipt = False

    def answer_urls(self) -> list[URLPattern]:
        from puls.participation import views_prioritise

        return [path("prioritise/", views_prioritise.prioritise, name="prioritise")]

    def admin_urls(self) -> list[URLPattern]:
        from puls.participation import views_round_items

        return [path("items/", views_round_items.round_items, name="round_items")]

    def settings_defaults(self) -> dict[str, Any]:
        return {"method": DOTS, "dots": DEFAULT_DOTS, "pairs": DEFAULT_PAIRS}

    def setup_form(self, round_: "Round", data: Any = None) -> Any:
        """The kind's part of the items page (round_items.html): the method and its numbers."""
        from puls.participation.forms_prioritise import PrioritiseSettingsForm

        return PrioritiseSettingsForm(data, round_=round_)

    def launch_errors(self, round_: "Round") -> list[str]:
        count = RoundItem.objects.filter(round=round_).count()
        if count < MIN_ITEMS:
            return [_("Add at least %(count)d items to prioritise before launching.") % {"count": MIN_ITEMS}]
        method = round_method(round_)
        if method == DOTS and not 1 <= round_dots(round_) <= MAX_DOTS:
            return [_("Give each participant between 1 and %(limit)d dots.") % {"limit": MAX_DOTS}]
        if method == RANKING and count > MAX_RANKING_ITEMS:
            return [
                _(
                    "Ranking works for at most %(limit)d items. Remove some, or choose dot voting or "
                    "pairwise comparison."
                )
                % {"limit": MAX_RANKING_ITEMS}
            ]
        if method == PAIRWISE:
            pairs = _setting_int(round_, "pairs", DEFAULT_PAIRS)
            if not 1 <= pairs <= MAX_PAIRS:
                return [_("Ask between 1 and %(limit)d pairs.") % {"limit": MAX_PAIRS}]
            if pairs > possible_pairs(count):
                return [
                    _(
                        "%(items)d items make only %(possible)d different pairs. Ask at most that many, "
                        "or add items."
                    )
                    % {"items": count, "possible": possible_pairs(count)}
                ]
        return []

    def submission(self, round_: "Round", draft: dict[str, Any]) -> dict[str, Any]:
        method = round_method(round_)
        if method == DOTS:
            return {"dots": draft_dots(draft)}
        if method == RANKING:
            return {"ranking": draft_ranking(draft)}
        return {"pairs": draft_pairwise(draft).choices()}

    def review_context(self, round_: "Round", draft: dict[str, Any]) -> dict[str, Any]:
        items = {item.pk.hex: item for item in round_items(round_)}
        method = round_method(round_)
        context: dict[str, Any] = {"method": method, "method_label": METHOD_LABELS[method]}
        if method == DOTS:
            dots = draft_dots(draft)
            context["dot_rows"] = [
                {"item": item, "dots": dots[key]} for key, item in items.items() if dots.get(key)
            ]
            context["dots_used"] = sum(dots.values())
            context["dots_limit"] = round_dots(round_)
        elif method == RANKING:
            context["ranked"] = [items[key] for key in draft_ranking(draft) if key in items]
        else:
            pairwise = draft_pairwise(draft)
            context["choices"] = [
                {"winner": items[winner], "loser": items[loser]}
                for winner, loser in pairwise.choices()
                if winner in items and loser in items
            ]
            context["cannot_choose"] = sum(1 for answer in pairwise.answers if answer == CANNOT_CHOOSE)
            context["pairs_total"] = len(pairwise.pairs)
        return context

    def validate(self, round_: "Round", data: dict[str, Any]) -> dict[str, list[str]]:
        method = round_method(round_)
        others = {DOTS: ("ranking", "pairs"), RANKING: ("dots", "pairs"), PAIRWISE: ("dots", "ranking")}
        if any(data.get(key) for key in others[method]):
            return {"data": [_("Your input could not be read.")]}
        item_keys = {item.pk.hex for item in round_items(round_)}
        if method == DOTS:
            return dots_errors(round_, data.get("dots"), item_keys)
        if method == RANKING:
            return ranking_errors(data.get("ranking"), item_keys)
        return pairs_errors(round_, data.get("pairs"), item_keys)

    def write(
        self, round_: "Round", cell: "BallotCell", receipt: Receipt, data: dict[str, Any], *, shuffled: bool
    ) -> list["Contribution"]:
        common = {"round": round_, "receipt": receipt, "cell": cell, "shuffled": shuffled}
        method = round_method(round_)
        if method == DOTS:
            DotVote.objects.bulk_create(
                [
                    DotVote(item_id=uuid.UUID(key), dots=count, **common)
                    for key, count in data["dots"].items()
                    if count > 0
                ]
            )
        elif method == RANKING:
            RankingPosition.objects.bulk_create(
                [
                    RankingPosition(item_id=uuid.UUID(key), position=place, **common)
                    for place, key in enumerate(data["ranking"], start=1)
                ]
            )
        else:
            PairwiseChoice.objects.bulk_create(
                [
                    PairwiseChoice(winner_id=uuid.UUID(winner), loser_id=uuid.UUID(loser), **common)
                    for winner, loser in data["pairs"]
                ]
            )
        return []

    def answer_models(self) -> list[type[models.Model]]:
        return [DotVote, RankingPosition, PairwiseChoice]

    def unshuffled(self, round_: "Round") -> "list[models.QuerySet[Any]]":
        return [
            DotVote.objects.filter(round=round_, shuffled=False),
            RankingPosition.objects.filter(round=round_, shuffled=False),
            PairwiseChoice.objects.filter(round=round_, shuffled=False),
        ]

    def results_context(self, round_: "Round") -> dict[str, Any]:
        return {"result": prioritise_result(round_)}

    def top_items(self, round_: "Round", n: int) -> list[RoundItem]:
        return top_items(round_, n)

    def export_sheets(self, round_: "Round") -> list[ExportSheet]:
        result = prioritise_result(round_)
        if result.method == DOTS:
            header = [
                _("Rank"),
                _("Item"),
                _("Mean dots per participant"),
                _("Lower bound (95%)"),
                _("Upper bound (95%)"),
                _("Dots in all"),
                _("Share of all dots (%)"),
            ]
            rows = [
                [r.rank, r.item.title, r.score, r.low, r.high, r.total_dots, r.share] for r in result.rows
            ]
        else:
            header = [
                _("Rank"),
                _("Item"),
                _("Score (0–100)"),
                _("Lower bound (95%)"),
                _("Upper bound (95%)"),
            ]
            if result.method == RANKING:
                header.append(_("Mean place"))
                rows = [[r.rank, r.item.title, r.score, r.low, r.high, r.mean_rank] for r in result.rows]
            else:
                header += [_("Chosen"), _("Compared")]
                rows = [
                    [r.rank, r.item.title, r.score, r.low, r.high, r.wins, r.comparisons] for r in result.rows
                ]
        return [ExportSheet(title=_("Priorities"), header=header, rows=rows)]

    def category_label(self, category: str) -> str:
        # The kind writes no contributions; nothing to name.
        return category
