"""DESIGN §7 security checklist, items 1-5, 8, 24 and 26 (6 and 7 have their own modules)."""

import importlib
import json
import os
import re
import secrets
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.utils import override_settings
from django.urls import converters, reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from puls.actions.models import (
    Action,
    ApvCycle,
    ApvFinding,
    FollowUp,
    FollowUpSettings,
    NoActionReason,
    WorkingEnvironmentDiscussion,
)
from puls.core.models import AuditEntry, Link
from puls.core.tests.conftest import PEOPLE_HEADER, World, small_item_bank_file
from puls.core.tests.test_access_matrix import CASES as ACCESS_CASES
from puls.core.tests.test_access_matrix import with_live_results
from puls.core.tests.url_patterns import all_url_patterns
from puls.invitations import services as invitation_services
from puls.invitations.models import Ballot, Draft, Invitation
from puls.organisations.models import EmployeePanel, ImportJob, Organisation, RoleAssignment
from puls.participation import services as participation_services
from puls.participation.models import (
    Contribution,
    Outcome,
    Process,
    Receipt,
    RoundExport,
    RoundItem,
    Theme,
    ThemeMembership,
)
from puls.participation.receipts import receipt_code_new
from puls.policy.models import (
    LocalInterpretation,
    LocalReading,
    PolicyNode,
    Publication,
    ReportAnswer,
    ReportRound,
    ValueWalk,
    WalkAnswer,
)
from puls.surveys.models import ItemBank, LocalItem, Questionnaire, ReportExport, SectionItem, Survey
from puls.testing import PASSWORD


@pytest.fixture
def personas(world: World):
    """This module's tests share one world (see conftest): its personas, not a second set."""
    return world.personas


BASE_DIR = Path(settings.BASE_DIR)


def production_env() -> dict[str, str]:
    """A production server's environment: nothing of the test run's (e.g. DJANGO_ALLOW_ASYNC_UNSAFE)."""
    env = {key: os.environ[key] for key in ("PATH", "HOME", "LANG", "TMPDIR") if key in os.environ}
    env.update(
        DEBUG="False",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="puls.example.dk",
        CSRF_TRUSTED_ORIGINS="https://puls.example.dk",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    return env


def run_with_production_settings(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )


# 1 -------------------------------------------------------------------------------------------


def test_deploy_check_is_clean_with_production_settings():
    result = run_with_production_settings("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = production_env()
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


# 2 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["anonymous", "org_admin"])
def test_security_headers_on_a_page(world: World, persona: str):
    url = (
        reverse("core:login")
        if persona == "anonymous"
        else reverse("organisations:dashboard", args=["testby"])
    )
    response = world.client_for(persona).get(url)
    assert response.status_code == 200

    policy = response["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["script-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_hsts_is_sent_over_https_with_production_values(client):
    with override_settings(
        SECURE_HSTS_SECONDS=31536000,
        SECURE_HSTS_INCLUDE_SUBDOMAINS=True,
        SECURE_HSTS_PRELOAD=True,
        SECURE_SSL_REDIRECT=False,
    ):
        response = client.get(reverse("core:login"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


# 3 -------------------------------------------------------------------------------------------

PRODUCTION_VALUES = {
    "DEBUG": False,
    "SESSION_COOKIE_SECURE": True,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "CSRF_COOKIE_SECURE": True,
    "CSRF_COOKIE_HTTPONLY": True,
    "CSRF_COOKIE_SAMESITE": "Lax",
    "SECURE_SSL_REDIRECT": True,
    "SECURE_HSTS_SECONDS": 31536000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
}


def test_production_settings_make_cookies_secure_and_redirect_to_https():
    script = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{name: getattr(settings, name) for name in {list(PRODUCTION_VALUES)!r}}}))"
    )
    result = run_with_production_settings("-c", script)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == PRODUCTION_VALUES


def test_session_and_csrf_cookies_are_httponly_and_samesite_lax(personas):
    client = Client()
    login_page = client.get(reverse("core:login"))
    csrf_cookie = login_page.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf_cookie["httponly"] is True
    assert csrf_cookie["samesite"] == "Lax"

    response = client.post(
        reverse("core:login"), {"username": personas.org_admin.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    session_cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session_cookie["httponly"] is True
    assert session_cookie["samesite"] == "Lax"


def test_cookies_are_marked_secure_when_the_settings_say_so(personas):
    with override_settings(SESSION_COOKIE_SECURE=True, CSRF_COOKIE_SECURE=True):
        client = Client()
        login_page = client.get(reverse("core:login"), secure=True)
        response = client.post(
            reverse("core:login"), {"username": personas.org_admin.email, "password": PASSWORD}, secure=True
        )
    assert login_page.cookies[settings.CSRF_COOKIE_NAME]["secure"] is True
    assert response.cookies[settings.SESSION_COOKIE_NAME]["secure"] is True


# 4 -------------------------------------------------------------------------------------------


def test_login_is_throttled_after_repeated_failures(personas):
    client = Client()
    url = reverse("core:login")
    wrong = {"username": personas.org_admin.email, "password": "forkert-kodeord"}
    statuses = [client.post(url, wrong).status_code for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert statuses[:-1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
    assert statuses[-1] == 429
    # Locked out: even the right password is refused now.
    right = client.post(url, {"username": personas.org_admin.email, "password": PASSWORD})
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


# 5 -------------------------------------------------------------------------------------------


def test_passwords_are_hashed_with_argon2_in_the_real_settings():
    real_settings = importlib.import_module("config.settings")
    assert real_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.mark.django_db
def test_stored_password_is_an_argon2_hash_under_the_real_hashers(django_user_model):
    real_settings = importlib.import_module("config.settings")
    with override_settings(PASSWORD_HASHERS=real_settings.PASSWORD_HASHERS):
        user = django_user_model.objects.create_user(email="argon@puls.test", password=PASSWORD)
        assert user.password.startswith("argon2$")
        assert user.check_password(PASSWORD)


# 8 -------------------------------------------------------------------------------------------


# Integer parameters that are positions within an object, not ids of objects: they count from 1
# within one ballot, every participant sees the same numbers, and they say nothing about how many
# rows exist. (survey_answer:section's `number` is the section's place in the questionnaire.)
POSITION_PARAMETERS = {("survey_answer:section", "number")}


def test_object_ids_in_urls_are_uuids_or_slugs():
    offenders = []
    checked = 0
    exempted = set()
    for found in all_url_patterns():
        for parameter, converter in found.converters:
            if (found.name, parameter) in POSITION_PARAMETERS:
                exempted.add((found.name, parameter))
            elif isinstance(converter, converters.IntConverter):
                offenders.append(f"{found.name}: <int:{parameter}>")
            elif parameter.endswith("_id") and not isinstance(converter, converters.UUIDConverter):
                offenders.append(f"{found.name}: {parameter} is not a <uuid:>")
            elif parameter.endswith("slug") and not isinstance(converter, converters.SlugConverter):
                offenders.append(f"{found.name}: {parameter} is not a <slug:>")
            checked += 1
    assert checked > 0
    assert offenders == []
    assert exempted == POSITION_PARAMETERS, "An exemption names a URL parameter that no longer exists"


# 24 ------------------------------------------------------------------------------------------


def test_import_refuses_a_file_that_is_not_csv_or_xlsx(world: World):
    client = world.client_for("org_admin")
    jobs_before = ImportJob.objects.count()
    fake = SimpleUploadedFile(
        "medarbejdere.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", content_type="application/pdf"
    )
    response = client.post(
        reverse("organisations:import_start", kwargs={"org_slug": "testby"}), {"kind": "people", "file": fake}
    )
    assert response.status_code == 200  # the form again, with an error
    assert 'class="alert alert-error"' in response.content.decode()
    assert ImportJob.objects.count() == jobs_before


def test_import_refuses_a_binary_file_named_csv(world: World):
    client = world.client_for("org_admin")
    jobs_before = ImportJob.objects.count()
    fake = SimpleUploadedFile("medarbejdere.csv", b"\x00\x01\x02\xff\xfe" * 200, content_type="text/csv")
    response = client.post(
        reverse("organisations:import_start", kwargs={"org_slug": "testby"}), {"kind": "people", "file": fake}
    )
    assert response.status_code == 200
    assert 'class="alert alert-error"' in response.content.decode()
    assert ImportJob.objects.count() == jobs_before


def test_import_refuses_a_file_over_the_size_limit(world: World, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1024
    client = world.client_for("org_admin")
    jobs_before = ImportJob.objects.count()
    row = "5001;Nina;Nyansat;;220;Pædagog;01-08-2024;1990;nej\r\n"
    content = (f"{PEOPLE_HEADER}\r\n" + row * 40).encode()
    assert len(content) > 1024
    response = client.post(
        reverse("organisations:import_start", kwargs={"org_slug": "testby"}),
        {"kind": "people", "file": SimpleUploadedFile("medarbejdere.csv", content, content_type="text/csv")},
    )
    assert response.status_code == 200
    assert 'class="alert alert-error"' in response.content.decode()
    assert ImportJob.objects.count() == jobs_before


# 26 ------------------------------------------------------------------------------------------


def employee_reset_link(world: World) -> dict[str, str]:
    user = world.personas.employee
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }


def local_datetime(delta: timedelta) -> str:
    return timezone.localtime(timezone.now() + delta).strftime("%Y-%m-%dT%H:%M")


def with_ballot_cookie(world: World, client: Client) -> None:
    """The employee used their invitation link in this browser (the entry posts its CSRF token)."""
    ballot_id = world.testby.launched_survey.ballot_id
    entry = reverse("invitations:enter_page", kwargs={"ballot_id": ballot_id})
    token = client.get(entry).cookies[settings.CSRF_COOKIE_NAME].value
    entered = client.post(
        reverse("invitations:enter", kwargs={"ballot_id": ballot_id}),
        {"code": world.employee_token(), "csrfmiddlewaretoken": token},
    )
    assert entered.status_code == 302


@dataclass(frozen=True)
class StateChange:
    """A request a persona may make and that would be accepted, were its CSRF token not missing."""

    url: str
    persona: str
    data: dict[str, Any] = field(default_factory=dict)
    prepare: Callable[[World, Client], None] | None = None
    accepted_status: int = 302  # what the request gets with its token


def state_changing_requests(world: World) -> dict[str, StateChange]:
    org = {"org_slug": "testby"}
    new_password = {"new_password1": "en-helt-ny-adgangskode-7", "new_password2": "en-helt-ny-adgangskode-7"}
    draft = {**org, "survey_id": world.testby.draft_survey.pk}
    launched = {**org, "survey_id": world.testby.launched_survey.pk}
    own_copy = {**org, "questionnaire_id": world.testby.questionnaire.pk}
    template = Questionnaire.objects.get(organisation__isnull=True, kind=Questionnaire.Kind.TRIVSEL)
    launched_ballot = {"ballot_id": world.testby.launched_survey.ballot_id}
    own_question = {"kind": "likert", "text_da": "Har du gode pauser?", "likert_scale": "extent"}
    return {
        "core:login": StateChange(
            reverse("core:login"), "anonymous", {"username": "hr@testby.test", "password": PASSWORD}
        ),
        "core:logout": StateChange(reverse("core:logout"), "org_admin"),
        "core:password_reset": StateChange(
            reverse("core:password_reset"), "anonymous", {"email": "ansat@testby.test"}
        ),
        "core:password_reset_confirm": StateChange(
            reverse("core:password_reset_confirm", kwargs=employee_reset_link(world)),
            "anonymous",
            new_password,
        ),
        "core:activate": StateChange(
            reverse("core:activate", kwargs=employee_reset_link(world)), "anonymous", new_password
        ),
        "set_language": StateChange(reverse("set_language"), "employee", {"language": "en", "next": "/"}),
        "organisations:role_assign": StateChange(
            reverse("organisations:role_assign", kwargs=org),
            "org_admin",
            {"employee_number": "2201", "role": "facilitator"},
        ),
        "organisations:role_remove": StateChange(
            reverse("organisations:role_remove", kwargs={**org, "assignment_id": world.role_assignment.pk}),
            "org_admin",
        ),
        "organisations:panel_create": StateChange(
            reverse("organisations:panel_create", kwargs=org),
            "org_admin",
            {"name": "Nyt panel", "numbers": "2201"},
        ),
        "organisations:panel_edit": StateChange(
            reverse("organisations:panel_edit", kwargs={**org, "panel_id": world.panel.pk}),
            "org_admin",
            {"name": "Medarbejderpanelet", "numbers": "2101"},
        ),
        "organisations:import_start": StateChange(
            reverse("organisations:import_start", kwargs=org),
            "org_admin",
            {
                "kind": "people",
                "file": SimpleUploadedFile(
                    "medarbejdere.csv",
                    f"{PEOPLE_HEADER}\r\n5002;Nils;Nyansat;;220;Pædagog;01-08-2024;1991;nej\r\n".encode(),
                    content_type="text/csv",
                ),
            },
        ),
        "organisations:import_apply": StateChange(
            reverse("organisations:import_apply", kwargs={**org, "job_id": world.import_job.pk}), "org_admin"
        ),
        "organisations:person_send_activation": StateChange(
            reverse(
                "organisations:person_send_activation",
                kwargs={**org, "person_id": world.personas.employee_person.pk},
            ),
            "org_admin",
        ),
        "platform:organisation_create": StateChange(
            reverse("platform:organisation_create"),
            "platform_admin",
            {
                "name": "Tredjeby Kommune",
                "kind": "municipality",
                "slug": "tredjeby",
                "admin_first_name": "Tove",
                "admin_last_name": "Tredje",
                "admin_email": "hr@tredjeby.test",
                "admin_employee_number": "1",
            },
        ),
        "surveys:survey_create": StateChange(
            reverse("surveys:survey_create", kwargs=org),
            "org_admin",
            {
                "title": "Trivsel 2028",
                "questionnaire": str(template.pk),
                "audience": "everyone",
                "opens_at": local_datetime(timedelta(days=1)),
                "closes_at": local_datetime(timedelta(days=22)),
            },
        ),
        "surveys:survey_edit": StateChange(
            reverse("surveys:survey_edit", kwargs=draft),
            "org_admin",
            {
                "title": "Trivsel 2027, renamed",
                "questionnaire": str(world.testby.questionnaire.pk),
                "audience": "everyone",
                "opens_at": local_datetime(timedelta(days=1)),
                "closes_at": local_datetime(timedelta(days=22)),
            },
        ),
        "surveys:survey_launch": StateChange(reverse("surveys:survey_launch", kwargs=draft), "org_admin"),
        "surveys:survey_extend": StateChange(
            reverse("surveys:survey_extend", kwargs=launched),
            "org_admin",
            {"closes_at": local_datetime(timedelta(days=40))},
        ),
        "surveys:survey_close": StateChange(reverse("surveys:survey_close", kwargs=launched), "org_admin"),
        "surveys:survey_letters": StateChange(
            reverse("surveys:survey_letters", kwargs=launched), "org_admin", accepted_status=200
        ),
        "surveys:local_items": StateChange(
            reverse("surveys:local_items", kwargs=draft),
            "leader",
            {"unit": str(world.personas.units["210"].pk), **own_question},
        ),
        "surveys:local_item_remove": StateChange(
            reverse(
                "surveys:local_item_remove", kwargs={**draft, "local_item_id": world.testby.local_item.pk}
            ),
            "leader",
        ),
        "surveys:questionnaire_copy": StateChange(
            reverse("surveys:questionnaire_copy", kwargs={**org, "questionnaire_id": template.pk}),
            "org_admin",
        ),
        "surveys:questionnaire_item_add": StateChange(
            reverse("surveys:questionnaire_item_add", kwargs=own_copy),
            "org_admin",
            {"section": str(world.testby.section_item.section_id), **own_question},
        ),
        "surveys:questionnaire_item_remove": StateChange(
            reverse(
                "surveys:questionnaire_item_remove",
                kwargs={**own_copy, "section_item_id": world.testby.section_item.pk},
            ),
            "org_admin",
        ),
        "surveys:item_bank_upload": StateChange(
            reverse("surveys:item_bank_upload", kwargs=org),
            "org_admin",
            {
                "file": SimpleUploadedFile("bank.json", small_item_bank_file(world.personas.org).getvalue()),
                "name": "Another licensed bank",
            },
        ),
        "invitations:enter": StateChange(
            reverse("invitations:enter", kwargs=launched_ballot),
            "anonymous",
            {"code": world.employee_token()},
        ),
        "invitations:code": StateChange(
            reverse("invitations:code"), "anonymous", {"code": world.employee_token()}
        ),
        "survey_answer:section": StateChange(
            reverse("survey_answer:section", kwargs={**launched_ballot, "number": 1}),
            "anonymous",
            {"action": "next"},
            prepare=with_ballot_cookie,
        ),
        "survey_answer:review": StateChange(
            reverse("survey_answer:review", kwargs=launched_ballot), "anonymous", prepare=with_ballot_cookie
        ),
        "survey_report_export:request": StateChange(
            reverse(
                "survey_report_export:request", kwargs={**org, "survey_id": world.testby.closed_survey.pk}
            ),
            "org_admin",
            {"format": "xlsx"},
        ),
        "surveys:report:release": StateChange(
            reverse("surveys:report:release", kwargs={**org, "survey_id": world.testby.closed_survey.pk}),
            "org_admin",
        ),
        "surveys:report:benchmark": StateChange(
            reverse("surveys:report:benchmark", kwargs=org), "org_admin", {"opt_in": "on"}
        ),
        # Action plans and the APV (puls/actions), on Testby's actions objects.
        **actions_state_changes(world),
        # Staff policy (puls/policy), on Testby's policy objects.
        **policy_state_changes(world),
        # Dialogue processes (puls/participation), on Testby's dialogue objects.
        **participation_state_changes(world),
    }


def actions_state_changes(world: World) -> dict[str, StateChange]:
    """Action plans and the APV: the MED rep's Plejecenter (310) action and APV (world.actions)."""
    org = {"org_slug": "testby"}
    action = {**org, "action_id": world.actions.action_310.pk}
    apv = {**org, "cycle_id": world.actions.apv_310.pk}
    plejecenter = str(world.personas.units["310"].pk)
    new_action = {"title": "Faste pauser", "priority": "medium", "status": "planned"}

    def url(name: str, **kwargs: Any) -> str:
        return reverse(f"actions:{name}", kwargs=kwargs)

    return {
        "actions:action_create": StateChange(
            url("action_create", **org), "med_rep", {"unit": plejecenter, **new_action}
        ),
        "actions:action_detail": StateChange(
            url("action_detail", **action), "med_rep", {"text": "Talt om på personalemødet"}
        ),
        "actions:action_edit": StateChange(
            url("action_edit", **action), "med_rep", {**new_action, "title": "Bedre løfteteknik"}
        ),
        "actions:apv_start": StateChange(
            url("apv_start", **org),
            "org_admin",
            {"unit": str(world.personas.units["210"].pk), "title": "APV 2028", "mapping_method": "checklist"},
        ),
        "actions:discussion_record": StateChange(
            url("discussion_record", **org),
            "med_rep",
            {"unit": plejecenter, "held_on": timezone.localdate().isoformat(), "notes": "Årlig drøftelse"},
        ),
        "actions:apv_detail": StateChange(
            url("apv_detail", **apv), "med_rep", {"mapping_method": "checklist", "mapping_notes": "Rundgang"}
        ),
        "actions:apv_finding_add": StateChange(
            url("apv_finding_add", **apv), "med_rep", {"title": "Tunge løft", "risk": "high"}
        ),
        "actions:apv_advance": StateChange(url("apv_advance", **apv), "med_rep"),
    }


def actions_snapshot() -> dict[str, Any]:
    """What the actions app's state-changing requests would change."""
    return {
        "actions": sorted(
            (title, status, str(deadline))
            for title, status, deadline in Action.objects.values_list("title", "status", "deadline")
        ),
        "follow_ups": FollowUp.objects.count(),
        "apvs": sorted(
            (title, stage, notes)
            for title, stage, notes in ApvCycle.objects.values_list("title", "stage", "mapping_notes")
        ),
        "findings": ApvFinding.objects.count(),
        "discussions": WorkingEnvironmentDiscussion.objects.count(),
    }


def policy_state_changes(world: World) -> dict[str, StateChange]:
    """The staff policy's state-changing requests, on Testby's policy objects (world.testby_policy)."""
    org = {"org_slug": "testby"}
    policy = world.testby_policy
    skole_a = {**org, "unit_id": world.personas.units["210"].pk}
    walk = {**org, "walk_id": policy.walk.pk}
    answer = {**walk, "answer_id": policy.answer.pk}
    report_round = {**org, "round_id": policy.round.pk}
    due = (timezone.localdate() + timedelta(days=30)).isoformat()
    round_settings = {
        "title": "Status på værdiarbejdet 2028",
        "year": "2028",
        "due_on": due,
        "tools": "Værdivejen",
    }

    def node(name: str) -> dict[str, Any]:
        return {**org, "node_id": getattr(policy, name).pk}

    def url(name: str, **kwargs: Any) -> str:
        return reverse(f"policy:{name}", kwargs=kwargs)

    return {
        "policy:node_create": StateChange(
            url("node_create", **org), "org_admin", {"kind": "value", "title": "Nysgerrighed"}
        ),
        "policy:node_edit": StateChange(
            url("node_edit", **node("draft")), "org_admin", {"title": "Mod, omskrevet"}
        ),
        "policy:node_status": StateChange(
            url("node_status", **node("draft")), "org_admin", {"status": "hearing"}
        ),
        "policy:node_delete": StateChange(url("node_delete", **node("draft")), "org_admin"),
        "policy:node_move": StateChange(url("node_move", **node("draft")), "org_admin", {"direction": "up"}),
        "policy:citation_add": StateChange(
            url("citation_add", **node("policy")),
            "org_admin",
            {"address": str(world.testby.closed_survey.pk)},
        ),
        "policy:citation_remove": StateChange(
            url("citation_remove", **node("value"), link_id=world.testby_policy.citation_id), "org_admin"
        ),
        "policy:node_action": StateChange(
            url("node_action", **node("initiative")), "leader", {"unit": str(world.personas.units["210"].pk)}
        ),
        "policy:publication_settings": StateChange(
            url("publication_settings", **org), "org_admin", {"title": "Vores politik"}
        ),
        "policy:unit_adopt": StateChange(
            url("unit_adopt", **org, unit_id=world.personas.units["220"].pk), "org_admin"
        ),
        "policy:local_node_create": StateChange(
            url("local_node_create", **skole_a) + f"?parent={policy.policy.pk}",
            "leader",
            {"kind": "initiative", "title": "Gå-møder"},
        ),
        "policy:local_reading_edit": StateChange(
            url("local_reading_edit", **skole_a, node_id=policy.value.pk),
            "leader",
            {"text": "Hos os betyder det ro."},
        ),
        "policy:walk_create": StateChange(
            url("walk_create", **skole_a),
            "leader",
            {
                "title": "Værdivejen igen",
                "held_on": timezone.localdate().isoformat(),
                "values": [str(policy.value.pk)],
            },
        ),
        "policy:walk_stop": StateChange(
            url("walk_stop", **walk) + "?step=1", "leader", {"text": "Vi hjælper hinanden"}
        ),
        "policy:walk_complete": StateChange(url("walk_complete", **walk), "leader"),
        "policy:walk_answer_delete": StateChange(url("walk_answer_delete", **answer), "leader"),
        "policy:walk_answer_action": StateChange(url("walk_answer_action", **answer), "leader"),
        "policy:round_create": StateChange(url("round_create", **org), "org_admin", round_settings),
        "policy:round_edit": StateChange(url("round_edit", **report_round), "org_admin", round_settings),
        # Already open: HR is told so, and nothing changes.
        "policy:round_open": StateChange(url("round_open", **report_round), "org_admin"),
        "policy:round_close": StateChange(url("round_close", **report_round), "org_admin"),
        "policy:round_remind": StateChange(url("round_remind", **report_round), "org_admin"),
        "policy:round_answer": StateChange(
            url("round_answer", **report_round, unit_id=world.personas.units["210"].pk),
            "leader",
            {"what_done": "Værdivejen", "effect": "Mere ro", "next_steps": "Følge op"},
        ),
        **follow_up_requests(world),
    }


def with_dialogue_cookie(world: World, client: Client) -> None:
    """The employee used their invitation link to Testby's open dialogue round in this browser."""
    ballot_id = world.participation.testby.round.ballot_id
    entry = reverse("invitations:enter_page", kwargs={"ballot_id": ballot_id})
    token = client.get(entry).cookies[settings.CSRF_COOKIE_NAME].value
    entered = client.post(
        reverse("invitations:enter", kwargs={"ballot_id": ballot_id}),
        {"code": world.employee_dialogue_token(), "csrfmiddlewaretoken": token},
    )
    assert entered.status_code == 302


def with_dialogue_idea(world: World, client: Client) -> None:
    """The employee has written an idea (their draft) and is on the review page."""
    with_dialogue_cookie(world, client)
    holder = invitation_services.TokenHolder(
        ballot=Ballot.objects.get(pk=world.participation.testby.round.ballot_id),
        token=world.employee_dialogue_token(),
    )
    invitation_services.draft_save(
        holder=holder, data={"ideas": [{"text": "Faste mødetider", "category": ""}], "supports": []}
    )


def with_prioritise_cookie(world: World, client: Client) -> None:
    """The employee used their invitation link to Testby's open prioritise round in this browser."""
    objects = world.participation.testby
    assert objects.prioritise_round is not None
    ballot_id = objects.prioritise_round.ballot_id
    entry = reverse("invitations:enter_page", kwargs={"ballot_id": ballot_id})
    token = client.get(entry).cookies[settings.CSRF_COOKIE_NAME].value
    entered = client.post(
        reverse("invitations:enter", kwargs={"ballot_id": ballot_id}),
        {
            "code": objects.token(world.personas.employee_person, objects.prioritise_round),
            "csrfmiddlewaretoken": token,
        },
    )
    assert entered.status_code == 302


def with_assessment_cookie(world: World, client: Client) -> None:
    """The employee used their invitation link to Testby's open assessment round in this browser."""
    objects = world.participation.testby
    assert objects.assessment_round is not None
    ballot_id = objects.assessment_round.ballot_id
    entry = reverse("invitations:enter_page", kwargs={"ballot_id": ballot_id})
    token = client.get(entry).cookies[settings.CSRF_COOKIE_NAME].value
    entered = client.post(
        reverse("invitations:enter", kwargs={"ballot_id": ballot_id}),
        {
            "code": objects.token(world.personas.employee_person, objects.assessment_round),
            "csrfmiddlewaretoken": token,
        },
    )
    assert entered.status_code == 302


def with_hidden_contribution(world: World, client: Client) -> None:
    """HR hid the contribution earlier."""
    participation_services.contribution_hide(
        actor=world.personas.org_admin, contribution=world.participation.testby.contribution, reason="Navn"
    )


def participation_state_changes(world: World) -> dict[str, StateChange]:
    """Dialogue processes: HR facilitates Testby's process; the employee takes part in its open round."""
    dialogue = world.participation.testby
    assert dialogue.draft_round is not None
    assert dialogue.assessment_round is not None
    assert dialogue.prioritise_draft is not None
    assert dialogue.prioritise_round is not None
    org = {"org_slug": "testby"}
    process = {**org, "process_id": dialogue.process.pk}
    open_round = {**process, "round_id": dialogue.round.pk}
    draft_round = {**process, "round_id": dialogue.draft_round.pk}
    prioritise_draft = {**process, "round_id": dialogue.prioritise_draft.pk}
    contribution = {**open_round, "contribution_id": dialogue.contribution.pk}
    theme = {**process, "theme_id": dialogue.theme.pk}
    ballot = {"ballot_id": dialogue.round.ballot_id}
    process_settings = {
        "title": "Fælles værdier 2028",
        "mode": "anonymous",
        "results": "internal",
        "audience": "everyone",
    }
    round_settings = {
        "title": "Runde 3: Prioritering",
        "kind": "ideas",
        "opens_at": local_datetime(timedelta(days=1)),
        "closes_at": local_datetime(timedelta(days=8)),
        "supports": "on",
        "reminder_days": "3",
    }

    def url(name: str, **kwargs: Any) -> str:
        return reverse(name if ":" in name else f"participation:{name}", kwargs=kwargs)

    return {
        "participation:process_create": StateChange(
            url("process_create", **org), "org_admin", process_settings
        ),
        "participation:process_edit": StateChange(
            url("process_edit", **process), "org_admin", process_settings
        ),
        "participation:round_create": StateChange(
            url("round_create", **process), "org_admin", round_settings
        ),
        "participation:round_edit": StateChange(
            url("round_edit", **draft_round), "org_admin", round_settings
        ),
        "participation:round_launch": StateChange(url("round_launch", **draft_round), "org_admin"),
        "participation:round_close": StateChange(url("round_close", **open_round), "org_admin"),
        "participation:contribution_hide": StateChange(
            url("contribution_hide", **contribution), "org_admin", {"reason": "Nævner en kollega"}
        ),
        "participation:contribution_unhide": StateChange(
            url("contribution_unhide", **contribution), "org_admin", prepare=with_hidden_contribution
        ),
        "participation:contribution_merge": StateChange(
            url("contribution_merge", **contribution),
            "org_admin",
            {"into": str(dialogue.other_contribution.pk)},
        ),
        "participation:theme_create": StateChange(
            url("theme_create", **process), "org_admin", {"theme-title": "Ro"}
        ),
        "participation:theme_detail": StateChange(
            url("theme_detail", **theme), "org_admin", {"shown": [str(dialogue.contribution.pk)]}
        ),
        "participation:theme_edit": StateChange(
            url("theme_edit", **theme), "org_admin", {"theme-title": "Pauser og ro"}
        ),
        "participation:theme_delete": StateChange(url("theme_delete", **theme), "org_admin"),
        "participation:outcome_create": StateChange(
            url("outcome_create", **process),
            "org_admin",
            {"outcome-kind": "draft_text", "outcome-title": "Tekst om pauser"},
        ),
        "participation:outcome_link": StateChange(
            url("outcome_link", **theme),
            "org_admin",
            {"outcome": str(dialogue.free_outcome.pk), "reason": "Drøftet i MED"},
        ),
        "participation:outcome_unlink": StateChange(
            url("outcome_unlink", **theme, link_id=dialogue.link.pk), "org_admin"
        ),
        "participation:outcomes_announce": StateChange(url("outcomes_announce", **process), "org_admin"),
        "dialogue_answer:ideas": StateChange(
            url("dialogue_answer:ideas", **ballot),
            "anonymous",
            {"action": "add", "text": "Pauser uden telefon"},
            prepare=with_dialogue_cookie,
        ),
        # The sealed submit answers with the receipt page.
        "dialogue_answer:review": StateChange(
            url("dialogue_answer:review", **ballot),
            "anonymous",
            {"receipt_code": receipt_code_new()},
            prepare=with_dialogue_idea,
            accepted_status=200,
        ),
        "dialogue_answer:more": StateChange(
            url("dialogue_answer:more", **ballot),
            "anonymous",
            {"code": dialogue.receipt_code, "text": "Pauser uden telefon"},
            accepted_status=200,
        ),
        "participation:round_items": StateChange(
            url("round_items", **prioritise_draft),
            "org_admin",
            {"action": "list", "list-items": "Faglighed"},
        ),
        "dialogue_answer:prioritise": StateChange(
            url("dialogue_answer:prioritise", ballot_id=dialogue.prioritise_round.ballot_id),
            "anonymous",
            {f"dots-{dialogue.prioritise_round.items.order_by('order').first().pk.hex}": "2"},
            prepare=with_prioritise_cookie,
        ),
        "dialogue_answer:assessment": StateChange(
            url("dialogue_answer:assessment", ballot_id=dialogue.assessment_round.ballot_id),
            "anonymous",
            {
                "action": "save",
                f"{dialogue.assessment_round.items.order_by('order').first().pk.hex}-score": "4",
            },
            prepare=with_assessment_cookie,
        ),
        # Asks for the round's results PDF (made by a task): its progress page follows.
        "dialogue_site:round_pdf": StateChange(
            url("dialogue_site:round_pdf", **open_round), "org_admin", prepare=with_live_results
        ),
        # Reads only, but by POST (the code never goes in a URL).
        "dialogue_receipt:receipt": StateChange(
            url("dialogue_receipt:receipt"), "anonymous", {"code": dialogue.receipt_code}, accepted_status=200
        ),
    }


def participation_snapshot() -> dict[str, Any]:
    """What the dialogue requests would change (ballot statuses, drafts, completed flags and links
    are in the snapshot already)."""
    return {
        "processes": sorted(Process.objects.values_list("title", flat=True)),
        "ballot_titles": sorted(Ballot.objects.values_list("title", flat=True)),
        "contributions": sorted(
            (text, hidden, str(merged))
            for text, hidden, merged in Contribution.objects.values_list("text", "hidden", "merged_into")
        ),
        "receipts": Receipt.objects.count(),
        "themes": sorted(Theme.objects.values_list("title", flat=True)),
        "members": ThemeMembership.objects.count(),
        "outcomes": Outcome.objects.count(),
        "round_items": sorted(RoundItem.objects.values_list("title", flat=True)),
        "round_exports": RoundExport.objects.count(),
    }


def with_low_score_level(world: World, client: Client) -> None:
    FollowUpSettings.objects.update_or_create(
        organisation=world.personas.org, defaults={"low_score_level": 100}
    )


def follow_up_requests(world: World) -> dict[str, StateChange]:
    """A reason why the organisation's low score (below HR's level of 100) gets no action; HR's level."""
    closed = {"org_slug": "testby", "survey_id": world.testby.closed_survey.pk}
    result = {"unit": world.personas.units["100"].pk, "scale": world.testby.scale.pk}
    return {
        "actions:follow_up_reason": StateChange(
            reverse("actions:follow_up_reason", kwargs=closed),
            "org_admin",
            {**result, "reason": "Drøftet i MED"},
            prepare=with_low_score_level,
        ),
        "actions:follow_up_level": StateChange(
            reverse("actions:follow_up_level", kwargs=closed), "org_admin", {"low_score_level": "60"}
        ),
    }


def policy_snapshot() -> dict[str, Any]:
    """What the staff policy's state-changing requests would change (links: citations and actions)."""
    return {
        "nodes": sorted(
            (str(pk), title, status, position)
            for pk, title, status, position in PolicyNode.objects.values_list(
                "pk", "title", "status", "position"
            )
        ),
        "links": Link.objects.count(),
        "interpretations": LocalInterpretation.objects.count(),
        "readings": sorted(LocalReading.objects.values_list("text", flat=True)),
        "walks": sorted((str(pk), status) for pk, status in ValueWalk.objects.values_list("pk", "status")),
        "walk_answers": WalkAnswer.objects.count(),
        "rounds": sorted(
            (str(pk), title, status)
            for pk, title, status in ReportRound.objects.values_list("pk", "title", "status")
        ),
        "answered": ReportAnswer.objects.filter(submitted_at__isnull=False).count(),
        "reminders": sum(ReportAnswer.objects.values_list("reminders_sent", flat=True)),
        "publication": sorted(Publication.objects.values_list("title", "is_public")),
    }


STATE_CHANGING = [
    "core:login",
    "core:logout",
    "core:password_reset",
    "core:password_reset_confirm",
    "core:activate",
    "set_language",
    "organisations:role_assign",
    "organisations:role_remove",
    "organisations:panel_create",
    "organisations:panel_edit",
    "organisations:import_start",
    "organisations:import_apply",
    "organisations:person_send_activation",
    "platform:organisation_create",
    "surveys:survey_create",
    "surveys:survey_edit",
    "surveys:survey_launch",
    "surveys:survey_extend",
    "surveys:survey_close",
    "surveys:survey_letters",
    "surveys:local_items",
    "surveys:local_item_remove",
    "surveys:questionnaire_copy",
    "surveys:questionnaire_item_add",
    "surveys:questionnaire_item_remove",
    "surveys:item_bank_upload",
    "invitations:enter",
    "invitations:code",
    "survey_answer:section",
    "survey_answer:review",
    "survey_report_export:request",
    "surveys:report:release",
    "surveys:report:benchmark",
    "actions:action_create",
    "actions:action_detail",
    "actions:action_edit",
    "actions:apv_start",
    "actions:discussion_record",
    "actions:apv_detail",
    "actions:apv_finding_add",
    "actions:apv_advance",
    "policy:node_create",
    "policy:node_edit",
    "policy:node_status",
    "policy:node_delete",
    "policy:node_move",
    "policy:citation_add",
    "policy:citation_remove",
    "policy:node_action",
    "policy:publication_settings",
    "policy:unit_adopt",
    "policy:local_node_create",
    "policy:local_reading_edit",
    "policy:walk_create",
    "policy:walk_stop",
    "policy:walk_complete",
    "policy:walk_answer_delete",
    "policy:walk_answer_action",
    "policy:round_create",
    "policy:round_edit",
    "policy:round_open",
    "policy:round_close",
    "policy:round_remind",
    "policy:round_answer",
    "actions:follow_up_reason",
    "actions:follow_up_level",
    "participation:process_create",
    "participation:process_edit",
    "participation:round_create",
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
    "participation:outcomes_announce",
    "participation:round_items",
    "dialogue_answer:ideas",
    "dialogue_answer:prioritise",
    "dialogue_answer:assessment",
    "dialogue_answer:review",
    "dialogue_answer:more",
    "dialogue_site:round_pdf",
    "dialogue_receipt:receipt",
]


def snapshot(world: World) -> dict[str, Any]:
    """What the state-changing requests above would change."""
    testby = world.testby
    return {
        "roles": RoleAssignment.objects.filter(pk=world.role_assignment.pk).exists(),
        "panels": sorted(map(str, EmployeePanel.objects.values_list("name", "members__employee_number"))),
        "ballots": dict(Ballot.objects.values_list("pk", "status")),
        "closes_at": Ballot.objects.get(pk=testby.launched_survey.ballot_id).closes_at,
        "surveys": Survey.objects.count(),
        "local_items": sorted(LocalItem.objects.values_list("pk", flat=True)),
        "questionnaires": Questionnaire.objects.count(),
        "section_items": SectionItem.objects.count(),
        "item_banks": ItemBank.objects.count(),
        "drafts": Draft.objects.count(),
        "completed": Invitation.objects.filter(completed=True).count(),
        "letters_printed": AuditEntry.objects.filter(action="ballot.letters_printed").count(),
        "report_exports": ReportExport.objects.count(),
        "releases": sorted(
            Survey.objects.filter(pk=testby.closed_survey.pk).values_list(
                "release_leaders_at", "release_everyone_at"
            )
        ),
        "benchmark_opt_in": sorted(Organisation.objects.values_list("slug", "benchmark_opt_in")),
        "actions": actions_snapshot(),
        "policy": policy_snapshot(),
        "participation": participation_snapshot(),
        "follow_up": (
            sorted(NoActionReason.objects.values_list("reason", flat=True)),
            sorted(FollowUpSettings.objects.values_list("low_score_level", flat=True), key=str),
        ),
    }


@pytest.mark.parametrize("name", STATE_CHANGING)
def test_the_same_post_with_its_csrf_token_is_accepted(world: World, name: str):
    """The requests of the CSRF test are real ones: with their token they go through."""
    request = state_changing_requests(world)[name]
    client = world.client_for(request.persona, enforce_csrf_checks=True)
    if request.prepare is not None:
        request.prepare(world, client)
    secret = get_random_string(32)
    client.cookies[settings.CSRF_COOKIE_NAME] = secret
    response = client.post(request.url, {**request.data, "csrfmiddlewaretoken": secret})
    assert response.status_code == request.accepted_status


@pytest.mark.parametrize("name", STATE_CHANGING)
def test_state_changing_post_without_csrf_token_is_refused(world: World, name: str):
    request = state_changing_requests(world)[name]
    client = world.client_for(request.persona, enforce_csrf_checks=True)
    if request.prepare is not None:
        request.prepare(world, client)
    before = snapshot(world)
    response = client.post(request.url, request.data, headers={"Accept-Language": "en"})
    assert response.status_code == 403
    assert b"CSRF verification failed" in response.content
    assert snapshot(world) == before


def test_every_url_that_takes_a_post_is_in_the_csrf_list():
    """The access matrix lists a POST case for every URL that accepts one; each must be here too."""
    posted = {case.url_name for case in ACCESS_CASES if case.method == "post"}
    assert sorted(posted - set(STATE_CHANGING)) == []
    assert sorted(set(STATE_CHANGING) - posted) == [], "Add a POST case to the access matrix"


@pytest.mark.django_db
def test_base_layout_gives_htmx_the_csrf_token_and_htmx_requests_with_it_pass(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.employee, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("organisations:dashboard", kwargs={"org_slug": "testby"}))
    assert page.status_code == 200
    match = re.search(r"<body[^>]*\shx-headers='(\{[^']*\})'", page.content.decode())
    assert match, "base.html's <body> must carry hx-headers with the CSRF token"
    token = json.loads(match.group(1))["X-CSRFToken"]
    assert token

    # What htmx sends: the header from <body>, no token in the form body.
    response = client.post(
        reverse("set_language"),
        {"language": "en", "next": "/"},
        headers={"X-CSRFToken": token, "HX-Request": "true"},
    )
    assert response.status_code == 302
    refused = client.post(
        reverse("set_language"), {"language": "en", "next": "/"}, headers={"HX-Request": "true"}
    )
    assert refused.status_code == 403
