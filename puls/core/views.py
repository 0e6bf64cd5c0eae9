from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from puls.organisations.scoping import user_organisations


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send the user to their organisation, or let them choose when they belong to several."""
    organisations = user_organisations(request.user)  # type: ignore[arg-type]
    if request.user.is_platform_admin:  # type: ignore[union-attr]
        return redirect("platform:organisation_list")
    if len(organisations) == 1:
        return redirect("organisations:dashboard", org_slug=organisations[0].slug)
    return render(request, "core/choose_organisation.html", {"organisations": organisations})


@require_GET
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return JsonResponse({"status": "ok"})


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html", {"retention_months": settings.RETENTION_PERSON_MONTHS})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")
