"""Scoring of survey answers (DESIGN §6).

Likert items are scored 100/75/50/25/0 in the order their options are listed (the first option,
e.g. "To a very large extent", scores 100); a reversed item is scored the other way round. A scale
score is the mean of the scale's answered items, provided at least half of its items are answered.
Reports use these functions as well as the submit, so a score means the same everywhere.
"""

from collections.abc import Iterable, Sequence

LIKERT_POINTS = 5
# Differences between scores smaller than this are not called notable in reports.
NOTABLE_DIFFERENCE = 5.0


def likert_score(option_index: int, *, option_count: int = LIKERT_POINTS, reversed: bool = False) -> int:
    """The 0–100 score of the chosen option (index into the item's listed options)."""
    if option_count < 2:
        raise ValueError("A Likert item needs at least two options")
    if not 0 <= option_index < option_count:
        raise ValueError(f"Option {option_index} is outside 0..{option_count - 1}")
    steps = option_count - 1
    position = option_index if reversed else steps - option_index
    return round(100 * position / steps)


def scale_score(values: Iterable[float | None], *, item_count: int | None = None) -> float | None:
    """Mean of the answered values, or None when fewer than half of the scale's items are answered.

    `values` holds one entry per answered item (None for an item left blank); `item_count` is the
    number of items in the scale and defaults to the number of entries given.
    """
    entries = list(values)
    total_items = len(entries) if item_count is None else item_count
    answered = [value for value in entries if value is not None]
    if not answered or total_items <= 0 or 2 * len(answered) < total_items:
        return None
    return sum(answered) / len(answered)


def scale_scores(
    answer_values: dict[str, float], scale_items: dict[str, Sequence[str]]
) -> dict[str, float | None]:
    """Scale scores of one response: `answer_values` maps item id to its score, `scale_items` maps
    scale id to the ids of its items in the questionnaire."""
    return {
        scale_id: scale_score([answer_values.get(item_id) for item_id in item_ids], item_count=len(item_ids))
        for scale_id, item_ids in scale_items.items()
    }
