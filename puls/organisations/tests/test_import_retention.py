"""A preview nobody applies must not keep the uploaded file and everyone's names."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from puls.organisations.imports.services import import_jobs_discard_stale
from puls.organisations.models import ImportJob
from puls.organisations.tests.data.import_files import PEOPLE_HEADER, TESTBY_STAFF, csv_bytes, upload

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def previewed_job(client, personas):
    client.force_login(personas.org_admin, backend=MODEL_BACKEND)
    upload(client, kind="people", name="p.csv", content=csv_bytes([PEOPLE_HEADER, *TESTBY_STAFF]))
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.PREVIEWED
    assert job.file
    return job


def test_stale_preview_loses_its_file_and_rows(previewed_job, settings):
    file_path = previewed_job.file.path
    assert "Hansen" in str(previewed_job.summary)
    later = timezone.now() + timedelta(hours=settings.IMPORT_PREVIEW_HOURS + 1)

    assert import_jobs_discard_stale(now=later) == 1

    previewed_job.refresh_from_db()
    assert previewed_job.status == ImportJob.Status.FAILED
    assert not previewed_job.file
    assert "Hansen" not in str(previewed_job.summary)
    assert not os.path.exists(file_path)


def test_recent_preview_is_kept(previewed_job):
    assert import_jobs_discard_stale() == 0
    previewed_job.refresh_from_db()
    assert previewed_job.status == ImportJob.Status.PREVIEWED
    assert previewed_job.file
