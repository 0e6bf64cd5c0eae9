"""A round's results PDF on the process website, in a browser: the button makes the file in the
background, the page shows its progress (htmx) and then the download link, which gives the PDF;
accessible and without CSP violations, also on the export's own page (where the form leads without
JavaScript)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from puls.browser_tests.conftest import Site, assert_accessible, visit
from puls.invitations import services as ballots
from puls.invitations.models import Invitation
from puls.invitations.services import TokenHolder
from puls.invitations.tests.conftest import add_people
from puls.invitations.tokens import token_for
from puls.participation import services
from puls.participation.models import Process, Round, RoundExport
from puls.participation.receipts import receipt_code_new

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-GB"}


def _closed_public_round(site: Site) -> Round:
    """A public process whose ideas round closed with one idea from each of its invitees (≥ 10)."""
    personas = site.personas
    add_people(personas.org, personas.units["220"], 10, prefix="22")
    process = services.process_create(
        actor=personas.org_admin,
        organisation=personas.org,
        settings=services.ProcessSettings(title="Fælles værdier 2027", results=Process.Results.PUBLIC),
    )
    now = timezone.now()
    round_ = services.round_create(
        actor=personas.org_admin,
        process=process,
        settings=services.RoundSettings(
            title="Runde 1: Udfordringer",
            kind="ideas",
            opens_at=now - timedelta(minutes=5),
            closes_at=now + timedelta(days=7),
        ),
    )
    services.round_launch(actor=personas.org_admin, round_=round_)
    round_ = Round.objects.select_related("ballot").get(pk=round_.pk)
    invitations = Invitation.objects.filter(ballot_id=round_.ballot_id).order_by("person__employee_number")
    for number, invitation in enumerate(invitations):
        holder = TokenHolder(ballot=round_.ballot, token=token_for(invitation.pk, invitation.issue_number))
        ideas = [{"text": f"Idé nummer {number}", "category": ""}]
        ballots.ballot_submit(
            holder=holder, data={"receipt_code": receipt_code_new(), "ideas": ideas, "supports": []}
        )
    services.round_close(actor=personas.org_admin, round_=round_)
    return round_


def test_anyone_downloads_a_public_rounds_results_pdf_from_the_round_page(page: Page, site: Site):
    round_ = _closed_public_round(site)
    kwargs = {"org_slug": "testby", "process_id": round_.process_id, "round_id": round_.pk}
    visit(page, site.url("dialogue_site:round", **kwargs))
    expect(page.locator("main")).to_contain_text("Idé nummer 3")

    page.locator("main button", has_text="Results as PDF").click()
    link = page.locator("#round-pdf-export a.button", has_text="Download the PDF")
    expect(link).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "1-runde-1-udfordringer.pdf"
    assert download.path().read_bytes().startswith(b"%PDF")

    export = RoundExport.objects.get()
    visit(page, site.url("dialogue_site:round_pdf_status", **kwargs, export_id=export.pk))
    expect(page.locator("main a.button")).to_have_attribute("href", re.compile(r"/download/$"))
