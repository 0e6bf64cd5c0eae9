"""Pages of action plans: the list, one action with its follow-ups, creating and editing, and the
overdue/no-owner dashboard. Every read goes through selectors, every write through services."""

import uuid
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from puls.actions import exports, permissions, selectors, services
from puls.actions.forms import (
    ActionFilterForm,
    ActionForm,
    DashboardFilterForm,
    FollowUpForm,
    UnitPickForm,
)
from puls.actions.link_kinds import APV_FINDING_KIND
from puls.actions.models import ApvFinding
from puls.core.links import UnknownLinkKind, link_kind_get
from puls.core.models import User
from puls.organisations.models import Unit
from puls.organisations.scoping import Access, org_view

ACTIONS_PER_PAGE = 100


def _access(request: HttpRequest) -> Access:
    return request.access  # type: ignore[attr-defined,no-any-return]


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


def _slug(request: HttpRequest) -> str:
    return request.organisation.slug  # type: ignore[attr-defined,no-any-return]


def _form_error(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@org_view()
def action_list(request: HttpRequest) -> HttpResponse:
    """A unit's action plan (HR, leaders, MED/AMO: their units), or for anyone else the actions
    they own or co-own."""
    access = _access(request)
    works_with_plans = permissions.sees_action_plans(access)
    form = ActionFilterForm(request.GET or None, access=access)
    filters = form.filters() if request.GET else selectors.ActionFilter(status="open")
    if not request.GET:
        form = ActionFilterForm(initial={"status": "open"}, access=access)
    if not works_with_plans:
        filters.mine = True
    actions = list(selectors.action_list(access=access, filters=filters)[:ACTIONS_PER_PAGE])
    return render(
        request,
        "actions/action_list.html",
        {
            "form": form,
            "actions": actions,
            "limited": len(actions) == ACTIONS_PER_PAGE,
            "works_with_plans": works_with_plans,
            "export_query": request.GET.urlencode(),
        },
    )


def _pending_source(request: HttpRequest, access: Access, unit: Unit | None) -> dict[str, Any] | None:
    """The source a new action comes from, carried in the query string: a survey result
    (?survey=…&scale=…, for the action's unit) or an APV finding (?finding=…)."""
    params = request.POST if request.method == "POST" else request.GET
    survey, scale, finding = params.get("survey"), params.get("scale"), params.get("finding")
    try:
        if survey and scale and unit is not None:
            survey_id, scale_id = uuid.UUID(survey), uuid.UUID(scale)
            return {
                "kind": services.SURVEY_RESULT_KIND,
                "id": survey_id,
                "detail": {"unit": str(unit.pk), "scale": str(scale_id)},
                "params": {"survey": survey, "scale": scale},
                "label": _describe(
                    services.SURVEY_RESULT_KIND,
                    access,
                    survey_id,
                    {"unit": str(unit.pk), "scale": str(scale_id)},
                )
                or _("Survey result"),
            }
        if finding:
            return {"kind": APV_FINDING_KIND, "id": uuid.UUID(finding), "params": {"finding": finding}}
    except ValueError as exc:
        raise Http404 from exc
    return None


def _describe(kind_name: str, access: Access, object_id: uuid.UUID, detail: dict[str, Any]) -> str:
    try:
        kind = link_kind_get(kind_name)
    except UnknownLinkKind:
        return ""
    obj = kind.resolve(access.organisation, object_id)
    return kind.describe(obj, detail) if obj is not None else ""


def _finding_for(access: Access, finding_id: uuid.UUID) -> ApvFinding:
    finding = ApvFinding.objects.filter(pk=finding_id).select_related("cycle__unit").first()
    if finding is None:
        raise Http404
    selectors.apv_get(access=access, cycle_id=finding.cycle_id)  # 404 unless the APV is visible
    return finding


@org_view(require=permissions.sees_action_plans)
def action_create(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    params = request.POST if request.method == "POST" else request.GET
    finding: ApvFinding | None = None
    if params.get("finding"):
        try:
            finding = _finding_for(access, uuid.UUID(params["finding"]))
        except ValueError as exc:
            raise Http404 from exc
        unit: Unit | None = finding.cycle.unit
    elif params.get("unit"):
        unit = selectors.unit_get(access=access, unit_id=params["unit"])
    else:
        pick = UnitPickForm(access=access)
        return render(request, "actions/action_unit_pick.html", {"form": pick})
    assert unit is not None  # noqa: S101
    source = _pending_source(request, access, unit)
    source_error = ""
    if source is not None and source["kind"] == services.SURVEY_RESULT_KIND:
        try:
            services.survey_result_check(unit=unit, survey_id=source["id"], detail=source["detail"])
        except services.ActionSourceError as error:
            source_error = " ".join(error.messages)
    initial: dict[str, Any] = {}
    if finding is not None:
        initial = {"title": finding.title, "problem": finding.description}
    form = ActionForm(request.POST if request.method == "POST" else None, unit=unit, initial=initial)
    if request.method == "POST" and not source_error and form.is_valid():
        try:
            if finding is not None:
                action = services.action_create_from_finding(
                    actor=_actor(request), finding=finding, **form.changes()
                )
            else:
                action = services.action_create(
                    actor=_actor(request),
                    organisation=access.organisation,
                    unit=unit,
                    source_kind=source["kind"] if source else None,
                    source_id=source["id"] if source else None,
                    source_detail=source.get("detail") if source else None,
                    **form.changes(),
                )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The action was created."))
            return redirect("actions:action_detail", org_slug=_slug(request), action_id=action.pk)
    return render(
        request,
        "actions/action_form.html",
        {
            "form": form,
            "unit": unit,
            "action": None,
            "source": source,
            "source_error": source_error,
            "finding": finding,
        },
    )


@org_view()
def action_detail(request: HttpRequest, action_id: uuid.UUID) -> HttpResponse:
    """One action with its sources and follow-ups; its owner, co-owner and the unit's planners
    write follow-ups here (POST)."""
    access = _access(request)
    action = selectors.action_get(access=access, action_id=action_id)
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_add(
                actor=_actor(request),
                action=action,
                text=form.cleaned_data["text"],
                status=form.cleaned_data["status"],
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The follow-up was saved."))
            return redirect("actions:action_detail", org_slug=_slug(request), action_id=action.pk)
    return render(
        request,
        "actions/action_detail.html",
        {
            "action": action,
            "sources": selectors.action_sources(action=action),
            "follow_ups": list(action.follow_ups.select_related("author")),
            "form": form,
            "can_edit": permissions.can_edit_action(access, action),
            "is_overdue": action.is_overdue(),
        },
    )


@org_view(require=permissions.sees_action_plans)
def action_edit(request: HttpRequest, action_id: uuid.UUID) -> HttpResponse:
    access = _access(request)
    action = selectors.action_get_for_edit(access=access, action_id=action_id)
    form = ActionForm(request.POST or None, unit=action.unit, action=action)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(actor=_actor(request), action=action, **form.changes())
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The action was saved."))
            return redirect("actions:action_detail", org_slug=_slug(request), action_id=action.pk)
    return render(request, "actions/action_form.html", {"form": form, "unit": action.unit, "action": action})


@org_view(require=permissions.sees_action_plans)
def dashboard(request: HttpRequest) -> HttpResponse:
    """Overdue actions and actions without an owner, per unit (HR: all; MED/AMO, leaders: theirs)."""
    access = _access(request)
    form = DashboardFilterForm(request.GET or None, access=access)
    board = selectors.dashboard(access=access, unit=form.selected_unit, only_problems=not form.wants_all)
    return render(request, "actions/dashboard.html", {"form": form, "board": board})


def _export_filters(request: HttpRequest, access: Access) -> selectors.ActionFilter:
    form = ActionFilterForm(request.GET or None, access=access)
    return form.filters() if request.GET else selectors.ActionFilter()


@org_view(require=permissions.sees_action_plans)
def export_xlsx(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    actions = list(selectors.action_list(access=access, filters=_export_filters(request, access)))
    response = HttpResponse(
        exports.actions_xlsx(actions=actions, organisation=access.organisation),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.file_name(access.organisation, "xlsx")}"'
    )
    return response


@org_view(require=permissions.sees_action_plans)
def export_pdf(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    actions = list(selectors.action_list(access=access, filters=_export_filters(request, access)))
    response = HttpResponse(
        exports.actions_pdf(actions=actions, organisation=access.organisation, request=request),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.file_name(access.organisation, "pdf")}"'
    )
    return response
