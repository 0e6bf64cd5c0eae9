"""Registry of linkable kinds and the services that create and read Links (DESIGN §2.1).

An app registers each kind of object it lets others link to, with a resolver that returns the
object (already scoped to an organisation) or None, so an app can link to kinds of an app that
lands later: the link is stored by kind name and UUID and resolved when read.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from puls.core.models import Link, User


@dataclass(frozen=True)
class LinkableKind:
    name: str
    label: str
    resolve: Callable[[Any, uuid.UUID], Any | None]  # (organisation, id) -> object or None
    describe: Callable[[Any, dict[str, Any]], str] = lambda obj, detail: str(obj)


_registry: dict[str, LinkableKind] = {}


class UnknownLinkKind(LookupError):
    pass


def link_kind_register(kind: LinkableKind) -> None:
    _registry[kind.name] = kind


def link_kind_get(name: str) -> LinkableKind:
    try:
        return _registry[name]
    except KeyError as exc:
        raise UnknownLinkKind(name) from exc


def link_kinds() -> dict[str, LinkableKind]:
    return dict(_registry)


@transaction.atomic
def link_create(
    *,
    organisation: Any,
    source_kind: str,
    source_id: uuid.UUID,
    target_kind: str,
    target_id: uuid.UUID,
    kind: str,
    reason: str = "",
    created_by: User | None = None,
    source_detail: dict[str, Any] | None = None,
    target_detail: dict[str, Any] | None = None,
) -> Link:
    """Create a link after checking both ends exist inside the organisation."""
    for kind_name, object_id in ((source_kind, source_id), (target_kind, target_id)):
        if link_kind_get(kind_name).resolve(organisation, object_id) is None:
            raise LookupError(f"{kind_name} {object_id} not found in this organisation")
    return Link.objects.create(
        organisation=organisation,
        source_kind=source_kind,
        source_id=source_id,
        source_detail=source_detail or {},
        target_kind=target_kind,
        target_id=target_id,
        target_detail=target_detail or {},
        kind=kind,
        reason=reason,
        created_by=created_by if created_by is not None and created_by.is_authenticated else None,
    )


def links_from(*, organisation: Any, kind: str, object_id: uuid.UUID) -> list[Link]:
    return list(Link.objects.filter(organisation=organisation, source_kind=kind, source_id=object_id))


def links_to(*, organisation: Any, kind: str, object_id: uuid.UUID) -> list[Link]:
    return list(Link.objects.filter(organisation=organisation, target_kind=kind, target_id=object_id))
