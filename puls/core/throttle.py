"""Database-backed throttling of guessable secrets (printed codes, receipt codes), DESIGN §4.6, §7.4.

Counts failed attempts per fixed time window in `ThrottleCount`, so the limit holds across
processes and servers. Keys are HMACs of (scope, identity): the table holds no client addresses.
Only failures are counted: a successful entry leaves no row, so the table says nothing about who
answered when.
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from puls.core.models import ThrottleCount

GLOBAL = "*"
# Counters are kept at least this long (windows must not be longer), then deleted as failures come in.
KEEP_COUNTERS = timedelta(days=1)


@dataclass(frozen=True)
class ThrottleRule:
    """At most `limit` failures per `window` for each identity in `scope`."""

    scope: str
    limit: int
    window: timedelta

    def window_start(self, now: datetime) -> datetime:
        seconds = int(self.window.total_seconds())
        epoch = int(now.timestamp())
        return datetime.fromtimestamp(epoch - epoch % seconds, tz=UTC)

    def key_hash(self, identity: str) -> str:
        secret = hashlib.sha256(f"puls.throttle:{settings.SECRET_KEY}".encode()).digest()
        return hmac.new(secret, f"{self.scope}\0{identity}".encode(), hashlib.sha256).hexdigest()


def client_address(request: HttpRequest) -> str:
    """The client address as the login throttle sees it (same proxy settings)."""
    return get_client_ip_address(request) or "unknown"


def throttle_exceeded(checks: list[tuple[ThrottleRule, str]], *, now: datetime | None = None) -> bool:
    """True when any (rule, identity) has reached its limit in the current window."""
    now = now or timezone.now()
    for rule, identity in checks:
        count = (
            ThrottleCount.objects.filter(
                key_hash=rule.key_hash(identity), window_start=rule.window_start(now)
            )
            .values_list("count", flat=True)
            .first()
        )
        if count is not None and count >= rule.limit:
            return True
    return False


def throttle_failure(checks: list[tuple[ThrottleRule, str]], *, now: datetime | None = None) -> None:
    """Count one failure against every (rule, identity) and forget windows that have long passed."""
    now = now or timezone.now()
    with transaction.atomic():
        for rule, identity in checks:
            counter, _created = ThrottleCount.objects.get_or_create(
                key_hash=rule.key_hash(identity), window_start=rule.window_start(now)
            )
            ThrottleCount.objects.filter(pk=counter.pk).update(count=F("count") + 1)
        ThrottleCount.objects.filter(window_start__lt=now - KEEP_COUNTERS).delete()
