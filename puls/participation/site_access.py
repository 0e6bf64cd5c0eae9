"""Who may read an internal process's website (DESIGN §4.13): a logged-in member of its audience,
its facilitators, or anyone holding that process's invitation cookie — so employees without
accounts can follow the rounds they were invited to.

The site cookie is granted on the participant's pages (`/b/<ballot>/dialogue/…`) to whoever holds a
valid ballot cookie of one of the process's rounds. It is signed and holds only the process id: it
proves "was invited to this process", never who, and it is scoped to the process's site path.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from puls.participation.models import Process

SITE_COOKIE_SALT = "puls.dialogue.site"
SITE_COOKIE_DAYS = 365


def site_cookie_name(process: Process) -> str:
    return f"dialogue_site_{process.pk.hex}"


def site_path(process: Process) -> str:
    """The process website's address (the cookie's path); the URL name is owned by urls_site."""
    return reverse(
        "dialogue_site:process",
        kwargs={"org_slug": process.organisation.slug, "process_id": process.pk},
    )


def site_cookie_grant(response: HttpResponse, process: Process) -> HttpResponse:
    response.set_signed_cookie(
        site_cookie_name(process),
        process.pk.hex,
        salt=SITE_COOKIE_SALT,
        path=site_path(process),
        max_age=SITE_COOKIE_DAYS * 24 * 3600,
        httponly=True,
        secure=not settings.DEBUG,
        samesite="Lax",
    )
    return response


def site_cookie_valid(request: HttpRequest, process: Process) -> bool:
    value = request.get_signed_cookie(
        site_cookie_name(process),
        default=None,
        salt=SITE_COOKIE_SALT,
        max_age=SITE_COOKIE_DAYS * 24 * 3600,
    )
    return value == process.pk.hex
