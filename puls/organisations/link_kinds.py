"""Organisation objects other apps may link to (DESIGN §2.1)."""

import uuid
from typing import Any

from puls.core.links import LinkableKind, link_kind_register
from puls.organisations.models import Unit


def _resolve_unit(organisation: Any, object_id: uuid.UUID) -> Unit | None:
    return Unit.objects.filter(organisation=organisation, pk=object_id).first()


link_kind_register(LinkableKind(name="organisations.unit", label="Unit", resolve=_resolve_unit))
