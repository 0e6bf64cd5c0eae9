"""The organisation's front page: what the visitor's roles let them see and do."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from puls.organisations import selectors
from puls.organisations.models import Role
from puls.organisations.scoping import Access, org_view
from puls.organisations.views.units import UnitNode, unit_tree_build


def _role_units(access: Access, role: str, nodes: dict[Any, UnitNode]) -> list[UnitNode]:
    return [nodes[unit.pk] for unit in access.roles.get(role, []) if unit.pk in nodes]


@org_view()
def dashboard(request: HttpRequest) -> HttpResponse:
    access: Access = request.access  # type: ignore[attr-defined]
    context: dict[str, Any] = {}
    if access.is_org_admin:
        context["overview"] = selectors.organisation_overview(access=access)
        context["recent_imports"] = selectors.import_job_recent_list(access=access)
    else:
        if access.is_leader or access.is_med_rep:
            _roots, nodes = unit_tree_build(selectors.unit_tree_with_counts(access=access))
            context["led_units"] = _role_units(access, Role.UNIT_LEADER, nodes)
            context["represented_units"] = _role_units(access, Role.MED_REP, nodes)
        context["my_employments"] = selectors.my_current_employments(access=access)
    return render(request, "organisations/dashboard.html", context)
