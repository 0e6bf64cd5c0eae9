"""The organisation's front page shows each persona what their roles give them."""

import re

import pytest
from django.urls import reverse

from puls.organisations.models import ImportJob

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def visit(client, settings):
    settings.LANGUAGE_CODE = "en"

    def get(user, url):
        client.force_login(user, backend=MODEL_BACKEND)
        return client.get(url)

    return get


def figure(html: str, label: str) -> int:
    match = re.search(rf"<dt>{re.escape(label)}</dt>\s*<dd>(?:<a [^>]*>)?(\d+)", html)
    assert match, f"no figure labelled {label!r}"
    return int(match.group(1))


def dashboard_url(personas):
    return reverse("organisations:dashboard", kwargs={"org_slug": personas.org.slug})


def test_hr_sees_head_counts_shortcuts_and_recent_imports(personas, visit):
    ImportJob.objects.create(
        organisation=personas.org,
        kind=ImportJob.Kind.PEOPLE,
        original_name="medarbejdere-maj.csv",
        total_rows=8,
    )
    ImportJob.objects.create(
        organisation=personas.other_org, kind=ImportJob.Kind.PEOPLE, original_name="andenby.csv"
    )
    html = visit(personas.org_admin, dashboard_url(personas)).content.decode()

    assert figure(html, "Active units") == 6
    # Hanne, Lea, Anna0-2, Mette, Erik and Ole; the Anna's and Ole have neither e-mail nor login.
    assert figure(html, "Current employees") == 8
    assert figure(html, "Employees without e-mail") == 4
    assert figure(html, "Employees without login") == 4
    for name in ("import_start", "role_list", "audit_log"):
        assert reverse(f"organisations:{name}", kwargs={"org_slug": "testby"}) in html
    assert "medarbejdere-maj.csv" in html
    assert "andenby.csv" not in html


def test_a_login_that_was_never_activated_does_not_count_as_a_login(personas, visit):
    personas.employee.set_unusable_password()
    personas.employee.save()
    html = visit(personas.org_admin, dashboard_url(personas)).content.decode()
    assert figure(html, "Employees without login") == 5


def test_platform_admin_visiting_an_organisation_gets_the_admin_view(personas, visit):
    html = visit(personas.platform_admin, dashboard_url(personas)).content.decode()
    assert figure(html, "Current employees") == 8
    assert "platform administrator" in html


def test_leader_sees_their_unit_with_staff_counts_and_not_the_admin_figures(personas, visit):
    html = visit(personas.leader, dashboard_url(personas)).content.decode()
    assert "Units you lead" in html
    assert "210 Skole A" in html
    # Lea and the three Annas work in Skole A, which has no sub-units.
    assert figure(html, "Employed directly") == 4
    assert figure(html, "Total incl. sub-units") == 4
    assert "Skole B" not in html
    assert "Current employees" not in html
    assert reverse("organisations:audit_log", kwargs={"org_slug": "testby"}) not in html


def test_med_rep_sees_the_units_they_represent_with_sub_units(personas, visit):
    html = visit(personas.med_rep, dashboard_url(personas)).content.decode()
    assert "Units you represent in MED/AMO" in html
    assert "300 Ældre" in html
    assert "310 Plejecenter" in html  # the sub-unit, with its counts
    assert figure(html, "Employed directly") == 0  # nobody works directly in 300
    assert figure(html, "Total incl. sub-units") == 2  # Mette and Ole in 310
    assert "Units you lead" not in html
    assert "Skole" not in html


def test_employee_sees_their_own_unit_and_what_puls_will_ask(personas, visit):
    html = visit(personas.employee, dashboard_url(personas)).content.decode()
    assert "Your workplace" in html
    assert "Skole B" in html
    assert "What Puls will ask of you" in html
    assert "anonymous" in html
    assert "Units you lead" not in html
    assert "Employees without e-mail" not in html


def test_outsider_does_not_find_the_organisation(personas, visit):
    assert visit(personas.outsider, dashboard_url(personas)).status_code == 404
