"""Only HR imports; another organisation's import pages and jobs do not exist for the outsider."""

import pytest
from django.urls import reverse

from puls.organisations.models import ImportJob, Person
from puls.organisations.tests.data.import_files import PEOPLE_HEADER, TESTBY_STAFF, csv_bytes, job_url, upload

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
START = reverse("organisations:import_start", kwargs={"org_slug": "testby"})


@pytest.fixture
def testby_job(client, personas):
    client.force_login(personas.org_admin, backend=MODEL_BACKEND)
    rows = [
        PEOPLE_HEADER,
        *TESTBY_STAFF,
        ["5001", "Lis", "Ny", "", "220", "Leder", "01-01-2020", "1970", "Nej"],
    ]
    upload(client, kind="people", name="p.csv", content=csv_bytes(rows))
    client.logout()
    return ImportJob.objects.get()


@pytest.mark.parametrize("who", ["employee", "leader", "med_rep"])
def test_staff_without_hr_role_get_403_on_the_import_pages(client, personas, testby_job, who):
    client.force_login(getattr(personas, who), backend=MODEL_BACKEND)
    assert client.get(START).status_code == 403
    rows = [PEOPLE_HEADER, ["5002", "Snig", "Ind", "", "220", "", "01-01-2020", "", "Ja"]]
    assert upload(client, kind="people", name="p.csv", content=csv_bytes(rows)).status_code == 403
    assert client.get(job_url("import_preview", testby_job)).status_code == 403
    assert client.get(job_url("import_progress", testby_job)).status_code == 403
    assert client.post(job_url("import_apply", testby_job), {"action": "apply"}).status_code == 403
    assert not Person.objects.filter(employee_number__in=["5001", "5002"]).exists()


def test_outsider_gets_404_for_testbys_import_page_and_jobs(client, personas, testby_job):
    client.force_login(personas.outsider, backend=MODEL_BACKEND)
    assert client.get(START).status_code == 404
    for name in ("import_preview", "import_progress"):
        assert client.get(job_url(name, testby_job)).status_code == 404
        # Through the outsider's own organisation the job does not exist either.
        assert client.get(job_url(name, testby_job, org_slug="andenby")).status_code == 404
    assert client.post(job_url("import_apply", testby_job), {"action": "apply"}).status_code == 404
    assert client.post(job_url("import_apply", testby_job, "andenby"), {"action": "apply"}).status_code == 404
    testby_job.refresh_from_db()
    assert testby_job.status == ImportJob.Status.PREVIEWED


def test_anonymous_visitor_is_sent_to_log_in(client, personas):
    response = client.get(START)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_hr_and_platform_admin_can_open_the_import_page(client, personas):
    for user in (personas.org_admin, personas.platform_admin):
        client.force_login(user, backend=MODEL_BACKEND)
        assert client.get(START).status_code == 200


def test_apply_needs_post(client, personas, testby_job):
    client.force_login(personas.org_admin, backend=MODEL_BACKEND)
    assert client.get(job_url("import_apply", testby_job)).status_code == 405
