"""Reads of stored survey reports: the one source for the report pages, the PDF and the XLSX.

Every function takes the viewer's `Access` (except `scale_result_shown`, for other apps that attach
flags and actions to results) and raises `Http404` for anything the viewer may not see:

- HR (organisation admin) sees every unit once the report is computed;
- unit leaders and MED/AMO representatives see their scope subtrees from `release_leaders_at`;
- every employee (a current employment) sees their own unit and the organisation from
  `release_everyone_at`;
- before that, for an open survey or a report that is not computed: nothing (404).

Suppression was decided once over the whole organisation tree when the report was computed
(`MeasureResult.shown`); these selectors only show stored results and never compute a figure from
answers. The one exception is comment lists: the texts are read from the answers, and only for a
unit whose stored comment result is shown, pooled over its whole subtree and in the random order of
the answer ids, so no list says which sub-unit a comment came from.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404
from django.utils import timezone

from puls.invitations.models import Ballot
from puls.invitations.participation_counts import unit_participation
from puls.organisations.models import Employment, Role, Unit
from puls.organisations.scoping import Access
from puls.surveys.models import (
    Answer,
    Item,
    MeasureResult,
    ReferenceValue,
    Scale,
    SectionItem,
    Survey,
    SurveyReport,
    localised,
)
from puls.surveys.reports import comparisons as _comparisons
from puls.surveys.reports.comparisons import (
    Comparison,
    Significance,
    TrendPoint,
)
from puls.surveys.reports.presentation import is_notable

__all__ = [
    "DRIVER_MIN_N",
    "CommentList",
    "CommentsPage",
    "Comparison",
    "Driver",
    "Drivers",
    "Heatmap",
    "HeatmapRow",
    "ItemDistribution",
    "OptionShare",
    "Overview",
    "Participation",
    "ReportUnit",
    "Result",
    "ScaleColumn",
    "ScalePage",
    "ScaleSummary",
    "Significance",
    "TrendPoint",
    "report_attributes",
    "report_comment_questions",
    "report_comment_texts",
    "report_comments",
    "report_default_unit",
    "report_drivers",
    "report_get",
    "report_heatmap",
    "report_list",
    "report_overview",
    "report_scale",
    "report_scales",
    "report_unit_get",
    "report_units",
    "scale_result_shown",
]

# Driver analysis only where a correlation means something (DESIGN §6).
DRIVER_MIN_N = 25
TOP_BOTTOM = 3


# Data returned to pages and exports ---------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    """One stored figure as the viewer may see it. A hidden result carries no number at all."""

    shown: bool
    n: int | None = None
    mean: float | None = None
    sd: float | None = None

    @classmethod
    def hidden(cls) -> Result:
        return cls(shown=False)

    @classmethod
    def from_row(cls, row: Any) -> Result:
        get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
        if not get("shown"):
            return cls(shown=False)
        return cls(shown=True, n=get("n"), mean=get("mean"), sd=get("sd"))

    @property
    def has_figure(self) -> bool:
        return self.shown and self.mean is not None


HIDDEN = Result(shown=False)


@dataclass(frozen=True)
class ScaleColumn:
    id: uuid.UUID
    code: str
    bank_code: str
    name: str
    description: str
    domain: str
    higher_is_better: bool
    is_outcome: bool

    def favourability(self, mean: float) -> float:
        """The mean turned so that high is good (a demands scale's 80 is as bad as a trust scale's 20)."""
        return mean if self.higher_is_better else 100.0 - mean


@dataclass(frozen=True)
class ReportUnit:
    """A unit the viewer may see in this report; depth 0 is the viewer's top unit."""

    unit: Unit
    depth: int


@dataclass(frozen=True)
class HeatmapRow:
    unit: Unit
    depth: int
    # "" for the unit's unfiltered row; the attribute value of a filtered row.
    value: str
    # One per heatmap scale, in the same order; all hidden when `hidden` is True.
    cells: list[Result]
    # Filtered heatmaps: all of the unit's filtered cells are hidden (all-or-none), shown as one row
    # without values so that not even the values present in the unit are told.
    hidden: bool = False


@dataclass(frozen=True)
class Heatmap:
    report: SurveyReport
    unit: Unit
    scales: list[ScaleColumn]
    rows: list[HeatmapRow]
    attribute: str | None = None
    attributes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class OptionShare:
    key: str  # the stored Answer.value as text, as in MeasureResult.distribution
    label: str
    count: int
    percent: float  # of the item's n (multiple choice: of respondents, so they may add up above 100)


@dataclass(frozen=True)
class ItemDistribution:
    item: Item
    text: str
    kind: str
    result: Result
    options: list[OptionShare]  # empty when hidden


@dataclass(frozen=True)
class ScalePage:
    report: SurveyReport
    unit: Unit
    scale: ScaleColumn
    result: Result
    items: list[ItemDistribution]
    comparisons: list[Comparison]
    trend: list[TrendPoint]
    # The unit's cells of the chosen background attribute ([] when none is chosen or all hidden).
    attribute: str | None = None
    filtered: list[tuple[str, Result]] = field(default_factory=list)
    filtered_hidden: bool = False
    significance: Significance | None = None


@dataclass(frozen=True)
class Participation:
    """Invited and answered in the unit's subtree; shown per DESIGN §4.4 (invitee counts)."""

    shown: bool
    invited: int | None = None
    answered: int | None = None

    @property
    def rate(self) -> int | None:
        if not self.shown or not self.invited or self.answered is None:
            return None
        return (200 * self.answered + self.invited) // (2 * self.invited)


@dataclass(frozen=True)
class ScaleSummary:
    scale: ScaleColumn
    result: Result
    previous: Result | None  # the same unit (followed through reorganisations) in the previous survey
    change: float | None
    notable_change: bool  # judged on the change as shown (rounded), see `presentation.is_notable`


@dataclass(frozen=True)
class Overview:
    report: SurveyReport
    unit: Unit
    participation: Participation
    scales: list[ScaleSummary]
    top: list[ScaleSummary]  # most favourable shown scales
    bottom: list[ScaleSummary]  # least favourable shown scales
    hidden_count: int  # scales hidden by suppression (a shown result without a mean is not hidden)
    previous_survey: Survey | None


@dataclass(frozen=True)
class CommentList:
    item: Item
    question: str
    shown: bool
    comments: list[str]  # empty when hidden


@dataclass(frozen=True)
class CommentsPage:
    report: SurveyReport
    unit: Unit
    lists: list[CommentList]


@dataclass(frozen=True)
class Driver:
    scale: ScaleColumn
    correlation: float
    result: Result


@dataclass(frozen=True)
class Drivers:
    report: SurveyReport
    unit: Unit
    outcome: ScaleColumn | None
    outcome_result: Result
    drivers: list[Driver]  # ordered by |r|, largest first; empty when n < DRIVER_MIN_N or hidden
    min_n: int = DRIVER_MIN_N


# Access ---------------------------------------------------------------------------------------------


def _released(moment: Any) -> bool:
    return moment is not None and moment <= timezone.now()


def _own_unit_ids(access: Access) -> set[uuid.UUID]:
    if access.person is None:
        return set()
    return set(Employment.objects.current().filter(person=access.person).values_list("unit_id", flat=True))


@dataclass(frozen=True)
class _Scope:
    whole: bool
    roots: tuple[Unit, ...]  # subtrees seen in full
    singles: frozenset[uuid.UUID]  # single units seen (an employee's own units and the organisation)

    def sees(self, unit: Unit) -> bool:
        return self.whole or unit.pk in self.singles or any(unit.is_within(root) for root in self.roots)

    @property
    def empty(self) -> bool:
        return not self.whole and not self.roots and not self.singles


def _scope(access: Access, report: SurveyReport) -> _Scope:
    """What the viewer sees of this report, worked out once per report object and viewer."""
    memo: dict[Any, _Scope] = report.__dict__.setdefault("_viewer_scopes", {})
    key = (access.user.pk, access.organisation.pk)
    if key not in memo:
        memo[key] = _scope_compute(access, report)
    return memo[key]


def _scope_compute(access: Access, report: SurveyReport) -> _Scope:
    survey = report.survey
    if report.status != SurveyReport.Status.DONE or survey.ballot.status != Ballot.Status.CLOSED:
        return _Scope(whole=False, roots=(), singles=frozenset())
    if access.is_org_admin:
        return _Scope(whole=True, roots=(), singles=frozenset())
    roots: tuple[Unit, ...] = ()
    singles: set[uuid.UUID] = set()
    if _released(survey.release_leaders_at):
        roots = tuple(access.scope_roots)
    if _released(survey.release_everyone_at):
        own = _own_unit_ids(access)
        if own:
            singles |= own
            singles |= set(
                Unit.objects.filter(organisation=access.organisation, parent__isnull=True).values_list(
                    "pk", flat=True
                )
            )
    return _Scope(whole=False, roots=roots, singles=frozenset(singles))


def _reports(access: Access) -> Any:
    return SurveyReport.objects.filter(
        survey__organisation=access.organisation,
        status=SurveyReport.Status.DONE,
        survey__ballot__status=Ballot.Status.CLOSED,
    ).select_related("survey", "survey__ballot", "survey__questionnaire", "survey__organisation")


def report_list(*, access: Access) -> list[SurveyReport]:
    """The computed reports of closed surveys this viewer may see something of, newest first."""
    reports = _reports(access).order_by("-survey__ballot__closes_at")
    return [report for report in reports if not _scope(access, report).empty]


def report_get(*, access: Access, survey_id: uuid.UUID | str) -> SurveyReport:
    """The survey's computed report, or 404 when the viewer may see nothing of it (yet)."""
    report = _reports(access).filter(survey_id=survey_id).first()
    if report is None or _scope(access, report).empty:
        raise Http404
    return report


def _report_unit_ids(report: SurveyReport) -> set[uuid.UUID]:
    return set(
        MeasureResult.objects.filter(report=report, measure=MeasureResult.Measure.SCALE, attribute="")
        .values_list("unit_id", flat=True)
        .distinct()
    )


def _tree_order(units: Iterable[Unit]) -> list[Unit]:
    """Depth first, siblings by unit code (paths are random ids, so they sort at random)."""
    by_id = {unit.pk: unit for unit in units}
    keys: dict[uuid.UUID, tuple[str, ...]] = {}

    def key(unit: Unit) -> tuple[str, ...]:
        if unit.pk not in keys:
            parent = by_id.get(unit.parent_id) if unit.parent_id else None
            keys[unit.pk] = (key(parent) if parent else ()) + (unit.code,)
        return keys[unit.pk]

    return sorted(by_id.values(), key=key)


def report_units(*, access: Access, report: SurveyReport) -> list[ReportUnit]:
    """Every unit of the report the viewer may see, in tree order, indented from the viewer's top."""
    scope = _scope(access, report)
    if scope.empty:
        raise Http404
    ids = _report_unit_ids(report)
    units = [unit for unit in _report_units_query(access, report).filter(pk__in=ids) if scope.sees(unit)]
    return _indented(_tree_order(units))


def _report_units_query(access: Access, report: SurveyReport) -> Any:
    """The organisation's units that existed while the survey ran: units closed before it opened
    (old reorganisations) have nobody in them and would only fill the heatmap with hidden rows."""
    opened = timezone.localdate(report.survey.ballot.opens_at)
    return Unit.objects.filter(organisation=access.organisation).exclude(closed_on__lte=opened)


def _indented(units: list[Unit]) -> list[ReportUnit]:
    """Depth relative to the nearest listed ancestor, so an employee's unit sits one step below the
    organisation and a leader's top unit at 0."""
    listed: dict[uuid.UUID, int] = {}
    result = []
    for unit in units:
        depth = 0
        for ancestor in reversed(unit.ancestor_ids[:-1]):
            if ancestor in listed:
                depth = listed[ancestor] + 1
                break
        listed[unit.pk] = depth
        result.append(ReportUnit(unit=unit, depth=depth))
    return result


def report_default_unit(*, access: Access, report: SurveyReport) -> Unit:
    """The unit the report opens on: the viewer's own unit, not the top of what they may see.

    HR: the organisation. Otherwise the first of these the viewer sees in this report: the unit they
    lead (the highest if several), the unit they represent in MED/AMO (likewise), the unit they are
    employed in. Once results are released to everyone a leader also sees the organisation, but
    their report still opens on their own unit; the unit picker leads to the rest. When none of
    those units is in the report (e.g. one created after the survey), the top visible unit."""
    units = [ru.unit for ru in report_units(access=access, report=report)]
    if not units:
        raise Http404
    if access.is_org_admin:
        return units[0]
    position = {unit.pk: i for i, unit in enumerate(units)}
    candidates: list[Iterable[uuid.UUID]] = [
        (unit.pk for unit in access.roles.get(Role.UNIT_LEADER, [])),
        (unit.pk for unit in access.roles.get(Role.MED_REP, [])),
        _own_unit_ids(access),
    ]
    for unit_ids in candidates:
        seen = [units[position[pk]] for pk in unit_ids if pk in position]
        if seen:
            # Highest first (fewest ancestors), then in tree order.
            return min(seen, key=lambda unit: (len(unit.ancestor_ids), position[unit.pk]))
    return units[0]


def report_unit_get(*, access: Access, report: SurveyReport, unit_id: uuid.UUID | str) -> Unit:
    unit = _report_units_query(access, report).filter(pk=unit_id).first()
    if unit is None or not _scope(access, report).sees(unit):
        raise Http404
    if not MeasureResult.objects.filter(report=report, unit=unit).exists():
        raise Http404
    return unit


def scale_result_shown(
    *, survey_id: uuid.UUID | str, unit_id: uuid.UUID | str, scale_id: uuid.UUID | str
) -> bool:
    """Whether the (survey, unit, scale) result is published. For other apps that attach actions or
    flags to results: a hidden (or not computed) result can never be flagged. No access needed:
    it tells only what every output path of the report already shows."""
    return MeasureResult.objects.filter(
        report__survey_id=survey_id,
        report__status=SurveyReport.Status.DONE,
        unit_id=unit_id,
        measure=MeasureResult.Measure.SCALE,
        measure_key=str(scale_id),
        attribute="",
        value="",
        shown=True,
    ).exists()


# Scales and attributes --------------------------------------------------------------------------------


def _scale_column(scale: Scale) -> ScaleColumn:
    return ScaleColumn(
        id=scale.pk,
        code=scale.code,
        bank_code=scale.bank.code,
        name=localised(scale, "name"),
        description=localised(scale, "description"),
        domain=localised(scale.domain, "name"),
        higher_is_better=scale.higher_is_better,
        is_outcome=scale.is_outcome,
    )


def report_scales(*, report: SurveyReport) -> list[ScaleColumn]:
    """The questionnaire's scales in questionnaire order (domain, then scale order)."""
    scale_ids = (
        SectionItem.objects.filter(
            section__questionnaire_id=report.survey.questionnaire_id, item__scale__isnull=False
        )
        .values_list("item__scale_id", flat=True)
        .distinct()
    )
    scales = Scale.objects.filter(pk__in=scale_ids).select_related("bank", "domain")
    return [_scale_column(s) for s in sorted(scales, key=lambda s: (s.domain.order, s.order, s.code))]


def _scale_get(report: SurveyReport, scale_id: uuid.UUID | str) -> ScaleColumn:
    for scale in report_scales(report=report):
        if str(scale.id) == str(scale_id):
            return scale
    raise Http404


def report_attributes(*, report: SurveyReport) -> list[str]:
    """The background attributes the survey stored with its answers (the filters on offer)."""
    return [str(a) for a in (report.survey.ballot.attributes or [])]


def _attribute_or_404(report: SurveyReport, attribute: str | None) -> str | None:
    if not attribute:
        return None
    if attribute not in report_attributes(report=report):
        raise Http404
    return attribute


# Heatmap ----------------------------------------------------------------------------------------------


def _rows_under(access: Access, report: SurveyReport, unit: Unit) -> list[ReportUnit]:
    """The visible units in `unit`'s subtree (the unit first), indented from `unit`."""
    report_unit_get(access=access, report=report, unit_id=unit.pk)
    units = [ru.unit for ru in report_units(access=access, report=report) if ru.unit.is_within(unit)]
    return _indented(_tree_order(units))


def report_heatmap(
    *, access: Access, report: SurveyReport, unit: Unit, attribute: str | None = None
) -> Heatmap:
    """Scales × the visible units of `unit`'s subtree. With an attribute, one row per (unit, value)
    where the unit's filtered cells are shown, one hidden row per unit where they are not.
    One query reads every cell.

    The computation stores only shown filtered cells (reports computed before that also stored hidden
    ones): a unit without a shown row of a scale's filtered table has that table's cells hidden, and
    its filtered row here is hidden when that holds for any scale whose table has a row at all."""
    attribute = _attribute_or_404(report, attribute)
    rows_units = _rows_under(access, report, unit)
    scales = report_scales(report=report)
    position = {str(scale.id): i for i, scale in enumerate(scales)}
    cells: dict[tuple[uuid.UUID, str], list[Result]] = {}
    hidden_units: set[uuid.UUID] = set()
    values_per_unit: dict[uuid.UUID, set[str]] = {}
    query = MeasureResult.objects.filter(
        report=report,
        measure=MeasureResult.Measure.SCALE,
        attribute=attribute or "",
        unit_id__in=[ru.unit.pk for ru in rows_units],
    ).values_list("unit_id", "measure_key", "value", "shown", "n", "mean", "sd")
    for unit_id, key, value, shown, n, mean, sd in query:
        if key not in position:
            continue
        row = cells.get((unit_id, value))
        if row is None:
            row = cells[(unit_id, value)] = [HIDDEN] * len(scales)
        if shown:
            row[position[key]] = Result(shown=True, n=n, mean=mean, sd=sd)
        if attribute and not shown:
            hidden_units.add(unit_id)
        values_per_unit.setdefault(unit_id, set()).add(value)
    rows: list[HeatmapRow] = []
    if attribute:
        shown_per_unit: dict[uuid.UUID, set[str]] = {}
        for (unit_id, _value), row in cells.items():
            shown_per_unit.setdefault(unit_id, set()).update(
                key for key, i in position.items() if row[i].shown
            )
        tables = set(
            MeasureResult.objects.filter(
                report=report, measure=MeasureResult.Measure.SCALE, attribute=attribute
            )
            .values_list("measure_key", flat=True)
            .distinct()
        ) & set(position)
        hidden_units.update(
            unit_id for unit_id, shown_keys in shown_per_unit.items() if not tables <= shown_keys
        )
    for ru in rows_units:
        if attribute is None:
            row_cells = cells.get((ru.unit.pk, ""), [HIDDEN] * len(scales))
            rows.append(HeatmapRow(unit=ru.unit, depth=ru.depth, value="", cells=row_cells))
        elif ru.unit.pk in hidden_units or ru.unit.pk not in values_per_unit:
            rows.append(
                HeatmapRow(
                    unit=ru.unit,
                    depth=ru.depth,
                    value="",
                    cells=[HIDDEN] * len(scales),
                    hidden=True,
                )
            )
        else:
            for value in sorted(values_per_unit[ru.unit.pk], key=str.casefold):
                rows.append(
                    HeatmapRow(unit=ru.unit, depth=ru.depth, value=value, cells=cells[(ru.unit.pk, value)])
                )
    return Heatmap(
        report=report,
        unit=unit,
        scales=scales,
        rows=rows,
        attribute=attribute,
        attributes=report_attributes(report=report),
    )


# Scale page -------------------------------------------------------------------------------------------


def _scale_items(report: SurveyReport, scale_id: uuid.UUID) -> list[Item]:
    links = (
        SectionItem.objects.filter(
            section__questionnaire_id=report.survey.questionnaire_id, item__scale_id=scale_id
        )
        .select_related("item")
        .order_by("section__order", "order")
    )
    return [link.item for link in links]


def option_shares(item: Item, result: Result, distribution: dict[str, int] | None) -> list[OptionShare]:
    """The item's options in listed order with their counts, from a stored distribution."""
    from puls.surveys.ballot_kind import item_options, option_label

    if not result.shown or not distribution:
        return []
    options = item_options(item)
    total = result.n or 0
    keys_labels: list[tuple[str, str]] = []
    if item.kind == Item.Kind.LIKERT:
        steps = max(len(options) - 1, 1)
        for i, option in enumerate(options):
            score = round(100 * i / steps) if item.reversed else round(100 * (steps - i) / steps)
            keys_labels.append((str(score), option_label(option)))
    elif item.kind == Item.Kind.SCALE_0_10:
        low = option_label(options[0]) if options else ""
        high = option_label(options[-1]) if len(options) > 1 else ""
        for value in range(11):
            label = str(value)
            if value == 0 and low:
                label = f"0 ({low})"
            elif value == 10 and high:
                label = f"10 ({high})"
            keys_labels.append((str(value), label))
    else:
        keys_labels = [(str(i), option_label(option)) for i, option in enumerate(options)]
    shares = []
    for key, label in keys_labels:
        count = int(distribution.get(key, 0))
        shares.append(
            OptionShare(key=key, label=label, count=count, percent=100.0 * count / total if total else 0.0)
        )
    return shares


def report_scale(
    *,
    access: Access,
    report: SurveyReport,
    unit: Unit,
    scale_id: uuid.UUID | str,
    attribute: str | None = None,
) -> ScalePage:
    """One scale for one unit: its score, its items' distributions, comparisons and the trend."""
    report_unit_get(access=access, report=report, unit_id=unit.pk)
    attribute = _attribute_or_404(report, attribute)
    scale = _scale_get(report, scale_id)
    root_id = unit.ancestor_ids[0]
    rows = {
        row.unit_id: row
        for row in MeasureResult.objects.filter(
            report=report,
            measure=MeasureResult.Measure.SCALE,
            measure_key=str(scale.id),
            attribute="",
            value="",
            unit_id__in={unit.pk, root_id, unit.parent_id or unit.pk},
        )
    }
    result = Result.from_row(rows[unit.pk]) if unit.pk in rows else Result.hidden()

    items = _scale_items(report, scale.id)
    item_rows = {
        row.measure_key: row
        for row in MeasureResult.objects.filter(
            report=report,
            unit=unit,
            measure=MeasureResult.Measure.ITEM,
            measure_key__in=[str(item.pk) for item in items],
            attribute="",
            value="",
        )
    }
    distributions = []
    for item in items:
        row = item_rows.get(str(item.pk))
        item_result = Result.from_row(row) if row is not None else Result.hidden()
        distributions.append(
            ItemDistribution(
                item=item,
                text=localised(item, "text"),
                kind=item.kind,
                result=item_result,
                options=option_shares(item, item_result, row.distribution if row is not None else None),
            )
        )

    filtered: list[tuple[str, Result]] = []
    filtered_hidden = False
    if attribute:
        cells = list(
            MeasureResult.objects.filter(
                report=report,
                unit=unit,
                measure=MeasureResult.Measure.SCALE,
                measure_key=str(scale.id),
                attribute=attribute,
            ).order_by("value")
        )
        if cells and all(cell.shown for cell in cells):
            filtered = [
                (cell.value, Result.from_row(cell))
                for cell in sorted(cells, key=lambda c: c.value.casefold())
            ]
        else:
            filtered_hidden = True

    root_row = rows.get(root_id)
    parent_row = rows.get(unit.parent_id) if unit.parent_id else None
    comparison_list = _comparisons.scale_comparisons(
        report=report,
        unit=unit,
        scale=scale,
        result=result,
        root=Result.from_row(root_row) if root_row is not None else None,
        parent=Result.from_row(parent_row) if parent_row is not None else None,
        parent_unit=unit.parent if unit.parent_id else None,
        references=list(ReferenceValue.objects.filter(scale_id=scale.id).order_by("-year", "population")),
    )
    significance = None
    if root_row is not None and unit.parent_id is not None:
        significance = _comparisons.welch_against_rest(
            unit=result, organisation=Result.from_row(root_row), k=report.k
        )
    return ScalePage(
        report=report,
        unit=unit,
        scale=scale,
        result=result,
        items=distributions,
        comparisons=comparison_list,
        trend=_trend(access, report, unit, scale, result),
        attribute=attribute,
        filtered=filtered,
        filtered_hidden=filtered_hidden,
        significance=significance,
    )


# Trend ----------------------------------------------------------------------------------------------


def _previous(access: Access, report: SurveyReport) -> list[SurveyReport]:
    return _comparisons.previous_reports(report, lambda earlier: not _scope(access, earlier).empty)


def _trend(
    access: Access, report: SurveyReport, unit: Unit, scale: ScaleColumn, result: Result
) -> list[TrendPoint]:
    """The scale for this unit in this survey and the previous ones (oldest first), following the
    unit back through reorganisations (UnitMapping old → new)."""
    points = [TrendPoint(survey=report.survey, units=[unit], result=result, current=True)]
    for earlier in _previous(access, report):
        units = _comparisons.units_in(earlier, unit)
        points.append(
            TrendPoint(
                survey=earlier.survey, units=units, result=_comparisons.result_for(earlier, units, scale)
            )
        )
    return list(reversed(points))


def _previous_results(
    access: Access, report: SurveyReport, unit: Unit, scales: list[ScaleColumn]
) -> tuple[SurveyReport | None, dict[uuid.UUID, Result]]:
    earlier = next(iter(_previous(access, report)), None)
    if earlier is None:
        return None, {}
    return earlier, _comparisons.results_for(earlier, _comparisons.units_in(earlier, unit), scales)


# Overview ---------------------------------------------------------------------------------------------


def _participation(report: SurveyReport, unit: Unit) -> Participation:
    """Invited/answered of the unit's subtree, shown only where DESIGN §4.4 allows (the residual rule
    over invitee counts, once over the whole tree): the figures of the response-rate page."""
    counts = next(
        (row for row in unit_participation(report.survey.ballot).units if row.unit.pk == unit.pk), None
    )
    if counts is None or not counts.shown:  # a unit without invitees is hidden too
        return Participation(shown=False)
    return Participation(shown=True, invited=counts.invited, answered=counts.answered)


def report_overview(*, access: Access, report: SurveyReport, unit: Unit) -> Overview:
    """Response rate, every scale's score with its change since the previous survey, top and bottom."""
    report_unit_get(access=access, report=report, unit_id=unit.pk)
    scales = report_scales(report=report)
    current = {
        row["measure_key"]: Result.from_row(row)
        for row in MeasureResult.objects.filter(
            report=report, unit=unit, measure=MeasureResult.Measure.SCALE, attribute="", value=""
        ).values("measure_key", "shown", "n", "mean", "sd")
    }
    previous_report, previous = _previous_results(access, report, unit, scales)
    summaries = []
    for scale in scales:
        result = current.get(str(scale.id), Result.hidden())
        before = previous.get(scale.id)
        change = None
        if result.has_figure and before is not None and before.has_figure:
            change = float(result.mean) - float(before.mean)  # type: ignore[arg-type]
        summaries.append(
            ScaleSummary(
                scale=scale,
                result=result,
                previous=before,
                change=change,
                notable_change=is_notable(change),
            )
        )
    shown = [s for s in summaries if s.result.has_figure]
    ranked = sorted(shown, key=lambda s: s.scale.favourability(float(s.result.mean)), reverse=True)  # type: ignore[arg-type]
    # With few scales, the strongest and the weakest split them rather than overlap.
    count = min(TOP_BOTTOM, len(ranked) // 2) if len(ranked) > 1 else len(ranked)
    top = ranked[:count]
    bottom = list(reversed(ranked[len(ranked) - count :])) if len(ranked) > 1 else []
    return Overview(
        report=report,
        unit=unit,
        participation=_participation(report, unit),
        scales=summaries,
        top=top,
        bottom=bottom,
        hidden_count=sum(1 for s in summaries if not s.result.shown),
        previous_survey=previous_report.survey if previous_report is not None else None,
    )


# Comments ---------------------------------------------------------------------------------------------


def _free_text_items(report: SurveyReport) -> list[Item]:
    links = (
        SectionItem.objects.filter(
            section__questionnaire_id=report.survey.questionnaire_id, item__kind=Item.Kind.FREE_TEXT
        )
        .select_related("item")
        .order_by("section__order", "order")
    )
    items = [link.item for link in links]
    local = Item.objects.filter(
        kind=Item.Kind.FREE_TEXT, pk__in=report.survey.local_items.values("item_id")
    ).order_by("order", "code")
    return items + [item for item in local if item not in items]


def _comment_shown(report: SurveyReport, unit: Unit, item: Item) -> bool:
    return MeasureResult.objects.filter(
        report=report,
        unit=unit,
        measure=MeasureResult.Measure.COMMENTS,
        measure_key=str(item.pk),
        attribute="",
        value="",
        shown=True,
    ).exists()


def report_comment_texts(
    *, access: Access, report: SurveyReport, unit: Unit, item_id: uuid.UUID | str
) -> Iterator[str]:
    """The comment texts of one free-text item for the unit's whole subtree, streamed, in the random
    order of the answer ids. Nothing when the unit's comment list is hidden."""
    report_unit_get(access=access, report=report, unit_id=unit.pk)
    item = next((i for i in _free_text_items(report) if str(i.pk) == str(item_id)), None)
    if item is None:
        raise Http404
    if not _comment_shown(report, unit, item):
        return iter(())
    return _texts(report, unit, item)


def _texts(report: SurveyReport, unit: Unit, item: Item) -> Iterator[str]:
    answers = (
        Answer.objects.filter(
            response__survey_id=report.survey_id,
            response__cell__unit__path__startswith=unit.path,
            item=item,
        )
        .exclude(text="")
        .order_by("id")
        .values_list("text", flat=True)
    )
    for text in answers.iterator(chunk_size=2000):
        text = text.strip()
        if text:
            yield text


def report_comment_questions(*, access: Access, report: SurveyReport, unit: Unit) -> list[CommentList]:
    """The free-text questions and whether the unit's list is shown, without the texts (exports
    stream those through `report_comment_texts`)."""
    report_unit_get(access=access, report=report, unit_id=unit.pk)
    return [
        CommentList(
            item=item, question=localised(item, "text"), shown=_comment_shown(report, unit, item), comments=[]
        )
        for item in _free_text_items(report)
    ]


def report_comments(*, access: Access, report: SurveyReport, unit: Unit) -> CommentsPage:
    """Every free-text question with the unit's pooled, shuffled comments, or hidden."""
    report_unit_get(access=access, report=report, unit_id=unit.pk)
    lists = []
    for item in _free_text_items(report):
        shown = _comment_shown(report, unit, item)
        lists.append(
            CommentList(
                item=item,
                question=localised(item, "text"),
                shown=shown,
                comments=list(_texts(report, unit, item)) if shown else [],
            )
        )
    return CommentsPage(report=report, unit=unit, lists=lists)


# Driver analysis --------------------------------------------------------------------------------------


def report_drivers(*, access: Access, report: SurveyReport, unit: Unit) -> Drivers:
    """The scales ordered by the strength of their correlation with the outcome scale, for a unit
    whose outcome result is shown with n ≥ DRIVER_MIN_N (the stored correlations)."""
    report_unit_get(access=access, report=report, unit_id=unit.pk)
    scales = report_scales(report=report)
    outcome = next((s for s in scales if s.is_outcome), None)
    rows = {
        row.measure_key: row
        for row in MeasureResult.objects.filter(
            report=report, unit=unit, measure=MeasureResult.Measure.SCALE, attribute="", value=""
        )
    }
    outcome_result = Result.hidden()
    if outcome is not None and str(outcome.id) in rows:
        outcome_result = Result.from_row(rows[str(outcome.id)])
    drivers: list[Driver] = []
    if outcome is not None and outcome_result.shown and (outcome_result.n or 0) >= DRIVER_MIN_N:
        for scale in scales:
            row = rows.get(str(scale.id))
            if scale.id == outcome.id or row is None or not row.shown or row.correlation is None:
                continue
            if (row.n or 0) < DRIVER_MIN_N:
                continue
            drivers.append(Driver(scale=scale, correlation=row.correlation, result=Result.from_row(row)))
        drivers.sort(key=lambda d: abs(d.correlation), reverse=True)
    return Drivers(report=report, unit=unit, outcome=outcome, outcome_result=outcome_result, drivers=drivers)
