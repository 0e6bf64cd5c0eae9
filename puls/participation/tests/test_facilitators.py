"""Who facilitates a dialogue process (DESIGN §3): the organisation admin, a holder of the
facilitator role (every process of the organisation; may create processes), or one of a process's
own facilitators (that process only).

The access matrix (puls/core/tests/test_access_matrix.py) has no facilitator persona — one would
need a row for every URL of the project — so the facilitator rules are tested here over every URL
of the facilitator pages, found by walking the resolver: a new facilitator page is covered the day
it is added."""

import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from puls.core.models import User
from puls.core.tests.url_patterns import all_url_patterns
from puls.organisations import services as org_services
from puls.organisations.models import Role
from puls.organisations.scoping import access_build
from puls.participation import selectors, services
from puls.participation.models import Process, Round
from puls.participation.tests.world import ParticipationWorld, participation_world_build
from puls.testing import Personas, make_person

pytestmark = pytest.mark.django_db

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"

FACILITATOR_URLS = {
    found.name: sorted(name for name, _converter in found.converters if name != "org_slug")
    for found in all_url_patterns()
    if found.name.startswith("participation:")
}
PROCESS_URLS = sorted(name for name, parameters in FACILITATOR_URLS.items() if "process_id" in parameters)


def test_the_facilitator_urls_were_found():
    assert "participation:process_list" in FACILITATOR_URLS
    assert "participation:round_detail" in PROCESS_URLS
    assert "participation:theme_detail" in PROCESS_URLS


@dataclass
class Facilitators:
    personas: Personas
    dialogues: ParticipationWorld
    role: User  # holds Role.FACILITATOR in Testby
    process: User  # facilitates Testby's process only
    other_process: User  # facilitates another process of Testby only
    other: Process  # that other process
    plain: User  # a Testby employee with a login and no facilitation

    def client(self, user: User) -> Client:
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        client.force_login(user, backend=MODEL_BACKEND)
        return client


@pytest.fixture
def facilitators(personas: Personas) -> Facilitators:
    # A launch needs k = 5 invitees: Andenby has only its admin (as in the world fixture).
    for number in range(9002, 9006):
        make_person(personas.other_org, personas.other_unit, str(number), "Anders", f"Andersen{number}")
    dialogues = participation_world_build(personas)
    skole_b = personas.units["220"]

    def user(number: str, first: str) -> User:
        person = make_person(
            personas.org, skole_b, number, first, "Test", email=f"{first.lower()}@testby.test", with_user=True
        )
        assert person.user is not None
        return person.user

    role = user("2290", "Frida")
    org_services.role_assign(actor=None, person=role.persons.get(), role=Role.FACILITATOR, units=[])
    process_only = user("2291", "Palle")
    dialogues.testby.process.facilitators.add(process_only)
    other_only = user("2292", "Olga")
    other = services.process_create(
        actor=personas.org_admin,
        organisation=personas.org,
        settings=services.ProcessSettings(title="Ledelsesgrundlag", facilitators=[other_only]),
    )
    return Facilitators(
        personas=personas,
        dialogues=dialogues,
        role=role,
        process=process_only,
        other_process=other_only,
        other=other,
        plain=user("2293", "Pia"),
    )


def url_for(name: str, org_slug: str, ids: dict[str, uuid.UUID]) -> str:
    """The URL with the given objects; a parameter these tests know no object for gets an id that
    exists nowhere (the process check comes first, so refusals are still told)."""
    kwargs: dict[str, Any] = {"org_slug": org_slug}
    for parameter in FACILITATOR_URLS[name]:
        kwargs[parameter] = ids.get(parameter, uuid.uuid4())
    return reverse(name, kwargs=kwargs)


def not_found(status: int, *, hr: int) -> bool:
    """404, or 405 where the page refuses the method before looking at anything — as it does for HR
    on the same address, so the answer tells nothing about the process."""
    return status == 404 or status == hr == 405


def undone(client: Client, method: str, url: str) -> Any:
    """The response to one request whose changes are rolled back, so each request of a loop sees
    the same objects (a theme deleted by one is still there for the next)."""
    with transaction.atomic():
        response = getattr(client, method)(url)
        transaction.set_rollback(True)
    return response


@pytest.mark.parametrize("who", ["role", "process"])
def test_a_facilitator_gets_what_the_admin_gets_on_every_page_of_their_process(facilitators, who):
    """The role holder (every process) and the process's own facilitator get exactly the answer HR
    gets on every facilitator page of Testby's process, GET and POST — never a refusal."""
    admin = facilitators.client(facilitators.personas.org_admin)
    facilitator = facilitators.client(getattr(facilitators, who))
    ids = facilitators.dialogues.testby.ids()
    names = PROCESS_URLS if who == "process" else sorted(FACILITATOR_URLS)
    for name in names:
        url = url_for(name, "testby", ids)
        for method in ("get", "post"):
            expected = undone(admin, method, url).status_code
            got = undone(facilitator, method, url).status_code
            assert expected not in (403, 404) or name not in CORE_PAGES, f"HR {method} {name}: {expected}"
            assert got == expected, f"{who} facilitator {method.upper()} {name}: {got}, HR gets {expected}"


# The process's own pages: HR reaches each with the world's objects (a round kind's pages may be a
# 404 for an ideas round, so those are only compared with what HR gets).
CORE_PAGES = {
    "participation:process_detail",
    "participation:process_edit",
    "participation:round_create",
    "participation:round_detail",
    "participation:round_edit",
    "participation:round_launch",
    "participation:round_close",
    "participation:contribution_hide",
    "participation:contribution_unhide",
    "participation:contribution_merge",
    "participation:theme_create",
    "participation:theme_detail",
    "participation:theme_edit",
    "participation:theme_delete",
    "participation:outcome_create",
    "participation:outcome_link",
    "participation:outcome_unlink",
}


def test_a_process_facilitator_gets_404_on_every_page_of_another_process(facilitators):
    """Olga facilitates "Ledelsesgrundlag" only: Testby's other process is a 404 on every page,
    exactly as an id that exists nowhere."""
    client = facilitators.client(facilitators.other_process)
    admin = facilitators.client(facilitators.personas.org_admin)
    ids = facilitators.dialogues.testby.ids()
    unknown = {name: uuid.uuid4() for name in ids}
    for name in PROCESS_URLS:
        for method in ("get", "post"):
            url = url_for(name, "testby", ids)
            got = undone(client, method, url).status_code
            assert not_found(got, hr=undone(admin, method, url).status_code), (
                f"{method.upper()} {name}: {got}"
            )
            assert undone(client, method, url_for(name, "testby", unknown)).status_code == got
    # Her own process opens.
    own = reverse(
        "participation:process_detail", kwargs={"org_slug": "testby", "process_id": facilitators.other.pk}
    )
    assert client.get(own).status_code == 200


@pytest.mark.parametrize("who", ["role", "process"])
def test_another_organisations_process_is_404_for_every_facilitator(facilitators, who):
    """Andenby's objects under Testby's address, and Andenby's own address, are a 404."""
    client = facilitators.client(getattr(facilitators, who))
    admin = facilitators.client(facilitators.personas.org_admin)
    testby = facilitators.dialogues.testby.ids()
    andenby = facilitators.dialogues.andenby.ids()
    for name in FACILITATOR_URLS:
        for method in ("get", "post"):
            if name in PROCESS_URLS:
                hr = undone(admin, method, url_for(name, "testby", testby)).status_code
                got = undone(client, method, url_for(name, "testby", andenby)).status_code
                assert not_found(got, hr=hr), f"{who}: Andenby's {name} under Testby, {method.upper()}: {got}"
            # Andenby's address: the organisation is a 404 before anything else.
            got = undone(client, method, url_for(name, "andenby", andenby)).status_code
            assert got == 404, f"{who}: {name} at Andenby's address, {method.upper()}: {got}"
    assert facilitators.dialogues.andenby_unchanged()


def test_someone_who_facilitates_nothing_is_refused_every_page(facilitators):
    client = facilitators.client(facilitators.plain)
    ids = facilitators.dialogues.testby.ids()
    for name in FACILITATOR_URLS:
        for method in ("get", "post"):
            got = undone(client, method, url_for(name, "testby", ids)).status_code
            assert got == 403, f"{method.upper()} {name}: {got}"


def test_the_process_list_shows_each_facilitator_their_processes(facilitators):
    url = reverse("participation:process_list", kwargs={"org_slug": "testby"})
    testby_title = facilitators.dialogues.testby.process.title
    role_page = facilitators.client(facilitators.role).get(url).content.decode()
    assert testby_title in role_page
    assert "Ledelsesgrundlag" in role_page
    assert "Create process" in role_page
    own_page = facilitators.client(facilitators.process).get(url).content.decode()
    assert testby_title in own_page
    assert "Ledelsesgrundlag" not in own_page
    assert "Create process" not in own_page
    other_page = facilitators.client(facilitators.other_process).get(url).content.decode()
    assert "Ledelsesgrundlag" in other_page
    assert testby_title not in other_page


def test_only_the_role_creates_processes(facilitators):
    url = reverse("participation:process_create", kwargs={"org_slug": "testby"})
    data = {"title": "Arbejdsmiljø 2028", "mode": "anonymous", "results": "internal", "audience": "everyone"}
    assert facilitators.client(facilitators.process).post(url, data).status_code == 403
    assert not Process.objects.filter(title="Arbejdsmiljø 2028").exists()
    response = facilitators.client(facilitators.role).post(url, data)
    assert response.status_code == 302
    assert Process.objects.get(title="Arbejdsmiljø 2028").created_by == facilitators.role


def test_navigation_leads_each_facilitator_to_the_dialogue_pages(facilitators):
    dashboard = reverse("organisations:dashboard", kwargs={"org_slug": "testby"})
    dialogue = reverse("participation:process_list", kwargs={"org_slug": "testby"})
    for user in (facilitators.role, facilitators.process, facilitators.other_process):
        assert dialogue in facilitators.client(user).get(dashboard).content.decode()
    assert dialogue not in facilitators.client(facilitators.plain).get(dashboard).content.decode()


def test_hr_chooses_facilitators_among_people_who_can_log_in(facilitators):
    process = facilitators.dialogues.testby.process
    admin = facilitators.client(facilitators.personas.org_admin)
    url = reverse("participation:process_edit", kwargs={"org_slug": "testby", "process_id": process.pk})
    field = admin.get(url).context["form"].fields["facilitators"]
    choices = dict(field.choices)
    assert choices[str(facilitators.plain.pk)] == "Pia Test (2293)"
    assert str(facilitators.personas.outsider.pk) not in choices  # Andenby's
    assert "Ole" not in " ".join(choices.values())  # no login
    data = {
        "title": process.title,
        "mode": process.mode,
        "results": process.results,
        "audience": "everyone",
        "facilitators": [str(facilitators.plain.pk)],
    }
    assert admin.post(url, data).status_code == 302
    assert list(Process.objects.get(pk=process.pk).facilitators.all()) == [facilitators.plain]
    pia = facilitators.client(facilitators.plain)
    assert pia.get(url).status_code == 200
    # A process's own facilitator does not choose who else facilitates it.
    assert "facilitators" not in pia.get(url).context["form"].fields
    # Palle was taken off the process: it is gone for him.
    assert facilitators.client(facilitators.process).get(url).status_code == 403
    # Another organisation's user cannot be slipped in.
    data["facilitators"] = [str(facilitators.personas.outsider.pk)]
    assert admin.post(url, data).context["form"].errors["facilitators"]


def test_can_facilitate_decides_per_process(facilitators):
    testby = facilitators.dialogues.testby.process
    andenby = facilitators.dialogues.andenby.process
    org = facilitators.personas.org

    def access(user: User) -> Any:
        return access_build(user=user, organisation=org)

    admin = access(facilitators.personas.org_admin)
    assert selectors.can_facilitate(admin, testby)
    assert not selectors.can_facilitate(admin, andenby)
    role = access(facilitators.role)
    assert selectors.can_facilitate(role)
    assert selectors.can_facilitate(role, facilitators.other)
    own = access(facilitators.process)
    assert selectors.can_facilitate(own, testby)
    assert not selectors.can_facilitate(own, facilitators.other)
    assert not selectors.can_facilitate(own)  # not every process of the organisation
    assert selectors.facilitates_any(own)
    assert not selectors.may_create_processes(own)
    plain = access(facilitators.plain)
    assert not selectors.facilitates_any(plain)
    assert not selectors.can_facilitate(plain, testby)


def test_a_process_facilitator_runs_a_round_of_their_process(facilitators):
    """Palle adds a round to his process, moderates and themes through the pages."""
    testby = facilitators.dialogues.testby
    client = facilitators.client(facilitators.process)
    kwargs = {"org_slug": "testby", "process_id": testby.process.pk}
    hide = reverse(
        "participation:contribution_hide",
        kwargs={**kwargs, "round_id": testby.round.pk, "contribution_id": testby.contribution.pk},
    )
    assert client.post(hide, {"reason": "Nævner en kollega"}).status_code == 302
    testby.contribution.refresh_from_db()
    assert testby.contribution.hidden
    rounds_before = Round.objects.filter(process=testby.process).count()
    response = client.post(
        reverse("participation:round_create", kwargs=kwargs),
        {
            "title": "Runde 3",
            "kind": "ideas",
            "opens_at": "2030-01-07T08:00",
            "closes_at": "2030-01-14T08:00",
            "reminder_days": "3",
        },
    )
    assert response.status_code == 302
    assert Round.objects.filter(process=testby.process).count() == rounds_before + 1
