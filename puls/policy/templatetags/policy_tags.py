"""Template helpers of the policy pages: the sub-navigation and status labels."""

from typing import Any

from django import template

from puls.policy import permissions

register = template.Library()


@register.inclusion_tag("policy/_subnav.html", takes_context=True)
def policy_subnav(context: dict[str, Any], current: str) -> dict[str, Any]:
    access = context.get("access")
    organisation = context.get("current_organisation")
    if access is None or organisation is None:
        return {"show": False}
    return {
        "show": True,
        "current": current,
        "slug": organisation.slug,
        "working_tree": permissions.sees_working_tree(access),
        "local": permissions.works_with_local_interpretations(access),
        "report_back": permissions.sees_report_back(access),
    }


@register.filter
def get_item(mapping: dict[str, Any], key: Any) -> Any:
    """mapping[str(key)], or None (for dicts keyed by id as text)."""
    if not isinstance(mapping, dict):
        return None
    return mapping.get(str(key))
