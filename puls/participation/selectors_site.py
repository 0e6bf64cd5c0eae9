"""Reads of the process website under /p/<org_slug>/dialog/ (DESIGN §4.4, §4.13, §5).

Everything here is what anyone allowed to read the site may see: a process's launched rounds (draft
rounds do not exist for the site), their participation — in total, and per unit only where the
unit's subtree has at least k invitees and the residual rule over invitee counts holds, decided once
for the whole organisation tree by `puls.core.suppression` — and its themes' outcomes. Round results
come from `selectors.round_results`, which applies the thresholds. Who may read a process is decided
by `reader_may_read` (a logged-in user) and `site_access.site_cookie_valid` (the invitation cookie).
"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from puls.invitations.models import Ballot, Invitation
from puls.invitations.participation_counts import unit_participation
from puls.organisations.models import Unit
from puls.organisations.scoping import access_build
from puls.participation import selectors
from puls.participation.ballot_kind import process_audience
from puls.participation.models import Process, Round, RoundExport, Theme
from puls.participation.round_kinds import round_kind_get


def _uuid(value: Any) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404 from None


# Who may read ---------------------------------------------------------------------------------------


def site_process_get(*, org_slug: str, process_id: Any) -> Process:
    """The process under this organisation's address; another organisation's process is a 404."""
    process = (
        Process.objects.select_related("organisation")
        .filter(organisation__slug=org_slug, pk=_uuid(process_id))
        .first()
    )
    if process is None:
        raise Http404
    return process


def user_facilitates(*, user: Any, process: Process) -> bool:
    """A logged-in facilitator (or organisation admin) of the process's organisation."""
    if not getattr(user, "is_authenticated", False):
        return False
    access = access_build(user=user, organisation=process.organisation)
    return access is not None and selectors.can_facilitate(access, process)


def user_may_read(*, user: Any, process: Process) -> bool:
    """A logged-in user may read an internal process when they facilitate it, are in its audience,
    or were invited to one of its rounds (an audience changes; an invitation stays)."""
    if not getattr(user, "is_authenticated", False):
        return False
    access = access_build(user=user, organisation=process.organisation)
    if access is None:
        return False
    if selectors.can_facilitate(access, process):
        return True
    person = access.person
    if person is None:
        return False
    if process_audience(process).filter(person=person).exists():
        return True
    return Invitation.objects.filter(ballot__dialogue_round__process=process, person=person).exists()


# Rounds and participation ---------------------------------------------------------------------------


class RoundStatus:
    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"


def round_status(ballot: Ballot, now: datetime | None = None) -> str:
    if ballot.status == Ballot.Status.CLOSED:
        return RoundStatus.CLOSED
    if (now or timezone.now()) < ballot.opens_at:
        return RoundStatus.UPCOMING
    return RoundStatus.OPEN


def status_label(status: str) -> str:
    return {
        RoundStatus.UPCOMING: _("Upcoming"),
        RoundStatus.OPEN: _("Open"),
        RoundStatus.CLOSED: _("Closed"),
    }[status]


def rate_percent(answered: int, invited: int) -> int:
    """Whole percent, halves rounded up (62.5 % reads as 63 %), as on the survey response-rate page."""
    return (200 * answered + invited) // (2 * invited) if invited else 0


@dataclass
class SiteRound:
    round: Round
    kind_label: str
    status: str

    @property
    def ballot(self) -> Ballot:
        return self.round.ballot

    @property
    def title(self) -> str:
        return self.round.ballot.title

    @property
    def status_label(self) -> str:
        return status_label(self.status)

    @property
    def invited(self) -> int:
        return self.round.ballot.invited_count

    @property
    def answered(self) -> int:
        return self.round.ballot.completed_count

    @property
    def rate(self) -> int:
        return rate_percent(self.answered, self.invited)

    @property
    def is_closed(self) -> bool:
        return self.status == RoundStatus.CLOSED


def _site_round(round_: Round, now: datetime) -> SiteRound:
    return SiteRound(
        round=round_,
        kind_label=str(round_kind_get(round_.kind).label),
        status=round_status(round_.ballot, now),
    )


def site_round_list(*, process: Process) -> list[SiteRound]:
    """The process's launched rounds in order; draft rounds are not part of the site."""
    now = timezone.now()
    rounds = (
        Round.objects.select_related("ballot", "process__organisation")
        .filter(process=process)
        .exclude(ballot__status=Ballot.Status.DRAFT)
        .order_by("order")
    )
    return [_site_round(round_, now) for round_ in rounds]


def site_round_get(*, process: Process, round_id: Any) -> SiteRound:
    round_ = (
        Round.objects.select_related("ballot", "process__organisation")
        .filter(process=process, pk=_uuid(round_id))
        .exclude(ballot__status=Ballot.Status.DRAFT)
        .first()
    )
    if round_ is None:
        raise Http404
    return _site_round(round_, timezone.now())


@dataclass
class UnitParticipation:
    unit: Unit
    depth: int
    invited: int
    answered: int

    @property
    def rate(self) -> int:
        return rate_percent(self.answered, self.invited)


@dataclass
class RoundParticipation:
    invited: int
    answered: int
    k: int
    units: list[UnitParticipation] = field(default_factory=list)  # shown units only
    hidden_units: int = 0  # units with invitees whose figures are not shown

    @property
    def rate(self) -> int:
        return rate_percent(self.answered, self.invited)


def round_participation(*, round_: Round) -> RoundParticipation:
    """Invited and answered in total (the ballot's aggregate counts, refreshed in batches) and per
    unit (its subtree) where DESIGN §4.4 allows: suppression over invitee counts, once for the whole
    tree, exactly as the survey response-rate page decides it (`unit_participation`)."""
    ballot = round_.ballot
    k = int(ballot.k or 0)
    result = RoundParticipation(invited=ballot.invited_count, answered=ballot.completed_count, k=k)
    if not k:
        return result
    for row in unit_participation(ballot).units:
        if row.shown:
            result.units.append(
                UnitParticipation(unit=row.unit, depth=row.depth, invited=row.invited, answered=row.answered)
            )
        else:
            result.hidden_units += 1
    return result


def participation_chart(
    *, chart_id: str, title: str, description: str, rows: list[tuple[str, int, int]]
) -> dict[str, Any]:
    """A response-rate bar chart for `core/_bar_chart.svg.html` from (label, answered, invited) rows;
    the page shows the same figures in a table."""
    bars = [
        {
            "label": label,
            "value": rate_percent(answered, invited),
            "text": _("%(rate)d %% (%(answered)d of %(invited)d)")
            % {"rate": rate_percent(answered, invited), "answered": answered, "invited": invited},
        }
        for label, answered, invited in rows
    ]
    return {"id": chart_id, "title": title, "description": description, "max": 100, "bars": bars}


# Results --------------------------------------------------------------------------------------------


class ResultsState:
    SHOWN = "shown"
    AFTER_CLOSE = "after_close"  # the round is not closed and the process shows no live results
    TOO_FEW = "too_few"  # may be shown, but too few have taken part yet (or at all)


def results_state(*, site_round: SiteRound, results: selectors.RoundResults) -> str:
    if results.shown:
        return ResultsState.SHOWN
    process = site_round.round.process
    if site_round.is_closed or (process.live_results and site_round.status == RoundStatus.OPEN):
        return ResultsState.TOO_FEW
    return ResultsState.AFTER_CLOSE


def round_participation_chart(participation: RoundParticipation) -> dict[str, Any]:
    return participation_chart(
        chart_id="unit-participation-chart",
        title=_("Response rate per unit"),
        description=_(
            "Share of invited people who have taken part, per unit. The same figures are in the table."
        ),
        rows=[(row.unit.name, row.answered, row.invited) for row in participation.units],
    )


def site_round_context(*, process: Process, round_id: Any, request: Any = None) -> dict[str, Any]:
    """What a round's page and its PDF show, in the active language: the round, its participation
    (with the chart) and its results where they may be shown. `request` is None for the PDF."""
    site_round = site_round_get(process=process, round_id=round_id)
    results = selectors.round_results(round_=site_round.round)
    participation = round_participation(round_=site_round.round)
    return {
        "process": process,
        "organisation": process.organisation,
        "site_round": site_round,
        "round": site_round.round,
        "ballot": site_round.ballot,
        "participation": participation,
        "chart": round_participation_chart(participation),
        "results": results,
        "results_state": results_state(site_round=site_round, results=results),
        "results_html": selectors.round_results_html(results, request=request),
    }


# The results PDF, built in the background ------------------------------------------------------------


def shown_round_get(*, process: Process, round_id: Any) -> SiteRound:
    """A launched round whose results may be shown (what its PDF holds); otherwise a 404."""
    site_round = site_round_get(process=process, round_id=round_id)
    if not selectors.round_results_shown(round_=site_round.round):
        raise Http404
    return site_round


def round_export_get(
    *, process: Process, round_id: Any, export_id: Any, with_content: bool = False
) -> RoundExport:
    """A PDF export of a round of this process, while the round's results may be shown; any other
    export (another round's, another organisation's, an unknown id) is a 404."""
    site_round = shown_round_get(process=process, round_id=round_id)
    exports = RoundExport.objects.all() if with_content else RoundExport.objects.defer("content")
    export = exports.filter(pk=_uuid(export_id), round=site_round.round).first()
    if export is None:
        raise Http404
    export.round = site_round.round
    return export


def round_export_file(*, process: Process, round_id: Any, export_id: Any) -> RoundExport:
    """A finished export with its file; 404 while it is being built or when it failed."""
    export = round_export_get(process=process, round_id=round_id, export_id=export_id, with_content=True)
    if export.status != RoundExport.Status.DONE or export.content is None:
        raise Http404
    return export


# Outcomes ---------------------------------------------------------------------------------------------


@dataclass
class ThemeOutcomes:
    theme: Theme
    outcomes: list[selectors.OutcomeLine]


def process_outcomes(*, process: Process) -> list[ThemeOutcomes]:
    """Each theme of the process with what became of it (its outcome links and their reasons)."""
    themes = Theme.objects.filter(process=process).select_related("process__organisation")
    return [ThemeOutcomes(theme=theme, outcomes=selectors.theme_outcomes(theme=theme)) for theme in themes]
