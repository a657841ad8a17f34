"""Shared fixtures: a local Slack, a database per backend, and Sprout running over HTTP.

The suite runs on SQLite; set TEST_DATABASE_URL (e.g.
postgresql+psycopg://postgres@127.0.0.1:5432/test) to run every database test on
PostgreSQL as well.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import make_url, text

from bot.db import make_engine, upgrade
from bot.models import Base
from devtools.cast import seed
from devtools.harness import Sprout
from devtools.local_slack import LocalSlack

# A Monday, mid-afternoon in New York: most tests start here.
MONDAY = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (faster than migrating each time)."""
    path = tmp_path_factory.mktemp("db") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


def _worker_database(url: str) -> str:
    """The database this pytest-xdist worker owns: TEST_DATABASE_URL's, suffixed by worker.

    Workers run at once and each empties its database between tests, so they can't share one.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = make_engine(url)
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        exists = conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        ).first()
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    url = _worker_database(os.environ["TEST_DATABASE_URL"])
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    upgrade(engine)
    engine.dispose()
    yield url


def _empty_postgres(url: str) -> None:
    engine = make_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "sprout.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_url")
    _empty_postgres(url)
    return url


@pytest.fixture
def slack() -> Iterator[LocalSlack]:
    with LocalSlack() as server:
        seed(server)
        yield server
        assert server.internal_errors == [], "the local Slack itself failed"


@pytest.fixture
def sprout(slack: LocalSlack, database_url: str) -> Iterator[Sprout]:
    running = Sprout(slack, database_url, MONDAY)
    yield running
    running.close()
