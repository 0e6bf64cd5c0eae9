"""WCAG 1.4.10 reflow: at 320 CSS pixels the pages scroll vertically only."""

import pytest
from playwright.sync_api import Page

from puls.browser_tests.conftest import Site, log_in, visit

pytestmark = pytest.mark.browser

WIDTH = 320


# Elements wider than the screen are allowed only inside a region that scrolls on its own (tables).
OVERFLOWING = """(width) => [...document.querySelectorAll('body *')].filter((element) => {
    for (let p = element.parentElement; p && p !== document.body; p = p.parentElement) {
        if (["auto", "scroll"].includes(getComputedStyle(p).overflowX)) return false;
    }
    return element.getBoundingClientRect().right > width + 0.5;
}).map((element) => element.tagName + '.' + element.className)"""


def assert_no_horizontal_scrolling(page: Page) -> None:
    assert page.evaluate(OVERFLOWING, WIDTH) == [], f"{page.url} has content wider than {WIDTH}px"
    # One pixel of sub-pixel rounding in Chromium's document width is not a scrollable page.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH + 1, f"{page.url} is {width}px wide at a {WIDTH}px viewport"


def test_pages_fit_a_320_pixel_wide_screen(page: Page, site: Site):
    page.set_viewport_size({"width": WIDTH, "height": 720})
    visit(page, site.url("core:login"))
    assert_no_horizontal_scrolling(page)

    log_in(page, site, site.personas.org_admin.email)
    assert_no_horizontal_scrolling(page)
    for url in (
        site.org_url("organisations:unit_tree"),
        site.org_url("organisations:unit_detail", unit_id=site.personas.units["210"].pk),
        site.org_url("organisations:person_list"),
        site.org_url("organisations:person_detail", person_id=site.personas.employee_person.pk),
        site.org_url("organisations:role_list"),
        site.org_url("organisations:import_start"),
        site.org_url("organisations:audit_log"),
        site.url("core:privacy"),
    ):
        visit(page, url)
        assert_no_horizontal_scrolling(page)
