"""Report exports in a browser: the buttons on the report page make the file in the background, the
page shows its progress (htmx) and then the download link, which gives the file; all accessible
and without CSP violations."""

import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from puls.browser_tests.conftest import Site, assert_accessible, log_in, visit
from puls.surveys.models import ReportExport
from puls.surveys.reports.tests.report_setup import bank_build, stored_report

pytestmark = pytest.mark.browser


def test_leader_downloads_the_xlsx_of_their_unit_from_the_report_page(page: Page, site: Site):
    personas = site.personas
    stored = stored_report(personas.org, bank_build(organisation=personas.org))
    unit = personas.units["210"]
    for scale, mean in (("trust", 71.4), ("demands", 48.0), ("satisfaction", 70.0)):
        stored.scale_row(unit, scale, n=12, mean=mean)
    stored.item_row(unit, "t1", n=12, distribution={"100": 6, "75": 6, "50": 0, "25": 0, "0": 0})
    log_in(page, site, personas.leader.email)
    visit(page, site.org_url("surveys:report:overview", survey_id=stored.survey.pk, unit_id=unit.pk))

    page.locator(".puls-report-export-form button[value='xlsx']").click()
    link = page.locator("#report-export a.button")
    expect(link).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "trivsel-2026-skole-a.xlsx"
    workbook = load_workbook(io.BytesIO(download.path().read_bytes()))
    heatmap = list(workbook["Heatmap"].iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[2]) for row in heatmap] == [("Skole A", 71.4)]

    # The export's own page (where the form leads without JavaScript) is accessible too.
    export = ReportExport.objects.get()
    visit(page, site.org_url("survey_report_export:status", survey_id=stored.survey.pk, export_id=export.pk))
    expect(page.locator("main a.button")).to_have_attribute("href", re.compile(r"/download/$"))
