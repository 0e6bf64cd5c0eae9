"""DESIGN §2.2 and §7.7: another organisation's pages and objects are a 404, on every view.

The URLs are found by walking the resolver, so a new view under /o/<org_slug>/ is covered the day
it is added; a new kind of object id in a URL fails here until the tests know where to find one.
The ids are of organisation-owned objects: the questionnaire templates and the item bank shipped
with Puls are shared by every organisation by design. The participant pages under /b/<ballot id>/
belong to no organisation: there the ballot cookie decides, and one ballot's code opens no other.
"""

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.http import HttpResponse
from django.urls import reverse

from puls.core.tests.conftest import PERSONA_NAMES, Tenant, World
from puls.core.tests.url_patterns import all_url_patterns
from puls.invitations.models import Ballot
from puls.invitations.views import ballot_cookie_name
from puls.organisations.models import EmployeePanel, Organisation, Person, RoleAssignment, Unit
from puls.participation.models import Process
from puls.participation.tests.world import results_shown_live, round_pdf_finished
from puls.surveys.models import ItemBank, LocalItem, Questionnaire, SectionItem, Survey

# View wiring, not database behaviour: run on PostgreSQL only (`make test-sqlite` deselects the
# marker; a plain `pytest` on SQLite still runs it). See docs/NOTES.md, "Tests and CI".
pytestmark = pytest.mark.postgres_only

ORG_URL_NAMES = sorted(
    found.name for found in all_url_patterns() if found.route.startswith("o/<slug:org_slug>/")
)
OBJECT_PARAMETERS = {
    found.name: sorted(name for name, _converter in found.converters if name != "org_slug")
    for found in all_url_patterns()
    if found.name in ORG_URL_NAMES
}


def survey_ids(tenant: Tenant) -> dict[str, uuid.UUID]:
    return {
        "survey_id": tenant.draft_survey.pk,
        "local_item_id": tenant.local_item.pk,
        "questionnaire_id": tenant.questionnaire.pk,
        "section_item_id": tenant.section_item.pk,
        "bank_id": tenant.item_bank.pk,
    }


def object_ids_of_testby(world: World) -> dict[str, uuid.UUID]:
    return {
        "unit_id": world.personas.units["210"].pk,
        "scale_id": world.testby.scale.pk,
        "export_id": world.testby.export.pk,
        "person_id": world.personas.employee_person.pk,
        "assignment_id": world.role_assignment.pk,
        "job_id": world.import_job.pk,
        "panel_id": world.panel.pk,
        **survey_ids(world.testby),
        **world.actions.testby_ids(),
        **world.testby_policy.ids(),
        **world.participation.testby_ids(),
    }


def object_ids_of_andenby(world: World) -> dict[str, uuid.UUID]:
    return {
        "unit_id": world.personas.other_unit.pk,
        "scale_id": world.andenby.scale.pk,
        "export_id": world.andenby.export.pk,
        "person_id": world.personas.outsider_person.pk,
        "assignment_id": world.other_role_assignment.pk,
        "job_id": world.other_import_job.pk,
        "panel_id": world.other_panel.pk,
        **survey_ids(world.andenby),
        **world.actions.andenby_ids(),
        **world.andenby_policy.ids(),
        **world.participation.andenby_ids(),
    }


def unknown_ids(world: World) -> dict[str, uuid.UUID]:
    """Every key of the id maps, plain or under a URL namespace, with an id that exists nowhere."""
    return {name: uuid.uuid4() for name in object_ids_of_testby(world)}


def assert_andenby_unchanged(world: World) -> None:
    andenby = world.andenby
    assert RoleAssignment.objects.filter(pk=world.other_role_assignment.pk).exists()
    other_panel = EmployeePanel.objects.get(pk=world.other_panel.pk)
    assert other_panel.name == "Andenbys panel"
    assert sorted(other_panel.members.values_list("employee_number", flat=True)) == ["9001", "9002"]
    assert LocalItem.objects.filter(pk=andenby.local_item.pk).exists()
    assert SectionItem.objects.filter(pk=andenby.section_item.pk).exists()
    statuses = dict(Ballot.objects.filter(organisation=world.personas.other_org).values_list("pk", "status"))
    assert statuses == {
        andenby.draft_survey.ballot_id: Ballot.Status.DRAFT,
        andenby.launched_survey.ballot_id: Ballot.Status.OPEN,
        andenby.closed_survey.ballot_id: Ballot.Status.CLOSED,
        world.participation.andenby.round.ballot_id: Ballot.Status.OPEN,
    }
    assert Questionnaire.objects.filter(organisation=world.personas.other_org).count() == 2
    assert Survey.objects.filter(organisation=world.personas.other_org).count() == 3
    released = Survey.objects.filter(pk=andenby.closed_survey.pk, release_everyone_at__isnull=False).exists()
    assert released, "Andenby's release dates were changed"
    assert world.actions.andenby_unchanged(), "Andenby's action plan or APV was changed"
    assert world.andenby_policy.unchanged(), "Andenby's staff policy was changed"
    assert world.participation.andenby_unchanged(), "Andenby's dialogue process was changed"
    assert (
        world.personas.other_org.__class__.objects.get(pk=world.personas.other_org.pk).benchmark_opt_in
        is False
    )


def url_for(url_name: str, org_slug: str, ids: dict[str, uuid.UUID]) -> str:
    # A name used by several apps (round_id, link_id) is looked up under the URL's namespace first.
    namespace = url_name.rpartition(":")[0]
    keys = {
        name: f"{namespace}:{name}" if f"{namespace}:{name}" in ids else name
        for name in OBJECT_PARAMETERS[url_name]
    }
    missing = [name for name, key in keys.items() if key not in ids]
    assert missing == [], f"Teach test_cross_tenant where to find an object for {missing} ({url_name})"
    kwargs: dict[str, Any] = {"org_slug": org_slug}
    kwargs.update({name: ids[key] for name, key in keys.items()})
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
    url = url_for(url_name, "testby", object_ids_of_testby(world))
    response = getattr(client, method)(url)
    own_admin = world.client_for("org_admin")
    assert_not_found(response, same_method_for_own_objects=lambda: getattr(own_admin, method)(url))


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("url_name", ORG_URL_NAMES)
def test_testby_admin_gets_404_on_every_andenby_url(world: World, url_name: str, method: str):
    client = world.client_for("org_admin")
    url = url_for(url_name, "andenby", object_ids_of_andenby(world))
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
    response = getattr(client, method)(url_for(url_name, "testby", object_ids_of_andenby(world)))
    own_url = url_for(url_name, "testby", object_ids_of_testby(world))
    assert_not_found(response, same_method_for_own_objects=lambda: getattr(client, method)(own_url))
    # Nothing of Andenby's changed through the attempt.
    assert_andenby_unchanged(world)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("url_name", [name for name in ORG_URL_NAMES if OBJECT_PARAMETERS[name]], ids=str)
def test_andenby_object_ids_under_testby_address_look_like_unknown_ids_to_every_persona(
    world: World, url_name: str, method: str
):
    """Whoever asks, Andenby's object answers exactly as an id that exists nowhere: 404, or the
    refusal (log-in, 403 for a missing capability, 405) the persona gets for Testby's own object."""
    for persona in PERSONA_NAMES:
        client = world.client_for(persona)
        foreign = getattr(client, method)(url_for(url_name, "testby", object_ids_of_andenby(world)))
        unknown = getattr(client, method)(url_for(url_name, "testby", unknown_ids(world)))
        assert foreign.status_code == unknown.status_code, f"{persona}: Andenby's object is told apart"
        if foreign.status_code != 404:
            own = getattr(client, method)(url_for(url_name, "testby", object_ids_of_testby(world)))
            assert foreign.status_code in (302, 403, 405), f"{persona} got {foreign.status_code}"
            assert own.status_code == foreign.status_code, f"{persona}: the refusal depends on the object"
            if foreign.status_code == 302:
                assert foreign["Location"].startswith(reverse("core:login"))
    assert_andenby_unchanged(world)


@pytest.mark.parametrize(
    ("url_name", "mixed_ids"),
    [
        (
            "surveys:local_item_remove",
            lambda world: {
                "survey_id": world.testby.draft_survey.pk,
                "local_item_id": world.andenby.local_item.pk,
            },
        ),
        (
            "surveys:questionnaire_item_remove",
            lambda world: {
                "questionnaire_id": world.testby.questionnaire.pk,
                "section_item_id": world.andenby.section_item.pk,
            },
        ),
        (
            "participation:contribution_hide",
            lambda world: {
                **world.participation.testby_ids(),
                "participation:contribution_id": world.participation.andenby.contribution.pk,
            },
        ),
        (
            "participation:theme_delete",
            lambda world: {
                **world.participation.testby_ids(),
                "participation:theme_id": world.participation.andenby.theme.pk,
            },
        ),
        (
            "participation:round_close",
            lambda world: {
                **world.participation.testby_ids(),
                "participation:round_id": world.participation.andenby.round.pk,
            },
        ),
    ],
    ids=[
        "local_item_remove",
        "questionnaire_item_remove",
        "dialogue_contribution_hide",
        "dialogue_theme_delete",
        "dialogue_round_close",
    ],
)
def test_andenby_object_inside_a_testby_object_is_404(
    world: World, url_name: str, mixed_ids: Callable[[World], dict[str, uuid.UUID]]
):
    """A Testby parent does not open the door to an Andenby child."""
    response = world.client_for("org_admin").post(url_for(url_name, "testby", mixed_ids(world)))
    assert response.status_code == 404
    assert_andenby_unchanged(world)


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


def test_outsider_gets_404_for_every_testby_survey_questionnaire_and_item_bank(world: World):
    client = world.client_for("outsider")
    testby = world.personas.org
    urls = []
    for survey in Survey.objects.filter(organisation=testby):
        for name in ("surveys:survey_detail", "surveys:survey_launch", "survey_rate:page"):
            urls.append(url_for(name, "testby", {"survey_id": survey.pk}))
    for questionnaire in Questionnaire.objects.filter(organisation=testby):
        urls.append(url_for("surveys:questionnaire_detail", "testby", {"questionnaire_id": questionnaire.pk}))
    for bank in ItemBank.objects.filter(organisation=testby):
        urls.append(url_for("surveys:item_bank_detail", "testby", {"bank_id": bank.pk}))
    closed = world.testby.closed_survey
    urls.append(url_for("surveys:report:start", "testby", {"survey_id": closed.pk}))
    for unit in Unit.objects.filter(organisation=testby):
        ids = {"survey_id": closed.pk, "unit_id": unit.pk, "scale_id": world.testby.scale.pk}
        urls.append(url_for("surveys:report:overview", "testby", ids))
        urls.append(url_for("surveys:report:scale", "testby", ids))
    # three surveys, the copy and the bank's questionnaire, the bank, the report's pages
    assert len(urls) == 3 * 3 + 2 + 1 + 1 + 6 * 2
    assert {client.post(url).status_code for url in urls} == {404}
    # Nor can the outsider reach them under their own organisation's address.
    own_address = [url.replace("/o/testby/", "/o/andenby/") for url in urls]
    assert {client.get(url).status_code for url in own_address} == {404}
    assert Ballot.objects.get(pk=world.testby.draft_survey.ballot_id).status == Ballot.Status.DRAFT


def test_one_ballots_code_opens_no_other_ballot(world: World):
    """The participant pages have no organisation in their address; the code decides, and Testby's
    employee's code neither enters Andenby's survey nor answers it, whoever is logged in."""
    token = world.employee_token()
    andenby_ballot = world.andenby.launched_survey.ballot
    entry = reverse("invitations:enter", kwargs={"ballot_id": andenby_ballot.pk})
    for persona in PERSONA_NAMES:
        client = world.client_for(persona)
        refused = client.post(entry, {"code": token})
        assert refused.status_code == 200, persona  # the entry form again, with an error
        assert 'id="id_code-error"' in refused.content.decode()  # "This code was not recognised"
        assert ballot_cookie_name(andenby_ballot.pk) not in refused.cookies

    # A browser carrying Testby's signed cookie under Andenby's cookie name gets the "no access" page.
    client = world.client_for("anonymous")
    testby_ballot = world.testby.launched_survey.ballot
    entered = client.post(
        reverse("invitations:enter", kwargs={"ballot_id": testby_ballot.pk}), {"code": token}
    )
    assert entered.status_code == 302
    signed = entered.cookies[ballot_cookie_name(testby_ballot.pk)].value
    client.cookies[ballot_cookie_name(andenby_ballot.pk)] = signed
    for name in ("survey_answer:start", "survey_answer:review"):
        response = client.get(reverse(name, kwargs={"ballot_id": andenby_ballot.pk}))
        assert response.status_code == 403, name
    # The code itself still leads to Testby's survey only.
    code_entry = client.post(reverse("invitations:code"), {"code": token})
    assert code_entry["Location"] == reverse("invitations:enter_page", kwargs={"ballot_id": testby_ballot.pk})


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


# The dialogue process website (/p/<org>/dialog/): public addresses outside /o/, so the walk above
# does not reach them; found the same way here.
SITE_URL_NAMES = sorted(
    found.name for found in all_url_patterns() if found.route.startswith("p/<slug:org_slug>/dialog/")
)


def site_url(
    url_name: str,
    org_slug: str,
    process_id: uuid.UUID,
    round_id: uuid.UUID,
    export_id: uuid.UUID | None = None,
) -> str:
    kwargs: dict[str, Any] = {"org_slug": org_slug, "process_id": process_id}
    if url_name != "dialogue_site:process":
        kwargs["round_id"] = round_id
    if url_name in SITE_EXPORT_URL_NAMES:  # a round's results PDF
        kwargs["export_id"] = export_id or uuid.uuid4()
    return reverse(url_name, kwargs=kwargs)


SITE_EXPORT_URL_NAMES = (
    "dialogue_site:round_pdf_status",
    "dialogue_site:round_pdf_progress",
    "dialogue_site:round_pdf_download",
)


def test_the_dialogue_site_urls_were_found():
    assert "dialogue_site:process" in SITE_URL_NAMES
    assert "dialogue_site:round" in SITE_URL_NAMES
    assert set(SITE_EXPORT_URL_NAMES) <= set(SITE_URL_NAMES)


@pytest.mark.parametrize("url_name", SITE_URL_NAMES)
def test_dialogue_site_of_another_organisation_is_404_whoever_asks(world: World, url_name: str):
    """Andenby's process is a 404 for Testby's people at its own address while it is internal, and
    under Testby's address (or Testby's under Andenby's) it answers exactly as an unknown id — even
    once both processes are public and their rounds show results. A results PDF answers only under
    its own round."""
    testby, andenby = world.participation.testby, world.participation.andenby
    testby_pdf, andenby_pdf = round_pdf_finished(testby).pk, round_pdf_finished(andenby).pk
    own_andenby = site_url(url_name, "andenby", andenby.process.pk, andenby.round.pk, andenby_pdf)
    for persona in ("org_admin", "leader", "employee"):
        assert world.client_for(persona).get(own_andenby).status_code == 404, persona
    Process.objects.filter(pk__in=[testby.process.pk, andenby.process.pk]).update(
        results=Process.Results.PUBLIC
    )
    results_shown_live(testby)
    results_shown_live(andenby)
    mixed = [
        site_url(url_name, "testby", andenby.process.pk, andenby.round.pk, andenby_pdf),
        site_url(url_name, "testby", testby.process.pk, andenby.round.pk, andenby_pdf),
        site_url(url_name, "andenby", testby.process.pk, testby.round.pk, testby_pdf),
    ]
    if url_name in SITE_EXPORT_URL_NAMES:
        mixed += [
            site_url(url_name, "testby", testby.process.pk, testby.round.pk, andenby_pdf),
            site_url(url_name, "andenby", andenby.process.pk, andenby.round.pk, testby_pdf),
        ]
    unknown = site_url(url_name, "testby", uuid.uuid4(), uuid.uuid4())
    if url_name in ("dialogue_site:process", "dialogue_site:round", *SITE_EXPORT_URL_NAMES):
        # The pages work at their own address.
        for own in (
            site_url(url_name, "testby", testby.process.pk, testby.round.pk, testby_pdf),
            site_url(url_name, "andenby", andenby.process.pk, andenby.round.pk, andenby_pdf),
        ):
            assert world.client_for("anonymous").get(own).status_code == 200, own
    for persona in PERSONA_NAMES:
        client = world.client_for(persona)
        assert client.get(unknown).status_code == 404
        for url in mixed:
            if url_name == "dialogue_site:process" and url == mixed[1]:
                continue  # the process page has no round id: that is Testby's own process
            assert client.get(url).status_code == 404, f"{persona} {url}"
    assert_andenby_unchanged(world)


REPORT_URL_NAMES = sorted(
    name
    for name in ORG_URL_NAMES
    if name.startswith("surveys:report:") and "survey_id" in OBJECT_PARAMETERS[name]
)


def report_ids(tenant: Tenant, unit: Unit) -> dict[str, uuid.UUID]:
    return {"survey_id": tenant.closed_survey.pk, "unit_id": unit.pk, "scale_id": tenant.scale.pk}


def test_report_pages_were_found():
    assert "surveys:report:heatmap" in REPORT_URL_NAMES
    assert "surveys:report:scale" in REPORT_URL_NAMES


@pytest.mark.parametrize("url_name", REPORT_URL_NAMES)
def test_andenby_report_is_404_for_testby_admin_also_mixed_with_testby_ids(world: World, url_name: str):
    """Testby's HR reads Testby's closed report; Andenby's report, or a Testby report with an
    Andenby unit or scale in the address, is a 404 like an unknown id."""
    hr = world.client_for("org_admin")
    testby_root = world.personas.units["100"]
    own = report_ids(world.testby, testby_root)
    assert hr.get(url_for(url_name, "testby", own)).status_code == 200
    foreign = report_ids(world.andenby, world.personas.other_unit)
    assert hr.get(url_for(url_name, "testby", foreign)).status_code == 404
    assert hr.get(url_for(url_name, "andenby", own)).status_code == 404
    for name, value in (("unit_id", world.personas.other_unit.pk), ("scale_id", world.andenby.scale.pk)):
        if name in OBJECT_PARAMETERS[url_name]:
            assert hr.get(url_for(url_name, "testby", {**own, name: value})).status_code == 404, name
    outsider = world.client_for("outsider")
    assert outsider.get(url_for(url_name, "testby", own)).status_code == 404
    assert outsider.get(url_for(url_name, "andenby", foreign)).status_code == 200
    assert_andenby_unchanged(world)


def test_andenby_follow_up_of_low_results_is_404_for_testby(world: World):
    """The follow-up page of a survey's low results (actions app) takes its survey from the report
    selectors: Testby's HR reads Testby's; Andenby's survey is a 404 under either address."""

    def follow_up(slug: str, survey: Survey) -> str:
        return reverse("actions:follow_up", kwargs={"org_slug": slug, "survey_id": survey.pk})

    hr = world.client_for("org_admin")
    assert hr.get(follow_up("testby", world.testby.closed_survey)).status_code == 200
    assert hr.get(follow_up("testby", world.andenby.closed_survey)).status_code == 404
    assert hr.get(follow_up("andenby", world.andenby.closed_survey)).status_code == 404
    outsider = world.client_for("outsider")
    assert outsider.get(follow_up("testby", world.testby.closed_survey)).status_code == 404
    assert outsider.get(follow_up("andenby", world.testby.closed_survey)).status_code == 404
    assert outsider.get(follow_up("andenby", world.andenby.closed_survey)).status_code == 200
    reason = reverse(
        "actions:follow_up_reason", kwargs={"org_slug": "testby", "survey_id": world.andenby.closed_survey.pk}
    )
    data = {"unit": world.personas.other_unit.pk, "scale": world.andenby.scale.pk, "reason": "x"}
    assert hr.post(reason, data).status_code == 404
    assert_andenby_unchanged(world)
