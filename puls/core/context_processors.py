from typing import Any

from django.http import HttpRequest

from puls.organisations.scoping import user_organisations


def puls(request: HttpRequest) -> dict[str, Any]:
    """Organisation and access of the current page (set by org_view) for the header and menus."""
    organisation = getattr(request, "organisation", None)
    access = getattr(request, "access", None)
    user = getattr(request, "user", None)
    return {
        "current_organisation": organisation,
        "access": access,
        "my_organisations": (lambda: user_organisations(user)) if user is not None else list,
    }
