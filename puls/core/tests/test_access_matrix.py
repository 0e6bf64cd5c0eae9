"""DESIGN §3 and §7.6: every URL × every persona, and a failure for any URL nobody listed.

Each case is one request (a URL with realistic arguments and a method) with the status every
persona must get. LOGIN means a redirect to the login page. A case id reads as
"<url name>[<what the arguments point at>] <METHOD>", so a failing parameter says who got what where.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from puls.core.tests.conftest import PERSONA_NAMES, World
from puls.core.tests.url_patterns import all_url_patterns

LOGIN = "login"
Expected = int | str
Kwargs = Callable[[World], dict[str, Any]]

ORG = "testby"


def no_kwargs(world: World) -> dict[str, Any]:
    return {}


def org(world: World) -> dict[str, Any]:
    return {"org_slug": ORG}


def unit(code: str) -> Kwargs:
    return lambda world: {"org_slug": ORG, "unit_id": world.personas.units[code].pk}


def leader_person(world: World) -> dict[str, Any]:
    return {"org_slug": ORG, "person_id": world.personas.leader_person.pk}


def employee_person(world: World) -> dict[str, Any]:
    return {"org_slug": ORG, "person_id": world.personas.employee_person.pk}


def leaders_role(world: World) -> dict[str, Any]:
    return {"org_slug": ORG, "assignment_id": world.role_assignment.pk}


def import_job(world: World) -> dict[str, Any]:
    return {"org_slug": ORG, "job_id": world.import_job.pk}


def reset_link(*, valid: bool) -> Kwargs:
    """A password-reset/activation link of the employee, as e-mailed, or with a forged token."""

    def kwargs(world: World) -> dict[str, Any]:
        user = world.personas.employee
        token = default_token_generator.make_token(user) if valid else "forged-token"
        return {"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": token}

    return kwargs


def everyone(status: Expected) -> dict[str, Expected]:
    return dict.fromkeys(PERSONA_NAMES, status)


def signed_in(status: Expected) -> dict[str, Expected]:
    return {**everyone(status), "anonymous": LOGIN}


def org_page(
    *, admin: Expected, leader: Expected, med_rep: Expected, employee: Expected
) -> dict[str, Expected]:
    """A page under /o/testby/: login first, the other organisation's admin gets 404."""
    return {
        "anonymous": LOGIN,
        "platform_admin": admin,
        "org_admin": admin,
        "leader": leader,
        "med_rep": med_rep,
        "employee": employee,
        "outsider": 404,
    }


def admin_only(admin: Expected) -> dict[str, Expected]:
    return org_page(admin=admin, leader=403, med_rep=403, employee=403)


def platform_only(platform_admin: Expected) -> dict[str, Expected]:
    """Platform pages are not revealed to anyone else: 404, not 403."""
    return {**signed_in(404), "platform_admin": platform_admin}


@dataclass(frozen=True)
class Case:
    url_name: str
    label: str
    kwargs: Kwargs
    expected: dict[str, Expected]
    method: str = "get"
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        label = f"[{self.label}]" if self.label else ""
        return f"{self.url_name}{label} {self.method.upper()}"


CASES = [
    # Public and personal pages
    Case("core:home", "", no_kwargs, {**everyone(302), "anonymous": LOGIN}),
    Case("core:health", "", no_kwargs, everyone(200)),
    Case("core:privacy", "", no_kwargs, everyone(200)),
    Case("core:accessibility", "", no_kwargs, everyone(200)),
    # A visitor who is logged in already is sent on to their start page.
    Case("core:login", "", no_kwargs, {**everyone(302), "anonymous": 200}),
    Case(
        "core:login",
        "wrong password",
        no_kwargs,
        {**everyone(302), "anonymous": 200},
        method="post",
        data={"username": "hr@testby.test", "password": "forkert-kodeord"},
    ),
    Case("core:password_reset", "", no_kwargs, everyone(200)),
    Case(
        "core:password_reset",
        "",
        no_kwargs,
        everyone(302),
        method="post",
        data={"email": "ansat@testby.test"},
    ),
    Case("core:password_reset_done", "", no_kwargs, everyone(200)),
    Case("core:password_reset_confirm", "forged token", reset_link(valid=False), everyone(200)),
    Case("core:password_reset_confirm", "e-mailed link", reset_link(valid=True), everyone(302)),
    Case(
        "core:password_reset_confirm",
        "forged token",
        reset_link(valid=False),
        everyone(200),
        method="post",
        data={"new_password1": "en-helt-ny-adgangskode-7", "new_password2": "en-helt-ny-adgangskode-7"},
    ),
    Case("core:password_reset_complete", "", no_kwargs, everyone(200)),
    Case("core:activate", "forged token", reset_link(valid=False), everyone(200)),
    Case("core:activate", "e-mailed link", reset_link(valid=True), everyone(302)),
    Case(
        "core:activate",
        "forged token",
        reset_link(valid=False),
        everyone(200),
        method="post",
        data={"new_password1": "en-helt-ny-adgangskode-7", "new_password2": "en-helt-ny-adgangskode-7"},
    ),
    Case("core:logout", "", no_kwargs, everyone(405)),
    Case("core:logout", "", no_kwargs, everyone(302), method="post"),
    Case("set_language", "", no_kwargs, everyone(302)),
    Case("set_language", "", no_kwargs, everyone(302), method="post", data={"language": "en", "next": "/"}),
    # Platform administration
    Case("platform:organisation_list", "", no_kwargs, platform_only(200)),
    Case("platform:organisation_create", "", no_kwargs, platform_only(200)),
    Case("platform:organisation_create", "empty form", no_kwargs, platform_only(200), method="post"),
    # The organisation's own pages
    Case("organisations:dashboard", "", org, org_page(admin=200, leader=200, med_rep=200, employee=200)),
    Case("organisations:unit_tree", "", org, org_page(admin=200, leader=200, med_rep=200, employee=403)),
    Case(
        "organisations:unit_detail",
        "210 leader's unit",
        unit("210"),
        org_page(admin=200, leader=200, med_rep=404, employee=404),
    ),
    Case(
        "organisations:unit_detail",
        "220 sibling of leader's unit",
        unit("220"),
        org_page(admin=200, leader=404, med_rep=404, employee=404),
    ),
    Case(
        "organisations:unit_detail",
        "200 parent of leader's unit",
        unit("200"),
        org_page(admin=200, leader=404, med_rep=404, employee=404),
    ),
    Case(
        "organisations:unit_detail",
        "310 inside MED rep's 300",
        unit("310"),
        org_page(admin=200, leader=404, med_rep=200, employee=404),
    ),
    Case("organisations:person_list", "", org, org_page(admin=200, leader=200, med_rep=200, employee=403)),
    Case(
        "organisations:person_detail",
        "leader in 210",
        leader_person,
        org_page(admin=200, leader=200, med_rep=404, employee=404),
    ),
    Case(
        "organisations:person_detail",
        "employee in 220",
        employee_person,
        org_page(admin=200, leader=404, med_rep=404, employee=404),
    ),
    Case("organisations:person_send_activation", "employee", employee_person, everyone(405)),
    Case(
        "organisations:person_send_activation",
        "employee",
        employee_person,
        admin_only(302),
        method="post",
    ),
    Case("organisations:role_list", "", org, admin_only(200)),
    Case("organisations:role_assign", "", org, admin_only(200)),
    Case("organisations:role_assign", "empty form", org, admin_only(200), method="post"),
    Case("organisations:role_remove", "leader's role", leaders_role, admin_only(200)),
    Case("organisations:role_remove", "leader's role", leaders_role, admin_only(302), method="post"),
    Case("organisations:import_start", "", org, admin_only(200)),
    Case("organisations:import_start", "empty form", org, admin_only(200), method="post"),
    Case("organisations:import_preview", "", import_job, admin_only(200)),
    Case("organisations:import_apply", "", import_job, admin_only(405)),
    Case("organisations:import_apply", "", import_job, admin_only(302), method="post"),
    Case("organisations:import_progress", "", import_job, admin_only(200)),
    Case("organisations:audit_log", "", org, admin_only(200)),
]


def test_every_url_pattern_has_a_name():
    unnamed = [found.route for found in all_url_patterns() if not found.name]
    assert unnamed == [], "Name these URL patterns so the access matrix can list them"


def test_matrix_lists_every_url_and_only_existing_ones():
    existing = {found.name for found in all_url_patterns() if found.name}
    listed = {case.url_name for case in CASES}
    assert sorted(existing - listed) == [], "URLs missing from the access matrix"
    assert sorted(listed - existing) == [], "The access matrix lists URLs that no longer exist"


def test_matrix_gives_every_persona_an_expectation():
    incomplete = [case.id for case in CASES if set(case.expected) != set(PERSONA_NAMES)]
    assert incomplete == []


@pytest.mark.parametrize("persona", PERSONA_NAMES)
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_access(world: World, case: Case, persona: str):
    client = world.client_for(persona)
    url = reverse(case.url_name, kwargs=case.kwargs(world))
    response = getattr(client, case.method)(url, case.data)

    expected = case.expected[persona]
    if expected == LOGIN:
        assert response.status_code == 302, f"{persona} {case.id}: expected a login redirect"
        assert response["Location"].startswith(reverse("core:login")), response["Location"]
    else:
        assert response.status_code == expected, f"{persona} {case.id}"
