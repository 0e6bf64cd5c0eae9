"""Test personas shared by unit, view and browser tests (see conftest.py).

Testby Kommune:
    100 Testby Kommune
    ├── 200 Børn og Unge
    │   ├── 210 Skole A      (leader: Lea Leder; employees)
    │   └── 220 Skole B      (employee: Erik Ansat)
    └── 300 Ældre
        └── 310 Plejecenter  (MED rep: Mette Med, for 300)
Andenby Kommune: a second tenant with its own admin (the outsider).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from puls.core.models import User
from puls.organisations import services
from puls.organisations.models import Employment, Organisation, Person, Role, Unit

if TYPE_CHECKING:
    from PIL import Image

PASSWORD = "korrekt-hest-batteri-42"  # nosec B105 (test personas only)


@dataclass
class Personas:
    org: Organisation
    other_org: Organisation
    units: dict[str, Unit]
    other_unit: Unit
    platform_admin: User
    org_admin: User
    leader: User
    med_rep: User
    employee: User
    outsider: User
    leader_person: Person
    employee_person: Person
    outsider_person: Person


def make_person(
    org: Organisation,
    unit: Unit,
    number: str,
    first: str,
    last: str,
    *,
    email: str = "",
    with_user: bool = False,
    job_group: str = "Pædagog",
) -> Person:
    person = Person.objects.create(
        organisation=org, employee_number=number, first_name=first, last_name=last, email=email
    )
    Employment.objects.create(
        person=person, unit=unit, job_group=job_group, start_date=date(2015, 1, 1), birth_year=1980
    )
    if with_user:
        user = services.user_for_person(person=person)
        user.set_password(PASSWORD)
        user.save()
    return person


def build_personas() -> Personas:
    org = services.organisation_create(actor=None, name="Testby Kommune", slug="testby")
    root = services.unit_create(organisation=org, code="100", name="Testby Kommune")
    boern = services.unit_create(organisation=org, code="200", name="Børn og Unge", parent=root)
    skole_a = services.unit_create(organisation=org, code="210", name="Skole A", parent=boern)
    skole_b = services.unit_create(organisation=org, code="220", name="Skole B", parent=boern)
    aeldre = services.unit_create(organisation=org, code="300", name="Ældre", parent=root)
    pleje = services.unit_create(organisation=org, code="310", name="Plejecenter", parent=aeldre)
    units = {"100": root, "200": boern, "210": skole_a, "220": skole_b, "300": aeldre, "310": pleje}

    other_org = services.organisation_create(actor=None, name="Andenby Kommune", slug="andenby")
    other_unit = services.unit_create(organisation=other_org, code="100", name="Andenby Rådhus")

    platform_admin = User.objects.create_user(
        email="platform@puls.test", password=PASSWORD, full_name="Pia Platform", is_platform_admin=True
    )
    hr = make_person(org, root, "1001", "Hanne", "Hansen", email="hr@testby.test", with_user=True)
    services.role_assign(actor=None, person=hr, role=Role.ORG_ADMIN, units=[])
    leader = make_person(org, skole_a, "2101", "Lea", "Leder", email="leder@testby.test", with_user=True)
    services.role_assign(actor=None, person=leader, role=Role.UNIT_LEADER, units=[skole_a])
    for i in range(3):
        make_person(org, skole_a, f"211{i}", f"Anna{i}", "Andersen")
    med = make_person(org, pleje, "3101", "Mette", "Med", email="med@testby.test", with_user=True)
    services.role_assign(actor=None, person=med, role=Role.MED_REP, units=[aeldre])
    employee = make_person(org, skole_b, "2201", "Erik", "Ansat", email="ansat@testby.test", with_user=True)
    make_person(org, pleje, "3102", "Ole", "Uden-Mail")

    outsider = make_person(
        other_org, other_unit, "9001", "Otto", "Udenfor", email="otto@andenby.test", with_user=True
    )
    services.role_assign(actor=None, person=outsider, role=Role.ORG_ADMIN, units=[])

    return Personas(
        org=org,
        other_org=other_org,
        units=units,
        other_unit=other_unit,
        platform_admin=platform_admin,
        org_admin=hr.user,  # type: ignore[arg-type]
        leader=leader.user,  # type: ignore[arg-type]
        med_rep=med.user,  # type: ignore[arg-type]
        employee=employee.user,  # type: ignore[arg-type]
        outsider=outsider.user,  # type: ignore[arg-type]
        leader_person=leader,
        employee_person=employee,
        outsider_person=outsider,
    )


def settings_for_tests(media_root: Path) -> dict[str, Any]:
    """The settings every test runs under: tasks run at once, mail stays in memory, fast hashing."""
    from django.conf import settings

    return {
        "TASKS": {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "MEDIA_ROOT": media_root,
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        # WhiteNoise looks a static file up when it is asked for, as under `runserver`. Otherwise every
        # new test Client (one per test) builds its middleware, and WhiteNoise stats and indexes every
        # file the static finders list (all of DKFDS): that was half the time of a view test.
        "WHITENOISE_AUTOREFRESH": True,
        "STORAGES": {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    }


@contextmanager
def data_for_module(django_db_blocker: Any) -> Iterator[None]:
    """Rows a module-scoped fixture builds once for all tests of a module, in a transaction rolled
    back after the module (Django's setUpTestData; `world` in puls/core/tests/conftest.py works so).

    Each test runs in a savepoint inside it (pytest-django's `db`), so what a test changes is undone
    before the next one. Every test of the module then sees the rows, also one that does not ask for
    the fixture, once a test before it did; and the module's tests must not use `transactional_db`.
    Build under `settings_for_tests` (the autouse fixture that applies them is function-scoped)."""
    from django.apps import apps
    from django.db import transaction

    from puls.surveys.itembank import BankModels, load_shipped_bank

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            # As the root conftest does before every database test: an earlier flush may have removed it.
            load_shipped_bank(BankModels.from_apps(apps))
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def pdf_page_image(pdf_path: Path, *, page: int = 1, dpi: int = 30) -> "Image.Image":
    """One page of a PDF rendered to an image by poppler, as a printer or viewer would draw it."""
    import subprocess  # nosec B404 (tests run poppler on PDFs they made)
    import tempfile

    from PIL import Image

    with tempfile.TemporaryDirectory() as directory:
        prefix = Path(directory) / "page"
        subprocess.run(  # noqa: S603  # nosec B603 (fixed command on a file the test wrote)
            [
                "/usr/bin/pdftoppm",
                "-png",
                "-r",
                str(dpi),
                "-f",
                str(page),
                "-l",
                str(page),
                str(pdf_path),
                str(prefix),
            ],
            check=True,
            capture_output=True,
        )
        (png,) = Path(directory).glob("page*.png")
        with Image.open(png) as image:
            image.load()
            return image.copy()


def dark_share(image: "Image.Image") -> float:
    """The share of a page's pixels that are darker than mid-grey: text, lines, filled areas."""
    grey = image.convert("L")
    return sum(1 for value in grey.tobytes() if value < 128) / (grey.width * grey.height)
