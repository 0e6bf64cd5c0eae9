"""Pages of the APV cycle: status per unit, one APV through its stages, and the annual
working-environment discussion. HR sees every unit; leaders and MED/AMO representatives see and
co-own the APVs of their units."""

import uuid
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from puls.actions import permissions, selectors, services
from puls.actions.forms import ApvFilterForm, ApvForm, ApvStartForm, DiscussionForm, FindingForm
from puls.actions.models import ApvCycle
from puls.core.models import User
from puls.organisations.scoping import Access, org_view


def _access(request: HttpRequest) -> Access:
    return request.access  # type: ignore[attr-defined,no-any-return]


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _slug(request: HttpRequest) -> str:
    return request.organisation.slug  # type: ignore[attr-defined,no-any-return]


def _apv_redirect(request: HttpRequest, cycle: ApvCycle) -> HttpResponse:
    return redirect("actions:apv_detail", org_slug=_slug(request), cycle_id=cycle.pk)


def _errors(error: ValidationError) -> list[str]:
    return list(error.messages)


@org_view(require=permissions.sees_action_plans)
def apv_overview(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    form = ApvFilterForm(request.GET or None, access=access)
    statuses = selectors.apv_statuses(access=access, unit=form.selected_unit)
    if not form.wants_all:
        statuses = [s for s in statuses if s.current or s.last_completed or s.last_discussion]
    return render(request, "actions/apv_overview.html", {"form": form, "statuses": statuses})


@org_view(require=permissions.sees_action_plans)
def apv_start(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    initial: dict[str, Any] = {}
    if request.GET.get("unit"):
        initial["unit"] = selectors.unit_get(access=access, unit_id=request.GET["unit"])
    form = ApvStartForm(request.POST or None, access=access, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.apv_cycle_start(
                actor=_actor(request),
                organisation=access.organisation,
                unit=form.cleaned_data["unit"],
                title=form.cleaned_data["title"],
                mapping_method=form.cleaned_data["mapping_method"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The APV was started. Begin with the mapping."))
            return _apv_redirect(request, cycle)
    return render(request, "actions/apv_start.html", {"form": form})


@org_view(require=permissions.sees_action_plans)
def apv_detail(request: HttpRequest, cycle_id: uuid.UUID) -> HttpResponse:
    """The APV's stages; POST saves the written parts."""
    access = _access(request)
    cycle = selectors.apv_get(access=access, cycle_id=cycle_id)
    initial = {name: getattr(cycle, name) for name in ApvForm.base_fields}
    form = ApvForm(request.POST or None, initial=initial)
    if cycle.is_completed:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and not cycle.is_completed and form.is_valid():
        services.apv_cycle_update(actor=_actor(request), cycle=cycle, **form.cleaned_data)
        messages.success(request, _("The APV was saved."))
        return _apv_redirect(request, cycle)
    return render(request, "actions/apv_detail.html", _detail_context(cycle, form=form))


def _detail_context(cycle: ApvCycle, **extra: Any) -> dict[str, Any]:
    stages = [
        {
            "value": stage,
            "label": stage.label,
            "done": index < cycle.stage_index,
            "current": index == cycle.stage_index,
        }
        for index, stage in enumerate(ApvCycle.STAGE_ORDER)
    ]
    return {
        "cycle": cycle,
        "stages": stages,
        "findings": list(cycle.findings.all()),
        "actions": list(cycle.actions.select_related("owner", "unit")),
        "missing": "" if cycle.is_completed else services.apv_stage_missing(cycle),
        "finding_form": FindingForm(),
        "history": selectors.apv_history(cycle=cycle),
        **extra,
    }


@org_view(require=permissions.sees_action_plans)
@require_POST
def apv_finding_add(request: HttpRequest, cycle_id: uuid.UUID) -> HttpResponse:
    access = _access(request)
    cycle = selectors.apv_get(access=access, cycle_id=cycle_id)
    finding_form = FindingForm(request.POST)
    if finding_form.is_valid():
        try:
            services.apv_finding_add(actor=_actor(request), cycle=cycle, **finding_form.cleaned_data)
        except ValidationError as error:
            finding_form.add_error(None, error.messages)
        else:
            messages.success(request, _("The finding was added."))
            return _apv_redirect(request, cycle)
    initial = {name: getattr(cycle, name) for name in ApvForm.base_fields}
    context = _detail_context(cycle, form=ApvForm(initial=initial), finding_form=finding_form)
    return render(request, "actions/apv_detail.html", context)


@org_view(require=permissions.sees_action_plans)
@require_POST
def apv_advance(request: HttpRequest, cycle_id: uuid.UUID) -> HttpResponse:
    access = _access(request)
    cycle = selectors.apv_get(access=access, cycle_id=cycle_id)
    try:
        services.apv_cycle_advance(actor=_actor(request), cycle=cycle)
    except ValidationError as error:
        for message in _errors(error):
            messages.error(request, message)
    else:
        if cycle.is_completed:
            messages.success(
                request,
                _("The APV is completed. The next one is due by %(date)s.")
                % {"date": cycle.next_due.strftime("%d-%m-%Y") if cycle.next_due else ""},
            )
        else:
            messages.success(
                request, _("The APV moved on to: %(stage)s.") % {"stage": cycle.get_stage_display()}
            )
    return _apv_redirect(request, cycle)


@org_view(require=permissions.sees_action_plans)
def discussion_record(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    initial: dict[str, Any] = {}
    if request.GET.get("unit"):
        initial["unit"] = selectors.unit_get(access=access, unit_id=request.GET["unit"])
    form = DiscussionForm(request.POST or None, access=access, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.discussion_record(
                actor=_actor(request),
                organisation=access.organisation,
                unit=form.cleaned_data["unit"],
                held_on=form.cleaned_data["held_on"],
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The working-environment discussion was recorded."))
            return redirect("actions:apv_overview", org_slug=_slug(request))
    return render(request, "actions/discussion_form.html", {"form": form})
