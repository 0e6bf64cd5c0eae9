import os

import pytest
from hypothesis import settings as hypothesis_settings

from puls.testing import PASSWORD, Personas, build_personas, settings_for_tests

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls there
# unless told that this is deliberate.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

hypothesis_settings.register_profile("ci", deadline=None, max_examples=60, derandomize=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    for name, value in settings_for_tests(tmp_path / "media").items():
        setattr(settings, name, value)


@pytest.fixture(autouse=True)
def _shipped_item_bank(request):
    """Put back the item bank the data migration ships when a transactional test's flush removed it.

    Flushing between transactional tests (browser tests, thread tests) empties every table, also the
    rows migrations loaded; tests that run afterwards expect them as a fresh installation has them."""
    names = set(request.fixturenames)
    marker = request.node.get_closest_marker("django_db")
    if "transactional_db" in names or "live_server" in names or (marker and marker.kwargs.get("transaction")):
        request.getfixturevalue("transactional_db")
    elif "db" in names or marker:
        request.getfixturevalue("db")
    else:
        return
    from django.apps import apps

    from puls.surveys.itembank import BankModels, load_shipped_bank

    load_shipped_bank(BankModels.from_apps(apps))


@pytest.fixture
def personas(db) -> Personas:
    return build_personas()


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {"executable_path": "/usr/bin/chromium", "args": CHROMIUM_FLAGS, "headless": True}
