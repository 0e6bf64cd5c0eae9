"""Survey results other apps may link to (DESIGN §2.1).

A survey result is addressed as (survey, unit, scale): the link's id is the survey's, and its
detail names the unit and the scale ({"unit": "<uuid>", "scale": "<uuid>"}), so a link survives the
report being recomputed. Whether the result may carry a link at all (a hidden result never does) is
`selectors.scale_result_shown`.
"""

import uuid
from typing import Any

from puls.core.links import LinkableKind, link_kind_register
from puls.organisations.models import Unit
from puls.surveys.models import Scale, Survey, localised

SURVEY_RESULT_KIND = "surveys.survey"


def _resolve_survey(organisation: Any, object_id: uuid.UUID) -> Survey | None:
    return Survey.objects.select_related("ballot").filter(organisation=organisation, pk=object_id).first()


def _describe(survey: Survey, detail: dict[str, Any]) -> str:
    parts = [survey.ballot.title]
    unit_id, scale_id = _uuid(detail.get("unit")), _uuid(detail.get("scale"))
    unit = (
        Unit.objects.filter(organisation_id=survey.organisation_id, pk=unit_id).first() if unit_id else None
    )
    if unit is not None:
        parts.append(unit.name)
    scale = Scale.objects.filter(pk=scale_id).first() if scale_id else None
    if scale is not None:
        parts.append(localised(scale, "name"))
    return " – ".join(parts)


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


link_kind_register(
    LinkableKind(name=SURVEY_RESULT_KIND, label="Survey result", resolve=_resolve_survey, describe=_describe)
)
