"""A summary of action plans for the organisation's overview page (organisations/dashboard.html),
so that page needs no knowledge of this app beyond one tag."""

from typing import Any

from django import template
from django.utils import timezone

from puls.actions import permissions, selectors
from puls.actions.models import Action
from puls.organisations.scoping import Access

register = template.Library()


@register.inclusion_tag("actions/_overview_summary.html", takes_context=True)
def actions_summary(context: template.Context) -> dict[str, Any]:
    access: Access | None = context.get("access")
    if access is None:
        return {"show": False}
    today = timezone.localdate()
    summary: dict[str, Any] = {"show": False, "current_organisation": access.organisation}
    if permissions.sees_action_plans(access):
        board = selectors.dashboard(access=access)
        summary.update(
            show=True, plans=True, overdue=board.total_overdue, without_owner=board.total_without_owner
        )
    if access.person is not None:
        mine = selectors.action_list(access=access, filters=selectors.ActionFilter(mine=True, status="open"))
        own: list[Action] = list(mine)
        if own:
            summary.update(
                show=True, mine=len(own), mine_overdue=sum(1 for action in own if action.is_overdue(today))
            )
    return summary
