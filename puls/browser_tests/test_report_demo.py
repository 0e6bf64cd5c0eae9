"""Issue 5's "done means", end to end on the demo municipality (`manage.py load_demo`'s builders).

The leader of Byg og Plan (whose sub-units are Byggesagsafdelingen and Plan og Udvikling, where only
four people answered the 2026 survey) logs in, opens their heatmap for the 2026 survey, follows a
cell to the scale page with the trend from 2025, and downloads the PDF and the XLSX of the same
report through the export buttons (made by a background task, then the download link). Then:

* the heatmap page, the PDF's heatmap and the XLSX's heatmap sheet hold the same numbers, and the
  unit's scores and respondents on its scale pages are those of the PDF's summary and the XLSX;
* Plan og Udvikling reads "Hidden for anonymity" with no number in all three;
* it cannot be worked out by subtraction: for every scale, in every output (and in all of them
  put together), Byg og Plan's respondents minus its shown sub-units' respondents is not shown or
  at least k (SUPPRESSION.md rule 2).

None of the demo logins leads a unit above Plan og Udvikling (the demo's leader heads a school), so
the test gives the generated leader of Byg og Plan a login, as activating their account would.
"""

import io
import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pytest
from django.utils import translation
from openpyxl import load_workbook
from playwright.sync_api import Download, Page, expect

from puls.browser_tests.conftest import Site, assert_accessible, log_in, visit
from puls.invitations.models import Ballot
from puls.organisations import services as org_services
from puls.organisations.demo.generator import demo_load
from puls.organisations.demo.structure import DEMO_SLUG
from puls.organisations.models import Organisation, Role, RoleAssignment, Unit
from puls.surveys.demo.generator import surveys_demo_create
from puls.surveys.models import Survey
from puls.surveys.reports.presentation import score_text
from puls.testing import PASSWORD, Personas

pytestmark = pytest.mark.browser

HIDDEN_UNIT = "Plan og Udvikling"
HIDDEN = "Hidden for anonymity"
NUMBER = re.compile(r"\d+")
HEATMAP = "surveys:report:heatmap"
OVERVIEW = "surveys:report:overview"


@pytest.fixture
def browser_context_args(browser_context_args):
    # English pages and files, so the test reads the English texts.
    return {**browser_context_args, "locale": "en-GB"}


@dataclass
class Demo:
    site: Site
    organisation: Organisation
    hidden: Unit
    parent: Unit
    siblings: list[Unit]
    leader_email: str
    survey: Survey
    previous: Survey
    k: int


@pytest.fixture
def demo(live_server, transactional_db) -> Demo:
    with translation.override("en"):
        demo_load()
        organisation = Organisation.objects.get(slug=DEMO_SLUG)
        surveys_demo_create(organisation=organisation)
    hidden = Unit.objects.get(organisation=organisation, name=HIDDEN_UNIT)
    parent = hidden.parent
    assert parent is not None
    # The generated unit leader of the hidden unit's parent gets a login.
    leader = RoleAssignment.objects.get(role=Role.UNIT_LEADER, units=parent).person
    user = org_services.user_for_person(person=leader)
    user.is_active = True
    user.set_password(PASSWORD)
    user.save()
    survey, previous = (
        Survey.objects.filter(organisation=organisation, ballot__status=Ballot.Status.CLOSED)
        .select_related("ballot", "report")
        .order_by("-ballot__opens_at")[:2]
    )
    assert survey.previous_survey == previous
    return Demo(
        # The personas are not built: the demo organisation has its own people.
        site=Site(base_url=live_server.url, personas=cast(Personas, None)),
        organisation=organisation,
        hidden=hidden,
        parent=parent,
        siblings=list(Unit.objects.filter(parent=parent).exclude(pk=hidden.pk).order_by("code")),
        leader_email=user.email,
        survey=survey,
        previous=previous,
        k=survey.report.k,
    )


@dataclass
class Output:
    """What one output shows: per unit the score texts in heatmap (scale) order, and the
    respondents (n) per unit and scale where it shows them."""

    name: str
    heatmap: dict[str, list[str]] = field(default_factory=dict)
    n: dict[str, dict[str, int]] = field(default_factory=dict)


# The report page --------------------------------------------------------------------------------------


def page_heatmap(page: Page) -> tuple[list[str], dict[str, list[str]]]:
    headings = page.locator("#heatmap-table thead th.puls-heat-scale > span:first-child")
    scales = [text.strip() for text in headings.all_inner_texts()]
    rows = {}
    for row in page.locator("#heatmap-table tbody tr").all():
        rows[row.locator("th").first.inner_text().strip()] = [
            text.strip() for text in row.locator("td").all_inner_texts()
        ]
    return scales, rows


def scale_page_figures(page: Page) -> tuple[str, int | None]:
    """The score text and the respondents of the scale page's unit (None, None when hidden)."""
    section = page.locator("section[aria-labelledby=score-heading]")
    figures = section.locator("dd").all_inner_texts()
    if not figures:
        expect(section).to_contain_text(HIDDEN)
        assert not NUMBER.search(section.inner_text().split("\n", 1)[1])
        return "", None
    score, n = (text.strip() for text in figures)
    return score, int(n)


def trend_rows(page: Page) -> list[list[str]]:
    rows = page.locator("section[aria-labelledby=trend-heading] table tbody tr").all()
    return [[row.locator("th").inner_text().strip(), *row.locator("td").all_inner_texts()] for row in rows]


def download(page: Page, fmt: str) -> bytes:
    """Make the export with the report page's button (a background task) and download the file."""
    page.locator(f".puls-report-export-form button[value='{fmt}']").click()
    link = page.locator("#report-export a.button", has_text=fmt.upper())
    expect(link).to_be_visible(timeout=120_000)
    assert_accessible(page)
    with page.expect_download() as download_info:
        link.click()
    file: Download = download_info.value
    assert file.suggested_filename.endswith(f".{fmt}")
    return file.path().read_bytes()


# The PDF --------------------------------------------------------------------------------------------


def pdf_text(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(  # noqa: S603 - fixed command on a file we wrote
        ["/usr/bin/pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return [page for page in text.split("\f") if page.strip()]


def pdf_heatmap_line(pages: Iterable[str], unit: str) -> str:
    """The unit's row of the printed heatmap (not the running header, which names the report's unit)."""
    (line,) = [
        line
        for page in pages
        for line in page.splitlines()
        if re.match(rf"\s*{re.escape(unit)}\s+\S", line) and "Page " not in line
    ]
    return line


def pdf_trend(pages: list[str], scale: str) -> list[str]:
    """The scores printed in the trend chart of the scale's page, oldest survey first (the chart's
    y-axis labels stand at the start of their lines; the survey titles are below the chart)."""
    page = next(
        page
        for page in pages
        if re.search(rf"^{re.escape(scale)}$", page, flags=re.M) and re.search(r"^Trend$", page, flags=re.M)
    )
    chart = re.split(r"^Trend$", page, flags=re.M)[1].split("Trivselsmåling", 1)[0]
    points = [
        (match.start(), match.group())
        for line in chart.splitlines()
        for match in NUMBER.finditer(line)
        if line[: match.start()].strip()  # not an axis label
        or match.start() > 12
    ]
    return [value for _column, value in sorted(points)]


def pdf_output(pages: list[str], demo: Demo, units: list[str], scales: list[str]) -> Output:
    output = Output("PDF")
    heatmap_pages = [page for page in pages if HIDDEN_UNIT in page]
    assert len(heatmap_pages) == 1, "the PDF's heatmap is one page with the hidden unit on it"
    for unit in units:
        line = pdf_heatmap_line(heatmap_pages, unit)
        output.heatmap[unit] = NUMBER.findall(line[line.index(unit) + len(unit) :])
    # The summary's table of all scales: the unit's score, respondents, previous score and change.
    text = "\n".join(pages)
    table = text.split("All scales, and the change since", 1)[1].split("Changes of 5 points", 1)[0]
    for scale in scales:
        found = re.search(rf"^\s*{re.escape(scale)}\s+(\d+)\s+(\d+)\s", table, flags=re.M)
        assert found is not None, scale
        output.n.setdefault(demo.parent.name, {})[scale] = int(found.group(2))
    return output


# The XLSX -------------------------------------------------------------------------------------------


def xlsx_output(data: bytes, demo: Demo, scales: list[str]) -> tuple[Output, Any]:
    workbook = load_workbook(io.BytesIO(data))
    output = Output("XLSX")
    sheet = workbook["Heatmap"]
    rows = list(sheet.iter_rows(values_only=True))
    assert [str(name) for name in rows[0][2:]] == scales
    for row in rows[1:]:
        output.heatmap[str(row[0])] = [
            score_text(value) if isinstance(value, float | int) else str(value) for value in row[2:]
        ]
    overview: dict[str, tuple[Any, ...]] = {}
    for row in workbook["Overview"].iter_rows(values_only=True):
        if row and row[0]:  # the table of all scales comes before the most and least favourable
            overview.setdefault(str(row[0]), row)
    for scale in scales:
        n = overview[scale][2]
        if isinstance(n, int):
            output.n.setdefault(demo.parent.name, {})[scale] = n
    return output, workbook


# Checks ---------------------------------------------------------------------------------------------


def assert_no_subtraction_finds_the_hidden_unit(output: Output, demo: Demo, scales: list[str]) -> None:
    """Rule 2 on what the output shows: the parent's n minus its shown sub-units' n is either not
    shown (some n missing) or 0 or at least k. The hidden unit itself shows no n."""
    assert HIDDEN_UNIT not in output.n, output.name
    parent = demo.parent.name
    for index, scale in enumerate(scales):
        parent_n = output.n.get(parent, {}).get(scale)
        shown = [
            sibling.name
            for sibling in demo.siblings
            if NUMBER.fullmatch(output.heatmap.get(sibling.name, [""] * len(scales))[index] or "")
        ]
        sibling_n = [output.n.get(name, {}).get(scale) for name in shown]
        if parent_n is None or any(n is None for n in sibling_n):
            continue  # the output does not show the numbers the subtraction needs
        residual = parent_n - sum(cast(list[int], sibling_n))
        assert residual == 0 or residual >= demo.k, (output.name, scale, parent_n, sibling_n)


def open_own_heatmap(page: Page, demo: Demo) -> None:
    """From the list of reports to the heatmap of the leader's unit, as a leader clicks there."""
    site = demo.site
    visit(page, site.url("surveys:report:list", org_slug=DEMO_SLUG))
    page.get_by_role("link", name=demo.survey.ballot.title).click()
    # Results are released to everyone too, so the leader may also see the organisation (every
    # employee sees it), but the report opens on the unit they lead; the picker leads to the rest.
    expect(page.locator("h1")).to_have_text(f"Overview: {demo.parent.name}")
    assert_accessible(page)
    page.locator(".puls-report-tabs a", has_text="Heatmap").click()
    expect(page.locator("h1")).to_have_text(f"Heatmap: {demo.parent.name}")
    root_id = demo.parent.ancestor_ids[0]
    for unit_id, name in ((root_id, demo.organisation.name), (demo.parent.pk, demo.parent.name)):
        page.locator("#report-unit").select_option(str(unit_id))
        page.locator(".puls-report-picker button[type=submit]").click()
        expect(page.locator("h1")).to_have_text(f"Heatmap: {name}")
    assert_accessible(page)


def read_scale_pages(page: Page, demo: Demo, scales: list[str], pages: Output) -> None:
    """Every scale page of the parent and of its shown sub-units, reached from their heatmaps:
    the score must be the heatmap's, and the respondents are what the pages show."""
    site = demo.site
    for unit in (demo.parent, *demo.siblings):
        visit(page, site.url(HEATMAP, org_slug=DEMO_SLUG, survey_id=demo.survey.pk, unit_id=unit.pk))
        links = page.locator("#heatmap-table tbody tr").first.locator("td a")
        hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
        assert len(hrefs) == len(scales)
        for index, href in enumerate(hrefs):
            if index == 0:
                visit(page, site.base_url + str(href))  # axe-core on one scale page per unit
            else:
                page.goto(site.base_url + str(href))
            score, n = scale_page_figures(page)
            assert score == pages.heatmap[unit.name][index], (unit.name, scales[index])
            assert n is not None
            pages.n.setdefault(unit.name, {})[scales[index]] = n
    # The hidden unit's own heatmap: every cell hidden, each leading to the explanation.
    visit(page, site.url(HEATMAP, org_slug=DEMO_SLUG, survey_id=demo.survey.pk, unit_id=demo.hidden.pk))
    assert page_heatmap(page)[1] == {HIDDEN_UNIT: [HIDDEN] * len(scales)}
    hrefs = page.locator(".puls-heat a").evaluate_all("links => links.map(link => link.href)")
    assert len(hrefs) == len(scales)
    assert all(href.endswith("#hidden") for href in hrefs)


def test_leader_sees_the_2026_heatmap_and_trend_and_downloads_the_same_numbers(
    page: Page, demo: Demo, tmp_path: Path
):
    site = demo.site
    log_in(page, site, demo.leader_email)
    open_own_heatmap(page, demo)
    scales, heatmap = page_heatmap(page)
    units = [demo.parent.name, *(sibling.name for sibling in demo.siblings), HIDDEN_UNIT]
    assert sorted(heatmap) == sorted(units)
    assert len(scales) >= 20
    assert heatmap[HIDDEN_UNIT] == [HIDDEN] * len(scales)
    for unit in units[:-1]:
        assert all(NUMBER.fullmatch(text) for text in heatmap[unit]), unit
    pages = Output("report pages", heatmap=heatmap)

    # A cell leads to its scale page: the unit's score and respondents, and the trend from 2025.
    page.locator("#heatmap-table tbody tr", has_text=demo.parent.name).locator("td a").first.click()
    expect(page.locator("h1")).to_have_text(scales[0])
    assert_accessible(page)
    score, _n = scale_page_figures(page)
    assert score == heatmap[demo.parent.name][0]
    trend = trend_rows(page)
    assert [row[0] for row in trend] == [demo.previous.ballot.title, demo.survey.ballot.title]
    assert all(NUMBER.fullmatch(row[2]) and NUMBER.fullmatch(row[3]) for row in trend), trend
    assert trend[1][2] == score
    expect(page.locator("section[aria-labelledby=trend-heading] svg")).to_have_count(1)
    read_scale_pages(page, demo, scales, pages)

    # The PDF and the XLSX of the same report, made from the overview page's buttons.
    visit(page, site.url(OVERVIEW, org_slug=DEMO_SLUG, survey_id=demo.survey.pk, unit_id=demo.parent.pk))
    pdf = pdf_text(download(page, "pdf"), tmp_path)
    xlsx, workbook = xlsx_output(download(page, "xlsx"), demo, scales)
    printed = pdf_output(pdf, demo, units, scales)

    # The same numbers in all three, and the hidden unit without any.
    for unit in units[:-1]:
        assert printed.heatmap[unit] == heatmap[unit], unit
        assert xlsx.heatmap[unit] == heatmap[unit], unit
    assert printed.heatmap[HIDDEN_UNIT] == []
    assert xlsx.heatmap[HIDDEN_UNIT] == [HIDDEN] * len(scales)
    for line in (line for page_text in pdf for line in page_text.splitlines() if HIDDEN_UNIT in line):
        assert not NUMBER.search(line.replace(HIDDEN_UNIT, "")), line
    assert printed.n[demo.parent.name] == pages.n[demo.parent.name]
    assert xlsx.n[demo.parent.name] == pages.n[demo.parent.name]
    # The trend of the first scale: the scale page's scores (and respondents) in the PDF and the XLSX.
    assert pdf_trend(pdf, scales[0]) == [row[2] for row in trend]
    sheet = next(name for name in workbook.sheetnames if name.startswith(scales[0][:31]))
    xlsx_trend = [
        [str(row[0]), score_text(row[1]), str(row[2])]
        for row in workbook[sheet].iter_rows(values_only=True)
        if row and str(row[0]) in (demo.previous.ballot.title, demo.survey.ballot.title)
    ]
    assert xlsx_trend == [[row[0], row[2], row[3]] for row in trend]

    # No output lets anyone subtract down to the hidden unit, alone or put together.
    combined = Output("all outputs", heatmap=heatmap)
    for output in (pages, printed, xlsx):
        assert_no_subtraction_finds_the_hidden_unit(output, demo, scales)
        for unit, counts in output.n.items():
            for scale, n in counts.items():
                assert combined.n.setdefault(unit, {}).setdefault(scale, n) == n, (output.name, unit, scale)
    assert all(len(combined.n.get(sibling.name, {})) == len(scales) for sibling in demo.siblings)
    assert_no_subtraction_finds_the_hidden_unit(combined, demo, scales)
