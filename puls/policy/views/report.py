"""Report-back: HR opens a yearly round, each unit's leader answers, the dashboard shows who has and
has not answered and how many units used each tool; a compiled PDF goes to the MED committee."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from puls.organisations.scoping import org_view
from puls.policy import exports
from puls.policy.forms import AnswerForm, RoundForm
from puls.policy.models import ReportRound
from puls.policy.pdf import HANDBOOK_CSS, render_pdf
from puls.policy.permissions import can_edit_unit, can_manage_rounds, sees_report_back
from puls.policy.selectors import report as selectors
from puls.policy.services import report as services
from puls.policy.views.common import (
    XLSX_TYPE,
    access_of,
    actor_of,
    error_text,
    file_response,
    organisation_of,
    slug_of,
)


def _round_redirect(request: HttpRequest, report_round: ReportRound) -> HttpResponse:
    return redirect("policy:round_detail", org_slug=slug_of(request), round_id=report_round.pk)


def _settings(form: RoundForm) -> services.RoundSettings:
    data = form.cleaned_data
    return services.RoundSettings(
        title=data["title"],
        year=data["year"],
        due_on=data["due_on"],
        intro=data["intro"],
        tools=data["tools"],
        goal_units=data["goal_units"],
    )


@org_view(require=sees_report_back)
def round_list(request: HttpRequest) -> HttpResponse:
    access = access_of(request)
    rounds = list(selectors.round_list(access=access))
    context = {
        "rounds": [
            (report_round, selectors.round_summary(report_round=report_round)) for report_round in rounds
        ],
        "can_manage": can_manage_rounds(access),
    }
    return render(request, "policy/round_list.html", context)


@org_view(require=can_manage_rounds)
def round_create(request: HttpRequest) -> HttpResponse:
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        report_round = services.round_create(
            actor=actor_of(request), organisation=organisation_of(request), settings=_settings(form)
        )
        messages.success(request, _("The round was created. Check it, then open it."))
        return _round_redirect(request, report_round)
    return render(request, "policy/round_form.html", {"form": form, "round": None})


@org_view(require=can_manage_rounds)
def round_edit(request: HttpRequest, round_id: str) -> HttpResponse:
    report_round = selectors.round_get(access=access_of(request), round_id=round_id)
    form = RoundForm(request.POST or None, round=report_round)
    if request.method == "POST" and form.is_valid():
        try:
            services.round_update(
                actor=actor_of(request), report_round=report_round, settings=_settings(form)
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("The round was saved."))
            return _round_redirect(request, report_round)
    return render(request, "policy/round_form.html", {"form": form, "round": report_round})


@org_view(require=sees_report_back)
def round_detail(request: HttpRequest, round_id: str) -> HttpResponse:
    access = access_of(request)
    report_round = selectors.round_get(access=access, round_id=round_id)
    summary = selectors.round_summary(report_round=report_round)
    context: dict[str, Any] = {
        "round": report_round,
        "summary": summary,
        "rows": selectors.answer_rows(access=access, report_round=report_round),
        "can_manage": can_manage_rounds(access),
        "today": timezone.localdate(),
        "chart": {
            "id": "tools-chart",
            "title": _("Units that used each tool"),
            "description": _("The same figures are in the table below the chart."),
            "max": summary.chart_max,
            "bars": [
                {"label": count.tool, "value": count.units, "text": str(count.units)}
                for count in summary.tools
            ],
        },
    }
    return render(request, "policy/round_detail.html", context)


@org_view(require=can_manage_rounds)
@require_POST
def round_open(request: HttpRequest, round_id: str) -> HttpResponse:
    report_round = selectors.round_get(access=access_of(request), round_id=round_id)
    try:
        units = services.round_open(actor=actor_of(request), report_round=report_round)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            ngettext(
                "The round is open. %(count)d unit's leader was asked to answer.",
                "The round is open. The leaders of %(count)d units were asked to answer.",
                units,
            )
            % {"count": units},
        )
    return _round_redirect(request, report_round)


@org_view(require=can_manage_rounds)
@require_POST
def round_close(request: HttpRequest, round_id: str) -> HttpResponse:
    report_round = selectors.round_get(access=access_of(request), round_id=round_id)
    try:
        services.round_close(actor=actor_of(request), report_round=report_round)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("The round is closed."))
    return _round_redirect(request, report_round)


@org_view(require=can_manage_rounds)
@require_POST
def round_remind(request: HttpRequest, round_id: str) -> HttpResponse:
    report_round = selectors.round_get(access=access_of(request), round_id=round_id)
    if report_round.status != ReportRound.Status.OPEN:
        messages.warning(request, _("Reminders go out only while the round is open."))
        return _round_redirect(request, report_round)
    sent = services.reminders_send_now(actor=actor_of(request), report_round=report_round)
    messages.success(
        request,
        ngettext("%(count)d reminder was sent.", "%(count)d reminders were sent.", sent) % {"count": sent},
    )
    return _round_redirect(request, report_round)


@org_view(require=sees_report_back)
def round_answer(request: HttpRequest, round_id: str, unit_id: str) -> HttpResponse:
    access = access_of(request)
    report_round = selectors.round_get(access=access, round_id=round_id)
    answer = selectors.answer_get(access=access, report_round=report_round, unit_id=unit_id)
    can_edit = can_edit_unit(access, answer.unit) and report_round.status == ReportRound.Status.OPEN
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    initial: dict[str, Any] = {
        "what_done": answer.what_done,
        "tools": answer.tools,
        "effect": answer.effect,
        "next_steps": answer.next_steps,
    }
    walked = selectors.walked_in_year(answer=answer)
    if not answer.is_answered and walked and "Værdivejen" in report_round.tools:
        initial["tools"] = ["Værdivejen"]
    form = AnswerForm(request.POST or None, tools=report_round.tools, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.answer_submit(
                actor=actor_of(request),
                answer=answer,
                content=services.AnswerContent(
                    what_done=data["what_done"],
                    tools=data["tools"],
                    effect=data["effect"],
                    next_steps=data["next_steps"],
                ),
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(
                request, _("Thank you. The answer of %(unit)s was saved.") % {"unit": answer.unit.name}
            )
            return _round_redirect(request, report_round)
    context = {
        "round": report_round,
        "answer": answer,
        "form": form if can_edit else None,
        "walked": walked,
    }
    return render(request, "policy/round_answer.html", context)


@org_view(require=can_manage_rounds)
def round_pdf(request: HttpRequest, round_id: str) -> HttpResponse:
    """Every answer of the round compiled for the MED committee, with the counts first."""
    access = access_of(request)
    report_round = selectors.round_get(access=access, round_id=round_id)
    context = {
        "round": report_round,
        "organisation": access.organisation,
        "summary": selectors.round_summary(report_round=report_round),
        "rows": selectors.answer_rows(access=access, report_round=report_round),
        "printed_on": timezone.localdate(),
    }
    pdf = render_pdf("policy/round_pdf.html", context, stylesheet=HANDBOOK_CSS)
    return file_response(pdf, content_type="application/pdf", filename="report-back.pdf", inline=True)


@org_view(require=can_manage_rounds)
def round_xlsx(request: HttpRequest, round_id: str) -> HttpResponse:
    access = access_of(request)
    report_round = selectors.round_get(access=access, round_id=round_id)
    content = exports.report_xlsx(
        title=report_round.title,
        rows=selectors.export_rows(access=access, report_round=report_round),
        tools=report_round.tools,
    )
    return file_response(content, content_type=XLSX_TYPE, filename="report-back.xlsx")
