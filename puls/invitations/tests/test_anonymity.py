"""Anonymity guarantees that hold across the whole flow (DESIGN §4; §7 items 11–14, 22, 23).

launch → e-mails → entry → draft → submit → reprint → reminders → shuffle → close, then look
everywhere an operator could: every table, the logs, the task rows, the physical row order.
"""

import logging
import re
import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import call_command
from django.db import connection, models
from django.test import Client
from django.test.utils import isolate_apps
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from puls.invitations import services
from puls.invitations.kinds import ballot_kinds
from puls.invitations.models import Ballot, Draft, Invitation
from puls.invitations.tests.conftest import FREE_TEXT_SECRET, enter_with_code
from puls.invitations.tokens import token_format
from puls.organisations.models import Employment, Person
from puls.surveys.ballot_kind import SURVEY_KIND
from puls.surveys.models import Answer, Response

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Column names that would tie an answer to a person, a moment or a device.
SUSPICIOUS_NAME = re.compile(
    r"person|employee|invitation|token|user|agent|e_?mail|(^|_)ip($|_)|addr|session|cookie|"
    r"(^|_)(date|time|day|when)($|_)|_at$|_on$|created|submitted",
    re.IGNORECASE,
)
TIME_FIELDS = (models.DateField, models.TimeField, models.DurationField)  # DateTimeField is a DateField
PERSONAL_FIELDS = (models.EmailField, models.GenericIPAddressField)


def anonymity_problems(model: type[models.Model]) -> list[str]:
    """Why rows of `model` could point back at a person (empty when they cannot)."""
    forbidden = {Person, Employment, Invitation, get_user_model()}
    problems = []
    if not isinstance(model._meta.pk, models.UUIDField):
        problems.append(f"{model.__name__}: primary key is not a random UUID")
    for field in model._meta.get_fields():
        if field.auto_created and not field.concrete:
            continue  # reverse relations live on the other model
        name = f"{model.__name__}.{field.name}"
        if field.is_relation and field.related_model in forbidden:
            problems.append(f"{name}: links to {field.related_model.__name__}")
        if isinstance(field, TIME_FIELDS):
            problems.append(f"{name}: stores a date or time")
        if isinstance(field, PERSONAL_FIELDS):
            problems.append(f"{name}: stores an e-mail or network address")
        column = getattr(field, "column", None) or ""
        if SUSPICIOUS_NAME.search(field.name) or SUSPICIOUS_NAME.search(column):
            problems.append(f"{name}: the name suggests personal or time data")
    return problems


def answer_models() -> list[type[models.Model]]:
    found = {Draft}
    for kind in ballot_kinds().values():
        found.update(kind.answer_models())
    return sorted(found, key=lambda m: m._meta.label)


def test_answer_tables_hold_no_person_invitation_token_address_or_time():
    assert SURVEY_KIND in ballot_kinds()
    checked = answer_models()
    assert {Response, Answer, Draft} <= set(checked)
    problems = [problem for model in checked for problem in anonymity_problems(model)]
    assert problems == []


@isolate_apps("puls.invitations")
def test_the_schema_check_catches_a_careless_answer_table():
    class CarelessAnswer(models.Model):  # noqa: DJ008
        respondent = models.ForeignKey(Person, on_delete=models.CASCADE)
        invitation_ref = models.UUIDField()
        submitted = models.DateTimeField()
        ip = models.GenericIPAddressField()
        contact = models.EmailField()
        user_agent = models.CharField(max_length=200)
        token_hash = models.CharField(max_length=64)
        day = models.CharField(max_length=10)

    class SequentialAnswer(models.Model):  # noqa: DJ008
        value = models.IntegerField()

    class Fine(models.Model):  # noqa: DJ008
        id = models.UUIDField(primary_key=True, default=uuid.uuid4)
        value = models.IntegerField()
        text = models.TextField()

    problems = "\n".join(anonymity_problems(CarelessAnswer))
    for field in (
        "respondent",
        "invitation_ref",
        "submitted",
        "ip",
        "contact",
        "user_agent",
        "token_hash",
        "day",
    ):
        assert f"CarelessAnswer.{field}:" in problems
    assert anonymity_problems(SequentialAnswer) == ["SequentialAnswer: primary key is not a random UUID"]
    assert anonymity_problems(Fine) == []


def _token_forms(tokens: list[str]) -> list[str]:
    return [form for token in tokens for form in (token, token.lower(), token_format(token))]


def _stored_text() -> str:
    """Every text, JSON and key column of every table, decoded sessions included."""
    chunks = []
    for model in apps.get_models():
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField | models.ForeignKey)
        ]
        if fields:
            chunks.extend(str(row) for row in model._base_manager.values_list(*fields))
    chunks.extend(str(session.get_decoded()) for session in Session.objects.all())
    return "\n".join(chunks)


# Transactional: the real task worker runs in-process and closes the connection when it is done.
@pytest.mark.django_db(transaction=True)
def test_tokens_and_answers_leave_no_trace_in_tables_logs_or_task_rows(launch, settings, caplog):
    caplog.set_level(logging.DEBUG)
    settings.TASKS = DB_TASKS
    launched = launch(reminder_days=[2])
    ballot = launched.ballot
    people = list(
        Invitation.objects.filter(ballot=ballot).select_related("person").order_by("person__employee_number")
    )

    # The sending task rows carry the ballot and invitation ids only.
    rows = list(DBTaskResult.objects.filter(task_path="puls.invitations.tasks.send_invitations"))
    assert rows
    emailed = {str(i.pk) for i in people if i.channel == Invitation.Channel.EMAIL}
    for row in rows:
        ballot_id, invitation_ids = row.args_kwargs["args"]
        assert ballot_id == str(ballot.pk)
        assert set(invitation_ids) <= emailed
    call_command(
        "db_worker", batch=True, startup_delay=False, reload=False, interval=0, verbosity=0, stdout=StringIO()
    )
    assert len(mail.outbox) == len(emailed)

    tokens = launched.tokens()
    # Participants enter (link and typed code), save drafts and submit; one letter is reprinted.
    first, second, third = people[0].person, people[1].person, people[2].person
    client = Client()
    enter_with_code(client, ballot, launched.token(first), follow=True)
    Client().post(reverse("invitations:code"), {"code": token_format(launched.token(second))}, follow=True)
    enter_with_code(Client(), ballot, "WRONG-CODE-0000-0000")
    services.draft_save(
        holder=launched.holder(launched.token(first)), data=launched.answers(2, FREE_TEXT_SECRET)
    )
    launched.submit(launched.token(first), value=2, text=FREE_TEXT_SECRET)
    launched.submit(launched.token(second), value=3, text="Vi mangler hænder")
    services.draft_save(
        holder=launched.holder(launched.token(third)), data=launched.answers(1, "Kladde om chefen")
    )
    reprinted = services.invitation_reprint(actor=launched.personas.org_admin, invitation=people[3])
    tokens.append(reprinted)
    # Reminders two days in, then the periodic job, then closing.
    services.ballots_run_due(now=timezone.now() + timedelta(days=2, minutes=1))
    call_command(
        "db_worker", batch=True, startup_delay=False, reload=False, interval=0, verbosity=0, stdout=StringIO()
    )
    assert Invitation.objects.filter(ballot=ballot, reminders_sent=1).exists()

    stored = _stored_text()
    for token in _token_forms(tokens):
        assert token not in stored
        assert token not in caplog.text
    for answer in (FREE_TEXT_SECRET, "Vi mangler hænder", "Kladde om chefen"):
        assert answer not in caplog.text
    for row in DBTaskResult.objects.all():
        assert not any(token in str(row.args_kwargs) + str(row.return_value) for token in tokens)
    # The participant flow made no session rows.
    assert not Session.objects.exists()

    services.ballot_close(ballot=ballot)
    assert not DBTaskResult.objects.filter(task_path__startswith="puls.invitations.tasks.send_").exists()
    assert "Kladde om chefen" not in _stored_text()  # drafts are deleted at close


def _submit_ten_in_order(launched) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
    """Ten people submit distinct free text in a known order; returns (invitation ids, response ids)."""
    invitations = list(
        Invitation.objects.filter(ballot=launched.ballot).order_by("person__employee_number")[:10]
    )
    seen: set[uuid.UUID] = set()
    response_ids = []
    for number, invitation in enumerate(invitations):
        launched.submit(launched.token(invitation.person), value=number % 5, text=f"svar nummer {number}")
        new = set(Response.objects.filter(survey__ballot=launched.ballot).values_list("id", flat=True)) - seen
        (response_id,) = new
        seen.add(response_id)
        response_ids.append(response_id)
    return [invitation.pk for invitation in invitations], response_ids


def _physical_order(table: str, ids: list[uuid.UUID]) -> list[uuid.UUID]:
    """Row ids in physical order: ctid on PostgreSQL, rowid on SQLite."""
    position = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} ORDER BY {position}")  # noqa: S608 - fixed names
        found = [uuid.UUID(str(value)) for (value,) in cursor.fetchall()]
    wanted = set(ids)
    return [value for value in found if value in wanted]


def _recovered_pairs(invitation_order: list[uuid.UUID], response_order: list[uuid.UUID], truth: dict) -> int:
    """How many answers an operator pairs correctly by matching both physical orders."""
    return sum(1 for inv, resp in zip(invitation_order, response_order, strict=True) if truth[inv] == resp)


@pytest.mark.django_db
def test_after_the_shuffle_physical_order_no_longer_pairs_answers_with_invitations(launched):
    invitation_ids, response_ids = _submit_ten_in_order(launched)
    truth = dict(zip(invitation_ids, response_ids, strict=True))
    submit_order = invitation_ids  # what an operator learns from the order the completed flags changed in

    before = _physical_order("surveys_response", response_ids)
    assert before == response_ids  # without the shuffle, physical order is submit order …
    assert _recovered_pairs(submit_order, before, truth) == 10  # … and pairs every answer

    assert services.ballot_shuffle(ballot=launched.ballot) == 10
    after = _physical_order("surveys_response", response_ids)
    assert sorted(after) == sorted(response_ids)
    assert after != response_ids
    assert _recovered_pairs(submit_order, after, truth) < 10
    assert not Response.objects.filter(survey__ballot=launched.ballot, shuffled=False).exists()


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="xmin is PostgreSQL's transaction id")
@pytest.mark.django_db(transaction=True)
def test_after_the_shuffle_transaction_ids_no_longer_pair_answers_with_invitations(launched):
    invitation_ids, response_ids = _submit_ten_in_order(launched)

    def xmins(table: str, ids: list[uuid.UUID]) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, xmin::text::bigint FROM {table} WHERE id = ANY(%s)",  # noqa: S608 - fixed names
                [ids],
            )
            by_id = dict(cursor.fetchall())
        return [by_id[i] for i in ids]

    # Without the shuffle each answer shares its transaction id with exactly its own invitation.
    assert xmins("surveys_response", response_ids) == xmins("invitations_invitation", invitation_ids)
    assert len(set(xmins("surveys_response", response_ids))) == 10

    services.ballot_shuffle(ballot=launched.ballot)
    response_xmins = set(xmins("surveys_response", response_ids))
    answer_ids = list(Answer.objects.filter(response_id__in=response_ids).values_list("id", flat=True))
    completed = list(
        Invitation.objects.filter(ballot=launched.ballot, completed=True).values_list("id", flat=True)
    )
    assert len(completed) == 10
    assert len(response_xmins) == 1
    assert set(xmins("invitations_invitation", completed)) == response_xmins
    assert set(xmins("surveys_answer", answer_ids)) == response_xmins


@pytest.mark.django_db
def test_the_shuffle_waits_for_k_answers(launched):
    for invitation in Invitation.objects.filter(ballot=launched.ballot).order_by("person__employee_number")[
        :4
    ]:
        launched.submit(launched.token(invitation.person))
    assert services.ballot_shuffle(ballot=launched.ballot) == 0
    assert Response.objects.filter(survey__ballot=launched.ballot, shuffled=False).count() == 4
    invitation = Invitation.objects.filter(ballot=launched.ballot, completed=False).first()
    launched.submit(launched.token(invitation.person))
    assert services.ballot_shuffle(ballot=launched.ballot) == 5
    assert Ballot.objects.get(pk=launched.ballot.pk).shuffled_count == 5
