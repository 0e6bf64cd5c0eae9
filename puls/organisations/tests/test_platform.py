"""Platform administration: list and create organisations, and the matching management commands."""

import re
from io import StringIO

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from puls.core.models import AuditEntry, User
from puls.organisations.models import Organisation, Person, Role, RoleAssignment

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
LIST_URL = "/platform/"
CREATE_URL = "/platform/new/"
NEW_PASSWORD = "mit-eget-gode-kodeord-9"

AARHUS = {
    "name": "Aarhus Kommune",
    "kind": "municipality",
    "slug": "aarhus",
    "admin_first_name": "Hans",
    "admin_last_name": "Hr",
    "admin_email": "Hans.Hr@aarhus.test",
    "admin_employee_number": "A-1",
}


def client_for(user: User | None = None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user, backend=MODEL_BACKEND)
    return client


def test_urls_are_where_the_platform_admin_expects_them():
    assert reverse("platform:organisation_list") == LIST_URL
    assert reverse("platform:organisation_create") == CREATE_URL


def test_platform_admin_sees_every_organisation_with_its_number_of_people(personas):
    response = client_for(personas.platform_admin).get(LIST_URL)
    assert response.status_code == 200
    rows = {
        (org.name, org.get_kind_display(), org.slug, org.people_count)
        for org in response.context["organisations"]
    }
    assert rows == {
        ("Testby Kommune", "Municipality", "testby", 8),
        ("Andenby Kommune", "Municipality", "andenby", 1),
    }
    html = response.content.decode()
    assert reverse("organisations:dashboard", kwargs={"org_slug": "andenby"}) in html
    assert html.count("<h1") == 1


@pytest.mark.parametrize("persona", ["org_admin", "leader", "employee", "outsider"])
@pytest.mark.parametrize("url", [LIST_URL, CREATE_URL])
def test_everyone_else_gets_404(personas, persona, url):
    assert client_for(getattr(personas, persona)).get(url).status_code == 404


def test_anonymous_is_sent_to_login(personas):
    response = client_for().get(LIST_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))


def test_org_admin_cannot_create_an_organisation_by_posting(personas):
    response = client_for(personas.org_admin).post(CREATE_URL, AARHUS)
    assert response.status_code == 404
    assert not Organisation.objects.filter(slug="aarhus").exists()


def test_create_form_is_accessible(personas):
    html = client_for(personas.platform_admin).get(CREATE_URL).content.decode()
    assert '<label class="form-label" for="id_slug">' in html
    assert 'aria-describedby="id_slug-hint"' in html
    assert html.count("<legend") == 2


def test_platform_admin_creates_an_organisation_whose_admin_gets_an_activation_link(personas):
    admin_client = client_for(personas.platform_admin)
    response = admin_client.post(CREATE_URL, AARHUS)

    assert response.status_code == 302
    assert response["Location"] == LIST_URL
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Aarhus Kommune has been created. An activation link has been sent to hans.hr@aarhus.test."
    ]
    organisation = Organisation.objects.get(slug="aarhus")
    assert (organisation.name, organisation.kind) == ("Aarhus Kommune", "municipality")
    hr = Person.objects.get(organisation=organisation)
    assert (hr.employee_number, hr.full_name, hr.email) == ("A-1", "Hans Hr", "hans.hr@aarhus.test")
    assert RoleAssignment.objects.filter(person=hr, role=Role.ORG_ADMIN).exists()
    assert hr.user is not None
    assert not hr.user.has_usable_password()

    actions = set(
        AuditEntry.objects.filter(organisation=organisation, actor=personas.platform_admin).values_list(
            "action", flat=True
        )
    )
    assert actions == {"organisation.create", "role.assign", "person.activation_sent"}

    assert mail.outbox[-1].to == ["hans.hr@aarhus.test"]
    link = re.search(r"https?://[^/\s]+(/activate/\S+)", mail.outbox[-1].body).group(1)  # type: ignore[union-attr]
    browser = client_for()
    form_page = browser.get(link, follow=True)
    done = browser.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done["Location"] == reverse("organisations:dashboard", kwargs={"org_slug": "aarhus"})


def test_duplicate_slug_is_an_error_at_the_field_and_nothing_is_saved(personas):
    people_before = Person.objects.count()
    response = client_for(personas.platform_admin).post(CREATE_URL, {**AARHUS, "slug": "testby"})

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert 'id="id_slug-error"' in html
    assert "Another organisation already uses this short name." in html
    assert Organisation.objects.filter(name="Aarhus Kommune").count() == 0
    assert Person.objects.count() == people_before
    assert mail.outbox == []


@pytest.mark.parametrize("slug", ["Aarhus", "aarhus kommune", "-aarhus", "aar--hus", "århus"])
def test_slug_must_be_lower_case_letters_digits_and_hyphens(personas, slug):
    response = client_for(personas.platform_admin).post(CREATE_URL, {**AARHUS, "slug": slug})
    assert response.status_code == 200
    assert 'id="id_slug-error"' in response.content.decode()
    assert not Organisation.objects.filter(name="Aarhus Kommune").exists()


def test_missing_admin_fields_are_errors_at_the_fields(personas):
    response = client_for(personas.platform_admin).post(
        CREATE_URL, {**AARHUS, "admin_email": "ikke-en-adresse", "admin_employee_number": ""}
    )
    html = response.content.decode()
    assert 'id="id_admin_email-error"' in html
    assert 'id="id_admin_employee_number-error"' in html
    assert not Organisation.objects.filter(slug="aarhus").exists()


COMMAND_ARGS = [
    "--name=Aarhus Kommune",
    "--slug=aarhus",
    "--kind=municipality",
    "--admin-email=hans.hr@aarhus.test",
    "--admin-first-name=Hans",
    "--admin-last-name=Hr",
    "--admin-employee-number=A-1",
]


def test_create_organisation_command_prints_a_working_activation_link(db):
    out = StringIO()
    call_command("create_organisation", *COMMAND_ARGS, stdout=out)

    organisation = Organisation.objects.get(slug="aarhus")
    hr = Person.objects.get(organisation=organisation)
    assert RoleAssignment.objects.filter(person=hr, role=Role.ORG_ADMIN).exists()
    assert AuditEntry.objects.filter(organisation=organisation, action="organisation.create").exists()
    link = re.search(r"https?://[^/\s]+(/activate/\S+)", out.getvalue()).group(1)  # type: ignore[union-attr]
    browser = client_for()
    form_page = browser.get(link, follow=True)
    done = browser.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done["Location"] == reverse("organisations:dashboard", kwargs={"org_slug": "aarhus"})


def test_create_organisation_command_with_password(db):
    out = StringIO()
    call_command("create_organisation", *COMMAND_ARGS, f"--admin-password={NEW_PASSWORD}", stdout=out)

    assert "/activate/" not in out.getvalue()
    login = client_for().post(
        reverse("core:login"), {"username": "hans.hr@aarhus.test", "password": NEW_PASSWORD}
    )
    assert login.status_code == 302


def test_create_organisation_command_refuses_bad_input_without_saving(personas):
    with pytest.raises(CommandError, match="slug"):
        call_command(
            "create_organisation", *COMMAND_ARGS[:1], "--slug=testby", *COMMAND_ARGS[2:], stdout=StringIO()
        )
    with pytest.raises(CommandError):
        call_command("create_organisation", *COMMAND_ARGS, "--admin-password=123", stdout=StringIO())
    assert not Organisation.objects.filter(name="Aarhus Kommune").exists()
    assert not User.objects.filter(email="hans.hr@aarhus.test").exists()


def test_create_platform_admin_command(db):
    call_command(
        "create_platform_admin", "--email=Drift@Puls.test", f"--password={NEW_PASSWORD}", stdout=StringIO()
    )

    user = User.objects.get(email="drift@puls.test")
    assert user.is_platform_admin
    browser = client_for()
    assert (
        browser.post(
            reverse("core:login"), {"username": "drift@puls.test", "password": NEW_PASSWORD}
        ).status_code
        == 302
    )
    assert browser.get(LIST_URL).status_code == 200


def test_create_platform_admin_command_refuses_a_weak_password(db):
    with pytest.raises(CommandError):
        call_command("create_platform_admin", "--email=drift@puls.test", "--password=123", stdout=StringIO())
    assert not User.objects.filter(email="drift@puls.test").exists()
