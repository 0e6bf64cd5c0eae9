"""Shared helpers of the actions tests."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from puls.core.links import LinkableKind, _registry, link_kind_register
from puls.testing import Personas

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def client_for(user: Any) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user, backend=MODEL_BACKEND)
    return client


@contextmanager
def temporary_link_kind(name: str, resolve: Any) -> Iterator[None]:
    """Register a source kind of an app that is not here (yet) for the length of a test."""
    previous = _registry.get(name)
    link_kind_register(LinkableKind(name=name, label=name, resolve=resolve))
    try:
        yield
    finally:
        if previous is None:
            _registry.pop(name, None)
        else:
            _registry[name] = previous


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages raised by services are asserted in their English source form."""
    with translation.override("en"):
        yield


@pytest.fixture
def org(personas: Personas) -> Any:
    return personas.org


def make_action(personas: Personas, unit_code: str, title: str = "Faste mødetider", **fields: Any) -> Any:
    from puls.actions.services import action_create

    return action_create(
        actor=None, organisation=personas.org, unit=personas.units[unit_code], title=title, **fields
    )


def med_person(personas: Personas) -> Any:
    return personas.med_rep.persons.get()  # type: ignore[attr-defined]
