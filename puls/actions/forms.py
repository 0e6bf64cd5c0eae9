"""Forms of the action-plan and APV pages."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from puls.actions import selectors, services
from puls.actions.models import Action, ApvCycle, ApvFinding
from puls.core.forms import AccessibleForm
from puls.organisations.forms import unit_choices_in_tree_order
from puls.organisations.models import Person, Unit
from puls.organisations.scoping import Access


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _person_label(person: Person) -> str:
    return person.full_name


class PersonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return _person_label(obj)


class UnitChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A unit select in tree order; its queryset is the user's plan units."""

    def set_units(self, units: Any, *, empty_label: str | None = None) -> None:
        self.queryset = units
        choices = unit_choices_in_tree_order(units)
        self.choices = [("", empty_label), *choices] if empty_label is not None else choices


class ActionFilterForm(AccessibleForm):
    """The filters of the action list and the dashboard, bound to request.GET."""

    unit = UnitChoiceField(label=_("Unit"), required=False, queryset=Unit.objects.none())
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("open", _("Not finished")), *Action.Status.choices],
    )
    priority = forms.ChoiceField(
        label=_("Priority"), required=False, choices=[("", _("All")), *Action.Priority.choices]
    )
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)
    without_owner = forms.BooleanField(label=_("Only without owner"), required=False)

    def __init__(self, *args: Any, access: Access, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field: UnitChoiceField = self.fields["unit"]  # type: ignore[assignment]
        unit_field.set_units(selectors.plan_units(access=access), empty_label=str(_("All units")))

    def filters(self) -> selectors.ActionFilter:
        valid = self.cleaned_data if self.is_bound and self.is_valid() else getattr(self, "cleaned_data", {})
        return selectors.ActionFilter(
            unit=valid.get("unit"),
            status=valid.get("status") or "",
            priority=valid.get("priority") or "",
            overdue=bool(valid.get("overdue")),
            without_owner=bool(valid.get("without_owner")),
        )


class DashboardFilterForm(AccessibleForm):
    unit = UnitChoiceField(label=_("Unit"), required=False, queryset=Unit.objects.none())
    show_all = forms.BooleanField(
        label=_("Also show units with no overdue or ownerless actions"), required=False
    )

    def __init__(self, *args: Any, access: Access, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field: UnitChoiceField = self.fields["unit"]  # type: ignore[assignment]
        unit_field.set_units(selectors.plan_units(access=access), empty_label=str(_("All units")))

    @property
    def selected_unit(self) -> Unit | None:
        if not self.is_bound or not (self.is_valid() or "unit" not in self.errors):
            return None
        return self.cleaned_data.get("unit")

    @property
    def wants_all(self) -> bool:
        return self.is_bound and self.is_valid() and bool(self.cleaned_data.get("show_all"))


class ApvFilterForm(DashboardFilterForm):
    show_all = forms.BooleanField(label=_("Also show units without any APV or discussion"), required=False)


class ActionForm(AccessibleForm):
    """The plan of one action (DESIGN §6: problem, solution, owner, deadline, priority, evaluation)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    problem = forms.CharField(label=_("Problem"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    solution = forms.CharField(
        label=_("Chosen solution"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = PersonChoiceField(
        label=_("Owner"),
        required=False,
        queryset=Person.objects.none(),
        help_text=_("The person responsible for carrying out the action."),
    )
    co_owner = PersonChoiceField(
        label=_("Co-owner (MED/AMO representative)"), required=False, queryset=Person.objects.none()
    )
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DateInput())
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Action.Priority.choices, initial=Action.Priority.MEDIUM
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=Action.Status.choices, initial=Action.Status.PLANNED
    )
    evaluation_method = forms.CharField(
        label=_("How the effect is evaluated"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: ask again in the next survey, or talk it over at a staff meeting."),
    )
    evaluation_date = forms.DateField(
        label=_("When the effect is evaluated"), required=False, widget=DateInput()
    )
    evaluation_result = forms.CharField(
        label=_("Evaluated effect"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, unit: Unit, action: Action | None = None, **kwargs: Any) -> None:
        if action is not None:
            kwargs.setdefault(
                "initial", {name: getattr(action, name) for name in services.ACTION_EDITABLE_FIELDS}
            )
        super().__init__(*args, **kwargs)
        self.action = action
        self._set_people(unit, action)
        if action is None:
            del self.fields["evaluation_result"]

    def _set_people(self, unit: Unit, action: Action | None) -> None:
        owner_field: PersonChoiceField = self.fields["owner"]  # type: ignore[assignment]
        owners = selectors.owner_choices(unit=unit, current=action.owner if action else None)
        owner_field.queryset = Person.objects.filter(pk__in=[p.pk for p in owners])
        owner_field.choices = [("", _("No owner yet")), *((str(p.pk), _person_label(p)) for p in owners)]
        co_field: PersonChoiceField = self.fields["co_owner"]  # type: ignore[assignment]
        reps = services.med_reps_for_unit(unit)
        co_field.queryset = Person.objects.filter(pk__in=[p.pk for p in reps])
        co_field.choices = [("", _("None")), *((str(p.pk), _person_label(p)) for p in reps)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        deadline, evaluation = cleaned.get("deadline"), cleaned.get("evaluation_date")
        if deadline and evaluation and evaluation < deadline:
            self.add_error("evaluation_date", _("Evaluate the effect after the deadline, not before."))
        return cleaned

    def changes(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name] for name in services.ACTION_EDITABLE_FIELDS if name in self.fields
        }


class FollowUpForm(AccessibleForm):
    text = forms.CharField(label=_("What has happened?"), widget=forms.Textarea(attrs={"rows": 3}))
    status = forms.ChoiceField(
        label=_("Status after this follow-up"),
        required=False,
        choices=[("", _("Unchanged")), *Action.Status.choices],
    )


# --- APV ---


class UnitPickForm(AccessibleForm):
    """Step one of a new action: which unit's plan it belongs to (its people become the choices)."""

    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())

    def __init__(self, *args: Any, access: Access, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field: UnitChoiceField = self.fields["unit"]  # type: ignore[assignment]
        unit_field.set_units(selectors.plan_units(access=access), empty_label=str(_("Choose a unit")))


class ApvStartForm(AccessibleForm):
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("For example: APV 2027."))
    mapping_method = forms.ChoiceField(
        label=_("How the working environment is mapped"),
        choices=ApvCycle.MappingMethod.choices,
        initial=ApvCycle.MappingMethod.CHECKLIST,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, access: Access, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field: UnitChoiceField = self.fields["unit"]  # type: ignore[assignment]
        unit_field.set_units(selectors.plan_units(access=access), empty_label=str(_("Choose a unit")))


class ApvForm(AccessibleForm):
    """The written parts of an APV; each stage's text stays editable until the APV is completed."""

    mapping_method = forms.ChoiceField(
        label=_("How the working environment is mapped"),
        choices=ApvCycle.MappingMethod.choices,
        widget=forms.RadioSelect,
    )
    mapping_notes = forms.CharField(
        label=_("Mapping"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "How the mapping was done: the APV survey, or the checklist walk-through and who took part."
        ),
    )
    risk_assessment = forms.CharField(
        label=_("Risk assessment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("How serious are the problems found, and which come first?"),
    )
    sickness_absence_assessment = forms.CharField(
        label=_("Sickness-absence assessment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=ApvCycle._meta.get_field("sickness_absence_assessment").help_text,
    )
    follow_up_notes = forms.CharField(
        label=_("Follow-up"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Did the actions work? What was learned for the next APV?"),
    )


class FindingForm(AccessibleForm):
    title = forms.CharField(label=_("Finding"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    risk = forms.ChoiceField(label=_("Risk"), choices=ApvFinding.Risk.choices, initial=ApvFinding.Risk.MEDIUM)


class DiscussionForm(AccessibleForm):
    unit = UnitChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, access: Access, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field: UnitChoiceField = self.fields["unit"]  # type: ignore[assignment]
        unit_field.set_units(selectors.plan_units(access=access), empty_label=str(_("Choose a unit")))


class NoActionReasonForm(AccessibleForm):
    """Why one notably low survey result gets no action; the result is named by hidden fields."""

    unit = forms.UUIDField(widget=forms.HiddenInput)
    scale = forms.UUIDField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason why no action"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Write why this result gets no action.")},
    )


class LowScoreLevelForm(AccessibleForm):
    low_score_level = forms.IntegerField(
        label=_("Low score level"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=_(
            "Scores below this level (0–100) also need an action or a reason why not. "
            "Applies to scales where a high score is good. Leave empty for no level."
        ),
    )
