"""DESIGN §3 and §7.6: every URL × every persona, and a failure for any URL nobody listed.

Each case is one request (a URL with realistic arguments and a method) with the status every
persona must get. LOGIN means a redirect to the login page. A case id reads as
"<url name>[<what the arguments point at>] <METHOD>", so a failing parameter says who got what where.

The participant pages (/b/<ballot id>/…, /svar/) belong to no organisation and know nobody's login:
what counts there is the ballot cookie, so every persona gets the same answer, and a case may
first give the persona's browser the employee's cookie the way the invitation link does.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from puls.actions.models import FollowUpSettings
from puls.core.tests.conftest import PERSONA_NAMES, World
from puls.core.tests.url_patterns import all_url_patterns
from puls.participation.models import Process
from puls.participation.tests.world import results_shown_live, round_pdf_finished
from puls.surveys.models import ItemBank, Questionnaire

# View wiring, not database behaviour: run on PostgreSQL only (`make test-sqlite` deselects the
# marker; a plain `pytest` on SQLite still runs it). See docs/NOTES.md, "Tests and CI".
pytestmark = pytest.mark.postgres_only

LOGIN = "login"
Expected = int | str
Kwargs = Callable[[World], dict[str, Any]]
Data = dict[str, Any] | Callable[[World], dict[str, Any]]
Prepare = Callable[[World, Client], None]

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


def panel_of_testby(world: World) -> dict[str, Any]:
    return {"org_slug": ORG, "panel_id": world.panel.pk}


def import_job(world: World) -> dict[str, Any]:
    return {"org_slug": ORG, "job_id": world.import_job.pk}


def survey(which: str) -> Kwargs:
    """Testby's "draft" or "launched" (open) survey."""
    return lambda world: {"org_slug": ORG, "survey_id": getattr(world.testby, f"{which}_survey").pk}


def local_item(unit_code: str) -> Kwargs:
    """A unit's own question in Testby's draft survey: Skole A's (the leader's) or Skole B's."""

    def kwargs(world: World) -> dict[str, Any]:
        item = world.testby.local_item if unit_code == "210" else world.local_item_220
        return {"org_slug": ORG, "survey_id": world.testby.draft_survey.pk, "local_item_id": item.pk}

    return kwargs


def own_questionnaire(world: World) -> dict[str, Any]:
    return {"org_slug": ORG, "questionnaire_id": world.testby.questionnaire.pk}


def template_questionnaire(world: World) -> dict[str, Any]:
    """A questionnaire shipped with Puls: shared by every organisation, read-only."""
    template = Questionnaire.objects.get(organisation__isnull=True, kind=Questionnaire.Kind.TRIVSEL)
    return {"org_slug": ORG, "questionnaire_id": template.pk}


def own_section_item(world: World) -> dict[str, Any]:
    return {**own_questionnaire(world), "section_item_id": world.testby.section_item.pk}


def own_item_bank(world: World) -> dict[str, Any]:
    return {"org_slug": ORG, "bank_id": world.testby.item_bank.pk}


def shipped_item_bank(world: World) -> dict[str, Any]:
    return {"org_slug": ORG, "bank_id": ItemBank.objects.get(organisation__isnull=True).pk}


def report(which: str = "closed") -> Kwargs:
    """Testby's "closed" survey (report computed, released to everyone) or its "launched" (open) one."""
    return lambda world: {"org_slug": ORG, "survey_id": getattr(world.testby, f"{which}_survey").pk}


def report_unit(code: str) -> Kwargs:
    """A unit's page of Testby's closed survey's report."""

    def kwargs(world: World) -> dict[str, Any]:
        return {
            "org_slug": ORG,
            "survey_id": world.testby.closed_survey.pk,
            "unit_id": world.personas.units[code].pk,
        }

    return kwargs


def report_scale(code: str) -> Kwargs:
    def kwargs(world: World) -> dict[str, Any]:
        return {**report_unit(code)(world), "scale_id": world.testby.scale.pk}

    return kwargs


def actions_object(name: str) -> Kwargs:
    """An object of the actions app in Testby: "action_210", "action_310" or "apv_310"."""
    key = "cycle_id" if name.startswith("apv") else "action_id"
    return lambda world: {"org_slug": ORG, key: getattr(world.actions, name).pk}


def with_low_score_level(world: World, client: Client) -> None:
    """HR has set the follow-up rule's low-score level to 100: every shown score of a scale where
    high is good is low."""
    FollowUpSettings.objects.update_or_create(
        organisation=world.personas.org, defaults={"low_score_level": 100}
    )


def unit_query(code: str) -> Data:
    return lambda world: {"unit": world.personas.units[code].pk}


def ballot(which: str, **extra: Any) -> Kwargs:
    """The ballot of Testby's "draft" or "launched" survey, or an "unknown" ballot id."""

    def kwargs(world: World) -> dict[str, Any]:
        if which == "unknown":
            return {"ballot_id": uuid.UUID("00000000-0000-4000-8000-000000000000"), **extra}
        return {"ballot_id": getattr(world.testby, f"{which}_survey").ballot_id, **extra}

    return kwargs


def employee_code(world: World) -> dict[str, Any]:
    return {"code": world.employee_token()}


def with_ballot_cookie(world: World, client: Client) -> None:
    """The employee's invitation link was used in this browser: it holds the ballot cookie now."""
    ballot_id = world.testby.launched_survey.ballot_id
    entered = client.post(reverse("invitations:enter", kwargs={"ballot_id": ballot_id}), employee_code(world))
    assert entered.status_code == 302, "the employee's code should open the ballot"


def reset_link(*, valid: bool) -> Kwargs:
    """A password-reset/activation link of the employee, as e-mailed, or with a forged token."""

    def kwargs(world: World) -> dict[str, Any]:
        user = world.personas.employee
        token = default_token_generator.make_token(user) if valid else "forged-token"
        return {"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": token}

    return kwargs


def policy_obj(name: str, **extra: Any) -> Kwargs:
    """A policy object of Testby's (see puls/policy/tests/builders.py): "value" (adopted), "draft",
    "policy", "local_focus_area" (Skole A's own), "walk" (Skole A's), "answer" (a Værdivejen point),
    "round" (an open report-back round); the kwarg is named after the URL's."""
    names = {
        "value": "node_id",
        "draft": "node_id",
        "policy": "node_id",
        "local_focus_area": "node_id",
        "initiative": "node_id",
        "walk": "walk_id",
        "round": "round_id",
    }

    def kwargs(world: World) -> dict[str, Any]:
        objects = world.testby_policy
        if name == "answer":
            return {"org_slug": ORG, "walk_id": objects.walk.pk, "answer_id": objects.answer.pk, **extra}
        if name == "citation":
            return {"org_slug": ORG, "node_id": objects.value.pk, "link_id": world.testby_policy.citation_id}
        return {"org_slug": ORG, names[name]: getattr(objects, name).pk, **extra}

    return kwargs


def policy_unit(code: str, **extra: Any) -> Kwargs:
    def kwargs(world: World) -> dict[str, Any]:
        objects = world.testby_policy
        resolved = {key: getattr(objects, value).pk for key, value in extra.items()}
        return {"org_slug": ORG, "unit_id": world.personas.units[code].pk, **resolved}

    return kwargs


def policy_round_unit(code: str) -> Kwargs:
    return lambda world: {
        "org_slug": ORG,
        "round_id": world.testby_policy.round.pk,
        "unit_id": world.personas.units[code].pk,
    }


def public_policy(slug: str) -> Kwargs:
    return lambda world: {"org_slug": slug}


def under_the_policy(world: World) -> dict[str, Any]:
    return {"parent": str(world.testby_policy.policy.pk)}


def leader_unit_choice(world: World) -> dict[str, Any]:
    return {"unit": str(world.personas.units["210"].pk)}


def dialogue(*names: str, draft: bool = False) -> Kwargs:
    """Testby's dialogue objects (puls/participation/tests/world.py): the process, then the open
    round (or with draft=True the draft round), "contribution", "theme" and "link"."""

    def kwargs(world: World) -> dict[str, Any]:
        objects = world.participation.testby
        ids = objects.ids()
        if draft:
            assert objects.draft_round is not None
            ids["round_id"] = objects.draft_round.pk
        result: dict[str, Any] = {"org_slug": ORG, "process_id": objects.process.pk}
        for name in names:
            result[f"{name}_id"] = ids[f"{name}_id"]
        return result

    return kwargs


def dialogue_ballot(which: str = "open") -> Kwargs:
    """The ballot of Testby's "open" dialogue round, its "draft" round, or Testby's launched "survey"."""

    def kwargs(world: World) -> dict[str, Any]:
        objects = world.participation.testby
        if which == "survey":
            return {"ballot_id": world.testby.launched_survey.ballot_id}
        round_ = objects.draft_round if which == "draft" else objects.round
        assert round_ is not None
        return {"ballot_id": round_.ballot_id}

    return kwargs


def with_dialogue_cookie(world: World, client: Client) -> None:
    """The employee's invitation link to Testby's open dialogue round was used in this browser."""
    ballot_id = world.participation.testby.round.ballot_id
    entered = client.post(
        reverse("invitations:enter", kwargs={"ballot_id": ballot_id}),
        {"code": world.employee_dialogue_token()},
    )
    assert entered.status_code == 302, "the employee's code should open the round"


def receipt_code(world: World) -> dict[str, Any]:
    """The receipt code Testby's contributor was shown when they submitted their ideas."""
    return {"code": world.participation.testby.receipt_code}


def more_idea(world: World) -> dict[str, Any]:
    return {**receipt_code(world), "text": "Pauser uden telefon"}


def dialogue_theme_member(world: World) -> dict[str, Any]:
    contribution = str(world.participation.testby.contribution.pk)
    return {"shown": [contribution], "member": [contribution]}


def andenby_dialogue(*names: str) -> Kwargs:
    """Andenby's dialogue process (and its "round") under Testby's address."""

    def kwargs(world: World) -> dict[str, Any]:
        objects = world.participation.andenby
        result: dict[str, Any] = {"org_slug": ORG, "process_id": objects.process.pk}
        if "round" in names:
            result["round_id"] = objects.round.pk
        return result

    return kwargs


def prioritise_round(which: str) -> Kwargs:
    """Testby's prioritise rounds (puls/participation/tests/world.py): the "draft" (items being set)
    or the "open" dot vote."""

    def kwargs(world: World) -> dict[str, Any]:
        objects = world.participation.testby
        round_ = objects.prioritise_draft if which == "draft" else objects.prioritise_round
        assert round_ is not None
        return {"org_slug": ORG, "process_id": objects.process.pk, "round_id": round_.pk}

    return kwargs


def prioritise_ballot(which: str = "open") -> Kwargs:
    def kwargs(world: World) -> dict[str, Any]:
        objects = world.participation.testby
        round_ = objects.prioritise_draft if which == "draft" else objects.prioritise_round
        assert round_ is not None
        return {"ballot_id": round_.ballot_id}

    return kwargs


def with_prioritise_cookie(world: World, client: Client) -> None:
    """The employee's invitation link to Testby's open prioritise round was used in this browser."""
    objects = world.participation.testby
    assert objects.prioritise_round is not None
    entered = client.post(
        reverse("invitations:enter", kwargs={"ballot_id": objects.prioritise_round.ballot_id}),
        {"code": objects.token(world.personas.employee_person, objects.prioritise_round)},
    )
    assert entered.status_code == 302, "the employee's code should open the prioritise round"


def two_dots(world: World) -> dict[str, Any]:
    """Two dots on the first item of Testby's open dot vote."""
    round_ = world.participation.testby.prioritise_round
    assert round_ is not None
    return {f"dots-{round_.items.order_by('order').first().pk.hex}": "2"}


def assessment_ballot(world: World) -> dict[str, Any]:
    """The ballot of Testby's open assessment round."""
    round_ = world.participation.testby.assessment_round
    assert round_ is not None
    return {"ballot_id": round_.ballot_id}


def with_assessment_cookie(world: World, client: Client) -> None:
    """The employee's invitation link to Testby's open assessment round was used in this browser."""
    objects = world.participation.testby
    assert objects.assessment_round is not None
    entered = client.post(
        reverse("invitations:enter", kwargs={"ballot_id": objects.assessment_round.ballot_id}),
        {"code": objects.token(world.personas.employee_person, objects.assessment_round)},
    )
    assert entered.status_code == 302, "the employee's code should open the assessment round"


def one_score(world: World) -> dict[str, Any]:
    """A score of 4 for the first item of Testby's open assessment round, saved as a draft."""
    round_ = world.participation.testby.assessment_round
    assert round_ is not None
    return {"action": "save", f"{round_.items.order_by('order').first().pk.hex}-score": "4"}


def with_site_cookie(world: World, client: Client) -> None:
    """The employee followed the invitation link to Testby's open round in this browser: the round's
    start page gave it the process website's cookie."""
    with_dialogue_cookie(world, client)
    started = client.get(
        reverse("dialogue_answer:start", kwargs={"ballot_id": world.participation.testby.round.ballot_id})
    )
    assert started.status_code == 302, "the round's start page should let the employee in"


def with_public_process(world: World, client: Client) -> None:
    """HR made Testby's dialogue process public."""
    Process.objects.filter(pk=world.participation.testby.process.pk).update(results=Process.Results.PUBLIC)


def with_live_results(world: World, client: Client) -> None:
    """Testby's open round shows its results while open (its one ballot is enough here)."""
    results_shown_live(world.participation.testby)


def with_live_results_and_site_cookie(world: World, client: Client) -> None:
    with_live_results(world, client)
    with_site_cookie(world, client)


def with_public_live_results(world: World, client: Client) -> None:
    with_live_results(world, client)
    with_public_process(world, client)


def round_pdf(which: str = "testby") -> Kwargs:
    """A finished results PDF of Testby's open round; or Andenby's, under Testby's round address."""

    def kwargs(world: World) -> dict[str, Any]:
        testby = world.participation.testby
        export = round_pdf_finished(getattr(world.participation, which))
        return {
            "org_slug": ORG,
            "process_id": testby.process.pk,
            "round_id": testby.round.pk,
            "export_id": export.pk,
        }

    return kwargs


def site_reader(status: Expected) -> dict[str, Expected]:
    """An internal process's website: its organisation's people (all in its audience) and the
    platform admin read it; anyone else gets a 404, not a login page (it is not revealed)."""
    return {**everyone(status), "anonymous": 404, "outsider": 404}


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
    data: Data = field(default_factory=dict)
    prepare: Prepare | None = None

    @property
    def id(self) -> str:
        label = f"[{self.label}]" if self.label else ""
        return f"{self.url_name}{label} {self.method.upper()}"

    def data_for(self, world: World) -> dict[str, Any]:
        return self.data(world) if callable(self.data) else self.data


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
    # Standing employee panels (HR only)
    Case("organisations:panel_list", "", org, admin_only(200)),
    Case("organisations:panel_create", "", org, admin_only(200)),
    Case("organisations:panel_create", "empty form", org, admin_only(200), method="post"),
    Case("organisations:panel_edit", "", panel_of_testby, admin_only(200)),
    Case("organisations:panel_edit", "empty form", panel_of_testby, admin_only(200), method="post"),
    Case("organisations:import_start", "", org, admin_only(200)),
    Case("organisations:import_start", "empty form", org, admin_only(200), method="post"),
    Case("organisations:import_preview", "", import_job, admin_only(200)),
    Case("organisations:import_apply", "", import_job, admin_only(405)),
    Case("organisations:import_apply", "", import_job, admin_only(302), method="post"),
    Case("organisations:import_progress", "", import_job, admin_only(200)),
    Case("organisations:audit_log", "", org, admin_only(200)),
    # Surveys: HR manages them; leaders and MED/AMO representatives see them read-only
    Case("surveys:survey_list", "", org, org_page(admin=200, leader=200, med_rep=200, employee=403)),
    Case("surveys:survey_create", "", org, admin_only(200)),
    Case("surveys:survey_create", "empty form", org, admin_only(200), method="post"),
    Case(
        "surveys:survey_detail",
        "draft",
        survey("draft"),
        org_page(admin=200, leader=200, med_rep=200, employee=403),
    ),
    Case(
        "surveys:survey_detail",
        "launched",
        survey("launched"),
        org_page(admin=200, leader=200, med_rep=200, employee=403),
    ),
    Case("surveys:survey_edit", "draft", survey("draft"), admin_only(200)),
    Case("surveys:survey_edit", "draft, empty form", survey("draft"), admin_only(200), method="post"),
    # Launched: the form is shown locked.
    Case("surveys:survey_edit", "launched", survey("launched"), admin_only(200)),
    Case("surveys:survey_launch", "draft", survey("draft"), admin_only(200)),
    Case("surveys:survey_launch", "draft", survey("draft"), admin_only(302), method="post"),
    # Extending, closing and letters need an open survey; a draft sends HR back to its page.
    Case("surveys:survey_launch", "launched", survey("launched"), admin_only(302)),
    Case("surveys:survey_extend", "launched", survey("launched"), admin_only(200)),
    Case("surveys:survey_extend", "launched, empty form", survey("launched"), admin_only(200), method="post"),
    Case("surveys:survey_extend", "draft", survey("draft"), admin_only(302)),
    Case("surveys:survey_close", "launched", survey("launched"), admin_only(200)),
    Case("surveys:survey_close", "launched", survey("launched"), admin_only(302), method="post"),
    Case("surveys:survey_close", "draft", survey("draft"), admin_only(302)),
    Case("surveys:survey_letters", "launched", survey("launched"), admin_only(200)),
    # The PDF of the letters.
    Case("surveys:survey_letters", "launched", survey("launched"), admin_only(200), method="post"),
    Case("surveys:survey_letters", "draft", survey("draft"), admin_only(302)),
    # A unit's own questions: HR for every unit, leaders for their own subtree.
    Case(
        "surveys:local_items",
        "draft",
        survey("draft"),
        org_page(admin=200, leader=200, med_rep=403, employee=403),
    ),
    Case(
        "surveys:local_items",
        "draft, empty form",
        survey("draft"),
        org_page(admin=200, leader=200, med_rep=403, employee=403),
        method="post",
    ),
    Case(
        "surveys:local_items",
        "launched",
        survey("launched"),
        org_page(admin=200, leader=200, med_rep=403, employee=403),
    ),
    Case(
        "surveys:local_item_remove",
        "Skole A's question",
        local_item("210"),
        org_page(admin=405, leader=405, med_rep=403, employee=403),
    ),
    Case(
        "surveys:local_item_remove",
        "Skole A's question",
        local_item("210"),
        org_page(admin=302, leader=302, med_rep=403, employee=403),
        method="post",
    ),
    Case(
        "surveys:local_item_remove",
        "Skole B's question, outside the leader's unit",
        local_item("220"),
        org_page(admin=302, leader=404, med_rep=403, employee=403),
        method="post",
    ),
    Case("surveys:questionnaire_list", "", org, admin_only(200)),
    Case("surveys:questionnaire_detail", "own copy", own_questionnaire, admin_only(200)),
    Case("surveys:questionnaire_detail", "template", template_questionnaire, admin_only(200)),
    Case("surveys:questionnaire_copy", "template", template_questionnaire, admin_only(405)),
    Case("surveys:questionnaire_copy", "template", template_questionnaire, admin_only(302), method="post"),
    Case("surveys:questionnaire_item_add", "own copy", own_questionnaire, admin_only(200)),
    Case(
        "surveys:questionnaire_item_add",
        "own copy, empty form",
        own_questionnaire,
        admin_only(200),
        method="post",
    ),
    # Templates are never edited: HR is sent back to make a copy.
    Case("surveys:questionnaire_item_add", "template", template_questionnaire, admin_only(302)),
    Case("surveys:questionnaire_item_remove", "own copy's item", own_section_item, admin_only(405)),
    Case(
        "surveys:questionnaire_item_remove",
        "own copy's item",
        own_section_item,
        admin_only(302),
        method="post",
    ),
    Case("surveys:item_bank_list", "", org, admin_only(200)),
    Case("surveys:item_bank_upload", "", org, admin_only(200)),
    Case("surveys:item_bank_upload", "empty form", org, admin_only(200), method="post"),
    Case("surveys:item_bank_detail", "own bank", own_item_bank, admin_only(200)),
    Case("surveys:item_bank_detail", "shipped bank", shipped_item_bank, admin_only(200)),
    # Live response rate: HR, and leaders and MED/AMO representatives for their units
    Case(
        "survey_rate:page",
        "launched",
        survey("launched"),
        org_page(admin=200, leader=200, med_rep=200, employee=403),
    ),
    Case(
        "survey_rate:page",
        "draft",
        survey("draft"),
        org_page(admin=200, leader=200, med_rep=200, employee=403),
    ),
    Case(
        "survey_rate:fragment",
        "launched",
        survey("launched"),
        org_page(admin=200, leader=200, med_rep=200, employee=403),
    ),
    # Participant entry: public, no organisation in the address; a draft ballot does not exist yet
    Case("invitations:enter_page", "launched", ballot("launched"), everyone(200)),
    Case("invitations:enter_page", "draft", ballot("draft"), everyone(404)),
    Case("invitations:enter_page", "unknown ballot", ballot("unknown"), everyone(404)),
    Case("invitations:enter", "launched", ballot("launched"), everyone(405)),
    Case("invitations:enter", "launched, empty form", ballot("launched"), everyone(200), method="post"),
    Case(
        "invitations:enter",
        "launched, the employee's code",
        ballot("launched"),
        everyone(302),
        method="post",
        data=employee_code,
    ),
    Case("invitations:enter", "draft", ballot("draft"), everyone(404), method="post"),
    Case("invitations:code", "", no_kwargs, everyone(200)),
    Case("invitations:code", "empty form", no_kwargs, everyone(200), method="post"),
    Case(
        "invitations:code", "the employee's code", no_kwargs, everyone(302), method="post", data=employee_code
    ),
    # Answering: only with the ballot cookie, whoever is logged in; else the "no access" page (403)
    Case("survey_answer:start", "launched, no cookie", ballot("launched"), everyone(403)),
    Case(
        "survey_answer:start",
        "launched, ballot cookie",
        ballot("launched"),
        everyone(302),
        prepare=with_ballot_cookie,
    ),
    Case("survey_answer:start", "draft", ballot("draft"), everyone(404)),
    Case("survey_answer:start", "unknown ballot", ballot("unknown"), everyone(404)),
    Case("survey_answer:section", "launched, no cookie", ballot("launched", number=1), everyone(403)),
    Case(
        "survey_answer:section",
        "launched, no cookie",
        ballot("launched", number=1),
        everyone(403),
        method="post",
    ),
    Case(
        "survey_answer:section",
        "launched, ballot cookie",
        ballot("launched", number=1),
        everyone(200),
        prepare=with_ballot_cookie,
    ),
    # Every question may be skipped: "Next" on an unanswered section saves it and moves on.
    Case(
        "survey_answer:section",
        "launched, ballot cookie",
        ballot("launched", number=1),
        everyone(302),
        method="post",
        data={"action": "next"},
        prepare=with_ballot_cookie,
    ),
    Case(
        "survey_answer:section",
        "launched, ballot cookie, no such section",
        ballot("launched", number=99),
        everyone(404),
        prepare=with_ballot_cookie,
    ),
    Case("survey_answer:section", "draft", ballot("draft", number=1), everyone(404)),
    Case("survey_answer:review", "launched, no cookie", ballot("launched"), everyone(403)),
    Case("survey_answer:review", "launched, no cookie", ballot("launched"), everyone(403), method="post"),
    Case(
        "survey_answer:review",
        "launched, ballot cookie",
        ballot("launched"),
        everyone(200),
        prepare=with_ballot_cookie,
    ),
    # The submit.
    Case(
        "survey_answer:review",
        "launched, ballot cookie",
        ballot("launched"),
        everyone(302),
        method="post",
        prepare=with_ballot_cookie,
    ),
    Case("survey_answer:review", "draft", ballot("draft"), everyone(404)),
    Case("survey_answer:saved", "launched, no cookie", ballot("launched"), everyone(403)),
    Case(
        "survey_answer:saved",
        "launched, ballot cookie",
        ballot("launched"),
        everyone(200),
        prepare=with_ballot_cookie,
    ),
    Case("survey_answer:saved", "draft", ballot("draft"), everyone(404)),
    # The thank-you page says nothing about anybody's answers.
    Case("survey_answer:done", "launched", ballot("launched"), everyone(200)),
    Case("survey_answer:done", "draft", ballot("draft"), everyone(404)),
    # --- Survey report pages ---
    # Released to everyone: HR sees every unit; the leader of 210 and the MED rep of 300 their
    # subtrees; every employee (the leader and the MED rep are employees too) their own unit and the
    # organisation (100). An open survey has no report: 404 for everyone.
    Case("surveys:report:list", "", org, org_page(admin=200, leader=200, med_rep=200, employee=200)),
    Case(
        "surveys:report:start", "closed", report(), org_page(admin=200, leader=200, med_rep=200, employee=200)
    ),
    Case(
        "surveys:report:start",
        "open",
        report("launched"),
        org_page(admin=404, leader=404, med_rep=404, employee=404),
    ),
    Case(
        "surveys:report:guide", "closed", report(), org_page(admin=200, leader=200, med_rep=200, employee=200)
    ),
    Case(
        "surveys:report:guide",
        "open",
        report("launched"),
        org_page(admin=404, leader=404, med_rep=404, employee=404),
    ),
    Case(
        "surveys:report:overview",
        "100 the organisation",
        report_unit("100"),
        org_page(admin=200, leader=200, med_rep=200, employee=200),
    ),
    Case(
        "surveys:report:overview",
        "210 leader's unit",
        report_unit("210"),
        org_page(admin=200, leader=200, med_rep=404, employee=404),
    ),
    Case(
        "surveys:report:overview",
        "220 employee's unit, sibling of the leader's",
        report_unit("220"),
        org_page(admin=200, leader=404, med_rep=404, employee=200),
    ),
    Case(
        "surveys:report:overview",
        "310 inside MED rep's 300",
        report_unit("310"),
        org_page(admin=200, leader=404, med_rep=200, employee=404),
    ),
    Case(
        "surveys:report:heatmap",
        "100 the organisation",
        report_unit("100"),
        org_page(admin=200, leader=200, med_rep=200, employee=200),
    ),
    Case(
        "surveys:report:heatmap",
        "200 parent of leader's unit",
        report_unit("200"),
        org_page(admin=200, leader=404, med_rep=404, employee=404),
    ),
    Case(
        "surveys:report:heatmap",
        "300 MED rep's unit",
        report_unit("300"),
        org_page(admin=200, leader=404, med_rep=200, employee=404),
    ),
    Case(
        "surveys:report:scale",
        "210 leader's unit",
        report_scale("210"),
        org_page(admin=200, leader=200, med_rep=404, employee=404),
    ),
    Case(
        "surveys:report:scale",
        "220 employee's unit",
        report_scale("220"),
        org_page(admin=200, leader=404, med_rep=404, employee=200),
    ),
    Case(
        "surveys:report:comments",
        "210 leader's unit",
        report_unit("210"),
        org_page(admin=200, leader=200, med_rep=404, employee=404),
    ),
    Case(
        "surveys:report:comments",
        "100 the organisation",
        report_unit("100"),
        org_page(admin=200, leader=200, med_rep=200, employee=200),
    ),
    Case(
        "surveys:report:drivers",
        "310 inside MED rep's 300",
        report_unit("310"),
        org_page(admin=200, leader=404, med_rep=200, employee=404),
    ),
    Case(
        "surveys:report:drivers",
        "220 employee's unit",
        report_unit("220"),
        org_page(admin=200, leader=404, med_rep=404, employee=200),
    ),
    # Phased release and the benchmark opt-in: HR only.
    Case("surveys:report:release", "closed", report(), admin_only(200)),
    Case("surveys:report:release", "closed, empty form", report(), admin_only(302), method="post"),
    Case("surveys:report:benchmark", "", org, admin_only(200)),
    Case("surveys:report:benchmark", "opt in", org, admin_only(302), method="post", data={"opt_in": "on"}),
    # --- Survey report exports ---
    # Whoever may see a unit of the report may ask for its PDF/XLSX (POST only); no unit given means
    # the viewer's top unit. The file and its progress belong to the requester alone: an export the
    # leader asked for is 404 for everyone else, HR included. (No file is built here: the task is
    # queued on commit, which these requests never reach.)
    Case("survey_report_export:request", "closed", report(), everyone(405)),
    Case(
        "survey_report_export:request",
        "closed, XLSX of the viewer's top unit",
        report(),
        org_page(admin=302, leader=302, med_rep=302, employee=302),
        method="post",
        data={"format": "xlsx"},
    ),
    Case(
        "survey_report_export:request",
        "closed, PDF of 220, sibling of the leader's unit",
        report(),
        org_page(admin=302, leader=404, med_rep=404, employee=302),
        method="post",
        data=lambda world: {"format": "pdf", "unit": world.personas.units["220"].pk},
    ),
    Case(
        "survey_report_export:request",
        "closed, XLSX of 310 inside MED rep's 300",
        report(),
        org_page(admin=302, leader=404, med_rep=302, employee=404),
        method="post",
        data=lambda world: {"format": "xlsx", "unit": world.personas.units["310"].pk},
    ),
    Case(
        "survey_report_export:request",
        "open survey",
        report("launched"),
        org_page(admin=404, leader=404, med_rep=404, employee=404),
        method="post",
        data={"format": "xlsx"},
    ),
    *(
        Case(
            f"survey_report_export:{name}",
            "the leader's finished export of 210",
            lambda world: {
                "org_slug": ORG,
                "survey_id": world.testby.closed_survey.pk,
                "export_id": world.testby.closed_survey.report.exports.create(
                    unit=world.personas.units["210"],
                    format="xlsx",
                    requested_by=world.personas.leader,
                    status="done",
                    progress=100,
                    content=b"PK",
                    file_name="trivsel-2025-skole-a.xlsx",
                ).pk,
            },
            org_page(admin=404, leader=200, med_rep=404, employee=404),
        )
        for name in ("status", "progress", "download")
    ),
    # --- Action plans and APV (actions): HR everywhere, leaders and MED/AMO in their units;
    # an action's owner sees it and writes follow-ups even outside their units ---
    Case("actions:action_list", "", org, org_page(admin=200, leader=200, med_rep=200, employee=200)),
    Case("actions:action_create", "", org, org_page(admin=200, leader=200, med_rep=200, employee=403)),
    Case(
        "actions:action_create",
        "210 leader's unit",
        org,
        org_page(admin=200, leader=200, med_rep=404, employee=403),
        data=unit_query("210"),
    ),
    Case(
        "actions:action_create",
        "220 outside leader's and MED rep's units",
        org,
        org_page(admin=200, leader=404, med_rep=404, employee=403),
        data=unit_query("220"),
    ),
    Case(
        "actions:action_create",
        "310, empty form",
        org,
        org_page(admin=200, leader=404, med_rep=200, employee=403),
        method="post",
        data=unit_query("310"),
    ),
    Case("actions:action_dashboard", "", org, org_page(admin=200, leader=200, med_rep=200, employee=403)),
    Case("actions:export_xlsx", "", org, org_page(admin=200, leader=200, med_rep=200, employee=403)),
    Case("actions:export_pdf", "", org, org_page(admin=200, leader=200, med_rep=200, employee=403)),
    Case(
        "actions:action_detail",
        "210 leader's unit",
        actions_object("action_210"),
        org_page(admin=200, leader=200, med_rep=404, employee=404),
    ),
    Case(
        "actions:action_detail",
        "310 owned by the employee",
        actions_object("action_310"),
        org_page(admin=200, leader=404, med_rep=200, employee=200),
    ),
    # A follow-up; the empty form is shown again with its error.
    Case(
        "actions:action_detail",
        "310 owned by the employee, empty form",
        actions_object("action_310"),
        org_page(admin=200, leader=404, med_rep=200, employee=200),
        method="post",
    ),
    Case(
        "actions:action_edit",
        "210 leader's unit",
        actions_object("action_210"),
        org_page(admin=200, leader=200, med_rep=404, employee=403),
    ),
    Case(
        "actions:action_edit",
        "310 owned by the employee",
        actions_object("action_310"),
        org_page(admin=200, leader=404, med_rep=200, employee=403),
    ),
    Case(
        "actions:action_edit",
        "310, empty form",
        actions_object("action_310"),
        org_page(admin=200, leader=404, med_rep=200, employee=403),
        method="post",
    ),
    Case("actions:apv_overview", "", org, org_page(admin=200, leader=200, med_rep=200, employee=403)),
    Case("actions:apv_start", "", org, org_page(admin=200, leader=200, med_rep=200, employee=403)),
    Case(
        "actions:apv_start",
        "empty form",
        org,
        org_page(admin=200, leader=200, med_rep=200, employee=403),
        method="post",
    ),
    Case("actions:discussion_record", "", org, org_page(admin=200, leader=200, med_rep=200, employee=403)),
    Case(
        "actions:discussion_record",
        "empty form",
        org,
        org_page(admin=200, leader=200, med_rep=200, employee=403),
        method="post",
    ),
    Case(
        "actions:apv_detail",
        "310 in MED rep's 300",
        actions_object("apv_310"),
        org_page(admin=200, leader=404, med_rep=200, employee=403),
    ),
    Case(
        "actions:apv_detail",
        "310, empty form",
        actions_object("apv_310"),
        org_page(admin=200, leader=404, med_rep=200, employee=403),
        method="post",
    ),
    Case(
        "actions:apv_finding_add",
        "310",
        actions_object("apv_310"),
        org_page(admin=405, leader=405, med_rep=405, employee=403),
    ),
    Case(
        "actions:apv_finding_add",
        "310, empty form",
        actions_object("apv_310"),
        org_page(admin=200, leader=404, med_rep=200, employee=403),
        method="post",
    ),
    Case(
        "actions:apv_advance",
        "310",
        actions_object("apv_310"),
        org_page(admin=405, leader=405, med_rep=405, employee=403),
    ),
    # Nothing mapped yet: back to the APV with what is missing.
    Case(
        "actions:apv_advance",
        "310",
        actions_object("apv_310"),
        org_page(admin=302, leader=404, med_rep=302, employee=403),
        method="post",
    ),
    # --- Follow-up of a survey's notably low results: the units each persona plans for; the
    # report must be computed and released to them (an open survey has no report: 404) ---
    Case(
        "actions:follow_up",
        "closed survey",
        report("closed"),
        org_page(admin=200, leader=200, med_rep=200, employee=403),
    ),
    Case(
        "actions:follow_up",
        "open survey",
        report("launched"),
        org_page(admin=404, leader=404, med_rep=404, employee=403),
    ),
    Case(
        "actions:follow_up_reason",
        "closed survey",
        report("closed"),
        org_page(admin=405, leader=405, med_rep=405, employee=403),
    ),
    # HR's level of 100 makes the organisation's score low; an empty reason is shown again with its
    # error. The organisation's result is outside the leader's and the MED rep's units.
    Case(
        "actions:follow_up_reason",
        "the organisation's low score, empty reason",
        report("closed"),
        org_page(admin=200, leader=404, med_rep=404, employee=403),
        method="post",
        data=lambda world: {"unit": world.personas.units["100"].pk, "scale": world.testby.scale.pk},
        prepare=with_low_score_level,
    ),
    Case("actions:follow_up_level", "closed survey", report("closed"), admin_only(405)),
    # An empty level clears it.
    Case("actions:follow_up_level", "closed survey", report("closed"), admin_only(302), method="post"),
    # --- Staff policy: the central tree (HR writes; leaders, MED/AMO and facilitators read drafts) ---
    # Employees are sent on to the adopted policy.
    Case("policy:tree", "", org, org_page(admin=200, leader=200, med_rep=200, employee=302)),
    Case("policy:node_create", "", org, admin_only(200)),
    Case("policy:node_create", "empty form", org, admin_only(200), method="post"),
    Case("policy:tree_xlsx", "", org, org_page(admin=200, leader=200, med_rep=200, employee=403)),
    Case(
        "policy:node_detail",
        "adopted value",
        policy_obj("value"),
        org_page(admin=200, leader=200, med_rep=200, employee=200),
    ),
    Case(
        "policy:node_detail",
        "draft",
        policy_obj("draft"),
        org_page(admin=200, leader=200, med_rep=200, employee=404),
    ),
    Case(
        "policy:node_detail",
        "Skole A's own focus area",
        policy_obj("local_focus_area"),
        org_page(admin=200, leader=200, med_rep=404, employee=404),
    ),
    Case(
        "policy:node_edit",
        "draft",
        policy_obj("draft"),
        org_page(admin=200, leader=403, med_rep=403, employee=403),
    ),
    Case(
        "policy:node_edit",
        "draft, empty form",
        policy_obj("draft"),
        org_page(admin=200, leader=403, med_rep=403, employee=403),
        method="post",
    ),
    # A unit's own node is its leader's to edit.
    Case(
        "policy:node_edit",
        "Skole A's own focus area",
        policy_obj("local_focus_area"),
        org_page(admin=200, leader=200, med_rep=404, employee=403),
    ),
    Case("policy:node_status", "draft", policy_obj("draft"), admin_only(200)),
    Case("policy:node_status", "draft, empty form", policy_obj("draft"), admin_only(200), method="post"),
    Case(
        "policy:node_delete",
        "draft",
        policy_obj("draft"),
        org_page(admin=200, leader=403, med_rep=403, employee=403),
    ),
    Case(
        "policy:node_delete",
        "draft",
        policy_obj("draft"),
        org_page(admin=302, leader=403, med_rep=403, employee=403),
        method="post",
    ),
    Case(
        "policy:node_move",
        "value",
        policy_obj("value"),
        org_page(admin=405, leader=405, med_rep=405, employee=403),
    ),
    Case(
        "policy:node_move",
        "value",
        policy_obj("value"),
        org_page(admin=302, leader=403, med_rep=403, employee=403),
        method="post",
    ),
    Case(
        "policy:node_diff",
        "adopted policy",
        policy_obj("policy"),
        org_page(admin=200, leader=200, med_rep=200, employee=403),
    ),
    Case("policy:citation_add", "value", policy_obj("value"), admin_only(200)),
    Case("policy:citation_add", "value, empty form", policy_obj("value"), admin_only(200), method="post"),
    Case("policy:citation_remove", "value's survey result", policy_obj("citation"), admin_only(405)),
    Case(
        "policy:citation_remove",
        "value's survey result",
        policy_obj("citation"),
        admin_only(302),
        method="post",
    ),
    # An adopted initiative becomes an action of a unit the user plans for.
    Case(
        "policy:node_action",
        "initiative",
        policy_obj("initiative"),
        org_page(admin=405, leader=405, med_rep=405, employee=405),
    ),
    Case(
        "policy:node_action",
        "initiative, for Skole A",
        policy_obj("initiative"),
        org_page(admin=302, leader=302, med_rep=404, employee=404),
        method="post",
        data=leader_unit_choice,
    ),
    # The adopted policy: everyone in the organisation; publicly only when HR publishes it.
    Case("policy:publication", "", org, org_page(admin=200, leader=200, med_rep=200, employee=200)),
    Case("policy:publication_settings", "", org, admin_only(200)),
    Case("policy:publication_settings", "empty form", org, admin_only(302), method="post"),
    Case("policy:handbook_pdf", "", org, org_page(admin=200, leader=200, med_rep=200, employee=200)),
    Case("policy_public:page", "Testby publishes", public_policy("testby"), everyone(200)),
    Case("policy_public:page", "Andenby does not", public_policy("andenby"), everyone(404)),
    Case("policy_public:handbook", "Andenby does not publish", public_policy("andenby"), everyone(404)),
    # --- Local interpretation: Skole A (210) is the leader's; the employee works in Skole B (220) ---
    Case("policy:unit_list", "", org, org_page(admin=200, leader=200, med_rep=200, employee=200)),
    Case(
        "policy:unit_detail",
        "210 leader's unit",
        policy_unit("210"),
        org_page(admin=200, leader=200, med_rep=404, employee=404),
    ),
    Case(
        "policy:unit_detail",
        "220 employee's unit",
        policy_unit("220"),
        org_page(admin=200, leader=404, med_rep=404, employee=200),
    ),
    Case(
        "policy:unit_adopt",
        "210",
        policy_unit("210"),
        org_page(admin=405, leader=405, med_rep=405, employee=405),
    ),
    Case(
        "policy:unit_adopt",
        "210",
        policy_unit("210"),
        org_page(admin=302, leader=302, med_rep=404, employee=404),
        method="post",
    ),
    # Employees read their own unit's interpretation, never write it.
    Case(
        "policy:unit_adopt",
        "220",
        policy_unit("220"),
        org_page(admin=302, leader=404, med_rep=404, employee=403),
        method="post",
    ),
    Case(
        "policy:local_node_create",
        "210, under the central policy",
        policy_unit("210"),
        org_page(admin=200, leader=200, med_rep=404, employee=404),
        data=under_the_policy,
    ),
    Case(
        "policy:local_node_create",
        "210, under the central policy, empty form",
        policy_unit("210"),
        org_page(admin=200, leader=200, med_rep=404, employee=404),
        method="post",
        data=under_the_policy,
    ),
    Case(
        "policy:local_reading_edit",
        "210, the value",
        policy_unit("210", node_id="value"),
        org_page(admin=200, leader=200, med_rep=404, employee=404),
    ),
    Case(
        "policy:local_reading_edit",
        "210, the value, empty form",
        policy_unit("210", node_id="value"),
        org_page(admin=200, leader=200, med_rep=404, employee=404),
        method="post",
    ),
    # --- Værdivejen of Skole A ---
    Case(
        "policy:walk_create",
        "210",
        policy_unit("210"),
        org_page(admin=200, leader=200, med_rep=404, employee=404),
    ),
    Case(
        "policy:walk_create",
        "210, empty form",
        policy_unit("210"),
        org_page(admin=200, leader=200, med_rep=404, employee=404),
        method="post",
    ),
    Case(
        "policy:walk_detail",
        "",
        policy_obj("walk"),
        org_page(admin=200, leader=200, med_rep=404, employee=404),
    ),
    Case(
        "policy:walk_stop",
        "stop 1",
        policy_obj("walk"),
        org_page(admin=200, leader=200, med_rep=404, employee=404),
    ),
    Case(
        "policy:walk_stop",
        "stop 1, empty form",
        policy_obj("walk"),
        org_page(admin=200, leader=200, med_rep=404, employee=404),
        method="post",
    ),
    Case(
        "policy:walk_stop",
        "no such stop",
        policy_obj("walk"),
        org_page(admin=404, leader=404, med_rep=404, employee=404),
        data={"step": "99"},
    ),
    Case(
        "policy:walk_complete",
        "",
        policy_obj("walk"),
        org_page(admin=405, leader=405, med_rep=405, employee=405),
    ),
    Case(
        "policy:walk_complete",
        "",
        policy_obj("walk"),
        org_page(admin=302, leader=302, med_rep=404, employee=404),
        method="post",
    ),
    Case(
        "policy:walk_poster",
        "",
        policy_obj("walk"),
        org_page(admin=200, leader=200, med_rep=404, employee=404),
    ),
    Case(
        "policy:walk_answer_delete",
        "",
        policy_obj("answer"),
        org_page(admin=405, leader=405, med_rep=405, employee=405),
    ),
    Case(
        "policy:walk_answer_delete",
        "",
        policy_obj("answer"),
        org_page(admin=302, leader=302, med_rep=404, employee=404),
        method="post",
    ),
    Case(
        "policy:walk_answer_action",
        "",
        policy_obj("answer"),
        org_page(admin=405, leader=405, med_rep=405, employee=405),
    ),
    Case(
        "policy:walk_answer_action",
        "",
        policy_obj("answer"),
        org_page(admin=302, leader=302, med_rep=404, employee=404),
        method="post",
    ),
    # --- Report-back: HR runs the rounds; leaders answer for their units; MED/AMO reads ---
    Case("policy:round_list", "", org, org_page(admin=200, leader=200, med_rep=200, employee=403)),
    Case("policy:round_create", "", org, admin_only(200)),
    Case("policy:round_create", "empty form", org, admin_only(200), method="post"),
    Case(
        "policy:round_detail",
        "open",
        policy_obj("round"),
        org_page(admin=200, leader=200, med_rep=200, employee=403),
    ),
    Case("policy:round_edit", "open", policy_obj("round"), admin_only(200)),
    Case("policy:round_edit", "open, empty form", policy_obj("round"), admin_only(200), method="post"),
    Case("policy:round_open", "open", policy_obj("round"), admin_only(405)),
    # Already open: HR is told so on the round's page.
    Case("policy:round_open", "open", policy_obj("round"), admin_only(302), method="post"),
    Case("policy:round_close", "open", policy_obj("round"), admin_only(405)),
    Case("policy:round_close", "open", policy_obj("round"), admin_only(302), method="post"),
    Case("policy:round_remind", "open", policy_obj("round"), admin_only(405)),
    Case("policy:round_remind", "open", policy_obj("round"), admin_only(302), method="post"),
    Case("policy:round_pdf", "open", policy_obj("round"), admin_only(200)),
    Case("policy:round_xlsx", "open", policy_obj("round"), admin_only(200)),
    Case(
        "policy:round_answer",
        "Skole A's answer",
        policy_round_unit("210"),
        org_page(admin=200, leader=200, med_rep=404, employee=403),
    ),
    Case(
        "policy:round_answer",
        "Skole A's answer, empty form",
        policy_round_unit("210"),
        org_page(admin=200, leader=200, med_rep=404, employee=403),
        method="post",
    ),
    # --- Dialogue processes (puls/participation): the organisation admin facilitates ---
    Case("participation:process_list", "", org, admin_only(200)),
    Case("participation:process_create", "", org, admin_only(200)),
    Case("participation:process_create", "empty form", org, admin_only(200), method="post"),
    Case("participation:process_detail", "", dialogue(), admin_only(200)),
    Case("participation:process_edit", "", dialogue(), admin_only(200)),
    Case("participation:process_edit", "empty form", dialogue(), admin_only(200), method="post"),
    Case("participation:round_create", "", dialogue(), admin_only(200)),
    Case("participation:round_create", "empty form", dialogue(), admin_only(200), method="post"),
    Case("participation:round_detail", "open", dialogue("round"), admin_only(200)),
    Case("participation:round_detail", "draft", dialogue("round", draft=True), admin_only(200)),
    # Launched: the form is shown locked.
    Case("participation:round_edit", "open", dialogue("round"), admin_only(200)),
    Case("participation:round_edit", "draft", dialogue("round", draft=True), admin_only(200)),
    Case(
        "participation:round_edit",
        "draft, empty form",
        dialogue("round", draft=True),
        admin_only(200),
        method="post",
    ),
    Case("participation:round_launch", "draft", dialogue("round", draft=True), admin_only(405)),
    Case(
        "participation:round_launch", "draft", dialogue("round", draft=True), admin_only(302), method="post"
    ),
    Case("participation:round_close", "open", dialogue("round"), admin_only(405)),
    Case("participation:round_close", "open", dialogue("round"), admin_only(302), method="post"),
    Case("participation:contribution_hide", "", dialogue("round", "contribution"), admin_only(405)),
    Case(
        "participation:contribution_hide",
        "",
        dialogue("round", "contribution"),
        admin_only(302),
        method="post",
        data={"reason": "Nævner en kollega"},
    ),
    Case("participation:contribution_unhide", "", dialogue("round", "contribution"), admin_only(405)),
    Case(
        "participation:contribution_unhide",
        "",
        dialogue("round", "contribution"),
        admin_only(302),
        method="post",
    ),
    Case("participation:contribution_merge", "", dialogue("round", "contribution"), admin_only(200)),
    Case(
        "participation:contribution_merge",
        "empty form",
        dialogue("round", "contribution"),
        admin_only(200),
        method="post",
    ),
    Case("participation:theme_create", "", dialogue(), admin_only(405)),
    Case(
        "participation:theme_create",
        "",
        dialogue(),
        admin_only(302),
        method="post",
        data={"theme-title": "Ro"},
    ),
    Case("participation:theme_detail", "", dialogue("theme"), admin_only(200)),
    # The members' checkboxes.
    Case(
        "participation:theme_detail",
        "",
        dialogue("theme"),
        admin_only(302),
        method="post",
        data=dialogue_theme_member,
    ),
    Case("participation:theme_edit", "", dialogue("theme"), admin_only(405)),
    Case(
        "participation:theme_edit",
        "",
        dialogue("theme"),
        admin_only(302),
        method="post",
        data={"theme-title": "Pauser og ro"},
    ),
    Case("participation:theme_delete", "", dialogue("theme"), admin_only(405)),
    Case("participation:theme_delete", "", dialogue("theme"), admin_only(302), method="post"),
    Case("participation:outcome_create", "", dialogue(), admin_only(405)),
    Case(
        "participation:outcome_create",
        "",
        dialogue(),
        admin_only(302),
        method="post",
        data={"outcome-kind": "draft_text", "outcome-title": "Tekst om pauser"},
    ),
    Case("participation:outcome_link", "", dialogue("theme"), admin_only(405)),
    # An empty form: HR is told what is missing on the theme's page.
    Case("participation:outcome_link", "empty form", dialogue("theme"), admin_only(302), method="post"),
    Case("participation:outcome_unlink", "", dialogue("theme", "link"), admin_only(405)),
    Case("participation:outcome_unlink", "", dialogue("theme", "link"), admin_only(302), method="post"),
    # "Tell all invitees now": the same announcement the quiet-period job sends, at once.
    Case("participation:outcomes_announce", "", dialogue(), admin_only(405)),
    Case("participation:outcomes_announce", "", dialogue(), admin_only(302), method="post"),
    # A prioritise round's items and method, before launch (read-only after); other kinds have none.
    Case("participation:round_items", "prioritise, draft", prioritise_round("draft"), admin_only(200)),
    Case("participation:round_items", "prioritise, open", prioritise_round("open"), admin_only(200)),
    Case("participation:round_items", "an ideas round", dialogue("round"), admin_only(404)),
    Case(
        "participation:round_items",
        "prioritise, draft, add from a list",
        prioritise_round("draft"),
        admin_only(302),
        method="post",
        data={"action": "list", "list-items": "Faglighed"},
    ),
    Case(
        "participation:round_items",
        "prioritise, draft, empty form",
        prioritise_round("draft"),
        admin_only(200),
        method="post",
    ),
    # Taking part: only with the round's ballot cookie, whoever is logged in.
    Case("dialogue_answer:start", "open, no cookie", dialogue_ballot(), everyone(403)),
    Case(
        "dialogue_answer:start",
        "open, ballot cookie",
        dialogue_ballot(),
        everyone(302),
        prepare=with_dialogue_cookie,
    ),
    Case("dialogue_answer:start", "draft", dialogue_ballot("draft"), everyone(404)),
    Case("dialogue_answer:start", "a survey's ballot", dialogue_ballot("survey"), everyone(404)),
    Case("dialogue_answer:start", "unknown ballot", ballot("unknown"), everyone(404)),
    Case("dialogue_answer:ideas", "open, no cookie", dialogue_ballot(), everyone(403)),
    Case(
        "dialogue_answer:ideas",
        "open, no cookie",
        dialogue_ballot(),
        everyone(403),
        method="post",
        data={"action": "add", "text": "Faste mødetider"},
    ),
    Case(
        "dialogue_answer:ideas",
        "open, ballot cookie",
        dialogue_ballot(),
        everyone(200),
        prepare=with_dialogue_cookie,
    ),
    Case(
        "dialogue_answer:ideas",
        "open, ballot cookie",
        dialogue_ballot(),
        everyone(302),
        method="post",
        data={"action": "add", "text": "Faste mødetider"},
        prepare=with_dialogue_cookie,
    ),
    Case("dialogue_answer:ideas", "a survey's ballot", dialogue_ballot("survey"), everyone(404)),
    Case("dialogue_answer:review", "open, no cookie", dialogue_ballot(), everyone(403)),
    Case("dialogue_answer:review", "open, no cookie", dialogue_ballot(), everyone(403), method="post"),
    Case(
        "dialogue_answer:review",
        "open, ballot cookie",
        dialogue_ballot(),
        everyone(200),
        prepare=with_dialogue_cookie,
    ),
    # Without a receipt code nothing is submitted: the review page again.
    Case(
        "dialogue_answer:review",
        "open, ballot cookie",
        dialogue_ballot(),
        everyone(200),
        method="post",
        prepare=with_dialogue_cookie,
    ),
    Case("dialogue_answer:review", "draft", dialogue_ballot("draft"), everyone(404)),
    # Prioritising (here a dot vote): only with the round's ballot cookie.
    Case("dialogue_answer:prioritise", "open, no cookie", prioritise_ballot(), everyone(403)),
    Case(
        "dialogue_answer:prioritise",
        "open, no cookie",
        prioritise_ballot(),
        everyone(403),
        method="post",
        data=two_dots,
    ),
    Case(
        "dialogue_answer:prioritise",
        "open, ballot cookie",
        prioritise_ballot(),
        everyone(200),
        prepare=with_prioritise_cookie,
    ),
    Case(
        "dialogue_answer:prioritise",
        "open, ballot cookie",
        prioritise_ballot(),
        everyone(302),
        method="post",
        data=two_dots,
        prepare=with_prioritise_cookie,
    ),
    Case(
        "dialogue_answer:prioritise",
        "an ideas round, ballot cookie",
        dialogue_ballot(),
        everyone(404),
        prepare=with_dialogue_cookie,
    ),
    Case("dialogue_answer:prioritise", "draft", prioritise_ballot("draft"), everyone(404)),
    # Assessing today's culture against the round's items: only with the round's ballot cookie.
    Case("dialogue_answer:assessment", "open, no cookie", assessment_ballot, everyone(403)),
    Case(
        "dialogue_answer:assessment",
        "open, no cookie",
        assessment_ballot,
        everyone(403),
        method="post",
        data=one_score,
    ),
    Case(
        "dialogue_answer:assessment",
        "open, ballot cookie",
        assessment_ballot,
        everyone(200),
        prepare=with_assessment_cookie,
    ),
    Case(
        "dialogue_answer:assessment",
        "open, ballot cookie",
        assessment_ballot,
        everyone(302),
        method="post",
        data=one_score,
        prepare=with_assessment_cookie,
    ),
    Case(
        "dialogue_answer:assessment",
        "an ideas round, ballot cookie",
        dialogue_ballot(),
        everyone(404),
        prepare=with_dialogue_cookie,
    ),
    Case("dialogue_answer:assessment", "draft", dialogue_ballot("draft"), everyone(404)),
    Case("dialogue_answer:assessment", "a survey's ballot", dialogue_ballot("survey"), everyone(404)),
    # More ideas through the receipt code: no cookie needed.
    Case("dialogue_answer:more", "open", dialogue_ballot(), everyone(200)),
    Case("dialogue_answer:more", "open, empty form", dialogue_ballot(), everyone(200), method="post"),
    Case(
        "dialogue_answer:more",
        "open, receipt code",
        dialogue_ballot(),
        everyone(200),
        method="post",
        data=more_idea,
    ),
    Case("dialogue_answer:more", "draft", dialogue_ballot("draft"), everyone(404)),
    Case("dialogue_answer:more", "a survey's ballot", dialogue_ballot("survey"), everyone(404)),
    # The process website (/p/<org>/dialog/): internal unless HR makes it public; the invitation
    # cookie from the participant pages opens it without an account. Testby's open round has too few
    # ballots for results, so its exports are a 404 for everyone (tests/test_site.py shows them)
    # unless a case lets its results show live.
    Case("dialogue_site:process", "internal", dialogue(), site_reader(200)),
    Case(
        "dialogue_site:process", "internal, site cookie", dialogue(), everyone(200), prepare=with_site_cookie
    ),
    Case("dialogue_site:process", "public", dialogue(), everyone(200), prepare=with_public_process),
    Case("dialogue_site:process", "Andenby's under Testby", andenby_dialogue(), everyone(404)),
    Case("dialogue_site:round", "internal, open", dialogue("round"), site_reader(200)),
    Case(
        "dialogue_site:round",
        "internal, open, site cookie",
        dialogue("round"),
        everyone(200),
        prepare=with_site_cookie,
    ),
    Case(
        "dialogue_site:round", "public, open", dialogue("round"), everyone(200), prepare=with_public_process
    ),
    Case("dialogue_site:round", "draft", dialogue("round", draft=True), everyone(404)),
    Case(
        "dialogue_site:round",
        "public, draft",
        dialogue("round", draft=True),
        everyone(404),
        prepare=with_public_process,
    ),
    Case("dialogue_site:round", "Andenby's under Testby", andenby_dialogue("round"), everyone(404)),
    Case("dialogue_site:round_pdf", "open, no results yet", dialogue("round"), everyone(404)),
    Case(
        "dialogue_site:round_pdf",
        "public, open, no results yet",
        dialogue("round"),
        everyone(404),
        prepare=with_public_process,
    ),
    Case("dialogue_site:round_pdf", "draft", dialogue("round", draft=True), everyone(404)),
    # The results PDF is made in the background: POST asks for it (then its progress page), GET (an
    # older link) leads to the round page. Readers of the round's results may follow and fetch it.
    Case("dialogue_site:round_pdf", "open, no results yet", dialogue("round"), everyone(404), method="post"),
    Case(
        "dialogue_site:round_pdf",
        "live results",
        dialogue("round"),
        site_reader(302),
        prepare=with_live_results,
    ),
    Case(
        "dialogue_site:round_pdf",
        "live results",
        dialogue("round"),
        site_reader(302),
        method="post",
        prepare=with_live_results,
    ),
    Case(
        "dialogue_site:round_pdf",
        "live results, site cookie",
        dialogue("round"),
        everyone(302),
        method="post",
        prepare=with_live_results_and_site_cookie,
    ),
    Case(
        "dialogue_site:round_pdf",
        "public, live results",
        dialogue("round"),
        everyone(302),
        method="post",
        prepare=with_public_live_results,
    ),
    Case(
        "dialogue_site:round_pdf",
        "Andenby's under Testby",
        andenby_dialogue("round"),
        everyone(404),
        method="post",
    ),
    *(
        case
        for name in ("round_pdf_status", "round_pdf_progress", "round_pdf_download")
        for case in (
            Case(f"dialogue_site:{name}", "finished, no results shown", round_pdf(), everyone(404)),
            Case(
                f"dialogue_site:{name}",
                "finished, live results",
                round_pdf(),
                site_reader(200),
                prepare=with_live_results,
            ),
            Case(
                f"dialogue_site:{name}",
                "finished, live results, site cookie",
                round_pdf(),
                everyone(200),
                prepare=with_live_results_and_site_cookie,
            ),
            Case(
                f"dialogue_site:{name}",
                "finished, public, live results",
                round_pdf(),
                everyone(200),
                prepare=with_public_live_results,
            ),
            Case(
                f"dialogue_site:{name}",
                "Andenby's PDF under Testby's public round",
                round_pdf("andenby"),
                everyone(404),
                prepare=with_public_live_results,
            ),
        )
    ),
    Case("dialogue_site:round_xlsx", "open, no results yet", dialogue("round"), everyone(404)),
    Case(
        "dialogue_site:round_xlsx",
        "public, open, no results yet",
        dialogue("round"),
        everyone(404),
        prepare=with_public_process,
    ),
    Case("dialogue_site:round_xlsx", "Andenby's under Testby", andenby_dialogue("round"), everyone(404)),
    # The public receipt page: the code by POST only.
    Case("dialogue_receipt:receipt", "", no_kwargs, everyone(200)),
    Case("dialogue_receipt:receipt", "empty form", no_kwargs, everyone(200), method="post"),
    Case(
        "dialogue_receipt:receipt", "receipt code", no_kwargs, everyone(200), method="post", data=receipt_code
    ),
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
    if case.prepare is not None:
        case.prepare(world, client)
    url = reverse(case.url_name, kwargs=case.kwargs(world))
    response = getattr(client, case.method)(url, case.data_for(world))

    expected = case.expected[persona]
    if expected == LOGIN:
        assert response.status_code == 302, f"{persona} {case.id}: expected a login redirect"
        assert response["Location"].startswith(reverse("core:login")), response["Location"]
    else:
        assert response.status_code == expected, f"{persona} {case.id}"
