"""Entering a ballot: link fragment, typed code, /svar, the ballot cookie and throttling (DESIGN §4.6)."""

from datetime import timedelta

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from puls.invitations import services
from puls.invitations.models import Ballot, Invitation
from puls.invitations.tests.conftest import add_people, enter_with_code, survey_ballot
from puls.invitations.tokens import token_for, token_format
from puls.invitations.views import BALLOT_COOKIE_SALT, ballot_cookie_name, holder_from_request

pytestmark = pytest.mark.django_db


def signed(name: str, value: str) -> str:
    """A cookie value signed the way the entry views sign it."""
    response = HttpResponse()
    response.set_signed_cookie(name, value, salt=BALLOT_COOKIE_SALT)
    return response.cookies[name].value


def enter_url(ballot: Ballot) -> str:
    return reverse("invitations:enter_page", kwargs={"ballot_id": ballot.pk})


def survey_start(ballot: Ballot) -> str:
    return reverse("survey_answer:start", kwargs={"ballot_id": ballot.pk})


def test_entry_page_without_cookie_shows_the_code_form_and_the_fragment_script(launched):
    response = Client().get(enter_url(launched.ballot))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert 'src="/static/puls/enter.js"' in html
    assert 'id="puls-token-form"' in html
    assert 'name="code"' in html
    assert "<script>" not in html  # no inline script (CSP)
    assert launched.ballot.title in html


def test_the_token_is_exchanged_for_a_signed_httponly_cookie_scoped_to_the_ballot(launched, rf):
    ballot = launched.ballot
    token = launched.token(launched.personas.employee_person)
    client = Client()
    response = enter_with_code(client, ballot, token)

    assert response.status_code == 302
    assert response["Location"] == survey_start(ballot)
    assert "no-store" in response["Cache-Control"]
    cookie = response.cookies[ballot_cookie_name(ballot.pk)]
    assert cookie["path"] == f"/b/{ballot.pk}/"
    assert cookie["httponly"]
    assert cookie["secure"]  # DEBUG is off in tests
    assert cookie["samesite"] == "Lax"
    assert 0 < int(cookie["max-age"]) <= 14 * 24 * 3600
    # Signed: the raw value is not accepted back, and it holds nothing but the token.
    assert cookie.value != token
    request = rf.get(enter_url(ballot))
    request.COOKIES[cookie.key] = cookie.value
    assert request.get_signed_cookie(cookie.key, salt=BALLOT_COOKIE_SALT) == token


def test_the_code_as_printed_works_too(launched):
    token = launched.token(launched.personas.employee_person)
    typed = token_format(token).lower().replace("-", " ")
    response = enter_with_code(Client(), launched.ballot, typed)
    assert response.status_code == 302
    assert ballot_cookie_name(launched.ballot.pk) in response.cookies


def test_no_url_carries_the_token_after_the_exchange(launched):
    ballot = launched.ballot
    token = launched.token(launched.personas.employee_person)
    client = Client()
    response = enter_with_code(client, ballot, token, follow=True)
    assert response.status_code == 200
    visited = [url for url, _status in response.redirect_chain] + [response.request["PATH_INFO"]]
    assert visited[-1].startswith(f"/b/{ballot.pk}/survey/")
    for url in visited:
        assert token not in url
        assert token_format(token) not in url
    assert token not in response.content.decode()
    # Back on the entry page the cookie leads straight on.
    again = client.get(enter_url(ballot))
    assert again.status_code == 302
    assert again["Location"] == survey_start(ballot)
    assert token not in again["Location"]


def test_a_forged_or_foreign_cookie_is_not_accepted(launched, rf):
    ballot = launched.ballot
    token = launched.token(launched.personas.employee_person)
    request = rf.get(enter_url(ballot))
    request.COOKIES[ballot_cookie_name(ballot.pk)] = token  # unsigned
    assert holder_from_request(request, ballot.pk) is None

    other, _survey, _items = survey_ballot(launched.personas.org, title="Andet")
    request = rf.get(enter_url(ballot))
    request.COOKIES[ballot_cookie_name(ballot.pk)] = signed(
        ballot_cookie_name(other.pk), token
    )  # another name
    assert holder_from_request(request, ballot.pk) is None

    request.COOKIES[ballot_cookie_name(ballot.pk)] = signed(ballot_cookie_name(ballot.pk), token)
    holder = holder_from_request(request, ballot.pk)
    assert holder is not None
    assert holder.token == token
    assert holder.ballot == ballot


def test_a_wrong_code_shows_the_form_error_and_sets_no_cookie(launched):
    response = enter_with_code(Client(), launched.ballot, "AAAA-BBBB-CCCC-DDDD")
    assert response.status_code == 200
    assert "not recognised" in response.content.decode()
    assert not response.cookies.get(ballot_cookie_name(launched.ballot.pk))
    short = enter_with_code(Client(), launched.ballot, "ABC")
    assert "16 letters and digits" in short.content.decode()


def test_a_code_for_another_ballot_is_refused_on_this_ballot(launch):
    first = launch()
    second = launch(title="Pulsmåling")
    token = first.token(first.personas.employee_person)
    response = enter_with_code(Client(), second.ballot, token)
    assert response.status_code == 200
    assert not response.cookies.get(ballot_cookie_name(second.ballot.pk))


def test_repeated_wrong_codes_are_throttled_with_429(launched, settings):
    settings.INVITATION_CODE_FAILURES_PER_ADDRESS = 3
    client = Client(REMOTE_ADDR="10.0.0.7")
    for _ in range(3):
        assert enter_with_code(client, launched.ballot, "AAAA-BBBB-CCCC-DDDD").status_code == 200
    blocked = client.post(reverse("invitations:code"), {"code": "AAAA-BBBB-CCCC-DDDD"})
    assert blocked.status_code == 429
    assert "Too many wrong codes" in blocked.content.decode()
    # Even the right code waits: a guesser learns nothing from the answer.
    right = enter_with_code(client, launched.ballot, launched.token(launched.personas.employee_person))
    assert right.status_code == 429
    # Another address is not affected.
    other = enter_with_code(
        Client(REMOTE_ADDR="10.0.0.8"), launched.ballot, launched.token(launched.personas.employee_person)
    )
    assert other.status_code == 302


def test_the_global_cap_throttles_every_address(launched, settings):
    settings.INVITATION_CODE_FAILURES_PER_MINUTE = 4
    for i in range(4):
        Client(REMOTE_ADDR=f"10.1.0.{i}").post(reverse("invitations:code"), {"code": "AAAA-BBBB-CCCC-DDDD"})
    assert Client(REMOTE_ADDR="10.1.1.1").post(reverse("invitations:code"), {"code": "x"}).status_code == 429


def test_svar_finds_the_ballot_of_another_organisations_letter(launched):
    personas = launched.personas
    add_people(personas.other_org, personas.other_unit, 5, prefix="A", email=False)
    other_ballot, _survey, _items = survey_ballot(personas.other_org, title="Andenby trivsel")
    other_ballot = services.ballot_launch(actor=personas.outsider, ballot=other_ballot)
    letter = Invitation.objects.filter(ballot=other_ballot, channel=Invitation.Channel.LETTER).first()
    code = token_format(token_for(letter.pk, letter.issue_number))

    client = Client()
    form = client.get(reverse("invitations:code"))
    assert form.status_code == 200
    assert "no-store" in form["Cache-Control"]
    response = client.post(reverse("invitations:code"), {"code": code})
    assert response.status_code == 302
    assert response["Location"] == enter_url(other_ballot)
    cookie = response.cookies[ballot_cookie_name(other_ballot.pk)]
    assert cookie["path"] == f"/b/{other_ballot.pk}/"
    landed = client.get(response["Location"], follow=True)
    assert landed.redirect_chain[0][0] == survey_start(other_ballot)
    assert landed.request["PATH_INFO"].startswith(survey_start(other_ballot))
    assert "Andenby trivsel" in landed.content.decode()


def test_svar_refuses_a_wrong_code(launched):
    response = Client().post(reverse("invitations:code"), {"code": "AAAA-BBBB-CCCC-DDDD"})
    assert response.status_code == 200
    assert "not recognised" in response.content.decode()
    assert not [name for name in response.cookies if name.startswith("ballot_")]


def test_closed_and_not_yet_open_ballots_explain_themselves(launched, crowd):
    token = launched.token(crowd.employee_person)
    services.ballot_close(ballot=launched.ballot)
    closed = Client().get(enter_url(launched.ballot))
    assert closed.status_code == 410
    assert "has closed" in closed.content.decode()
    assert enter_with_code(Client(), launched.ballot, token).status_code == 410
    assert Client().post(reverse("invitations:code"), {"code": token}).status_code == 410

    later, _survey, _items = survey_ballot(
        crowd.org, title="Senere", opens_at=timezone.now() + timedelta(days=3)
    )
    later = services.ballot_launch(actor=crowd.org_admin, ballot=later)
    page = Client().get(enter_url(later))
    assert page.status_code == 200
    assert "It opens" in page.content.decode()
    assert (
        not Client()
        .post(reverse("invitations:code"), {"code": token})
        .cookies.get(ballot_cookie_name(later.pk))
    )


def test_a_draft_ballot_has_no_entry_page(crowd):
    ballot, _survey, _items = survey_ballot(crowd.org)
    assert Client().get(enter_url(ballot)).status_code == 404
