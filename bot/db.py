"""Engine, sessions and migrations for SQLite (embedded) and PostgreSQL (production)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Engine, create_engine, event, text
from sqlalchemy.exc import DisconnectionError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.types import TypeDecorator

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on every backend.

    SQLite has no time zones, so values are stored as naive UTC there and the zone is
    put back on the way out; naive values are refused so they never sneak in.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime given to the database: {value!r}")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine tuned per backend: SQLite serialises writers, PostgreSQL pools."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs
        )
        _tune_sqlite(engine)
        return engine
    engine = create_engine(url, **kwargs)
    _ping_when_idle(engine)
    return engine


# A pooled connection unused for this long is tried (`SELECT 1`) before it is handed out:
# one a PostgreSQL restart or a proxy's idle timeout dropped is replaced, not failed on.
# One in steady use is not: SQLAlchemy's `pool_pre_ping` would cost every checkout a
# round trip, and a request that fails on a connection dropped mid-use invalidates the
# pool, so the next ones reconnect.
IDLE_BEFORE_PING = 10.0  # seconds


def _ping_when_idle(engine: Engine) -> None:
    @event.listens_for(engine, "checkin")
    def _returned(dbapi_conn: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _handed_out(dbapi_conn: Any, record: Any, proxy: Any) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < IDLE_BEFORE_PING:
            return
        try:
            with dbapi_conn.cursor() as cursor:
                cursor.execute("SELECT 1")
        except engine.dialect.loaded_dbapi.Error as error:
            raise DisconnectionError(f"an idle connection was dropped: {error}") from error


def _tune_sqlite(engine: Engine) -> None:
    # One writer at a time in this process, waiting on a lock that wakes the next the
    # moment the last commits: SQLite's own busy wait polls with sleeps of up to 100 ms,
    # which under a burst of requests gave second-long tails. (Other processes on the
    # same file still meet SQLite's lock and its busy timeout.)
    writing = threading.RLock()
    holders: set[int] = set()  # the driver connections inside a transaction

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # We issue BEGIN ourselves (below), so the driver must not.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # IMMEDIATE takes the write lock up front: two threads that read then write
        # would otherwise deadlock and fail with "database is locked" at once.
        writing.acquire()
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            writing.release()
            raise
        holders.add(id(conn.connection))  # what the dialect's commit and rollback get

    def released_after(end: Callable[[Any], None]) -> Callable[[Any], None]:
        def ending(dbapi_conn: Any) -> None:
            try:
                end(dbapi_conn)
            finally:
                if id(dbapi_conn) in holders:
                    holders.discard(id(dbapi_conn))
                    writing.release()

        return ending

    # After the driver's COMMIT or ROLLBACK, not before (as the engine's events are).
    dialect: Any = engine.dialect
    dialect.do_commit = released_after(dialect.do_commit)
    dialect.do_rollback = released_after(dialect.do_rollback)


def insert_ignoring_duplicates(
    session: Session, model: type[Any], values: dict[str, Any], key: list[str], returning: Any
) -> Any:
    """INSERT ... ON CONFLICT DO NOTHING RETURNING: the value, or None if the key existed.

    Two processes racing to insert the same key both succeed without an error; only
    one gets a value back, and only that one acts on it.
    """
    from sqlalchemy.dialects import postgresql, sqlite

    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(model)
        .values(**values)
        .on_conflict_do_nothing(index_elements=key)
        .returning(returning)
    )
    return session.scalar(statement)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose work is committed together, or not at all."""
    with sessions() as session, session.begin():
        yield session


def alembic_config(engine: Engine | None = None) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply migrations; safe to call on every start (a no-op when up to date)."""
    from alembic import command

    config = alembic_config(engine)
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Several gunicorn workers may start at once: migrate one at a time.
            connection.execute(text("SELECT pg_advisory_xact_lock(735412)"))
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def database_answers(engine: Engine) -> bool:
    """For health checks: can we run a trivial query right now?"""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except OperationalError:
        return False
    return True
