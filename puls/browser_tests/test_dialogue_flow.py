"""The dialogue issue's acceptance flow, end to end in Chromium (issue 6, "Done means").

Round 1 (ideas): an employee types their code on /svar, writes two ideas, submits and gets a
receipt code. HR groups both ideas under a theme and links the theme to an outcome with a reason.
The employee enters the receipt code on /kvittering/ and sees where both ideas went. Round 2
(prioritise, pairwise): HR takes the theme and a typed list as items and launches; the employee
answers "Which matters more?" pair by pair and submits; when the round closes the ranking appears
on HR's round page and on the process website. axe-core checks every page on the way.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from puls.browser_tests.conftest import Site, assert_accessible, log_in, visit
from puls.invitations import services as ballots
from puls.invitations.models import Invitation
from puls.invitations.services import TokenHolder
from puls.invitations.tests.conftest import add_people
from puls.invitations.tokens import token_for
from puls.participation import round_items, services
from puls.participation.models import Contribution, PairwiseChoice, Process, Round, RoundItem
from puls.participation.receipts import receipt_code_new

pytestmark = pytest.mark.browser

IDEAS = ["Faste pauser i løbet af dagen", "Mindre tid på dokumentation"]


@pytest.fixture
def browser_context_args(browser_context_args):
    # English, so the assertions read the source texts; Danish pages are covered elsewhere.
    return {**browser_context_args, "locale": "en-GB"}


def _round(process: Process, site: Site, title: str, kind: str, **settings: object) -> Round:
    now = timezone.now()
    return services.round_create(
        actor=site.personas.org_admin,
        process=process,
        settings=services.RoundSettings(
            title=title,
            kind=kind,
            opens_at=now - timedelta(minutes=5),
            closes_at=now + timedelta(days=7),
            settings=dict(settings),
        ),
    )


def _enter_with_code(page: Page, site: Site, round_: Round) -> None:
    """The employee types the code from their letter on /svar, as on a shared device."""
    invitation = Invitation.objects.get(ballot_id=round_.ballot_id, person=site.personas.employee_person)
    visit(page, site.url("invitations:code"))
    page.locator("main input[name=code]").fill(token_for(invitation.pk, invitation.issue_number))
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()


def _others_submit(round_: Round, site: Site, data: dict[str, object]) -> None:
    """Everyone else invited submits the same input through the service (a batch ≥ k)."""
    round_ = Round.objects.select_related("ballot").get(pk=round_.pk)
    for invitation in Invitation.objects.filter(ballot_id=round_.ballot_id).exclude(
        person=site.personas.employee_person
    ):
        holder = TokenHolder(ballot=round_.ballot, token=token_for(invitation.pk, invitation.issue_number))
        ballots.ballot_submit(holder=holder, data={"receipt_code": receipt_code_new(), **data})


def test_ideas_theme_outcome_receipt_then_pairwise_ranking(page: Page, browser: Browser, site: Site):
    personas = site.personas
    add_people(personas.org, personas.units["220"], 4, prefix="22")
    process = services.process_create(
        actor=personas.org_admin,
        organisation=personas.org,
        settings=services.ProcessSettings(title="Fælles værdier 2027", purpose="Vores fælles værdier"),
    )
    first = _round(process, site, "Runde 1: Udfordringer", "ideas")
    services.round_launch(actor=personas.org_admin, round_=first)

    # Round 1: two ideas, the review page, the receipt code.
    employee = browser.new_page(locale="en-GB")
    _enter_with_code(employee, site, first)
    employee.wait_for_url(re.compile(r"/dialogue/ideas/$"))
    assert_accessible(employee)
    for idea in IDEAS:
        employee.locator("#id_text").fill(idea)
        with employee.expect_navigation():
            employee.locator("main button[name=action][value=add]").click()
    assert_accessible(employee)
    with employee.expect_navigation():
        employee.locator("main button[name=action][value=supports]").click()
    employee.wait_for_url(re.compile(r"/dialogue/review/(#.*)?$"))
    assert_accessible(employee)
    for idea in IDEAS:
        expect(employee.locator("main")).to_contain_text(idea)
    with employee.expect_navigation():
        employee.locator("main form.puls-answer-form button[type=submit]").click()
    expect(employee.locator("h1")).to_contain_text("your input is submitted")
    assert_accessible(employee)
    code = employee.locator("#receipt-code").inner_text().strip()
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){3}", code), code

    # The others answer and the round closes: the ideas are published.
    _others_submit(first, site, {"ideas": [{"text": "Bedre overlevering", "category": ""}], "supports": []})
    services.round_close(actor=personas.org_admin, round_=first)

    # HR themes both ideas and links the theme to an outcome with a reason.
    log_in(page, site, "hr@testby.test")
    visit(page, site.org_url("participation:process_detail", process_id=process.pk))
    page.locator("#id_outcome-kind_0").check()
    page.locator("#id_outcome-title").fill("Vi passer på hinandens tid")
    with page.expect_navigation():
        page.locator("main form button", has_text="Add outcome").click()
    assert_accessible(page)
    page.locator("#id_theme-title").fill("Tid og ro")
    with page.expect_navigation():
        page.locator("main form button", has_text="Create theme").click()
    page.wait_for_url(re.compile(r"/themes/[0-9a-f-]+/$"))
    assert_accessible(page)
    for idea in IDEAS:
        page.locator("main label", has_text=idea).click()
    with page.expect_navigation():
        page.locator("main form button", has_text="Save the theme's contributions").click()
    outcome = page.locator("#id_outcome option", has_text="Vi passer på hinandens tid").get_attribute("value")
    page.locator("#id_outcome").select_option(outcome)
    page.locator("#id_reason").fill("Mange nævnte tid og ro; det blev værdien om tid.")
    with page.expect_navigation():
        page.locator("main form button", has_text="Link").first.click()
    expect(page.locator("main")).to_contain_text("Mange nævnte tid og ro")
    assert_accessible(page)
    assert Contribution.objects.filter(text__in=IDEAS, themes__title="Tid og ro").count() == 2

    # The employee enters the receipt code and sees where both ideas went.
    visit(employee, site.url("dialogue_receipt:receipt"))
    employee.locator("main input[name=code]").fill(code)
    with employee.expect_navigation():
        employee.locator("main form button[type=submit]").click()
    assert_accessible(employee)
    main = employee.locator("main")
    for idea in IDEAS:
        expect(main).to_contain_text(idea)
    expect(main).to_contain_text("Tid og ro")
    expect(main).to_contain_text("Mange nævnte tid og ro; det blev værdien om tid.")

    # Round 2: HR takes the theme and two typed items, chooses pairwise comparison, launches.
    second = _round(process, site, "Runde 2: Hvad er vigtigst?", "prioritise")
    round_page = site.org_url("participation:round_detail", process_id=process.pk, round_id=second.pk)
    visit(page, round_page)
    with page.expect_navigation():
        page.locator("main a", has_text="Items of the round").click()
    assert_accessible(page)
    page.locator("main label", has_text="Tid og ro").click()
    with page.expect_navigation():
        page.locator("main button[name=action][value=themes]").click()
    page.locator("#id_list-items").fill("Faglig sparring\nFærre møder")
    with page.expect_navigation():
        page.locator("main button[name=action][value=list]").click()
    page.locator("#id_settings-method_2").check()
    page.locator("#id_settings-pairs").fill("3")
    with page.expect_navigation():
        page.locator("main button[name=action][value=settings]").click()
    assert_accessible(page)
    expect(page.locator("#items + form li")).to_have_count(3)
    visit(page, round_page)
    with page.expect_navigation():
        page.locator("main form button", has_text="Launch round").click()
    expect(page.locator("main")).to_contain_text("The round was launched")

    # The employee compares the pairs: the item with "Tid" wins whenever it is shown.
    _enter_with_code(employee, site, second)
    employee.wait_for_url(re.compile(r"/dialogue/prioritise/$"))
    for number in range(1, 4):
        expect(employee.locator("main")).to_contain_text(f"{number} of 3")
        expect(employee.locator("legend")).to_contain_text("Which matters more?")
        assert_accessible(employee)
        choices = employee.locator("main button[name=choice]")
        titles = [choices.nth(0).inner_text(), choices.nth(1).inner_text()]
        pick = 1 if titles[1] == "Tid og ro" else 0
        with employee.expect_navigation():
            choices.nth(pick).click()
    employee.wait_for_url(re.compile(r"/dialogue/review/(#.*)?$"))
    assert_accessible(employee)
    expect(employee.locator("main")).to_contain_text("Tid og ro matters more than")
    with employee.expect_navigation():
        employee.locator("main form.puls-answer-form button[type=submit]").click()
    expect(employee.locator("h1")).to_contain_text("your input is submitted")
    assert_accessible(employee)
    assert PairwiseChoice.objects.filter(round=second).count() == 3

    items = {item.title: item.pk.hex for item in RoundItem.objects.filter(round=second)}
    pairs = [
        [items["Tid og ro"], items["Faglig sparring"]],
        [items["Tid og ro"], items["Færre møder"]],
        [items["Faglig sparring"], items["Færre møder"]],
    ]
    _others_submit(second, site, {"pairs": pairs})

    # Before close: no ranking. After close: the ranking, on HR's page and the process website.
    visit(page, round_page)
    expect(page.locator("main")).not_to_contain_text("Priorities, most important first")
    with page.expect_navigation():
        page.locator("main form button", has_text="Close round now").click()
    assert_accessible(page)
    table = page.locator("main table", has_text="Priorities, most important first")
    expect(table.locator("tbody tr").first).to_contain_text("Tid og ro")
    expect(table.locator("tbody tr").nth(1)).to_contain_text("Faglig sparring")
    expect(page.locator("main svg[role=img]")).to_have_count(1)
    visit(page, site.url("dialogue_site:round", org_slug="testby", process_id=process.pk, round_id=second.pk))
    table = page.locator("main table", has_text="Priorities, most important first")
    expect(table.locator("tbody tr").first).to_contain_text("Tid og ro")


def test_dot_voting_and_ranking_pages_are_accessible_and_need_no_javascript(page: Page, site: Site):
    personas = site.personas
    add_people(personas.org, personas.units["220"], 4, prefix="22")
    process = services.process_create(
        actor=personas.org_admin,
        organisation=personas.org,
        settings=services.ProcessSettings(title="Fælles værdier 2027"),
    )
    rounds = {}
    for method in ("dots", "ranking"):
        made = _round(process, site, f"Prioritering ({method})", "prioritise", method=method, dots=3)
        round_items.items_from_list(actor=personas.org_admin, round_=made, text="Tid\nRo\nFaglighed")
        services.round_launch(actor=personas.org_admin, round_=made)
        rounds[method] = made

    # Dot voting: too many dots is refused with the error at the group of fields.
    _enter_with_code(page, site, rounds["dots"])
    page.wait_for_url(re.compile(r"/dialogue/prioritise/$"))
    assert_accessible(page)
    page.get_by_label("Tid").fill("2")
    page.get_by_label("Faglighed").fill("2")
    with page.expect_navigation():
        page.locator("main button[type=submit]", has_text="Continue to review").click()
    expect(page.locator("#dots-error")).to_contain_text(
        "You have placed 4 dots, but you have 3. Take away 1."
    )
    assert_accessible(page)
    page.get_by_label("Faglighed").fill("1")
    page.get_by_label("Faglighed").press("Enter")
    page.wait_for_url(re.compile(r"/dialogue/review/$"))
    expect(page.locator("main table")).to_contain_text("Tid")
    assert_accessible(page)

    # Ranking: a place chosen in each native select, the list sorted, the review in that order.
    _enter_with_code(page, site, rounds["ranking"])
    page.wait_for_url(re.compile(r"/dialogue/prioritise/$"))
    assert_accessible(page)
    for place, title in enumerate(["Ro", "Faglighed", "Tid"], start=1):
        page.get_by_label(title).select_option(str(place))
    with page.expect_navigation():
        page.locator("main button[name=action][value=sort]").click()
    labels = page.locator("main .puls-ranking label").all_inner_texts()
    assert [label.strip() for label in labels] == ["Ro", "Faglighed", "Tid"]
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("main button[name=action][value=review]").click()
    assert_accessible(page)
    expect(page.locator("main ol li")).to_have_text(["Ro", "Faglighed", "Tid"])
