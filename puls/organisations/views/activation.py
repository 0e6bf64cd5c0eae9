"""HR sends a person a one-time link to activate their login (choose a password)."""

import logging
import smtplib
import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from puls.organisations import selectors
from puls.organisations.accounts import PersonHasNoEmail, person_activation_send
from puls.organisations.scoping import Access, org_view

logger = logging.getLogger(__name__)


def _can_manage_people(access: Access) -> bool:
    return access.can_manage_people


@require_POST
@org_view(require=_can_manage_people)
def person_send_activation(request: HttpRequest, person_id: uuid.UUID) -> HttpResponse:
    person = selectors.person_get(access=request.access, person_id=person_id)  # type: ignore[attr-defined]
    try:
        user = person_activation_send(actor=request.user, person=person)  # type: ignore[arg-type]
    except PersonHasNoEmail:
        messages.error(
            request,
            _(
                "%(name)s has no e-mail address, so no activation link can be sent. "
                "They can take part through printed codes."
            )
            % {"name": person.full_name},
        )
    except (smtplib.SMTPException, OSError):
        logger.exception("Sending an activation e-mail failed")
        messages.error(request, _("The e-mail could not be sent. Try again later."))
    else:
        messages.success(
            request,
            _("An activation link has been sent to %(email)s.") % {"email": user.email},
        )
    return redirect("organisations:person_detail", org_slug=request.organisation.slug, person_id=person.pk)  # type: ignore[attr-defined]
