"""Objects of the actions app other apps may link to (DESIGN §2.1)."""

import uuid
from typing import Any

from puls.actions.models import Action, ApvCycle, ApvFinding
from puls.core.links import LinkableKind, link_kind_register

ACTION_KIND = "actions.action"
APV_CYCLE_KIND = "actions.apv_cycle"
APV_FINDING_KIND = "actions.apv_finding"


def _resolve_action(organisation: Any, object_id: uuid.UUID) -> Action | None:
    return Action.objects.filter(organisation=organisation, pk=object_id).first()


def _resolve_apv_cycle(organisation: Any, object_id: uuid.UUID) -> ApvCycle | None:
    return ApvCycle.objects.filter(organisation=organisation, pk=object_id).first()


def _resolve_apv_finding(organisation: Any, object_id: uuid.UUID) -> ApvFinding | None:
    return ApvFinding.objects.filter(cycle__organisation=organisation, pk=object_id).first()


link_kind_register(LinkableKind(name=ACTION_KIND, label="Action", resolve=_resolve_action))
link_kind_register(LinkableKind(name=APV_CYCLE_KIND, label="APV", resolve=_resolve_apv_cycle))
link_kind_register(LinkableKind(name=APV_FINDING_KIND, label="APV finding", resolve=_resolve_apv_finding))
