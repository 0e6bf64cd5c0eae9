"""Reads of units' local interpretations and their Værdivejen workshops."""

import uuid
from dataclasses import dataclass

from django.db.models import Count
from django.http import Http404

from puls.organisations.models import Unit
from puls.organisations.scoping import Access
from puls.policy.models import LocalInterpretation, PolicyNode, ValueWalk, WalkAnswer
from puls.policy.permissions import (
    can_edit_unit,
    can_read_unit,
    employment_units,
    leader_units,
    med_units,
)


@dataclass(frozen=True)
class UnitRow:
    unit: Unit
    interpretation: LocalInterpretation | None
    readings: int
    local_nodes: int
    walks: int
    can_edit: bool


def _units_for(access: Access) -> list[Unit]:
    units = Unit.objects.filter(organisation=access.organisation).active()
    if access.is_org_admin:
        return list(units.order_by("path"))
    roots = leader_units(access) + med_units(access)
    found = {unit.pk: unit for unit in units.within(roots)} if roots else {}
    # Employees (and everyone) also see the units they work in and the units above them.
    for own in employment_units(access):
        for unit in units.filter(pk__in=own.ancestor_ids):
            found[unit.pk] = unit
    return sorted(found.values(), key=lambda unit: unit.path)


def unit_rows(*, access: Access) -> list[UnitRow]:
    units = _units_for(access)
    interpretations = {
        item.unit_id: item
        for item in LocalInterpretation.objects.filter(unit__in=units).annotate(
            reading_count=Count("readings")
        )
    }
    local_nodes: dict[uuid.UUID, int] = {}
    for unit_id in PolicyNode.objects.filter(unit__in=units).values_list("unit_id", flat=True):
        local_nodes[unit_id] = local_nodes.get(unit_id, 0) + 1
    walks: dict[uuid.UUID, int] = {}
    for unit_id in ValueWalk.objects.filter(unit__in=units).values_list("unit_id", flat=True):
        walks[unit_id] = walks.get(unit_id, 0) + 1
    return [
        UnitRow(
            unit=unit,
            interpretation=interpretations.get(unit.pk),
            readings=getattr(interpretations.get(unit.pk), "reading_count", 0),
            local_nodes=local_nodes.get(unit.pk, 0),
            walks=walks.get(unit.pk, 0),
            can_edit=can_edit_unit(access, unit),
        )
        for unit in units
    ]


def unit_get(*, access: Access, unit_id: uuid.UUID | str) -> Unit:
    unit = Unit.objects.filter(organisation=access.organisation, pk=unit_id).first()
    if unit is None or not can_read_unit(access, unit):
        raise Http404
    return unit


def interpretation_for(*, unit: Unit) -> LocalInterpretation | None:
    return LocalInterpretation.objects.filter(unit=unit).first()


def walk_list(*, access: Access, unit: Unit) -> list[ValueWalk]:
    if not can_read_unit(access, unit):
        raise Http404
    return list(ValueWalk.objects.filter(unit=unit).prefetch_related("values"))


def walk_get(*, access: Access, walk_id: uuid.UUID | str) -> ValueWalk:
    walk = (
        ValueWalk.objects.filter(organisation=access.organisation, pk=walk_id).select_related("unit").first()
    )
    if walk is None or not can_read_unit(access, walk.unit):
        raise Http404
    return walk


def walk_answer_get(*, access: Access, walk: ValueWalk, answer_id: uuid.UUID | str) -> WalkAnswer:
    answer = WalkAnswer.objects.filter(walk=walk, pk=answer_id).select_related("walk", "value").first()
    if answer is None:
        raise Http404
    return answer


@dataclass
class WalkValueBoard:
    """One value of a workshop with the points the team wrote at each of the four stops."""

    value: PolicyNode
    stops: list[tuple[int, str, list[WalkAnswer]]]


def walk_board(*, walk: ValueWalk) -> list[WalkValueBoard]:
    from puls.policy.models import WalkStop

    answers: dict[tuple[uuid.UUID, int], list[WalkAnswer]] = {}
    for answer in WalkAnswer.objects.filter(walk=walk).order_by("stop", "position", "created_at"):
        answers.setdefault((answer.value_id, answer.stop), []).append(answer)
    return [
        WalkValueBoard(
            value=value,
            stops=[
                (stop.value, str(stop.label), answers.get((value.pk, stop.value), [])) for stop in WalkStop
            ],
        )
        for value in walk.values.order_by("position", "created_at")
    ]


def action_units(*, access: Access, node: PolicyNode) -> list[Unit]:
    """The units whose action plan the user may put an initiative in."""
    if node.unit is not None:
        return [node.unit] if can_edit_unit(access, node.unit) else []
    units = Unit.objects.filter(organisation=access.organisation).active()
    if not access.is_org_admin:
        roots = leader_units(access)
        if not roots:
            return []
        units = units.within(roots)
    return list(units.order_by("path"))
