"""Placeholder: to be written."""

from django.http import HttpRequest, HttpResponse



def role_list(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def role_assign(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def role_remove(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError
