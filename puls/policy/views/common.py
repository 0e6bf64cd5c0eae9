"""Small helpers shared by the policy views."""

from typing import cast

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from puls.core.models import User
from puls.organisations.models import Organisation
from puls.organisations.scoping import Access

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def access_of(request: HttpRequest) -> Access:
    return cast(Access, request.access)  # type: ignore[attr-defined]


def organisation_of(request: HttpRequest) -> Organisation:
    return cast(Organisation, request.organisation)  # type: ignore[attr-defined]


def slug_of(request: HttpRequest) -> str:
    return organisation_of(request).slug


def actor_of(request: HttpRequest) -> User:
    # org_view lets only logged-in users through.
    return cast(User, request.user)


def error_text(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


def file_response(content: bytes, *, content_type: str, filename: str, inline: bool = False) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    add_never_cache_headers(response)
    return response
