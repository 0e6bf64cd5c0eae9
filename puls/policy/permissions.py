"""Who may do what with the policy tree, local interpretations and report-back (DESIGN §3).

- HR (organisation admin) writes the central tree, sees every unit and opens report-back rounds.
- Unit leaders write their units' local interpretation (subtrees included), run Værdivejen and
  answer report-back for their units; they read the working tree, drafts included.
- MED/AMO representatives read the working tree and their units' local work and answers.
- Facilitators read the working tree (they link dialogue themes to it).
- Employees read the adopted tree and the local readings of the units they work in.
"""

from puls.organisations.models import Role, Unit
from puls.organisations.scoping import Access


def can_edit_tree(access: Access) -> bool:
    return access.is_org_admin


def sees_working_tree(access: Access) -> bool:
    """Drafts and texts in hearing are for the people who prepare and hear them."""
    return access.is_org_admin or access.is_leader or access.is_med_rep or access.is_facilitator


def leader_units(access: Access) -> list[Unit]:
    return list(access.roles.get(Role.UNIT_LEADER, []))


def med_units(access: Access) -> list[Unit]:
    return list(access.roles.get(Role.MED_REP, []))


def _within_any(unit: Unit, roots: list[Unit]) -> bool:
    return any(unit.is_within(root) for root in roots)


def can_edit_unit(access: Access, unit: Unit) -> bool:
    """Write the unit's local interpretation, run its Værdivejen, answer its report-back."""
    if unit.organisation_id != access.organisation.pk:
        return False
    return access.is_org_admin or _within_any(unit, leader_units(access))


def employment_units(access: Access) -> list[Unit]:
    if access.person is None:
        return []
    return [employment.unit for employment in access.person.employments.current().select_related("unit")]


def can_read_unit(access: Access, unit: Unit) -> bool:
    """Read the unit's local interpretation and workshops: its editors, MED/AMO representatives of
    the unit, and the people who work in it (in it or in a unit below it)."""
    if unit.organisation_id != access.organisation.pk:
        return False
    if can_edit_unit(access, unit) or _within_any(unit, med_units(access)):
        return True
    return any(own.is_within(unit) for own in employment_units(access))


def works_with_local_interpretations(access: Access) -> bool:
    """Sees the list of units' local interpretations (everyone else reaches their own from the tree)."""
    return access.is_org_admin or access.is_leader or access.is_med_rep


def sees_report_back(access: Access) -> bool:
    return access.is_org_admin or access.is_leader or access.is_med_rep


def can_manage_rounds(access: Access) -> bool:
    return access.is_org_admin


def can_read_answer(access: Access, unit: Unit) -> bool:
    return can_edit_unit(access, unit) or (
        unit.organisation_id == access.organisation.pk and _within_any(unit, med_units(access))
    )
