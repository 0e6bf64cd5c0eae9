"""Who may do what with actions and APVs (DESIGN §3).

HR sees and edits everything. Unit leaders and MED/AMO representatives see and co-own the action
plans and APVs of their unit subtrees. An action's owner and co-owner see it and write follow-ups
even when it lies outside their units; nobody else sees it.
"""

from puls.actions.models import Action
from puls.organisations.models import Unit
from puls.organisations.scoping import Access


def can_manage_unit(access: Access, unit: Unit) -> bool:
    return access.can_see_unit(unit)


def is_action_owner(access: Access, action: Action) -> bool:
    return access.person is not None and access.person.pk in (action.owner_id, action.co_owner_id)


def can_see_action(access: Access, action: Action) -> bool:
    if action.organisation_id != access.organisation.pk:
        return False
    return can_manage_unit(access, action.unit) or is_action_owner(access, action)


def can_edit_action(access: Access, action: Action) -> bool:
    return action.organisation_id == access.organisation.pk and can_manage_unit(access, action.unit)


def can_follow_up_action(access: Access, action: Action) -> bool:
    return can_see_action(access, action)


def sees_action_plans(access: Access) -> bool:
    """HR, leaders and MED/AMO representatives work with unit action plans and APVs."""
    return access.sees_whole_organisation or bool(access.scope_roots)
