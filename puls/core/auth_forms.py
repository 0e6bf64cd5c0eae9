"""Forms of the login, password reset and activation pages, with our labels and DKFDS wiring."""

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from puls.core.forms import AccessibleFormMixin

PASSWORD_HINT = _(
    "At least 10 characters. Avoid common passwords, passwords of only digits "
    "and passwords that resemble your name or e-mail address."
)


class EmailAuthenticationForm(AccessibleFormMixin, AuthenticationForm):
    """Log in with e-mail and password.

    The e-mail field keeps the name `username`: Django's authenticate() and django-axes read the
    login name from that key, so throttling counts failures per (lower-cased) e-mail address.
    """

    username = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _("The e-mail address or the password is not correct."),
        "inactive": _("This login has been closed. Contact your HR department."),
    }

    def clean_username(self) -> str:
        return str(self.cleaned_data["username"]).strip().lower()


class AccessiblePasswordResetForm(AccessibleFormMixin, PasswordResetForm):
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class AccessibleSetPasswordForm(AccessibleFormMixin, SetPasswordForm):  # type: ignore[type-arg]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("New password")
        self.fields["new_password1"].help_text = PASSWORD_HINT
        self.fields["new_password2"].label = _("Repeat the new password")
        for name in ("new_password1", "new_password2"):
            self.fields[name].widget.attrs["autocomplete"] = "new-password"
