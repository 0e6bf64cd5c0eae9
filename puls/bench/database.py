"""The throwaway PostgreSQL databases of the benchmarks that need one (submit, report).

Each scenario names its own database, which must contain "bench" because it is dropped afterwards;
BENCH_DATABASE_URL overrides the scenario's default.
"""

import os
import re
from urllib.parse import urlsplit, urlunsplit


def database_urls(default_url: str) -> tuple[str, str, str]:
    """(bench database URL, maintenance URL, database name). Refuses names without "bench": the
    database is dropped afterwards."""
    url = os.environ.get("BENCH_DATABASE_URL", default_url)
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z0-9_]*bench[a-z0-9_]*", name):
        raise SystemExit(
            f"BENCH_DATABASE_URL must name a database with 'bench' in it (it is dropped): {name!r}"
        )
    return url, urlunsplit(parts._replace(path="/postgres")), name


def database_recreate(maintenance_url: str, name: str, *, create: bool) -> None:
    """Drop the database if it exists and, with `create`, create it empty."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(maintenance_url, autocommit=True, connect_timeout=5) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if create:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
