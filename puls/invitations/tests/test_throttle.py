"""The database-backed throttle behind /svar and the invitation entry (puls/core/throttle.py)."""

from datetime import UTC, datetime, timedelta

import pytest

from puls.core.models import ThrottleCount
from puls.core.throttle import GLOBAL, ThrottleRule, throttle_exceeded, throttle_failure

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 2, 10, 0, 30, tzinfo=UTC)
PER_ADDRESS = ThrottleRule(scope="test:address", limit=3, window=timedelta(minutes=15))
EVERYONE = ThrottleRule(scope="test:global", limit=5, window=timedelta(minutes=1))


def checks(address: str) -> list[tuple[ThrottleRule, str]]:
    return [(PER_ADDRESS, address), (EVERYONE, GLOBAL)]


def test_failures_count_per_address_within_a_window():
    for _ in range(3):
        assert not throttle_exceeded(checks("192.0.2.1"), now=T0)
        throttle_failure(checks("192.0.2.1"), now=T0)
    assert throttle_exceeded(checks("192.0.2.1"), now=T0 + timedelta(minutes=5))
    assert not throttle_exceeded(checks("192.0.2.2"), now=T0 + timedelta(minutes=5))
    # The next window starts afresh.
    assert not throttle_exceeded(checks("192.0.2.1"), now=T0 + timedelta(minutes=15))


def test_the_global_limit_holds_for_every_address():
    for i in range(5):
        throttle_failure(checks(f"198.51.100.{i}"), now=T0)
    assert throttle_exceeded(checks("203.0.113.9"), now=T0 + timedelta(seconds=10))
    assert not throttle_exceeded(checks("203.0.113.9"), now=T0 + timedelta(minutes=1))


def test_addresses_are_not_stored_and_old_windows_are_forgotten():
    throttle_failure(checks("192.0.2.77"), now=T0)
    stored = " ".join(f"{row.key_hash} {row.count}" for row in ThrottleCount.objects.all())
    assert "192.0.2.77" not in stored
    assert ThrottleCount.objects.count() == 2
    throttle_failure(checks("192.0.2.78"), now=T0 + timedelta(days=2))
    assert ThrottleCount.objects.filter(window_start__lt=T0 + timedelta(days=1)).count() == 0
