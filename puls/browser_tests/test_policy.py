"""The staff policy in the browser: every page passes axe-core. A leader runs Værdivejen with the
team in facilitator mode (by keyboard), prints the poster and makes two actions from it; one action
becomes overdue and shows on HR's dashboard; the leader answers the report-back form and HR's
count changes."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from puls.actions.models import Action
from puls.actions.tasks import reminders_run_due
from puls.browser_tests.conftest import Site, assert_accessible, log_in, visit
from puls.policy.models import NodeKind, WalkAnswer
from puls.policy.services import report
from puls.policy.tests.builders import adopt, central

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context_args(browser_context_args):
    # The labels below are the English source strings, independent of the Danish translation.
    return {**browser_context_args, "locale": "en-GB"}


def _tree(site: Site) -> None:
    personas = site.personas
    value = central(
        personas.org_admin, personas.org, NodeKind.VALUE, "Tillid", text="Vi viser hinanden tillid."
    )
    adopt(personas.org_admin, value)
    policy = central(personas.org_admin, personas.org, NodeKind.POLICY, "Trivselspolitik")
    adopt(personas.org_admin, policy, political=True)
    report_round = report.round_create(
        actor=personas.org_admin,
        organisation=personas.org,
        settings=report.RoundSettings(
            title="Status på værdiarbejdet",
            year=timezone.localdate().year,
            due_on=timezone.localdate() + timedelta(days=14),
            intro="",
            tools=["Værdivejen", "Hverdagsfortællinger"],
            goal_units=1,
        ),
    )
    report.round_open(actor=personas.org_admin, report_round=report_round, announce=False)


def test_leader_walks_vaerdivejen_makes_actions_and_reports_back(page: Page, site: Site):
    personas = site.personas
    _tree(site)
    log_in(page, site, personas.leader.email)
    visit(page, site.org_url("policy:unit_detail", unit_id=personas.units["210"].pk))
    page.get_by_role("button", name="Adopt the central policy for Skole A").click()
    assert_accessible(page)
    page.get_by_role("link", name="Plan a Værdivejen workshop").click()
    assert_accessible(page)
    page.get_by_label("Who takes part").fill("Hele teamet, 9 personer")
    page.get_by_label("Tillid").check()
    page.get_by_role("button", name="Create workshop").click()
    assert_accessible(page)

    # Facilitator mode: one stop at a time, the team's points typed in, moved on by keyboard.
    page.get_by_role("link", name="Start facilitator mode").click()
    points = {
        1: "Vi stoler på hinandens faglighed",
        2: "Teamet lægger selv planen",
        3: "Beslutninger kommer for sent ud",
        4: "Fast makker til alle nye",
    }
    for stop, text in points.items():
        expect(page.locator(".puls-walk-progress")).to_contain_text(f"Stop {stop} of 4")
        assert_accessible(page)
        field = page.get_by_label("A point from the team")
        field.fill(text)
        with page.expect_navigation():
            field.press("Control+Enter")
        expect(page.locator(".puls-walk-answers")).to_contain_text(text)
        page.locator("body").click(position={"x": 5, "y": 5})  # away from the text field
        with page.expect_navigation():
            page.keyboard.press("ArrowRight")
    # After the last stop, the keyboard leads to the overview.
    expect(page.locator("h1")).to_have_text("Værdivejen in Skole A")
    page.keyboard.press("ArrowLeft")  # nothing to go back to from the overview: stays
    expect(page.locator("h1")).to_have_text("Værdivejen in Skole A")
    assert WalkAnswer.objects.count() == 4

    # The poster is an A3 PDF.
    poster_path = page.get_by_role("link", name="Poster (A3 PDF)").get_attribute("href") or ""
    poster = page.request.get(site.base_url + poster_path)
    assert poster.status == 200
    assert poster.headers["content-type"] == "application/pdf"

    # Two points become actions, one click each.
    page.get_by_role("button", name=re.compile("Make it an action.*Beslutninger kommer for sent ud")).click()
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("Make it an action.*Fast makker til alle nye")).click()
    expect(page.get_by_role("link", name="open the action")).to_have_count(2)
    assert_accessible(page)
    assert Action.objects.filter(unit=personas.units["210"]).count() == 2

    # One of them becomes overdue: HR sees it on the actions dashboard.
    action = Action.objects.get(title="Fast makker til alle nye")
    Action.objects.filter(pk=action.pk).update(deadline=timezone.localdate() - timedelta(days=2))
    # The hourly reminder job tells the leader (the actions have no owner yet, so the unit's leader).
    mail.outbox.clear()
    reminders_run_due.call()
    overdue_mail = [message for message in mail.outbox if "Fast makker til alle nye" in message.body]
    assert [message.to for message in overdue_mail] == [[personas.leader_person.email]]

    # The leader answers the report-back form; Værdivejen is not ticked before the workshop is completed.
    page.get_by_role("button", name="Mark as completed").click()
    visit(page, site.org_url("policy:round_list"))
    page.get_by_role("link", name="Status på værdiarbejdet").click()
    assert_accessible(page)
    page.get_by_role("link", name="Answer now").click()
    assert_accessible(page)
    expect(page.get_by_label("Værdivejen")).to_be_checked()
    page.get_by_label("What did you do with the values this year?").fill("Vi gik Værdivejen med teamet.")
    page.get_by_label("What effect did it have?").fill("Nye kolleger kommer hurtigere ind i arbejdet.")
    page.get_by_label("What will you do next?").fill("Vi følger op efter sommerferien.")
    page.get_by_role("button", name="Send the answer").click()
    expect(page.locator(".puls-messages")).to_contain_text("The answer of Skole A was saved")
    assert_accessible(page)

    page.context.clear_cookies()
    log_in(page, site, personas.org_admin.email)
    visit(page, site.org_url("actions:action_dashboard"))
    expect(page.locator("#overdue")).to_contain_text("Fast makker til alle nye")
    visit(page, site.org_url("policy:round_list"))
    page.get_by_role("link", name="Status på værdiarbejdet").click()
    expect(page.locator(".puls-figure").first).to_contain_text("1 / 1")
    expect(page.locator("main")).to_contain_text("The goal is reached.")
    assert_accessible(page)


def test_hr_pages_of_the_tree_pass_axe(page: Page, site: Site):
    personas = site.personas
    _tree(site)
    log_in(page, site, personas.org_admin.email)
    visit(page, site.org_url("policy:tree"))
    page.get_by_role("link", name="Trivselspolitik").click()
    assert_accessible(page)
    page.get_by_role("link", name="Edit text").click()
    assert_accessible(page)
    page.get_by_label("Text").fill("Trivsel er et fælles ansvar.")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="See what changed").click()
    expect(page.locator(".puls-diff ins").first).to_contain_text("Trivsel er et fælles ansvar.")
    assert_accessible(page)
    visit(page, site.org_url("policy:publication"))
    visit(page, site.org_url("policy:publication_settings"))
    page.get_by_label("Publish the adopted tree on a public page").check()
    page.get_by_role("button", name="Save").click()
    page.context.clear_cookies()
    visit(page, site.url("policy_public:page", org_slug=personas.org.slug))
    expect(page.locator("main")).to_contain_text("Trivselspolitik")
