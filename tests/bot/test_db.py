"""The engine per backend: SQLite's writers take turns, PostgreSQL's idle connections are
tried before use."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.pool import NullPool

from bot import db
from bot.db import make_engine, make_sessionmaker, transaction
from bot.models import ProcessedEvent

NOW = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def record(engine: Engine, key: str) -> None:
    with transaction(make_sessionmaker(engine)) as session:
        session.add(ProcessedEvent(event_id=key, team_id="T1", received_at=NOW))


def recorded(engine: Engine) -> int:
    with make_sessionmaker(engine)() as session:
        return session.scalar(select(func.count()).select_from(ProcessedEvent)) or 0


def in_another_thread(work) -> bool:
    """Whether `work` finished in another thread (a writer left holding the lock would
    keep it waiting)."""
    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(timeout=20)
    return not thread.is_alive()


def test_many_writers_at_once_each_commit(engine: Engine):
    threads = [
        threading.Thread(target=lambda n=n: [record(engine, f"{n}-{i}") for i in range(20)])
        for n in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert recorded(engine) == 160


def test_a_transaction_rolled_back_lets_the_next_writer_in(engine: Engine):
    with pytest.raises(RuntimeError), transaction(make_sessionmaker(engine)) as session:
        session.add(ProcessedEvent(event_id="undone", team_id="T1", received_at=NOW))
        raise RuntimeError("changed my mind")

    assert in_another_thread(lambda: record(engine, "next"))
    assert recorded(engine) == 1


def test_a_session_that_only_read_lets_the_next_writer_in(engine: Engine):
    assert recorded(engine) == 0  # a session that began, read and closed

    assert in_another_thread(lambda: record(engine, "next"))


def test_a_connection_idle_long_enough_is_tried_and_replaced_when_dropped(
    engine: Engine, database_url: str, monkeypatch
):
    if engine.dialect.name != "postgresql":
        pytest.skip("a PostgreSQL pool")
    with engine.connect() as connection:
        dropped = connection.scalar(text("SELECT pg_backend_pid()"))
    killer = make_engine(database_url, poolclass=NullPool)
    with killer.connect() as connection:
        connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": dropped})
    killer.dispose()
    monkeypatch.setattr(db, "IDLE_BEFORE_PING", 0.0)

    with engine.connect() as connection:
        assert connection.scalar(text("SELECT pg_backend_pid()")) != dropped
