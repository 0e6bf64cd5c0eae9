"""The sealed, idempotent submit, drafts and reprints (DESIGN §4.6, §4.7; §7 items 15–17)."""

import logging
import re
import threading

import pytest
from django.db import connection
from django.test import Client

from puls.core.models import AuditEntry
from puls.invitations import services
from puls.invitations.models import Ballot, Draft, Invitation
from puls.invitations.services import (
    AlreadySubmitted,
    BallotClosed,
    BallotError,
    InvalidSubmission,
    SubmissionFailed,
)
from puls.invitations.tests.conftest import FREE_TEXT_SECRET, enter_with_code, survey_ballot
from puls.invitations.tokens import token_draft_key, token_for
from puls.invitations.views import ballot_cookie_name
from puls.surveys.ballot_kind import SurveyKind
from puls.surveys.models import Answer, Item, Response, Section, SectionItem


def responses(ballot: Ballot) -> int:
    return Response.objects.filter(survey__ballot=ballot).count()


@pytest.mark.django_db
def test_submit_writes_one_response_in_the_invitations_cell_and_nothing_about_the_person(launched):
    employee = launched.personas.employee_person
    token = launched.token(employee)
    services.draft_save(holder=launched.holder(token), data=launched.answers(3))
    audit_before = AuditEntry.objects.count()

    result = launched.submit(token, value=3, text=FREE_TEXT_SECRET)

    assert result == {"answers": 2}
    invitation = launched.invitation(employee)
    assert invitation.completed is True
    response = Response.objects.get(survey__ballot=launched.ballot)
    assert response.cell_id == invitation.cell_id
    assert not response.shuffled
    assert Answer.objects.filter(response=response).count() == 2
    assert not Draft.objects.filter(ballot=launched.ballot).exists()
    assert AuditEntry.objects.count() == audit_before


@pytest.mark.django_db
def test_a_second_submit_is_refused_and_stores_nothing(launched):
    token = launched.token(launched.personas.employee_person)
    launched.submit(token, value=1)
    with pytest.raises(AlreadySubmitted):
        launched.submit(token, value=4)
    assert responses(launched.ballot) == 1
    assert set(
        Answer.objects.filter(response__survey__ballot=launched.ballot).values_list("value", flat=True)
    ) == {75}


@pytest.mark.django_db
def test_invalid_input_is_returned_and_nothing_is_written(launched):
    token = launched.token(launched.personas.employee_person)
    with pytest.raises(InvalidSubmission) as refused:
        services.ballot_submit(
            holder=launched.holder(token), data={"answers": {launched.items["tempo"].id.hex: 99}}
        )
    assert launched.items["tempo"].id.hex in refused.value.errors
    assert responses(launched.ballot) == 0
    assert launched.invitation(launched.personas.employee_person).completed is False


@pytest.mark.django_db
def test_submit_after_close_is_refused(launched):
    token = launched.token(launched.personas.employee_person)
    services.ballot_close(ballot=launched.ballot)
    with pytest.raises(BallotClosed):
        launched.submit(token)
    assert responses(launched.ballot) == 0


@pytest.mark.django_db
def test_a_failure_half_way_leaves_nothing_and_no_trace_of_the_content(launched, monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    employee = launched.personas.employee_person
    token = launched.token(employee)
    services.draft_save(holder=launched.holder(token), data=launched.answers(2, FREE_TEXT_SECRET))
    original = SurveyKind.write_submission

    def write_then_fail(self, ballot, cell, data):
        original(self, ballot, cell, data)
        assert responses(ballot) == 1  # the rows were written inside the transaction …
        raise ValueError(f"could not store {data['answers']}")

    monkeypatch.setattr(SurveyKind, "write_submission", write_then_fail)
    with pytest.raises(SubmissionFailed) as failed:
        launched.submit(token, value=2, text=FREE_TEXT_SECRET)

    # … and are gone with it; the flag is untouched and the draft is still there.
    assert responses(launched.ballot) == 0
    assert not Answer.objects.filter(response__survey__ballot=launched.ballot).exists()
    assert launched.invitation(employee).completed is False
    assert services.draft_get(holder=launched.holder(token))["answers"]
    # The raised error carries neither the answer nor the original message.
    assert FREE_TEXT_SECRET not in str(failed.value)
    assert failed.value.__cause__ is None
    assert failed.value.__suppress_context__
    assert FREE_TEXT_SECRET not in caplog.text

    monkeypatch.setattr(SurveyKind, "write_submission", original)
    launched.submit(token, value=2, text=FREE_TEXT_SECRET)
    assert responses(launched.ballot) == 1


# On SQLite the test database lives in a shared-cache memory database, where concurrent writers
# fail at once ("table is locked") instead of waiting as they do on a file with WAL; there the
# sequential double submit above covers idempotence and IMMEDIATE transactions serialise writers.
@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL in tests")
@pytest.mark.django_db(transaction=True)
def test_simultaneous_submits_of_one_token_store_exactly_one_response(launched):
    token = launched.token(launched.personas.employee_person)
    holder = launched.holder(token)
    data = launched.answers(2)
    start = threading.Barrier(8)
    outcomes: list[str] = []
    lock = threading.Lock()

    def submit() -> None:
        try:
            start.wait(timeout=10)
            try:
                services.ballot_submit(holder=holder, data=data)
                outcome = "stored"
            except AlreadySubmitted:
                outcome = "already"
            except Exception as error:  # reported in the assertion below
                outcome = f"error: {type(error).__name__}: {error}"
            with lock:
                outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["already"] * 7 + ["stored"], outcomes
    assert responses(launched.ballot) == 1
    assert Invitation.objects.get(
        token_hmac=launched.invitation(launched.personas.employee_person).token_hmac
    ).completed


@pytest.mark.django_db
def test_drafts_are_keyed_by_a_second_hmac_and_deleted_on_submit(launched):
    token = launched.token(launched.personas.employee_person)
    holder = launched.holder(token)
    assert services.draft_get(holder=holder) == {}
    services.draft_save(holder=holder, data=launched.answers(1))
    services.draft_save(holder=holder, data=launched.answers(4, "udkast"))
    draft = Draft.objects.get(ballot=launched.ballot)
    assert draft.key == token_draft_key(token)
    assert draft.key != launched.invitation(launched.personas.employee_person).token_hmac
    assert services.draft_get(holder=holder) == launched.answers(4, "udkast")
    # The draft row knows its ballot and key, nothing else.
    assert {field.name for field in Draft._meta.concrete_fields} == {"id", "ballot", "key", "data"}

    launched.submit(token, value=4)
    assert not Draft.objects.exists()
    with pytest.raises(AlreadySubmitted):
        services.draft_get(holder=holder)
    with pytest.raises(AlreadySubmitted):
        services.draft_save(holder=holder, data=launched.answers(1))
    assert not Draft.objects.exists()


@pytest.mark.django_db
def test_drafts_need_a_valid_code_and_an_open_ballot(launched):
    with pytest.raises(BallotError):
        services.draft_save(holder=launched.holder("AAAABBBBCCCCDDDD"), data={"answers": {}})
    token = launched.token(launched.personas.employee_person)
    services.ballot_close(ballot=launched.ballot)
    with pytest.raises(BallotClosed):
        services.draft_save(holder=launched.holder(token), data={"answers": {}})
    assert not Draft.objects.exists()


@pytest.mark.django_db
def test_reprint_kills_the_old_code_keeps_the_draft_and_is_audited(launched):
    employee = launched.personas.employee_person
    old = launched.token(employee)
    services.draft_save(holder=launched.holder(old), data=launched.answers(3, "halvfærdig"))

    new = services.invitation_reprint(
        actor=launched.personas.org_admin, invitation=launched.invitation(employee)
    )

    assert new != old
    invitation = launched.invitation(employee)
    assert invitation.issue_number == 2
    assert services.invitation_for_token(token=old) is None
    assert services.invitation_for_token(token=new, ballot=launched.ballot) == invitation
    refused = enter_with_code(Client(), launched.ballot, old)
    assert not refused.cookies.get(ballot_cookie_name(launched.ballot.pk))
    assert enter_with_code(Client(), launched.ballot, new).status_code == 302

    assert services.draft_get(holder=launched.holder(new)) == launched.answers(3, "halvfærdig")
    services.draft_save(holder=launched.holder(new), data=launched.answers(2, "færdig"))
    assert list(Draft.objects.values_list("key", flat=True)) == [token_draft_key(new)]

    entry = AuditEntry.objects.get(action="invitation.reprint")
    assert entry.actor == launched.personas.org_admin
    assert entry.target_id == str(invitation.pk)
    assert entry.data["issue_number"] == 2
    assert old not in str(entry.data)
    assert new not in str(entry.data)

    launched.submit(new, value=2)
    assert not Draft.objects.exists()


@pytest.mark.django_db
def test_submit_with_a_reprinted_code_removes_the_draft_of_the_old_issue(launched):
    employee = launched.personas.employee_person
    old = launched.token(employee)
    services.draft_save(holder=launched.holder(old), data=launched.answers(3))
    new = services.invitation_reprint(
        actor=launched.personas.org_admin, invitation=launched.invitation(employee)
    )
    launched.submit(new, value=3)
    assert not Draft.objects.exists()


@pytest.mark.django_db
def test_a_participant_page_read_before_another_submit_or_the_close_is_refused_by_the_submit(launched):
    """The page's invitation says "not answered, open"; the submit itself finds out otherwise."""
    employee, colleague = launched.personas.employee_person, launched.personas.leader_person
    token = launched.token(employee)
    stale = services.TokenHolder(
        ballot=launched.ballot,
        token=token,
        invitation=services.invitation_for_token(token=token, ballot=launched.ballot),
    )
    launched.submit(token, value=1)  # e.g. the other tab
    with pytest.raises(AlreadySubmitted):
        services.ballot_submit(holder=stale, data=launched.answers(4))
    assert responses(launched.ballot) == 1

    other = launched.token(colleague)
    stale = services.TokenHolder(
        ballot=launched.ballot,
        token=other,
        invitation=services.invitation_for_token(token=other, ballot=launched.ballot),
    )
    services.ballot_close(ballot=Ballot.objects.get(pk=launched.ballot.pk))
    with pytest.raises(BallotClosed):
        services.ballot_submit(holder=stale, data=launched.answers(4))
    assert responses(launched.ballot) == 1


@pytest.mark.django_db
def test_a_submit_with_a_code_reprinted_meanwhile_is_refused(launched):
    employee = launched.personas.employee_person
    old = launched.token(employee)
    stale = services.TokenHolder(
        ballot=launched.ballot,
        token=old,
        invitation=services.invitation_for_token(token=old, ballot=launched.ballot),
    )
    services.invitation_reprint(actor=launched.personas.org_admin, invitation=launched.invitation(employee))
    with pytest.raises(BallotError):
        services.ballot_submit(holder=stale, data=launched.answers(2))
    assert responses(launched.ballot) == 0
    assert launched.invitation(employee).completed is False


@pytest.mark.django_db
def test_every_answer_of_a_long_questionnaire_is_stored(crowd):
    """More answers than SQLite takes in one statement (it gets them in batches)."""
    ballot, survey, _items = survey_ballot(crowd.org)
    section = Section.objects.get(questionnaire=survey.questionnaire)
    extra = Item.objects.bulk_create(
        [
            Item(
                organisation=crowd.org, code=f"extra-{n}", kind=Item.Kind.SCALE_0_10, text_da=f"Spørgsmål {n}"
            )
            for n in range(250)
        ]
    )
    SectionItem.objects.bulk_create(
        [SectionItem(section=section, item=item, order=2 + n) for n, item in enumerate(extra)]
    )
    ballot = services.ballot_launch(actor=crowd.org_admin, ballot=ballot)
    invitation = Invitation.objects.get(ballot=ballot, person=crowd.employee_person)
    token = token_for(invitation.pk, invitation.issue_number)

    answers = {item.id.hex: n % 11 for n, item in enumerate(extra)}
    result = services.ballot_submit(
        holder=services.TokenHolder(ballot=ballot, token=token), data={"answers": answers}
    )

    assert result == {"answers": 250}
    assert dict(Answer.objects.values_list("item_id", "value")) == {
        item.id: n % 11 for n, item in enumerate(extra)
    }
    assert Answer.objects.values("id").distinct().count() == 250


# A write in a statement (on PostgreSQL the response and its answers are one statement).
WRITE = re.compile(r'\b(INSERT INTO|UPDATE|DELETE FROM) "(\w+)"')


def test_a_submit_makes_a_small_fixed_number_of_queries_and_writes_nothing_else(
    launched, django_assert_max_num_queries
):
    """The sealed submit reads the questionnaire once and writes each table in one statement
    (guards the speed `make bench SCENARIO=submit` measures); its writes are the flag, the response,
    its answers and the draft deletion, nothing else (DESIGN §4.7)."""
    token = launched.token(launched.personas.employee_person)
    holder = launched.holder(token)
    services.draft_save(holder=holder, data=launched.answers(2))
    data = launched.answers(3, text="Mere tid til forberedelse")
    assert len(data["answers"]) == 2
    # Invitation look-up, flag, survey, questionnaire items, cell, response and answers (one statement
    # on PostgreSQL), draft deletion, and the savepoint pair of the test's own transaction. The
    # answering views read the invitation, survey, cell and draft in one query (test_answer_views).
    with django_assert_max_num_queries(10) as captured:
        services.ballot_submit(holder=holder, data=data)
    writes = [write for query in captured.captured_queries for write in WRITE.findall(query["sql"])]
    assert sorted(writes) == [
        ("DELETE FROM", "invitations_draft"),
        ("INSERT INTO", "surveys_answer"),
        ("INSERT INTO", "surveys_response"),
        ("UPDATE", "invitations_invitation"),
    ]
    assert responses(launched.ballot) == 1
    assert Answer.objects.filter(response__survey__ballot=launched.ballot).count() == 2
