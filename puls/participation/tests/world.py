"""The participation app's objects in the shared `world` fixture (puls/core/tests/conftest.py), for
the access matrix, the cross-tenant test and the CSRF test.

Each organisation gets a process with a launched ideas round in which one person (not the
employee persona, who can still answer) submitted two ideas, published by a forced shuffle; a
theme holding the first idea and linked to an outcome; and a second, unlinked outcome. Testby also
has a draft round, a draft prioritise round with items and an open prioritise round (dot voting).
All made through the services, as a facilitator would make them."""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from puls.core.models import Link, User
from puls.invitations import services as ballots
from puls.invitations.models import Ballot, Invitation
from puls.invitations.tokens import token_for
from puls.organisations.models import Organisation, Person
from puls.participation import round_items, services
from puls.participation.link_kinds import OUTCOME_KIND
from puls.participation.models import (
    Contribution,
    Outcome,
    Process,
    Round,
    RoundExport,
    Theme,
    ThemeMembership,
)
from puls.participation.receipts import receipt_code_new
from puls.testing import Personas


@dataclass
class Dialogue:
    """One organisation's dialogue objects."""

    process: Process
    round: Round  # launched (open), ideas
    contribution: Contribution  # published; the theme's member
    other_contribution: Contribution  # published, same round (a merge target)
    theme: Theme
    outcome: Outcome  # linked from the theme
    free_outcome: Outcome  # linked from nothing
    link: Link  # theme -> outcome
    receipt_code: str  # the contributor's
    draft_round: Round | None = None
    # Prioritise rounds (Testby only): a draft with two items, and an open dot vote with three
    # items that everyone, the employee persona included, is invited to.
    prioritise_draft: Round | None = None
    prioritise_round: Round | None = None
    # An open assessment round (Testby only) with two items, the employee persona invited.
    assessment_round: Round | None = None

    def ids(self) -> dict[str, uuid.UUID]:
        return {
            "process_id": self.process.pk,
            "round_id": self.round.pk,
            "contribution_id": self.contribution.pk,
            "theme_id": self.theme.pk,
            "link_id": self.link.pk,
        }

    def token(self, person: Person, round_: Round | None = None) -> str:
        invitation = Invitation.objects.get(ballot_id=(round_ or self.round).ballot_id, person=person)
        return token_for(invitation.pk, invitation.issue_number)


@dataclass
class ParticipationWorld:
    testby: Dialogue
    andenby: Dialogue

    def testby_ids(self) -> dict[str, uuid.UUID]:
        """The ids in participation URLs, under the URL namespace: policy URLs also have a round_id
        and a link_id (test_cross_tenant.url_for looks for "<namespace>:<name>" first)."""
        return {f"participation:{name}": value for name, value in self.testby.ids().items()}

    def andenby_ids(self) -> dict[str, uuid.UUID]:
        return {f"participation:{name}": value for name, value in self.andenby.ids().items()}

    def andenby_unchanged(self) -> bool:
        """Nothing reached Andenby's process, round, contributions, theme or outcomes through
        Testby's addresses."""
        other = self.andenby
        process = Process.objects.get(pk=other.process.pk)
        contributions = Contribution.objects.filter(round_id=other.round.pk)
        return (
            process.title == other.process.title
            and Ballot.objects.get(pk=other.round.ballot_id).status == Ballot.Status.OPEN
            and Round.objects.filter(process=process).count() == 1
            and sorted(contributions.values_list("text", "hidden", "merged_into"))
            == sorted([(other.contribution.text, False, None), (other.other_contribution.text, False, None)])
            and list(Theme.objects.filter(process=process).values_list("title", flat=True))
            == [other.theme.title]
            and list(
                ThemeMembership.objects.filter(theme_id=other.theme.pk).values_list(
                    "contribution_id", flat=True
                )
            )
            == [other.contribution.pk]
            and Outcome.objects.filter(process=process).count() == 2
            and Link.objects.filter(pk=other.link.pk).exists()
        )


def results_shown_live(dialogue: Dialogue) -> None:
    """Let the open round's results show while it is open, for the access tests of its results PDF:
    the process shows live results, and the round's free-text threshold drops to its one ballot
    (set here by hand: after launch no service may change it)."""
    Process.objects.filter(pk=dialogue.process.pk).update(live_results=True)
    Ballot.objects.filter(pk=dialogue.round.ballot_id).update(free_text_k=1)


def round_pdf_finished(dialogue: Dialogue) -> RoundExport:
    """A finished results PDF of the open round, as its task leaves it."""
    return RoundExport.objects.create(
        round=dialogue.round,
        language="da",
        status=RoundExport.Status.DONE,
        progress=100,
        content=b"%PDF-1.7\n",
        file_name="1-runde-1-udfordringer.pdf",
    )


def dialogue_build(
    organisation: Organisation,
    admin: User,
    contributor: Person,
    *,
    draft: bool = False,
    prioritise: bool = False,
    assessment: bool = False,
) -> Dialogue:
    process = services.process_create(
        actor=admin,
        organisation=organisation,
        settings=services.ProcessSettings(title=f"Fælles værdier i {organisation.name}", purpose="Værdier"),
    )
    now = timezone.now()

    def round_(title: str, kind: str = "ideas") -> Round:
        return services.round_create(
            actor=admin,
            process=process,
            settings=services.RoundSettings(
                title=title,
                kind=kind,
                opens_at=now - timedelta(hours=1),
                closes_at=now + timedelta(days=7),
            ),
        )

    def prioritise_round(title: str, items: str, *, launch: bool) -> Round:
        made = round_(title, kind="prioritise")
        round_items.items_from_list(actor=admin, round_=made, text=items)
        if launch:
            services.round_launch(actor=admin, round_=made)
        return Round.objects.select_related("ballot").get(pk=made.pk)

    def assessment_round(title: str, items: str) -> Round:
        made = round_(title, kind="assessment")
        round_items.items_from_list(actor=admin, round_=made, text=items)
        services.round_launch(actor=admin, round_=made)
        return Round.objects.select_related("ballot").get(pk=made.pk)

    launched = round_("Runde 1: Udfordringer")
    services.round_launch(actor=admin, round_=launched)
    ballot = Ballot.objects.get(pk=launched.ballot_id)
    invitation = Invitation.objects.get(ballot=ballot, person=contributor)
    code = receipt_code_new()
    ideas = [{"text": "Faste pauser", "category": ""}, {"text": "Flere pauser", "category": ""}]
    ballots.ballot_submit(
        holder=ballots.TokenHolder(ballot=ballot, token=token_for(invitation.pk, invitation.issue_number)),
        data={"receipt_code": code, "ideas": ideas, "supports": []},
    )
    ballots.ballot_shuffle(ballot=ballot, force=True)
    first, second = (Contribution.objects.get(round=launched, text=idea["text"]) for idea in ideas)
    theme = services.theme_create(actor=admin, process=process, title="Pauser")
    services.theme_assign(actor=admin, theme=theme, contribution_ids={first.pk}, shown_ids={first.pk})
    outcome = services.outcome_create(
        actor=admin, process=process, kind=Outcome.Kind.DRAFT_VALUE, title="Vi holder pauser"
    )
    link = services.outcome_link(
        actor=admin, theme=theme, target_kind=OUTCOME_KIND, target_id=outcome.pk, reason="Mange ønskede det"
    )
    return Dialogue(
        process=process,
        round=Round.objects.select_related("ballot").get(pk=launched.pk),
        contribution=first,
        other_contribution=second,
        theme=theme,
        outcome=outcome,
        free_outcome=services.outcome_create(
            actor=admin, process=process, kind=Outcome.Kind.NOT_TAKEN_FORWARD, title="Ikke nu"
        ),
        link=link,
        receipt_code=code,
        draft_round=round_("Runde 2: Løsninger") if draft else None,
        prioritise_draft=prioritise_round("Runde 3: Prioritering", "Pauser\nRo", launch=False)
        if prioritise
        else None,
        prioritise_round=(
            prioritise_round("Runde 4: Prikker", "Pauser\nRo\nFaglighed", launch=True) if prioritise else None
        ),
        assessment_round=assessment_round("Runde 5: Hvor står vi i dag?", "Tillid\nFaglighed")
        if assessment
        else None,
    )


def participation_world_build(personas: Personas) -> ParticipationWorld:
    """After the people of both organisations exist (a launch needs k = 5 invitees)."""
    testby_contributor = Person.objects.get(organisation=personas.org, employee_number="2110")
    andenby_contributor = (
        Person.objects.filter(organisation=personas.other_org)
        .exclude(pk=personas.outsider_person.pk)
        .order_by("employee_number")
        .first()
    )
    assert andenby_contributor is not None
    return ParticipationWorld(
        testby=dialogue_build(
            personas.org, personas.org_admin, testby_contributor, draft=True, prioritise=True, assessment=True
        ),
        andenby=dialogue_build(personas.other_org, personas.outsider, andenby_contributor),
    )
