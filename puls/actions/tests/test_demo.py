"""The demo action plans and APVs `manage.py load_demo` adds to Demo Kommune."""

from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone, translation

from puls.actions.demo import actions_demo_create
from puls.actions.demo_follow_up import follow_up_demo_create
from puls.actions.models import Action, ApvCycle
from puls.actions.reminders import reminders_claim_due
from puls.actions.selectors import dashboard
from puls.core.models import Link, User
from puls.organisations.models import Organisation
from puls.organisations.scoping import access_build
from puls.surveys.reports.link_kinds import SURVEY_RESULT_KIND
from puls.testing import data_for_module, settings_for_tests

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def _module_demo(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[None]:
    """The demo, loaded once for the module's tests (each runs in its own savepoint)."""
    with data_for_module(django_db_blocker):
        out = StringIO()
        media_root = tmp_path_factory.mktemp("demo-media")
        with override_settings(DEBUG=True, **settings_for_tests(media_root)), translation.override("en"):
            call_command("load_demo", "--without-surveys", stdout=out)
        assert "Demo action plans ready" in out.getvalue()
        yield


@pytest.fixture
def demo(_module_demo, settings) -> Organisation:
    settings.DEBUG = True
    return Organisation.objects.get(slug="demo")


def test_about_forty_actions_in_every_state(demo):
    actions = Action.objects.filter(organisation=demo)
    assert 35 <= actions.count() <= 45
    statuses = set(actions.values_list("status", flat=True))
    assert statuses == set(Action.Status.values)
    today = timezone.localdate()
    assert actions.overdue(today).count() >= 5
    assert actions.without_owner().count() >= 3
    assert Action.objects.filter(organisation=demo, follow_ups__isnull=False).exists()


def test_an_apv_in_progress_that_the_med_rep_sees(demo):
    cycle = ApvCycle.objects.get(organisation=demo, completed_on__isnull=True)
    assert cycle.unit.name == "Plejecenter Lindehøj"
    assert cycle.stage == ApvCycle.Stage.ACTION_PLAN
    assert cycle.findings.count() == 3
    assert cycle.actions.count() == 2
    med = access_build(user=User.objects.get(email="med@demo.puls.test"), organisation=demo)
    assert med is not None
    assert med.can_see_unit(cycle.unit)
    board = dashboard(access=med)
    assert board.overdue, "the MED representative's units have overdue actions"


def test_demo_has_reminders_to_send_and_loading_again_adds_nothing(demo):
    kinds = {reminder.kind for reminder in reminders_claim_due()}
    assert {"action_due", "action_overdue", "apv_due", "discussion_due"} <= kinds
    count = Action.objects.filter(organisation=demo).count()
    assert not actions_demo_create(organisation=demo).created
    assert Action.objects.filter(organisation=demo).count() == count


def test_without_surveys_no_action_is_linked_to_a_survey_result(demo):
    """The follow-up of low survey results needs the surveys demo's computed report (checked with
    the full demo in surveys/tests/test_demo.py); without it, it adds nothing."""
    assert not follow_up_demo_create(organisation=demo).created
    assert not Link.objects.filter(organisation=demo, source_kind=SURVEY_RESULT_KIND).exists()
