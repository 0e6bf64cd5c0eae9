"""A small launched survey for the kind, answering and rate tests.

The ballot rows are built directly (as a launch leaves them), so these tests do not depend on the
launch's coarsening: one storage cell for 200 Børn og Unge, one invitation per participant, and a
signed ballot cookie set on the test client the way the entry page sets it.
"""

import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.http import HttpResponse
from django.test import Client
from django.utils import timezone

from puls.invitations.models import Ballot, BallotCell, Invitation
from puls.invitations.tokens import token_for, token_lookup_hmac
from puls.invitations.views import BALLOT_COOKIE_SALT, ballot_cookie_name, ballot_cookie_path
from puls.organisations.models import Person, Unit
from puls.surveys.ballot_kind import SURVEY_KIND
from puls.surveys.models import Item, LocalItem, Questionnaire, Section, SectionItem, Survey
from puls.testing import Personas


@dataclass
class SurveyWorld:
    personas: Personas
    survey: Survey
    ballot: Ballot
    cell: BallotCell | None
    sections: list[Section]
    items: dict[str, Item]
    tokens: dict[str, str] = field(default_factory=dict)
    invitations: dict[str, Invitation] = field(default_factory=dict)

    def invite(self, person: Person, *, cell: BallotCell | None = None) -> str:
        """Create the person's invitation and return their token."""
        invitation_id = uuid.uuid4()
        token = token_for(invitation_id, 1)
        invitation = Invitation.objects.create(
            id=invitation_id,
            ballot=self.ballot,
            person=person,
            unit=person.employments.first().unit,  # type: ignore[union-attr]
            cell=cell or self.cell,  # type: ignore[misc]
            channel=Invitation.Channel.EMAIL,
            token_hmac=token_lookup_hmac(token),
        )
        self.tokens[person.employee_number] = token
        self.invitations[person.employee_number] = invitation
        return token


def ballot_cookie(client: Client, ballot: Ballot, token: str) -> None:
    """What the entry page leaves in the browser: a signed cookie holding only the token, signed
    by the same call (name, salt) as invitations.views sets it, so no legacy salt is involved."""
    name = ballot_cookie_name(ballot.pk)
    response = HttpResponse()
    response.set_signed_cookie(name, token, salt=BALLOT_COOKIE_SALT)
    client.cookies[name] = response.cookies[name].value
    client.cookies[name]["path"] = ballot_cookie_path(ballot.pk)


def _item(code: str, kind: str, da: str, en: str, **extra: object) -> Item:
    return Item.objects.create(code=code, kind=kind, text_da=da, text_en=en, **extra)  # type: ignore[misc]


def build_survey_world(
    personas: Personas, *, k: int = 3, title: str = "Trivsel 2025", launched: bool = True
) -> SurveyWorld:
    """A survey of four sections; `launched` leaves it as a launch would (open, k frozen, one cell),
    otherwise it is a draft for `ballot_launch` to launch."""
    org = personas.org
    questionnaire = Questionnaire.objects.create(
        organisation=org, kind=Questionnaire.Kind.TRIVSEL, name=title
    )
    items = {
        "tempo": _item(
            "tempo", Item.Kind.LIKERT, "Skal du arbejde meget hurtigt?", "Do you have to work very fast?"
        ),
        "rest": _item(
            "rest",
            Item.Kind.LIKERT,
            "Har du tid nok til dine opgaver?",
            "Do you have enough time for your tasks?",
            reversed=True,
        ),
        "role": _item(
            "role",
            Item.Kind.SINGLE,
            "Hvilken rolle har du?",
            "What is your role?",
            options=[{"da": "Medarbejder", "en": "Employee"}, {"da": "Leder", "en": "Manager"}],
        ),
        "channels": _item(
            "channels",
            Item.Kind.MULTIPLE,
            "Hvor får du information?",
            "Where do you get information?",
            options=[
                {"da": "Intranet", "en": "Intranet"},
                {"da": "Møder", "en": "Meetings"},
                {"da": "Mail", "en": "Mail"},
            ],
        ),
        "recommend": _item(
            "recommend",
            Item.Kind.SCALE_0_10,
            "Vil du anbefale din arbejdsplads?",
            "Would you recommend your workplace?",
            options=[{"da": "Slet ikke", "en": "Not at all"}, {"da": "Helt sikkert", "en": "Certainly"}],
        ),
        "comment": _item("comment", Item.Kind.FREE_TEXT, "Har du kommentarer?", "Any comments?"),
        "trust": _item("trust", Item.Kind.LIKERT, "Stoler du på ledelsen?", "Do you trust the management?"),
    }
    layout = [
        ("Krav", "Demands", ["tempo", "rest"]),
        ("Om dig", "About you", ["role", "channels"]),
        ("Anbefaling", "Recommendation", ["recommend", "trust"]),
        ("Kommentarer", "Comments", ["comment"]),
    ]
    sections = []
    for order, (title_da, title_en, codes) in enumerate(layout):
        section = Section.objects.create(
            questionnaire=questionnaire, title_da=title_da, title_en=title_en, order=order
        )
        for position, code in enumerate(codes):
            SectionItem.objects.create(section=section, item=items[code], order=position)
        sections.append(section)
    now = timezone.now()
    ballot = Ballot.objects.create(
        organisation=org,
        kind=SURVEY_KIND,
        title=title,
        status=Ballot.Status.OPEN if launched else Ballot.Status.DRAFT,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=6),
        launched_at=now - timedelta(days=1) if launched else None,
        k=k if launched else None,
        free_text_k=max(10, k) if launched else None,
    )
    survey = Survey.objects.create(organisation=org, ballot=ballot, questionnaire=questionnaire)
    cell = (
        BallotCell.objects.create(ballot=ballot, unit=personas.units["200"], invited_count=5)
        if launched
        else None
    )
    return SurveyWorld(
        personas=personas, survey=survey, ballot=ballot, cell=cell, sections=sections, items=items
    )


def add_local_item(world: SurveyWorld, unit: Unit, code: str, da: str, en: str) -> Item:
    item = _item(code, Item.Kind.LIKERT, da, en, organisation=world.personas.org)
    LocalItem.objects.create(survey=world.survey, unit=unit, item=item)
    return item
