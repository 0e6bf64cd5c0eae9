"""Launch: thresholds frozen, audience frozen, storage cells, invitations, sending (ADR 0004)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from puls.core.models import AuditEntry
from puls.invitations import services
from puls.invitations.models import (
    AnonymitySettingsLocked,
    Ballot,
    BallotCell,
    Invitation,
    ParticipationCount,
)
from puls.invitations.services import BallotError
from puls.invitations.tests.conftest import survey_ballot
from puls.invitations.tokens import token_for, token_format, token_lookup_hmac
from puls.organisations.models import Employment, Organisation, Person

pytestmark = pytest.mark.django_db


def test_launch_freezes_thresholds_audience_and_cells(launched):
    ballot = launched.refresh()
    org = launched.personas.org
    assert ballot.status == Ballot.Status.OPEN
    assert (ballot.k, ballot.free_text_k) == (5, 10)
    assert ballot.invited_count == 3 + 7 + 6 + 2
    invitations = Invitation.objects.filter(ballot=ballot)
    assert invitations.count() == 18
    assert invitations.values("person").distinct().count() == 18

    cells = {cell.unit.code: cell.invited_count for cell in BallotCell.objects.filter(ballot=ballot)}
    # 310's two people go up through 300 into 100, together with HR.
    assert cells == {"100": 5, "210": 7, "220": 6}
    assert all(n >= ballot.k for n in cells.values())
    counts = {pc.unit.code: pc.invited for pc in ParticipationCount.objects.filter(ballot=ballot)}
    assert counts == {"100": 3, "210": 7, "220": 6, "310": 2}
    merged = [e for e in ballot.coarsening_report["entries"] if e["action"] == "unit_merged"]
    assert {(e["unit_name"], e["into_name"]) for e in merged} == {
        ("Plejecenter", "Ældre"),
        ("Ældre", "Testby Kommune"),
    }
    assert org.anonymity_k == 5


def test_thresholds_are_the_maximum_of_organisation_and_ballot(launch, crowd):
    crowd.org.anonymity_k = 6
    crowd.org.free_text_k = 8
    crowd.org.save()
    assert (launch().refresh().k, launch().refresh().free_text_k) == (6, 8)
    raised = launch(requested_k=7, requested_free_text_k=12).refresh()
    assert (raised.k, raised.free_text_k) == (7, 12)
    lower = launch(requested_k=3).refresh()
    assert lower.k == 6
    assert lower.free_text_k == 8


def test_anonymity_settings_are_locked_after_launch(launched):
    ballot = launched.refresh()
    for field, value in [("requested_k", 9), ("attributes", ["job_group"]), ("k", 3), ("free_text_k", 3)]:
        fresh = Ballot.objects.get(pk=ballot.pk)
        setattr(fresh, field, value)
        with pytest.raises(AnonymitySettingsLocked):
            fresh.save()
    # Other fields (e.g. the title) may still change.
    ballot.title = "Trivsel 2026 (rettet)"
    ballot.save()


def test_launch_refuses_fewer_invitees_than_k(personas):
    ballot, _survey, _items = survey_ballot(personas.other_org)
    with pytest.raises(BallotError, match="at least 5"):
        services.ballot_launch(actor=personas.outsider, ballot=ballot)
    ballot.refresh_from_db()
    assert ballot.status == Ballot.Status.DRAFT
    assert not Invitation.objects.filter(ballot=ballot).exists()
    assert not BallotCell.objects.filter(ballot=ballot).exists()


def test_launch_twice_is_refused(launched):
    with pytest.raises(BallotError):
        services.ballot_launch(actor=launched.personas.org_admin, ballot=launched.ballot)
    assert Invitation.objects.filter(ballot=launched.ballot).count() == 18


def test_one_invitation_per_person_from_the_newest_employment(crowd, launch):
    leader = crowd.leader_person
    Employment.objects.create(
        person=leader,
        unit=crowd.units["220"],
        job_group="Leder",
        start_date=timezone.localdate() - timedelta(days=30),
    )
    launched = launch()
    invitation = launched.invitation(leader)
    assert invitation.unit == crowd.units["220"]
    assert Invitation.objects.filter(ballot=launched.ballot, person=leader).count() == 1


def test_channels_and_emails_with_link_and_code(launched, settings):
    ballot = launched.ballot
    employee = launched.personas.employee_person
    ole = Invitation.objects.get(ballot=ballot, person__employee_number="3102")
    assert ole.channel == Invitation.Channel.LETTER
    assert launched.invitation(employee).channel == Invitation.Channel.EMAIL

    emailed = Invitation.objects.filter(ballot=ballot, channel=Invitation.Channel.EMAIL).count()
    assert len(mail.outbox) == emailed == 14
    message = next(m for m in mail.outbox if m.to == [employee.email])
    token = launched.token(employee)
    assert f"{settings.SITE_URL}/b/{ballot.pk}/#{token}" in message.body
    assert token_format(token) in message.body
    assert f"{settings.SITE_URL}/svar/" in message.body
    assert "Trivsel 2026" in message.subject
    assert "Erik" in message.body


def test_stored_token_hmac_is_the_lookup_of_the_first_issue(launched):
    invitation = launched.invitation(launched.personas.employee_person)
    assert invitation.issue_number == 1
    assert invitation.token_hmac == token_lookup_hmac(token_for(invitation.pk, 1))
    assert invitation.completed is False


def test_launch_is_audited_without_tokens(launched):
    entry = AuditEntry.objects.get(action="ballot.launch", target_id=str(launched.ballot.pk))
    assert entry.actor == launched.personas.org_admin
    assert entry.data["invited"] == 18
    assert entry.data["letters"] == 4
    text = f"{entry.summary} {entry.data}"
    assert not any(token in text for token in launched.tokens())


def test_a_ballot_opening_later_is_sent_by_the_periodic_job(crowd):
    ballot, _survey, _items = survey_ballot(crowd.org, opens_at=timezone.now() + timedelta(days=2))
    ballot = services.ballot_launch(actor=crowd.org_admin, ballot=ballot)
    assert ballot.status == Ballot.Status.OPEN
    assert not ballot.is_open
    assert mail.outbox == []

    services.ballots_run_due(now=timezone.now() + timedelta(days=1))
    assert mail.outbox == []
    services.ballots_run_due(now=timezone.now() + timedelta(days=2, minutes=1))
    assert len(mail.outbox) == 14
    services.ballots_run_due(now=timezone.now() + timedelta(days=2, minutes=20))
    assert len(mail.outbox) == 14  # sent once


def test_launch_of_two_thousand_uses_few_queries(personas, django_assert_max_num_queries):
    units = [personas.units[code] for code in ("210", "220", "310")]
    for index, unit in enumerate(units):
        people = [
            Person(
                organisation=personas.org,
                employee_number=f"9{index}{i:04d}",
                first_name="P",
                last_name=str(i),
                email=f"x{index}{i}@testby.test" if i % 5 else "",
            )
            for i in range(700)
        ]
        Person.objects.bulk_create(people)
        Employment.objects.bulk_create(
            Employment(
                person=p,
                unit=unit,
                job_group=f"G{i % 7}",
                start_date=timezone.localdate() - timedelta(days=400 * (i % 12)),
                birth_year=1960 + i % 40,
            )
            for i, p in enumerate(people)
        )
    ballot, _survey, _items = survey_ballot(
        personas.org, attributes=["job_group", "age_band", "seniority_band"]
    )
    with CaptureQueriesContext(connection) as queries:
        services.ballot_launch(actor=personas.org_admin, ballot=ballot)
    assert Invitation.objects.filter(ballot=ballot).count() == 2108
    # Sending runs at once in tests (immediate task backend); launch itself is a few bulk statements.
    launch_queries = [q for q in queries.captured_queries if "django_tasks" not in q["sql"]]
    assert len(launch_queries) < 200, len(launch_queries)
    cells = BallotCell.objects.filter(ballot=ballot)
    assert all(cell.invited_count >= 5 for cell in cells)
    assert sum(cell.invited_count for cell in cells) == 2108


def test_organisation_thresholds_stay_within_the_rules(personas):
    org = personas.org
    assert (org.anonymity_k, org.free_text_k) == (5, 10)
    for k, free_text_k in [(2, 10), (11, 11), (6, 5)]:
        org.anonymity_k, org.free_text_k = k, free_text_k
        with pytest.raises(ValidationError):
            org.full_clean()
    org.anonymity_k, org.free_text_k = 3, 3
    org.full_clean()
    # The database refuses what the form would, for code that skips validation.
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.filter(pk=org.pk).update(anonymity_k=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.filter(pk=org.pk).update(anonymity_k=8, free_text_k=6)
