"""Every URL pattern of the project, found by walking the resolver (used by the security tests)."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class FoundPattern:
    name: str  # namespaced, e.g. "organisations:unit_detail"; "" when the pattern has no name
    route: str  # the whole route, e.g. "o/<slug:org_slug>/units/<uuid:unit_id>/"
    converters: tuple[tuple[str, Any], ...]  # (parameter name, converter) along the whole route


def all_url_patterns() -> list[FoundPattern]:
    return list(_walk(get_resolver().url_patterns, namespaces=(), route="", converters=()))


def _walk(
    patterns: list[Any], *, namespaces: tuple[str, ...], route: str, converters: tuple[tuple[str, Any], ...]
) -> Iterator[FoundPattern]:
    for pattern in patterns:
        here_route = route + str(pattern.pattern)
        here_converters = converters + tuple(getattr(pattern.pattern, "converters", {}).items())
        if isinstance(pattern, URLResolver):
            here_namespaces = namespaces + ((pattern.namespace,) if pattern.namespace else ())
            yield from _walk(
                pattern.url_patterns, namespaces=here_namespaces, route=here_route, converters=here_converters
            )
        elif isinstance(pattern, URLPattern):
            name = ":".join((*namespaces, pattern.name)) if pattern.name else ""
            yield FoundPattern(name=name, route=here_route, converters=here_converters)
