"""Reminders of the actions app: an action's deadline approaching or passed, the next APV due
(at least every 3 years) and the annual working-environment discussion due.

The periodic job (tasks.reminders_run_due) looks for what is due and claims a SentReminder row per
(kind, subject, due date) before it queues the e-mail, so each reminder goes out once per due date
however often or late the job runs; a moved deadline is a new due date. The e-mail task receives
the reminder's id only.
"""

import uuid
from collections.abc import Iterable
from datetime import date, timedelta

from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from puls.actions.models import (
    Action,
    ApvCycle,
    SentReminder,
    WorkingEnvironmentDiscussion,
)
from puls.invitations.sending import site_url
from puls.organisations.models import Person, Role, Unit

DAYS_BEFORE_DEADLINE = 7
DAYS_BEFORE_APV_DUE = 30
DAYS_BEFORE_DISCUSSION_DUE = 14

Kind = SentReminder.Kind


def _claim(
    *, organisation_id: uuid.UUID, kind: str, subject_id: uuid.UUID, due_date: date
) -> SentReminder | None:
    """Record the reminder unless it exists already; the unique constraint settles races."""
    if SentReminder.objects.filter(kind=kind, subject_id=subject_id, due_date=due_date).exists():
        return None
    try:
        with transaction.atomic():
            return SentReminder.objects.create(
                organisation_id=organisation_id, kind=kind, subject_id=subject_id, due_date=due_date
            )
    except IntegrityError:
        return None


def reminders_claim_due(*, today: date | None = None) -> list[SentReminder]:
    """Claim every reminder that is due today and has not been claimed for its due date."""
    today = today or timezone.localdate()
    claimed: list[SentReminder] = []

    def claim(organisation_id: uuid.UUID, kind: str, subject_id: uuid.UUID, due: date | None) -> None:
        if due is None:
            return
        reminder = _claim(organisation_id=organisation_id, kind=kind, subject_id=subject_id, due_date=due)
        if reminder is not None:
            claimed.append(reminder)

    open_actions = Action.objects.unfinished().filter(deadline__isnull=False)
    for pk, organisation_id, deadline in open_actions.filter(
        deadline__gte=today, deadline__lte=today + timedelta(days=DAYS_BEFORE_DEADLINE)
    ).values_list("pk", "organisation_id", "deadline"):
        claim(organisation_id, Kind.ACTION_DUE_SOON, pk, deadline)
    for pk, organisation_id, deadline in open_actions.filter(deadline__lt=today).values_list(
        "pk", "organisation_id", "deadline"
    ):
        claim(organisation_id, Kind.ACTION_OVERDUE, pk, deadline)

    # The next APV: 3 years after the unit's last completed one, unless one is in progress.
    in_progress = set(
        ApvCycle.objects.exclude(stage=ApvCycle.Stage.COMPLETED).values_list("unit_id", flat=True)
    )
    last_apv: dict[uuid.UUID, ApvCycle] = {}
    for cycle in ApvCycle.objects.filter(stage=ApvCycle.Stage.COMPLETED, completed_on__isnull=False).order_by(
        "completed_on"
    ):
        last_apv[cycle.unit_id] = cycle
    for unit_id, cycle in last_apv.items():
        due = cycle.next_due
        if unit_id not in in_progress and due and due - timedelta(days=DAYS_BEFORE_APV_DUE) <= today:
            claim(cycle.organisation_id, Kind.APV_DUE, unit_id, due)

    last_discussion: dict[uuid.UUID, WorkingEnvironmentDiscussion] = {}
    for discussion in WorkingEnvironmentDiscussion.objects.order_by("held_on"):
        last_discussion[discussion.unit_id] = discussion
    for unit_id, discussion in last_discussion.items():
        due = discussion.next_due
        if due - timedelta(days=DAYS_BEFORE_DISCUSSION_DUE) <= today:
            claim(discussion.organisation_id, Kind.DISCUSSION_DUE, unit_id, due)
    return claimed


def unit_leaders(unit: Unit) -> list[Person]:
    """The leaders of the unit or, if it has none, of the nearest unit above it that has one."""
    for ancestor_id in reversed(unit.ancestor_ids):
        leaders = list(
            Person.objects.filter(
                organisation_id=unit.organisation_id,
                anonymised_at__isnull=True,
                role_assignments__role=Role.UNIT_LEADER,
                role_assignments__units=ancestor_id,
            ).distinct()
        )
        if leaders:
            return leaders
    return []


def unit_med_reps(unit: Unit) -> list[Person]:
    return list(
        Person.objects.filter(
            organisation_id=unit.organisation_id,
            anonymised_at__isnull=True,
            role_assignments__role=Role.MED_REP,
            role_assignments__units__in=unit.ancestor_ids,
        ).distinct()
    )


def _with_email(people: Iterable[Person | None]) -> list[Person]:
    seen: dict[uuid.UUID, Person] = {}
    for person in people:
        if person is not None and person.email and person.anonymised_at is None:
            seen.setdefault(person.pk, person)
    return list(seen.values())


def _page(name: str, **kwargs: object) -> str:
    return f"{site_url()}{reverse(name, kwargs=kwargs)}"


def _messages(reminder: SentReminder) -> list[EmailMessage]:
    context: dict[str, object] = {"reminder": reminder, "kind": reminder.kind, "due": reminder.due_date}
    if reminder.kind in (Kind.ACTION_DUE_SOON, Kind.ACTION_OVERDUE):
        action = (
            Action.objects.filter(pk=reminder.subject_id)
            .select_related("organisation", "unit", "owner", "co_owner")
            .first()
        )
        # Finished, or its deadline moved since: this reminder is no longer true.
        if action is None or not action.is_open or action.deadline != reminder.due_date:
            return []
        recipients = _with_email([action.owner, action.co_owner]) or _with_email(unit_leaders(action.unit))
        organisation = action.organisation
        context.update(
            action=action,
            unit=action.unit,
            link=_page("actions:action_detail", org_slug=organisation.slug, action_id=action.pk),
        )
    else:
        unit = Unit.objects.filter(pk=reminder.subject_id).select_related("organisation").first()
        if unit is None or (unit.closed_on is not None and unit.closed_on <= timezone.localdate()):
            return []
        if (
            reminder.kind == Kind.APV_DUE
            and ApvCycle.objects.filter(unit=unit).exclude(stage=ApvCycle.Stage.COMPLETED).exists()
        ):
            return []  # started since
        if (
            reminder.kind == Kind.DISCUSSION_DUE
            and WorkingEnvironmentDiscussion.objects.filter(
                unit=unit, held_on__gt=reminder.due_date - timedelta(days=365)
            ).exists()
        ):
            return []  # held since
        recipients = _with_email([*unit_leaders(unit), *unit_med_reps(unit)])
        organisation = unit.organisation
        context.update(unit=unit, link=_page("actions:apv_overview", org_slug=organisation.slug))
    context["organisation"] = organisation
    messages = []
    for person in recipients:
        person_context = {**context, "person": person}
        subject = render_to_string("actions/email/reminder_subject.txt", person_context).strip()
        body = render_to_string("actions/email/reminder_body.txt", person_context)
        messages.append(EmailMessage(subject=" ".join(subject.split()), body=body, to=[person.email]))
    return messages


def reminder_send(*, reminder_id: uuid.UUID) -> int:
    """Send one claimed reminder (once: a reminder already marked sent is skipped)."""
    with transaction.atomic():
        reminder = (
            SentReminder.objects.select_for_update().filter(pk=reminder_id, sent_at__isnull=True).first()
        )
        if reminder is None:
            return 0
        reminder.sent_at = timezone.now()
        messages = _messages(reminder)
        reminder.recipients = len(messages)
        reminder.save(update_fields=["sent_at", "recipients"])
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0
