"""Dialogue objects other apps may link to, and the outcome links made from themes (DESIGN §2.1).

What became of a theme is a core Link: source ("participation.theme", theme id), kind "outcome",
target a policy node, an action, or a process-local Outcome ("participation.outcome": a draft
value, a draft text, or "not taken forward"), always with the facilitator's reason.
"""

import uuid
from typing import Any

from django.utils.translation import gettext as _

from puls.core.links import LinkableKind, link_kind_register
from puls.participation.models import Outcome, Theme

THEME_KIND = "participation.theme"
OUTCOME_KIND = "participation.outcome"
OUTCOME_LINK = "outcome"


def _resolve_theme(organisation: Any, object_id: uuid.UUID) -> Theme | None:
    return (
        Theme.objects.filter(process__organisation=organisation, pk=object_id)
        .select_related("process")
        .first()
    )


def _describe_theme(theme: Theme, detail: dict[str, Any]) -> str:
    return _("Theme: %(title)s (%(process)s)") % {"title": theme.title, "process": theme.process.title}


def _resolve_outcome(organisation: Any, object_id: uuid.UUID) -> Outcome | None:
    return Outcome.objects.filter(process__organisation=organisation, pk=object_id).first()


def _describe_outcome(outcome: Outcome, detail: dict[str, Any]) -> str:
    if outcome.kind == Outcome.Kind.NOT_TAKEN_FORWARD:
        return str(outcome.get_kind_display())
    return f"{outcome.get_kind_display()}: {outcome.title}"


link_kind_register(
    LinkableKind(name=THEME_KIND, label="Theme", resolve=_resolve_theme, describe=_describe_theme)
)
link_kind_register(
    LinkableKind(name=OUTCOME_KIND, label="Outcome", resolve=_resolve_outcome, describe=_describe_outcome)
)
