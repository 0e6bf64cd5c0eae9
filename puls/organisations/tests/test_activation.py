"""HR sends an activation link; the person chooses a password and lands in their organisation."""

import re
import smtplib
from datetime import timedelta

import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.contrib.messages import get_messages
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client
from django.urls import reverse

from puls.core.models import AuditEntry, User
from puls.organisations.models import Person
from puls.testing import make_person

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
NEW_PASSWORD = "mit-eget-gode-kodeord-9"


class FailingEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        raise smtplib.SMTPServerDisconnected("connection lost")


def client_for(user: User | None = None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user, backend=MODEL_BACKEND)
    return client


def activation_url(person: Person) -> str:
    return reverse(
        "organisations:person_send_activation",
        kwargs={"org_slug": person.organisation.slug, "person_id": person.pk},
    )


def messages_of(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(message) for message in get_messages(response.wsgi_request)]


def link_path_in_last_mail() -> str:
    match = re.search(r"https?://[^/\s]+(/activate/\S+)", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


@pytest.fixture
def newcomer(personas) -> Person:
    return make_person(personas.org, personas.units["220"], "2202", "Nina", "Ny", email="Nina.Ny@testby.test")


def test_hr_sends_activation_link_and_the_person_chooses_a_password(personas, newcomer):
    response = client_for(personas.org_admin).post(activation_url(newcomer))

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "organisations:person_detail", kwargs={"org_slug": "testby", "person_id": newcomer.pk}
    )
    assert messages_of(response) == ["An activation link has been sent to nina.ny@testby.test."]
    newcomer.refresh_from_db()
    assert newcomer.user is not None
    assert not newcomer.user.has_usable_password()
    assert mail.outbox[-1].to == ["nina.ny@testby.test"]
    assert "Testby Kommune" in mail.outbox[-1].subject
    entry = AuditEntry.objects.get(action="person.activation_sent")
    assert (entry.actor, entry.organisation, entry.target_id) == (
        personas.org_admin,
        personas.org,
        str(newcomer.pk),
    )

    browser = client_for()
    link = link_path_in_last_mail()
    form_page = browser.get(link, follow=True)
    html = form_page.content.decode()
    assert "Choose your password" in html
    assert "nina.ny@testby.test" in html
    assert link not in form_page.redirect_chain[-1][0], "the token leaves the address bar"

    done = browser.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("organisations:dashboard", kwargs={"org_slug": "testby"})
    assert browser.session["_auth_user_id"] == str(newcomer.user.pk)

    login = client_for().post(
        reverse("core:login"), {"username": "nina.ny@testby.test", "password": NEW_PASSWORD}
    )
    assert login.status_code == 302


def test_used_link_says_so_clearly(personas, newcomer):
    client_for(personas.org_admin).post(activation_url(newcomer))
    link = link_path_in_last_mail()
    browser = client_for()
    form_page = browser.get(link, follow=True)
    browser.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )

    again = client_for().get(link, follow=True)
    assert again.status_code == 200
    assert "This activation link has expired or has already been used." in again.content.decode()
    assert 'name="new_password1"' not in again.content.decode()


def test_expired_link_says_so_clearly(personas, newcomer, monkeypatch):
    client_for(personas.org_admin).post(activation_url(newcomer))
    link = link_path_in_last_mail()
    real_now = PasswordResetTokenGenerator._now
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: real_now(self) + timedelta(days=4))

    response = client_for().get(link, follow=True)
    assert "This activation link has expired or has already been used." in response.content.decode()


def test_person_without_email_gets_a_clear_message_and_no_login(personas):
    without_email = Person.objects.get(organisation=personas.org, employee_number="3102")
    response = client_for(personas.org_admin).post(activation_url(without_email))

    assert response.status_code == 302
    assert messages_of(response) == [
        "Ole Uden-Mail has no e-mail address, so no activation link can be sent. "
        "They can take part through printed codes."
    ]
    without_email.refresh_from_db()
    assert without_email.user is None
    assert mail.outbox == []
    assert not AuditEntry.objects.filter(action="person.activation_sent").exists()


def test_failed_email_saves_nothing_and_says_so(personas, newcomer, settings):
    settings.EMAIL_BACKEND = f"{__name__}.FailingEmailBackend"
    response = client_for(personas.org_admin).post(activation_url(newcomer))

    assert response.status_code == 302
    assert messages_of(response) == ["The e-mail could not be sent. Try again later."]
    newcomer.refresh_from_db()
    assert newcomer.user is None
    assert not User.objects.filter(email="nina.ny@testby.test").exists()
    assert not AuditEntry.objects.filter(action="person.activation_sent").exists()


@pytest.mark.parametrize("persona", ["employee", "leader", "med_rep"])
def test_people_who_are_not_hr_may_not_send_links(personas, newcomer, persona):
    response = client_for(getattr(personas, persona)).post(activation_url(newcomer))
    assert response.status_code == 403
    assert mail.outbox == []


def test_another_organisations_admin_gets_404(personas, newcomer):
    response = client_for(personas.outsider).post(activation_url(newcomer))
    assert response.status_code == 404
    assert mail.outbox == []


def test_a_person_of_another_organisation_is_404_under_this_organisation(personas):
    url = reverse(
        "organisations:person_send_activation",
        kwargs={"org_slug": "testby", "person_id": personas.outsider_person.pk},
    )
    assert client_for(personas.org_admin).post(url).status_code == 404
    assert mail.outbox == []


def test_sending_needs_a_post(personas, newcomer):
    assert client_for(personas.org_admin).get(activation_url(newcomer)).status_code == 405
    assert mail.outbox == []


def test_anonymous_is_sent_to_login(newcomer):
    response = client_for().post(activation_url(newcomer))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))
