"""The answering flow and the response-rate page in Chromium: keyboard only, 320 px wide, axe-clean."""

import pytest
from django.core import signing
from django.urls import reverse
from playwright.sync_api import Page, expect

from puls.browser_tests import conftest as browser
from puls.browser_tests.conftest import Site, assert_accessible, log_in, tab_to, visit
from puls.invitations.models import ParticipationCount
from puls.invitations.views import BALLOT_COOKIE_SALT, ballot_cookie_name, ballot_cookie_path
from puls.surveys.models import Answer, Response
from puls.surveys.tests.answer_setup import build_survey_world

pytestmark = pytest.mark.browser

# The live server, browser settings and CSP watch of the browser tests.
site = browser.site
browser_context_args = browser.browser_context_args
_fail_on_csp_violations = browser._fail_on_csp_violations

WIDTH = 320


def fits_the_screen(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, page.url


def press_next(page: Page) -> None:
    tab_to(page, "button[value=next]")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_participant_answers_by_keyboard_on_a_small_screen(page: Page, site: Site):
    world = build_survey_world(site.personas)
    token = world.invite(site.personas.employee_person)
    name = ballot_cookie_name(world.ballot.pk)
    page.context.add_cookies(
        [
            {
                "name": name,
                "value": signing.get_cookie_signer(salt=name + BALLOT_COOKIE_SALT).sign(token),
                "url": site.base_url + ballot_cookie_path(world.ballot.pk),
            }
        ]
    )
    page.set_viewport_size({"width": WIDTH, "height": 800})
    start = site.base_url + reverse("survey_answer:start", kwargs={"ballot_id": world.ballot.pk})

    visit(page, start)
    fits_the_screen(page)
    tempo = f"input[name=q_{world.items['tempo'].pk.hex}]"
    tab_to(page, tempo)
    page.keyboard.press("Space")  # the first option
    page.keyboard.press("ArrowDown")  # arrow keys move the choice within the question
    expect(page.locator(f"{tempo}[value='1']")).to_be_checked()
    press_next(page)

    for _section in range(2):  # skip two sections: every question is optional
        assert_accessible(page)
        fits_the_screen(page)
        press_next(page)

    comment = page.locator("textarea")
    comment.fill("Min kollega med cpr 120345-1234 fortjener ros")
    press_next(page)
    assert_accessible(page)
    fits_the_screen(page)
    expect(page.locator(".puls-cpr-warning")).to_be_visible()
    comment.fill("Min kollega fortjener ros")
    press_next(page)

    assert_accessible(page)
    fits_the_screen(page)
    expect(page.locator("main")).to_contain_text("Min kollega fortjener ros")
    tab_to(page, "main form button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page)
    fits_the_screen(page)

    response = Response.objects.get()
    assert sorted(Answer.objects.filter(response=response).values_list("item__code", flat=True)) == [
        "comment",
        "tempo",
    ]
    visit(page, start)  # coming back afterwards: thanked again, no form
    expect(page.locator("main form")).to_have_count(0)


def test_the_response_rate_page_is_readable_on_a_small_screen(page: Page, site: Site):
    world = build_survey_world(site.personas, k=3)
    for code, (invited, completed) in {"100": (5, 2), "210": (6, 3), "220": (2, 1), "310": (8, 4)}.items():
        ParticipationCount.objects.create(
            ballot=world.ballot, unit=site.personas.units[code], invited=invited, completed=completed
        )
    page.set_viewport_size({"width": WIDTH, "height": 800})
    log_in(page, site, site.personas.org_admin.email)
    visit(page, site.org_url("survey_rate:page", survey_id=world.survey.pk))
    fits_the_screen(page)
    expect(page.locator("svg[role=img]")).to_have_count(1)
    expect(page.locator("table.puls-rate-table")).to_contain_text("Skole A")
