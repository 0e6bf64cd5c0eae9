"""The demo surveys `manage.py load_demo` adds to Demo Kommune: two closed yearly well-being surveys
and an open pulse, with answers written the way submits write them, and the closed surveys' reports
computed (`make run` shows results straight away, including a unit with four respondents that every
output shows as hidden), and the action plans following up the latest survey's notably low results."""

import re
from collections import Counter, defaultdict
from datetime import timedelta
from io import StringIO
from statistics import mean

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from puls.actions.link_kinds import ACTION_KIND
from puls.actions.models import Action, NoActionReason
from puls.actions.selectors_follow_up import FollowUpList, low_results
from puls.core.models import Link, User
from puls.invitations.models import Ballot, BallotCell, Invitation, ParticipationCount
from puls.invitations.services import TokenHolder, ballot_submit, invitation_for_token
from puls.invitations.tokens import token_for
from puls.organisations.models import Organisation, Unit
from puls.organisations.scoping import access_build
from puls.surveys import scoring, services
from puls.surveys.models import (
    Answer,
    MeasureResult,
    Questionnaire,
    Response,
    SectionItem,
    Survey,
    SurveyReport,
)
from puls.surveys.reports.link_kinds import SURVEY_RESULT_KIND
from puls.surveys.reports.selectors import scale_result_shown
from puls.surveys.reports.tests.compute_setup import assert_stored_rows_consistent
from puls.surveys.views_rate import survey_participation_get

pytestmark = pytest.mark.django_db

LIKERT_SCORES = {0, 25, 50, 75, 100}


def run_command(name: str, *args: str) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command(name, *args, stdout=out)
    return out.getvalue()


def demo_surveys(organisation: Organisation) -> list[Survey]:
    return list(
        Survey.objects.filter(organisation=organisation)
        .select_related("ballot", "questionnaire")
        .order_by("ballot__opens_at")
    )


def scale_means_by_unit(survey: Survey) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
    """Mean scale scores ("goodness": demand scales turned round, so higher is better everywhere)
    per storage unit and for the whole organisation, each response scored with `scoring`."""
    scale_items: dict[str, list[str]] = defaultdict(list)
    higher_is_better: dict[str, bool] = {}
    for link in SectionItem.objects.filter(section__questionnaire=survey.questionnaire).select_related(
        "item__scale"
    ):
        if link.item.scale is not None:
            scale_items[link.item.scale.code].append(link.item_id.hex)
            higher_is_better[link.item.scale.code] = link.item.scale.higher_is_better
    values: dict[object, dict[str, float]] = defaultdict(dict)
    for response_id, item_id, value in Answer.objects.filter(
        response__survey=survey, value__isnull=False
    ).values_list("response_id", "item_id", "value"):
        values[response_id][item_id.hex] = value
    unit_of = dict(Response.objects.filter(survey=survey).values_list("id", "cell__unit__name"))
    by_unit: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    overall: dict[str, list[float]] = defaultdict(list)
    for response_id, answers in values.items():
        for scale, score in scoring.scale_scores(answers, scale_items).items():
            if score is None:
                continue
            goodness = score if higher_is_better[scale] else 100 - score
            by_unit[unit_of[response_id]][scale].append(goodness)
            overall[scale].append(goodness)
    return (
        {unit: {scale: mean(scores) for scale, scores in scales.items()} for unit, scales in by_unit.items()},
        {scale: mean(scores) for scale, scores in overall.items()},
    )


def check_closed_and_open_surveys(demo: Organisation, surveys: list[Survey]) -> None:
    first, second, pulse = surveys
    assert [survey.ballot.title[:-5] for survey in (first, second)] == ["Trivselsmåling", "Trivselsmåling"]
    assert int(second.ballot.title[-4:]) == int(first.ballot.title[-4:]) + 1
    assert second.previous_survey == first
    assert (
        first.questionnaire == second.questionnaire
    )  # the same questions, so the trend compares like with like
    assert pulse.ballot.title.startswith("Pulsmåling")
    now = timezone.now()

    for survey in (first, second):
        ballot = survey.ballot
        assert ballot.status == Ballot.Status.CLOSED
        assert ballot.opens_at < ballot.closes_at < now
        assert ballot.attributes == ["job_group", "age_band", "seniority_band"]
        assert 1800 <= ballot.invited_count <= 2200
        assert 0.70 <= ballot.completed_count / ballot.invited_count <= 0.80
        # Closed for real: the per-person flags are gone, the counts are kept as aggregates.
        assert set(Invitation.objects.filter(ballot=ballot).values_list("completed", flat=True)) == {None}
        counts = ParticipationCount.objects.filter(ballot=ballot)
        assert sum(count.invited for count in counts) == ballot.invited_count
        assert sum(count.completed for count in counts) == ballot.completed_count
        assert Response.objects.filter(survey=survey).count() == ballot.completed_count
        # Every response sits in a surviving storage cell of its own ballot with at least k responses.
        per_cell = Counter(Response.objects.filter(survey=survey).values_list("cell_id", flat=True))
        cells = BallotCell.objects.filter(pk__in=per_cell)
        assert all(cell.ballot_id == ballot.pk and cell.merged_into_id is None for cell in cells)
        assert min(per_cell.values()) >= (ballot.k or 5)

    ballot = pulse.ballot
    assert ballot.is_open
    assert pulse.previous_survey is None
    completed_cells = Counter(
        Invitation.objects.filter(ballot=ballot, completed=True).values_list("cell_id", flat=True)
    )
    # Exactly one response per completed invitation, in that invitation's storage cell.
    assert Counter(Response.objects.filter(survey=pulse).values_list("cell_id", flat=True)) == completed_cells
    hr = access_build(user=User.objects.get(email="hr@demo.puls.test"), organisation=demo)
    report = survey_participation_get(access=hr, survey_id=pulse.pk)
    assert report.organisation_row is not None
    assert 30 <= report.organisation_row.rate <= 50
    assert report.organisation_row.answered == sum(completed_cells.values())

    answers = Answer.objects.filter(response__survey__organisation=demo)
    likert = set(answers.filter(item__kind="likert").values_list("value", flat=True))
    assert likert == LIKERT_SCORES
    # Who offended: multiple choice, stored as a list of option indices like a submit stores it.
    choices = list(answers.filter(choices__isnull=False).values_list("choices", flat=True))
    assert choices
    assert all(isinstance(chosen, list) and chosen == sorted(set(chosen)) for chosen in choices)
    texts = list(answers.exclude(text="").values_list("text", flat=True))
    assert len(texts) > 500
    assert len(set(texts)) > 40
    assert not any(re.search(r"\d", text) for text in texts)


def check_planted_units_and_trend(surveys: list[Survey]) -> None:
    first, second, _pulse = surveys
    for survey in surveys:
        by_unit, overall = scale_means_by_unit(survey)
        low = [by_unit["Vestervangskolen"], by_unit["Plejecenter Birkebo"]]
        high = by_unit["Børnehuset Regnbuen"]
        for unit in low:
            assert high["leadership_quality"] - unit["leadership_quality"] >= 20
            assert overall["leadership_quality"] - unit["leadership_quality"] >= 8
            assert high["workload"] - unit["workload"] >= 15  # goodness: a low unit's workload is high
        assert high["job_satisfaction"] > overall["job_satisfaction"] + scoring.NOTABLE_DIFFERENCE
        # Scales correlate: units with better leadership have more satisfied staff.
        units = sorted(
            (scales for scales in by_unit.values() if "leadership_quality" in scales),
            key=lambda scales: scales["leadership_quality"],
        )
        half = len(units) // 2
        assert mean(s["job_satisfaction"] for s in units[half:]) > mean(
            s["job_satisfaction"] for s in units[:half]
        )

    before, overall_before = scale_means_by_unit(first)
    after, overall_after = scale_means_by_unit(second)
    assert mean(overall_after.values()) - mean(overall_before.values()) >= 1.0
    changes = {
        unit: mean(after[unit].values()) - mean(before[unit].values()) for unit in before if unit in after
    }
    improved = [unit for unit, change in changes.items() if change > 0]
    assert len(improved) >= 0.6 * len(changes)
    assert changes["Hjemmepleje Distrikt Syd"] <= -3
    assert changes["Plejecenter Birkebo"] < 0


def check_reports_computed_with_a_hidden_unit(demo: Organisation, surveys: list[Survey]) -> None:
    """The closed surveys' reports are computed and released; Plan og Udvikling (four respondents in
    the latest survey) is hidden in every measure, and nothing shown subtracts down to it."""
    first, second, _pulse = surveys
    assert demo.benchmark_opt_in
    now = timezone.now()
    for survey in (first, second):
        report = SurveyReport.objects.get(survey=survey)
        assert (report.status, report.progress) == (SurveyReport.Status.DONE, 100)
        assert report.respondents == survey.ballot.completed_count
        assert survey.release_leaders_at is not None
        assert survey.release_everyone_at is not None
        assert survey.release_leaders_at <= survey.release_everyone_at <= now

    few = ParticipationCount.objects.get(ballot=second.ballot, unit__name="Plan og Udvikling")
    assert few.completed == 4
    rows = MeasureResult.objects.filter(report__survey=second, unit=few.unit, attribute="")
    assert rows.exists()
    assert not rows.filter(shown=True).exists()
    # Its parent and siblings are shown, and nothing shown lets anyone subtract down to the four.
    parent_rows = MeasureResult.objects.filter(report__survey=second, unit=few.unit.parent, attribute="")
    assert parent_rows.filter(shown=True).exists()
    assert_stored_rows_consistent(second)


def check_letter_code_opens_the_pulse_at_svar(pulse: Survey) -> None:
    text = run_command("demo_logins")
    assert "Trivselsmåling" in text
    assert pulse.ballot.title in text
    code = re.search(r"code ([0-9A-Z]{4}(?:-[0-9A-Z]{4}){3}) at http://127\.0\.0\.1:8000/svar/", text)
    assert code is not None
    # The code is a letter's: someone without e-mail who has not answered yet.
    invitation = invitation_for_token(token=code.group(1))
    assert invitation is not None
    assert invitation.ballot_id == pulse.ballot_id
    assert invitation.channel == Invitation.Channel.LETTER
    assert invitation.completed is False
    assert invitation.person.email == ""
    assert invitation.person.full_name in text

    client = Client()
    response = client.post(reverse("invitations:code"), {"code": code.group(1)}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == f"/b/{pulse.ballot_id}/survey/section/1/"


def check_low_results_followed_up(demo: Organisation, surveys: list[Survey]) -> None:
    """Measure → Act: actions made from notably low, shown results of the latest survey carry a link to
    their result (DESIGN §2.1), one result has a reason why no action, and the demo leader's follow-up
    page lists a result with an action and one still open. Nothing points to a hidden result."""
    _first, latest, _pulse = surveys
    links = list(Link.objects.filter(organisation=demo, source_kind=SURVEY_RESULT_KIND))
    from_results = [link for link in links if link.target_kind == ACTION_KIND]
    actions = Action.objects.in_bulk([link.target_id for link in from_results])
    assert len(from_results) >= 4
    for link in from_results:
        assert link.source_id == latest.pk
        assert link.source_detail["unit"] == str(actions[link.target_id].unit_id)  # the action's own unit
    assert len({action.unit_id for action in actions.values()}) >= 3
    assert {action.status for action in actions.values()} > {Action.Status.PLANNED}

    hidden = Unit.objects.get(organisation=demo, name="Plan og Udvikling")
    reasons = list(NoActionReason.objects.filter(organisation=demo))
    assert len(reasons) == 1
    addressed = [(link.source_id, link.source_detail["unit"], link.source_detail["scale"]) for link in links]
    addressed += [(reason.survey_id, str(reason.unit_id), str(reason.scale_id)) for reason in reasons]
    for survey_id, unit_id, scale_id in addressed:
        assert unit_id != str(hidden.pk)
        assert scale_result_shown(survey_id=survey_id, unit_id=unit_id, scale_id=scale_id)

    report = SurveyReport.objects.get(survey=latest)

    def follow_up_of(email: str) -> FollowUpList:
        access = access_build(user=User.objects.get(email=email), organisation=demo)
        assert access is not None
        return low_results(access=access, report=report)

    everything = follow_up_of("hr@demo.puls.test")
    assert (everything.with_action, everything.with_reason) == (len(actions), 1)
    assert everything.missing > everything.with_action
    leader = follow_up_of("leder@demo.puls.test")
    assert (leader.with_action >= 1, leader.missing >= 1) == (True, True)
    med = follow_up_of("med@demo.puls.test")  # Social- og Sundhedsforvaltningen: all three states
    assert (med.with_action >= 1, med.with_reason, med.missing >= 1) == (True, 1, True)

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(
        User.objects.get(email="leder@demo.puls.test"), backend="django.contrib.auth.backends.ModelBackend"
    )
    page = client.get(reverse("actions:follow_up", kwargs={"org_slug": demo.slug, "survey_id": latest.pk}))
    assert page.status_code == 200
    text = page.content.decode()
    for item in leader.items:
        assert all(action.title in text for action in item.actions)
    assert "Record reason why not" in text


def test_load_demo_adds_two_closed_yearly_surveys_and_an_open_pulse_once(settings):
    """One run of the real command (it takes seconds), checked from several sides."""
    settings.DEBUG = True  # as under `make run`
    output = run_command("load_demo")
    demo = Organisation.objects.get(slug="demo")
    surveys = demo_surveys(demo)
    assert len(surveys) == 3
    assert "Demo surveys ready" in output
    assert "Demo follow-up of low results" in output

    check_closed_and_open_surveys(demo, surveys)
    check_planted_units_and_trend(surveys)
    check_reports_computed_with_a_hidden_unit(demo, surveys)
    check_letter_code_opens_the_pulse_at_svar(surveys[2])
    check_low_results_followed_up(demo, surveys)

    responses = Response.objects.filter(survey__organisation=demo).count()
    links = Link.objects.filter(organisation=demo).count()
    assert "already exists" in run_command("load_demo")
    assert demo_surveys(demo) == surveys
    assert Response.objects.filter(survey__organisation=demo).count() == responses
    assert Link.objects.filter(organisation=demo).count() == links


def test_reset_deletes_surveys_with_answers_before_recreating_the_demo(settings):
    """Answer rows protect their storage cells, so a plain cascade from the organisation would fail."""
    settings.DEBUG = True
    run_command("load_demo", "--without-surveys")
    demo = Organisation.objects.get(slug="demo")
    assert not Survey.objects.filter(organisation=demo).exists()
    hr = User.objects.get(email="hr@demo.puls.test")
    school = Unit.objects.get(organisation=demo, name="Nordskolen")
    now = timezone.now()
    survey = services.survey_create(
        actor=hr,
        organisation=demo,
        settings=services.SurveySettings(
            title="Trivsel på Nordskolen",
            questionnaire=Questionnaire.objects.filter(organisation__isnull=True, kind="trivsel").first(),  # type: ignore[arg-type]
            opens_at=now - timedelta(hours=1),
            closes_at=now + timedelta(days=7),
            audience_everyone=False,
            audience_units=(school,),
        ),
    )
    services.survey_launch(actor=hr, survey=survey)
    item = SectionItem.objects.filter(
        section__questionnaire=survey.questionnaire, item__kind="likert"
    ).first()
    assert item is not None
    invitations = list(Invitation.objects.filter(ballot=survey.ballot)[:6])
    for invitation in invitations:
        holder = TokenHolder(ballot=survey.ballot, token=token_for(invitation.pk, invitation.issue_number))
        ballot_submit(holder=holder, data={"answers": {item.item_id.hex: 1}})
    assert Response.objects.filter(survey=survey).count() == len(invitations)

    run_command("load_demo", "--reset", "--without-surveys")
    assert Organisation.objects.get(slug="demo").pk == demo.pk
    assert not Survey.objects.filter(organisation=demo).exists()
    assert not Response.objects.exists()
    assert Unit.objects.filter(organisation=demo, name="Nordskolen").exists()
