"""Værdivejen: a unit's workshop with its team. The facilitator mode shows one stop at a time in big
type for a projector (previous/next with the keyboard, see static puls/policy/walk.js); the poster
is an A3 PDF; a point the team wants to act on becomes an action with one click."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from puls.core.links import links_from
from puls.organisations.scoping import org_view
from puls.policy.forms import WalkAnswerForm, WalkForm
from puls.policy.link_kinds import WALK_ANSWER_KIND
from puls.policy.models import ValueWalk, WalkStop
from puls.policy.pdf import POSTER_CSS, render_pdf
from puls.policy.permissions import can_edit_unit
from puls.policy.selectors import local as selectors
from puls.policy.selectors import tree as tree_selectors
from puls.policy.services import walks as services
from puls.policy.views.common import access_of, actor_of, error_text, file_response, organisation_of, slug_of


def _walk_redirect(request: HttpRequest, walk: ValueWalk, anchor: str = "") -> HttpResponse:
    url = reverse("policy:walk_detail", kwargs={"org_slug": slug_of(request), "walk_id": walk.pk})
    return redirect(f"{url}#{anchor}" if anchor else url)


def _stop_redirect(request: HttpRequest, walk: ValueWalk, step: int) -> HttpResponse:
    url = reverse("policy:walk_stop", kwargs={"org_slug": slug_of(request), "walk_id": walk.pk})
    return redirect(f"{url}?step={step}")


def _step(request: HttpRequest) -> int:
    """The stop's place in the workshop (?step=, 1 when missing); not an id."""
    value = request.GET.get("step", "1")
    if not value.isdigit():
        raise Http404
    return int(value)


def _editable_walk(request: HttpRequest, walk_id: str) -> ValueWalk:
    access = access_of(request)
    walk = selectors.walk_get(access=access, walk_id=walk_id)
    if not can_edit_unit(access, walk.unit):
        raise PermissionDenied
    return walk


@org_view()
def walk_create(request: HttpRequest, unit_id: str) -> HttpResponse:
    access = access_of(request)
    unit = selectors.unit_get(access=access, unit_id=unit_id)
    if not can_edit_unit(access, unit):
        raise PermissionDenied
    values = tree_selectors.values_list(organisation=organisation_of(request), published_only=True)
    form = WalkForm(
        request.POST or None,
        values=values,
        initial={"title": _("Værdivejen in %(unit)s") % {"unit": unit.name}, "held_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            walk = services.walk_create(
                actor=actor_of(request),
                unit=unit,
                title=data["title"],
                held_on=data["held_on"],
                participants=data["participants"],
                values=list(data["values"]),
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(
                request, _("The workshop is ready. Start it on the projector when the team is gathered.")
            )
            return _walk_redirect(request, walk)
    return render(request, "policy/walk_form.html", {"unit": unit, "form": form, "has_values": bool(values)})


def _actions_by_answer(walk: ValueWalk) -> dict[str, list[str]]:
    actions: dict[str, list[str]] = {}
    for answer_id in walk.answers.values_list("pk", flat=True):
        for link in links_from(organisation=walk.organisation, kind=WALK_ANSWER_KIND, object_id=answer_id):
            if link.target_kind == services.ACTION_TARGET_KIND:
                actions.setdefault(str(answer_id), []).append(str(link.target_id))
    return actions


@org_view()
def walk_detail(request: HttpRequest, walk_id: str) -> HttpResponse:
    access = access_of(request)
    walk = selectors.walk_get(access=access, walk_id=walk_id)
    context: dict[str, Any] = {
        "walk": walk,
        "unit": walk.unit,
        "board": selectors.walk_board(walk=walk),
        "can_edit": can_edit_unit(access, walk.unit),
        "actions": _actions_by_answer(walk),
        "action_stops": [stop.value for stop in services.ACTION_STOPS],
    }
    return render(request, "policy/walk_detail.html", context)


@org_view()
def walk_stop(request: HttpRequest, walk_id: str) -> HttpResponse:
    """One stop in facilitator mode; a POST adds the team's point and shows the stop again."""
    access = access_of(request)
    walk = selectors.walk_get(access=access, walk_id=walk_id)
    step = _step(request)
    found = services.walk_step(walk, step)
    if found is None:
        raise Http404
    value, stop = found
    can_edit = can_edit_unit(access, walk.unit) and walk.status == ValueWalk.Status.IN_PROGRESS
    if request.method == "POST" and not can_edit_unit(access, walk.unit):
        raise PermissionDenied
    form = WalkAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.walk_answer_add(walk=walk, value=value, stop=stop.value, text=form.cleaned_data["text"])
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            return _stop_redirect(request, walk, step)
    total = len(services.walk_values(walk)) * len(WalkStop)
    version = tree_selectors.node_versions(node=value)
    context = {
        "walk": walk,
        "unit": walk.unit,
        "value": value,
        "value_text": version[0].text if version else value.text,
        "stop": stop,
        "step": step,
        "total": total,
        "previous": step - 1 if step > 1 else None,
        "next": step + 1 if step < total else None,
        "answers": list(walk.answers.filter(value=value, stop=stop.value)),
        "form": form if can_edit else None,
        "can_edit": can_edit,
    }
    return render(request, "policy/walk_stop.html", context)


@org_view()
@require_POST
def walk_answer_delete(request: HttpRequest, walk_id: str, answer_id: str) -> HttpResponse:
    walk = _editable_walk(request, walk_id)
    answer = selectors.walk_answer_get(access=access_of(request), walk=walk, answer_id=answer_id)
    try:
        services.walk_answer_delete(answer=answer)
    except ValidationError as error:
        messages.error(request, error_text(error))
    step = request.POST.get("step", "")
    if step.isdigit() and services.walk_step(walk, int(step)) is not None:
        return _stop_redirect(request, walk, int(step))
    return _walk_redirect(request, walk)


@org_view()
@require_POST
def walk_answer_action(request: HttpRequest, walk_id: str, answer_id: str) -> HttpResponse:
    walk = _editable_walk(request, walk_id)
    answer = selectors.walk_answer_get(access=access_of(request), walk=walk, answer_id=answer_id)
    try:
        services.walk_answer_to_action(actor=actor_of(request), answer=answer)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _("The action was added to the action plan of %(unit)s. Give it an owner and a deadline there.")
            % {"unit": walk.unit.name},
        )
    return _walk_redirect(request, walk, anchor=f"answer-{answer.pk}")


@org_view()
@require_POST
def walk_complete(request: HttpRequest, walk_id: str) -> HttpResponse:
    walk = _editable_walk(request, walk_id)
    completed = request.POST.get("completed", "1") != "0"
    services.walk_complete(actor=actor_of(request), walk=walk, completed=completed)
    if completed:
        messages.success(request, _("The workshop is completed. Print the poster and hang it on the wall."))
    else:
        messages.success(request, _("The workshop is open again."))
    return _walk_redirect(request, walk)


@org_view()
def walk_poster(request: HttpRequest, walk_id: str) -> HttpResponse:
    """The A3 poster of the workshop: one page per value with its four stop signs."""
    walk = selectors.walk_get(access=access_of(request), walk_id=walk_id)
    context = {
        "walk": walk,
        "unit": walk.unit,
        "organisation": walk.organisation,
        "board": selectors.walk_board(walk=walk),
    }
    pdf = render_pdf("policy/walk_poster_pdf.html", context, stylesheet=POSTER_CSS)
    return file_response(pdf, content_type="application/pdf", filename="vaerdivejen-poster.pdf", inline=True)
