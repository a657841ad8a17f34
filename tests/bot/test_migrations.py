from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, text

from bot.db import make_engine, upgrade
from bot.models import Base
from tests.conftest import BACKENDS, MONDAY


def include_name(name, type_, parent_names) -> bool:
    return not (type_ == "table" and name.startswith("slack_"))


def test_migrations_build_exactly_the_models(database_url: str):
    engine = make_engine(database_url)
    upgrade(engine)  # idempotent on an up-to-date database
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": include_name})
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert diff == []


@pytest.fixture(params=BACKENDS)
def unmigrated(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on a database with no tables yet; PostgreSQL's is migrated again after."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
        yield engine
        engine.dispose()
        return
    engine = make_engine(request.getfixturevalue("postgres_url"))
    _empty_schema(engine)
    yield engine
    _empty_schema(engine)
    upgrade(engine)
    engine.dispose()


def _empty_schema(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))


def test_records_saved_before_0020_are_numbered_among_their_givers_records_of_a_kind(
    unmigrated: Engine,
):
    engine = unmigrated
    upgrade(engine, "0019")
    saved = [("maya", "praise"), ("maya", "praise"), ("leo", "praise"), ("maya", "note")]
    with engine.begin() as connection:
        for number, (giver, kind) in enumerate(saved):
            connection.execute(
                text(
                    "INSERT INTO feedback (team_id, giver_id, about_id, kind, topic, text,"
                    " source, token, created_at) VALUES ('T1', :giver, 'ravi', :kind, '',"
                    " 'shipped it', 'command', :token, :at)"
                ),
                {"giver": giver, "kind": kind, "token": f"t{number}", "at": MONDAY},
            )
    upgrade(engine)
    with engine.connect() as connection:
        numbered = connection.execute(text("SELECT giver_id, kind, nth FROM feedback ORDER BY id"))
        assert [tuple(row) for row in numbered] == [
            ("maya", "praise", 0),
            ("maya", "praise", 1),
            ("leo", "praise", 0),
            ("maya", "note", 0),
        ]
