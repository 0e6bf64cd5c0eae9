"""The public information pages and the organisation chooser."""

import pytest
from django.urls import reverse

from puls.organisations.models import Employment, Person

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.mark.parametrize("name", ["core:privacy", "core:accessibility"])
def test_information_pages_are_public_and_linked_from_the_footer(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1>") == 1
    footer = html.split("<footer>")[1]
    assert f'href="{reverse(name)}"' in footer


def test_footer_links_are_on_organisation_pages_too(client, personas):
    client.force_login(personas.employee, backend=MODEL_BACKEND)
    footer = client.get(reverse("organisations:dashboard", kwargs={"org_slug": "testby"})).content.decode()
    footer = footer.split("<footer>")[1]
    assert f'href="{reverse("core:privacy")}"' in footer
    assert f'href="{reverse("core:accessibility")}"' in footer


def test_privacy_notice_says_what_is_stored_never_cpr_and_for_how_long(client, db, settings):
    settings.RETENTION_PERSON_MONTHS = 18
    html = client.get(reverse("core:privacy")).content.decode()
    for item in ("employee number", "your name", "e-mail address", "job group", "birth year"):
        assert item in html
    assert "<strong>never</strong> stores your CPR number" in html
    assert "after 18 months" in html
    assert "anonymous" in html
    assert "data controller" in html


def test_accessibility_statement_names_the_standard_testing_and_complaints(client, db):
    html = client.get(reverse("core:accessibility")).content.decode()
    assert "WCAG" in html
    assert "2.1" in html
    assert "AA" in html
    assert "axe-core" in html
    assert "keyboard" in html
    assert "Known limitations" in html
    assert "Digitaliseringsstyrelsen" in html


def test_a_user_in_two_organisations_chooses_between_them(client, personas):
    person = Person.objects.create(
        organisation=personas.other_org,
        employee_number="7001",
        first_name="Erik",
        last_name="Ansat",
        user=personas.employee,
    )
    Employment.objects.create(
        person=person,
        unit=personas.other_unit,
        start_date=personas.employee_person.employments.get().start_date,
    )
    client.force_login(personas.employee, backend=MODEL_BACKEND)
    html = client.get(reverse("core:home")).content.decode()
    assert "Choose organisation" in html
    assert 'href="/o/testby/"' in html
    assert 'href="/o/andenby/"' in html


def test_a_user_without_organisation_is_told_what_to_do(client, db, django_user_model):
    user = django_user_model.objects.create_user(email="ny@example.test", password="x" * 12)
    client.force_login(user, backend=MODEL_BACKEND)
    html = client.get(reverse("core:home")).content.decode()
    assert "not connected to any organisation" in html
