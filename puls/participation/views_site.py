"""The process website (being built: see urls_site)."""

from django.http import Http404, HttpRequest, HttpResponse


def process(request: HttpRequest, org_slug: str, process_id: str) -> HttpResponse:
    raise Http404
