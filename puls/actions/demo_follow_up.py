"""The demo's follow-up of its latest yearly survey (issue 7, DESIGN §1 "Measure → Act → Report back").

A few notably low results of Trivselsmåling <latest year> get an action made from the result, through
the service behind the report's "create action from this result" button (`services.action_create`
with the result as source); one gets a reason why no action; the rest stay open, so the follow-up
page shows all three states. Results are taken from the follow-up rule itself (`low_results`), read
with the demo HR's access: only results the report shows can be listed there, and the service
refuses a hidden one anyway (DESIGN §4). Runs after the surveys demo has computed the report, adds
nothing when the survey already has linked actions or reasons, and is a no-op without surveys.
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from puls.actions import reminders, services, services_follow_up
from puls.actions.demo import ActionText
from puls.actions.link_kinds import ACTION_KIND
from puls.actions.models import Action, NoActionReason
from puls.actions.selectors_follow_up import FollowUpList, LowResult, low_results
from puls.core.models import Link
from puls.organisations.models import Organisation, Person, Role
from puls.organisations.scoping import Access, access_build
from puls.surveys.reports import selectors as report_selectors


@dataclass(frozen=True)
class ResultAction:
    """An action made from the (unit, scale) result, if that result is notably low and shown."""

    unit_code: str
    scale_code: str
    text: ActionText
    deadline_days: int  # from today
    status: str


# Nordskolen (the demo leader's school) gets one action and keeps one low result open; the units
# planted low in the surveys demo (Vestervangskolen, Plejecenter Birkebo) and Hjemmepleje Distrikt
# Syd, which got worse since last year, get the rest.
RESULT_ACTIONS = [
    ResultAction(
        "1131",
        "stress",
        ActionText(
            "Færre stresstoppe i skoleåret",
            "Trivselsmålingen viser mere stress end i resten af kommunen, især op til prøverne og ved "
            "skoleårets start.",
            "Årshjul med de travle perioder, fast punkt om arbejdspres på teammøderne og en aftale om, "
            "hvilke opgaver der kan vente i de travleste uger.",
            "Skalaen for stress i næste trivselsmåling; status på personalemødet efter tre måneder.",
        ),
        40,
        Action.Status.IN_PROGRESS,
    ),
    ResultAction(
        "1133",
        "leadership_quality",
        ActionText(
            "Mere nærværende ledelse",
            "Medarbejderne oplever, at ledelsen sjældent er til stede i hverdagen og giver lidt sparring.",
            "Fast ugentlig træffetid, lederen deltager i et teammøde om måneden, og ledelsesteamet tager "
            "et lederudviklingsforløb.",
            "Skalaen for nærmeste leders ledelse i næste trivselsmåling; drøftelse i MED-udvalget.",
        ),
        60,
        Action.Status.IN_PROGRESS,
    ),
    ResultAction(
        "1133",
        "workload",
        ActionText(
            "Overblik over opgaverne uden for undervisningen",
            "Mange opgaver ud over undervisningen gør, at der ikke er tid til det hele.",
            "Hvert team laver en opgaveoversigt; lederen prioriterer sammen med teamet, hvad der udgår.",
            "Skalaen for arbejdsmængde i næste trivselsmåling.",
        ),
        100,
        Action.Status.PLANNED,
    ),
    ResultAction(
        "1213",
        "predictability",
        ActionText(
            "Information i god tid",
            "Ændringer i vagtplan og opgaver kommer uden varsel, og medarbejderne hører om dem for sent.",
            "Fast morgenbriefing på alle afsnit og et ugentligt nyt fra ledelsen; ændringer meldes ud "
            "mindst 14 dage før.",
            "Skalaen for information og forudsigelighed i næste trivselsmåling.",
        ),
        -30,
        Action.Status.DONE,
    ),
    ResultAction(
        "1213",
        "pace",
        ActionText(
            "Roligere morgentimer",
            "Morgentimerne er så travle, at der ikke er tid til den enkelte beboer.",
            "Opgaver, der kan vente, flyttes til eftermiddagen, og en ekstra medarbejder møder kl. 7.",
            "Skalaen for arbejdstempo i næste trivselsmåling; drøftelse på personalemødet.",
        ),
        20,
        Action.Status.IN_PROGRESS,
    ),
    ResultAction(
        "1222",
        "emotional_demands",
        ActionText(
            "Supervision efter svære besøg",
            "Medarbejderne står alene med svære oplevelser hos borgerne.",
            "Supervision hver måned og en fast kollega at ringe til efter et svært besøg.",
            "Skalaen for følelsesmæssige krav i næste trivselsmåling.",
        ),
        75,
        Action.Status.PLANNED,
    ),
]

# (unit code, scale code, why no action): one result the unit decides to watch rather than act on.
NO_ACTION_REASON = (
    "1215",
    "emotional_demands",
    "Følelsesmæssige krav hører til arbejdet på et plejecenter. Vi har allerede supervision hver måned "
    "og refleksionsmøder efter dødsfald, og medarbejderne ønsker ikke flere tiltag lige nu. Vi følger "
    "skalaen i næste trivselsmåling.",
)
# The actions are made this long after the survey closed (or today, if that is sooner).
MADE_AFTER_CLOSE = timedelta(days=21)


@dataclass
class DemoFollowUpSummary:
    survey_title: str = ""
    actions: int = 0
    reasons: int = 0
    missing: int = 0
    created: bool = False


def _hr_access(organisation: Organisation) -> Access | None:
    """The demo HR's view, which sees every unit's results."""
    person = (
        Person.objects.filter(
            organisation=organisation,
            anonymised_at__isnull=True,
            role_assignments__role=Role.ORG_ADMIN,
            user__isnull=False,
        )
        .select_related("user")
        .order_by("employee_number")
        .first()
    )
    if person is None or person.user is None:
        return None
    return access_build(user=person.user, organisation=organisation)


def _followed_up(organisation: Organisation, survey_id: uuid.UUID) -> bool:
    linked = Link.objects.filter(
        organisation=organisation,
        source_kind=services.SURVEY_RESULT_KIND,
        source_id=survey_id,
        target_kind=ACTION_KIND,
    ).exists()
    return linked or NoActionReason.objects.filter(organisation=organisation, survey_id=survey_id).exists()


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


@transaction.atomic
def follow_up_demo_create(*, organisation: Organisation, today: date | None = None) -> DemoFollowUpSummary:
    """Actions and a reason for low results of the latest computed survey report, once."""
    summary = DemoFollowUpSummary()
    access = _hr_access(organisation)
    if access is None:
        return summary
    reports = report_selectors.report_list(access=access)  # computed reports of closed surveys, newest first
    if not reports or _followed_up(organisation, reports[0].survey_id):
        return summary
    report = reports[0]
    today = today or timezone.localdate()
    made_on = min(today, timezone.localdate(report.survey.ballot.closes_at) + MADE_AFTER_CLOSE)
    low = {
        (item.unit.code, item.scale.code): item for item in low_results(access=access, report=report).items
    }
    for plan in RESULT_ACTIONS:
        item = low.get((plan.unit_code, plan.scale_code))
        if item is not None:
            _action_from_result(organisation, report.survey_id, item, plan, today, made_on)
    unit_code, scale_code, reason = NO_ACTION_REASON
    item = low.get((unit_code, scale_code))
    if item is not None:
        recorded = services_follow_up.no_action_reason_record(
            actor=None, survey=report.survey, unit=item.unit, scale_id=item.scale.id, reason=reason
        )
        NoActionReason.objects.filter(pk=recorded.pk).update(recorded_at=_moment(made_on))
    after: FollowUpList = low_results(access=access, report=report)
    summary.survey_title = report.survey.ballot.title
    summary.actions, summary.reasons, summary.missing = after.with_action, after.with_reason, after.missing
    summary.created = bool(summary.actions or summary.reasons)
    return summary


def _action_from_result(
    organisation: Organisation,
    survey_id: uuid.UUID,
    item: LowResult,
    plan: ResultAction,
    today: date,
    made_on: date,
) -> Action:
    """As the report's "create action" button does it: the result is the new action's source."""
    unit = item.unit
    leaders = sorted(reminders.unit_leaders(unit), key=lambda person: person.employee_number)
    reps = services.med_reps_for_unit(unit)
    deadline = today + timedelta(days=plan.deadline_days)
    action = services.action_create(
        actor=None,
        organisation=organisation,
        unit=unit,
        title=plan.text.title,
        problem=plan.text.problem,
        solution=plan.text.solution,
        owner=leaders[0] if leaders else None,
        co_owner=reps[0] if reps else None,
        deadline=deadline,
        priority=Action.Priority.HIGH,
        evaluation_method=plan.text.evaluation,
        evaluation_date=deadline + timedelta(days=90),
        source_kind=services.SURVEY_RESULT_KIND,
        source_id=survey_id,
        source_detail={"unit": str(unit.pk), "scale": str(item.scale.id)},
    )
    Action.objects.filter(pk=action.pk).update(created_at=_moment(made_on), updated_at=_moment(made_on))
    if plan.status != Action.Status.PLANNED:
        services.follow_up_add(
            actor=None,
            action=action,
            text="Resultatet er drøftet på personalemødet, og handlingen er sat i gang.",
            status=Action.Status.IN_PROGRESS,
        )
    if plan.status == Action.Status.DONE:
        services.follow_up_add(
            actor=None, action=action, text="Gennemført som planlagt.", status=Action.Status.DONE
        )
        services.action_update(
            actor=None,
            action=action,
            evaluation_result="Medarbejderne oplever, at de hører om ændringer i god tid.",
        )
    return action


def follow_up_demo_line(summary: DemoFollowUpSummary) -> str:
    return _(
        "%(survey)s: %(actions)d notably low results with an action, %(reasons)d with a reason why not, "
        "%(missing)d still open"
    ) % {
        "survey": summary.survey_title,
        "actions": summary.actions,
        "reasons": summary.reasons,
        "missing": summary.missing,
    }
