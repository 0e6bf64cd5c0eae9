"""Forms of the invitations app: the participant's code, and the parts every ballot kind's launch
form shares (who is invited, the invitation and reminder texts)."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, TypedDict, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from puls.core.forms import AccessibleForm
from puls.invitations import tokens
from puls.invitations.models import Ballot
from puls.organisations.models import Unit

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise
else:
    StrOrPromise = str  # a string or a lazy translation


class CodeForm(AccessibleForm):
    """The personal code from a letter or e-mail, typed as printed (dashes, spaces, lower case)."""

    code = forms.CharField(
        label=_("Your personal code"),
        max_length=40,
        help_text=_("16 letters and digits, as in your letter or e-mail, for example ABCD-EFGH-JKMN-PQRS."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        code = tokens.token_normalise(self.cleaned_data["code"])
        if len(code) != tokens.TOKEN_CHARS:
            raise forms.ValidationError(
                _("The code has 16 letters and digits. Check that you typed all of it.")
            )
        return code

    def reject(self) -> None:
        self.add_error("code", _("This code was not recognised. Check it and try again."))


# Launch forms of the ballot kinds ------------------------------------------------------------------

TEXT_MAX_LENGTH = 4000  # an invitation or reminder text of a ballot


def unit_label(unit: Unit) -> str:
    """A unit in a select list: indented by its depth, with its code."""
    return f"{'— ' * unit.depth}{unit.name} ({unit.code})"


@dataclass(frozen=True)
class AudienceNeed:
    """What an audience choice cannot do without: at least one of `fields` (the error goes on the
    first of them)."""

    fields: tuple[str, ...]
    message: StrOrPromise


class BallotAudienceForm(AccessibleForm):
    """The "Who is invited?" fields of a survey and of a dialogue process or round: the choice of
    audience, units (each with all units below it) and job groups, and the check that a choice which
    needs units or job groups got some. Each kind brings its choices, help texts and `audience_needs`
    and turns the cleaned fields into its own audience settings (a survey's job groups alone filter
    everyone; a round's are "units and/or job groups")."""

    audience = forms.ChoiceField(
        label=_("Who is invited?"),
        widget=forms.RadioSelect(attrs={"class": "form-radio"}),
    )
    units = forms.MultipleChoiceField(label=_("Units"), required=False)
    job_groups = forms.MultipleChoiceField(label=_("Job groups"), required=False)

    units_help_text: ClassVar[StrOrPromise] = ""
    job_groups_help_text: ClassVar[StrOrPromise] = ""
    # audience choice → what it needs
    audience_needs: ClassVar[dict[str, AudienceNeed]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].help_text = self.units_help_text
        self.fields["job_groups"].help_text = self.job_groups_help_text
        self._units: dict[str, Unit] = {}

    def _audience_choices(
        self,
        *,
        choices: list[tuple[str, StrOrPromise]],
        initial: str,
        units: Iterable[Unit],
        job_groups: Iterable[str],
        required: bool = True,
    ) -> None:
        audience = cast(forms.ChoiceField, self.fields["audience"])
        audience.choices = choices
        audience.initial = initial
        audience.required = required
        self._units = {str(unit.pk): unit for unit in units}
        cast(forms.ChoiceField, self.fields["units"]).choices = [
            (key, unit_label(unit)) for key, unit in self._units.items()
        ]
        cast(forms.ChoiceField, self.fields["job_groups"]).choices = [(group, group) for group in job_groups]

    def _audience_clean(self, data: dict[str, Any]) -> None:
        need = self.audience_needs.get(data.get("audience") or "")
        if need is not None and not any(data.get(name) for name in need.fields):
            self.add_error(need.fields[0], need.message)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._audience_clean(data)
        return data

    def chosen_units(self) -> list[Unit]:
        return [self._units[key] for key in self.cleaned_data["units"]]


class InvitationTexts(TypedDict):
    invitation_text: str
    reminder_text: str


class InvitationTextsForm(AccessibleForm):
    """The owner's own words above the standard text of the invitation and reminder e-mails
    (`Ballot.invitation_text`/`reminder_text`, put into the mails by `sending`)."""

    invitation_text = forms.CharField(
        label=_("Invitation text"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    reminder_text = forms.CharField(
        label=_("Reminder text"),
        required=False,
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Your own words at the top of the reminder e-mails, above the standard text."),
    )

    invitation_text_help: ClassVar[StrOrPromise] = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["invitation_text"].help_text = self.invitation_text_help

    @staticmethod
    def texts_initial(ballot: Ballot) -> InvitationTexts:
        return {"invitation_text": ballot.invitation_text, "reminder_text": ballot.reminder_text}

    def texts(self) -> InvitationTexts:
        """The invitation_text and reminder_text settings, without surrounding blank space."""
        return {
            "invitation_text": self.cleaned_data["invitation_text"].strip(),
            "reminder_text": self.cleaned_data["reminder_text"].strip(),
        }
