"""Guessing receipt codes is throttled like logins and printed codes (DESIGN §4.6, §4.9): failures
per client address and globally per minute, counted in the shared database throttle (puls.core)."""

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from puls.core.throttle import GLOBAL, ThrottleRule, client_address


def _window_minutes() -> int:
    return int(getattr(settings, "RECEIPT_CODE_WINDOW_MINUTES", 15))


def receipt_throttle(request: HttpRequest) -> list[tuple[ThrottleRule, str]]:
    per_address = ThrottleRule(
        scope="receipt-code:address",
        limit=int(getattr(settings, "RECEIPT_CODE_FAILURES_PER_ADDRESS", 10)),
        window=timedelta(minutes=_window_minutes()),
    )
    everyone = ThrottleRule(
        scope="receipt-code:global",
        limit=int(getattr(settings, "RECEIPT_CODE_FAILURES_PER_MINUTE", 300)),
        window=timedelta(minutes=1),
    )
    return [(per_address, client_address(request)), (everyone, GLOBAL)]


def throttled_response(request: HttpRequest) -> HttpResponse:
    return render(request, "invitations/throttled.html", {"minutes": _window_minutes()}, status=429)
