"""The follow-up page of a survey's notably low results: each has an action or a reason why not.

Only for a report the viewer may read (computed, and released to them as the report pages decide:
`report_get` of the survey reports), and only the units whose action plans they work with (HR: all,
leaders and MED/AMO representatives: their subtrees).
"""

import uuid
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from puls.actions import permissions, selectors_follow_up, services_follow_up
from puls.actions.forms import LowScoreLevelForm, NoActionReasonForm
from puls.core.models import User
from puls.organisations.models import Unit
from puls.organisations.scoping import Access, org_view
from puls.surveys.models import SurveyReport
from puls.surveys.reports import selectors as report_selectors


def _access(request: HttpRequest) -> Access:
    return request.access  # type: ignore[attr-defined,no-any-return]


def _page_url(request: HttpRequest, report: SurveyReport, anchor: str = "") -> str:
    url = reverse(
        "actions:follow_up",
        kwargs={"org_slug": _access(request).organisation.slug, "survey_id": report.survey_id},
    )
    return f"{url}#{anchor}" if anchor else url


def _reason_form(item: selectors_follow_up.LowResult, data: Any = None) -> NoActionReasonForm:
    return NoActionReasonForm(
        data,
        auto_id=f"reason-{item.key}-%s",
        initial={"unit": item.unit.pk, "scale": item.scale.id},
    )


def _render(
    request: HttpRequest,
    report: SurveyReport,
    follow_up: selectors_follow_up.FollowUpList,
    *,
    bound: tuple[str, NoActionReasonForm] | None = None,
    level_form: LowScoreLevelForm | None = None,
) -> HttpResponse:
    access = _access(request)
    rows = []
    for item in follow_up.items:
        form = None
        if item.status == selectors_follow_up.Status.MISSING:
            form = bound[1] if bound is not None and bound[0] == item.key else _reason_form(item)
        rows.append({"item": item, "form": form})
    if level_form is None and access.is_org_admin:
        level_form = LowScoreLevelForm(initial={"low_score_level": follow_up.level})
    return render(
        request,
        "actions/follow_up.html",
        {
            "report": report,
            "survey": report.survey,
            "follow_up": follow_up,
            "rows": rows,
            "level_form": level_form if access.is_org_admin else None,
        },
    )


@org_view(require=permissions.sees_action_plans)
def follow_up(request: HttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    access = _access(request)
    report = report_selectors.report_get(access=access, survey_id=survey_id)
    return _render(request, report, selectors_follow_up.low_results(access=access, report=report))


@org_view(require=permissions.sees_action_plans)
@require_POST
def follow_up_reason(request: HttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    """Record why one notably low result gets no action. The result must be one the page lists for
    this viewer (shown, notably low, in their units); anything else is a 404."""
    access = _access(request)
    report = report_selectors.report_get(access=access, survey_id=survey_id)
    listed = selectors_follow_up.low_results(access=access, report=report)
    try:
        unit_id = uuid.UUID(request.POST.get("unit", ""))
        scale_id = uuid.UUID(request.POST.get("scale", ""))
    except ValueError as error:
        raise Http404 from error
    item = listed.find(unit_id, scale_id)
    if item is None:
        raise Http404
    form = _reason_form(item, request.POST)
    if form.is_valid():
        try:
            services_follow_up.no_action_reason_record(
                actor=cast(User, request.user),
                survey=report.survey,
                unit=cast(Unit, item.unit),
                scale_id=item.scale.id,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(request, _("The reason was recorded."))
            return redirect(_page_url(request, report, f"result-{item.key}"))
    return _render(request, report, listed, bound=(item.key, form))


@org_view(require=lambda access: access.is_org_admin)
@require_POST
def follow_up_level(request: HttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    """HR sets the organisation's low-score level (for every survey's follow-up)."""
    access = _access(request)
    report = report_selectors.report_get(access=access, survey_id=survey_id)
    form = LowScoreLevelForm(request.POST)
    if form.is_valid():
        try:
            services_follow_up.low_score_level_set(
                actor=cast(User, request.user),
                organisation=access.organisation,
                level=form.cleaned_data["low_score_level"],
            )
        except ValidationError as error:
            for name, errors in error.error_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, _("The low score level was saved."))
            return redirect(_page_url(request, report))
    listed = selectors_follow_up.low_results(access=access, report=report)
    return _render(request, report, listed, level_form=form)
