"""The unit tree works with the keyboard alone (WAI-ARIA disclosure pattern, see unit_tree.html)."""

import pytest
from playwright.sync_api import Page, expect

from puls.browser_tests.conftest import Site, assert_accessible, focused, log_in, tab_to, visit

pytestmark = pytest.mark.browser


def test_expand_a_unit_and_open_a_sub_unit_by_keyboard_only(page: Page, site: Site):
    units = site.personas.units
    log_in(page, site, site.personas.org_admin.email)
    visit(page, site.org_url("organisations:unit_tree"))

    toggle_200 = f'button[aria-controls="subunits-{units["200"].pk.hex}"]'
    expect(page.locator(toggle_200)).to_have_attribute("aria-expanded", "false")
    expect(page.locator(f"#subunits-{units['200'].pk.hex}")).to_be_hidden()

    tab_to(page, toggle_200)
    page.keyboard.press("Enter")
    expect(page.locator(toggle_200)).to_have_attribute("aria-expanded", "true")
    expect(page.locator(f"#subunits-{units['200'].pk.hex}")).to_be_visible()
    assert_accessible(page)

    # Space closes it again and opens it again: both keys work on the disclosure buttons.
    page.keyboard.press("Space")
    expect(page.locator(toggle_200)).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Space")
    expect(page.locator(toggle_200)).to_have_attribute("aria-expanded", "true")

    unit_210_path = site.org_path("organisations:unit_detail", unit_id=units["210"].pk)
    tab_to(page, f'a[href="{unit_210_path}"]', max_presses=5)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == site.base_url + unit_210_path
    expect(page.locator("h1")).to_contain_text("Skole A")
    assert_accessible(page)


def test_collapsed_sub_units_are_skipped_by_tab(page: Page, site: Site):
    units = site.personas.units
    log_in(page, site, site.personas.org_admin.email)
    visit(page, site.org_url("organisations:unit_tree"))

    tab_to(page, f'button[aria-controls="subunits-{units["200"].pk.hex}"]')
    page.keyboard.press("Tab")  # the link of 200
    page.keyboard.press("Tab")  # past the collapsed 210 and 220: the toggle of 300
    assert focused(page, f'button[aria-controls="subunits-{units["300"].pk.hex}"]')
