"""DESIGN §7.4: login throttling, counted in the database by django-axes."""

import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from puls.testing import PASSWORD

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"
OTHER_BROWSER = "Mozilla/5.0 (Windows NT 10.0) Edge/140.0"


def attempt(client: Client, email: str, password: str):
    return client.post(reverse("core:login"), {"username": email, "password": password})


def fail_until_locked(client: Client, email: str) -> None:
    for number in range(1, 5):
        response = attempt(client, email, f"forkert-{number}")
        assert response.status_code == 200, f"attempt {number}"
        assert 'id="error-summary"' in response.content.decode()
    # The fifth failure reaches the limit and already answers with the lockout page.
    assert attempt(client, email, "forkert-5").status_code == 429


def test_sixth_attempt_is_refused_even_with_the_right_password(personas, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    client = Client(HTTP_USER_AGENT=BROWSER, HTTP_ACCEPT_LANGUAGE="en")
    fail_until_locked(client, "hr@testby.test")

    response = attempt(client, "hr@testby.test", PASSWORD)
    html = response.content.decode()
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "Too many failed attempts" in html
    assert "Logging in has been paused for 15 minutes" in html
    assert reverse("core:password_reset") in html
    assert html.count("<h1") == 1


def test_failures_are_counted_in_the_database_per_lower_cased_email(personas):
    client = Client(HTTP_USER_AGENT=BROWSER, HTTP_ACCEPT_LANGUAGE="en")
    attempt(client, "HR@testby.test", "forkert-1")
    attempt(client, "hr@testby.test", "forkert-2")

    attempts = AccessAttempt.objects.filter(username="hr@testby.test")
    assert [a.failures_since_start for a in attempts] == [2]
    assert "forkert" not in attempts[0].post_data


def test_other_users_in_other_browsers_can_still_log_in(personas):
    fail_until_locked(Client(HTTP_USER_AGENT=BROWSER, HTTP_ACCEPT_LANGUAGE="en"), "hr@testby.test")

    colleague = Client(HTTP_USER_AGENT=OTHER_BROWSER, HTTP_ACCEPT_LANGUAGE="en")
    response = attempt(colleague, "ansat@testby.test", PASSWORD)
    assert response.status_code == 302
    assert colleague.session["_auth_user_id"] == str(personas.employee.pk)


def test_the_locked_account_stays_locked_from_another_browser(personas):
    fail_until_locked(Client(HTTP_USER_AGENT=BROWSER, HTTP_ACCEPT_LANGUAGE="en"), "hr@testby.test")

    other_browser = Client(HTTP_USER_AGENT=OTHER_BROWSER, HTTP_ACCEPT_LANGUAGE="en")
    assert attempt(other_browser, "hr@testby.test", PASSWORD).status_code == 429


def test_lockout_page_is_in_the_chosen_language(personas):
    client = Client(HTTP_USER_AGENT=BROWSER)
    fail_until_locked(client, "hr@testby.test")
    response = attempt(client, "hr@testby.test", PASSWORD)
    with translation.override("da"):
        danish_heading = translation.gettext("Too many failed attempts")
    assert response.status_code == 429
    assert '<html lang="da">' in response.content.decode()
    assert danish_heading in response.content.decode()


def test_choosing_a_new_password_lifts_the_lockout(personas):
    client = Client(HTTP_USER_AGENT=BROWSER, HTTP_ACCEPT_LANGUAGE="en")
    fail_until_locked(client, "hr@testby.test")

    client.post(reverse("core:password_reset"), {"email": "hr@testby.test"})
    link = re.search(r"https?://[^/\s]+(/\S+)", mail.outbox[-1].body).group(1)  # type: ignore[union-attr]
    form_page = client.get(link, follow=True)
    new_password = "en-helt-ny-adgangskode-7"
    client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )

    assert attempt(client, "hr@testby.test", new_password).status_code == 302
