"""Login, logout, password reset and the language switch, as a user meets them."""

import importlib
import re

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core import mail
from django.test import Client
from django.urls import reverse

from puls.testing import PASSWORD

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+")


@pytest.fixture
def client() -> Client:
    # English pages, so assertions on text hold whatever the Danish catalogue says.
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def login(client: Client, email: str, password: str):
    return client.post(reverse("core:login"), {"username": email, "password": password})


def link_in_last_mail() -> str:
    links = LINK.findall(mail.outbox[-1].body)
    assert len(links) == 1, mail.outbox[-1].body
    return links[0]


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


def test_login_page_is_accessible_form_with_email_and_password_autocomplete(client):
    response = client.get(reverse("core:login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label class="form-label" for="id_username">E-mail</label>' in html
    assert 'type="email" name="username"' in html
    assert 'autocomplete="username"' in html
    assert 'autocomplete="current-password"' in html
    assert html.count("<h1") == 1


def test_login_with_email_and_password_leads_to_the_users_organisation(client, personas):
    response = login(client, "hr@testby.test", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")

    home = client.get(response["Location"])
    assert home.status_code == 302
    assert home["Location"] == reverse("organisations:dashboard", kwargs={"org_slug": "testby"})


def test_email_is_not_case_sensitive(client, personas):
    response = login(client, "  HR@Testby.TEST ", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(personas.org_admin.pk)


def test_wrong_password_shows_an_error_and_does_not_log_in(client, personas):
    response = login(client, "hr@testby.test", "forkert-kodeord")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in html
    assert "The e-mail address or the password is not correct." in html
    assert "_auth_user_id" not in client.session


def test_unknown_email_gets_the_same_error_as_a_wrong_password(client, personas):
    response = login(client, "nobody@testby.test", PASSWORD)
    assert response.status_code == 200
    assert "The e-mail address or the password is not correct." in response.content.decode()


def test_logout_is_a_post_that_ends_the_session(client, personas):
    client.force_login(personas.employee, backend="django.contrib.auth.backends.ModelBackend")

    assert client.get(reverse("core:logout")).status_code == 405
    assert "_auth_user_id" in client.session

    response = client.post(reverse("core:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("core:login")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("core:home"))["Location"].startswith(reverse("core:login"))


def test_password_reset_sends_a_link_that_sets_a_new_password(client, personas):
    response = client.post(reverse("core:password_reset"), {"email": "Ansat@testby.test"})
    assert response["Location"] == reverse("core:password_reset_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ansat@testby.test"]

    link = path_of(link_in_last_mail())
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    html = form_page.content.decode()
    assert "Choose a new password" in html
    assert html.count('autocomplete="new-password"') == 2

    new_password = "en-helt-ny-adgangskode-7"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert done["Location"] == reverse("core:password_reset_complete")

    assert login(Client(HTTP_ACCEPT_LANGUAGE="en"), "ansat@testby.test", PASSWORD).status_code == 200
    assert login(Client(HTTP_ACCEPT_LANGUAGE="en"), "ansat@testby.test", new_password).status_code == 302

    # The link worked once.
    again = client.get(link)
    assert "The link has expired or has already been used." in again.content.decode()


def test_password_reset_does_not_reveal_whether_an_address_has_a_login(client, personas):
    known = client.post(reverse("core:password_reset"), {"email": "ansat@testby.test"})
    unknown = client.post(reverse("core:password_reset"), {"email": "ukendt@testby.test"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1


def test_password_reset_link_uses_site_url_not_the_request_host(client, personas, settings):
    settings.SITE_URL = "https://puls.example.dk/"
    client.post(reverse("core:password_reset"), {"email": "ansat@testby.test"}, HTTP_HOST="localhost")
    assert link_in_last_mail().startswith("https://puls.example.dk/password-reset/")


def test_weak_new_password_is_refused_at_the_field(client, personas):
    client.post(reverse("core:password_reset"), {"email": "ansat@testby.test"})
    form_page = client.get(path_of(link_in_last_mail()), follow=True)
    response = client.post(form_page.redirect_chain[-1][0], {"new_password1": "123", "new_password2": "123"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_new_password2-error"' in html
    assert 'aria-invalid="true"' in html


def test_production_settings_hash_passwords_with_argon2():
    # The test settings swap in a fast hasher, so read the settings module itself.
    settings_module = importlib.import_module("config.settings")
    assert settings_module.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_argon2_hasher_is_installed():
    assert Argon2PasswordHasher().encode("x", Argon2PasswordHasher().salt()).startswith("argon2$")


def test_danish_is_the_default_language():
    response = Client().get(reverse("core:login"))
    assert '<html lang="da">' in response.content.decode()
    assert response["Content-Language"] == "da"


def test_switching_to_english_changes_the_next_page():
    client = Client()
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("core:login")})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:login")

    page = client.get(reverse("core:login"))
    assert '<html lang="en">' in page.content.decode()
    assert page["Content-Language"] == "en"
