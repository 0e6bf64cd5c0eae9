"""Fixtures for the access-matrix, cross-tenant and security tests."""

from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from puls.core.models import User
from puls.organisations.imports import services as import_services
from puls.organisations.models import ImportJob, Organisation, RoleAssignment
from puls.testing import Personas

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"

PERSONA_NAMES = ("anonymous", "platform_admin", "org_admin", "leader", "med_rep", "employee", "outsider")


@dataclass
class World:
    """The personas plus one object of every kind that has its own URL, in both organisations."""

    personas: Personas
    import_job: ImportJob
    role_assignment: RoleAssignment
    other_import_job: ImportJob
    other_role_assignment: RoleAssignment

    def user(self, persona: str) -> User | None:
        return None if persona == "anonymous" else getattr(self.personas, persona)

    def client_for(self, persona: str, **client_kwargs: object) -> Client:
        client = Client(**client_kwargs)  # type: ignore[arg-type]
        user = self.user(persona)
        if user is not None:
            client.force_login(user, backend=MODEL_BACKEND)
        return client


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


@pytest.fixture
def world(personas: Personas) -> World:
    return World(
        personas=personas,
        import_job=import_job_for(personas.org, personas.org_admin, "220"),
        role_assignment=RoleAssignment.objects.get(person=personas.leader_person),
        other_import_job=import_job_for(personas.other_org, personas.outsider, "100"),
        other_role_assignment=RoleAssignment.objects.get(person=personas.outsider_person),
    )
