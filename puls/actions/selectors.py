"""Reads of the actions app, scoped by the acting user's Access (DESIGN §3).

Whatever the user may not see is a 404: an action outside their units that they neither own nor
co-own, an APV of a unit outside their subtrees, anything of another organisation.
"""

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from puls.actions import permissions
from puls.actions.link_kinds import ACTION_KIND
from puls.actions.models import (
    Action,
    ActionQuerySet,
    ApvCycle,
    ApvFinding,
    WorkingEnvironmentDiscussion,
    add_years,
)
from puls.core.links import UnknownLinkKind, link_kind_get, links_to
from puls.organisations.models import Person, Role, Unit
from puls.organisations.scoping import Access


def _uuid_or_404(value: uuid.UUID | str) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError as exc:
        raise Http404 from exc


def plan_units(*, access: Access) -> QuerySet[Unit]:
    """The units whose action plans and APVs the user works with (HR: all; leaders and MED/AMO
    representatives: their subtrees; everyone else: none). Active units only."""
    if not permissions.sees_action_plans(access):
        return Unit.objects.none()
    return access.visible_units().active()


def unit_get(*, access: Access, unit_id: uuid.UUID | str) -> Unit:
    unit = plan_units(access=access).filter(pk=_uuid_or_404(unit_id)).first()
    if unit is None:
        raise Http404
    return unit


def _visible_actions(access: Access) -> ActionQuerySet:
    actions = Action.objects.filter(organisation=access.organisation)
    if access.sees_whole_organisation:
        return actions
    condition = Q(pk__in=[])
    for root in access.scope_roots:
        condition |= Q(unit__path__startswith=root.path)
    if access.person is not None:
        condition |= Q(owner=access.person) | Q(co_owner=access.person)
    return actions.filter(condition)


@dataclass
class ActionFilter:
    unit: Unit | None = None  # the unit and its subtree
    status: str = ""  # a Status value, "open" (planned or in progress), or "" for all
    overdue: bool = False
    without_owner: bool = False
    mine: bool = False
    priority: str = ""


def action_list(*, access: Access, filters: ActionFilter | None = None) -> ActionQuerySet:
    filters = filters or ActionFilter()
    actions = _visible_actions(access)
    if filters.unit is not None:
        actions = actions.filter(unit__path__startswith=filters.unit.path)
    if filters.status == "open":
        actions = actions.unfinished()
    elif filters.status:
        actions = actions.filter(status=filters.status)
    if filters.priority:
        actions = actions.filter(priority=filters.priority)
    if filters.overdue:
        actions = actions.overdue()
    if filters.without_owner:
        actions = actions.without_owner()
    if filters.mine:
        person = access.person
        actions = actions.filter(Q(owner=person) | Q(co_owner=person)) if person else actions.none()
    return actions.select_related("unit", "owner", "co_owner").order_by(
        "deadline", "unit__code", "created_at"
    )


def action_get(*, access: Access, action_id: uuid.UUID | str) -> Action:
    action = (
        Action.objects.filter(organisation=access.organisation, pk=_uuid_or_404(action_id))
        .select_related("unit", "owner", "co_owner", "apv_cycle", "created_by")
        .first()
    )
    if action is None or not permissions.can_see_action(access, action):
        raise Http404
    return action


def action_get_for_edit(*, access: Access, action_id: uuid.UUID | str) -> Action:
    """An action the user may change; one they may only see (as owner) is refused with 404 as
    well, because the page to change it does not exist for them."""
    action = action_get(access=access, action_id=action_id)
    if not permissions.can_edit_action(access, action):
        raise Http404
    return action


@dataclass
class SourceView:
    """Where an action came from, as the action page shows it."""

    kind: str
    label: str
    description: str
    detail: dict[str, Any] = field(default_factory=dict)
    reason: str = ""


def action_sources(*, action: Action) -> list[SourceView]:
    """The sources linked to the action. A source whose app or object is gone still shows its kind."""
    views = []
    for link in links_to(organisation=action.organisation, kind=ACTION_KIND, object_id=action.pk):
        try:
            kind = link_kind_get(link.source_kind)
        except UnknownLinkKind:
            views.append(SourceView(kind=link.source_kind, label=link.source_kind, description=""))
            continue
        obj = kind.resolve(action.organisation, link.source_id)
        description = kind.describe(obj, link.source_detail) if obj is not None else ""
        views.append(
            SourceView(
                kind=link.source_kind,
                label=str(kind.label),
                description=description,
                detail=link.source_detail,
                reason=link.reason,
            )
        )
    return views


def actions_for_source(
    *, access: Access, source_kind: str, source_id: uuid.UUID, detail: dict[str, Any] | None = None
) -> list[Action]:
    """The visible actions linked from a source (for the source's own page, e.g. a survey report
    cell addressed by detail {"unit": ..., "scale": ...})."""
    from puls.core.models import Link

    links = Link.objects.filter(
        organisation=access.organisation,
        source_kind=source_kind,
        source_id=source_id,
        target_kind=ACTION_KIND,
    )
    ids = [
        link.target_id
        for link in links
        if not detail or all(str(link.source_detail.get(k)) == str(v) for k, v in detail.items())
    ]
    return list(action_list(access=access).filter(pk__in=ids))


def owner_choices(*, unit: Unit, current: Person | None = None) -> list[Person]:
    """People who may own an action of the unit: those employed in its subtree now, and the leaders
    of the unit or a unit above it (who may be employed elsewhere)."""
    today = timezone.localdate()
    ancestor_ids = unit.ancestor_ids
    people = (
        Person.objects.filter(organisation_id=unit.organisation_id, anonymised_at__isnull=True)
        .filter(
            Q(
                employments__unit__path__startswith=unit.path,
                employments__start_date__lte=today,
            )
            & (Q(employments__end_date__isnull=True) | Q(employments__end_date__gte=today))
            | Q(role_assignments__role=Role.UNIT_LEADER, role_assignments__units__in=ancestor_ids)
        )
        .distinct()
        .order_by("first_name", "last_name")
    )
    result = list(people)
    if current is not None and current not in result:
        result.insert(0, current)
    return result


# --- Dashboard: overdue actions and actions without owner, per unit ---


@dataclass
class DashboardRow:
    unit: Unit
    open: int
    overdue: int
    without_owner: int


@dataclass
class Dashboard:
    rows: list[DashboardRow]
    overdue: list[Action]
    without_owner: list[Action]
    today: date

    @property
    def total_overdue(self) -> int:
        return sum(row.overdue for row in self.rows)

    @property
    def total_without_owner(self) -> int:
        return sum(row.without_owner for row in self.rows)


def dashboard(*, access: Access, unit: Unit | None = None, only_problems: bool = True) -> Dashboard:
    """Per unit: open, overdue and ownerless actions (HR: all units; MED/AMO and leaders: theirs)."""
    today = timezone.localdate()
    if not permissions.sees_action_plans(access):
        return Dashboard(rows=[], overdue=[], without_owner=[], today=today)
    actions = Action.objects.filter(organisation=access.organisation).filter(unit__in=access.visible_units())
    if unit is not None:
        actions = actions.filter(unit__path__startswith=unit.path)
    counts = (
        actions.unfinished()
        .values("unit")
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(deadline__lt=today)),
            without_owner=Count("pk", filter=Q(owner__isnull=True)),
        )
    )
    by_unit = {row["unit"]: row for row in counts}
    units = {u.pk: u for u in Unit.objects.filter(pk__in=by_unit)}
    rows = [
        DashboardRow(
            unit=units[pk], open=row["open"], overdue=row["overdue"], without_owner=row["without_owner"]
        )
        for pk, row in by_unit.items()
        if not only_problems or row["overdue"] or row["without_owner"]
    ]
    rows.sort(key=lambda row: row.unit.path)
    related = ("unit", "owner", "co_owner")
    return Dashboard(
        rows=rows,
        overdue=list(actions.overdue(today).select_related(*related).order_by("deadline", "unit__code")),
        without_owner=list(
            actions.without_owner().select_related(*related).order_by("unit__code", "deadline")
        ),
        today=today,
    )


# --- APV ---


def apv_get(*, access: Access, cycle_id: uuid.UUID | str) -> ApvCycle:
    cycle = (
        ApvCycle.objects.filter(organisation=access.organisation, pk=_uuid_or_404(cycle_id))
        .select_related("unit")
        .first()
    )
    if cycle is None or not permissions.sees_action_plans(access) or not access.can_see_unit(cycle.unit):
        raise Http404
    return cycle


def apv_finding_get(*, access: Access, cycle: ApvCycle, finding_id: uuid.UUID | str) -> ApvFinding:
    finding = cycle.findings.filter(pk=_uuid_or_404(finding_id)).first()
    if finding is None:
        raise Http404
    return finding


@dataclass
class ApvStatus:
    """A unit's APV and working-environment discussion, as the APV overview shows them."""

    unit: Unit
    current: ApvCycle | None  # in progress
    last_completed: ApvCycle | None
    last_discussion: WorkingEnvironmentDiscussion | None
    today: date

    @property
    def apv_due(self) -> date | None:
        """When the next APV must be done: 3 years after the last; unknown without one."""
        return self.last_completed.next_due if self.last_completed else None

    @property
    def apv_overdue(self) -> bool:
        if self.current is not None:
            return False
        return self.last_completed is None or (self.apv_due is not None and self.apv_due < self.today)

    @property
    def discussion_due(self) -> date | None:
        return self.last_discussion.next_due if self.last_discussion else None

    @property
    def discussion_overdue(self) -> bool:
        return self.last_discussion is None or self.last_discussion.next_due < self.today


def apv_statuses(*, access: Access, unit: Unit | None = None) -> list[ApvStatus]:
    units = list(plan_units(access=access).order_by("path"))
    if unit is not None:
        units = [u for u in units if u.is_within(unit)]
    ids = [u.pk for u in units]
    current: dict[uuid.UUID, ApvCycle] = {}
    completed: dict[uuid.UUID, ApvCycle] = {}
    for cycle in ApvCycle.objects.filter(unit_id__in=ids).order_by("completed_on", "started_on"):
        if cycle.is_completed:
            completed[cycle.unit_id] = cycle  # the latest wins
        else:
            current[cycle.unit_id] = cycle
    discussions: dict[uuid.UUID, WorkingEnvironmentDiscussion] = {}
    for discussion in WorkingEnvironmentDiscussion.objects.filter(unit_id__in=ids).order_by("held_on"):
        discussions[discussion.unit_id] = discussion
    today = timezone.localdate()
    return [
        ApvStatus(
            unit=u,
            current=current.get(u.pk),
            last_completed=completed.get(u.pk),
            last_discussion=discussions.get(u.pk),
            today=today,
        )
        for u in units
    ]


def apv_history(*, cycle: ApvCycle) -> list[ApvCycle]:
    return list(ApvCycle.objects.filter(unit=cycle.unit).exclude(pk=cycle.pk).order_by("-started_on"))


def discussions_for_unit(*, unit: Unit) -> list[WorkingEnvironmentDiscussion]:
    return list(WorkingEnvironmentDiscussion.objects.filter(unit=unit).order_by("-held_on"))


def apv_next_due(last_completed_on: date) -> date:
    return add_years(last_completed_on, 3)
