"""The PDF of a survey report: the same numbers as the report pages, hidden units read "hidden for
anonymity" and carry no number, and the pages are A4 and not blank.

One PDF is rendered for the whole module (WeasyPrint takes seconds): HR's report of the whole
organisation, in Danish, from a survey answered through the real submit (see export_setup.py).
The data is built inside a transaction that is rolled back when the module is done.
"""

import html
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation
from PIL import Image

from puls.surveys.reports import selectors
from puls.surveys.reports.exports.content import HIDDEN, content_build
from puls.surveys.reports.exports.pdf import report_pdf, trend_chart
from puls.surveys.reports.presentation import score_text
from puls.surveys.reports.selectors import Result, TrendPoint
from puls.surveys.reports.tests.export_setup import access_for, build_export_world
from puls.testing import build_personas

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"

# The marker makes pytest-django create the test database, which the module fixture fills.
pytestmark = pytest.mark.django_db


@dataclass
class Rendered:
    pdf_path: Path
    pages: list[str]  # pdftotext -layout, one string per page
    heatmap: dict[str, list[str]]  # unit name -> the cell texts the selectors give (as the page shows them)
    page_heatmap: dict[str, list[str]]  # unit name -> the cell texts of the heatmap page's HTML
    scales: list[tuple[str, str, int | None]]  # (scale name, score text, n) of the organisation
    hidden_text: str
    hidden_unit_scores: list[str]  # what Skole B's hidden scores would read as (from its answers)

    def page_with(self, text: str) -> str:
        return next(page for page in self.pages if text in page)


def _page_heatmap(content: str) -> dict[str, list[str]]:
    """Unit name -> cell texts of the heatmap table on the report page."""
    body = content.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S):
        heading = re.search(r"<th[^>]*>(.*?)</th>", row, flags=re.S)
        assert heading is not None
        name = re.sub(r"<[^>]+>", "", heading.group(1)).strip()
        cells = [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        ]
        rows[html.unescape(name)] = [html.unescape(cell) for cell in cells]
    return rows


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker, tmp_path_factory) -> Rendered:
    with django_db_blocker.unblock(), transaction.atomic():
        personas = build_personas()
        export = build_export_world(personas)
        access = access_for(personas.org_admin, personas)
        organisation = personas.units["100"]
        with translation.override("da"):
            content = content_build(access=access, report=export.report, unit=organisation)
            pdf = report_pdf(content=content)
            hidden_text = str(HIDDEN)
            heatmap = selectors.report_heatmap(access=access, report=export.report, unit=organisation)
            expected = {
                row.unit.name: [
                    score_text(cell.mean) if cell.has_figure else hidden_text for cell in row.cells
                ]
                for row in heatmap.rows
            }
            overview = selectors.report_overview(access=access, report=export.report, unit=organisation)
            scales = [
                (summary.scale.name, score_text(summary.result.mean), summary.result.n)
                for summary in overview.scales
            ]
        client = Client(HTTP_ACCEPT_LANGUAGE="da")
        client.force_login(personas.org_admin, backend=MODEL_BACKEND)
        page = client.get(
            reverse(
                "surveys:report:heatmap",
                kwargs={"org_slug": "testby", "survey_id": export.survey.pk, "unit_id": organisation.pk},
            )
        )
        assert page.status_code == 200
        page_heatmap = _page_heatmap(page.content.decode())
        transaction.set_rollback(True)
    path = tmp_path_factory.mktemp("pdf") / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(  # noqa: S603 - fixed command on a file we wrote
        ["/usr/bin/pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return Rendered(
        pdf_path=path,
        pages=[page for page in text.split("\f") if page.strip()],
        heatmap=expected,
        page_heatmap=page_heatmap,
        scales=scales,
        hidden_text=hidden_text,
        # Skole B answered 0 points on every demands item and 25 on both satisfaction items.
        hidden_unit_scores=["0", "25"],
    )


def _heatmap_line(page: str, unit: str) -> str:
    body = page.splitlines()[1:]  # below the running header
    return next(line for line in body if re.match(rf"\s*{re.escape(unit)}\s", line))


def test_the_heatmap_has_the_numbers_of_the_report_page(rendered):
    page = rendered.page_with("Skole A")
    assert rendered.page_heatmap.keys() == rendered.heatmap.keys()
    for unit, cells in rendered.heatmap.items():
        shown = [cell for cell in cells if cell != rendered.hidden_text]
        line = _heatmap_line(page, unit)
        assert re.findall(r"\d+", line[len(unit) + 2 :]) == shown, unit
        page_cells = [cell for cell in rendered.page_heatmap[unit] if re.fullmatch(r"\d+", cell)]
        assert page_cells == shown, unit
    assert {"Testby Kommune", "Børn og Unge", "Skole A", "Skole B", "Ældre", "Plejecenter"} <= set(
        rendered.heatmap
    )


def test_the_hidden_unit_reads_hidden_for_anonymity_and_shows_no_number(rendered):
    assert rendered.heatmap["Skole B"] == [rendered.hidden_text, rendered.hidden_text]
    line = _heatmap_line(rendered.page_with("Skole B"), "Skole B")
    assert line.count(rendered.hidden_text) == 2
    assert re.findall(r"\d", line) == []
    # Skole B's own scores (0 and 25) appear nowhere as a score of Skole B: its only row is hidden.
    skole_b_lines = [line for page in rendered.pages for line in page.splitlines() if "Skole B" in line]
    assert skole_b_lines == [line]


def test_the_summary_lists_every_scale_with_the_page_score_and_respondents(rendered):
    summary = rendered.pages[1]
    for name, score, n in rendered.scales:
        line = next(line for line in summary.splitlines() if line.strip().startswith(name) and str(n) in line)
        assert re.findall(r"\d+", line) == [score, str(n)], name


def test_each_scale_has_its_own_page_with_the_score(rendered):
    for name, score, n in rendered.scales:
        pages = [
            page
            for page in rendered.pages
            if re.search(rf"^\s*{re.escape(name)}\s*$", page, flags=re.M) and "Skole A" not in page
        ]
        assert len(pages) == 1, name
        assert re.search(rf"^\s*{score}\s*$", pages[0], flags=re.M), name
        assert f"{n}" in pages[0]


def test_the_report_explains_how_to_read_it_and_how_anonymity_is_protected(rendered):
    with translation.override("da"):
        guide = rendered.page_with(translation.gettext("How anonymity is protected"))
        assert translation.gettext("How to read this report") in guide
    assert "5" in guide  # the threshold the report was suppressed with
    assert rendered.hidden_text in guide


def test_pages_are_numbered_with_running_headers(rendered):
    total = len(rendered.pages)
    with translation.override("da"):
        page_word, of_word = translation.gettext("Page"), translation.gettext("of")
    for number, page in enumerate(rendered.pages[1:], start=2):
        assert f"{page_word} {number} {of_word} {total}" in page
        assert "Testby Kommune" in page.splitlines()[0]


def test_a_page_renders_to_a_non_blank_a4_image(rendered, tmp_path):
    subprocess.run(  # noqa: S603 - fixed command on a file we wrote
        [
            "/usr/bin/pdftoppm",
            "-png",
            "-r",
            "30",
            "-f",
            "2",
            "-l",
            "2",
            str(rendered.pdf_path),
            str(tmp_path / "page"),
        ],
        check=True,
        capture_output=True,
    )
    (png,) = tmp_path.glob("page*.png")
    with Image.open(png) as image:
        width, height = image.size
        assert abs(width / height - 210 / 297) < 0.01
        assert abs(width - 210 / 25.4 * 30) <= 2
        grey = image.convert("L")
        dark = sum(1 for value in grey.tobytes() if value < 128)
    assert dark > 0.005 * width * height  # text and tables, not an empty page


def test_the_trend_line_is_never_drawn_across_a_hidden_result():
    def point(title: str, mean: float | None) -> TrendPoint:
        result = Result(shown=True, n=20, mean=mean) if mean is not None else Result.hidden()
        survey = SimpleNamespace(ballot=SimpleNamespace(title=title))
        return TrendPoint(survey=survey, units=[], result=result)  # type: ignore[arg-type]

    chart = trend_chart([point("2023", 60.0), point("2024", 62.0), point("2025", None), point("2026", 65.0)])
    assert chart is not None
    assert [p.y is None for p in chart.points] == [False, False, True, False]
    (line,) = chart.lines  # 2023–2024 only: 2026 stands alone after the hidden 2025
    assert len(line.split()) == 2
    assert trend_chart([point("2026", 65.0)]) is None  # no earlier survey, no chart
