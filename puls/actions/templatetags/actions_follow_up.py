"""The follow-up rule on the survey report's overview page: how many of the unit's notably low
results have an action, a reason why not, or nothing yet, so the report page needs no knowledge of
this app beyond one tag."""

from typing import Any

from django import template
from django.http import Http404

from puls.actions import permissions, selectors_follow_up
from puls.organisations.models import Unit
from puls.organisations.scoping import Access
from puls.surveys.models import SurveyReport

register = template.Library()


@register.inclusion_tag("actions/_follow_up_summary.html", takes_context=True)
def result_follow_up_summary(context: template.Context, report: SurveyReport, unit: Unit) -> dict[str, Any]:
    access: Access | None = context.get("access")
    if access is None or not permissions.sees_action_plans(access):
        return {"show": False}
    try:
        follow_up = selectors_follow_up.low_results(access=access, report=report, within=unit)
    except Http404:
        return {"show": False}
    return {
        "show": True,
        "follow_up": follow_up,
        "unit": unit,
        "survey_id": report.survey_id,
        "slug": access.organisation.slug,
    }
