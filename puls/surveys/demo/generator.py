"""Builds the demo surveys of an organisation through the real services; `answers.py` simulates
the answering. See the package docstring."""

import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from puls.core.models import User
from puls.invitations import services as invitation_services
from puls.invitations import tokens
from puls.invitations.models import Ballot, DailyCount, Invitation
from puls.organisations.models import Organisation, Person, Role
from puls.surveys import services
from puls.surveys.demo.answers import AnswerModel, answers_write
from puls.surveys.demo.data import DANISH_MONTHS, PULSE_NAME, PULSE_SECTIONS
from puls.surveys.itembank import SHIPPED_BANK_CODE
from puls.surveys.models import (
    Answer,
    Item,
    Questionnaire,
    Response,
    Section,
    SectionItem,
    Survey,
    SurveyReport,
)
from puls.surveys.reports.compute import report_compute

SEED = 4711
ATTRIBUTES = ("job_group", "age_band", "seniority_band")
TRIVSEL_SHARE = 0.75
PULSE_SHARE = 0.40
PULSE_OPEN_DAYS = 6
PULSE_DAYS_LEFT = 8
RELEASE_LEADERS_AFTER = timedelta(days=2)
RELEASE_EVERYONE_AFTER = timedelta(days=9)


@dataclass(frozen=True)
class SurveyPlan:
    title: str
    opens_at: datetime
    closes_at: datetime
    response_share: float
    # Which year of the trend (0: first year, 1: a year later) the answers follow.
    year: float
    closed: bool
    # The latest yearly survey: planted units get exactly their planted number of respondents.
    few_respondents: bool = False


@dataclass
class DemoSurveysSummary:
    surveys: list[Survey] = field(default_factory=list)
    created: bool = False


def _local_dt(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def demo_survey_plans(today: date) -> list[SurveyPlan]:
    """Two yearly surveys held in March (the latest one already closed) and a pulse open now."""
    latest = today.year if today >= date(today.year, 4, 1) else today.year - 1
    plans = [
        SurveyPlan(
            title=f"Trivselsmåling {year}",
            opens_at=_local_dt(date(year, 3, 2), 8),
            closes_at=_local_dt(date(year, 3, 23), 16),
            response_share=TRIVSEL_SHARE,
            year=float(index),
            closed=True,
            few_respondents=year == latest,
        )
        for index, year in enumerate((latest - 1, latest))
    ]
    opened = today - timedelta(days=PULSE_OPEN_DAYS)
    plans.append(
        SurveyPlan(
            title=f"{PULSE_NAME} {DANISH_MONTHS[opened.month - 1]} {opened.year}",
            opens_at=_local_dt(opened, 8),
            closes_at=_local_dt(today + timedelta(days=PULSE_DAYS_LEFT), 16),
            response_share=PULSE_SHARE,
            # Half a year on from the latest yearly survey.
            year=1.5,
            closed=False,
        )
    )
    return plans


def _organisation_admin(organisation: Organisation) -> User | None:
    person = (
        Person.objects.filter(
            organisation=organisation, role_assignments__role=Role.ORG_ADMIN, user__isnull=False
        )
        .select_related("user")
        .order_by("employee_number")
        .first()
    )
    return person.user if person is not None else None


def _trivsel_template() -> Questionnaire:
    return (
        Questionnaire.objects.filter(organisation__isnull=True, kind=Questionnaire.Kind.TRIVSEL)
        .order_by("created_at")[:1]
        .get()
    )


def _pulse_questionnaire(organisation: Organisation) -> Questionnaire:
    """The organisation's own short pulse questionnaire, made of scales of the shipped item bank."""
    items = Item.objects.filter(bank__organisation__isnull=True, bank__code=SHIPPED_BANK_CODE)
    by_code: dict[str, list[Item]] = defaultdict(list)
    for item in items.select_related("scale").order_by("order"):
        by_code[item.scale.code if item.scale else item.code].append(item)
    questionnaire = Questionnaire.objects.create(
        organisation=organisation, kind=Questionnaire.Kind.PULSE, name=PULSE_NAME
    )
    links: list[SectionItem] = []
    for order, (title_da, title_en, codes) in enumerate(PULSE_SECTIONS):
        section = Section.objects.create(
            questionnaire=questionnaire, title_da=title_da, title_en=title_en, order=order
        )
        chosen = [item for code in codes for item in by_code[code]]
        links.extend(SectionItem(section=section, item=item, order=n) for n, item in enumerate(chosen))
    SectionItem.objects.bulk_create(links)
    return questionnaire


def _daily_counts_write(ballot: Ballot, plan: SurveyPlan, today: date) -> None:
    """Daily totals as the count task would have recorded them while the survey was open:
    many answers in the first days, fewer later."""
    ballot.refresh_from_db()
    first = timezone.localdate(plan.opens_at)
    last = min(timezone.localdate(plan.closes_at), today)
    days = (last - first).days + 1
    total = ballot.completed_count
    curve = [1 - math.exp(-3.0 * (day + 1) / days) for day in range(days)]
    DailyCount.objects.filter(ballot=ballot).delete()
    DailyCount.objects.bulk_create(
        [
            DailyCount(
                ballot=ballot,
                day=first + timedelta(days=day),
                completed_total=round(total * share / curve[-1]),
            )
            for day, share in enumerate(curve)
        ]
    )


def _survey_run(
    *,
    organisation: Organisation,
    actor: User | None,
    plan: SurveyPlan,
    questionnaire: Questionnaire,
    previous: Survey | None,
    model: AnswerModel,
    today: date,
) -> Survey:
    now = timezone.now()
    settings = services.SurveySettings(
        title=plan.title,
        questionnaire=questionnaire,
        # Launched with an opening time ahead, so no invitation e-mail is queued; the survey is then
        # moved to its own dates, as if the invitations had gone out back then.
        opens_at=now + timedelta(hours=1),
        closes_at=now + timedelta(hours=2),
        attributes=ATTRIBUTES,
        previous_survey=previous,
    )
    survey = services.survey_create(actor=actor, organisation=organisation, settings=settings)  # type: ignore[arg-type]
    survey = services.survey_launch(actor=actor, survey=survey)  # type: ignore[arg-type]
    prepared = plan.opens_at - timedelta(days=21)
    Ballot.objects.filter(pk=survey.ballot_id).update(
        opens_at=plan.opens_at,
        closes_at=plan.closes_at,
        launched_at=plan.opens_at - timedelta(days=3),
        invitations_sent_at=plan.opens_at,
        created_at=prepared,
    )
    Survey.objects.filter(pk=survey.pk).update(created_at=prepared)
    survey = Survey.objects.select_related("ballot", "questionnaire").get(pk=survey.pk)
    answered = answers_write(
        survey, plan.response_share, plan.year, model, few_respondents=plan.few_respondents
    )
    invitation_services.ballot_count(ballot=survey.ballot)
    if plan.closed:
        invitation_services.ballot_close(ballot=survey.ballot, actor=actor)
        Ballot.objects.filter(pk=survey.ballot_id).update(closed_at=plan.closes_at)
        # Results released to leaders two days after closing, to everyone a week later (not after now).
        Survey.objects.filter(pk=survey.pk).update(
            release_leaders_at=min(now, plan.closes_at + RELEASE_LEADERS_AFTER),
            release_everyone_at=min(now, plan.closes_at + RELEASE_EVERYONE_AFTER),
        )
    else:
        # The rows were written as the shuffle leaves them: nothing is waiting for it.
        Ballot.objects.filter(pk=survey.ballot_id).update(shuffled_count=answered)
    _daily_counts_write(survey.ballot, plan, today)
    return Survey.objects.select_related("ballot", "questionnaire").get(pk=survey.pk)


def surveys_clear(organisation: Organisation) -> None:
    """Delete the organisation's surveys with their ballots, answers and own questionnaires (before
    the demo is reset). Answer rows and invitations go first: they protect the storage cells."""
    ballots = Ballot.objects.filter(organisation=organisation)
    Answer.objects.filter(response__survey__ballot__in=ballots).delete()
    Response.objects.filter(survey__ballot__in=ballots).delete()
    Invitation.objects.filter(ballot__in=ballots).delete()
    ballots.delete()
    Questionnaire.objects.filter(organisation=organisation).delete()


def surveys_demo_exist(organisation: Organisation) -> bool:
    return Survey.objects.filter(organisation=organisation).exists()


def surveys_demo_create(
    *,
    organisation: Organisation,
    actor: User | None = None,
    seed: int = SEED,
    today: date | None = None,
) -> DemoSurveysSummary:
    """Two closed yearly well-being surveys (the second with the first as its previous survey, for
    the trend) with their reports computed, and an open pulse, for an organisation that has no
    surveys yet; otherwise nothing."""
    if surveys_demo_exist(organisation):
        return DemoSurveysSummary(surveys=_surveys(organisation), created=False)
    summary = _surveys_demo_write(organisation=organisation, actor=actor, seed=seed, today=today)
    _reports_compute(summary.surveys)
    return summary


def _reports_compute(surveys: list[Survey]) -> None:
    """Compute the closed surveys' reports now rather than waiting for the task worker, so the demo
    shows results at once. Closing queued the task too; it finds the report done and stops."""
    for survey in surveys:
        if survey.ballot.status != Ballot.Status.CLOSED:
            continue
        report = SurveyReport.objects.filter(survey=survey).first()
        if report is None or report.status != SurveyReport.Status.DONE:
            report_compute(survey=survey)


@transaction.atomic
def _surveys_demo_write(
    *, organisation: Organisation, actor: User | None, seed: int, today: date | None
) -> DemoSurveysSummary:
    # Demo Kommune shares its aggregates with the benchmark of opted-in organisations.
    Organisation.objects.filter(pk=organisation.pk).update(benchmark_opt_in=True)
    # Demo data must be reproducible, not secret.
    rng = random.Random(seed)  # noqa: S311  # nosec B311
    today = today or timezone.localdate()
    actor = actor or _organisation_admin(organisation)
    model = AnswerModel(organisation, rng)
    trivsel = services.questionnaire_copy_for(
        organisation=organisation, template=_trivsel_template(), actor=actor
    )
    pulse = _pulse_questionnaire(organisation)
    previous: Survey | None = None
    for plan in demo_survey_plans(today):
        survey = _survey_run(
            organisation=organisation,
            actor=actor,
            plan=plan,
            questionnaire=trivsel if plan.closed else pulse,
            previous=previous if plan.closed else None,
            model=model,
            today=today,
        )
        if plan.closed:
            previous = survey
    return DemoSurveysSummary(surveys=_surveys(organisation), created=True)


def _surveys(organisation: Organisation) -> list[Survey]:
    return list(
        Survey.objects.filter(organisation=organisation).select_related("ballot").order_by("ballot__opens_at")
    )


def answered_percent(ballot: Ballot) -> int:
    return round(100 * ballot.completed_count / ballot.invited_count) if ballot.invited_count else 0


def survey_line(survey: Survey) -> str:
    ballot = survey.ballot
    values = {"title": ballot.title, "percent": answered_percent(ballot)}
    if ballot.status == Ballot.Status.CLOSED:
        return _("%(title)s: closed, %(percent)d %% answered") % values
    return _("%(title)s: open, %(percent)d %% answered so far") % values


def demo_letter_code(organisation: Organisation) -> tuple[Invitation, str] | None:
    """A printed-letter code of an open demo survey that has not been used yet, for the demo console
    only (like the development e-mail console, DESIGN §4.6): someone invited by letter, not by e-mail."""
    invitation = (
        Invitation.objects.filter(
            ballot__organisation=organisation,
            ballot__status=Ballot.Status.OPEN,
            ballot__opens_at__lte=timezone.now(),
            ballot__closes_at__gt=timezone.now(),
            channel=Invitation.Channel.LETTER,
            completed=False,
        )
        .select_related("person", "unit", "ballot")
        .order_by("ballot__opens_at", "person__employee_number")
        .first()
    )
    if invitation is None:
        return None
    return invitation, tokens.token_format(tokens.token_for(invitation.pk, invitation.issue_number))


def surveys_demo_console_lines(organisation: Organisation) -> list[str]:
    """What `demo_logins` prints about the demo surveys: one line on them, and a code to try /svar/."""
    from puls.invitations.sending import code_entry_url

    surveys = _surveys(organisation)
    if not surveys:
        return []
    lines = [_("Surveys: %(surveys)s.") % {"surveys": "; ".join(survey_line(survey) for survey in surveys)}]
    letter = demo_letter_code(organisation)
    if letter is not None:
        invitation, code = letter
        lines.append(
            _("Answer %(survey)s as %(name)s (%(unit)s, invited by letter): code %(code)s at %(url)s")
            % {
                "survey": invitation.ballot.title,
                "name": invitation.person.full_name,
                "unit": invitation.unit.name,
                "code": code,
                "url": code_entry_url(),
            }
        )
    return lines
