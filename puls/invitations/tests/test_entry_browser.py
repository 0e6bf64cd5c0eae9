"""The invitation link in a real browser: the fragment is posted, removed and never sent in a URL."""

import re
from collections.abc import Iterator

import pytest
from django.urls import reverse
from playwright.sync_api import ConsoleMessage, Page, Request, expect

from puls.browser_tests.conftest import assert_accessible, visit
from puls.invitations import services
from puls.invitations.models import Invitation
from puls.invitations.tests.conftest import add_people, survey_ballot
from puls.invitations.tokens import token_for, token_format
from puls.testing import build_personas

pytestmark = pytest.mark.browser


@pytest.fixture
def ballot_and_token(live_server, transactional_db):
    personas = build_personas()
    add_people(personas.org, personas.units["220"], 5, prefix="22")
    ballot, _survey, _items = survey_ballot(personas.org, title="Trivsel i browseren")
    ballot = services.ballot_launch(actor=personas.org_admin, ballot=ballot)
    invitation = Invitation.objects.get(ballot=ballot, person=personas.employee_person)
    return live_server.url, ballot, token_for(invitation.pk, invitation.issue_number)


@pytest.fixture
def requests_seen(page: Page) -> Iterator[list[Request]]:
    seen: list[Request] = []

    def record(request: Request) -> None:
        seen.append(request)

    page.on("request", record)
    violations: list[str] = []

    def collect(message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            violations.append(message.text)

    page.on("console", collect)
    yield seen
    assert violations == []


def test_the_link_opens_the_survey_and_the_token_leaves_no_trace_in_addresses(
    page: Page, ballot_and_token, requests_seen
):
    base, ballot, token = ballot_and_token
    enter_path = reverse("invitations:enter_page", kwargs={"ballot_id": ballot.pk})
    start_path = reverse("survey_answer:start", kwargs={"ballot_id": ballot.pk})

    page.goto(f"{base}{enter_path}#{token}")
    page.wait_for_url(re.compile(re.escape(start_path)))

    assert "#" not in page.url
    assert token not in page.url
    for request in requests_seen:
        assert token not in request.url.split("#")[0]
        assert token not in (request.headers.get("referer") or "")
    posted = [r for r in requests_seen if r.method == "POST"]
    assert [r.url for r in posted] == [
        f"{base}{reverse('invitations:enter', kwargs={'ballot_id': ballot.pk})}"
    ]
    # The cookie is out of reach of scripts.
    assert token not in page.evaluate("document.cookie")
    # Back in history there is no address with the token either.
    page.go_back()
    assert token not in page.url


def test_without_a_fragment_the_code_form_works_and_is_accessible(
    page: Page, ballot_and_token, requests_seen
):
    base, ballot, token = ballot_and_token
    visit(page, f"{base}{reverse('invitations:enter_page', kwargs={'ballot_id': ballot.pk})}")
    expect(page.locator("h1")).to_have_text("Trivsel i browseren")
    page.get_by_label(re.compile("personal code", re.IGNORECASE)).fill("AAAA-BBBB-CCCC-DDDD")
    page.locator("main form:not([hidden]) button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label(re.compile("personal code", re.IGNORECASE)).fill(token_format(token).lower())
    page.locator("main form:not([hidden]) button[type=submit]").click()
    page.wait_for_url(re.compile(re.escape(reverse("survey_answer:start", kwargs={"ballot_id": ballot.pk}))))


def test_the_code_page_is_accessible(page: Page, ballot_and_token, requests_seen):
    base, _ballot, _token = ballot_and_token
    visit(page, f"{base}{reverse('invitations:code')}")
    expect(page.locator("h1")).to_have_count(1)
