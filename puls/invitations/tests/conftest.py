"""Fixtures for the invitations tests: surveys launched through the real launch, on the survey kind.

The population on top of the personas (Testby Kommune, see puls/testing.py):
    100 Testby Kommune      1 (HR) + 2 added = 3
    ├── 200 Børn og Unge     0
    │   ├── 210 Skole A      4 (leader + 3) + 3 added = 7
    │   └── 220 Skole B      1 (employee)   + 5 added = 6
    └── 300 Ældre            0
        └── 310 Plejecenter  2 (MED rep, Ole without e-mail)
With k = 5: 210 and 220 are storage units; 310's two people are stored with 100 (via 300), which
then holds 5. 18 invited, 14 by e-mail (Ole and the three Annas get letters).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from puls.invitations import services
from puls.invitations.models import Ballot, Invitation
from puls.invitations.tokens import token_for
from puls.organisations.models import Employment, Organisation, Person, Unit
from puls.surveys.ballot_kind import SURVEY_KIND
from puls.surveys.models import Item, Questionnaire, Section, SectionItem, Survey
from puls.testing import Personas


@pytest.fixture(autouse=True)
def _english(settings):
    """These tests read messages in English (the source language); Danish is covered by
    puls/core/tests/test_translation.py."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


FREE_TEXT_SECRET = "Min leder råber ad mig hver fredag"


def add_people(
    organisation: Organisation,
    unit: Unit,
    count: int,
    *,
    prefix: str,
    email: bool = True,
    job_group: str = "Pædagog",
    birth_year: int = 1980,
    start: date = date(2015, 1, 1),
) -> list[Person]:
    people = []
    for i in range(count):
        number = f"{prefix}{i:04d}"
        person = Person.objects.create(
            organisation=organisation,
            employee_number=number,
            first_name=f"Person{number}",
            last_name="Test",
            email=f"p{number}@{organisation.slug}.test" if email else "",
        )
        Employment.objects.create(
            person=person, unit=unit, job_group=job_group, start_date=start, birth_year=birth_year
        )
        people.append(person)
    return people


def survey_ballot(
    organisation: Organisation,
    *,
    title: str = "Trivsel 2026",
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
    **ballot_fields: Any,
) -> tuple[Ballot, Survey, dict[str, Item]]:
    """A draft survey ballot for everyone employed, with one Likert and one free-text question."""
    now = timezone.now()
    ballot = Ballot.objects.create(
        organisation=organisation,
        kind=SURVEY_KIND,
        title=title,
        opens_at=opens_at or now - timedelta(hours=1),
        closes_at=closes_at or now + timedelta(days=14),
        **ballot_fields,
    )
    questionnaire = Questionnaire.objects.create(
        organisation=organisation, kind=Questionnaire.Kind.TRIVSEL, name=title
    )
    section = Section.objects.create(questionnaire=questionnaire, title_da="Arbejdet", title_en="Work")
    items = {
        "tempo": Item.objects.create(
            organisation=organisation,
            code="tempo",
            kind=Item.Kind.LIKERT,
            text_da="Skal du arbejde meget hurtigt?",
            text_en="Do you have to work very fast?",
        ),
        "comment": Item.objects.create(
            organisation=organisation,
            code="comment",
            kind=Item.Kind.FREE_TEXT,
            text_da="Har du en kommentar?",
            text_en="Any comment?",
        ),
    }
    for order, item in enumerate(items.values()):
        SectionItem.objects.create(section=section, item=item, order=order)
    survey = Survey.objects.create(
        organisation=organisation, ballot=ballot, questionnaire=questionnaire, audience_everyone=True
    )
    return ballot, survey, items


@dataclass
class Launched:
    personas: Personas
    ballot: Ballot
    survey: Survey
    items: dict[str, Item]

    def invitation(self, person: Person) -> Invitation:
        return Invitation.objects.get(ballot=self.ballot, person=person)

    def token(self, person: Person) -> str:
        invitation = self.invitation(person)
        return token_for(invitation.pk, invitation.issue_number)

    def tokens(self) -> list[str]:
        return [
            token_for(invitation.pk, invitation.issue_number)
            for invitation in Invitation.objects.filter(ballot=self.ballot).order_by(
                "person__employee_number"
            )
        ]

    def holder(self, token: str) -> services.TokenHolder:
        return services.TokenHolder(ballot=Ballot.objects.get(pk=self.ballot.pk), token=token)

    def answers(self, value: int = 1, text: str = "") -> dict[str, Any]:
        answers: dict[str, Any] = {self.items["tempo"].id.hex: value}
        if text:
            answers[self.items["comment"].id.hex] = text
        return {"answers": answers}

    def submit(self, token: str, value: int = 1, text: str = "") -> dict[str, Any]:
        return services.ballot_submit(holder=self.holder(token), data=self.answers(value, text))

    def refresh(self) -> Ballot:
        self.ballot.refresh_from_db()
        return self.ballot


@pytest.fixture
def crowd(personas: Personas) -> Personas:
    add_people(personas.org, personas.units["100"], 2, prefix="10")
    add_people(personas.org, personas.units["210"], 3, prefix="21")
    add_people(personas.org, personas.units["220"], 5, prefix="22")
    return personas


@pytest.fixture
def launch(crowd: Personas) -> Callable[..., Launched]:
    def _launch(**ballot_fields: Any) -> Launched:
        ballot, survey, items = survey_ballot(crowd.org, **ballot_fields)
        ballot = services.ballot_launch(actor=crowd.org_admin, ballot=ballot)
        return Launched(personas=crowd, ballot=ballot, survey=survey, items=items)

    return _launch


@pytest.fixture
def launched(launch: Callable[..., Launched]) -> Launched:
    return launch()


def enter_with_code(client: Client, ballot: Ballot, token: str, **extra: Any) -> Any:
    return client.post(
        reverse("invitations:enter", kwargs={"ballot_id": ballot.pk}), {"code": token}, **extra
    )
