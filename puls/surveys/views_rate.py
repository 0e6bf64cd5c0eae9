"""The live response rate of a survey, per unit and for the whole organisation (DESIGN §4.4, §6).

Counts come from `ParticipationCount` (direct staff per unit), which the invitations app's count
task refreshes in batches — never per answer, so the page cannot time one person's submit.
Participation counts are not answers, but a unit's invited/answered figures are still shown only
when its subtree has at least k invitees, and the residual rule of SUPPRESSION.md is applied over
invitee counts. That suppression runs once over the whole organisation tree; each viewer then sees
their part of the one result (HR everything, leaders and MED/AMO representatives their subtrees).
"""

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from puls.invitations.models import Ballot
from puls.invitations.participation_counts import unit_participation
from puls.organisations.models import Unit
from puls.organisations.scoping import Access, org_view
from puls.surveys.models import Survey


@dataclass
class RateRow:
    unit: Unit
    depth: int
    invited: int
    answered: int
    shown: bool

    @property
    def rate(self) -> int:
        # Whole percent, halves rounded up (62.5 % reads as 63 %, as people expect).
        return (200 * self.answered + self.invited) // (2 * self.invited) if self.invited else 0


@dataclass
class ParticipationReport:
    survey: Survey
    ballot: Ballot
    launched: bool
    organisation_row: RateRow | None = None
    rows: list[RateRow] = field(default_factory=list)

    @property
    def shown_rows(self) -> list[RateRow]:
        return [row for row in self.rows if row.shown]

    @property
    def hidden_count(self) -> int:
        return sum(1 for row in self.rows if not row.shown)


def may_see_rates(access: Access) -> bool:
    return access.is_org_admin or bool(access.scope_roots)


def survey_participation_get(*, access: Access, survey_id: uuid.UUID) -> ParticipationReport:
    """The response rates of one survey that this viewer may see."""
    survey = (
        Survey.objects.select_related("ballot", "organisation")
        .filter(pk=survey_id, organisation=access.organisation)
        .first()
    )
    if survey is None or not may_see_rates(access):
        raise Http404
    ballot = survey.ballot
    report = ParticipationReport(survey=survey, ballot=ballot, launched=bool(ballot.launched_at and ballot.k))
    if not report.launched:
        return report
    # Suppression is decided once over the whole tree; the viewer's scope only narrows the rows.
    participation = unit_participation(ballot)
    root = participation.root
    if participation.invited:
        # With one root the organisation row is that unit; with several, it is their sum.
        report.organisation_row = RateRow(
            unit=root if root is not None else Unit(name=access.organisation.name),
            depth=0,
            invited=participation.invited,
            answered=participation.answered,
            shown=participation.organisation_shown,
        )
    for count in participation.units:
        if not access.can_see_unit(count.unit):
            continue
        if root is not None and count.unit.pk == root.pk:
            continue  # already the organisation row
        report.rows.append(
            RateRow(
                unit=count.unit,
                depth=count.depth,
                invited=count.invited,
                answered=count.answered,
                shown=count.shown,
            )
        )
    # Indent below the organisation row: the viewer's top units one step in, their sub-units further.
    base_depth = min((row.depth for row in report.rows), default=0)
    for row in report.rows:
        row.depth += 1 - base_depth
    return report


def _chart(report: ParticipationReport) -> dict[str, Any]:
    bars = []
    if report.organisation_row and report.organisation_row.shown:
        bars.append(_bar(_("Whole organisation"), report.organisation_row))
    bars += [_bar(row.unit.name, row) for row in report.shown_rows]
    return {
        "id": "rate-chart",
        "title": _("Response rate per unit"),
        "description": _(
            "Share of invited people who have answered, per unit. The same figures are in the table."
        ),
        "max": 100,
        "bars": bars,
    }


def _bar(label: str, row: RateRow) -> dict[str, Any]:
    text = _("%(rate)d %% (%(answered)d of %(invited)d)") % {
        "rate": row.rate,
        "answered": row.answered,
        "invited": row.invited,
    }
    return {"label": label, "value": row.rate, "text": text}


def _context(request: HttpRequest, survey_id: uuid.UUID) -> dict[str, Any]:
    report = survey_participation_get(access=request.access, survey_id=survey_id)  # type: ignore[attr-defined]
    return {
        "report": report,
        "ballot": report.ballot,
        "chart": _chart(report) if report.launched else None,
        "counted_today": bool(
            report.ballot.counted_at and timezone.localdate(report.ballot.counted_at) == timezone.localdate()
        ),
        "fragment_url": reverse(
            "survey_rate:fragment",
            kwargs={"org_slug": request.organisation.slug, "survey_id": survey_id},  # type: ignore[attr-defined]
        ),
    }


@never_cache
@org_view(require=may_see_rates)
def rate_page(request: HttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    return render(request, "surveys/rate.html", _context(request, survey_id))


@never_cache
@org_view(require=may_see_rates)
def rate_fragment(request: HttpRequest, survey_id: uuid.UUID) -> HttpResponse:
    """The figures alone, fetched by htmx every minute while the survey is open."""
    return render(request, "surveys/_rate_figures.html", _context(request, survey_id))
