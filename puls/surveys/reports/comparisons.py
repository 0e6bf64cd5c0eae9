"""Comparisons, trend and significance for the report pages, from stored results only.

Nothing here reads answers: every figure is a shown `MeasureResult` (or a reference value imported
with the item bank), so whatever the comparisons show, suppression already allowed.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils.translation import gettext as _

from puls.invitations.models import Ballot
from puls.organisations.models import Unit, UnitMapping
from puls.surveys.models import MeasureResult, ReferenceValue, Scale, Survey, SurveyReport
from puls.surveys.reports.presentation import is_notable

if TYPE_CHECKING:
    from puls.surveys.reports.selectors import Result, ScaleColumn

# The benchmark of opted-in organisations is shown only when at least this many contribute,
# the viewer's own organisation included (DESIGN §6).
BENCHMARK_MIN_ORGANISATIONS = 3
# The significance test's level, stated on the page.
SIGNIFICANCE_LEVEL = 0.05
TREND_SURVEYS = 10
JOB_GROUP = "job_group"


@dataclass(frozen=True)
class Comparison:
    """The unit's score next to another published figure."""

    kind: str  # "organisation", "parent", "job_group", "benchmark" or "reference"
    label: str
    shown: bool  # False: the compared result is hidden (no number)
    mean: float | None = None
    n: int | None = None
    difference: float | None = None  # the unit's mean minus this mean
    notable: bool = False  # the difference as shown (rounded) is 5 points or more
    contributors: int | None = None  # benchmark: organisations that contribute
    unit_mean: float | None = None  # job groups: the unit's own cell of that group


@dataclass(frozen=True)
class Significance:
    """Welch's t-test of the unit against the rest of the organisation, from stored means and sds."""

    t: float
    p_value: float
    rest_n: int
    significant: bool
    level: float = SIGNIFICANCE_LEVEL


@dataclass(frozen=True)
class TrendPoint:
    survey: Survey
    units: list[Unit]  # the unit(s) the trend follows in that survey (after reorganisations)
    result: Result | None  # None: the unit had no result in that survey
    current: bool = False


def _result(row: Any) -> Result:
    from puls.surveys.reports.selectors import Result

    return Result.from_row(row)


def _difference(unit: Result, other: Result | None) -> tuple[float | None, bool]:
    if other is None or not unit.has_figure or not other.has_figure:
        return None, False
    difference = float(unit.mean) - float(other.mean)  # type: ignore[arg-type]
    return difference, is_notable(difference)


def _compare(kind: str, label: str, unit: Result, other: Result) -> Comparison:
    difference, notable = _difference(unit, other)
    if not other.shown:
        return Comparison(kind=kind, label=label, shown=False)
    return Comparison(
        kind=kind, label=label, shown=True, mean=other.mean, n=other.n, difference=difference, notable=notable
    )


def job_group_cells(
    *, report: SurveyReport, unit: Unit, scale_id: uuid.UUID
) -> list[tuple[str, Result, Result]]:
    """(job group, the unit's cell, the organisation's cell) for each job group of the unit, when the
    survey stored job groups and the unit's job-group cells are shown (all-or-none)."""
    if JOB_GROUP not in (report.survey.ballot.attributes or []) or unit.parent_id is None:
        return []
    root_id = unit.ancestor_ids[0]
    rows = list(
        MeasureResult.objects.filter(
            report=report,
            measure=MeasureResult.Measure.SCALE,
            measure_key=str(scale_id),
            attribute=JOB_GROUP,
            unit_id__in=[unit.pk, root_id],
        )
    )
    own = [row for row in rows if row.unit_id == unit.pk]
    if not own or not all(row.shown for row in own):
        return []
    organisation = {row.value: row for row in rows if row.unit_id == root_id}
    cells = []
    for row in sorted(own, key=lambda r: r.value.casefold()):
        other = organisation.get(row.value)
        if other is not None:
            cells.append((row.value, _result(row), _result(other)))
    return cells


def benchmark(*, report: SurveyReport, scale: ScaleColumn) -> Comparison | None:
    """The mean of the other opted-in organisations' organisation-level results for the same scale
    (same bank and scale code) in each one's latest closed survey; only when at least
    BENCHMARK_MIN_ORGANISATIONS organisations contribute, this one included. Aggregates only."""
    organisation = report.survey.organisation
    if not organisation.benchmark_opt_in:
        return None
    own = MeasureResult.objects.filter(
        report=report,
        measure=MeasureResult.Measure.SCALE,
        measure_key=str(scale.id),
        attribute="",
        value="",
        shown=True,
        unit__parent__isnull=True,
    ).exists()
    if not own:
        return None
    latest: dict[uuid.UUID, uuid.UUID] = {}
    candidates = (
        SurveyReport.objects.filter(
            status=SurveyReport.Status.DONE,
            survey__ballot__status=Ballot.Status.CLOSED,
            survey__organisation__benchmark_opt_in=True,
        )
        .exclude(survey__organisation=organisation)
        .order_by("-survey__ballot__closes_at")
        .values_list("survey__organisation_id", "id")
    )
    for organisation_id, report_id in candidates:
        latest.setdefault(organisation_id, report_id)
    if len(latest) + 1 < BENCHMARK_MIN_ORGANISATIONS:
        return None
    scale_keys = [
        str(pk)
        for pk in Scale.objects.filter(bank__code=scale.bank_code, code=scale.code).values_list(
            "pk", flat=True
        )
    ]
    per_organisation: dict[uuid.UUID, tuple[float, int]] = {}
    rows = MeasureResult.objects.filter(
        report_id__in=list(latest.values()),
        measure=MeasureResult.Measure.SCALE,
        measure_key__in=scale_keys,
        attribute="",
        value="",
        shown=True,
        unit__parent__isnull=True,
    ).values_list("report__survey__organisation_id", "mean", "n")
    for organisation_id, mean, n in rows:
        if mean is None or not n:
            continue
        total, count = per_organisation.get(organisation_id, (0.0, 0))
        per_organisation[organisation_id] = (total + mean * n, count + n)
    if len(per_organisation) + 1 < BENCHMARK_MIN_ORGANISATIONS:
        return None
    means = [total / count for total, count in per_organisation.values()]
    mean = sum(means) / len(means)
    return Comparison(
        kind="benchmark",
        label=_("Other organisations (benchmark)"),
        shown=True,
        mean=mean,
        contributors=len(per_organisation) + 1,
    )


def scale_comparisons(
    *,
    report: SurveyReport,
    unit: Unit,
    scale: ScaleColumn,
    result: Result,
    root: Result | None,
    parent: Result | None,
    parent_unit: Unit | None,
    references: Iterable[ReferenceValue],
) -> list[Comparison]:
    comparisons: list[Comparison] = []
    if root is not None and unit.parent_id is not None:
        comparisons.append(_compare("organisation", _("The whole organisation"), result, root))
    if parent is not None and parent_unit is not None and parent_unit.parent_id is not None:
        comparisons.append(
            _compare("parent", _("%(unit)s (the unit above)") % {"unit": parent_unit.name}, result, parent)
        )
    for value, own, organisation in job_group_cells(report=report, unit=unit, scale_id=scale.id):
        difference, notable = _difference(own, organisation)
        comparisons.append(
            Comparison(
                kind="job_group",
                label=_("Job group %(group)s in the whole organisation") % {"group": value},
                shown=organisation.shown,
                mean=organisation.mean if organisation.shown else None,
                n=organisation.n if organisation.shown else None,
                difference=difference,
                notable=notable,
                unit_mean=own.mean,
            )
        )
    bench = benchmark(report=report, scale=scale)
    if bench is not None:
        difference, notable = _difference(result, _as_result(bench.mean))
        comparisons.append(
            Comparison(
                kind=bench.kind,
                label=bench.label,
                shown=True,
                mean=bench.mean,
                difference=difference,
                notable=notable,
                contributors=bench.contributors,
            )
        )
    for reference in references:
        difference, notable = _difference(result, _as_result(reference.mean))
        label = reference.population + (f" {reference.year}" if reference.year else "")
        comparisons.append(
            Comparison(
                kind="reference",
                label=label,
                shown=True,
                mean=reference.mean,
                n=reference.n,
                difference=difference,
                notable=notable,
            )
        )
    return comparisons


def _as_result(mean: float | None) -> Result:
    from puls.surveys.reports.selectors import Result

    return Result(shown=mean is not None, mean=mean)


def welch_against_rest(*, unit: Result, organisation: Result, k: int) -> Significance | None:
    """Welch's t-test of the unit against the rest of the organisation (the organisation minus the
    unit), derived from the stored n, mean and sample sd of both; only where both groups are large
    enough (the rest at least k and both at least 2) and both results are shown."""
    from scipy.stats import ttest_ind_from_stats

    if not (unit.shown and organisation.shown):
        return None
    values = (unit.n, unit.mean, unit.sd, organisation.n, organisation.mean, organisation.sd)
    if any(value is None for value in values):
        return None
    n1, m1, s1 = int(unit.n), float(unit.mean), float(unit.sd)  # type: ignore[arg-type]
    total_n, total_mean, total_sd = int(organisation.n), float(organisation.mean), float(organisation.sd)  # type: ignore[arg-type]
    n2 = total_n - n1
    if n1 < 2 or n2 < max(k, 2):
        return None
    m2 = (total_n * total_mean - n1 * m1) / n2
    squares = (
        (total_n - 1) * total_sd**2
        - (n1 - 1) * s1**2
        - n1 * (m1 - total_mean) ** 2
        - n2 * (m2 - total_mean) ** 2
    )
    s2 = math.sqrt(max(squares, 0.0) / (n2 - 1))
    if s1 == 0 and s2 == 0:
        return None
    statistic, p_value = ttest_ind_from_stats(m1, s1, n1, m2, s2, n2, equal_var=False)
    if math.isnan(p_value):
        return None
    return Significance(
        t=float(statistic), p_value=float(p_value), rest_n=n2, significant=bool(p_value < SIGNIFICANCE_LEVEL)
    )


# Trend ----------------------------------------------------------------------------------------------


def previous_reports(report: SurveyReport, visible: Callable[[SurveyReport], bool]) -> list[SurveyReport]:
    """The computed reports of the previous surveys (Survey.previous_survey), newest first."""
    found: list[SurveyReport] = []
    seen = {report.survey_id}
    survey = report.survey
    while survey.previous_survey_id and survey.previous_survey_id not in seen and len(found) < TREND_SURVEYS:
        seen.add(survey.previous_survey_id)
        previous = (
            SurveyReport.objects.filter(
                survey_id=survey.previous_survey_id,
                survey__organisation_id=report.survey.organisation_id,
            )
            .select_related("survey", "survey__ballot", "survey__organisation")
            .first()
        )
        if previous is None:
            break
        if (
            previous.status == SurveyReport.Status.DONE
            and previous.survey.ballot.status == Ballot.Status.CLOSED
        ) and visible(previous):
            found.append(previous)
        survey = previous.survey
    return found


def units_in(report: SurveyReport, unit: Unit) -> list[Unit]:
    """The unit(s) that stand for `unit` in an earlier report: the unit itself if it has results
    there, else the units recorded as reorganised into it (UnitMapping old → new), followed back
    through several reorganisations."""
    have = set(
        MeasureResult.objects.filter(report=report, measure=MeasureResult.Measure.SCALE, attribute="")
        .values_list("unit_id", flat=True)
        .distinct()
    )
    if unit.pk in have:
        return [unit]
    found: list[uuid.UUID] = []
    frontier = {unit.pk}
    seen = set(frontier)
    for _step in range(10):
        olds = (
            set(
                UnitMapping.objects.filter(
                    organisation_id=unit.organisation_id, new_unit_id__in=frontier
                ).values_list("old_unit_id", flat=True)
            )
            - seen
        )
        if not olds:
            break
        seen |= olds
        found += [pk for pk in olds if pk in have]
        frontier = {pk for pk in olds if pk not in have}
        if not frontier:
            break
    return list(Unit.objects.filter(pk__in=found).order_by("code"))


def result_for(report: SurveyReport, units: list[Unit], scale: ScaleColumn) -> Result | None:
    """The scale's unfiltered result for these units in an earlier report (see `results_for`)."""
    return results_for(report, units, [scale]).get(scale.id)


def results_for(
    report: SurveyReport, units: list[Unit], scales: list[ScaleColumn]
) -> dict[uuid.UUID, Result]:
    """The scales' unfiltered results for these units in an earlier report, matched by scale id or
    else by the same bank and scale code. Several units (a merger) are combined from their shown
    figures only when all of them are shown; otherwise the result is hidden."""
    from puls.surveys.reports.selectors import Result

    if not units or not scales:
        return {}
    condition = Q(pk__in=[scale.id for scale in scales])
    for scale in scales:
        condition |= Q(bank__code=scale.bank_code, code=scale.code)
    keys: dict[str, uuid.UUID] = {}
    for pk, bank_code, code in Scale.objects.filter(condition).values_list("pk", "bank__code", "code"):
        for scale in scales:
            if pk == scale.id or (bank_code == scale.bank_code and code == scale.code):
                keys[str(pk)] = scale.id
    rows = MeasureResult.objects.filter(
        report=report,
        measure=MeasureResult.Measure.SCALE,
        measure_key__in=list(keys),
        attribute="",
        value="",
        unit__in=units,
    )
    found: dict[uuid.UUID, dict[uuid.UUID, MeasureResult]] = {}
    for row in rows:
        scale_id = keys[row.measure_key]
        by_unit = found.setdefault(scale_id, {})
        # The same scale id first, then the same bank and code.
        if row.unit_id not in by_unit or row.measure_key == str(scale_id):
            by_unit[row.unit_id] = row
    results: dict[uuid.UUID, Result] = {}
    for scale_id, by_unit in found.items():
        if len(units) == 1:
            results[scale_id] = Result.from_row(by_unit[units[0].pk])
            continue
        n = sum(int(row.n or 0) for row in by_unit.values())
        if len(by_unit) < len(units) or not all(row.shown for row in by_unit.values()) or not n:
            results[scale_id] = Result.hidden()
            continue
        mean = sum(float(row.mean or 0) * int(row.n or 0) for row in by_unit.values()) / n
        results[scale_id] = Result(shown=True, n=n, mean=mean)
    return results
