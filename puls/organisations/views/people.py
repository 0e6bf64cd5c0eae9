"""The people list (search with live results) and a person's page."""

import uuid

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers

from puls.organisations import selectors
from puls.organisations.forms import PersonSearchForm
from puls.organisations.models import Person
from puls.organisations.scoping import Access, org_view

PEOPLE_PER_PAGE = 50


def _access(request: HttpRequest) -> Access:
    return request.access  # type: ignore[attr-defined,no-any-return]


@org_view(require=lambda access: access.can_see_people)
def person_list(request: HttpRequest) -> HttpResponse:
    access = _access(request)
    results_url = reverse("organisations:person_list", kwargs={"org_slug": access.organisation.slug})
    form = PersonSearchForm(request.GET, access=access, results_url=results_url)
    people = selectors.person_rows(access=access, query=form.query, unit=form.selected_unit)
    page_obj = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "page_obj": page_obj, "searching": bool(form.query or form.selected_unit)}
    # htmx asks for the results only; a history restore (back button after a cache miss) needs the page.
    if request.htmx and not request.htmx.history_restore_request:  # type: ignore[attr-defined]
        response = render(request, "organisations/_person_results.html", {**context, "partial": True})
    else:
        response = render(request, "organisations/person_list.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def login_status(person: Person) -> str:
    """'active' when the person can log in, 'pending' when a login awaits activation, else 'none'."""
    user = person.user
    if user is None:
        return "none"
    if user.is_active and (user.has_usable_password() or user.last_login is not None):
        return "active"
    return "pending"


@org_view()
def person_detail(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    access = _access(request)
    person = selectors.person_get(access=access, person_id=person_id)
    employments = [
        (employment, access.can_see_unit(employment.unit))
        for employment in selectors.person_employments(access=access, person=person)
    ]
    return render(
        request,
        "organisations/person_detail.html",
        {
            "person": person,
            "employments": employments,
            "role_assignments": selectors.person_role_assignments(access=access, person=person),
            "login_status": login_status(person),
        },
    )
