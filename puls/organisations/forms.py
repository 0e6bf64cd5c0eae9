"""Forms of the organisation pages: people search, role assignment and employee panels."""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from puls.core.forms import AccessibleForm
from puls.organisations import selectors
from puls.organisations.models import UNIT_SCOPED_ROLES, EmployeePanel, Person, Role, Unit
from puls.organisations.scoping import Access


def unit_choices_in_tree_order(units: Iterable[Unit]) -> list[tuple[str, str]]:
    """(id, label) pairs for a select: each unit under its parent, siblings by code, labels
    indented by depth below the top visible level so the hierarchy shows."""
    units = list(units)
    present = {unit.pk for unit in units}
    children: dict[Any, list[Unit]] = defaultdict(list)
    roots: list[Unit] = []
    for unit in units:
        (children[unit.parent_id] if unit.parent_id in present else roots).append(unit)
    choices: list[tuple[str, str]] = []

    def add(level: list[Unit], depth: int) -> None:
        for unit in sorted(level, key=lambda u: (u.code, u.name)):
            choices.append((str(unit.pk), f"{'– ' * depth}{unit.code} {unit.name}"))
            add(children[unit.pk], depth + 1)

    add(roots, 0)
    return choices


class PersonSearchForm(AccessibleForm):
    """The people list's filters, bound to request.GET. A filter that does not validate is left out
    (and its error shown); the others still apply."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Name, employee number or e-mail."),
        widget=forms.SearchInput(attrs={"autocomplete": "off"}),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        required=False,
        queryset=Unit.objects.none(),
        help_text=_("Shows the people employed in the unit and its sub-units."),
    )

    def __init__(self, *args: Any, access: Access, results_url: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field: forms.ModelChoiceField = self.fields["unit"]  # type: ignore[type-arg,assignment]
        unit_field.queryset = selectors.unit_list(access=access).active()
        unit_field.choices = [("", _("All units")), *unit_choices_in_tree_order(unit_field.queryset)]
        # htmx enhancement: the results update while typing; without JavaScript the form is a plain GET.
        htmx = {
            "hx-get": results_url,
            "hx-target": "#person-results",
            "hx-include": "closest form",
            "hx-push-url": "true",
        }
        self.fields["q"].widget.attrs.update({**htmx, "hx-trigger": "input changed delay:300ms, search"})
        self.fields["unit"].widget.attrs.update({**htmx, "hx-trigger": "change"})

    @property
    def query(self) -> str:
        self.is_valid()
        return str(self.cleaned_data.get("q") or "")

    @property
    def selected_unit(self) -> Unit | None:
        self.is_valid()
        return self.cleaned_data.get("unit")


class RoleAssignForm(AccessibleForm):
    employee_number = forms.CharField(
        label=_("Employee number"),
        max_length=50,
        help_text=_("The person's employee number, as on the person's page."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("Choose a role")), *Role.choices])
    units = forms.ModelMultipleChoiceField(
        label=_("Units"),
        required=False,
        queryset=Unit.objects.none(),
        help_text=_(
            "Required for unit leaders and MED/AMO representatives: the role covers these units and "
            "their sub-units. Hold Ctrl (Cmd on a Mac) to choose more than one."
        ),
    )

    def __init__(self, *args: Any, access: Access, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.access = access
        self.person: Person | None = None
        # Only this organisation's units are valid choices: a unit of another organisation is
        # rejected at the field like any other invalid choice.
        units_field: forms.ModelMultipleChoiceField = self.fields["units"]  # type: ignore[type-arg,assignment]
        units_field.queryset = selectors.unit_list(access=access).active()
        units_field.choices = unit_choices_in_tree_order(units_field.queryset)
        units_field.widget.attrs["size"] = 8

    def clean_employee_number(self) -> str:
        number: str = self.cleaned_data["employee_number"].strip()
        self.person = selectors.person_get_by_employee_number(access=self.access, employee_number=number)
        if self.person is None:
            raise forms.ValidationError(
                _("%(organisation)s has no person with this employee number."),
                params={"organisation": self.access.organisation.name},
                code="unknown_person",
            )
        return number

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        role = cleaned.get("role")
        units = cleaned.get("units")
        if role and "units" not in self.errors:
            if role in UNIT_SCOPED_ROLES and not units:
                self.add_error("units", _("Choose at least one unit for this role."))
            elif role not in UNIT_SCOPED_ROLES and units:
                self.add_error("units", _("This role covers the whole organisation; leave the units empty."))
        return cleaned


class PanelForm(AccessibleForm):
    name = forms.CharField(
        label=_("Name"), max_length=200, help_text=_("For example “Medarbejderpanel 2027”.")
    )
    numbers = forms.CharField(
        label=_("Members' employee numbers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false", "autocomplete": "off"}),
        help_text=_(
            "One employee number a line, for example pasted from a spreadsheet column. The list replaces "
            "the panel's members; empty lines are ignored."
        ),
    )

    def __init__(self, *args: Any, access: Access, panel: EmployeePanel | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.access = access
        self.panel = panel

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        taken = EmployeePanel.objects.filter(organisation=self.access.organisation, name=name)
        if self.panel is not None:
            taken = taken.exclude(pk=self.panel.pk)
        if taken.exists():
            raise forms.ValidationError(_("Another panel has this name."), code="taken")
        return name

    def unknown_numbers(self, unknown: list[tuple[int, str]]) -> None:
        """Report each employee number the organisation does not know, with its line."""
        for line, number in unknown:
            self.add_error(
                "numbers",
                forms.ValidationError(
                    _("Line %(line)d: %(organisation)s has no person with the employee number “%(number)s”."),
                    params={"line": line, "number": number, "organisation": self.access.organisation.name},
                    code="unknown_person",
                ),
            )
