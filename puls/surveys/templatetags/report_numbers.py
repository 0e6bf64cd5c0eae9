"""Template filters for report figures, with the one rounding rule of every report output
(puls/surveys/reports/presentation.py): `{{ mean|score }}`, `{{ share|number }}`,
`{{ p_value|number:3 }}` and `{{ change|signed }}`. Use them instead of `floatformat`."""

from decimal import Decimal

from django import template

from puls.surveys.reports import presentation

register = template.Library()

Number = float | int | Decimal | None


@register.filter
def score(value: Number) -> str:
    """A score (0–100) as a whole number; "–" when there is none."""
    return presentation.score_text(None if value is None else float(value))


@register.filter
def number(value: Number, places: int = 0) -> str:
    """A figure with `places` decimals in the active language's format; "–" when there is none."""
    return presentation.number_text(value, int(places))


@register.filter
def signed(value: Number, places: int = 0) -> str:
    """A change or difference: "+" before positive figures."""
    return presentation.number_text(value, int(places), signed=True)
