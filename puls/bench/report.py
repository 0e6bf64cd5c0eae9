"""`make bench SCENARIO=report`: the computation of a closed survey's report against one hand-written
SQL query, on PostgreSQL, at the size of a large municipality (see docs/benchmarks.md).

The scenario creates a dedicated database (`puls_bench_report`, dropped afterwards) and, in a
subprocess using it:

- builds (not timed) an organisation with a unit tree of BENCH_UNITS units (default 400, depth 3–4),
  a questionnaire of 80 Likert items in 20 scales, a closed survey (k=5, free-text threshold 10,
  background attribute job group) and BENCH_RESPONDENTS responses (default 50,000) whose answers are
  loaded with COPY; some answers are left blank, some respondents stop halfway (so the half rule
  drops their scale scores) and some units have fewer than 5 respondents (so suppression has work);
  then VACUUM ANALYZE;
- times ours and the baseline three times each, alternating, and keeps each side's best run.
  Ours: `report_compute` (every aggregate the report pages read, with roll-ups and suppression,
  stored as rows) plus rendering the organisation heatmap page as an organisation administrator
  (Django's test client). The baseline: one SQL query computing the same subtree × scale means and
  counts with the same definition (per-respondent scale score = mean of the answered items when at
  least half are answered; then n and mean over the respondents of each unit's subtree), joining
  answers to items and to a unit-ancestor table built beforehand (not timed). Both run with the
  report's session settings (`compute.analytic_session`: work_mem, no JIT, no nested loops).

A second subprocess builds the XLSX export of the organisation's report; its peak resident memory
(ru_maxrss of that process, Python and Django included) is `export_peak_mb`.

Output, one line: `bench report ratio=<ours/sql> ours_s=… sql_s=… export_peak_mb=…`.
"""

import json
import os
import random

# Fixed commands only: this module, run with the same interpreter.
import subprocess  # nosec B404
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres:postgres@127.0.0.1:5432/puls_bench_report"
DEFAULT_RESPONDENTS = 50_000
DEFAULT_UNITS = 400
ITEMS = 80
SCALES = 20
SECTIONS = 5
BRANCHING = 6  # 400 units: depths 0–4, leaves at depth 3 and 4
RUNS = 3
K = 5
FREE_TEXT_K = 10
JOB_GROUPS = (("Pædagog", 0.5), ("Administration", 0.3), ("Sundhed", 0.2))
# Units with at least this many respondents store answers per job group (each group then holds >= k).
SPLIT_FROM = 25
TINY_SHARE = 0.07  # share of leaf units with 1–4 respondents
BLANK_SHARE = 0.03  # answers left blank
HALFWAY_SHARE = 0.02  # respondents who stop after the first 30 items
ADMIN_EMAIL = "hr@bench-report.test"
SETUP_SECONDS = 3600
ROWS_PER_WRITE = 2000


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


# Building the data (runs with Django set up against the bench database) ------------------------------


@dataclass
class BenchSurvey:
    survey: Any
    admin: Any
    respondents: int
    answers: int


def _unit_sizes(rng: random.Random, units: int, respondents: int, parents: list[int | None]) -> list[int]:
    """Respondents per unit (direct staff): leaves carry most people, inner units a few, and about
    7% of the leaves have 1–4 respondents."""
    has_children = {parent for parent in parents if parent is not None}
    weights, sizes = [0.0] * units, [0] * units
    for unit in range(units):
        if unit not in has_children and unit > 0 and rng.random() < TINY_SHARE:
            sizes[unit] = rng.randint(1, K - 1)
        else:
            weights[unit] = rng.lognormvariate(0, 0.5) * (0.1 if unit in has_children else 1.0)
    remaining = max(respondents - sum(sizes), 0)
    total = sum(weights) or 1.0
    for unit in range(units):
        sizes[unit] += int(remaining * weights[unit] / total)
    leftover = respondents - sum(sizes)
    ranked = sorted(range(units), key=lambda unit: -weights[unit])
    for step in range(max(leftover, 0)):
        sizes[ranked[step % len(ranked)]] += 1
    return sizes


def _sqlite_value(text: str) -> Any:
    """A COPY text field as the SQLite backend stores it (NULL, booleans as 1/0)."""
    return {r"\N": None, "t": 1, "f": 0}.get(text, text)


def _rows_writer(table: str, columns: list[str]) -> Any:
    """A context manager whose `write(lines)` appends tab-separated rows to `table`: COPY on
    PostgreSQL, batched INSERTs elsewhere (SQLite, for the smoke test)."""
    from contextlib import contextmanager

    from django.db import connection

    @contextmanager
    def writer() -> Iterator[Callable[[list[str]], None]]:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                raw = cursor.cursor  # psycopg's own cursor, for COPY
                with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    yield lambda lines: copy.write("".join(lines))
            else:
                marks = ", ".join(["%s"] * len(columns))
                insert = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # nosec B608 (table and column names are ours)

                def write(lines: list[str]) -> None:
                    rows = [[_sqlite_value(v) for v in line.rstrip("\n").split("\t")] for line in lines]
                    cursor.executemany(insert, rows)

                yield write

    return writer()


def build(*, respondents: int, units: int, seed: int = 2026, analyse: bool = True) -> BenchSurvey:
    """The organisation, questionnaire and closed survey with its responses (see the module text).
    `analyse` runs VACUUM ANALYZE afterwards (PostgreSQL; not possible inside a test's transaction)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from puls.invitations.models import Ballot, BallotCell, ParticipationCount
    from puls.organisations import services as organisation_services
    from puls.organisations.models import Employment, Person, Role, Unit
    from puls.surveys.ballot_kind import SURVEY_KIND
    from puls.surveys.models import (
        Domain,
        Item,
        ItemBank,
        Questionnaire,
        Scale,
        Section,
        SectionItem,
        Survey,
    )

    rng = random.Random(seed)  # nosec B311 (reproducible benchmark data, not security)
    with transaction.atomic():
        organisation = organisation_services.organisation_create(
            actor=None, name="Bench Kommune", slug="bench-report"
        )
        parents: list[int | None] = [None] + [(n - 1) // BRANCHING for n in range(1, units)]
        unit_rows: list[Unit] = []
        for n, parent in enumerate(parents):
            unit = Unit(
                organisation=organisation,
                code=f"{1000 + n}",
                name="Bench Kommune" if n == 0 else f"Enhed {1000 + n}",
                parent=None if parent is None else unit_rows[parent],
            )
            unit.compute_path()
            unit_rows.append(unit)
        Unit.objects.bulk_create(unit_rows)

        hr = Person.objects.create(
            organisation=organisation,
            employee_number="1",
            first_name="Hanne",
            last_name="HR",
            email=ADMIN_EMAIL,
        )
        Employment.objects.create(
            person=hr, unit=unit_rows[0], job_group="Administration", start_date=date(2015, 1, 1)
        )
        admin = organisation_services.user_for_person(person=hr)
        organisation_services.role_assign(actor=None, person=hr, role=Role.ORG_ADMIN, units=[])

        bank = ItemBank.objects.create(organisation=organisation, code="bench", name="Bench items")
        domain = Domain.objects.create(bank=bank, code="bench", name_da="Bench", name_en="Bench")
        scales = Scale.objects.bulk_create(
            [
                Scale(
                    bank=bank,
                    domain=domain,
                    code=f"scale-{n}",
                    name_da=f"Skala {n + 1}",
                    name_en=f"Scale {n + 1}",
                    higher_is_better=n % 5 != 3,
                    is_outcome=n == SCALES - 1,
                    order=n,
                )
                for n in range(SCALES)
            ]
        )
        options = [{"da": label, "en": label} for label in ("5", "4", "3", "2", "1")]
        items = Item.objects.bulk_create(
            [
                Item(
                    bank=bank,
                    scale=scales[n % SCALES],
                    code=f"item-{n}",
                    kind=Item.Kind.LIKERT,
                    text_da=f"Spørgsmål {n + 1}",
                    text_en=f"Question {n + 1}",
                    options=options,
                    order=n,
                )
                for n in range(ITEMS)
            ]
        )
        questionnaire = Questionnaire.objects.create(
            organisation=organisation, kind=Questionnaire.Kind.TRIVSEL, name="Bench trivsel", frozen=True
        )
        per_section = ITEMS // SECTIONS
        for number in range(SECTIONS):
            section = Section.objects.create(
                questionnaire=questionnaire, title_da=f"Afsnit {number + 1}", order=number
            )
            SectionItem.objects.bulk_create(
                [
                    SectionItem(section=section, item=item, order=position)
                    for position, item in enumerate(items[number * per_section : (number + 1) * per_section])
                ]
            )

        now = timezone.now()
        sizes = _unit_sizes(rng, units, respondents, parents)
        respondents = sum(sizes)  # more than asked only when the tiny units alone exceed it
        ballot = Ballot.objects.create(
            organisation=organisation,
            kind=SURVEY_KIND,
            title="Trivselsmåling (bench)",
            status=Ballot.Status.CLOSED,
            opens_at=now - timedelta(days=30),
            closes_at=now - timedelta(days=2),
            launched_at=now - timedelta(days=31),
            closed_at=now - timedelta(days=2),
            requested_k=K,
            requested_free_text_k=FREE_TEXT_K,
            k=K,
            free_text_k=FREE_TEXT_K,
            attributes=["job_group"],
            invited_count=0,
            completed_count=respondents,
            counted_at=now - timedelta(days=2),
            shuffled_count=respondents,
        )
        survey = Survey.objects.create(
            organisation=organisation,
            ballot=ballot,
            questionnaire=questionnaire,
            release_leaders_at=now - timedelta(days=1),
            release_everyone_at=now - timedelta(days=1),
        )

        # Storage cells: per job group where the unit is large enough, else one cell without attributes.
        cells: list[tuple[BallotCell, int]] = []
        counts = []
        for unit, size in zip(unit_rows, sizes, strict=True):
            invited = size + size // 3 + 1
            counts.append(ParticipationCount(ballot=ballot, unit=unit, invited=invited, completed=size))
            if size >= SPLIT_FROM:
                taken = 0
                for position, (group, share) in enumerate(JOB_GROUPS):
                    part = size - taken if position == len(JOB_GROUPS) - 1 else round(size * share)
                    taken += part
                    cell = BallotCell(
                        ballot=ballot,
                        unit=unit,
                        attributes={"job_group": group},
                        invited_count=part + part // 3,
                    )
                    cells.append((cell, part))
            elif size:
                cells.append(
                    (BallotCell(ballot=ballot, unit=unit, attributes={}, invited_count=invited), size)
                )
        BallotCell.objects.bulk_create([cell for cell, _size in cells], batch_size=1000)
        ParticipationCount.objects.bulk_create(counts, batch_size=1000)
        Ballot.objects.filter(pk=ballot.pk).update(invited_count=sum(count.invited for count in counts))

        # Answers: a unit × scale climate, a respondent's own level, noise; scored 0/25/50/75/100.
        unit_index = {unit.pk: n for n, unit in enumerate(unit_rows)}
        climate = [[rng.gauss(0, 10) for _scale in range(SCALES)] for _unit in range(units)]
        scale_level = [rng.gauss(60, 8) for _scale in range(SCALES)]
        item_scale = [n % SCALES for n in range(ITEMS)]
        item_ids = [item.pk.hex for item in items]
        survey_id = survey.pk.hex
        getrandbits, gauss, chance = rng.getrandbits, rng.gauss, rng.random
        # One COPY at a time per connection: the responses first, then their answers.
        responses = [(f"{getrandbits(128):032x}", cell) for cell, size in cells for _n in range(size)]
        # Stored order as after the shuffle task (DESIGN §4.11): responses in random order, answers
        # shuffled within batches.
        rng.shuffle(responses)
        with _rows_writer("surveys_response", ["id", "survey_id", "cell_id", "shuffled"]) as write:
            for start in range(0, len(responses), ROWS_PER_WRITE):
                write(
                    [
                        f"{response_id}\t{survey_id}\t{cell.pk.hex}\tt\n"
                        for response_id, cell in responses[start : start + ROWS_PER_WRITE]
                    ]
                )
        answers = 0
        with _rows_writer("surveys_answer", ["id", "response_id", "item_id", "value", "text"]) as write:
            lines: list[str] = []
            for response_id, cell in responses:
                unit_climate = climate[unit_index[cell.unit_id]]
                own = gauss(0, 12)
                last = 30 if chance() < HALFWAY_SHARE else ITEMS
                for n in range(last):
                    if chance() < BLANK_SHARE:
                        continue
                    scale = item_scale[n]
                    level = scale_level[scale] + unit_climate[scale] + own + gauss(0, 18)
                    value = 25 * min(4, max(0, round(level / 25)))
                    lines.append(f"{getrandbits(128):032x}\t{response_id}\t{item_ids[n]}\t{value}\t\n")
                if len(lines) >= ROWS_PER_WRITE * 40:
                    rng.shuffle(lines)
                    answers += len(lines)
                    write(lines)
                    lines = []
            answers += len(lines)
            write(lines)

    if analyse and connection.vendor == "postgresql":
        # Statistics for every table (the planner needs them for the small ones too), and the
        # visibility map and hint bits set, as on a database that has been running for a while.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return BenchSurvey(survey=survey, admin=admin, respondents=respondents, answers=answers)


# Baseline ----------------------------------------------------------------------------------------------


def baseline_prepare(survey: Any) -> None:
    """The unit-ancestor table the baseline joins: (unit, each of its ancestors and itself). Built
    once, before timing, in the connection's session (a temporary table)."""
    from django.db import connection

    from puls.organisations.models import Unit

    rows = [
        (unit_id.hex, ancestor)
        for unit_id, path in Unit.objects.filter(organisation_id=survey.organisation_id).values_list(
            "id", "path"
        )
        for ancestor in path.strip("/").split("/")
    ]
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_unit_ancestor")
        kind = "uuid" if connection.vendor == "postgresql" else "char(32)"
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_unit_ancestor"
            f" (unit_id {kind} NOT NULL, ancestor_id {kind} NOT NULL)"
        )
        cursor.executemany("INSERT INTO bench_unit_ancestor (unit_id, ancestor_id) VALUES (%s, %s)", rows)
        cursor.execute("CREATE INDEX bench_unit_ancestor_unit ON bench_unit_ancestor (unit_id)")
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE bench_unit_ancestor")


# One query: scored answers → per-respondent scale scores (half rule) → subtree × scale n and mean.
# Written the way we would by hand for speed: the answers are grouped per (response, scale) before
# anything else is joined, so only the ~1M respondent scores meet the responses and the ancestors.
BASELINE_SQL = """
WITH scale_item AS (
    SELECT item.id AS item_id, item.scale_id, count(*) OVER (PARTITION BY item.scale_id) AS items
    FROM surveys_sectionitem section_item
    JOIN surveys_section section ON section.id = section_item.section_id
    JOIN surveys_item item ON item.id = section_item.item_id
    WHERE section.questionnaire_id = %(questionnaire)s AND item.kind = 'likert' AND item.scale_id IS NOT NULL
),
respondent_score AS (
    SELECT answer.response_id, scale_item.scale_id, CAST(avg(answer.value) AS DOUBLE PRECISION) AS score
    FROM surveys_answer answer
    JOIN scale_item ON scale_item.item_id = answer.item_id
    WHERE answer.value IS NOT NULL
      AND answer.response_id IN (SELECT id FROM surveys_response WHERE survey_id = %(survey)s)
    GROUP BY answer.response_id, scale_item.scale_id, scale_item.items
    HAVING 2 * count(*) >= scale_item.items
)
SELECT unit_ancestor.ancestor_id, respondent_score.scale_id,
       count(*) AS n, avg(respondent_score.score) AS mean
FROM respondent_score
JOIN surveys_response response ON response.id = respondent_score.response_id
JOIN invitations_ballotcell cell ON cell.id = response.cell_id
JOIN bench_unit_ancestor unit_ancestor ON unit_ancestor.unit_id = cell.unit_id
GROUP BY unit_ancestor.ancestor_id, respondent_score.scale_id
"""


def baseline_query(survey: Any) -> list[tuple[Any, ...]]:
    """Subtree × scale (n, mean) rows of the survey, from the one query (needs `baseline_prepare`)."""
    from django.db import connection

    from puls.surveys.models import Survey
    from puls.surveys.reports.compute import analytic_session

    def param(value: uuid.UUID) -> Any:
        return Survey._meta.pk.get_db_prep_value(value, connection)  # type: ignore[union-attr]

    # The same session settings as ours (work_mem, no JIT, no nested loops): the comparison is of
    # the work, not of the settings.
    with analytic_session(), connection.cursor() as cursor:
        cursor.execute(
            BASELINE_SQL, {"questionnaire": param(survey.questionnaire_id), "survey": param(survey.pk)}
        )
        return cursor.fetchall()


# Ours --------------------------------------------------------------------------------------------------


def ours(survey: Any, client: Any) -> None:
    """Compute and store the report, then render the organisation heatmap (as its HR would)."""
    from puls.surveys.reports.compute import report_compute

    report_compute(survey=survey)
    response = client.get(heatmap_url(survey), HTTP_ACCEPT_LANGUAGE="da")
    if response.status_code != 200:
        raise RuntimeError(f"The heatmap page answered {response.status_code}")
    _body = response.content


def heatmap_url(survey: Any) -> str:
    """The heatmap of the whole organisation (its root unit)."""
    from django.urls import reverse

    from puls.organisations.models import Unit

    root = Unit.objects.get(organisation_id=survey.organisation_id, parent__isnull=True)
    return reverse(
        "surveys:report:heatmap",
        kwargs={"org_slug": survey.organisation.slug, "survey_id": survey.pk, "unit_id": root.pk},
    )


def admin_client(admin: Any) -> Any:
    from django.test import Client

    client = Client()
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _timed(work: Callable[[], Any]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


# Subprocesses ------------------------------------------------------------------------------------------


def _run(out_path: str, respondents: int, units: int) -> None:
    """Migrate, build, time both sides; write the figures to `out_path`."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    started = time.perf_counter()
    data = build(respondents=respondents, units=units)
    loaded = time.perf_counter() - started
    baseline_prepare(data.survey)
    client = admin_client(data.admin)
    # Alternating runs, so a change of load on the machine during the run hits both sides alike.
    sql_runs, our_runs = [], []
    for _run in range(RUNS):
        sql_runs.append(_timed(lambda: baseline_query(data.survey)))
        our_runs.append(_timed(lambda: ours(data.survey, client)))
    figures = {
        "survey": str(data.survey.pk),
        "answers": data.answers,
        "load_s": loaded,
        "sql_s": min(sql_runs),
        "ours_s": min(our_runs),
        "sql_runs": sql_runs,
        "our_runs": our_runs,
    }
    Path(out_path).write_text(json.dumps(figures))


def _export(survey_id: str) -> None:
    """Build the XLSX of the organisation's report, writing it to a temporary file."""
    import django

    django.setup()
    from puls.surveys.models import Survey
    from puls.surveys.reports.exports.xlsx import report_xlsx_write

    survey = Survey.objects.select_related("organisation").get(pk=uuid.UUID(survey_id))
    with tempfile.TemporaryFile() as target:
        report_xlsx_write(survey=survey, target=target)


def _child_env(database_url: str) -> dict[str, str]:
    import secrets

    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "puls.bench.settings",
            "PULS_BENCH": "1",
            "DEBUG": "False",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "False",
            "LOG_LEVEL": "WARNING",
            "CONN_MAX_AGE": "600",
        }
    )
    return env


def _seconds(runs: list[float]) -> str:
    return " ".join(f"{run:.2f}" for run in runs)


def _peak_mb_of(command: list[str], env: dict[str, str]) -> float:
    """Run `command` and return its peak resident memory in MB (ru_maxrss of that one child)."""
    child = subprocess.Popen(command, cwd=BASE_DIR, env=env)  # nosec B603
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise subprocess.CalledProcessError(child.returncode, command)
    return usage.ru_maxrss / 1024  # kilobytes on Linux


def report() -> str:
    from puls.bench.database import database_recreate, database_urls

    respondents = _env_int("BENCH_RESPONDENTS", DEFAULT_RESPONDENTS)
    units = _env_int("BENCH_UNITS", DEFAULT_UNITS)
    database_url, maintenance_url, name = database_urls(DEFAULT_DATABASE_URL)
    env = _child_env(database_url)
    try:
        database_recreate(maintenance_url, name, create=True)
        with tempfile.TemporaryDirectory() as folder:
            out_path = str(Path(folder) / "figures.json")
            subprocess.run(  # nosec B603
                [sys.executable, "-m", "puls.bench.report", "run", out_path, str(respondents), str(units)],
                cwd=BASE_DIR,
                env=env,
                check=True,
                timeout=SETUP_SECONDS,
            )
            figures = json.loads(Path(out_path).read_text())
        print(
            f"bench report: {respondents} respondents, {units} units, {figures['answers']} answers "
            f"loaded in {figures['load_s']:.0f} s; runs (s): sql {_seconds(figures['sql_runs'])}, "
            f"ours {_seconds(figures['our_runs'])}",
            file=sys.stderr,
        )
        export_mb = _peak_mb_of([sys.executable, "-m", "puls.bench.report", "export", figures["survey"]], env)
        ours_s, sql_s = figures["ours_s"], figures["sql_s"]
        return (
            f"bench report ratio={ours_s / sql_s:.2f} ours_s={ours_s:.2f} sql_s={sql_s:.2f} "
            f"export_peak_mb={export_mb:.0f}"
        )
    finally:
        database_recreate(maintenance_url, name, create=False)


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "run":
        _run(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    elif len(sys.argv) == 3 and sys.argv[1] == "export":
        _export(sys.argv[2])
