"""Placeholder: to be written."""

from django.http import HttpRequest, HttpResponse



def audit_log(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError
