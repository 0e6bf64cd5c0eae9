"""A closed survey with a computed report, made the way it happens in use: HR creates and launches
the survey, invitees answer through the sealed submit, HR closes it, the report is computed.

Used by the world fixture (puls/core/tests/conftest.py) and the report page tests.
"""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone

from puls.core.models import User
from puls.invitations import services as invitation_services
from puls.invitations.models import Invitation
from puls.invitations.tokens import token_for
from puls.organisations.models import Organisation, Person
from puls.surveys import services as survey_services
from puls.surveys.models import Item, Questionnaire, SectionItem, Survey, SurveyReport
from puls.surveys.reports.compute import report_compute

# Answers per invitee: item -> submitted value (Likert option index, or text). The default gives
# every Likert item the invitee's position modulo 5 and a comment from every second invitee.
AnswerPlan = Callable[[int, Person, list[Item]], dict[str, Any]]

COMMENT = "Vi har brug for flere hænder om eftermiddagen"


def default_answers(position: int, person: Person, items: list[Item]) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for item in items:
        if item.kind == Item.Kind.LIKERT:
            answers[item.id.hex] = (position + item.order) % 5
        elif item.kind == Item.Kind.FREE_TEXT and position % 2 == 0:
            answers[item.id.hex] = f"{COMMENT} ({position})"
    return answers


def closed_survey_build(
    *,
    organisation: Organisation,
    admin: User,
    questionnaire: Questionnaire,
    title: str = "Trivsel 2025",
    attributes: tuple[str, ...] = ("job_group",),
    answers: AnswerPlan = default_answers,
    answering: Callable[[Person], bool] = lambda person: True,
    previous_survey: Survey | None = None,
    release_leaders: bool = True,
    release_everyone: bool = True,
) -> Survey:
    """Launch, answer, close and compute; released to leaders and/or everyone as asked."""
    opens = timezone.now() - timedelta(minutes=10)
    survey = survey_services.survey_create(
        actor=admin,
        organisation=organisation,
        settings=survey_services.SurveySettings(
            title=title,
            questionnaire=questionnaire,
            opens_at=opens,
            closes_at=opens + timedelta(days=14),
            attributes=attributes,
            previous_survey=previous_survey,
        ),
    )
    survey_services.survey_launch(actor=admin, survey=survey)
    items = [
        link.item
        for link in SectionItem.objects.filter(section__questionnaire=survey.questionnaire)
        .select_related("item")
        .order_by("section__order", "order")
    ]
    ballot = survey.ballot
    invitations = (
        Invitation.objects.filter(ballot=ballot).select_related("person").order_by("person__employee_number")
    )
    for position, invitation in enumerate(invitations):
        if not answering(invitation.person):
            continue
        holder = invitation_services.TokenHolder(
            ballot=ballot, token=token_for(invitation.pk, invitation.issue_number)
        )
        invitation_services.ballot_submit(
            holder=holder, data={"answers": answers(position, invitation.person, items)}
        )
    survey_services.survey_close(actor=admin, survey=survey)
    report_compute(survey=Survey.objects.get(pk=survey.pk))
    past = timezone.now() - timedelta(minutes=1)
    Survey.objects.filter(pk=survey.pk).update(
        release_leaders_at=past if release_leaders else None,
        release_everyone_at=past if release_everyone else None,
    )
    survey = Survey.objects.select_related("ballot").get(pk=survey.pk)
    assert SurveyReport.objects.get(survey=survey).status == SurveyReport.Status.DONE
    return survey
