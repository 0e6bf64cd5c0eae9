"""Role assignments: list, assign, remove (HR only)."""

import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from puls.organisations import selectors, services
from puls.organisations.forms import RoleAssignForm
from puls.organisations.models import Role
from puls.organisations.scoping import Access, org_view


def _access(request: HttpRequest) -> Access:
    return request.access  # type: ignore[attr-defined,no-any-return]


def _is_org_admin(access: Access) -> bool:
    return access.is_org_admin


@org_view(require=_is_org_admin)
def role_list(request: HttpRequest) -> HttpResponse:
    assignments = list(selectors.role_assignment_list(access=_access(request)))
    groups = [
        (value, label, [assignment for assignment in assignments if assignment.role == value])
        for value, label in Role.choices
    ]
    return render(request, "organisations/role_list.html", {"groups": groups})


def _initial_from_query(request: HttpRequest, access: Access) -> dict[str, str]:
    """Prefill from a person's page: ?person=<id> (an id rather than the employee number, so no
    personal data ends up in addresses and access logs)."""
    initial = {"role": request.GET.get("role", "")}
    try:
        person_id = uuid.UUID(request.GET.get("person", ""))
    except ValueError:
        return initial
    person = selectors.people_by_id(access=access, person_ids={str(person_id)}).get(str(person_id))
    if person is not None:
        initial["employee_number"] = person.employee_number
    return initial


@org_view(require=_is_org_admin)
@require_http_methods(["GET", "POST"])
def role_assign(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    if request.method == "POST":
        form = RoleAssignForm(request.POST, access=access)
        if form.is_valid() and form.person is not None:
            role = form.cleaned_data["role"]
            services.role_assign(
                actor=request.user,  # type: ignore[arg-type]
                person=form.person,
                role=role,
                units=list(form.cleaned_data["units"]),
            )
            messages.success(
                request,
                _("%(person)s now has the role %(role)s.")
                % {"person": form.person.full_name, "role": Role(role).label},
            )
            return redirect("organisations:role_list", org_slug=access.organisation.slug)
    else:
        form = RoleAssignForm(initial=_initial_from_query(request, access), access=access)
    return render(request, "organisations/role_assign.html", {"form": form})


@org_view(require=_is_org_admin)
@require_http_methods(["GET", "POST"])
def role_remove(request: HttpRequest, assignment_id: uuid.UUID) -> HttpResponse:
    """GET asks for confirmation; POST removes. The organisation's last HR administrator stays."""
    access = _access(request)
    assignment = selectors.role_assignment_get(access=access, assignment_id=assignment_id)
    is_last_admin = (
        assignment.role == Role.ORG_ADMIN
        and selectors.role_assignment_count(access=access, role=Role.ORG_ADMIN) <= 1
    )
    if request.method == "POST" and not is_last_admin:
        services.role_remove(actor=request.user, assignment=assignment)  # type: ignore[arg-type]
        messages.success(
            request,
            _("%(person)s no longer has the role %(role)s.")
            % {"person": assignment.person.full_name, "role": assignment.get_role_display()},
        )
        return redirect("organisations:role_list", org_slug=access.organisation.slug)
    return render(
        request,
        "organisations/role_remove.html",
        {"assignment": assignment, "is_last_admin": is_last_admin},
        status=409 if request.method == "POST" else 200,
    )
