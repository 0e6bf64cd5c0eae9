"""Platform administration: the list of organisations and creating one with its first HR administrator.

Only platform administrators see these pages; everyone else gets a 404 so the pages are not revealed.
"""

import logging
import smtplib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from puls.organisations import selectors, services
from puls.organisations.accounts import person_activation_send
from puls.organisations.forms_platform import OrganisationCreateForm
from puls.organisations.models import Organisation, Person

logger = logging.getLogger(__name__)


def platform_admin_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_platform_admin:  # type: ignore[union-attr]
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


@platform_admin_view
def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = selectors.organisation_list_for_platform(user=request.user)  # type: ignore[arg-type]
    return render(request, "organisations/platform_organisation_list.html", {"organisations": organisations})


@platform_admin_view
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organisation, admin = services.organisation_create_with_admin(
                actor=request.user,  # type: ignore[arg-type]
                name=data["name"],
                kind=data["kind"],
                slug=data["slug"],
                admin_first_name=data["admin_first_name"],
                admin_last_name=data["admin_last_name"],
                admin_email=data["admin_email"],
                admin_employee_number=data["admin_employee_number"],
            )
        except IntegrityError:
            # Another administrator took the slug between validation and saving.
            form.add_error("slug", _("Another organisation already uses this short name."))
        else:
            _send_admin_activation(request, organisation=organisation, admin=admin)
            return redirect("platform:organisation_list")
    return render(request, "organisations/platform_organisation_create.html", {"form": form})


def _send_admin_activation(request: HttpRequest, *, organisation: Organisation, admin: Person) -> None:
    try:
        person_activation_send(actor=request.user, person=admin)  # type: ignore[arg-type]
    except (smtplib.SMTPException, OSError):
        logger.exception("Sending the activation e-mail of a new organisation's administrator failed")
        messages.warning(
            request,
            _(
                "%(organisation)s has been created, but the e-mail to %(email)s could not be sent. "
                "Send the activation link again from the administrator's page."
            )
            % {"organisation": organisation.name, "email": admin.email},
        )
    else:
        messages.success(
            request,
            _("%(organisation)s has been created. An activation link has been sent to %(email)s.")
            % {"organisation": organisation.name, "email": admin.email},
        )
