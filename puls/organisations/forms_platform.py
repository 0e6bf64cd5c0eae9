"""Forms of the platform administration (organisations and their first HR administrator)."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from puls.core.forms import AccessibleForm
from puls.organisations.models import Organisation

# Lower case only: the slug is the first part of every address of the organisation.
slug_validator = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    _("Use lower-case letters a–z, digits and single hyphens, e.g. “aarhus-kommune”."),
)


class OrganisationCreateForm(AccessibleForm):
    name = forms.CharField(
        label=_("Name of the organisation"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Organisation.Kind.choices)
    slug = forms.CharField(
        label=_("Short name in addresses"),
        max_length=60,
        validators=[slug_validator],
        help_text=_("Part of the addresses of the organisation's pages, e.g. puls.dk/o/aarhus-kommune/."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"}
        ),
    )
    admin_first_name = forms.CharField(
        label=_("Administrator's first name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    admin_last_name = forms.CharField(
        label=_("Administrator's last name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    admin_email = forms.EmailField(
        label=_("Administrator's e-mail"),
        help_text=_("The administrator receives a link for choosing a password here."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    admin_employee_number = forms.CharField(
        label=_("Administrator's employee number"),
        max_length=50,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def organisation_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.startswith("admin_")]

    def admin_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("admin_")]

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if Organisation.objects.filter(slug__iexact=slug).exists():
            raise forms.ValidationError(_("Another organisation already uses this short name."))
        return slug

    def clean_admin_email(self) -> str:
        return str(self.cleaned_data["admin_email"]).strip().lower()
