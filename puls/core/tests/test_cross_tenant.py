"""DESIGN §2.2 and §7.7: another organisation's pages and objects are a 404, on every view.

The URLs are found by walking the resolver, so a new view under /o/<org_slug>/ is covered the day
it is added; a new kind of object id in a URL fails here until the tests know where to find one.
"""

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.http import HttpResponse
from django.urls import reverse

from puls.core.tests.conftest import World
from puls.core.tests.url_patterns import all_url_patterns
from puls.organisations.models import Organisation, Person, RoleAssignment, Unit

ORG_URL_NAMES = sorted(
    found.name for found in all_url_patterns() if found.route.startswith("o/<slug:org_slug>/")
)
OBJECT_PARAMETERS = {
    found.name: sorted(name for name, _converter in found.converters if name != "org_slug")
    for found in all_url_patterns()
    if found.name in ORG_URL_NAMES
}


def testby_ids(world: World) -> dict[str, uuid.UUID]:
    return {
        "unit_id": world.personas.units["210"].pk,
        "person_id": world.personas.employee_person.pk,
        "assignment_id": world.role_assignment.pk,
        "job_id": world.import_job.pk,
    }


def andenby_ids(world: World) -> dict[str, uuid.UUID]:
    return {
        "unit_id": world.personas.other_unit.pk,
        "person_id": world.personas.outsider_person.pk,
        "assignment_id": world.other_role_assignment.pk,
        "job_id": world.other_import_job.pk,
    }


def url_for(url_name: str, org_slug: str, ids: dict[str, uuid.UUID]) -> str:
    missing = [name for name in OBJECT_PARAMETERS[url_name] if name not in ids]
    assert missing == [], f"Teach test_cross_tenant where to find an object for {missing} ({url_name})"
    kwargs: dict[str, Any] = {"org_slug": org_slug}
    kwargs.update({name: ids[name] for name in OBJECT_PARAMETERS[url_name]})
    return reverse(url_name, kwargs=kwargs)


def assert_not_found(
    response: HttpResponse, *, same_method_for_own_objects: Callable[[], HttpResponse]
) -> None:
    """404, or 405 when the view refuses the method before looking at anything: then the view's own
    organisation gets 405 too, so the answer says nothing about the object."""
    if response.status_code == 405:
        assert same_method_for_own_objects().status_code == 405
    else:
        assert response.status_code == 404


def test_the_organisation_urls_were_found():
    assert "organisations:dashboard" in ORG_URL_NAMES
    assert "organisations:unit_detail" in ORG_URL_NAMES


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("url_name", ORG_URL_NAMES)
def test_other_organisations_admin_gets_404_on_every_testby_url(world: World, url_name: str, method: str):
    client = world.client_for("outsider")
    url = url_for(url_name, "testby", testby_ids(world))
    response = getattr(client, method)(url)
    own_admin = world.client_for("org_admin")
    assert_not_found(response, same_method_for_own_objects=lambda: getattr(own_admin, method)(url))


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("url_name", ORG_URL_NAMES)
def test_testby_admin_gets_404_on_every_andenby_url(world: World, url_name: str, method: str):
    client = world.client_for("org_admin")
    url = url_for(url_name, "andenby", andenby_ids(world))
    response = getattr(client, method)(url)
    own_admin = world.client_for("outsider")
    assert_not_found(response, same_method_for_own_objects=lambda: getattr(own_admin, method)(url))


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("url_name", [name for name in ORG_URL_NAMES if OBJECT_PARAMETERS[name]], ids=str)
def test_andenby_object_ids_under_testby_address_are_404_for_testby_admin(
    world: World, url_name: str, method: str
):
    """Testby's admin may use every URL of Testby, but never reach Andenby's objects through it."""
    client = world.client_for("org_admin")
    response = getattr(client, method)(url_for(url_name, "testby", andenby_ids(world)))
    own_url = url_for(url_name, "testby", testby_ids(world))
    assert_not_found(response, same_method_for_own_objects=lambda: getattr(client, method)(own_url))
    # Nothing of Andenby's changed through the attempt.
    assert RoleAssignment.objects.filter(pk=world.other_role_assignment.pk).exists()


def test_outsider_gets_404_for_every_testby_unit_and_person(world: World):
    client = world.client_for("outsider")
    testby = world.personas.org
    not_found = []
    for unit in Unit.objects.filter(organisation=testby):
        not_found.append(client.get(url_for("organisations:unit_detail", "testby", {"unit_id": unit.pk})))
    for person in Person.objects.filter(organisation=testby):
        not_found.append(
            client.get(url_for("organisations:person_detail", "testby", {"person_id": person.pk}))
        )
    for assignment in RoleAssignment.objects.filter(organisation=testby):
        ids = {"assignment_id": assignment.pk}
        not_found.append(client.post(url_for("organisations:role_remove", "testby", ids)))
    assert len(not_found) == 6 + 8 + 3  # Testby's units, people and role assignments
    assert {response.status_code for response in not_found} == {404}
    assert RoleAssignment.objects.filter(organisation=testby).count() == 3


def test_outsider_cannot_read_testby_audit_log_but_own(world: World):
    client = world.client_for("outsider")
    assert client.get(reverse("organisations:audit_log", kwargs={"org_slug": "testby"})).status_code == 404
    own = client.get(reverse("organisations:audit_log", kwargs={"org_slug": "andenby"}))
    assert own.status_code == 200
    assert "Testby" not in own.content.decode()


def test_unknown_organisation_is_404(world: World):
    assert not Organisation.objects.filter(slug="ingen").exists()
    response = world.client_for("org_admin").get(
        reverse("organisations:dashboard", kwargs={"org_slug": "ingen"})
    )
    assert response.status_code == 404
