"""Logging in, what each persona sees, the skip link, language switching and the public pages."""

import re

import pytest
from playwright.sync_api import Page, expect

from puls.browser_tests.conftest import Site, assert_accessible, focused, log_in, visit

pytestmark = pytest.mark.browser


def test_hr_logs_in_through_the_form_and_lands_on_the_dashboard(page: Page, site: Site):
    log_in(page, site, site.personas.org_admin.email)

    assert page.url == site.org_url("organisations:dashboard")
    expect(page.locator("h1")).to_have_count(1)
    menu = page.get_by_role("navigation").filter(has=page.locator(".mainmenu"))
    for name in ("unit_tree", "person_list", "role_list", "import_start", "audit_log"):
        path = site.org_path(f"organisations:{name}")
        expect(menu.locator(f'a[href="{path}"]')).to_be_visible()


def test_wrong_password_shows_an_accessible_error_and_keeps_the_user_out(page: Page, site: Site):
    visit(page, site.url("core:login"))
    page.locator("#id_username").fill(site.personas.org_admin.email)
    page.locator("#id_password").fill("forkert-kodeord")
    page.locator("main form button[type=submit]").click()

    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#error-summary")).to_be_focused()
    assert page.url.startswith(site.url("core:login"))
    assert_accessible(page)


def test_leader_sees_only_their_own_subtree(page: Page, site: Site):
    units = site.personas.units
    log_in(page, site, site.personas.leader.email)
    assert page.url == site.org_url("organisations:dashboard")

    page.get_by_role("navigation").locator(f'a[href="{site.org_path("organisations:unit_tree")}"]').click()
    page.wait_for_url(site.org_url("organisations:unit_tree"))
    assert_accessible(page)
    tree_links = page.locator("#unit-tree a")
    expect(tree_links).to_have_count(1)
    expect(tree_links).to_have_attribute(
        "href", site.org_path("organisations:unit_detail", unit_id=units["210"].pk)
    )

    visit(page, site.org_url("organisations:person_list"))
    results = page.locator("#person-results")
    expect(results).to_contain_text("Leder")
    expect(results).to_contain_text("Anna0")
    expect(results).not_to_contain_text("Ansat")  # Erik works in 220, outside the leader's subtree
    expect(results).not_to_contain_text("Hansen")

    # Typing the address of a unit outside the subtree shows "not found", not the unit, and
    # the error page is a page of the site: menu, one heading, a way on.
    visit(page, site.org_url("organisations:unit_detail", unit_id=units["220"].pk), status=404)
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("main")).not_to_contain_text("Skole B")
    expect(page.locator("main a")).not_to_have_count(0)

    # A page the leader's role does not cover says so (403), in the same layout.
    visit(page, site.org_url("organisations:role_list"), status=403)
    expect(page.locator("h1")).to_have_count(1)


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_main_content(page: Page, site: Site):
    log_in(page, site, site.personas.org_admin.email)
    visit(page, site.org_url("organisations:unit_tree"))

    page.keyboard.press("Tab")
    assert focused(page, "a.skipnav")
    expect(page.locator("a.skipnav")).to_be_visible()
    page.keyboard.press("Enter")

    assert page.url.endswith("#main-content")
    assert focused(page, "main#main-content")
    # The next Tab continues inside the main content, past the header and the menu.
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('main-content').contains(document.activeElement)")


def test_language_switch_to_english_and_back(page: Page, site: Site):
    log_in(page, site, site.personas.employee.email)
    dashboard = site.org_url("organisations:dashboard")
    assert page.url == dashboard
    expect(page.locator("html")).to_have_attribute("lang", "da")

    with page.expect_navigation():
        page.locator('button[name="language"][value="en"]').click()
    assert page.url == dashboard
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator('button[name="language"][value="da"]')).to_be_visible()
    assert_accessible(page)

    # The choice sticks while moving on to another page.
    visit(page, site.url("core:privacy"))
    expect(page.locator("html")).to_have_attribute("lang", "en")

    with page.expect_navigation():
        page.locator('button[name="language"][value="da"]').click()
    assert page.url == site.url("core:privacy")
    expect(page.locator("html")).to_have_attribute("lang", "da")
    expect(page.locator('button[name="language"][value="en"]')).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("name", ["core:privacy", "core:accessibility"])
def test_public_pages_are_accessible_without_logging_in(page: Page, site: Site, name: str):
    visit(page, site.url(name))
    expect(page.locator("h1")).to_have_count(1)
    # Both are linked from the footer of every page.
    footer_link = page.locator(f'footer a[href="{site.path(name)}"]')
    expect(footer_link).to_be_visible()
    assert re.search(r"\S", page.locator("main").inner_text())
