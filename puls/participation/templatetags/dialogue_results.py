"""Template helpers of the round-kind results templates (printable: used on pages and in PDFs)."""

from typing import Any

from django import template

from puls.participation import selectors

register = template.Library()


@register.simple_tag
def ideas_by_theme(contributions: Any) -> list[selectors.IdeaGroup]:
    """`{% ideas_by_theme contributions as groups %}`: the ideas grouped by theme, unthemed last."""
    return selectors.ideas_by_theme(contributions=list(contributions or []))
