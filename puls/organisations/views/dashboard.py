"""Placeholder: to be written."""

from django.http import HttpRequest, HttpResponse



def dashboard(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError
