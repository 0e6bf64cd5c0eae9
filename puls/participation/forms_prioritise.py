"""Forms of the prioritise kind: the facilitator's method settings (on the round's items page) and
the participant's dot vote and ranking (views_prioritise.py). Pairwise choices are buttons."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from puls.core.forms import AccessibleForm
from puls.participation.models import Round, RoundItem
from puls.participation.round_kinds.prioritise import (
    DEFAULT_DOTS,
    DEFAULT_PAIRS,
    MAX_DOTS,
    MAX_PAIRS,
    METHOD_LABELS,
    METHODS,
    round_dots,
    round_method,
)


class PrioritiseSettingsForm(AccessibleForm):
    method = forms.ChoiceField(
        label=_("How do participants prioritise?"),
        widget=forms.RadioSelect(attrs={"class": "form-radio"}),
        help_text=_(
            "Dot voting: spread a number of dots over the items. Ranking: give every item a place. "
            "Pairwise comparison: choose the more important of two items, a pair at a time."
        ),
    )
    dots = forms.IntegerField(
        label=_("Dots per participant"),
        min_value=1,
        max_value=MAX_DOTS,
        help_text=_("Dot voting only."),
    )
    pairs = forms.IntegerField(
        label=_("Pairs per participant"),
        min_value=1,
        max_value=MAX_PAIRS,
        help_text=_("Pairwise comparison only. At most one of each possible pair is shown."),
    )

    def __init__(self, data: Any = None, *, round_: Round, **kwargs: Any) -> None:
        settings = round_.settings or {}
        kwargs.setdefault(
            "initial",
            {
                "method": round_method(round_),
                "dots": settings.get("dots", DEFAULT_DOTS),
                "pairs": settings.get("pairs", DEFAULT_PAIRS),
            },
        )
        super().__init__(data, prefix="settings", **kwargs)
        cast(forms.ChoiceField, self.fields["method"]).choices = [
            (method, METHOD_LABELS[method]) for method in METHODS
        ]

    def settings(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"method": data["method"], "dots": data["dots"], "pairs": data["pairs"]}


def dots_field_name(item: RoundItem) -> str:
    return f"dots-{item.pk.hex}"


class DotsForm(AccessibleForm):
    """A number of dots per item; in all at most the round's dots (the error is shown on the
    group of fields and in the summary)."""

    def __init__(
        self, data: Any = None, *, round_: Round, items: list[RoundItem], initial_dots: dict[str, int]
    ):
        super().__init__(data)
        self.round = round_
        self.items = items
        self.limit = round_dots(round_)
        for item in items:
            self.fields[dots_field_name(item)] = forms.IntegerField(
                label=item.title,
                min_value=0,
                max_value=self.limit,
                required=False,
                initial=initial_dots.get(item.pk.hex, 0),
                help_text=item.description,
                widget=forms.NumberInput(
                    attrs={"inputmode": "numeric", "class": "form-input input-width-xs"}
                ),
                error_messages={
                    "invalid": _("Write a whole number of dots."),
                    "min_value": _("Write 0 or more dots."),
                    "max_value": _("You have %(limit_value)s dots in all."),
                },
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        total = sum(data.get(dots_field_name(item)) or 0 for item in self.items)
        if total > self.limit:
            raise forms.ValidationError(
                _("You have placed %(total)d dots, but you have %(limit)d. Take away %(extra)d."),
                params={"total": total, "limit": self.limit, "extra": total - self.limit},
            )
        if total == 0:
            raise forms.ValidationError(_("Place at least one dot."))
        return data

    def dots(self) -> dict[str, int]:
        counts = {item.pk.hex: self.cleaned_data.get(dots_field_name(item)) or 0 for item in self.items}
        return {key: count for key, count in counts.items() if count > 0}

    def total_shown(self) -> int:
        """The dots the form shows as placed (what was typed, or the draft's)."""
        total = 0
        for item in self.items:
            raw = self[dots_field_name(item)].value()
            try:
                total += max(0, int(raw or 0))
            except (TypeError, ValueError):
                continue
        return total


def place_field_name(item: RoundItem) -> str:
    return f"place-{item.pk.hex}"


class RankingForm(AccessibleForm):
    """A place (1 = most important) per item; every place used once."""

    def __init__(self, data: Any = None, *, items: list[RoundItem], order: list[str]):
        super().__init__(data)
        self.items = items
        places = [(str(place), str(place)) for place in range(1, len(items) + 1)]
        position = {key: place for place, key in enumerate(order, start=1)}
        for item in sorted(items, key=lambda i: position.get(i.pk.hex, len(items) + 1)):
            self.fields[place_field_name(item)] = forms.TypedChoiceField(
                label=item.title,
                choices=places,
                coerce=int,
                initial=str(position.get(item.pk.hex, "")),
                help_text=item.description,
                error_messages={"required": _("Choose a place for this item.")},
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        holders: dict[int, list[str]] = {}
        for item in self.items:
            place = data.get(place_field_name(item))
            if place is not None:
                holders.setdefault(place, []).append(place_field_name(item))
        for place, names in holders.items():
            if len(names) > 1:
                for name in names:
                    self.add_error(
                        name,
                        _("Place %(place)d is given to %(count)d items. Give each item its own place.")
                        % {"place": place, "count": len(names)},
                    )
        return data

    def ranking(self) -> list[str]:
        """Item hexes, most important first."""
        places = {item.pk.hex: self.cleaned_data[place_field_name(item)] for item in self.items}
        return sorted(places, key=lambda key: places[key])
