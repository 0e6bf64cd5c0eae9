"""`access|facilitates_dialogue`: whether the navigation shows the dialogue pages (an organisation-wide
facilitator, or the facilitator of at least one of the organisation's processes)."""

from django import template

from puls.organisations.scoping import Access
from puls.participation import selectors

register = template.Library()


@register.filter
def facilitates_dialogue(access: Access | None) -> bool:
    if not isinstance(access, Access):
        return False
    return selectors.facilitates_any(access)
