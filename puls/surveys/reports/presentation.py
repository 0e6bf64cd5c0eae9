"""How report figures look, the same in every output (report pages, PDF, XLSX): the heatmap's
colour bands and palette, the one rounding rule for every number shown, whether a shown difference
is notable, and the two texts that stand where a figure has no number.

Rounding: half away from zero ("half up" for the positive scores), as people round by hand, as
Django's `floatformat` rounds and as a spreadsheet's number format shows a cell. Python's `round()`
and f-strings round half to even (62.5 → "62"), which would let a page and a file differ by one.
Templates use the same rule through the `report_numbers` filters (puls/surveys/templatetags).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.utils import formats
from django.utils.translation import gettext_lazy

from puls.surveys.scoring import NOTABLE_DIFFERENCE

if TYPE_CHECKING:  # the selectors use this module: no import of them at run time
    from puls.surveys.reports.selectors import ScaleColumn

# Colour bands of the heatmap by how favourable a score is (high is good after turning scales where
# a high score is bad). Five classes of ColorBrewer's PuOr scheme (colour-blind safe); each class's
# text colour has a contrast of at least 4.5:1. The number is always shown: colour is never the only cue.
BAND_EDGES = (40.0, 55.0, 70.0, 85.0)

# Fill and text colours of the five bands (the same as the heatmap's `puls-band-<n>` CSS classes in
# report.css and report-print.css).
PALETTE = (
    ("#b35806", "#ffffff"),
    ("#fdb863", "#000000"),
    ("#f7f7f7", "#000000"),
    ("#b2abd2", "#000000"),
    ("#542788", "#ffffff"),
)

# A shown result without a number (an item without a score, a result without a mean, no previous
# result to compare with): the same dash on the pages, in the PDF and in the XLSX.
NO_FIGURE = "–"
# A result suppression hid (SUPPRESSION.md rule 6): no number at all, only this text, which the
# pages link to the guide's explanation and the PDF and the XLSX explain in their notes.
HIDDEN_TEXT = gettext_lazy("Hidden for anonymity")


def rounded(value: float | int | Decimal, places: int = 0) -> Decimal:
    """`value` rounded to `places` decimals, halves away from zero (62.5 → 63, -2.5 → -3).

    The float is read through its shortest repr, as `floatformat` reads it, so 0.125 rounds to 0.13
    rather than to the binary value just below it."""
    number = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    try:
        result = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # infinity or NaN: nothing a report shows
        return number
    return result + 0 if result.is_zero() else result  # no "-0"


def rounded_int(value: float | int) -> int:
    """The whole number a score is shown as (chart bar lengths use it too): `rounded(value)` as an
    int, without Decimal, since the organisation heatmap rounds 10,000 cells. A float's fractional
    part is exact and a half is exactly representable, so this is the same rule to the last bit."""
    whole = math.floor(value)
    fraction = value - whole
    if fraction > 0.5 or (fraction == 0.5 and value > 0):
        return whole + 1
    return whole


def number_text(value: float | int | Decimal | None, places: int = 0, *, signed: bool = False) -> str:
    """A figure as text with `places` decimals in the active language's format ("0,45" in Danish);
    "–" when there is none. `signed` puts "+" before positive numbers (changes, differences)."""
    if value is None:
        return NO_FIGURE
    if places == 0 and not isinstance(value, Decimal):
        whole = rounded_int(value)
        return f"+{whole}" if signed and whole > 0 else str(whole)
    number = rounded(value, places)
    text = formats.number_format(number, decimal_pos=places, use_l10n=True)
    return f"+{text}" if signed and number > 0 else text


def score_text(mean: float | None) -> str:
    """A score (0–100) as every output shows it: a whole number, or "–" when there is none."""
    return number_text(mean)


def is_notable(difference: float | None) -> bool:
    """Whether a change or difference is notable (DESIGN §6: 5 points or more), judged on the whole
    number it is shown as, so "+5" and "−5" are always marked and "+4" never is (4.5 shows as 5
    and is notable; 4.4 shows as 4 and is not)."""
    return difference is not None and abs(rounded_int(difference)) >= NOTABLE_DIFFERENCE


def band(scale: ScaleColumn, mean: float) -> int:
    """The colour band (0–4, least to most favourable) of a scale's score, by the score as shown
    (rounded), so a cell reading 55 has the colour the legend gives 55."""
    favourability = scale.favourability(float(rounded(mean)))
    return sum(1 for edge in BAND_EDGES if favourability >= edge)


def option_band(scale: ScaleColumn, score: float) -> int:
    """The band of one answer option's 0–100 score, by how favourable it is on this scale."""
    return min(4, int(scale.favourability(score) // 25))
