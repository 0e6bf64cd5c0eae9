"""Reads for the follow-up rule on survey results (issue 7, DESIGN §6): each notably low scale of a
unit — 5 or more points worse than the organisation's score, or below a level HR sets — has an action
or a recorded reason why not.

Every figure comes from the survey report's own selectors (the heatmap of the units the viewer may
see, and the organisation's result the scale pages compare with), so only results suppression shows
are ever judged: a hidden result carries no number and is never flagged, however low it may be.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from puls.actions import permissions
from puls.actions.link_kinds import ACTION_KIND
from puls.actions.models import Action, FollowUpSettings, NoActionReason
from puls.actions.selectors import action_list
from puls.actions.services import SURVEY_RESULT_KIND
from puls.core.models import Link
from puls.organisations.models import Unit
from puls.organisations.scoping import Access
from puls.surveys.models import SurveyReport
from puls.surveys.reports import selectors as report_selectors
from puls.surveys.reports.comparisons import results_for
from puls.surveys.reports.presentation import is_notable
from puls.surveys.reports.selectors import Result, ScaleColumn


class Status:
    ACTION = "action"
    REASON = "reason"
    MISSING = "missing"


@dataclass(frozen=True)
class LowResult:
    """One shown scale score of a unit that the rule asks to follow up."""

    unit: Unit
    scale: ScaleColumn
    score: float
    organisation_score: float | None  # None: the organisation's result is hidden or has no figure
    below_organisation: bool  # at least 5 points worse than the organisation
    below_level: bool  # below the level HR set
    actions: list[Action] = field(default_factory=list)
    reason: NoActionReason | None = None

    @property
    def status(self) -> str:
        if self.actions:
            return Status.ACTION
        if self.reason is not None:
            return Status.REASON
        return Status.MISSING

    @property
    def difference(self) -> float | None:
        """The unit's score minus the organisation's (negative: lower)."""
        if self.organisation_score is None:
            return None
        return self.score - self.organisation_score

    @property
    def key(self) -> str:
        """An id for the page's anchors and form ids."""
        return f"{self.unit.pk.hex}-{self.scale.id.hex}"


@dataclass(frozen=True)
class FollowUpList:
    report: SurveyReport | None
    items: list[LowResult]
    level: int | None

    def _count(self, status: str) -> int:
        return sum(1 for item in self.items if item.status == status)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def with_action(self) -> int:
        return self._count(Status.ACTION)

    @property
    def with_reason(self) -> int:
        return self._count(Status.REASON)

    @property
    def missing(self) -> int:
        return self._count(Status.MISSING)

    def find(self, unit_id: uuid.UUID, scale_id: uuid.UUID) -> LowResult | None:
        return next((i for i in self.items if i.unit.pk == unit_id and i.scale.id == scale_id), None)


def low_score_level(*, organisation_id: uuid.UUID) -> int | None:
    found = FollowUpSettings.objects.filter(organisation_id=organisation_id).first()
    return found.low_score_level if found is not None else None


def is_worse(scale: ScaleColumn, score: float, other: float) -> bool:
    """At least 5 points worse, judged on the difference as shown (rounded), as the report marks it:
    lower on a scale where high is good, higher where high is bad."""
    worse_by = other - score if scale.higher_is_better else score - other
    return worse_by > 0 and is_notable(worse_by)


def _units_in_view(access: Access, report: SurveyReport, within: Unit | None) -> list[Unit]:
    """The report's units the viewer may see (phased release, suppression scope) that also lie in
    the units whose action plans they work with (HR: all; leaders and MED/AMO: their subtrees)."""
    return [
        ru.unit
        for ru in report_selectors.report_units(access=access, report=report)
        if access.can_see_unit(ru.unit) and (within is None or ru.unit.is_within(within))
    ]


def _tops(units: list[Unit]) -> list[Unit]:
    ids = {unit.pk for unit in units}
    return [unit for unit in units if not any(a in ids for a in unit.ancestor_ids[:-1])]


def _shown_cells(
    access: Access, report: SurveyReport, units: list[Unit]
) -> tuple[list[ScaleColumn], list[tuple[Unit, list[Result]]]]:
    """The unfiltered heatmap rows of these units, read through the report's heatmap selector."""
    wanted = {unit.pk for unit in units}
    scales: list[ScaleColumn] = []
    rows: list[tuple[Unit, list[Result]]] = []
    for top in _tops(units):
        heatmap = report_selectors.report_heatmap(access=access, report=report, unit=top)
        scales = heatmap.scales
        rows.extend((row.unit, row.cells) for row in heatmap.rows if row.unit.pk in wanted)
    return scales, rows


def _organisation_results(
    report: SurveyReport, units: Iterable[Unit], scales: list[ScaleColumn]
) -> dict[uuid.UUID, dict[uuid.UUID, Result]]:
    """Per root unit: its results, as the scale pages compare every unit with "the whole
    organisation" (a hidden root result carries no number)."""
    root_ids = {unit.ancestor_ids[0] for unit in units}
    return {root.pk: results_for(report, [root], scales) for root in Unit.objects.filter(pk__in=root_ids)}


def _linked_actions(
    access: Access, report: SurveyReport, items: list[LowResult]
) -> dict[tuple[str, str], list[Action]]:
    """The visible, not cancelled actions linked to each of these results."""
    links = Link.objects.filter(
        organisation=access.organisation,
        source_kind=SURVEY_RESULT_KIND,
        source_id=report.survey_id,
        target_kind=ACTION_KIND,
    ).values_list("source_detail", "target_id")
    wanted = {(str(item.unit.pk), str(item.scale.id)) for item in items}
    targets: dict[tuple[str, str], list[uuid.UUID]] = {}
    for detail, target_id in links:
        key = (str(detail.get("unit", "")), str(detail.get("scale", "")))
        if key in wanted:
            targets.setdefault(key, []).append(target_id)
    ids = {pk for pks in targets.values() for pk in pks}
    actions = {
        action.pk: action
        for action in action_list(access=access).filter(pk__in=ids).exclude(status=Action.Status.CANCELLED)
    }
    return {key: [actions[pk] for pk in pks if pk in actions] for key, pks in targets.items()}


def low_results(*, access: Access, report: SurveyReport, within: Unit | None = None) -> FollowUpList:
    """The notably low shown results of the report in the units the viewer works with (optionally
    only in `within`'s subtree), each with its actions or its reason why not, in tree order.

    Raises Http404 (from the report selectors) when the viewer may see nothing of the report."""
    level = low_score_level(organisation_id=access.organisation.pk)
    if not permissions.sees_action_plans(access):
        return FollowUpList(report=report, items=[], level=level)
    units = _units_in_view(access, report, within)
    scales, rows = _shown_cells(access, report, units)
    organisation = _organisation_results(report, units, scales)
    found: list[LowResult] = []
    for unit, cells in rows:
        root_id = unit.ancestor_ids[0]
        for scale, result in zip(scales, cells, strict=True):
            if not result.has_figure:
                continue
            score = float(result.mean)  # type: ignore[arg-type]
            root = organisation.get(root_id, {}).get(scale.id)
            root_score = float(root.mean) if root is not None and root.has_figure else None  # type: ignore[arg-type]
            below_organisation = (
                unit.pk != root_id and root_score is not None and is_worse(scale, score, root_score)
            )
            below_level = level is not None and scale.higher_is_better and score < level
            if below_organisation or below_level:
                found.append(
                    LowResult(
                        unit=unit,
                        scale=scale,
                        score=score,
                        organisation_score=root_score,
                        below_organisation=below_organisation,
                        below_level=below_level,
                    )
                )
    if not found:
        return FollowUpList(report=report, items=[], level=level)
    actions = _linked_actions(access, report, found)
    reasons = {
        (reason.unit_id, reason.scale_id): reason
        for reason in NoActionReason.objects.filter(
            survey_id=report.survey_id, unit_id__in={item.unit.pk for item in found}
        ).select_related("recorded_by")
    }
    items = [
        LowResult(
            unit=item.unit,
            scale=item.scale,
            score=item.score,
            organisation_score=item.organisation_score,
            below_organisation=item.below_organisation,
            below_level=item.below_level,
            actions=actions.get((str(item.unit.pk), str(item.scale.id)), []),
            reason=reasons.get((item.unit.pk, item.scale.id)),
        )
        for item in found
    ]
    return FollowUpList(report=report, items=items, level=level)
