"""Placeholder: to be written."""

from django.http import HttpRequest, HttpResponse



def unit_tree(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def unit_detail(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError
