"""The central policy tree: overview, nodes, status workflow, versions and their diff, citations."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from puls.organisations.scoping import org_view
from puls.policy import exports
from puls.policy.diff import content_diff
from puls.policy.forms import CentralNodeCreateForm, CitationForm, NodeForm, StatusForm
from puls.policy.models import NodeKind, NodeStatus, NodeVersion, PolicyNode
from puls.policy.permissions import can_edit_tree, can_edit_unit, sees_working_tree
from puls.policy.selectors import local as local_selectors
from puls.policy.selectors import tree as selectors
from puls.policy.services import tree as services
from puls.policy.views.common import (
    XLSX_TYPE,
    access_of,
    actor_of,
    error_text,
    file_response,
    organisation_of,
    slug_of,
)


def _node_redirect(request: HttpRequest, node: PolicyNode) -> HttpResponse:
    return redirect("policy:node_detail", org_slug=slug_of(request), node_id=node.pk)


def content_labels() -> dict[str, str]:
    return {
        "title": _("Title"),
        "text": _("Text"),
        "rationale": _("Rationale"),
        "responsible": _("Responsible body"),
    }


@org_view()
def tree(request: HttpRequest) -> HttpResponse:
    """The tree: the working tree with every status for the people who prepare and hear it, the
    adopted tree for everyone else."""
    access = access_of(request)
    if not sees_working_tree(access):
        return redirect("policy:publication", org_slug=slug_of(request))
    context = {
        "tree": selectors.working_tree(access=access),
        "can_edit": can_edit_tree(access),
        "statuses": NodeStatus,
    }
    return render(request, "policy/tree.html", context)


@org_view(require=can_edit_tree)
def node_create(request: HttpRequest) -> HttpResponse:
    access = access_of(request)
    parent = None
    parent_id = request.GET.get("parent") or request.POST.get("parent")
    if parent_id:
        try:
            parent = selectors.node_get(access=access, node_id=parent_id)
        except ValidationError as error:  # not a UUID
            raise Http404 from error
        if parent.is_local:
            raise Http404
    form = CentralNodeCreateForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        try:
            node = services.node_create(
                actor=actor_of(request),
                organisation=organisation_of(request),
                kind=form.cleaned_data["kind"],
                parent=parent,
                content=form.content(),
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("“%(title)s” was added as a draft.") % {"title": node.title})
            return _node_redirect(request, node)
    return render(request, "policy/node_form.html", {"form": form, "parent": parent, "node": None})


@org_view()
def node_detail(request: HttpRequest, node_id: str) -> HttpResponse:
    access = access_of(request)
    node = selectors.node_get(access=access, node_id=node_id)
    working = sees_working_tree(access)
    versions = selectors.node_versions(node=node)
    latest = versions[0] if versions else None
    # Readers of the adopted tree see the adopted text; the others see the working text.
    shown: PolicyNode | NodeVersion = node if working or latest is None or node.is_local else latest
    can_edit = can_edit_unit(access, node.unit) if node.unit is not None else can_edit_tree(access)
    context: dict[str, Any] = {
        "node": node,
        "shown": shown,
        "working": working,
        "ancestors": selectors.node_ancestors(node=node),
        "children": selectors.node_children(access=access, node=node),
        "versions": versions if working else [],
        "latest": latest,
        "changed_since_adoption": working and latest is not None and latest.content() != node.content(),
        "citations": selectors.node_citations(access=access, node=node),
        "can_edit": can_edit,
        "can_edit_tree": can_edit_tree(access),
        "is_published": not node.is_local and selectors.is_published(node),
    }
    if node.kind == NodeKind.INITIATIVE and (node.is_local or context["is_published"]):
        context["action_units"] = local_selectors.action_units(access=access, node=node)
        context["actions"] = selectors.node_links_out(access=access, node=node, target_kind="actions.action")
    return render(request, "policy/node_detail.html", context)


def _editable_node(request: HttpRequest, node_id: str) -> PolicyNode:
    access = access_of(request)
    node = selectors.node_get(access=access, node_id=node_id)
    allowed = can_edit_unit(access, node.unit) if node.unit is not None else can_edit_tree(access)
    if not allowed:
        raise PermissionDenied
    return node


@org_view(require=sees_working_tree)
def node_edit(request: HttpRequest, node_id: str) -> HttpResponse:
    node = _editable_node(request, node_id)
    form = NodeForm(request.POST or None, node=node)
    if request.method == "POST" and form.is_valid():
        try:
            revision = services.node_update(actor=actor_of(request), node=node, content=form.content())
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            if revision:
                messages.success(
                    request,
                    _(
                        "The changes were saved as a new draft. The adopted version stays published "
                        "until the new text is adopted."
                    ),
                )
            else:
                messages.success(request, _("The changes were saved."))
            return _node_redirect(request, node)
    return render(request, "policy/node_form.html", {"form": form, "node": node, "parent": node.parent})


@org_view(require=can_edit_tree)
def node_status(request: HttpRequest, node_id: str) -> HttpResponse:
    node = selectors.node_get(access=access_of(request), node_id=node_id)
    if node.is_local:
        raise Http404
    form = StatusForm(request.POST or None, node=node)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = services.node_status_change(
                actor=actor_of(request),
                node=node,
                status=data["status"],
                adopted_on=data["adopted_on"] if form.is_adoption else None,
                note=data["note"] if form.is_adoption else "",
                include_below=data["include_below"],
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            label = NodeStatus(data["status"]).label
            if len(changed) > 1:
                messages.success(
                    request,
                    _("%(count)d nodes are now “%(status)s”.") % {"count": len(changed), "status": label},
                )
            else:
                messages.success(request, _("The node is now “%(status)s”.") % {"status": label})
            return _node_redirect(request, node)
    return render(request, "policy/node_status.html", {"node": node, "form": form})


@org_view(require=sees_working_tree)
def node_delete(request: HttpRequest, node_id: str) -> HttpResponse:
    node = _editable_node(request, node_id)
    if request.method == "POST":
        parent, unit = node.parent, node.unit
        try:
            services.node_delete(actor=actor_of(request), node=node)
        except ValidationError as error:
            messages.error(request, error_text(error))
            return _node_redirect(request, node)
        messages.success(request, _("“%(title)s” was deleted.") % {"title": node.title})
        if unit is not None:
            return redirect("policy:unit_detail", org_slug=slug_of(request), unit_id=unit.pk)
        if parent is not None:
            return _node_redirect(request, parent)
        return redirect("policy:tree", org_slug=slug_of(request))
    return render(request, "policy/node_delete.html", {"node": node})


@org_view(require=sees_working_tree)
@require_POST
def node_move(request: HttpRequest, node_id: str) -> HttpResponse:
    node = _editable_node(request, node_id)
    services.node_move(actor=actor_of(request), node=node, up=request.POST.get("direction") != "down")
    if node.unit is not None:
        return redirect("policy:unit_detail", org_slug=slug_of(request), unit_id=node.unit.pk)
    return redirect(f"{_tree_url(request)}#node-{node.pk}")


def _tree_url(request: HttpRequest) -> str:
    from django.urls import reverse

    return reverse("policy:tree", kwargs={"org_slug": slug_of(request)})


@org_view(require=sees_working_tree)
def node_diff(request: HttpRequest, node_id: str) -> HttpResponse:
    """Two versions side by side as one text with the removed and added words marked. `to` may be
    "draft" for the working text."""
    node = selectors.node_get(access=access_of(request), node_id=node_id)
    versions = {version.number: version for version in selectors.node_versions(node=node)}
    if not versions:
        raise Http404
    numbers = sorted(versions)

    def pick(name: str, default: str) -> str:
        value = request.GET.get(name, default)
        return value if value == "draft" or (value.isdigit() and int(value) in versions) else default

    newest = str(numbers[-1])
    to_key = pick("to", "draft" if node.content() != versions[numbers[-1]].content() else newest)
    default_from = str(numbers[-2]) if to_key == newest and len(numbers) > 1 else newest
    from_key = pick("from", default_from)
    old = node.content() if from_key == "draft" else versions[int(from_key)].content()
    new = node.content() if to_key == "draft" else versions[int(to_key)].content()
    context = {
        "node": node,
        "versions": [versions[number] for number in reversed(numbers)],
        "from_key": from_key,
        "to_key": to_key,
        "from_version": versions.get(int(from_key)) if from_key.isdigit() else None,
        "to_version": versions.get(int(to_key)) if to_key.isdigit() else None,
        "fields": content_diff(old, new, content_labels()),
    }
    return render(request, "policy/node_diff.html", context)


@org_view(require=can_edit_tree)
def citation_add(request: HttpRequest, node_id: str) -> HttpResponse:
    node = selectors.node_get(access=access_of(request), node_id=node_id)
    if node.is_local:
        raise Http404
    form = CitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.citation_add(
                actor=actor_of(request),
                node=node,
                address=form.cleaned_data["address"],
                reason=form.cleaned_data["reason"].strip(),
            )
        except ValidationError as error:
            form.add_error("address", error_text(error))
        else:
            messages.success(request, _("The source was added."))
            return _node_redirect(request, node)
    return render(request, "policy/citation_form.html", {"node": node, "form": form})


@org_view(require=can_edit_tree)
@require_POST
def citation_remove(request: HttpRequest, node_id: str, link_id: str) -> HttpResponse:
    access = access_of(request)
    node = selectors.node_get(access=access, node_id=node_id)
    link = selectors.citation_get(access=access, node=node, link_id=link_id)
    services.citation_remove(actor=actor_of(request), node=node, link=link)
    messages.success(request, _("The source was removed."))
    return _node_redirect(request, node)


@org_view(require=sees_working_tree)
def tree_xlsx(request: HttpRequest) -> HttpResponse:
    """The working tree as a workbook: every node with its status and latest adopted version."""
    access = access_of(request)
    content = exports.tree_xlsx(organisation=access.organisation, tree=selectors.working_tree(access=access))
    return file_response(content, content_type=XLSX_TYPE, filename="policy-tree.xlsx")
