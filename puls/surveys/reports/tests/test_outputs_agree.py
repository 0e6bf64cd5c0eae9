"""The report pages, the PDF and the XLSX say the same thing about a figure:

- a change or difference is marked notable exactly when the number shown for it is 5 or more
  (4.5 shows as 5 and is notable, 4.4 shows as 4 and is not, −4.5 and −5.2 both show as −5);
- "Hidden for anonymity" stands only where suppression hid a result; a shown result without a number
  (a mean missing, an item without a score, nothing to compare with) reads "–".

One stored report (figures chosen for the boundaries), rendered once for the module as HR sees it, in
English: Skole A (210) for the notable marks against the previous survey, the organisation and the
unit above; Plejecenter (310) for results without a number. The PDF is read as text (pdftotext), the
XLSX with openpyxl, the pages as HTML.
"""

import html
import io
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from openpyxl.workbook import Workbook

from puls.organisations.scoping import access_build
from puls.surveys.reports import selectors
from puls.surveys.reports.exports.content import content_build
from puls.surveys.reports.exports.pdf import report_pdf
from puls.surveys.reports.exports.xlsx import report_xlsx
from puls.surveys.reports.presentation import HIDDEN_TEXT, NO_FIGURE, number_text
from puls.surveys.reports.tests.report_setup import bank_build, stored_report
from puls.testing import build_personas

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"

# The marker makes pytest-django create the test database, which the module fixture fills.
pytestmark = pytest.mark.django_db

SCALES = {"trust": "Trust", "demands": "Demands", "satisfaction": "Job satisfaction"}
ORGANISATION = "The whole organisation"
PARENT = "Børn og Unge (the unit above)"

# (n, trust, demands, satisfaction) of the survey and of the previous one; None: hidden.
CURRENT = {
    "100": (40, 60.0, 50.0, 69.3),
    "200": (25, 60.1, 59.0, 70.0),
    "210": (12, 64.5, 54.4, 64.8),
    "300": (15, 55.0, 50.0, 60.0),
}
PREVIOUS = {"210": (12, 60.0, 50.0, 70.0)}

# Skole A's changes since the previous survey: 4.5, 4.4 (4.399999999999999) and −5.2.
CHANGES = {"Trust": ("+5", True), "Demands": ("+4", False), "Job satisfaction": ("-5", True)}
# Skole A against the organisation and Børn og Unge: 4.5 / 4.4, 4.4 / −4.6, −4.5 / −5.2.
DIFFERENCES = {
    "Trust": {ORGANISATION: ("+5", True), PARENT: ("+4", False)},
    "Demands": {ORGANISATION: ("+4", False), PARENT: ("-5", True)},
    "Job satisfaction": {ORGANISATION: ("-5", True), PARENT: ("-5", True)},
}


@dataclass
class Output:
    """One unit's report in the three forms."""

    pages: dict[str, str]  # "overview", "heatmap" and each scale code -> the page's HTML
    pdf: list[str]  # pdftotext -layout, one string per page
    xlsx: Workbook

    def sheet(self, name: str) -> list[tuple]:
        return [tuple(row) for row in self.xlsx[name].iter_rows(values_only=True)]

    def pdf_page(self, text: str) -> str:
        return next(page for page in self.pdf if text in page)


@dataclass
class Outputs:
    skole_a: Output
    plejecenter: Output


def _pdf_text(pdf: bytes, directory: Path) -> list[str]:
    path = directory / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(  # noqa: S603 - fixed command on a file we wrote
        ["/usr/bin/pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return [page for page in text.split("\f") if page.strip()]


@pytest.fixture(scope="module")
def outputs(django_db_setup, django_db_blocker, tmp_path_factory) -> Outputs:
    with django_db_blocker.unblock(), transaction.atomic():
        personas = build_personas()
        units = personas.units
        bank = bank_build(organisation=personas.org)
        previous = stored_report(personas.org, bank, title="Trivsel 2024", closed_days_ago=400)
        for code, (n, *means) in PREVIOUS.items():
            for scale, mean in zip(SCALES, means, strict=True):
                previous.scale_row(units[code], scale, n=n, mean=mean)
        stored = stored_report(personas.org, bank, previous=previous.survey)
        for code, (n, *means) in CURRENT.items():
            for scale, mean in zip(SCALES, means, strict=True):
                stored.scale_row(units[code], scale, n=n, mean=mean)
        for scale in SCALES:
            stored.scale_row(units["220"], scale)  # hidden
        # Plejecenter: trust shown with its n but without a mean, the other scales hidden; one item
        # shown without a score, the other hidden.
        stored.scale_row(units["310"], "trust", n=9, mean=None, sd=None)
        stored.scale_row(units["310"], "demands")
        stored.scale_row(units["310"], "satisfaction")
        stored.item_row(units["310"], "t1", n=9, distribution={"100": 4, "75": 5, "50": 0, "25": 0, "0": 0})
        stored.item_row(units["310"], "t2")
        stored.item_row(units["210"], "t1", n=12, mean=87.5, distribution={"100": 6, "75": 6})

        hr = personas.org_admin
        access = access_build(user=hr, organisation=personas.org)
        assert access is not None
        report = selectors.report_get(access=access, survey_id=stored.survey.pk)
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(hr, backend=MODEL_BACKEND)

        def render(code: str) -> Output:
            unit = units[code]
            ids = {"org_slug": "testby", "survey_id": stored.survey.pk, "unit_id": unit.pk}
            pages = {}
            for name in ("overview", "heatmap"):
                response = client.get(reverse(f"surveys:report:{name}", kwargs=ids))
                assert response.status_code == 200
                pages[name] = response.content.decode()
            for scale_code, scale in bank.scales.items():
                response = client.get(reverse("surveys:report:scale", kwargs={**ids, "scale_id": scale.pk}))
                assert response.status_code == 200
                pages[scale_code] = response.content.decode()
            with translation.override("en"):
                content = content_build(access=access, report=report, unit=unit)
                pdf = report_pdf(content=content)
                target = io.BytesIO()
                report_xlsx(content=content_build(access=access, report=report, unit=unit), target=target)
            return Output(
                pages=pages,
                pdf=_pdf_text(pdf, tmp_path_factory.mktemp(f"pdf-{code}")),
                xlsx=load_workbook(io.BytesIO(target.getvalue())),
            )

        result = Outputs(skole_a=render("210"), plejecenter=render("310"))
        transaction.set_rollback(True)
    return result


# Reading the three outputs ---------------------------------------------------------------------------

HIDDEN = "Hidden for anonymity"  # HIDDEN_TEXT in English, the text the pages show


def _text(fragment: str) -> str:
    """Visible text of an HTML fragment, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def page_rows(page: str, caption: str) -> list[list[str]]:
    """The cell texts (row heading first) of each body row of the page's table with this caption."""
    for table in re.findall(r"<table.*?</table>", page, flags=re.S):
        found = re.search(r"<caption[^>]*>(.*?)</caption>", table, flags=re.S)
        if found and caption in _text(found.group(1)):
            body = table.split("<tbody>", 1)[1]
            return [
                [_text(cell) for cell in re.findall(r"<t[hd][ >].*?</t[hd]>", row, flags=re.S)]
                for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
            ]
    raise AssertionError(f"no table {caption!r}")


def page_row(page: str, caption: str, heading: str) -> list[str]:
    return next(row for row in page_rows(page, caption) if row[0].startswith(heading))


def pdf_row(page: str, heading: str) -> list[str]:
    """A table line of a PDF page, split into its columns (pdftotext -layout keeps them apart)."""
    line = next(
        line
        for line in page.splitlines()
        if re.match(rf"\s*{re.escape(heading)}\s{{2,}}", line) and "Page " not in line  # not the footer
    )
    return re.split(r"\s{2,}", line.strip())


def pdf_scale_page(output: Output, scale: str) -> str:
    return next(
        page for page in output.pdf if re.search(rf"^WORK\s*\n\s*{re.escape(scale)}(\s|$)", page, re.M)
    )


def xlsx_row(output: Output, sheet: str, heading: str) -> tuple:
    return next(row for row in output.sheet(sheet) if row[0] == heading)


def mark(text: str) -> tuple[str, bool]:
    """(the number shown, whether it is marked notable) from a cell's text."""
    found = re.search(r"[+-]?\d+", text)
    assert found is not None, text
    return found.group(0), "notable" in text or "▲" in text or "▼" in text


def xlsx_mark(difference: float, notable: object) -> tuple[str, bool]:
    # The cell holds the figure and shows it with the number format "0", which rounds half away
    # from zero like `presentation.number_text`.
    return number_text(difference, signed=True), notable == "yes"


# Notable ----------------------------------------------------------------------------------------------


def test_the_hidden_marker_is_the_pages_text():
    with translation.override("en"):
        assert str(HIDDEN_TEXT) == HIDDEN


def test_a_change_is_notable_when_the_change_shown_is_5_or_more(outputs):
    output = outputs.skole_a
    summary = output.pdf_page("All scales, and the change since").split("All scales, and the change since")[1]
    for scale, expected in CHANGES.items():
        page = page_row(output.pages["overview"], "Scale scores (0–100) for Skole A", scale)
        assert mark(page[-1]) == expected, scale
        assert mark(pdf_row(summary, scale)[-1]) == expected, scale
        row = xlsx_row(output, "Overview", scale)
        assert xlsx_mark(row[4], row[5]) == expected, scale


def test_a_difference_is_notable_when_the_difference_shown_is_5_or_more(outputs):
    output = outputs.skole_a
    for code, scale in SCALES.items():
        pdf_page = pdf_scale_page(output, scale)
        for label, expected in DIFFERENCES[scale].items():
            page = page_row(output.pages[code], "Skole A compared with others", label)
            assert mark(page[-1]) == expected, (scale, label)
            assert mark(pdf_row(pdf_page, label)[-1]) == expected, (scale, label)
            row = xlsx_row(output, scale, label)
            assert xlsx_mark(row[2], row[3]) == expected, (scale, label)


# Results without a number -----------------------------------------------------------------------------


def test_a_shown_scale_without_a_mean_reads_a_dash_and_only_hidden_scales_read_hidden(outputs):
    output = outputs.plejecenter
    overview = output.pages["overview"]
    summary_page = output.pdf_page("All scales, and the change since")
    summary = summary_page.split("All scales, and the change since")[1]
    caption = "Scale scores (0–100) for Plejecenter"
    # Score, respondents, previous survey, change.
    assert page_row(overview, caption, "Trust")[1:] == [NO_FIGURE, "9", NO_FIGURE, NO_FIGURE]
    assert pdf_row(summary, "Trust")[1:] == [NO_FIGURE, "9", NO_FIGURE, NO_FIGURE]
    assert xlsx_row(output, "Overview", "Trust")[1:5] == (NO_FIGURE, 9, NO_FIGURE, NO_FIGURE)
    for scale in ("Demands", "Job satisfaction"):
        assert page_row(overview, caption, scale)[1:] == [HIDDEN, NO_FIGURE, NO_FIGURE]
        assert pdf_row(summary, scale)[1:] == [HIDDEN, NO_FIGURE, NO_FIGURE]
        assert xlsx_row(output, "Overview", scale)[1:5] == (HIDDEN, None, NO_FIGURE, NO_FIGURE)
    # Two scales are hidden, not three: a result without a mean is not hidden.
    assert "2 scales are hidden to protect anonymity." in _text(overview)
    lines = summary_page.splitlines()
    count_line = next(i for i, line in enumerate(lines) if "scales hidden for" in line) - 1
    assert lines[count_line].split()[-1] == "2"


def test_the_heatmap_cell_of_a_shown_result_without_a_mean_reads_a_dash(outputs):
    output = outputs.plejecenter
    expected = [NO_FIGURE, HIDDEN, HIDDEN]
    page = page_row(output.pages["heatmap"], "Scale scores (0–100) for Plejecenter", "Plejecenter")
    assert page[1:] == expected
    assert pdf_row(output.pdf_page("Heatmap: scales by unit"), "Plejecenter")[1:] == expected
    assert xlsx_row(output, "Heatmap", "Plejecenter")[2:] == tuple(expected)


def test_the_scale_page_of_a_shown_result_without_a_mean_reads_a_dash(outputs):
    output = outputs.plejecenter
    page = output.pages["trust"]
    score = _text(page.split('id="score-heading"', 1)[1].split("</section>", 1)[0])
    assert f"Score (0–100) {NO_FIGURE} Respondents 9" in score
    assert HIDDEN not in score
    head = pdf_scale_page(output, "Trust").split("Compared with", 1)[0]
    assert re.search(rf"^\s*{NO_FIGURE}\s*$", head, re.M)
    assert "score, 9 respondents" in head
    assert HIDDEN not in head
    assert xlsx_row(output, "Trust", "Plejecenter")[1:3] == (NO_FIGURE, 9)
    # The comparisons show the others' scores and no difference, in all three.
    assert page_row(page, "Plejecenter compared with others", ORGANISATION)[1:] == ["60", NO_FIGURE]
    assert pdf_row(pdf_scale_page(output, "Trust"), ORGANISATION)[1:] == ["60", NO_FIGURE]
    assert xlsx_row(output, "Trust", ORGANISATION)[1:4] == (60.0, NO_FIGURE, None)


def _page_items(page: str) -> dict[str, str]:
    """Question text -> the visible text of its block on the scale page."""
    blocks = re.findall(r'<div class="puls-item">(.*?)</div>', page, flags=re.S)
    items = {}
    for block in blocks:
        heading = re.search(r"<h3[^>]*>(.*?)</h3>", block, flags=re.S)
        assert heading is not None
        items[_text(heading.group(1))] = _text(block)
    return items


def _pdf_item(page: str, question: str) -> str:
    """The line after the question (and its bar) in the PDF: the item's meta line or the marker."""
    lines = [line.strip() for line in page.splitlines() if line.strip()]
    start = lines.index(question)
    return next(line for line in lines[start + 1 :] if not line.endswith("%"))


def test_an_item_without_a_score_reads_no_number_and_only_hidden_items_read_hidden(outputs):
    output = outputs.plejecenter
    page = _page_items(output.pages["trust"])
    assert page["Trust?"].endswith("9 answered this question.")  # no score, not hidden
    assert HIDDEN not in page["Trust?"]
    assert page["Honest?"].endswith(HIDDEN)
    pdf_page = pdf_scale_page(output, "Trust")
    assert _pdf_item(pdf_page, "Trust?") == "9 answered"
    assert _pdf_item(pdf_page, "Honest?") == HIDDEN
    sheet = output.sheet("Trust")
    trust = [row for row in sheet if row[0] == "Trust?"]
    assert trust[0][4:6] == (NO_FIGURE, 9)  # question score, answered
    assert [row[1] for row in trust] == [
        "To a very large extent",
        "To a large extent",
        "Partly",
        "To a small extent",
        "To a very small extent",
    ]
    assert [row[:2] for row in sheet if row[0] == "Honest?"] == [("Honest?", HIDDEN)]


def test_an_item_with_a_score_reads_the_same_number_in_all_three(outputs):
    output = outputs.skole_a
    assert "Score 88." in _page_items(output.pages["trust"])["Trust?"]
    assert _pdf_item(pdf_scale_page(output, "Trust"), "Trust?") == "Mean 88 · 12 answered"
    row = next(row for row in output.sheet("Trust") if row[0] == "Trust?")
    assert (number_text(row[4]), row[5]) == ("88", 12)
