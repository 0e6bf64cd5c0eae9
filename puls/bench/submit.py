"""`make bench SCENARIO=submit`: anonymous submits of an 80-item questionnaire through gunicorn and
PostgreSQL (DESIGN §7.27), against a baseline that stores the same rows with raw SQL.

The scenario creates a dedicated database (`puls_bench`, dropped afterwards), migrates it and fills it
in subprocesses, starts gunicorn (2 workers) on the loopback address with `puls.bench.settings`, and
drives it from this process with 20 concurrent clients for BENCH_SECONDS (default 30) per phase,
each phase run in ROUNDS slices alternating with the other's:

- ours: the real answering flow's final step — POST of the review page (the sealed submit) with the
  ballot cookie (signed the way the entry page signs it) and the participant's draft of 80 answers
  saved beforehand; a submit counts when the POST answers with its success redirect (302 to the done
  page). Following the redirect to render the thank-you page would be a second request the baseline
  does not make, so it is not timed;
- baseline: one POST to a bench-only view that writes the same rows (1 Response, 80 Answers, the
  completed flag) with raw SQL in one transaction, without validation.

Afterwards the database is checked: every confirmed submit must have stored exactly one response with
80 answers and a completed invitation, and no invitation may have more than one response.
Output, one line: `bench submit ratio=<ours/baseline> ours_per_s=… baseline_per_s=… p95_ms=… lost=…
duplicated=…`. Setup and cleanup run outside the timed part; the server and the database are removed
even when something fails.
"""

import http.client
import json
import os
import random
import re
import secrets
import socket

# Fixed commands only: manage.py, gunicorn and this module.
import subprocess  # nosec B404
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from puls.bench.database import database_recreate as _database_recreate
from puls.bench.database import database_urls

BASE_DIR = Path(__file__).resolve().parent.parent.parent
HOST = "127.0.0.1"
CONCURRENCY = 20
WORKERS = 2
ITEMS = 80
SECTIONS = 8
UNITS = 40
DEFAULT_SECONDS = 30
ROUNDS = 3
DEFAULT_PEOPLE = 6000
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/puls_bench"
REQUEST_TIMEOUT = 60
SERVER_START_SECONDS = 60
SETUP_SECONDS = 900


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


@dataclass
class PhaseResult:
    confirmed: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed: float = 0.0

    def add(self, other: "PhaseResult") -> None:
        self.confirmed += other.confirmed
        self.latencies += other.latencies
        self.errors += other.errors
        self.elapsed += other.elapsed

    @property
    def per_second(self) -> float:
        return len(self.confirmed) / self.elapsed if self.elapsed else 0.0

    def p95_ms(self) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


class _Pool:
    """Hands out each prepared submit once, to whichever client thread asks first."""

    def __init__(self, entries: list[Any]) -> None:
        self._entries = iter(entries)
        self._lock = threading.Lock()

    def take(self) -> Any | None:
        with self._lock:
            return next(self._entries, None)


# Setup (runs in a subprocess with the bench database) ----------------------------------------------


def _setup(out_path: str, people: int) -> None:
    """Bench Kommune with `people` employees, an 80-item questionnaire and two launched surveys (one
    for our flow, one for the baseline); drafts saved for every participant of ours."""
    import django

    django.setup()
    from datetime import date, timedelta

    from django.core import signing
    from django.utils import timezone

    from puls.core.models import User
    from puls.invitations import tokens
    from puls.invitations.models import Draft, Invitation
    from puls.invitations.views import BALLOT_COOKIE_SALT, ballot_cookie_name
    from puls.organisations import services as organisation_services
    from puls.organisations.models import Employment, Person
    from puls.surveys import services
    from puls.surveys.models import Item, Questionnaire, Section, SectionItem

    rng = random.Random(80)  # nosec B311
    organisation = organisation_services.organisation_create(actor=None, name="Bench Kommune", slug="bench")
    root = organisation_services.unit_create(organisation=organisation, code="1", name="Bench Kommune")
    units = [
        organisation_services.unit_create(
            organisation=organisation, code=f"1{n:03}", name=f"Enhed {n}", parent=root
        )
        for n in range(UNITS)
    ]
    persons = [
        Person(
            organisation=organisation, employee_number=str(100000 + n), first_name="Bench", last_name=str(n)
        )
        for n in range(people)
    ]
    Person.objects.bulk_create(persons, batch_size=1000)
    Employment.objects.bulk_create(
        [
            Employment(person=person, unit=units[n % UNITS], job_group="Pædagog", start_date=date(2015, 1, 1))
            for n, person in enumerate(persons)
        ],
        batch_size=1000,
    )
    actor = User.objects.create_user(email="bench@puls.test", password=None, full_name="Bench")

    questionnaire = Questionnaire.objects.create(
        organisation=organisation, kind=Questionnaire.Kind.CUSTOM, name="Bench 80"
    )
    items: list[Item] = []
    sections: list[Section] = []
    for number in range(SECTIONS):
        section = Section.objects.create(
            questionnaire=questionnaire, title_da=f"Afsnit {number + 1}", order=number
        )
        sections.append(section)
        per_section = ITEMS // SECTIONS
        section_items = Item.objects.bulk_create(
            [
                Item(
                    organisation=organisation,
                    code=f"bench-{number}-{position}",
                    kind=Item.Kind.LIKERT,
                    text_da=f"Spørgsmål {number * per_section + position + 1}",
                    order=position,
                )
                for position in range(per_section)
            ]
        )
        SectionItem.objects.bulk_create(
            [SectionItem(section=section, item=item, order=n) for n, item in enumerate(section_items)]
        )
        items.extend(section_items)

    now = timezone.now()
    surveys = {}
    for name in ("ours", "baseline"):
        survey = services.survey_create(
            actor=actor,
            organisation=organisation,
            settings=services.SurveySettings(
                title=f"Bench {name}",
                questionnaire=questionnaire,
                opens_at=now - timedelta(minutes=1),
                closes_at=now + timedelta(days=1),
            ),
        )
        surveys[name] = services.survey_launch(actor=actor, survey=survey)

    ours = surveys["ours"].ballot
    cookie_name = ballot_cookie_name(ours.pk)
    signer = signing.get_cookie_signer(salt=cookie_name + BALLOT_COOKIE_SALT)
    saved = [section.id.hex for section in sections]
    entries, drafts = [], []
    for invitation_id, issue in Invitation.objects.filter(ballot=ours).values_list("id", "issue_number"):
        token = tokens.token_for(invitation_id, issue)
        answers = {item.id.hex: rng.randrange(5) for item in items}
        drafts.append(
            Draft(ballot=ours, key=tokens.token_draft_key(token), data={"answers": answers, "saved": saved})
        )
        entries.append([str(invitation_id), signer.sign(token)])
    Draft.objects.bulk_create(drafts, batch_size=1000)
    baseline = surveys["baseline"].ballot
    plan = {
        "ours": {"ballot": str(ours.pk), "cookie_name": cookie_name, "entries": entries},
        "baseline": {
            "ballot": str(baseline.pk),
            "invitations": [
                str(i) for i in Invitation.objects.filter(ballot=baseline).values_list("id", flat=True)
            ],
            "items": [item.id.hex for item in items],
        },
    }
    Path(out_path).write_text(json.dumps(plan))


# Driver -------------------------------------------------------------------------------------------


def _database_urls() -> tuple[str, str, str]:
    return database_urls(DEFAULT_DATABASE_URL)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def _server_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "puls.bench.settings",
            "PULS_BENCH": "1",
            "DEBUG": "False",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST,
            "SECURE_SSL_REDIRECT": "False",
            "LOG_LEVEL": "WARNING",
            "CONN_MAX_AGE": "600",
        }
    )
    env.pop("INVITATION_SECRET", None)
    return env


def _run(command: list[str], env: dict[str, str], timeout: int) -> None:
    subprocess.run(command, cwd=BASE_DIR, env=env, check=True, timeout=timeout)  # nosec B603


def _wait_until_serving(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped while starting")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/health/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not start in time")


def _csrf_pair(port: int) -> tuple[str, str]:
    """A CSRF cookie and a form token for it, from the code entry page (as a browser gets them)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    connection.request("GET", "/svar/")
    response = connection.getresponse()
    page = response.read().decode()
    cookies = " ".join(value for name, value in response.getheaders() if name.lower() == "set-cookie")
    cookie = re.search(r"csrftoken=([^;]+)", cookies)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if cookie is None or token is None:
        raise RuntimeError("The code entry page gave no CSRF token")
    return cookie.group(1), token.group(1)


def _ours_request(plan: dict[str, Any], csrf: tuple[str, str]) -> Any:
    ballot = plan["ballot"]
    review = f"/b/{ballot}/survey/review/"
    done = f"/b/{ballot}/survey/done/"
    body = urlencode({"csrfmiddlewaretoken": csrf[1]})

    def submit(connection: http.client.HTTPConnection, entry: list[str]) -> bool:
        _invitation_id, cookie = entry
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"{plan['cookie_name']}={cookie}; csrftoken={csrf[0]}",
        }
        connection.request("POST", review, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status == 302 and (response.getheader("Location") or "").endswith(done)

    return submit


def _baseline_request(plan: dict[str, Any]) -> Any:
    url = f"/bench/baseline/{plan['ballot']}/submit/"
    rng = random.Random(81)  # nosec B311
    scores = [(item, rng.choice((0, 25, 50, 75, 100))) for item in plan["items"]]

    def submit(connection: http.client.HTTPConnection, invitation_id: str) -> bool:
        body = urlencode({"invitation": invitation_id, **{f"q_{item}": score for item, score in scores}})
        connection.request(
            "POST", url, body=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
        response = connection.getresponse()
        return response.status == 200 and response.read() == b"ok"

    return submit


def _phase(port: int, pool: _Pool, send: Any, seconds: float) -> PhaseResult:
    """CONCURRENCY clients submit as fast as the server answers, until the time is up or the prepared
    submits run out."""
    result = PhaseResult()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client() -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
        while time.monotonic() < deadline:
            entry = pool.take()
            if entry is None:
                return
            started = time.monotonic()
            try:
                ok = send(connection, entry)
            except (OSError, http.client.HTTPException):
                connection.close()
                ok = False
            took = time.monotonic() - started
            key = entry[0] if isinstance(entry, list) else entry
            with lock:
                if ok:
                    result.confirmed.append(key)
                    result.latencies.append(took)
                else:
                    result.errors += 1
        connection.close()

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=CONCURRENCY) as clients:
        for future in [clients.submit(client) for _ in range(CONCURRENCY)]:
            future.result()
    result.elapsed = time.monotonic() - started
    return result


def _verify(database_url: str, ballot_id: str, confirmed: list[str]) -> tuple[int, int]:
    """(lost, duplicated) for one ballot, counted in the database after the run."""
    import psycopg

    with psycopg.connect(database_url, connect_timeout=5) as db:
        responses, full = db.execute(
            "SELECT count(*), count(*) FILTER (WHERE answers = %s) FROM ("
            " SELECT response.id, (SELECT count(*) FROM surveys_answer answer"
            "  WHERE answer.response_id = response.id) AS answers"
            " FROM surveys_response response JOIN surveys_survey survey ON survey.id = response.survey_id"
            " WHERE survey.ballot_id = %s) counted",
            [ITEMS, ballot_id],
        ).fetchone()  # type: ignore[misc]
        completed = db.execute(
            "SELECT count(*) FROM invitations_invitation WHERE ballot_id = %s AND completed", [ballot_id]
        ).fetchone()[0]  # type: ignore[index]
        unconfirmed_flags = db.execute(
            "SELECT count(*) FROM invitations_invitation"
            " WHERE id = ANY(%s::uuid[]) AND completed IS NOT TRUE",
            [confirmed],
        ).fetchone()[0]  # type: ignore[index]
    lost = max(unconfirmed_flags, len(confirmed) - full, 0)
    duplicated = max(responses - completed, 0)
    return lost, duplicated


def submit() -> str:
    seconds = float(_env_int("BENCH_SECONDS", DEFAULT_SECONDS))
    people = _env_int("BENCH_PEOPLE", DEFAULT_PEOPLE)
    database_url, maintenance_url, name = _database_urls()
    env = _server_env(database_url)
    server: subprocess.Popen[bytes] | None = None
    try:
        _database_recreate(maintenance_url, name, create=True)
        _run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], env, SETUP_SECONDS)
        with tempfile.TemporaryDirectory() as folder:
            plan_path = str(Path(folder) / "plan.json")
            _run(
                [sys.executable, "-m", "puls.bench.submit", "setup", plan_path, str(people)],
                env,
                SETUP_SECONDS,
            )
            plan = json.loads(Path(plan_path).read_text())
        port = _free_port()
        server = subprocess.Popen(  # nosec B603
            [
                sys.executable, "-m", "gunicorn", "config.wsgi:application",
                "--workers", str(WORKERS), "--bind", f"{HOST}:{port}",
                "--log-level", "warning", "--timeout", str(REQUEST_TIMEOUT),
            ],
            cwd=BASE_DIR,
            env=env,
        )  # fmt: skip
        _wait_until_serving(port, server)
        csrf = _csrf_pair(port)
        ours_pool = _Pool(plan["ours"]["entries"])
        baseline_pool = _Pool(plan["baseline"]["invitations"])
        ours_submit = _ours_request(plan["ours"], csrf)
        baseline_submit = _baseline_request(plan["baseline"])
        # Warm-up (not timed): every worker has served both paths before the clock starts.
        ours_warm = _phase(port, _Pool([ours_pool.take() for _ in range(CONCURRENCY)]), ours_submit, seconds)
        _phase(port, _Pool([baseline_pool.take() for _ in range(CONCURRENCY)]), baseline_submit, seconds)
        # Alternating slices, so a load change on the machine during the run hits both sides alike.
        baseline, ours = PhaseResult(), PhaseResult()
        for _round in range(ROUNDS):
            baseline.add(_phase(port, baseline_pool, baseline_submit, seconds / ROUNDS))
            ours.add(_phase(port, ours_pool, ours_submit, seconds / ROUNDS))
        if ours.errors or baseline.errors:
            print(
                f"bench submit: {ours.errors} of our submits and {baseline.errors} baseline submits failed",
                file=sys.stderr,
            )
        lost, duplicated = _verify(database_url, plan["ours"]["ballot"], ours_warm.confirmed + ours.confirmed)
        _baseline_lost, baseline_duplicated = _verify(database_url, plan["baseline"]["ballot"], [])
        if baseline_duplicated:
            print(f"bench submit: the baseline stored {baseline_duplicated} duplicates", file=sys.stderr)
        ratio = ours.per_second / baseline.per_second if baseline.per_second else 0.0
        return (
            f"bench submit ratio={ratio:.2f} ours_per_s={ours.per_second:.1f} "
            f"baseline_per_s={baseline.per_second:.1f} p95_ms={ours.p95_ms():.0f} "
            f"lost={lost} duplicated={duplicated}"
        )
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=5)
        _database_recreate(maintenance_url, name, create=False)


if __name__ == "__main__" and len(sys.argv) == 4 and sys.argv[1] == "setup":
    _setup(sys.argv[2], int(sys.argv[3]))
