"""`manage.py load_demo` and `manage.py demo_logins` on a database without the demo (test_demo.py
loads the demo once for all of its tests, so these two live here)."""

import pytest
from django.core.management import CommandError

from puls.organisations.models import Organisation
from puls.organisations.tests.test_demo import load_demo, run_command

pytestmark = pytest.mark.django_db


def test_load_demo_refuses_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        load_demo()
    assert not Organisation.objects.exists()

    load_demo("--force")
    assert Organisation.objects.filter(slug__in=["demo", "nabo"]).count() == 2


def test_demo_logins_without_a_demo_says_how_to_load_it():
    assert "load_demo" in run_command("demo_logins")
