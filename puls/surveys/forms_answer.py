"""The participant's form for one section of a survey, and the CPR-number screen of free text.

Fields are named after the item id (`q_<hex>`); a free-text field has a companion checkbox
`keep_<hex>` shown only when its text looks like it holds a CPR number (DESIGN §4.5, §7.18).
"""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from puls.core.cpr import looks_like_cpr
from puls.surveys.ballot_kind import FREE_TEXT_MAX_LENGTH, SCALE10_VALUES, item_options, option_label
from puls.surveys.models import Item, localised


def field_name(item: Item) -> str:
    return f"q_{item.id.hex}"


def keep_field_name(item: Item) -> str:
    return f"keep_{item.id.hex}"


@dataclass
class Question:
    """One question as the template renders it."""

    number: int
    item: Item
    field: forms.BoundField
    keep_field: forms.BoundField | None
    cpr_warning: bool

    @property
    def text(self) -> str:
        return localised(self.item, "text")

    @property
    def kind(self) -> str:
        return self.item.kind

    @property
    def scale_labels(self) -> tuple[str, str] | None:
        """Words for the ends of a 0–10 scale, when the item gives them."""
        options = item_options(self.item)
        if self.item.kind == Item.Kind.SCALE_0_10 and len(options) >= 2:
            return option_label(options[0]), option_label(options[-1])
        return None


def _field_for(item: Item) -> forms.Field:
    label = localised(item, "text")
    choices = [(str(index), option_label(option)) for index, option in enumerate(item_options(item))]
    if item.kind in (Item.Kind.LIKERT, Item.Kind.SINGLE):
        return forms.TypedChoiceField(
            label=label,
            choices=choices,
            coerce=int,
            empty_value=None,
            required=False,
            widget=forms.RadioSelect(attrs={"class": "form-radio"}),
        )
    if item.kind == Item.Kind.MULTIPLE:
        return forms.TypedMultipleChoiceField(
            label=label,
            choices=choices,
            coerce=int,
            required=False,
            widget=forms.CheckboxSelectMultiple(attrs={"class": "form-checkbox"}),
        )
    if item.kind == Item.Kind.SCALE_0_10:
        return forms.TypedChoiceField(
            label=label,
            choices=[(str(value), str(value)) for value in SCALE10_VALUES],
            coerce=int,
            empty_value=None,
            required=False,
            widget=forms.RadioSelect(attrs={"class": "form-radio"}),
        )
    return forms.CharField(
        label=label,
        required=False,
        max_length=FREE_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-input"}),
        help_text=_(
            "Do not write names, CPR numbers or other details that can identify you or others. "
            "Your text is shown only together with the texts of many others."
        ),
    )


def _initial_value(item: Item, value: Any) -> Any:
    if value is None:
        return None
    if item.kind == Item.Kind.MULTIPLE:
        return [str(v) for v in value] if isinstance(value, list) else []
    if item.kind == Item.Kind.FREE_TEXT:
        return value
    return str(value)


class SectionAnswerForm(forms.Form):
    def __init__(
        self,
        *args: Any,
        items: list[Item],
        answers: dict[str, Any],
        first_number: int = 1,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.items = items
        self.first_number = first_number
        for item in items:
            self.fields[field_name(item)] = _field_for(item)
            self.initial[field_name(item)] = _initial_value(item, answers.get(item.id.hex))
            if item.kind == Item.Kind.FREE_TEXT:
                self.fields[keep_field_name(item)] = forms.BooleanField(
                    required=False,
                    label=_("The number is not a CPR number: keep my answer as it is"),
                )
        self.cpr_warnings: set[str] = set()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for item in self.items:
            if item.kind != Item.Kind.FREE_TEXT:
                continue
            text = cleaned.get(field_name(item)) or ""
            if looks_like_cpr(text) and not cleaned.get(keep_field_name(item)):
                self.cpr_warnings.add(item.id.hex)
        return cleaned

    @property
    def needs_confirmation(self) -> bool:
        """Valid, but a free-text answer looks like it holds a CPR number the participant has not
        confirmed: show the warning and save nothing yet."""
        return bool(self.cpr_warnings)

    def answers(self) -> dict[str, Any]:
        """The section's answers as stored in the draft and submitted: item hex → value or None."""
        result: dict[str, Any] = {}
        for item in self.items:
            value = self.cleaned_data.get(field_name(item))
            if item.kind == Item.Kind.MULTIPLE:
                value = sorted(value) if value else None
            elif item.kind == Item.Kind.FREE_TEXT:
                value = value or None
            result[item.id.hex] = value
        return result

    def questions(self) -> list[Question]:
        warned = self.cpr_warnings
        for item in self.items:
            if item.kind == Item.Kind.FREE_TEXT:
                bound = self[field_name(item)]
                described = [f"{bound.auto_id}-hint"]
                if bound.errors:
                    described.append(f"{bound.auto_id}-error")
                    bound.field.widget.attrs["aria-invalid"] = "true"
                if item.id.hex in warned:
                    described.append(f"{bound.auto_id}-cpr")
                bound.field.widget.attrs["aria-describedby"] = " ".join(described)
        return [
            Question(
                number=self.first_number + index,
                item=item,
                field=self[field_name(item)],
                keep_field=self[keep_field_name(item)] if item.id.hex in warned else None,
                cpr_warning=item.id.hex in warned,
            )
            for index, item in enumerate(self.items)
        ]
