"""Forms of the report pages: HR's phased release and benchmark opt-in, and the report filters."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from puls.core.forms import AccessibleForm
from puls.surveys.forms import ATTRIBUTE_CHOICES, DATETIME_INPUT_FORMAT, DateTimeLocalInput
from puls.surveys.models import Survey

ATTRIBUTE_LABELS = dict(ATTRIBUTE_CHOICES)


def attribute_label(attribute: str) -> str:
    return str(ATTRIBUTE_LABELS.get(attribute, attribute))


class ReleaseForm(AccessibleForm):
    release_leaders_at = forms.DateTimeField(
        label=_("Leaders and MED/AMO representatives see the results from"),
        help_text=_("Leave empty to keep the results for HR only."),
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_INPUT_FORMAT],
    )
    release_everyone_at = forms.DateTimeField(
        label=_("Every employee sees the results for their own unit and the organisation from"),
        help_text=_("Not before the leaders' date. Leave empty to wait."),
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_INPUT_FORMAT],
    )

    def __init__(self, *args: Any, survey: Survey, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "release_leaders_at": _local(survey.release_leaders_at),
                "release_everyone_at": _local(survey.release_everyone_at),
            },
        )
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        leaders, everyone = data.get("release_leaders_at"), data.get("release_everyone_at")
        if everyone is not None and leaders is None and not self.has_error("release_leaders_at"):
            self.add_error("release_leaders_at", _("Release the results to leaders first, then to everyone."))
        elif everyone is not None and leaders is not None and everyone < leaders:
            self.add_error(
                "release_everyone_at", _("Everyone can see the results at the same time as leaders or later.")
            )
        return data


def _local(moment: Any) -> Any:
    return timezone.localtime(moment) if moment is not None else None


class BenchmarkForm(AccessibleForm):
    opt_in = forms.BooleanField(
        label=_("Share our organisation-level results with the benchmark of opted-in organisations"),
        help_text=_(
            "Only the organisation's scale means of closed surveys are shared, never answers or unit "
            "results. The benchmark is shown only to organisations that share, and only when at least "
            "three organisations contribute."
        ),
        required=False,
    )


class FilterForm(forms.Form):
    """The background attribute a heatmap or scale page is broken down by (GET)."""

    attribute = forms.ChoiceField(label=_("Break down by"), required=False)

    def __init__(self, *args: Any, attributes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["attribute"]
        field.choices = [("", _("No breakdown"))] + [(a, attribute_label(a)) for a in attributes]  # type: ignore[attr-defined]
        field.widget.attrs["class"] = "form-select"

    def chosen(self) -> str | None:
        if self.is_valid():
            return self.cleaned_data.get("attribute") or None
        return None
