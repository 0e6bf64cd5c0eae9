"""In the browser: the progress of a large import updates by itself and moves on to the preview."""

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import Page, expect

from puls.browser_tests.conftest import assert_accessible, log_in, site, visit  # noqa: F401 - site is a fixture
from puls.organisations.imports.services import import_job_preview
from puls.organisations.models import ImportJob
from puls.organisations.tests.data.import_files import PEOPLE_HEADER, TESTBY_STAFF, csv_bytes

pytestmark = pytest.mark.browser


def test_progress_bar_polls_and_opens_the_preview_when_the_worker_is_done(page: Page, site):  # noqa: F811
    job = ImportJob(
        organisation=site.personas.org,
        kind=ImportJob.Kind.PEOPLE,
        original_name="alle.csv",
        status=ImportJob.Status.RUNNING,
        total_rows=len(TESTBY_STAFF),
        processed_rows=2,
        summary={"phase": "preview"},
    )
    job.file.save("alle.csv", ContentFile(csv_bytes([PEOPLE_HEADER, *TESTBY_STAFF])), save=False)
    job.save()
    log_in(page, site, site.personas.org_admin.email)
    visit(page, site.org_url("organisations:import_preview", job_id=job.pk))

    progress = page.locator("progress#import-progress-bar")
    expect(progress).to_have_attribute("value", "25")
    expect(page.locator("#import-progress-text")).to_contain_text("25 %")

    # The worker gets further: the page follows without a reload.
    ImportJob.objects.filter(pk=job.pk).update(processed_rows=6)
    expect(page.locator("#import-progress-text")).to_contain_text("75 %")
    expect(page.locator("#import-progress-text")).to_have_attribute("aria-live", "polite")
    assert_accessible(page)

    # The worker finishes: the browser is sent on to the preview.
    import_job_preview(job_id=job.pk)
    expect(page.locator("button[name=action][value=cancel]")).to_be_visible(timeout=5000)
    assert page.url.endswith(site.org_path("organisations:import_preview", job_id=job.pk))
    assert_accessible(page)


def test_import_pages_are_accessible_with_errors_and_at_320_px(page: Page, site):  # noqa: F811
    log_in(page, site, site.personas.org_admin.email)
    page.set_viewport_size({"width": 320, "height": 800})
    visit(page, site.org_url("organisations:import_start"))
    page.locator("#id_kind").select_option("people")
    page.locator("#id_file").set_input_files(
        files=[{"name": "forkert.csv", "mimeType": "text/csv", "buffer": b"Navn;CPR\r\nA;010180-1234\r\n"}]
    )
    with page.expect_navigation():
        page.locator("main form[enctype='multipart/form-data'] button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#error-summary")).to_be_focused()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320

    rows = [
        PEOPLE_HEADER,
        *TESTBY_STAFF[1:],
        ["7001", "Bo", "Fejl", "bo@", "210", "Lærer", "01-08-2025", "", "nej"],
    ]
    page.locator("#id_kind").select_option("people")
    page.locator("#id_file").set_input_files(
        files=[{"name": "medarbejdere.csv", "mimeType": "text/csv", "buffer": csv_bytes(rows)}]
    )
    with page.expect_navigation():
        page.locator("main form[enctype='multipart/form-data'] button[type=submit]").click()
    expect(page.locator("#import-error-rows tbody tr")).to_have_count(1)
    expect(page.locator("main td", has_text="Hanne Hansen")).to_be_visible()  # not in the file: ends
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
