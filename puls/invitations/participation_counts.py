"""Participation per unit of one ballot, with suppression over invitee counts (DESIGN §4.4).

Counts come from `ParticipationCount` (direct staff per unit, refreshed in batches by the count
task). A unit's figures mean its subtree, and they may be shown only when the subtree has at least
k invitees and the residual rule of SUPPRESSION.md over invitee counts holds. That is decided once
for the whole organisation tree by `puls.core.suppression.suppress_tree`; callers may then narrow
the result to what a viewer may see, never suppress again per viewer. The survey response-rate page
and the process website both read it from here.
"""

from dataclasses import dataclass, field
from typing import Any

from puls.core import suppression
from puls.invitations.models import Ballot, ParticipationCount
from puls.organisations.models import Unit

# The node above several root units, so the organisation's total obeys the residual rule too.
WHOLE_ORGANISATION = "organisation"


@dataclass
class UnitCount:
    unit: Unit
    depth: int
    invited: int  # the unit's subtree
    answered: int
    shown: bool


@dataclass
class BallotParticipation:
    invited: int  # the whole organisation (sum of the ballot's ParticipationCount rows)
    answered: int
    root: Unit | None  # the single root unit; None when there are several (or none)
    organisation_shown: bool  # the single root, or the node above several roots, is shown
    units: list[UnitCount] = field(default_factory=list)  # units with invitees, in tree order


def _path_prefixes(path: str) -> list[str]:
    parts = path.strip("/").split("/")
    return ["".join(f"{part}/" for part in parts[: i + 1]) for i in range(len(parts))]


def _tree_order(units: list[Unit]) -> list[Unit]:
    """Depth first, siblings by unit code (paths are made of random ids, so they sort at random)."""
    by_id = {unit.pk: unit for unit in units}
    keys: dict[Any, tuple[str, ...]] = {}

    def key(unit: Unit) -> tuple[str, ...]:
        if unit.pk not in keys:
            parent = by_id.get(unit.parent_id) if unit.parent_id else None
            keys[unit.pk] = (key(parent) if parent else ()) + (unit.code,)
        return keys[unit.pk]

    return sorted(units, key=key)


def unit_participation(ballot: Ballot) -> BallotParticipation:
    """Invited and answered per unit (its subtree) of the ballot's organisation, each unit with
    invitees in tree order and marked shown or not. The caller checks that the ballot is launched
    (has its k)."""
    k = int(ballot.k or 0)
    counts = {
        row["unit_id"]: (row["invited"], row["completed"])
        for row in ParticipationCount.objects.filter(ballot=ballot).values("unit_id", "invited", "completed")
    }
    units = _tree_order(list(Unit.objects.filter(organisation_id=ballot.organisation_id)))
    roots = [unit for unit in units if unit.parent_id is None]
    several_roots = len(roots) > 1
    nodes = [
        suppression.TreeNode(
            id=str(unit.pk),
            parent=str(unit.parent_id) if unit.parent_id else (WHOLE_ORGANISATION if several_roots else None),
            code=unit.code,
            direct=counts.get(unit.pk, (0, 0))[0],
        )
        for unit in units
    ]
    if several_roots:
        nodes.append(suppression.TreeNode(id=WHOLE_ORGANISATION, parent=None, code="", direct=0))
    shown = set(suppression.suppress_tree(nodes, k).shown)

    invited: dict[str, int] = {}
    answered: dict[str, int] = {}
    for unit in units:
        direct_invited, direct_answered = counts.get(unit.pk, (0, 0))
        for prefix in _path_prefixes(unit.path):
            invited[prefix] = invited.get(prefix, 0) + direct_invited
            answered[prefix] = answered.get(prefix, 0) + direct_answered

    root = roots[0] if len(roots) == 1 else None
    result = BallotParticipation(
        invited=sum(i for i, _a in counts.values()),
        answered=sum(a for _i, a in counts.values()),
        root=root,
        organisation_shown=(str(root.pk) if root else WHOLE_ORGANISATION) in shown,
    )
    for unit in units:
        if not invited.get(unit.path):
            continue
        result.units.append(
            UnitCount(
                unit=unit,
                depth=unit.depth,
                invited=invited[unit.path],
                answered=answered[unit.path],
                shown=str(unit.pk) in shown,
            )
        )
    return result
