"""The dialogue demo `manage.py load_demo` adds to Demo Kommune: "Fælles værdier 2027" with three
rounds, and the three receipt codes `manage.py demo_logins` prints (issue 6, part 7)."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from puls.core.links import links_from
from puls.invitations.models import Ballot, Invitation
from puls.organisations.demo.structure import DEMO_PASSWORD
from puls.organisations.models import Organisation, Unit
from puls.participation.demo import dialogue_demo_create
from puls.participation.link_kinds import OUTCOME_LINK, THEME_KIND
from puls.participation.models import (
    Assessment,
    Contribution,
    Outcome,
    PairwiseChoice,
    Process,
    Receipt,
    Support,
    Theme,
)
from puls.participation.services import receipt_for_code
from puls.participation.site_access import site_path

pytestmark = pytest.mark.django_db

CODE = re.compile(r"Receipt code: ([0-9A-Z]{4}(?:-[0-9A-Z]{4}){3}) \(")


def run_command(name: str, *args: str) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command(name, *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(settings) -> Organisation:
    settings.DEBUG = True  # as under `make run`
    # Without the surveys and the dialogue (the answered ballots), then the dialogue on its own.
    run_command("load_demo", "--without-surveys")
    organisation = Organisation.objects.get(slug="demo")
    assert not Process.objects.filter(organisation=organisation).exists()
    assert dialogue_demo_create(organisation=organisation).created
    return organisation


def test_faelles_vaerdier_2027_has_two_closed_rounds_and_one_open_and_reset_removes_it(demo):
    process = Process.objects.get(organisation=demo, title="Fælles værdier 2027")
    assert process.mode == Process.Mode.ANONYMOUS
    assert process.results == Process.Results.INTERNAL
    assert process.audience_panel is not None
    ideas, prioritise, assessment = process.rounds.select_related("ballot").order_by("order")
    assert [ideas.kind, prioritise.kind, assessment.kind] == ["ideas", "prioritise", "assessment"]
    # The standing panel: 230 people from every unit of the municipality.
    for round_ in (ideas, prioritise, assessment):
        assert round_.ballot.invited_count == 230
    invited_units = set(Invitation.objects.filter(ballot=ideas.ballot).values_list("unit_id", flat=True))
    assert invited_units == set(Unit.objects.filter(organisation=demo).values_list("pk", flat=True))

    # Round 1: 400+ ideas, all published, moderated, themed; supports of others' ideas.
    assert ideas.ballot.status == Ballot.Status.CLOSED
    contributions = Contribution.objects.filter(round=ideas)
    assert contributions.count() >= 400
    assert not contributions.filter(shuffled=False).exists()
    hidden = contributions.filter(hidden=True)
    assert hidden.count() == 4
    assert all(contribution.hidden_reason for contribution in hidden)
    assert contributions.filter(merged_into__isnull=False).count() >= 5
    assert Support.objects.filter(round=ideas).count() > 200
    themes = list(Theme.objects.filter(process=process))
    assert len(themes) == 9
    targets = set()
    for theme in themes:
        assert theme.memberships.count() >= 5, theme.title
        links = [
            link
            for link in links_from(organisation=demo, kind=THEME_KIND, object_id=theme.pk)
            if link.kind == OUTCOME_LINK
        ]
        assert links, f"{theme.title} has no outcome"
        assert all(link.reason for link in links)
        targets |= {link.target_kind for link in links}
    assert targets == {"participation.outcome", "policy.node"}
    assert Outcome.objects.filter(process=process, kind=Outcome.Kind.NOT_TAKEN_FORWARD).exists()
    assert Outcome.objects.filter(process=process, kind=Outcome.Kind.DRAFT_VALUE).count() >= 3

    # Round 2: pairwise choices of the themes taken forward, twelve pairs a ballot.
    assert prioritise.ballot.status == Ballot.Status.CLOSED
    assert prioritise.items.count() == 8
    ballots = Receipt.objects.filter(round=prioritise).count()
    assert 170 <= ballots <= 190
    assert PairwiseChoice.objects.filter(round=prioritise).count() == 12 * ballots

    # Round 3: open now over round 2's top five, the planted favourite first; part of the panel in.
    now = timezone.now()
    assert assessment.ballot.status == Ballot.Status.OPEN
    assert assessment.ballot.opens_at < now - timedelta(days=2)
    assert assessment.ballot.closes_at > now + timedelta(days=2)
    items = list(assessment.items.order_by("order"))
    assert len(items) == 5
    assert items[0].title == "Tid til kerneopgaven"
    assert all(item.source_item is not None and item.source_item.round_id == prioritise.pk for item in items)
    answered = Receipt.objects.filter(round=assessment)
    assert 50 <= answered.count() < 230
    assert not answered.filter(shuffled=False).exists()
    assert Assessment.objects.filter(round=assessment, shuffled=True).count() == 5 * answered.count()
    assert assessment.ballot.completed_count == answered.count()

    # Loading again adds nothing.
    assert not dialogue_demo_create(organisation=demo).created
    assert Contribution.objects.filter(round=ideas).count() == contributions.count()

    # A reset deletes the processes before the ballots: answer rows protect their storage cells.
    run_command("load_demo", "--reset", "--without-surveys")
    assert Organisation.objects.get(slug="demo").pk == demo.pk
    assert not Process.objects.exists()
    assert not Receipt.objects.exists()
    assert not Ballot.objects.filter(kind="participation.round").exists()


def test_demo_logins_prints_three_receipt_codes_that_show_themes_and_outcomes(demo):
    """The codes lead to their receipts; the employee login is on the panel and opens the internal
    process website."""
    text = run_command("demo_logins")
    assert "Fælles værdier 2027" in text
    assert "/kvittering/" in text
    codes = CODE.findall(text)
    assert len(codes) == 3
    assert run_command("demo_logins") == text  # the same codes every time

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    for code in codes:
        receipt = receipt_for_code(code)
        assert receipt is not None
        assert receipt.round.order == 1
        response = client.post(reverse("dialogue_receipt:receipt"), {"code": code})
        assert response.status_code == 200
        view = response.context["view"]
        entries = [entry for part in view.rounds for entry in part.entries]
        themed = [entry for entry in entries if entry.themes]
        assert themed, code
        assert all(theme.outcomes for entry in themed for theme in entry.themes)
        page = response.content.decode()
        assert "Theme:" in page
        assert "Reason:" in page
    first, second, third = (client.post(reverse("dialogue_receipt:receipt"), {"code": c}) for c in codes)
    assert len(first.context["view"].rounds) == 3  # joined with the same participant's rounds 2 and 3
    assert "Merged with a similar contribution" in second.content.decode()
    assert "Not taken forward" in second.content.decode()
    assert "Hidden by moderator:" in third.content.decode()

    process = Process.objects.get(organisation=demo)
    employee = Client(HTTP_ACCEPT_LANGUAGE="en")
    employee.post(
        reverse("core:login"), {"username": "medarbejder@demo.puls.test", "password": DEMO_PASSWORD}
    )
    response = employee.get(site_path(process))
    assert response.status_code == 200
    assert "Hvordan står det til i dag?" in response.content.decode()
