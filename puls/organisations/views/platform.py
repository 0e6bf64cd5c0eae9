"""Placeholder: to be written."""

from django.http import HttpRequest, HttpResponse



def organisation_list(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def organisation_create(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError
