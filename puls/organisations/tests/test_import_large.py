"""Large files are previewed and applied by the task worker while the page shows progress."""

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django_tasks.signals import task_enqueued

from puls.organisations.models import Employment, ImportJob, Person, Unit
from puls.organisations.tests.data.import_files import (
    PEOPLE_HEADER,
    TESTBY_STAFF,
    csv_bytes,
    job_url,
    upload,
)

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def hr(client, personas, settings):
    settings.LANGUAGE_CODE = "en"
    client.force_login(personas.org_admin, backend=MODEL_BACKEND)
    return client


@pytest.fixture
def enqueued():
    names = []

    def record(sender, task_result, **kwargs):
        names.append(task_result.task.name)

    task_enqueued.connect(record)
    yield names
    task_enqueued.disconnect(record)


def many_people(count):
    units = ["210", "220", "310"]
    return [
        [str(100000 + i), f"Fornavn{i}", f"Efternavn{i}", f"p{i}@testby.test", units[i % 3], "Pædagog",
         "01-01-2020", str(1960 + i % 40), "Ja" if i % 500 == 0 else "Nej"]
        for i in range(count)
    ]  # fmt: skip


def test_large_file_goes_through_the_task_and_progress_reaches_100(hr, personas, settings, enqueued):
    settings.IMPORT_BACKGROUND_ROWS = 1000
    content = csv_bytes([PEOPLE_HEADER, *TESTBY_STAFF, *many_people(3000)])

    upload(hr, kind="people", name="alle.csv", content=content)
    job = ImportJob.objects.get()
    assert enqueued == ["import_job_preview_task"]
    assert job.status == ImportJob.Status.PREVIEWED
    assert job.total_rows == 3000 + len(TESTBY_STAFF)

    progress = hr.get(job_url("import_progress", job))
    assert "100 %" in progress.content.decode()
    assert 'value="100"' in progress.content.decode()
    htmx_progress = hr.get(job_url("import_progress", job), headers={"HX-Request": "true"})
    assert htmx_progress["HX-Redirect"] == job_url("import_preview", job)

    page = hr.get(job_url("import_preview", job))
    assert page.context["counts"]["new"] == 3000
    assert len(page.context["rows"]) == 100, "rows are shown a page at a time"
    second_page = hr.get(job_url("import_preview", job), {"page": 2, "show": "new"})
    assert second_page.context["rows"][0]["key"] == "100100"

    hr.post(job_url("import_apply", job), {"action": "apply"})
    assert enqueued == ["import_job_preview_task", "import_job_apply_task"]
    job.refresh_from_db()
    assert job.status == ImportJob.Status.APPLIED
    assert job.progress_percent == 100
    assert Person.objects.filter(first_name__startswith="Fornavn").count() == 3000
    assert Employment.objects.filter(person__organisation=personas.org).count() == 3000 + len(TESTBY_STAFF)
    assert "100 %" in hr.get(job_url("import_progress", job)).content.decode()


def test_small_file_is_handled_during_the_request(hr, enqueued):
    upload(hr, kind="people", name="p.csv", content=csv_bytes([PEOPLE_HEADER, *TESTBY_STAFF]))
    assert enqueued == []
    assert ImportJob.objects.get().status == ImportJob.Status.PREVIEWED


def test_page_of_a_running_job_shows_a_labelled_progress_bar_that_polls(hr, personas):
    job = ImportJob.objects.create(
        organisation=personas.org,
        kind=ImportJob.Kind.PEOPLE,
        original_name="alle.csv",
        status=ImportJob.Status.RUNNING,
        total_rows=4000,
        processed_rows=1000,
        summary={"phase": "apply"},
    )
    html = hr.get(job_url("import_preview", job)).content.decode()
    assert '<label class="form-label" for="import-progress-bar">Saving the import</label>' in html
    assert re.search(r'<progress id="import-progress-bar"[^>]*max="100" value="25"', html)
    assert f'hx-get="{job_url("import_progress", job)}"' in html
    assert 'hx-trigger="every 1s"' in html
    assert re.search(r'aria-live="polite">\s*25 % – 1000 of 4000 rows', html)

    partial = hr.get(job_url("import_progress", job), headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert 'hx-swap-oob="innerHTML"' in partial.content.decode()
    assert "<html" not in partial.content.decode()


def test_examples_in_the_documentation_import_cleanly(hr):
    text = (Path(django_settings.BASE_DIR) / "docs" / "import.md").read_text(encoding="utf-8")
    units_example, people_example = re.findall(r"```csv\n(.*?)```", text, flags=re.DOTALL)[:2]

    for kind, example in (("units", units_example), ("people", people_example)):
        upload(hr, kind=kind, name=f"{kind}.csv", content=example.encode("utf-8"))
        job = ImportJob.objects.latest("created_at")
        assert job.status == ImportJob.Status.PREVIEWED, job.summary
        assert job.summary["preview"]["counts"]["error"] == 0, job.summary["preview"]["rows"]
        hr.post(job_url("import_apply", job), {"action": "apply"})
    assert Unit.objects.filter(organisation__slug="testby", code="230").exists()
    assert Person.objects.filter(organisation__slug="testby", employee_number="10234").exists()
