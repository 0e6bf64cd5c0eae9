"""Standing employee panels: list with counts, create, set members by employee number (HR only)."""

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from puls.organisations import selectors, services
from puls.organisations.forms import PanelForm
from puls.organisations.models import EmployeePanel
from puls.organisations.scoping import Access, org_view


def _access(request: HttpRequest) -> Access:
    return request.access  # type: ignore[attr-defined,no-any-return]


def _is_org_admin(access: Access) -> bool:
    return access.is_org_admin


@org_view(require=_is_org_admin)
def panel_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "organisations/panel_list.html", {"panels": selectors.panel_list(access=_access(request))}
    )


def _panel_form(request: HttpRequest, panel: EmployeePanel | None) -> HttpResponse:
    access = _access(request)
    initial = {}
    if panel is not None:
        numbers = selectors.panel_member_numbers(access=access, panel=panel)
        initial = {"name": panel.name, "numbers": "\n".join(numbers)}
    form = PanelForm(request.POST or None, access=access, panel=panel, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.panel_save(
                actor=request.user,  # type: ignore[arg-type]
                organisation=access.organisation,
                name=form.cleaned_data["name"],
                numbers=form.cleaned_data["numbers"],
                panel=panel,
            )
        except services.PanelMembersError as error:
            form.unknown_numbers(error.unknown)
        else:
            messages.success(
                request,
                _("The panel “%(name)s” was saved with %(count)d members.")
                % {"name": saved.name, "count": saved.members.count()},
            )
            return redirect("organisations:panel_list", org_slug=access.organisation.slug)
    return render(request, "organisations/panel_form.html", {"form": form, "panel": panel})


@org_view(require=_is_org_admin)
@require_http_methods(["GET", "POST"])
def panel_create(request: HttpRequest) -> HttpResponse:
    return _panel_form(request, None)


@org_view(require=_is_org_admin)
@require_http_methods(["GET", "POST"])
def panel_edit(request: HttpRequest, panel_id: uuid.UUID) -> HttpResponse:
    return _panel_form(request, selectors.panel_get(access=_access(request), panel_id=panel_id))
