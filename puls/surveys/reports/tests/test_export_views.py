"""Requesting, following and downloading report exports: only the requester ever gets the file,
a leader exports only units of their subtree, progress is shown while the task builds the file,
the file is in the requester's language, and exports are pruned after a day.

One PDF is rendered in this module (the English PDF of the hidden unit); the rest use XLSX.
"""

import copy
import io
import re
import subprocess
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from puls.core.models import User
from puls.core.periodic import periodic_jobs
from puls.organisations.models import Role, RoleAssignment
from puls.surveys.models import ReportExport, Survey
from puls.surveys.reports.exports import services
from puls.surveys.reports.exports.tasks import report_exports_prune_task
from puls.surveys.reports.tests.export_setup import ExportWorld, access_for, build_export_world
from puls.testing import Personas, build_personas, data_for_module, settings_for_tests

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
HTMX: dict[str, Any] = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(scope="module")
def _module_export_world(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[ExportWorld]:
    """The personas and the closed survey with its computed report, built once for the module."""
    with data_for_module(django_db_blocker):
        with override_settings(**settings_for_tests(tmp_path_factory.mktemp("export-media"))):
            built = build_export_world(build_personas())
        yield built


@pytest.fixture
def export_world(_module_export_world: ExportWorld, db) -> ExportWorld:
    # A fresh copy per test, as setUpTestData gives (each test's rows are rolled back after it).
    return copy.deepcopy(_module_export_world)


@pytest.fixture
def personas(export_world: ExportWorld) -> Personas:
    """The module's personas (the ones the export world was built with)."""
    return export_world.personas


def client_for(user: User, **extra: str) -> Client:
    client = Client(**extra)  # type: ignore[arg-type]
    client.force_login(user, backend=MODEL_BACKEND)
    return client


def request_url(world: ExportWorld) -> str:
    return reverse(
        "survey_report_export:request", kwargs={"org_slug": "testby", "survey_id": world.survey.pk}
    )


def export_url(name: str, export: ReportExport) -> str:
    return reverse(
        f"survey_report_export:{name}",
        kwargs={"org_slug": "testby", "survey_id": export.report.survey_id, "export_id": export.pk},
    )


def request_export(client: Client, world: ExportWorld, capture, *, unit: str, format: str = "xlsx", **extra):
    """POST the export buttons' form; the task runs (immediate backend) once the request commits."""
    with capture(execute=True):
        return client.post(request_url(world), {"format": format, "unit": world.unit(unit).pk}, **extra)


def test_hr_gets_the_xlsx_they_asked_for(export_world, personas, django_capture_on_commit_callbacks):
    client = client_for(personas.org_admin)
    response = request_export(client, export_world, django_capture_on_commit_callbacks, unit="210")

    export = ReportExport.objects.get()
    assert (export.requested_by, export.unit, export.format) == (
        personas.org_admin,
        personas.units["210"],
        "xlsx",
    )
    assert export.status == ReportExport.Status.DONE
    assert export.progress == 100
    assert response.status_code == 302
    assert response["Location"] == export_url("status", export)

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert export_url("download", export) in page.content.decode()
    assert "no-store" in page["Cache-Control"]

    download = client.get(export_url("download", export))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert download["Content-Disposition"] == 'attachment; filename="rapporttest-skole-a.xlsx"'
    assert "no-store" in download["Cache-Control"]
    workbook = load_workbook(io.BytesIO(download.content))
    assert [row[0].value for row in workbook["Heatmap"].iter_rows(min_row=2)] == ["Skole A"]


def test_the_page_shows_a_progress_bar_polled_until_the_file_is_ready(export_world, personas):
    client = client_for(personas.org_admin)
    # The task has not run yet (the request's commit is not simulated): the export waits.
    fragment = client.post(request_url(export_world), {"format": "xlsx"}, **HTMX)
    export = ReportExport.objects.get()
    assert export.status == ReportExport.Status.PENDING
    assert export.unit == personas.units["100"]  # no unit given: HR's top unit, the organisation
    html = fragment.content.decode()
    assert '<progress id="report-export-bar-' in html
    assert f'hx-get="{export_url("progress", export)}"' in html
    assert 'hx-trigger="every 1s"' in html

    ReportExport.objects.filter(pk=export.pk).update(status=ReportExport.Status.RUNNING, progress=40)
    running = client.get(export_url("progress", export), **HTMX).content.decode()
    assert 'max="100" value="40"' in running
    assert "hx-get" in running

    ReportExport.objects.filter(pk=export.pk).update(status=ReportExport.Status.PENDING, progress=0)
    assert services.report_export_build(export_id=export.pk) == ReportExport.Status.DONE
    done = client.get(export_url("progress", export), **HTMX).content.decode()
    assert export_url("download", export) in done
    assert "hx-get" not in done  # polling stops
    assert "<progress" not in done


def test_a_failed_or_lost_export_says_so_and_stops_polling(export_world, personas):
    client = client_for(personas.org_admin, HTTP_ACCEPT_LANGUAGE="en")
    client.post(request_url(export_world), {"format": "xlsx"})
    export = ReportExport.objects.get()
    # Still "building" two hours later: its worker was lost.
    ReportExport.objects.filter(pk=export.pk).update(
        status=ReportExport.Status.RUNNING, created_at=timezone.now() - timedelta(hours=2)
    )
    for status in (ReportExport.Status.RUNNING, ReportExport.Status.FAILED):
        ReportExport.objects.filter(pk=export.pk).update(status=status)
        html = client.get(export_url("progress", export), **HTMX).content.decode()
        assert "The file could not be made" in html, status
        assert "hx-get" not in html
        assert client.get(export_url("download", export)).status_code == 404


def test_the_task_stores_progress_as_it_goes(export_world, personas, monkeypatch):
    seen: list[int] = []
    export = services.report_export_request(
        access=access_for(personas.org_admin, personas),
        report=export_world.report,
        unit=personas.units["100"],
        format="xlsx",
    )
    from puls.surveys.reports.exports import xlsx

    original = xlsx.report_xlsx

    def watched(*, content, target, progress):  # type: ignore[no-untyped-def]
        def spy(percent: int) -> None:
            progress(percent)
            seen.append(ReportExport.objects.get(pk=export.pk).progress)

        original(content=content, target=target, progress=spy)

    monkeypatch.setattr(xlsx, "report_xlsx", watched)
    services.report_export_build(export_id=export.pk)
    assert seen == sorted(seen)
    assert len(set(seen)) >= 5  # the bar moves while the file is built
    assert 0 < seen[0] < seen[-1] < 100
    assert ReportExport.objects.get(pk=export.pk).progress == 100


def test_nobody_but_the_requester_gets_the_export_not_even_hr(
    export_world, personas, django_capture_on_commit_callbacks
):
    leader = client_for(personas.leader)
    request_export(leader, export_world, django_capture_on_commit_callbacks, unit="210")
    export = ReportExport.objects.get()
    assert export.status == ReportExport.Status.DONE
    urls = [export_url(name, export) for name in ("status", "progress", "download")]
    assert [leader.get(url).status_code for url in urls] == [200, 200, 200]
    for user in (
        personas.org_admin,
        personas.platform_admin,
        personas.med_rep,
        personas.employee,
        personas.outsider,
    ):
        assert [client_for(user).get(url).status_code for url in urls] == [404, 404, 404], user
    # Nor under the address of another organisation or another survey.
    foreign = urls[2].replace("/o/testby/", "/o/andenby/")
    assert leader.get(foreign).status_code == 404


def test_a_leader_cannot_export_a_unit_outside_their_subtree(
    export_world, personas, django_capture_on_commit_callbacks
):
    leader = client_for(personas.leader)
    for code in ("220", "200", "300"):
        response = request_export(leader, export_world, django_capture_on_commit_callbacks, unit=code)
        assert response.status_code == 404, code
    assert not ReportExport.objects.exists()
    assert (
        request_export(leader, export_world, django_capture_on_commit_callbacks, unit="210").status_code
        == 302
    )


def test_an_unknown_format_is_refused(export_world, personas):
    response = client_for(personas.org_admin).post(request_url(export_world), {"format": "csv"})
    assert response.status_code == 400
    assert not ReportExport.objects.exists()


def test_a_second_click_while_the_file_is_made_gives_the_same_export(export_world, personas):
    client = client_for(personas.org_admin)
    first = client.post(request_url(export_world), {"format": "xlsx"})
    second = client.post(request_url(export_world), {"format": "xlsx"})
    assert first["Location"] == second["Location"]
    assert ReportExport.objects.count() == 1


def test_an_export_is_built_with_what_the_requester_may_see_when_it_is_built(export_world, personas):
    """A leader who loses the role before the task runs gets no file (the results are released to
    leaders only, so without the role the leader sees nothing of the report)."""
    Survey.objects.filter(pk=export_world.survey.pk).update(release_everyone_at=None)
    client = client_for(personas.leader)
    client.post(request_url(export_world), {"format": "xlsx", "unit": personas.units["210"].pk})
    export = ReportExport.objects.get()
    RoleAssignment.objects.filter(person=personas.leader_person, role=Role.UNIT_LEADER).delete()
    assert services.report_export_build(export_id=export.pk) == ReportExport.Status.FAILED
    assert ReportExport.objects.get(pk=export.pk).content is None
    failed = client.get(export_url("progress", export))
    assert failed.status_code == 404  # and the export's pages are gone for them as well


def test_the_report_page_offers_the_downloads(export_world, personas):
    page = client_for(personas.leader).get(
        reverse(
            "surveys:report:overview",
            kwargs={
                "org_slug": "testby",
                "survey_id": export_world.survey.pk,
                "unit_id": personas.units["210"].pk,
            },
        )
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert f'action="{request_url(export_world)}"' in html
    assert 'name="format" value="pdf"' in html
    assert 'name="format" value="xlsx"' in html


def test_the_pdf_is_in_the_requesters_language_and_hides_the_hidden_unit(
    export_world, personas, django_capture_on_commit_callbacks, tmp_path
):
    client = client_for(personas.org_admin, HTTP_ACCEPT_LANGUAGE="en")
    request_export(client, export_world, django_capture_on_commit_callbacks, unit="220", format="pdf")
    export = ReportExport.objects.get()
    assert export.language == "en"
    download = client.get(export_url("download", export))
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="rapporttest-skole-b.pdf"'
    path = tmp_path / "report.pdf"
    path.write_bytes(download.content)
    text = subprocess.run(  # noqa: S603 - fixed command on a file we wrote
        ["/usr/bin/pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "How to read this report" in text
    assert "Skole B" in text
    # Skole B's scale pages: the score reads hidden, with no number and no count of respondents.
    scale_pages = [page for page in text.split("\f") if "Answers to each question" in page]
    assert len(scale_pages) == 2
    for page in scale_pages:
        assert "Hidden for anonymity" in page
        assert "respondents" not in page.split("Compared with")[0]
    # The summary lists both scales as hidden.
    summary = next(page for page in text.split("\f") if "All scales" in page)
    for scale in ("Krav", "Arbejdsglæde"):
        line = next(line for line in summary.splitlines() if line.strip().startswith(scale))
        assert "Hidden for anonymity" in line
        assert re.findall(r"\d", line) == []


def test_exports_are_deleted_a_day_after_they_were_requested(export_world, personas):
    access = access_for(personas.org_admin, personas)
    old, new = (
        services.report_export_request(
            access=access, report=export_world.report, unit=personas.units[code], format="xlsx"
        )
        for code in ("210", "310")
    )
    ReportExport.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))
    assert report_exports_prune_task.call() == 1
    assert list(ReportExport.objects.values_list("pk", flat=True)) == [new.pk]
    job = periodic_jobs()["surveys.report_exports_prune"]
    assert job.task is report_exports_prune_task
    assert job.every <= timedelta(hours=1)
