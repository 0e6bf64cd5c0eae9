"""Forms of the facilitator pages, the participant's ideas pages and the receipt page."""

import uuid
from datetime import datetime, time, timedelta
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from puls.core.forms import AccessibleForm
from puls.core.models import User
from puls.invitations.forms import AudienceNeed, BallotAudienceForm, InvitationTextsForm, StrOrPromise
from puls.organisations.models import Organisation, Unit
from puls.organisations.selectors import job_group_choices, panel_choices, people_with_login
from puls.participation.models import Contribution, Outcome, Process, Round
from puls.participation.receipts import receipt_code_normalise
from puls.participation.round_kinds import round_kinds
from puls.participation.round_kinds.ideas import CATEGORY_MAX_LENGTH, IDEA_MAX_LENGTH, round_categories
from puls.participation.services import ProcessSettings, RoundSettings

DEFAULT_ROUND_DAYS = 7
DATETIME_INPUT_FORMAT = "%Y-%m-%dT%H:%M"
# "Who is invited?": the process's audience (rounds only), everyone, units/job groups, or a panel.
AUDIENCE_PROCESS, AUDIENCE_EVERYONE = "process", "everyone"
AUDIENCE_CHOSEN, AUDIENCE_PANEL = "chosen", "panel"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=DATETIME_INPUT_FORMAT)


class AudienceForm(BallotAudienceForm):
    """The "Who is invited?" fields shared by the process form and the round form: everyone, the
    chosen units (each with its subtree) and/or job groups, or a standing employee panel; a round
    may also take its process's audience (the default)."""

    panel = forms.ChoiceField(
        label=_("Employee panel"),
        required=False,
        help_text=_("Its members employed when the round is launched are invited."),
    )

    units_help_text = _("Each with all units below it. Hold Ctrl to choose several.")
    audience_needs = {
        AUDIENCE_CHOSEN: AudienceNeed(
            ("units", "job_groups"), _("Choose at least one unit or job group, or invite everyone.")
        ),
        AUDIENCE_PANEL: AudienceNeed(("panel",), _("Choose the panel to invite.")),
    }
    # Whether "the same people as the process" is a choice (rounds) or not (processes).
    inherits_audience = False

    def _audience_setup(self, organisation: Organisation) -> None:
        choices: list[tuple[str, StrOrPromise]] = [
            (AUDIENCE_EVERYONE, _("Everyone employed in the organisation")),
            (AUDIENCE_CHOSEN, _("Chosen units and/or job groups")),
        ]
        if self.inherits_audience:
            choices.insert(0, (AUDIENCE_PROCESS, _("The same people as the process")))
        self._panels = {str(panel.pk): panel for panel in panel_choices(organisation=organisation)}
        if self._panels:
            choices.append((AUDIENCE_PANEL, _("A standing employee panel")))
            cast(forms.ChoiceField, self.fields["panel"]).choices = [("", "—")] + [
                (key, panel.name) for key, panel in self._panels.items()
            ]
            if len(self._panels) == 1 and not self.initial.get("panel"):
                self.fields["panel"].initial = next(iter(self._panels))
        else:
            del self.fields["panel"]
        self._audience_choices(
            choices=choices,
            initial=AUDIENCE_PROCESS if self.inherits_audience else AUDIENCE_EVERYONE,
            units=Unit.objects.filter(organisation=organisation).order_by("path"),
            job_groups=job_group_choices(organisation),
            required=not self.inherits_audience,
        )

    @staticmethod
    def audience_initial(holder: Process | Round) -> dict[str, Any]:
        if isinstance(holder, Round) and holder.audience_from_process:
            audience = AUDIENCE_PROCESS
        elif holder.audience_panel_id is not None:
            audience = AUDIENCE_PANEL
        elif holder.audience_everyone:
            audience = AUDIENCE_EVERYONE
        else:
            audience = AUDIENCE_CHOSEN
        return {
            "audience": audience,
            "units": [str(unit.pk) for unit in holder.audience_units.all()],
            "job_groups": list(holder.audience_job_groups or []),
            "panel": str(holder.audience_panel_id or ""),
        }

    def _audience_clean(self, data: dict[str, Any]) -> None:
        data["audience"] = data.get("audience") or (AUDIENCE_PROCESS if self.inherits_audience else "")
        super()._audience_clean(data)

    def audience_values(self) -> dict[str, Any]:
        """The audience_* settings of ProcessSettings and RoundSettings."""
        data = self.cleaned_data
        audience = data["audience"]
        chosen = audience == AUDIENCE_CHOSEN
        values: dict[str, Any] = {
            "audience_everyone": audience == AUDIENCE_EVERYONE,
            "audience_units": self.chosen_units() if chosen else [],
            "audience_job_groups": list(data["job_groups"]) if chosen else [],
            "audience_panel": self._panels[data["panel"]] if audience == AUDIENCE_PANEL else None,
        }
        if self.inherits_audience:
            values["audience_from_process"] = audience == AUDIENCE_PROCESS
        return values


class ProcessForm(AudienceForm):
    field_order = [
        "title",
        "purpose",
        "mode",
        "results",
        "live_results",
        "audience",
        "units",
        "job_groups",
        "panel",
        "facilitators",
    ]

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
    facilitators = forms.MultipleChoiceField(
        label=_("Facilitators of this process"),
        required=False,
        help_text=_(
            "People who run this process only: rounds, moderation, themes and outcomes. HR and people "
            "with the facilitator role run every process anyway. Hold Ctrl to choose several."
        ),
    )

    def __init__(
        self,
        *args: Any,
        organisation: Organisation,
        process: Process | None = None,
        choose_facilitators: bool = True,
        **kwargs: Any,
    ) -> None:
        if process is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": process.title,
                    "purpose": process.purpose,
                    "mode": process.mode,
                    "results": process.results,
                    "live_results": process.live_results,
                    **self.audience_initial(process),
                    "facilitators": [str(user.pk) for user in process.facilitators.all()],
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["mode"].initial = Process.Mode.ANONYMOUS
        self.fields["results"].initial = Process.Results.INTERNAL
        self._audience_setup(organisation)
        if choose_facilitators:
            people = people_with_login(organisation=organisation)
            self._users = {str(person.user_id): person.user for person in people}
            cast(forms.ChoiceField, self.fields["facilitators"]).choices = [
                (str(person.user_id), f"{person.full_name} ({person.employee_number})") for person in people
            ]
        else:
            # A facilitator of this process only does not choose who else facilitates it.
            del self.fields["facilitators"]

    def settings(self) -> ProcessSettings:
        data = self.cleaned_data
        facilitators = None
        if "facilitators" in self.fields:
            facilitators = [cast(User, self._users[key]) for key in data["facilitators"]]
        return ProcessSettings(
            title=data["title"],
            purpose=data["purpose"],
            mode=data["mode"],
            results=data["results"],
            live_results=data["live_results"],
            facilitators=facilitators,
            **self.audience_values(),
        )


def default_round_times() -> tuple[datetime, datetime]:
    """Tomorrow at 08:00 for one week (DESIGN §5: rounds are a week long by default)."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    opens = timezone.make_aware(datetime.combine(tomorrow, time(8, 0)))
    return opens, opens + timedelta(days=DEFAULT_ROUND_DAYS)


class RoundForm(AudienceForm, InvitationTextsForm):
    field_order = [
        "title",
        "kind",
        "question",
        "opens_at",
        "closes_at",
        "audience",
        "units",
        "job_groups",
        "panel",
        "invitation_text",
        "reminder_text",
    ]
    inherits_audience = True

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
    invitation_text_help = _(
        "Your own words at the top of the invitation e-mail, for example why this round matters. "
        "The standard text with the personal link, the code and the anonymity promise follows it."
    )

    def __init__(
        self, *args: Any, organisation: Organisation, round_: Round | None = None, **kwargs: Any
    ) -> None:
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
                **self.texts_initial(ballot),
                **self.audience_initial(round_),
            }
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self._audience_setup(organisation)
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
            **self.texts(),
            **self.audience_values(),
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


class MoreIdeasForm(ReceiptCodeForm, IdeaForm):
    """The receipt code and one more idea (the idea fields and their category choices are IdeaForm's)."""

    field_order = ["code", "text", "category"]
    text = forms.CharField(
        label=_("Your new idea"),
        max_length=IDEA_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Do not write names or other details that could identify you or others."),
    )


class PreviousReceiptForm(AccessibleForm):
    """The review page's optional field: attach this ballot to an earlier round's receipt
    (DESIGN §4.9). Checked inside the sealed submit (`receipt_chains.attach_target`)."""

    previous_code = forms.CharField(
        label=_("Your receipt code from an earlier round"),
        max_length=40,
        required=False,
        help_text=_(
            "If you took part in an earlier round of this process, type its receipt code: then either "
            "code shows your input from both rounds. To keep everyone anonymous, input joined this "
            "way is stored for a larger group of units."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_previous_code(self) -> str:
        text = self.cleaned_data["previous_code"].strip()
        if not text:
            return ""
        code = receipt_code_normalise(text)
        if not code:
            raise forms.ValidationError(
                _("The code has 16 letters and digits. Check that you typed all of it.")
            )
        return code
