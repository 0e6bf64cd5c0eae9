"""Per-round audiences (the process's, everyone, units with their subtrees and/or job groups, a
standing employee panel) and per-round invitation and reminder texts, through the facilitator pages
and the real launch and sending (issue 6, part 1)."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from puls.core.models import AuditEntry
from puls.invitations import services as ballots
from puls.invitations.models import Ballot, Invitation
from puls.invitations.tokens import token_for, token_format
from puls.organisations import services as org_services
from puls.organisations.models import EmployeePanel, Employment, Person, Unit
from puls.participation import services
from puls.participation.models import Process, Round
from puls.participation.tests.conftest import facilitator_client
from puls.testing import Personas

pytestmark = pytest.mark.django_db

FORMAT = "%Y-%m-%dT%H:%M"
INVITATION_TEXT = "Kære kolleger\n\nVi vil gerne høre jeres idéer til næste års værdier."
REMINDER_TEXT = "Der er stadig tid til at give jeres bud."


def round_data(**extra: Any) -> dict[str, Any]:
    now = timezone.localtime()
    return {
        "title": "Runde 1: Udfordringer",
        "kind": "ideas",
        "opens_at": (now - timedelta(hours=1)).strftime(FORMAT),
        "closes_at": (now + timedelta(days=7)).strftime(FORMAT),
        "supports": "on",
        "reminder_days": "3",
        **extra,
    }


def new_process(crowd: Personas, **settings: Any) -> Process:
    return services.process_create(
        actor=crowd.org_admin,
        organisation=crowd.org,
        settings=services.ProcessSettings(title="Fælles værdier 2027", **settings),
    )


def admin_url(crowd: Personas, name: str, process: Process, **kwargs: Any) -> str:
    return reverse(
        f"participation:{name}", kwargs={"org_slug": crowd.org.slug, "process_id": process.pk, **kwargs}
    )


def create_and_launch(crowd: Personas, process: Process, **data: Any) -> Round:
    client = facilitator_client(crowd)
    response = client.post(admin_url(crowd, "round_create", process), round_data(**data))
    assert response.status_code == 302, response.context["form"].errors
    round_ = Round.objects.get(process=process, ballot__title=data.get("title", "Runde 1: Udfordringer"))
    launched = client.post(admin_url(crowd, "round_launch", process, round_id=round_.pk), follow=True)
    assert launched.status_code == 200
    assert [str(m) for m in launched.context["messages"]][-1].startswith("The round was launched")
    round_.ballot.refresh_from_db()
    assert round_.ballot.status == Ballot.Status.OPEN
    return round_


def invited(round_: Round) -> set[str]:
    return set(
        Invitation.objects.filter(ballot_id=round_.ballot_id).values_list(
            "person__employee_number", flat=True
        )
    )


def employed_in(units: list[Unit]) -> set[str]:
    return set(
        Employment.objects.current()
        .filter(unit__in=Unit.objects.within(units))
        .values_list("person__employee_number", flat=True)
    )


def test_a_round_for_one_unit_invites_only_that_subtrees_people(crowd):
    """The process invites everyone; its round invites Børn og Unge (200) only: the people of
    Skole A and Skole B below it, and nobody in 100 or Ældre."""
    process = new_process(crowd)
    boern = crowd.units["200"]
    round_ = create_and_launch(crowd, process, audience="chosen", units=[str(boern.pk)])
    assert round_.audience_from_process is False
    expected = employed_in([boern])
    assert invited(round_) == expected
    assert len(expected) == 13  # 7 in Skole A, 6 in Skole B
    assert "3101" not in invited(round_)  # Mette in Plejecenter
    assert "1001" not in invited(round_)  # HR at the top
    # A later round that takes the process's audience invites everyone again.
    second = create_and_launch(crowd, process, title="Runde 2: Løsninger")
    assert second.audience_from_process is True
    assert invited(second) == employed_in([crowd.units["100"]])


def test_a_round_takes_the_process_audience_by_default(crowd):
    process = new_process(crowd, audience_everyone=False, audience_units=[crowd.units["220"]])
    round_ = create_and_launch(crowd, process)
    assert invited(round_) == employed_in([crowd.units["220"]])


def test_a_round_for_a_job_group_invites_that_group_only(crowd):
    nurses = Person.objects.filter(organisation=crowd.org, employee_number__startswith="22")
    Employment.objects.filter(person__in=nurses).update(job_group="Sygeplejerske")
    process = new_process(crowd)
    round_ = create_and_launch(crowd, process, audience="chosen", job_groups=["Sygeplejerske"])
    assert invited(round_) == set(nurses.values_list("employee_number", flat=True))


@pytest.fixture
def panel(crowd: Personas) -> EmployeePanel:
    """Six people from three units, and one whose employment has ended."""
    numbers = ["220000", "220001", "220002", "2201", "3101", "210000"]
    gone = Person.objects.get(organisation=crowd.org, employee_number="220003")
    Employment.objects.filter(person=gone).update(end_date=date(2020, 1, 1))
    return org_services.panel_save(
        actor=crowd.org_admin,
        organisation=crowd.org,
        name="Medarbejderpanelet",
        numbers="\n".join([*numbers, "220003"]),
    )


def test_a_round_for_the_panel_invites_its_employed_members(crowd, panel):
    process = new_process(crowd)
    round_ = create_and_launch(crowd, process, audience="panel", panel=str(panel.pk))
    assert round_.audience_panel == panel
    assert invited(round_) == {"220000", "220001", "220002", "2201", "3101", "210000"}


def test_a_process_for_the_panel_and_its_rounds(crowd, panel):
    client = facilitator_client(crowd)
    response = client.post(
        reverse("participation:process_create", kwargs={"org_slug": crowd.org.slug}),
        {
            "title": "Panelets værdier",
            "mode": "anonymous",
            "results": "internal",
            "audience": "panel",
            "panel": str(panel.pk),
        },
    )
    assert response.status_code == 302
    process = Process.objects.get(title="Panelets værdier")
    assert process.audience_panel == panel
    round_ = create_and_launch(crowd, process)
    assert invited(round_) == {"220000", "220001", "220002", "2201", "3101", "210000"}
    # The settings page shows the panel as chosen.
    form = client.get(admin_url(crowd, "process_edit", process)).context["form"]
    assert (form.initial["audience"], form.initial["panel"]) == ("panel", str(panel.pk))


def test_the_panel_choice_needs_a_panel_and_is_offered_only_when_one_exists(crowd):
    client = facilitator_client(crowd)
    process = new_process(crowd)
    url = admin_url(crowd, "round_create", process)
    form = client.get(url).context["form"]
    assert [value for value, _label in form.fields["audience"].choices] == ["process", "everyone", "chosen"]
    assert "panel" not in form.fields
    org_services.panel_save(actor=crowd.org_admin, organisation=crowd.org, name="Panel A", numbers="2201")
    org_services.panel_save(actor=crowd.org_admin, organisation=crowd.org, name="Panel B", numbers="3101")
    form = client.get(url).context["form"]
    assert "panel" in dict(form.fields["audience"].choices)
    response = client.post(url, round_data(audience="panel", panel=""))
    assert response.status_code == 200
    assert response.context["form"].errors["panel"] == ["Choose the panel to invite."]
    response = client.post(url, round_data(audience="chosen"))
    assert response.context["form"].errors["units"]
    assert not Round.objects.filter(process=process).exists()


def test_another_organisations_unit_or_panel_cannot_be_chosen(crowd):
    other_panel = org_services.panel_save(
        actor=crowd.outsider, organisation=crowd.other_org, name="Andenbys panel", numbers="9001"
    )
    client = facilitator_client(crowd)
    process = new_process(crowd)
    url = admin_url(crowd, "round_create", process)
    for data in (
        {"audience": "chosen", "units": [str(crowd.other_unit.pk)]},
        {"audience": "panel", "panel": str(other_panel.pk)},
    ):
        response = client.post(url, round_data(**data))
        assert response.status_code == 200
        assert response.context["form"].errors
    assert not Round.objects.filter(process=process).exists()


def test_the_audience_is_locked_after_launch(crowd):
    process = new_process(crowd)
    boern = crowd.units["200"]
    round_ = create_and_launch(crowd, process, audience="chosen", units=[str(boern.pk)])
    client = facilitator_client(crowd)
    url = admin_url(crowd, "round_edit", process, round_id=round_.pk)
    page = client.get(url)
    form = page.context["form"]
    assert form.initial["audience"] == "chosen"
    assert form.initial["units"] == [str(boern.pk)]
    assert all(field.disabled for field in form.fields.values())
    assert "can no longer be changed" in page.content.decode()
    client.post(url, round_data(audience="everyone", invitation_text="Ny tekst"))
    round_.refresh_from_db()
    assert (round_.audience_from_process, round_.audience_everyone) == (False, False)
    assert list(round_.audience_units.all()) == [boern]
    assert round_.ballot.invitation_text == ""
    with pytest.raises(services.ParticipationError):
        services.round_update(
            actor=crowd.org_admin,
            round_=round_,
            settings=services.RoundSettings(
                title="x",
                kind="ideas",
                opens_at=round_.ballot.opens_at,
                closes_at=round_.ballot.closes_at,
                audience_from_process=True,
            ),
        )


# Invitation and reminder texts ---------------------------------------------------------------------


def test_the_invitation_and_reminder_mails_carry_the_rounds_texts(crowd):
    process = new_process(crowd)
    mail.outbox.clear()
    round_ = create_and_launch(crowd, process, invitation_text=INVITATION_TEXT, reminder_text=REMINDER_TEXT)
    ballot = Ballot.objects.get(pk=round_.ballot_id)
    assert (ballot.invitation_text, ballot.reminder_text) == (INVITATION_TEXT, REMINDER_TEXT)
    employee = crowd.employee_person
    message = next(m for m in mail.outbox if m.to == [employee.email])
    # The round's own words come first; the standard text with the personal link and code stays.
    assert message.body.startswith(INVITATION_TEXT)
    invitation = Invitation.objects.get(ballot=ballot, person=employee)
    token = token_for(invitation.pk, invitation.issue_number)
    assert token in message.body
    assert token_format(token) in message.body
    assert message.body.index(INVITATION_TEXT) < message.body.index(token)
    assert "Kære Erik" in message.body
    assert "Dear Erik," in message.body
    assert REMINDER_TEXT not in message.body
    assert token not in message.subject

    mail.outbox.clear()
    ballots.ballots_run_due(now=timezone.now() + timedelta(days=3, minutes=1))
    reminder = next(m for m in mail.outbox if m.to == [employee.email])
    assert reminder.body.startswith(REMINDER_TEXT)
    assert INVITATION_TEXT not in reminder.body
    assert token in reminder.body
    assert token not in reminder.subject

    # The token is in the mail body only: not in the round's stored texts, the audit log or the
    # facilitator's pages.
    tokens = [
        token_for(i.pk, i.issue_number) for i in Invitation.objects.filter(ballot=ballot).order_by("pk")
    ]
    stored = " ".join(
        [ballot.invitation_text, ballot.reminder_text, ballot.title, str(round_.settings), round_.question]
        + [f"{entry.summary} {entry.data}" for entry in AuditEntry.objects.all()]
    )
    client = facilitator_client(crowd)
    pages = "".join(
        client.get(admin_url(crowd, name, process, **kwargs)).content.decode()
        for name, kwargs in (
            ("round_detail", {"round_id": round_.pk}),
            ("round_edit", {"round_id": round_.pk}),
        )
    )
    for text in (stored, pages):
        assert not any(token in text or token_format(token) in text for token in tokens)


def test_without_texts_the_mail_is_the_standard_one(crowd):
    process = new_process(crowd)
    mail.outbox.clear()
    create_and_launch(crowd, process)
    message = next(m for m in mail.outbox if m.to == [crowd.employee_person.email])
    assert message.body.startswith("Kære Erik")
    assert "=====" not in message.body


def test_the_round_form_keeps_the_texts(crowd):
    process = new_process(crowd)
    client = facilitator_client(crowd)
    now = timezone.localtime()
    data = round_data(
        invitation_text=INVITATION_TEXT,
        reminder_text=REMINDER_TEXT,
        opens_at=(now + timedelta(days=1)).strftime(FORMAT),
        closes_at=(now + timedelta(days=8)).strftime(FORMAT),
    )
    client.post(admin_url(crowd, "round_create", process), data)
    round_ = Round.objects.get(process=process)
    url = admin_url(crowd, "round_edit", process, round_id=round_.pk)
    form = client.get(url).context["form"]
    assert (form.initial["invitation_text"], form.initial["reminder_text"]) == (
        INVITATION_TEXT,
        REMINDER_TEXT,
    )
    client.post(url, {**data, "reminder_text": ""})
    ballot = Ballot.objects.get(pk=round_.ballot_id)
    assert (ballot.invitation_text, ballot.reminder_text) == (INVITATION_TEXT, "")
