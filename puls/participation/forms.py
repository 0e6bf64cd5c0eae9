"""Forms of the facilitator pages, the participant's ideas pages and the receipt page."""

import uuid
from datetime import datetime, time, timedelta
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from puls.core.forms import AccessibleForm
from puls.organisations.models import Employment, Organisation, Unit
from puls.participation.models import Contribution, Outcome, Process, Round
from puls.participation.receipts import receipt_code_normalise
from puls.participation.round_kinds import round_kinds
from puls.participation.round_kinds.ideas import CATEGORY_MAX_LENGTH, IDEA_MAX_LENGTH, round_categories
from puls.participation.services import ProcessSettings, RoundSettings

DEFAULT_ROUND_DAYS = 7
DATETIME_INPUT_FORMAT = "%Y-%m-%dT%H:%M"
AUDIENCE_EVERYONE, AUDIENCE_CHOSEN = "everyone", "chosen"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=DATETIME_INPUT_FORMAT)


def _unit_label(unit: Unit) -> str:
    return f"{'— ' * unit.depth}{unit.name} ({unit.code})"


class ProcessForm(AccessibleForm):
    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("For example “Fælles værdier 2027”.")
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why the process is run and what will happen with the input. Shown on every round."),
    )
    mode = forms.ChoiceField(
        label=_("Anonymity"),
        choices=Process.Mode.choices,
        widget=forms.RadioSelect(attrs={"class": "form-radio"}),
        help_text=_(
            "In a named process participants' names are stored with what they write, and every page says so."
        ),
    )
    results = forms.ChoiceField(
        label=_("Who can see the results"),
        choices=Process.Results.choices,
        widget=forms.RadioSelect(attrs={"class": "form-radio"}),
    )
    live_results = forms.BooleanField(
        label=_("Show results while a round is open"),
        required=False,
        help_text=_("Results are published in batches of at least k ballots, never one by one."),
    )
    audience = forms.ChoiceField(
        label=_("Who is invited?"),
        choices=[
            (AUDIENCE_EVERYONE, _("Everyone employed in the organisation")),
            (AUDIENCE_CHOSEN, _("Chosen units and/or job groups")),
        ],
        initial=AUDIENCE_EVERYONE,
        widget=forms.RadioSelect(attrs={"class": "form-radio"}),
    )
    units = forms.MultipleChoiceField(
        label=_("Units"),
        required=False,
        help_text=_("Each with all units below it. Hold Ctrl to choose several."),
    )
    job_groups = forms.MultipleChoiceField(label=_("Job groups"), required=False)

    def __init__(
        self, *args: Any, organisation: Organisation, process: Process | None = None, **kwargs: Any
    ) -> None:
        if process is not None and not args:
            kwargs.setdefault(
                "initial",
                {
                    "title": process.title,
                    "purpose": process.purpose,
                    "mode": process.mode,
                    "results": process.results,
                    "live_results": process.live_results,
                    "audience": AUDIENCE_EVERYONE if process.audience_everyone else AUDIENCE_CHOSEN,
                    "units": [str(unit.pk) for unit in process.audience_units.all()],
                    "job_groups": list(process.audience_job_groups or []),
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["mode"].initial = Process.Mode.ANONYMOUS
        self.fields["results"].initial = Process.Results.INTERNAL
        self._units = {
            str(unit.pk): unit for unit in Unit.objects.filter(organisation=organisation).order_by("path")
        }
        cast(forms.ChoiceField, self.fields["units"]).choices = [
            (key, _unit_label(unit)) for key, unit in self._units.items()
        ]
        groups = (
            Employment.objects.current()
            .filter(unit__organisation=organisation)
            .exclude(job_group="")
            .values_list("job_group", flat=True)
            .distinct()
            .order_by("job_group")
        )
        cast(forms.ChoiceField, self.fields["job_groups"]).choices = [(group, group) for group in groups]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("audience") == AUDIENCE_CHOSEN and not data.get("units") and not data.get("job_groups"):
            self.add_error("units", _("Choose at least one unit or job group, or invite everyone."))
        return data

    def settings(self) -> ProcessSettings:
        data = self.cleaned_data
        everyone = data["audience"] == AUDIENCE_EVERYONE
        return ProcessSettings(
            title=data["title"],
            purpose=data["purpose"],
            mode=data["mode"],
            results=data["results"],
            live_results=data["live_results"],
            audience_everyone=everyone,
            audience_units=[] if everyone else [self._units[key] for key in data["units"]],
            audience_job_groups=[] if everyone else list(data["job_groups"]),
        )


def default_round_times() -> tuple[datetime, datetime]:
    """Tomorrow at 08:00 for one week (DESIGN §5: rounds are a week long by default)."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    opens = timezone.make_aware(datetime.combine(tomorrow, time(8, 0)))
    return opens, opens + timedelta(days=DEFAULT_ROUND_DAYS)


class RoundForm(AccessibleForm):
    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("For example “Round 1: Which challenges do we face?”")
    )
    kind = forms.ChoiceField(label=_("Kind of round"))
    question = forms.CharField(
        label=_("Question to participants"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    opens_at = forms.DateTimeField(
        label=_("Opens"), widget=DateTimeLocalInput(), input_formats=[DATETIME_INPUT_FORMAT]
    )
    closes_at = forms.DateTimeField(
        label=_("Closes"),
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_INPUT_FORMAT],
        help_text=_("One week after opening unless you choose otherwise."),
    )
    categories = forms.CharField(
        label=_("Categories"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Ideas rounds: one category per line; participants may choose one. Leave empty for none."
        ),
    )
    supports = forms.BooleanField(
        label=_("Participants may support others' ideas"), required=False, initial=True
    )
    reminder_days = forms.CharField(
        label=_("Reminders (days after opening)"),
        required=False,
        initial="3, 6",
        help_text=_("Comma-separated, for example 3, 6."),
    )

    def __init__(self, *args: Any, round_: Round | None = None, **kwargs: Any) -> None:
        opens, closes = default_round_times()
        initial: dict[str, Any] = {"opens_at": opens, "closes_at": closes}
        if round_ is not None:
            ballot = round_.ballot
            initial = {
                "title": ballot.title,
                "kind": round_.kind,
                "question": round_.question,
                "opens_at": timezone.localtime(ballot.opens_at),
                "closes_at": timezone.localtime(ballot.closes_at),
                "categories": "\n".join(round_categories(round_)),
                "supports": bool(round_.settings.get("supports", True)),
                "reminder_days": ", ".join(str(day) for day in ballot.reminder_days or []),
            }
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kind"]).choices = [
            (name, kind.label) for name, kind in round_kinds().items()
        ]
        if round_ is not None:
            self.fields["kind"].disabled = True

    def clean_categories(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["categories"].splitlines() if line.strip()]
        if any(len(line) > CATEGORY_MAX_LENGTH for line in lines):
            raise forms.ValidationError(
                _("A category can have at most %(limit)d characters.") % {"limit": CATEGORY_MAX_LENGTH}
            )
        return list(dict.fromkeys(lines))

    def clean_reminder_days(self) -> list[int]:
        text = self.cleaned_data["reminder_days"]
        try:
            return sorted({int(part) for part in text.replace(";", ",").split(",") if part.strip()})
        except ValueError:
            raise forms.ValidationError(_("Write whole days separated by commas.")) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            self.add_error("closes_at", _("The round must close after it opens."))
        return data

    def settings(self) -> RoundSettings:
        data = self.cleaned_data
        return RoundSettings(
            title=data["title"],
            kind=data["kind"],
            opens_at=data["opens_at"],
            closes_at=data["closes_at"],
            question=data["question"],
            settings={"categories": data["categories"], "supports": data["supports"]},
            reminder_days=data["reminder_days"],
        )


class HideForm(AccessibleForm):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_("Participants see “Hidden by moderator:” followed by this reason."),
    )


class MergeForm(AccessibleForm):
    into = forms.ChoiceField(label=_("Duplicate of"))

    def __init__(
        self, *args: Any, contribution: Contribution, candidates: list[Contribution], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["into"]).choices = [
            (str(c.pk), c.text[:120]) for c in candidates if c.pk != contribution.pk and not c.merged_into_id
        ]

    def into_id(self) -> uuid.UUID:
        return uuid.UUID(self.cleaned_data["into"])


class ThemeForm(AccessibleForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class OutcomeForm(AccessibleForm):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Outcome.Kind.choices, widget=forms.RadioSelect(attrs={"class": "form-radio"})
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class OutcomeLinkForm(AccessibleForm):
    """Link a theme to one of the process's outcomes, or to another app's object by its id."""

    outcome = forms.ChoiceField(label=_("Outcome in this process"), required=False)
    target_kind = forms.ChoiceField(label=_("Or: kind of object elsewhere in Puls"), required=False)
    target_id = forms.UUIDField(
        label=_("Its id"),
        required=False,
        help_text=_("The id from the address of a policy node or an action, for example."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why this theme led to this outcome. Participants read it on their receipt page."),
    )

    def __init__(self, *args: Any, outcomes: list[Outcome], kinds: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["outcome"]).choices = [("", "—")] + [
            (str(o.pk), f"{o.get_kind_display()}: {o.title}") for o in outcomes
        ]
        cast(forms.ChoiceField, self.fields["target_kind"]).choices = [("", "—")] + [
            (name, name) for name in kinds
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen_outcome = bool(data.get("outcome"))
        chosen_other = bool(data.get("target_kind") and data.get("target_id"))
        if chosen_outcome == chosen_other:
            raise forms.ValidationError(_("Choose one outcome of this process, or give a kind and an id."))
        return data

    def target(self) -> tuple[str, uuid.UUID]:
        from puls.participation.link_kinds import OUTCOME_KIND

        data = self.cleaned_data
        if data.get("outcome"):
            return OUTCOME_KIND, uuid.UUID(data["outcome"])
        return data["target_kind"], data["target_id"]


# Participants ------------------------------------------------------------------------------------


class IdeaForm(AccessibleForm):
    text = forms.CharField(
        label=_("Your idea"),
        max_length=IDEA_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Do not write names or other details that could identify you or others."),
    )
    category = forms.ChoiceField(label=_("Category"), required=False)

    def __init__(self, *args: Any, round_: Round, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        categories = round_categories(round_)
        if categories:
            cast(forms.ChoiceField, self.fields["category"]).choices = [("", _("No category"))] + [
                (c, c) for c in categories
            ]
        else:
            del self.fields["category"]

    def idea(self) -> dict[str, str]:
        return {
            "text": self.cleaned_data["text"].strip(),
            "category": self.cleaned_data.get("category") or "",
        }


class ReceiptCodeForm(AccessibleForm):
    code = forms.CharField(
        label=_("Your receipt code"),
        max_length=40,
        help_text=_("16 letters and digits, as shown when you submitted, for example ABCD-EFGH-JKMN-PQRS."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        code = receipt_code_normalise(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(
                _("The code has 16 letters and digits. Check that you typed all of it.")
            )
        return code

    def reject(self) -> None:
        self.add_error("code", _("This code was not recognised. Check it and try again."))


class MoreIdeasForm(ReceiptCodeForm):
    text = forms.CharField(
        label=_("Your new idea"),
        max_length=IDEA_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Do not write names or other details that could identify you or others."),
    )
    category = forms.ChoiceField(label=_("Category"), required=False)

    def __init__(self, *args: Any, round_: Round, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        categories = round_categories(round_)
        if categories:
            cast(forms.ChoiceField, self.fields["category"]).choices = [("", _("No category"))] + [
                (c, c) for c in categories
            ]
        else:
            del self.fields["category"]

    def idea(self) -> dict[str, str]:
        return {
            "text": self.cleaned_data["text"].strip(),
            "category": self.cleaned_data.get("category") or "",
        }
