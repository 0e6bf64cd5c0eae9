"""The one way to write the audit log."""

from typing import Any

from django.db import models

from puls.core.models import AuditEntry, User


def audit_record(
    *,
    actor: User | None,
    action: str,
    organisation: Any = None,
    target: models.Model | None = None,
    summary: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    actor_obj = actor if actor is not None and actor.is_authenticated else None
    return AuditEntry.objects.create(
        organisation=organisation,
        actor=actor_obj,
        action=action,
        target_type=target._meta.label if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        summary=summary[:500],
        data=data or {},
    )
