"""The surveys issue's acceptance flow, end to end in Chromium.

HR creates and launches a survey for two units; an employee follows the link in their e-mail,
answers half, leaves, resumes and submits; a reminder goes only to those who have not answered; a
second submit is refused politely; a printed-letter code works on /svar; the response rate
updates; the database holds the responses and no link to the people.
"""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from puls.browser_tests.conftest import Site, assert_accessible, log_in, visit
from puls.invitations import services as ballots
from puls.invitations.models import Invitation
from puls.invitations.services import TokenHolder
from puls.invitations.tasks import send_reminders
from puls.invitations.tokens import token_for
from puls.surveys.models import Response, Survey

pytestmark = pytest.mark.browser

LINK = re.compile(r"https?://\S+/b/[0-9a-f-]+/#[0-9A-Z]+")


@pytest.fixture
def browser_context_args(browser_context_args):
    # English, so the assertions read the source texts; Danish pages are covered elsewhere.
    return {**browser_context_args, "locale": "en-GB"}


def _create_and_launch(page: Page, site: Site) -> Survey:
    personas = site.personas
    log_in(page, site, "hr@testby.test")
    visit(page, site.org_url("surveys:survey_create"))
    page.locator("#id_title").fill("Trivsel i skolerne")
    questionnaire = page.locator("#id_questionnaire option", has_text="Trivsel").first.get_attribute("value")
    page.locator("#id_questionnaire").select_option(questionnaire)
    page.locator("input[name=audience][value=units]").check()
    page.locator("#id_units").select_option([str(personas.units["210"].pk), str(personas.units["220"].pk)])
    opens = timezone.localtime() - timedelta(minutes=5)
    page.locator("#id_opens_at").fill(opens.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#id_closes_at").fill((opens + timedelta(days=21)).strftime("%Y-%m-%dT%H:%M"))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert_accessible(page)
    survey = Survey.objects.get(ballot__title="Trivsel i skolerne")

    visit(page, site.org_url("surveys:survey_launch", survey_id=survey.pk))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert_accessible(page)
    survey.ballot.refresh_from_db()
    assert survey.ballot.status == "open"
    return survey


def _answer_section_and(page: Page, action: str) -> None:
    """Answer every question of the section shown with its first option, then press a button."""
    for fieldset in page.locator("main form fieldset").all():
        first = fieldset.locator("input[type=radio]").first
        if first.count():
            first.check()
    with page.expect_navigation():
        page.locator(f"main form button[name=action][value={action}]").click()
    assert_accessible(page)


def test_hr_launches_an_employee_answers_with_a_pause_and_a_letter_code_works(
    page: Page, browser: Browser, site: Site
):
    survey = _create_and_launch(page, site)
    ballot = survey.ballot
    invited = Invitation.objects.filter(ballot=ballot)
    # Skole A (leader and three without e-mail) and Skole B (the employee): five people.
    assert invited.count() == 5

    employee_mail = [m for m in mail.outbox if "ansat@testby.test" in m.to]
    assert len(employee_mail) == 1
    link = LINK.search(str(employee_mail[0].body))
    assert link is not None
    address = re.sub(r"^https?://[^/]+", site.base_url, link.group(0))

    employee = browser.new_page(locale="en-GB")
    employee.goto(address)
    employee.wait_for_url(re.compile(r"/survey/section/1/$"))
    assert "#" not in employee.url
    assert_accessible(employee)
    progress = re.search(r"of (\d+)", employee.locator("main").inner_text())
    assert progress is not None
    sections = int(progress.group(1))
    assert sections >= 2

    # Half: the first section, then "save and continue later".
    _answer_section_and(employee, "later")
    expect(employee.locator("h1")).to_contain_text("saved")

    # Later, from the same link: back where they left off.
    employee.goto(f"{site.base_url}/b/{ballot.pk}/")
    employee.wait_for_url(re.compile(r"/survey/section/2/$"))
    checked = employee.evaluate("() => document.querySelectorAll('input:checked').length")
    assert checked == 0
    for _section in range(2, sections + 1):
        _answer_section_and(employee, "next")
    employee.wait_for_url(re.compile(r"/survey/review/$"))
    with employee.expect_navigation():
        employee.locator("main form button[type=submit]").click()
    employee.wait_for_url(re.compile(r"/survey/done/$"))
    assert_accessible(employee)
    assert Response.objects.filter(survey=survey).count() == 1

    # A second submit (back to the review page and press again) is refused politely.
    employee.goto(f"{site.base_url}/b/{ballot.pk}/survey/review/")
    expect(employee.locator("h1")).to_contain_text("already answered")
    assert_accessible(employee)
    assert Response.objects.filter(survey=survey).count() == 1

    # The reminder goes to those who have not answered and have e-mail: the leader, not the employee.
    mail.outbox.clear()
    assert send_reminders.call(str(ballot.pk), 1) >= 1
    reminded = {address for message in mail.outbox for address in message.to}
    assert reminded == {"leder@testby.test"}

    # A printed letter's code, typed on /svar on a shared device.
    letter = invited.get(person__employee_number="2110")
    assert letter.channel == Invitation.Channel.LETTER
    shared_device = browser.new_page(locale="en-GB")
    visit(shared_device, site.url("invitations:code"))
    shared_device.locator("main input[name=code]").fill(token_for(letter.id, letter.issue_number).lower())
    with shared_device.expect_navigation():
        shared_device.locator("main form button[type=submit]").click()
    shared_device.wait_for_url(re.compile(rf"/b/{ballot.pk}/survey/section/1/$"))
    assert_accessible(shared_device)
    for _section in range(1, sections + 1):
        _answer_section_and(shared_device, "next")
    with shared_device.expect_navigation():
        shared_device.locator("main form button[type=submit]").click()
    shared_device.wait_for_url(re.compile(r"/survey/done/$"))

    # Counts are published in batches of at least k answers: two answers do not show yet.
    ballots.ballot_count(ballot=ballot)
    visit(page, site.org_url("survey_rate:page", survey_id=survey.pk))
    expect(page.locator("main table tbody tr").first).to_contain_text("0 %")

    # The rest answer; now the batch is complete and the rate page shows it.
    for invitation in invited.filter(completed=False):
        token = token_for(invitation.id, invitation.issue_number)
        ballots.ballot_submit(holder=TokenHolder(ballot=ballot, token=token), data={"answers": {}})
    ballots.ballot_count(ballot=ballot)
    visit(page, site.org_url("survey_rate:page", survey_id=survey.pk))
    expect(page.locator("main table tbody tr").first).to_contain_text("100 %")

    # What the database holds: answers with no column that points at a person or invitation.
    stored = Response.objects.filter(survey=survey)
    assert stored.count() == 5
    person_columns = [
        f.name for f in Response._meta.get_fields() if "person" in f.name or "invitation" in f.name
    ]
    assert person_columns == []
    assert invited.filter(completed=True).count() == 5
