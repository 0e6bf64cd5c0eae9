"""Fixtures: a dialogue process in Testby Kommune (puls/testing.py) with an ideas round launched
through the real launch. The crowd of puls/invitations/tests/conftest.py is added, so 18 people are
invited and k = 5 holds for the storage cells."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from puls.invitations.models import Ballot, Invitation
from puls.invitations.services import ballot_shuffle
from puls.invitations.tests.conftest import add_people, enter_with_code
from puls.invitations.tokens import token_for
from puls.organisations.models import Person
from puls.participation import services
from puls.participation.models import Process, Round
from puls.testing import Personas


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def crowd(personas: Personas) -> Personas:
    add_people(personas.org, personas.units["100"], 2, prefix="10")
    add_people(personas.org, personas.units["210"], 3, prefix="21")
    add_people(personas.org, personas.units["220"], 5, prefix="22")
    return personas


def facilitator_client(personas: Personas) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(personas.org_admin, backend="django.contrib.auth.backends.ModelBackend")
    return client


@dataclass
class Dialogue:
    personas: Personas
    process: Process
    round: Round

    @property
    def ballot(self) -> Ballot:
        return Ballot.objects.get(pk=self.round.ballot_id)

    def token(self, person: Person) -> str:
        invitation = Invitation.objects.get(ballot_id=self.round.ballot_id, person=person)
        return token_for(invitation.pk, invitation.issue_number)

    def people(self) -> list[Person]:
        return [
            invitation.person
            for invitation in Invitation.objects.filter(ballot_id=self.round.ballot_id)
            .select_related("person")
            .order_by("person__employee_number")
        ]

    def url(self, name: str) -> str:
        return reverse(f"dialogue_answer:{name}", kwargs={"ballot_id": self.round.ballot_id})

    def participant(self, person: Person) -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        enter_with_code(client, self.ballot, self.token(person))
        return client

    def submit_ideas(self, person: Person, ideas: list[str], supports: list[str] = ()) -> tuple[Client, str]:
        """Write the ideas through the pages, submit, and return (client, receipt code shown)."""
        client = self.participant(person)
        for text in ideas:
            client.post(self.url("ideas"), {"action": "add", "text": text})
        client.post(self.url("ideas"), {"action": "supports", "support": list(supports)})
        code = client.get(self.url("review")).context["code"]
        response = client.post(self.url("review"), {"receipt_code": code})
        assert response.status_code == 200, response.content
        assert response.context["code"].replace("-", "") == code
        return client, code

    def publish(self) -> None:
        """Run the shuffle as the periodic job does when enough ballots wait (forced here)."""
        ballot_shuffle(ballot=self.ballot, force=True)

    def admin_url(self, name: str, **kwargs: Any) -> str:
        return reverse(
            f"participation:{name}",
            kwargs={"org_slug": self.personas.org.slug, "process_id": self.process.pk, **kwargs},
        )


@pytest.fixture
def make_dialogue(crowd: Personas) -> Callable[..., Dialogue]:
    def _make(*, mode: str = Process.Mode.ANONYMOUS, categories: list[str] | None = None) -> Dialogue:
        process = services.process_create(
            actor=crowd.org_admin,
            organisation=crowd.org,
            settings=services.ProcessSettings(title="Fælles værdier 2027", purpose="Værdier", mode=mode),
        )
        now = timezone.now()
        round_ = services.round_create(
            actor=crowd.org_admin,
            process=process,
            settings=services.RoundSettings(
                title="Runde 1: Udfordringer",
                kind="ideas",
                opens_at=now - timedelta(hours=1),
                closes_at=now + timedelta(days=7),
                settings={"categories": categories or []},
            ),
        )
        services.round_launch(actor=crowd.org_admin, round_=round_)
        return Dialogue(personas=crowd, process=process, round=Round.objects.get(pk=round_.pk))

    return _make


@pytest.fixture
def dialogue(make_dialogue: Callable[..., Dialogue]) -> Dialogue:
    return make_dialogue()
