"""Fixtures for the access-matrix, cross-tenant and security tests."""

import copy
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from puls.actions.tests.world import ActionsWorld, actions_world_build
from puls.core.models import User
from puls.invitations.models import Invitation
from puls.invitations.tokens import token_for
from puls.organisations import services as organisation_services
from puls.organisations.imports import services as import_services
from puls.organisations.models import EmployeePanel, ImportJob, Organisation, RoleAssignment, Unit
from puls.participation.tests.world import ParticipationWorld, participation_world_build
from puls.policy.tests.builders import PolicyObjects, policy_world
from puls.surveys import services as survey_services
from puls.surveys.models import (
    ItemBank,
    LocalItem,
    Questionnaire,
    ReportExport,
    Scale,
    SectionItem,
    Survey,
)
from puls.surveys.reports.tests.closed_survey import closed_survey_build
from puls.testing import Personas, build_personas, make_person, settings_for_tests

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"

PERSONA_NAMES = ("anonymous", "platform_admin", "org_admin", "leader", "med_rep", "employee", "outsider")


@dataclass
class Tenant:
    """One organisation's survey objects, each with its own URL."""

    draft_survey: Survey  # on its own copy of the Trivsel template
    launched_survey: Survey  # open now, on the questionnaire of the organisation's item bank
    questionnaire: Questionnaire  # the draft survey's copy of the template
    section_item: SectionItem  # an item of that copy
    item_bank: ItemBank  # loaded by the organisation (with its questionnaire)
    local_item: LocalItem  # a unit's own question in the draft survey
    closed_survey: Survey  # closed, everyone answered, report computed and released to everyone
    scale: Scale  # the bank's scale (in the closed survey's report)
    export: ReportExport  # HR's XLSX of the closed survey's report for the whole organisation (waiting)


@dataclass
class World:
    """The personas plus one object of every kind that has its own URL, in both organisations."""

    personas: Personas
    import_job: ImportJob
    role_assignment: RoleAssignment
    other_import_job: ImportJob
    other_role_assignment: RoleAssignment
    testby: Tenant
    andenby: Tenant
    # Skole B's own question in Testby's draft survey: outside the leader's Skole A.
    local_item_220: LocalItem
    actions: ActionsWorld  # action plans and APVs of both organisations (puls/actions/tests/world.py)
    # Dialogue processes of both organisations (puls/participation/tests/world.py).
    participation: ParticipationWorld
    # Each organisation's standing employee panel (Testby: the employee and the MED rep).
    panel: EmployeePanel
    other_panel: EmployeePanel
    # Staff policy objects of both organisations (puls/policy/tests/builders.py); Testby's unit is
    # Skole A (the leader's), its tree is published publicly, and its value cites a survey.
    testby_policy: PolicyObjects = field(init=False)
    andenby_policy: PolicyObjects = field(init=False)

    def user(self, persona: str) -> User | None:
        return None if persona == "anonymous" else getattr(self.personas, persona)

    def client_for(self, persona: str, **client_kwargs: object) -> Client:
        client = Client(**client_kwargs)  # type: ignore[arg-type]
        user = self.user(persona)
        if user is not None:
            client.force_login(user, backend=MODEL_BACKEND)
        return client

    def employee_token(self) -> str:
        """The employee's personal code for Testby's launched survey, as in their e-mail."""
        invitation = Invitation.objects.get(
            ballot=self.testby.launched_survey.ballot, person=self.personas.employee_person
        )
        return token_for(invitation.pk, invitation.issue_number)

    def employee_dialogue_token(self) -> str:
        """The employee's personal code for Testby's open dialogue round (they have not answered)."""
        return self.participation.testby.token(self.personas.employee_person)


PEOPLE_HEADER = (
    "Medarbejdernummer;Fornavn;Efternavn;E-mail;Enhedskode;Stillingsgruppe;Startdato;Fødselsår;Leder"
)


def import_job_for(organisation: Organisation, created_by: User, unit_code: str) -> ImportJob:
    """A previewed people import, as the import page leaves it after the dry run of a small file."""
    content = f"{PEOPLE_HEADER}\r\n5001;Nina;Nyansat;;{unit_code};Pædagog;01-08-2024;1990;nej\r\n"
    upload = SimpleUploadedFile("medarbejdere.csv", content.encode("utf-8"), content_type="text/csv")
    job = import_services.import_job_create(
        actor=created_by,
        organisation=organisation,
        kind=ImportJob.Kind.PEOPLE,
        upload=upload,
        file_type="csv",
        row_count=1,
    )
    assert job.status == ImportJob.Status.PREVIEWED, job.summary
    return job


def small_item_bank_file(organisation: Organisation) -> io.BytesIO:
    """A licensed bank as an organisation would load it: one scale of two items and a free-text item."""
    bank = {
        "format": "puls-itembank/1",
        "code": "licensed",
        "name": f"Licensed bank of {organisation.name}",
        "domains": [{"code": "demands", "name_da": "Krav", "name_en": "Demands"}],
        "scales": [{"code": "pace", "domain": "demands", "name_da": "Tempo", "name_en": "Pace"}],
        "items": [
            {"code": "p1", "scale": "pace", "text_da": "Skal du arbejde hurtigt?", "text_en": "Fast?"},
            {"code": "p2", "scale": "pace", "text_da": "Har du tid nok?", "text_en": "Enough time?"},
            {"code": "free", "kind": "text", "text_da": "Kommentarer", "text_en": "Comments"},
        ],
    }
    return io.BytesIO(json.dumps(bank).encode())


def tenant_build(organisation: Organisation, admin: User, *, local_unit: Unit) -> Tenant:
    """The survey objects of one organisation, made through the services as HR would make them."""
    bank = survey_services.item_bank_import(
        actor=admin,
        organisation=organisation,
        stream=small_item_bank_file(organisation),
        file_name="bank.json",
    )
    bank_questionnaire = Questionnaire.objects.get(organisation=organisation)  # made by the import
    # Last year's survey: closed, answered by everyone, its report computed and released.
    closed = closed_survey_build(
        organisation=organisation, admin=admin, questionnaire=bank_questionnaire, title="Trivsel 2025"
    )
    opens = timezone.now() - timedelta(minutes=5)
    draft = survey_services.survey_create(
        actor=admin,
        organisation=organisation,
        settings=survey_services.SurveySettings(
            title="Trivsel 2027",
            questionnaire=Questionnaire.objects.get(
                organisation__isnull=True, kind=Questionnaire.Kind.TRIVSEL
            ),
            opens_at=opens,
            closes_at=opens + timedelta(days=21),
        ),
    )
    launched = survey_services.survey_create(
        actor=admin,
        organisation=organisation,
        settings=survey_services.SurveySettings(
            title="Trivsel 2026",
            questionnaire=bank_questionnaire,
            opens_at=opens,
            closes_at=opens + timedelta(days=21),
            previous_survey=closed,
        ),
    )
    survey_services.survey_launch(actor=admin, survey=launched)
    local_item = survey_services.local_item_add(
        actor=admin,
        survey=draft,
        unit=local_unit,
        new_item=survey_services.NewItem(kind="likert", text_da="Har vi gode pauser?"),
    )
    section_item = SectionItem.objects.filter(section__questionnaire=draft.questionnaire).order_by(
        "section__order", "order"
    )[0]
    return Tenant(
        draft_survey=draft,
        launched_survey=launched,
        questionnaire=draft.questionnaire,
        section_item=section_item,
        item_bank=bank,
        local_item=local_item,
        closed_survey=closed,
        scale=Scale.objects.get(bank=bank),
        export=ReportExport.objects.create(
            report=closed.report,
            unit=Unit.objects.get(organisation=organisation, parent__isnull=True),
            format=ReportExport.Format.XLSX,
            requested_by=admin,
        ),
    )


def world_build(personas: Personas) -> World:
    # A launch needs at least k = 5 invitees: Testby has 8 people, Andenby only its admin.
    for number in range(9002, 9006):
        make_person(personas.other_org, personas.other_unit, str(number), "Anders", f"Andersen{number}")
    testby = tenant_build(personas.org, personas.org_admin, local_unit=personas.units["210"])
    world = World(
        personas=personas,
        import_job=import_job_for(personas.org, personas.org_admin, "220"),
        role_assignment=RoleAssignment.objects.get(person=personas.leader_person),
        other_import_job=import_job_for(personas.other_org, personas.outsider, "100"),
        other_role_assignment=RoleAssignment.objects.get(person=personas.outsider_person),
        testby=testby,
        andenby=tenant_build(personas.other_org, personas.outsider, local_unit=personas.other_unit),
        local_item_220=survey_services.local_item_add(
            actor=personas.org_admin,
            survey=testby.draft_survey,
            unit=personas.units["220"],
            new_item=survey_services.NewItem(kind="likert", text_da="Er legepladsen sikker?"),
        ),
        actions=actions_world_build(personas),
        participation=participation_world_build(personas),
        panel=organisation_services.panel_save(
            actor=personas.org_admin,
            organisation=personas.org,
            name="Medarbejderpanelet",
            numbers="2201\n3101",
        ),
        other_panel=organisation_services.panel_save(
            actor=personas.outsider,
            organisation=personas.other_org,
            name="Andenbys panel",
            numbers="9001\n9002",
        ),
    )
    world.testby_policy, world.andenby_policy = policy_world(
        personas, testby_survey=testby.closed_survey, andenby_survey=world.andenby.closed_survey
    )
    return world


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[tuple[World, Path]]:
    """One world per test module, built inside a transaction that is rolled back after the module.

    Each test runs in a savepoint inside it (pytest-django's `db`), so what a test changes is undone
    before the next one — Django's setUpTestData, for the hundreds of matrix cases that would
    otherwise each build two organisations with computed survey reports."""
    from puls.surveys.itembank import BankModels, load_shipped_bank

    media_root = tmp_path_factory.mktemp("world-media")
    with django_db_blocker.unblock(), override_settings(**settings_for_tests(media_root)):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            load_shipped_bank(BankModels.from_apps(apps))
            yield world_build(build_personas()), media_root
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


class _WorldCopy(World):
    """A test's copy of the module's world. Each field is deep-copied from the built world when the
    test first reads it, all with one memo (objects the fields share stay shared), as Django's
    setUpTestData copies its attributes: a matrix case that reads the personas and one survey does
    not pay for copying every object of both organisations."""

    def __init__(self, built: World) -> None:  # no dataclass __init__: the fields come on demand
        self.__dict__.update(_built=built, _memo={})

    def __getattr__(self, name: str) -> Any:
        built = self.__dict__.get("_built")
        if built is None or name.startswith("_"):
            raise AttributeError(name)
        value = copy.deepcopy(getattr(built, name), self.__dict__["_memo"])
        self.__dict__[name] = value
        return value


@pytest.fixture
def world(_module_world: tuple[World, Path], db, settings) -> World:
    built, media_root = _module_world
    settings.MEDIA_ROOT = media_root  # where the world's uploaded files are
    # A fresh copy per test, as setUpTestData gives: the database rows are rolled back after each
    # test, and so must be any change a test makes to the Python objects.
    return _WorldCopy(built)
