"""Each request acted on once: its key is recorded before its work, or with it.

A request is known by its `event_id` (events Slack re-sends) or by its signature (the same
signed request arriving again: a client or proxy sending it twice, or a replay). The key
goes into `processed_events` with `INSERT ... ON CONFLICT DO NOTHING RETURNING`: of two
requests with the same key, only one gets the row back, and the other is a repeat.

Most requests record their key before the listener runs (`first`, its own transaction).
A slash command records it in its use case's transaction instead (`Pending`, taken by
`record_with`), so the command and its key commit together: one transaction per command,
not two, and a crash can neither lose the key of work that was done nor keep the key of
work that was not. Where a use case's insert can carry the key (`recorded_in`), it is
one statement, not two. What a command answers without a use case records its key just
before the answer leaves (`settle`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Connection, Engine, Insert, Table, bindparam, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.models import ProcessedEvent

log = logging.getLogger(__name__)
T = TypeVar("T")


class Repeated(Exception):
    """The request was acted on already: nothing more is done or said."""


@dataclass
class Pending:
    """A command's key, to be recorded with its work."""

    key: str
    team_id: str
    now: datetime
    recorded: bool = False


_PENDING: ContextVar[Pending | None] = ContextVar("sprout_pending_request", default=None)


def first(engine: Engine, key: str, team_id: str, now: datetime) -> bool:
    """Record `key` on a connection of its own, committed at once; False when it was
    recorded already (by this or another process)."""
    with engine.begin() as connection:
        return _insert(connection, key, team_id, now)


def _insert(connection: Connection, key: str, team_id: str, now: datetime) -> bool:
    values = {"event_id": key, "team_id": team_id, "received_at": now}
    statement = _statement(connection.dialect.name)
    return connection.execute(statement, values).first() is not None


@cache
def _statement(dialect: str) -> Any:
    """The insert, built once per dialect (values are bound each time)."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (
        insert(ProcessedEvent)
        .on_conflict_do_nothing(index_elements=["event_id"])
        .returning(ProcessedEvent.event_id)
    )


@contextmanager
def with_the_work(engine: Engine, pending: Pending | None) -> Iterator[None]:
    """Within it, the first use case's transaction records `pending` (`record_with`); what
    is left unrecorded is recorded on the way out (`settle`). Raises `Repeated`."""
    token = _PENDING.set(pending)
    try:
        yield
    finally:
        _PENDING.reset(token)
    settle(engine, pending)


def record_with(session: Session) -> Pending | None:
    """Record the pending key in `session`'s transaction; the caller marks it recorded
    once that commits (`Pending.recorded`). Raises `Repeated` when it was recorded already.
    """
    pending = _PENDING.get()
    if pending is None or pending.recorded:
        return None
    if not _insert(session.connection(), pending.key, pending.team_id, pending.now):
        raise _repeated(pending.key)
    return pending


@contextmanager
def recorded_in(session: Session, use_case: object) -> Iterator[Pending | None]:
    """Around a use case's work in `session`'s transaction: the pending key is recorded
    in it (`record_with`). Where the use case's inserts carry it (`carries_the_key`) and
    the database can (PostgreSQL), its first insert records it in the same statement
    (`carry`), and a use case that inserts nothing records it after its work.

    Only use cases whose writes are inserts of new rows may carry the key: a twin request
    then meets the key, not a row it would conflict on, whichever statement comes first.
    """
    if not getattr(use_case, _CARRIES, False) or session.get_bind().dialect.name != "postgresql":
        yield record_with(session)
        return
    pending = _PENDING.get()
    if pending is None or pending.recorded:
        yield None
        return
    session.info[_TO_CARRY] = pending
    yield pending
    if session.info.pop(_TO_CARRY, None) is not None:  # no insert carried it
        record_with(session)


_CARRIES = "_sprout_carries_the_key"
_TO_CARRY = "sprout_key_to_carry"


def carries_the_key(use_case: T) -> T:
    """Mark a use case whose writes are only inserts of new rows (see `recorded_in`)."""
    setattr(use_case, _CARRIES, True)
    return use_case


def carry(session: Session) -> dict[str, Any] | None:
    """For an insert built by `carrying`: the pending key's values, which it takes; None
    when there is no key for it to carry (then the plain insert is the one to run)."""
    pending: Pending | None = session.info.pop(_TO_CARRY, None)
    if pending is None:
        return None
    return {"request_key": pending.key, "request_team": pending.team_id, "request_at": pending.now}


def carrying(table: Table, columns: Mapping[str, ColumnElement[Any]]) -> Insert:
    """`INSERT INTO table` of one row of `columns` (name: value, bound or computed) that
    also records the key (`carry`'s values) in the same statement, in a data-modifying
    WITH, and inserts no row when the key was recorded already: run it, and no row back
    means a repeat (`repeated`)."""
    key = (
        postgresql.insert(ProcessedEvent)
        .values(
            event_id=bindparam("request_key"),
            team_id=bindparam("request_team"),
            received_at=bindparam("request_at"),
        )
        .on_conflict_do_nothing(index_elements=["event_id"])
        .returning(ProcessedEvent.event_id)
        .cte("request")
    )
    row = select(*columns.values()).select_from(key)
    return insert(table).from_select(list(columns), row)


def repeated(carried: dict[str, Any]) -> Repeated:
    """What to raise when an insert that carried the key (`carry`) inserted nothing."""
    return _repeated(carried["request_key"])


def _repeated(key: str) -> Repeated:
    log.info("dropping a repeated request (%s)", key[:12])
    return Repeated(key)


def settle(engine: Engine, pending: Pending | None) -> None:
    """Record a key no use case took (its work read or refused, and wrote nothing)."""
    if pending is None or pending.recorded:
        return
    if not first(engine, pending.key, pending.team_id, pending.now):
        raise _repeated(pending.key)
    pending.recorded = True
