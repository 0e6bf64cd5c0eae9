"""Reads of report-back rounds: the list, who has and has not answered, tool counts against the
goal, and the compiled answers for the MED committee."""

import uuid
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from puls.organisations.models import Person
from puls.organisations.scoping import Access
from puls.policy.models import ReportAnswer, ReportRound, ValueWalk
from puls.policy.permissions import can_edit_unit, can_manage_rounds, can_read_answer, sees_report_back
from puls.policy.services.report import unit_leaders


def round_list(*, access: Access) -> QuerySet[ReportRound]:
    if not sees_report_back(access):
        raise Http404
    rounds = ReportRound.objects.filter(organisation=access.organisation)
    if not can_manage_rounds(access):
        rounds = rounds.exclude(status=ReportRound.Status.DRAFT)
    return rounds.order_by("-year", "-created_at")


def round_get(*, access: Access, round_id: uuid.UUID | str) -> ReportRound:
    report_round = round_list(access=access).filter(pk=round_id).first()
    if report_round is None:
        raise Http404
    return report_round


@dataclass(frozen=True)
class AnswerRow:
    answer: ReportAnswer
    leaders: list[Person]
    can_edit: bool


@dataclass(frozen=True)
class ToolCount:
    tool: str
    units: int


@dataclass(frozen=True)
class RoundSummary:
    expected: int
    answered: int
    using_a_tool: int
    goal: int | None
    tools: list[ToolCount]

    @property
    def missing(self) -> int:
        return self.expected - self.answered

    @property
    def goal_reached(self) -> bool:
        return self.goal is not None and self.using_a_tool >= self.goal

    @property
    def chart_max(self) -> int:
        return max([self.answered, 1, *(count.units for count in self.tools)])


def round_summary(*, report_round: ReportRound) -> RoundSummary:
    """Organisation-wide counts (no answer text): answered units and units per tool."""
    answers = list(ReportAnswer.objects.filter(round=report_round).only("submitted_at", "tools"))
    answered = [answer for answer in answers if answer.submitted_at is not None]
    counts = dict.fromkeys(report_round.tools, 0)
    for answer in answered:
        for tool in set(answer.tools):
            if tool in counts:
                counts[tool] += 1
    return RoundSummary(
        expected=len(answers),
        answered=len(answered),
        using_a_tool=sum(1 for answer in answered if any(tool in counts for tool in answer.tools)),
        goal=report_round.goal_units,
        tools=[ToolCount(tool=tool, units=units) for tool, units in counts.items()],
    )


def answer_rows(*, access: Access, report_round: ReportRound, missing_only: bool = False) -> list[AnswerRow]:
    """The answers the user may read: HR all of them, leaders and MED/AMO representatives their units'."""
    answers = ReportAnswer.objects.filter(round=report_round).select_related("unit").order_by("unit__path")
    if missing_only:
        answers = answers.filter(submitted_at__isnull=True)
    return [
        AnswerRow(
            answer=answer, leaders=unit_leaders(answer.unit), can_edit=can_edit_unit(access, answer.unit)
        )
        for answer in answers
        if can_read_answer(access, answer.unit)
    ]


def answer_get(*, access: Access, report_round: ReportRound, unit_id: uuid.UUID | str) -> ReportAnswer:
    answer = (
        ReportAnswer.objects.filter(
            round=report_round, unit_id=unit_id, unit__organisation=access.organisation
        )
        .select_related("unit", "round")
        .first()
    )
    if answer is None or not can_read_answer(access, answer.unit):
        raise Http404
    return answer


def walked_in_year(*, answer: ReportAnswer) -> bool:
    """The unit completed a Værdivejen workshop in the year the round reports on."""
    return ValueWalk.objects.filter(
        unit=answer.unit, status=ValueWalk.Status.COMPLETED, held_on__year=answer.round.year
    ).exists()


def export_rows(*, access: Access, report_round: ReportRound) -> list[dict[str, object]]:
    if not can_manage_rounds(access):
        raise Http404
    return [
        {
            "unit_code": row.answer.unit.code,
            "unit_name": row.answer.unit.name,
            "submitted_on": timezone.localdate(row.answer.submitted_at) if row.answer.submitted_at else None,
            "what_done": row.answer.what_done,
            "tools": row.answer.tools,
            "effect": row.answer.effect,
            "next_steps": row.answer.next_steps,
        }
        for row in answer_rows(access=access, report_round=report_round)
    ]
