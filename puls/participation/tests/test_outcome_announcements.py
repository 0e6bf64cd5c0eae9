"""Outcome changes are announced to all invitees of the process, never to one person (DESIGN §4.9):
one identical message per distinct invitee, after a quiet period or at once by the facilitator,
never twice for the same change, and without anything anyone wrote."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from puls.core.models import AuditEntry, Link
from puls.core.periodic import periodic_jobs
from puls.invitations.models import Invitation
from puls.invitations.tests.conftest import add_people
from puls.organisations.models import Person
from puls.participation import services
from puls.participation.announcements import announcements_due
from puls.participation.link_kinds import OUTCOME_KIND
from puls.participation.models import Contribution, Outcome, Process, Round
from puls.participation.tasks import outcome_announcements_run_due
from puls.participation.tests.conftest import Dialogue, facilitator_client

pytestmark = pytest.mark.django_db

IDEA = "Mere tid til faglig sparring om fredagen"
REASON = "Sparring var det mest nævnte ønske i runde 1"


def second_round(dialogue: Dialogue) -> Round:
    now = timezone.now()
    round_ = services.round_create(
        actor=dialogue.personas.org_admin,
        process=dialogue.process,
        settings=services.RoundSettings(
            title="Runde 2",
            kind="ideas",
            opens_at=now - timedelta(hours=1),
            closes_at=now + timedelta(days=7),
        ),
    )
    services.round_launch(actor=dialogue.personas.org_admin, round_=round_)
    return round_


@pytest.fixture
def linked(crowd, make_dialogue):
    """Two launched rounds of one process (the same people invited to both, one of them without an
    e-mail address, one invited to round 2 only), an idea themed and linked to an outcome."""
    add_people(crowd.org, crowd.units["220"], 1, prefix="55", email=False)
    dialogue = make_dialogue()
    late = add_people(crowd.org, crowd.units["220"], 1, prefix="66")[0]
    second_round(dialogue)
    assert Invitation.objects.filter(person=late).count() == 1
    _client, code = dialogue.submit_ideas(dialogue.people()[0], [IDEA])
    dialogue.publish()
    admin = crowd.org_admin
    theme = services.theme_create(actor=admin, process=dialogue.process, title="Faglighed")
    idea = Contribution.objects.get(text=IDEA)
    services.theme_assign(actor=admin, theme=theme, contribution_ids={idea.pk}, shown_ids={idea.pk})
    outcome = services.outcome_create(
        actor=admin, process=dialogue.process, kind=Outcome.Kind.DRAFT_VALUE, title="Vi lærer af hinanden"
    )
    mail.outbox.clear()
    services.outcome_link(
        actor=admin, theme=theme, target_kind=OUTCOME_KIND, target_id=outcome.pk, reason=REASON
    )
    return dialogue, code, theme


def invitees_with_email(process: Process) -> set[str]:
    return set(
        Person.objects.filter(invitations__ballot__dialogue_round__process=process)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def minutes_pass(process: Process, minutes: int) -> None:
    """Time passes: the process's outcome timestamps move `minutes` into the past."""
    Process.objects.filter(pk=process.pk).update(
        outcomes_changed_at=F("outcomes_changed_at") - timedelta(minutes=minutes),
        outcomes_announced_at=F("outcomes_announced_at") - timedelta(minutes=minutes),
    )


def test_the_periodic_job_is_registered():
    assert periodic_jobs()["participation.outcome_announcements"].task is outcome_announcements_run_due


def test_every_invitee_gets_the_same_message_once_the_outcomes_have_been_quiet(linked, settings):
    dialogue, code, _theme = linked
    process = dialogue.process
    assert Process.objects.get(pk=process.pk).outcomes_changed_at is not None

    # Changed a moment ago: nothing yet.
    outcome_announcements_run_due.enqueue()
    assert mail.outbox == []
    minutes_pass(process, settings.DIALOGUE_OUTCOME_ANNOUNCE_QUIET_MINUTES - 5)
    outcome_announcements_run_due.enqueue()
    assert mail.outbox == []

    minutes_pass(process, 6)
    outcome_announcements_run_due.enqueue()

    expected = invitees_with_email(process)
    recipients = [address for message in mail.outbox for address in message.to]
    assert all(len(message.to) == 1 for message in mail.outbox)
    assert sorted(recipients) == sorted(expected)  # one each, people of both rounds, none without address
    assert (
        len(expected)
        == Person.objects.filter(invitations__ballot__dialogue_round__process=process)
        .exclude(email="")
        .distinct()
        .count()
    )
    people = {person.email: person for person in Person.objects.filter(email__in=expected)}
    bodies = {message.body.replace(people[message.to[0]].first_name, "NAME") for message in mail.outbox}
    assert len(bodies) == 1
    assert len({message.subject for message in mail.outbox}) == 1
    body = bodies.pop()
    site = reverse(
        "dialogue_site:process", kwargs={"org_slug": process.organisation.slug, "process_id": process.pk}
    )
    assert site in body
    assert reverse("dialogue_receipt:receipt") in body
    assert "Fælles værdier 2027" in body
    assert "Dear NAME," in body  # English
    # Nothing anyone wrote, no receipt code, no theme, outcome or reason.
    for secret in (IDEA, REASON, code, code.lower(), "Faglighed", "Vi lærer af hinanden"):
        assert secret not in body
        assert all(secret not in message.subject for message in mail.outbox)
    assert Process.objects.get(pk=process.pk).outcomes_announced_at is not None

    # Nothing twice: the job finds nothing more to announce.
    count = len(mail.outbox)
    assert announcements_due(now=timezone.now() + timedelta(days=1)) == []
    outcome_announcements_run_due.enqueue()
    assert len(mail.outbox) == count


def test_a_later_change_is_announced_again_after_its_quiet_period(linked, settings):
    dialogue, _code, theme = linked
    process = dialogue.process
    minutes_pass(process, settings.DIALOGUE_OUTCOME_ANNOUNCE_QUIET_MINUTES + 1)
    outcome_announcements_run_due.enqueue()
    first = len(mail.outbox)
    assert first > 0

    link = Link.objects.get(source_id=theme.pk)
    services.outcome_unlink(actor=dialogue.personas.org_admin, theme=theme, link_id=link.pk)
    outcome_announcements_run_due.enqueue()
    assert len(mail.outbox) == first
    minutes_pass(process, settings.DIALOGUE_OUTCOME_ANNOUNCE_QUIET_MINUTES + 1)
    outcome_announcements_run_due.enqueue()
    assert len(mail.outbox) == 2 * first


def test_the_facilitator_tells_all_invitees_at_once(linked, django_capture_on_commit_callbacks):
    dialogue, _code, _theme = linked
    process = dialogue.process
    facilitator = facilitator_client(dialogue.personas)
    page = facilitator.get(dialogue.admin_url("process_detail")).content.decode()
    assert "Tell all invitees now" in page
    assert "The outcomes changed" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = facilitator.post(dialogue.admin_url("outcomes_announce"))
    assert response.status_code == 302
    assert sorted(address for m in mail.outbox for address in m.to) == sorted(invitees_with_email(process))
    assert AuditEntry.objects.filter(action="dialogue.outcomes.announce").count() == 1

    page = facilitator.get(dialogue.admin_url("process_detail")).content.decode()
    assert "Tell all invitees now" not in page
    assert "was told about the outcomes on" in page

    # Pressing again (another tab) sends nothing, and the quiet-period job does not repeat it.
    count = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        response = facilitator.post(dialogue.admin_url("outcomes_announce"), follow=True)
    assert "have not changed since everyone was last told" in response.content.decode()
    minutes_pass(process, 60)
    outcome_announcements_run_due.enqueue()
    assert len(mail.outbox) == count


def test_the_button_takes_post_only(linked):
    dialogue, _code, _theme = linked
    facilitator = facilitator_client(dialogue.personas)
    assert facilitator.get(dialogue.admin_url("outcomes_announce")).status_code == 405
    assert mail.outbox == []
