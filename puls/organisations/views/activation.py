"""Placeholder: to be written."""

from django.http import HttpRequest, HttpResponse


def person_send_activation(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError
