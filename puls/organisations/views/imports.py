"""Placeholder: to be written."""

from django.http import HttpRequest, HttpResponse



def import_start(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def import_preview(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def import_apply(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError


def import_progress(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
    raise NotImplementedError
