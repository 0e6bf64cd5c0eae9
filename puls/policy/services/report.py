"""Writes of the yearly report-back: HR opens a round, each unit's leader answers a short form, and
reminders go to the leaders who have not answered (by the daily job, or when HR asks)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from puls.core.audit import audit_record
from puls.core.models import User
from puls.organisations.models import Organisation, Person, Role, RoleAssignment, Unit
from puls.policy.models import ReportAnswer, ReportRound
from puls.policy.services.tree import PolicyError

# The first reminder goes this many days before the deadline; after the deadline, one a week.
REMINDER_DAYS_BEFORE = 7
OVERDUE_REMINDER_EVERY = timedelta(days=7)


@dataclass(frozen=True)
class RoundSettings:
    title: str
    year: int
    due_on: date
    intro: str
    tools: list[str]
    goal_units: int | None


@transaction.atomic
def round_create(*, actor: User, organisation: Organisation, settings: RoundSettings) -> ReportRound:
    report_round = ReportRound.objects.create(
        organisation=organisation,
        title=settings.title.strip(),
        year=settings.year,
        due_on=settings.due_on,
        intro=settings.intro.strip(),
        tools=settings.tools,
        goal_units=settings.goal_units,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="policy.round_create",
        organisation=organisation,
        target=report_round,
        summary=report_round.title,
    )
    return report_round


@transaction.atomic
def round_update(*, actor: User, report_round: ReportRound, settings: RoundSettings) -> ReportRound:
    if report_round.status == ReportRound.Status.CLOSED:
        raise PolicyError(_("A closed round cannot be changed."))
    report_round.title = settings.title.strip()
    report_round.year = settings.year
    report_round.due_on = settings.due_on
    report_round.intro = settings.intro.strip()
    report_round.tools = settings.tools
    report_round.goal_units = settings.goal_units
    report_round.save()
    audit_record(
        actor=actor,
        action="policy.round_update",
        organisation=report_round.organisation,
        target=report_round,
        summary=report_round.title,
    )
    return report_round


def units_expected(organisation: Organisation) -> list[Unit]:
    """The units that report back: every open unit a leader is assigned to."""
    units = Unit.objects.filter(
        organisation=organisation,
        role_assignments__role=Role.UNIT_LEADER,
        role_assignments__person__anonymised_at__isnull=True,
    ).active()
    return list(units.distinct().order_by("path"))


@transaction.atomic
def round_open(*, actor: User, report_round: ReportRound, announce: bool = True) -> int:
    """Open the round: one answer row per unit with a leader, frozen now, and (unless told not to,
    as the demo does) e-mail the leaders. Returns the unit count."""
    report_round = ReportRound.objects.select_for_update().get(pk=report_round.pk)
    if report_round.status != ReportRound.Status.DRAFT:
        raise PolicyError(_("The round is already open."))
    units = units_expected(report_round.organisation)
    if not units:
        raise PolicyError(
            _("No unit has a leader yet, so nobody can report back. Assign unit leaders first.")
        )
    ReportAnswer.objects.bulk_create([ReportAnswer(round=report_round, unit=unit) for unit in units])
    report_round.status = ReportRound.Status.OPEN
    report_round.opened_at = timezone.now()
    report_round.save(update_fields=["status", "opened_at"])
    audit_record(
        actor=actor,
        action="policy.round_open",
        organisation=report_round.organisation,
        target=report_round,
        summary=report_round.title,
        data={"units": len(units)},
    )
    if announce:
        from puls.policy.tasks import report_round_announce

        round_id = str(report_round.pk)
        transaction.on_commit(lambda: report_round_announce.enqueue(round_id=round_id))
    return len(units)


@transaction.atomic
def round_close(*, actor: User, report_round: ReportRound) -> None:
    report_round = ReportRound.objects.select_for_update().get(pk=report_round.pk)
    if report_round.status != ReportRound.Status.OPEN:
        raise PolicyError(_("Only an open round can be closed."))
    report_round.status = ReportRound.Status.CLOSED
    report_round.closed_at = timezone.now()
    report_round.save(update_fields=["status", "closed_at"])
    audit_record(
        actor=actor,
        action="policy.round_close",
        organisation=report_round.organisation,
        target=report_round,
        summary=report_round.title,
    )


@dataclass(frozen=True)
class AnswerContent:
    what_done: str
    tools: list[str]
    effect: str
    next_steps: str


@transaction.atomic
def answer_submit(*, actor: User, answer: ReportAnswer, content: AnswerContent) -> ReportAnswer:
    """Save the unit's answer; the first save marks the unit as answered. Callers check that the
    actor may edit the unit."""
    answer = ReportAnswer.objects.select_for_update().select_related("round").get(pk=answer.pk)
    if answer.round.status != ReportRound.Status.OPEN:
        raise PolicyError(_("The round is not open, so answers cannot be changed."))
    known = set(answer.round.tools)
    answer.what_done = content.what_done.strip()
    answer.tools = [tool for tool in content.tools if tool in known]
    answer.effect = content.effect.strip()
    answer.next_steps = content.next_steps.strip()
    if answer.submitted_at is None:
        answer.submitted_at = timezone.now()
    answer.submitted_by = actor
    answer.save()
    return answer


# --- Reminders ------------------------------------------------------------------------------------


def unit_leaders(unit: Unit) -> list[Person]:
    """The people assigned as leader of exactly this unit (the ones who answer for it)."""
    assignments = RoleAssignment.objects.filter(
        role=Role.UNIT_LEADER, units=unit, person__anonymised_at__isnull=True
    ).select_related("person")
    return [assignment.person for assignment in assignments]


def answer_url(answer: ReportAnswer) -> str:
    path = reverse(
        "policy:round_answer",
        kwargs={
            "org_slug": answer.round.organisation.slug,
            "round_id": answer.round_id,
            "unit_id": answer.unit_id,
        },
    )
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _messages(answer: ReportAnswer, *, kind: str, today: date) -> list[EmailMessage]:
    messages = []
    for person in unit_leaders(answer.unit):
        if not person.email:
            continue
        context = {
            "round": answer.round,
            "organisation": answer.round.organisation,
            "unit": answer.unit,
            "person": person,
            "link": answer_url(answer),
            "kind": kind,
            "overdue": answer.round.due_on < today,
        }
        subject = render_to_string("policy/email/report_subject.txt", context).strip()
        body = render_to_string("policy/email/report_body.txt", context)
        messages.append(EmailMessage(subject=" ".join(subject.split()), body=body, to=[person.email]))
    return messages


def _send(answers: list[ReportAnswer], *, kind: str, now: datetime) -> int:
    today = timezone.localdate(now)
    messages = [message for answer in answers for message in _messages(answer, kind=kind, today=today)]
    if messages:
        with get_connection() as connection:
            connection.send_messages(messages)
    if kind != "announce":
        for answer in answers:
            ReportAnswer.objects.filter(pk=answer.pk).update(
                reminders_sent=answer.reminders_sent + 1, last_reminded_at=now
            )
    return len(messages)


def _unanswered(report_round: ReportRound) -> list[ReportAnswer]:
    return list(
        ReportAnswer.objects.filter(round=report_round, submitted_at__isnull=True).select_related(
            "round__organisation", "unit"
        )
    )


def round_announce(*, report_round: ReportRound) -> int:
    """Tell the leaders that the round is open (once, when it opens)."""
    return _send(_unanswered(report_round), kind="announce", now=timezone.now())


def reminder_is_due(answer: ReportAnswer, *, today: date, now: datetime) -> bool:
    if answer.submitted_at is not None:
        return False
    due_on = answer.round.due_on
    if today > due_on:
        last = answer.last_reminded_at
        # The first reminder after the deadline goes at once, then one a week.
        return last is None or timezone.localdate(last) <= due_on or now - last >= OVERDUE_REMINDER_EVERY
    return (due_on - today).days <= REMINDER_DAYS_BEFORE and answer.reminders_sent == 0


def reminders_send(*, report_round: ReportRound, now: datetime | None = None, force: bool = False) -> int:
    """Remind the leaders of unanswered units whose reminder is due (every one of them with force,
    when HR presses the button). Safe to run late or twice: it looks at what was sent."""
    now = now or timezone.now()
    if report_round.status != ReportRound.Status.OPEN:
        return 0
    today = timezone.localdate(now)
    due = [
        answer
        for answer in _unanswered(report_round)
        if force or reminder_is_due(answer, today=today, now=now)
    ]
    return _send(due, kind="reminder", now=now)


def reminders_send_due(*, now: datetime | None = None) -> int:
    """The daily job: reminders of every open round."""
    return sum(
        reminders_send(report_round=report_round, now=now)
        for report_round in ReportRound.objects.filter(status=ReportRound.Status.OPEN).select_related(
            "organisation"
        )
    )


@transaction.atomic
def reminders_send_now(*, actor: User, report_round: ReportRound) -> int:
    sent = reminders_send(report_round=report_round, force=True)
    audit_record(
        actor=actor,
        action="policy.round_remind",
        organisation=report_round.organisation,
        target=report_round,
        summary=report_round.title,
        data={"emails": sent},
    )
    return sent
