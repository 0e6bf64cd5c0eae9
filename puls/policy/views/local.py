"""A unit's local interpretation: the adopted central tree with the unit's reading of each value
and its own focus areas and initiatives."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from puls.organisations.models import Unit
from puls.organisations.scoping import org_view
from puls.policy.forms import LocalNodeCreateForm, LocalReadingForm
from puls.policy.models import LocalReading, NodeKind
from puls.policy.permissions import can_edit_unit, works_with_local_interpretations
from puls.policy.selectors import local as selectors
from puls.policy.selectors import tree as tree_selectors
from puls.policy.services import local as services
from puls.policy.views.common import access_of, actor_of, error_text, organisation_of, slug_of


def _unit_redirect(request: HttpRequest, unit: Unit) -> HttpResponse:
    return redirect("policy:unit_detail", org_slug=slug_of(request), unit_id=unit.pk)


@org_view()
def unit_list(request: HttpRequest) -> HttpResponse:
    access = access_of(request)
    rows = selectors.unit_rows(access=access)
    context = {"rows": rows, "works_with_all": works_with_local_interpretations(access)}
    return render(request, "policy/unit_list.html", context)


def _editable_unit(request: HttpRequest, unit_id: str) -> Unit:
    access = access_of(request)
    unit = selectors.unit_get(access=access, unit_id=unit_id)
    if not can_edit_unit(access, unit):
        raise PermissionDenied
    return unit


@org_view()
def unit_detail(request: HttpRequest, unit_id: str) -> HttpResponse:
    access = access_of(request)
    unit = selectors.unit_get(access=access, unit_id=unit_id)
    interpretation = selectors.interpretation_for(unit=unit)
    tree = tree_selectors.published_tree(organisation=organisation_of(request), unit=unit)
    context = {
        "unit": unit,
        "interpretation": interpretation,
        "tree": tree,
        "walks": selectors.walk_list(access=access, unit=unit),
        "can_edit_unit": can_edit_unit(access, unit) and interpretation is not None,
        "can_edit": can_edit_unit(access, unit),
        "local_parents": [
            item for item in tree.walk() if item.kind in (NodeKind.POLICY, NodeKind.FOCUS_AREA)
        ],
    }
    return render(request, "policy/unit_detail.html", context)


@org_view()
@require_POST
def unit_adopt(request: HttpRequest, unit_id: str) -> HttpResponse:
    unit = _editable_unit(request, unit_id)
    services.interpretation_adopt(actor=actor_of(request), unit=unit)
    messages.success(
        request,
        _("%(unit)s has adopted the central policy. Now write what each value means with you.")
        % {"unit": unit.name},
    )
    return _unit_redirect(request, unit)


@org_view()
def local_reading_edit(request: HttpRequest, unit_id: str, node_id: str) -> HttpResponse:
    access = access_of(request)
    unit = _editable_unit(request, unit_id)
    value = tree_selectors.node_get(access=access, node_id=node_id)
    if value.kind != NodeKind.VALUE or value.is_local:
        raise Http404
    interpretation = selectors.interpretation_for(unit=unit)
    if interpretation is None:
        messages.warning(request, _("Adopt the central policy for the unit first."))
        return _unit_redirect(request, unit)
    reading = LocalReading.objects.filter(interpretation=interpretation, value=value).first()
    form = LocalReadingForm(request.POST or None, initial={"text": reading.text if reading else ""})
    if request.method == "POST" and form.is_valid():
        try:
            services.local_reading_save(
                actor=actor_of(request), unit=unit, value=value, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("The reading of “%(value)s” was saved.") % {"value": value.title})
            return _unit_redirect(request, unit)
    versions = tree_selectors.node_versions(node=value)
    context = {"unit": unit, "value": value, "version": versions[0] if versions else None, "form": form}
    return render(request, "policy/local_reading_form.html", context)


@org_view()
def local_node_create(request: HttpRequest, unit_id: str) -> HttpResponse:
    access = access_of(request)
    unit = _editable_unit(request, unit_id)
    parent_id = request.GET.get("parent") or request.POST.get("parent") or ""
    try:
        parent = tree_selectors.node_get(access=access, node_id=parent_id)
    except ValidationError as error:  # not a UUID
        raise Http404 from error
    if parent.kind not in (NodeKind.POLICY, NodeKind.FOCUS_AREA) or (
        parent.is_local and parent.unit_id != unit.pk
    ):
        raise Http404
    form = LocalNodeCreateForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        try:
            node = services.local_node_create(
                actor=actor_of(request),
                unit=unit,
                parent=parent,
                kind=form.cleaned_data["kind"],
                content=form.content(),
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(
                request, _("“%(title)s” was added for %(unit)s.") % {"title": node.title, "unit": unit.name}
            )
            return _unit_redirect(request, unit)
    return render(
        request, "policy/node_form.html", {"form": form, "parent": parent, "node": None, "unit": unit}
    )


@org_view()
@require_POST
def node_action(request: HttpRequest, node_id: str) -> HttpResponse:
    """One click: an initiative becomes an action of a unit's action plan."""
    access = access_of(request)
    node = tree_selectors.node_get(access=access, node_id=node_id)
    if node.kind != NodeKind.INITIATIVE:
        raise Http404
    unit_id = str(node.unit_id) if node.unit_id else request.POST.get("unit", "")
    try:
        unit = selectors.unit_get(access=access, unit_id=unit_id)
    except ValidationError as error:  # not a UUID
        raise Http404 from error
    if not can_edit_unit(access, unit):
        raise PermissionDenied
    try:
        services.initiative_to_action(actor=actor_of(request), node=node, unit=unit)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(
            request,
            _(
                "The initiative was added to the action plan of %(unit)s. "
                "Give it an owner and a deadline there."
            )
            % {"unit": unit.name},
        )
    return redirect("policy:node_detail", org_slug=slug_of(request), node_id=node.pk)
