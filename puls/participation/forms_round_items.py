"""Forms of the round's items page (views_round_items.py): items from themes, from an earlier
round, or from a typed list."""

import uuid
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from puls.core.forms import AccessibleForm
from puls.participation.models import Round, Theme
from puls.participation.round_items import MAX_ITEMS, TITLE_MAX_LENGTH, parse_item_lines


class ItemsFromThemesForm(AccessibleForm):
    themes = forms.MultipleChoiceField(
        label=_("Themes"),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-checkbox"}),
        error_messages={"required": _("Choose at least one theme.")},
    )

    def __init__(self, data: Any = None, *, themes: list[Theme]) -> None:
        super().__init__(data, prefix="themes")
        cast(forms.ChoiceField, self.fields["themes"]).choices = [(str(t.pk), t.title) for t in themes]

    def theme_ids(self) -> list[uuid.UUID]:
        return [uuid.UUID(value) for value in self.cleaned_data["themes"]]


class ItemsFromRoundForm(AccessibleForm):
    source = forms.ChoiceField(label=_("Earlier round"))
    top = forms.IntegerField(
        label=_("How many"),
        required=False,
        min_value=1,
        max_value=MAX_ITEMS,
        help_text=_(
            "Leave empty to take all its items. From a prioritise round: its most important items by "
            "result, once the result is shown."
        ),
    )

    def __init__(self, data: Any = None, *, rounds: list[Round]) -> None:
        super().__init__(data, prefix="source")
        self.rounds = {str(r.pk): r for r in rounds}
        cast(forms.ChoiceField, self.fields["source"]).choices = [
            (key, f"{r.order}. {r.ballot.title}") for key, r in self.rounds.items()
        ]

    def source_round(self) -> Round:
        return self.rounds[self.cleaned_data["source"]]


class ItemsFromListForm(AccessibleForm):
    items = forms.CharField(
        label=_("Items, one per line"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Each line becomes an item. Lines the round already has are skipped."),
        error_messages={"required": _("Write at least one item.")},
    )

    def __init__(self, data: Any = None) -> None:
        super().__init__(data, prefix="list")

    def clean_items(self) -> str:
        text: str = self.cleaned_data["items"]
        titles = parse_item_lines(text)
        if not titles:
            raise forms.ValidationError(_("Write at least one item."))
        if any(len(title) > TITLE_MAX_LENGTH for title in titles):
            raise forms.ValidationError(
                _("An item can have at most %(limit)d characters."), params={"limit": TITLE_MAX_LENGTH}
            )
        return text
