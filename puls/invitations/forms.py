from django import forms
from django.utils.translation import gettext_lazy as _

from puls.core.forms import AccessibleForm
from puls.invitations import tokens


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
