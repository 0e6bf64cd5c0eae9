"""Survey report pages in a browser: every page passes axe-core (colour contrast of the heatmap
included), and a keyboard user reaches a heatmap cell and opens its scale page."""

import pytest
from playwright.sync_api import Page, expect

from puls.browser_tests.conftest import Site, assert_accessible, focused, log_in, visit
from puls.surveys.reports.tests.report_setup import bank_build, stored_report

pytestmark = pytest.mark.browser

FIGURES = {"100": (40, 61.3, 55.0, 66.0), "200": (25, 58.2, 60.0, 63.0), "210": (12, 88.0, 30.0, 70.0)}


def report_for(site: Site):
    personas = site.personas
    stored = stored_report(personas.org, bank_build(organisation=personas.org))
    for code, (n, trust, demands, satisfaction) in FIGURES.items():
        unit = personas.units[code]
        stored.scale_row(unit, "trust", n=n, mean=trust, correlation=0.5 if n >= 25 else None)
        stored.scale_row(unit, "demands", n=n, mean=demands, correlation=-0.6 if n >= 25 else None)
        stored.scale_row(unit, "satisfaction", n=n, mean=satisfaction)
        stored.item_row(unit, "t1", n=n, distribution={"100": 3, "75": n - 5, "50": 1, "25": 1, "0": 0})
    for code in ("220", "300", "310"):
        for scale in ("trust", "demands", "satisfaction"):
            stored.scale_row(personas.units[code], scale)
        stored.item_row(personas.units[code], "t1")
    stored.scale_row(personas.units["100"], "trust", n=22, mean=20.0, attribute="job_group", value="Lærer")
    stored.scale_row(personas.units["100"], "trust", n=18, mean=97.0, attribute="job_group", value="Pædagog")
    stored.comments_row(personas.units["100"], shown=True)
    stored.comment(personas.units["210"], "Mere tid til forberedelse")
    return stored


def test_every_report_page_is_accessible(page: Page, site: Site):
    stored = report_for(site)
    personas = site.personas
    ids = {"survey_id": stored.survey.pk}
    root = {**ids, "unit_id": personas.units["100"].pk}
    log_in(page, site, personas.org_admin.email)
    for url in (
        site.org_url("surveys:report:list"),
        site.org_url("surveys:report:start", **ids),
        site.org_url("surveys:report:heatmap", **root),
        site.org_url("surveys:report:heatmap", **root) + "?attribute=job_group",
        site.org_url("surveys:report:scale", **root, scale_id=stored.bank.scales["trust"].pk),
        site.org_url("surveys:report:scale", **root, scale_id=stored.bank.scales["trust"].pk)
        + "?attribute=job_group",
        site.org_url("surveys:report:comments", **root),
        site.org_url("surveys:report:drivers", **root),
        site.org_url("surveys:report:guide", **ids),
        site.org_url("surveys:report:release", **ids),
        site.org_url("surveys:report:benchmark"),
    ):
        visit(page, url)


def test_keyboard_user_opens_a_scale_from_the_heatmap(page: Page, site: Site):
    stored = report_for(site)
    personas = site.personas
    log_in(page, site, personas.leader.email)
    unit = personas.units["210"].pk
    visit(page, site.org_url("surveys:report:overview", survey_id=stored.survey.pk, unit_id=unit))
    expect(page.locator("h1")).to_contain_text("Skole A")
    page.locator(".puls-report-tabs a").nth(1).click()
    expect(page.locator("table.puls-heatmap")).to_be_visible()
    assert_accessible(page)
    cell = "table.puls-heatmap td.puls-heat a"
    for _press in range(80):
        page.keyboard.press("Tab")
        if focused(page, cell):
            break
    else:
        raise AssertionError("no heatmap cell reached with Tab")
    assert page.evaluate("document.activeElement.textContent") == "88"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Tillid")
    assert_accessible(page)


def test_breaking_the_heatmap_down_swaps_the_table_in_place(page: Page, site: Site):
    stored = report_for(site)
    personas = site.personas
    log_in(page, site, personas.org_admin.email)
    root = {"survey_id": stored.survey.pk, "unit_id": personas.units["100"].pk}
    visit(page, site.org_url("surveys:report:heatmap", **root))
    expect(page.locator("table.puls-heatmap")).not_to_contain_text("Lærer")
    page.locator("#id_attribute").select_option("job_group")
    expect(page.locator("table.puls-heatmap")).to_contain_text("Lærer")
    expect(page).to_have_url(site.org_url("surveys:report:heatmap", **root) + "?attribute=job_group")
    expect(page.locator("table.puls-heatmap")).to_contain_text("97")
    assert_accessible(page)
