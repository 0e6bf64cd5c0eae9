"""Action plans and the APV in the browser: every page passes axe-core, a leader creates an action
and follows it up, the overdue action shows on HR's dashboard, a MED/AMO representative works
their unit's APV."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from puls.actions import services
from puls.actions.models import Action
from puls.browser_tests.conftest import Site, assert_accessible, log_in, visit

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context_args(browser_context_args):
    # The labels below are the English source strings, independent of the Danish translation.
    return {**browser_context_args, "locale": "en-GB"}


def test_leader_creates_an_action_that_becomes_overdue_on_hrs_dashboard(page: Page, site: Site):
    personas = site.personas
    log_in(page, site, personas.leader.email)
    visit(page, site.org_url("actions:action_list"))
    page.get_by_role("link", name="New action").click()
    assert_accessible(page)
    page.get_by_label("Unit").select_option(label="210 Skole A")
    page.get_by_role("button", name="Next").click()
    assert_accessible(page)
    page.locator("#id_title").fill("Faste pauser")
    page.locator("#id_problem").fill("Pauserne bliver afbrudt")
    page.locator("#id_owner").select_option(label="Lea Leder")
    page.locator("#id_deadline").fill((timezone.localdate() + timedelta(days=10)).isoformat())
    page.get_by_role("button", name="Create action").click()
    expect(page.locator("h1")).to_have_text("Faste pauser")
    assert_accessible(page)

    page.get_by_label("What has happened?").fill("Drøftet på personalemødet")
    page.locator("#id_status").select_option("in_progress")
    page.get_by_role("button", name="Save follow-up").click()
    expect(page.locator("main")).to_contain_text("Drøftet på personalemødet")
    assert_accessible(page)

    # The deadline passes.
    Action.objects.filter(title="Faste pauser").update(deadline=timezone.localdate() - timedelta(days=1))
    page.context.clear_cookies()
    log_in(page, site, personas.org_admin.email)
    visit(page, site.org_url("actions:action_dashboard"))
    expect(page.locator("#overdue")).to_contain_text("Faste pauser")


def test_med_rep_works_their_units_apv(page: Page, site: Site):
    personas = site.personas
    log_in(page, site, personas.med_rep.email)
    visit(page, site.org_url("actions:apv_overview"))
    page.get_by_role("link", name="Start an APV").click()
    assert_accessible(page)
    page.get_by_label("Unit").select_option(label="– 310 Plejecenter")
    page.locator("#id_title").fill("APV 2027")
    page.get_by_role("button", name="Start APV").click()
    expect(page.locator("h1")).to_have_text("APV 2027")
    assert_accessible(page)
    page.locator("#id_title").fill("Tunge løft")
    page.get_by_role("button", name="Add finding").click()
    expect(page.locator("main")).to_contain_text("Tunge løft")
    page.get_by_role("button", name="Go on to the next stage").click()
    expect(page.locator("main")).to_contain_text("Risk assessment (current)")
    assert_accessible(page)


def test_every_actions_page_is_accessible(page: Page, site: Site):
    personas = site.personas
    action = services.action_create(
        actor=None,
        organisation=personas.org,
        unit=personas.units["210"],
        title="Bedre overlevering",
        deadline=timezone.localdate() - timedelta(days=3),
    )
    cycle = services.apv_cycle_start(
        actor=None, organisation=personas.org, unit=personas.units["310"], title="APV 2027"
    )
    services.apv_finding_add(actor=None, cycle=cycle, title="Støj")
    log_in(page, site, personas.org_admin.email)
    for url in (
        site.org_url("actions:action_list"),
        site.org_url("actions:action_create"),
        site.org_url("actions:action_detail", action_id=action.pk),
        site.org_url("actions:action_edit", action_id=action.pk),
        site.org_url("actions:action_dashboard"),
        site.org_url("actions:apv_overview") + "?show_all=on",
        site.org_url("actions:apv_start"),
        site.org_url("actions:apv_detail", cycle_id=cycle.pk),
        site.org_url("actions:discussion_record"),
    ):
        visit(page, url)
