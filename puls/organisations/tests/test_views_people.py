"""The people list (search, filter, htmx results) and a person's page."""

import re

import pytest
from django.urls import reverse

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def visit(client, settings):
    settings.LANGUAGE_CODE = "en"

    def get(user, url, params=None, **headers):
        client.force_login(user, backend=MODEL_BACKEND)
        return client.get(url, params or {}, headers=headers)

    return get


def main(response) -> str:
    """The page's main content, without the header that names the logged-in user."""
    html = response.content.decode()
    match = re.search(r"<main.*?</main>", html, re.DOTALL)
    return match.group(0) if match else html


def list_url(org_slug="testby"):
    return reverse("organisations:person_list", kwargs={"org_slug": org_slug})


def person_url(person, org_slug="testby"):
    return reverse("organisations:person_detail", kwargs={"org_slug": org_slug, "person_id": person.pk})


def test_hr_sees_everyone_with_number_unit_job_group_email_and_login(personas, visit):
    html = main(visit(personas.org_admin, list_url()))
    assert "8 people found" in html
    for column in ("Employee number", "Name", "Unit", "Job group", "E-mail", "Login"):
        assert f'<th scope="col">{column}</th>' in html
    assert "Ole Uden-Mail" in html
    assert "Plejecenter" in html
    assert "3102" in html
    assert "Otto" not in html  # the other organisation's admin


def test_email_and_login_columns_say_yes_or_no(personas, visit):
    html = visit(personas.org_admin, list_url(), {"q": "3102"}).content.decode()
    assert "<td>No</td>\n          <td>No</td>" in html  # Ole: no e-mail, no login
    html = visit(personas.org_admin, list_url(), {"q": "2201"}).content.decode()
    assert "<td>Yes</td>\n          <td>Yes</td>" in html  # Erik: both


@pytest.mark.parametrize("query", ["Uden-Mail", "ole", "3102", "Ole Uden"])
def test_search_finds_by_name_and_employee_number(personas, visit, query):
    html = visit(personas.org_admin, list_url(), {"q": query}).content.decode()
    assert "Ole Uden-Mail" in html
    assert "Erik Ansat" not in html
    assert "1 person found" in html


def test_search_finds_by_email(personas, visit):
    html = visit(personas.org_admin, list_url(), {"q": "ansat@testby"}).content.decode()
    assert "Erik Ansat" in html
    assert "1 person found" in html


def test_htmx_search_returns_only_the_results(personas, visit):
    response = visit(personas.org_admin, list_url(), {"q": "Anna"}, HX_Request="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Anna0 Andersen" in html
    assert "Erik Ansat" not in html
    assert 'id="person-result-count"' in html
    assert 'hx-swap-oob="true"' in html
    assert "HX-Request" in response["Vary"]


def test_the_search_box_works_with_and_without_javascript(personas, visit):
    html = visit(personas.org_admin, list_url()).content.decode()
    assert '<form method="get" action="/o/testby/people/"' in html
    assert 'hx-get="/o/testby/people/"' in html
    assert 'hx-trigger="input changed delay:300ms, search"' in html
    assert 'hx-target="#person-results"' in html


def test_filter_by_unit_includes_its_sub_units(personas, visit):
    html = main(visit(personas.org_admin, list_url(), {"unit": str(personas.units["200"].pk)}))
    assert "Lea Leder" in html
    assert "Erik Ansat" in html
    assert "Mette Med" not in html
    assert "Hanne Hansen" not in html


def test_leader_sees_only_people_in_their_subtree(personas, visit):
    html = main(visit(personas.leader, list_url()))
    assert "Lea Leder" in html
    assert "Anna2 Andersen" in html
    assert "Erik Ansat" not in html
    assert "Hanne Hansen" not in html
    assert "Mette Med" not in html
    # The unit filter offers only the leader's own units.
    assert str(personas.units["220"].pk) not in html


def test_leader_cannot_filter_by_a_unit_outside_their_subtree(personas, visit):
    response = visit(personas.leader, list_url(), {"unit": str(personas.units["220"].pk)})
    html = response.content.decode()
    assert "Erik Ansat" not in html
    assert "There is a problem" in html


def test_med_rep_sees_people_in_300_and_310(personas, visit):
    html = main(visit(personas.med_rep, list_url()))
    assert "Mette Med" in html
    assert "Ole Uden-Mail" in html
    assert "Lea Leder" not in html


def test_employee_has_no_people_list(personas, visit):
    assert visit(personas.employee, list_url()).status_code == 403


def test_person_page_shows_employment_with_bands_and_roles(personas, visit):
    html = visit(personas.org_admin, person_url(personas.leader_person)).content.decode()
    assert "<h1>Lea Leder</h1>" in html
    assert "2101" in html
    assert "leder@testby.test" in html
    assert "Skole A" in html
    assert "Pædagog" in html
    assert "40-49" in html or "50-59" in html  # born 1980
    assert "10+" in html  # employed since 2015
    assert "Unit leader" in html


def test_hr_gets_the_activation_form_and_role_link_only_when_the_person_has_email(personas, visit):
    html = visit(personas.org_admin, person_url(personas.employee_person)).content.decode()
    activation = reverse(
        "organisations:person_send_activation",
        kwargs={"org_slug": "testby", "person_id": personas.employee_person.pk},
    )
    assert f'action="{activation}"' in html
    assert "Send activation link" in html
    assert f"/o/testby/roles/assign/?person={personas.employee_person.pk}" in html

    ole = personas.org.people.get(employee_number="3102")
    assert "Send activation link" not in visit(personas.org_admin, person_url(ole)).content.decode()


def test_leader_sees_a_person_in_their_unit_without_hr_actions(personas, visit):
    response = visit(personas.leader, person_url(personas.leader_person))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Send activation link" not in html
    assert "/roles/assign/" not in html


def test_person_outside_the_scope_is_not_found(personas, visit):
    assert visit(personas.leader, person_url(personas.employee_person)).status_code == 404
    assert visit(personas.med_rep, person_url(personas.leader_person)).status_code == 404
    assert visit(personas.employee, person_url(personas.employee_person)).status_code == 404


def test_outsider_finds_no_people_of_testby(personas, visit):
    assert visit(personas.outsider, list_url()).status_code == 404
    assert visit(personas.outsider, person_url(personas.employee_person)).status_code == 404
    assert (
        visit(personas.outsider, person_url(personas.employee_person, org_slug="andenby")).status_code == 404
    )
