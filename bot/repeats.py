"""Each request acted on once: its key is recorded before its work, or with it.

A request is known by its `event_id` (events Slack re-sends) or by its signature (the same
signed request arriving again: a client or proxy sending it twice, or a replay). The key
goes into `processed_events` with `INSERT ... ON CONFLICT DO NOTHING RETURNING`: of two
requests with the same key, only one gets the row back, and the other is a repeat.

Most requests record their key before the listener runs (`first`, its own transaction).
A slash command records it in its use case's transaction instead (`Pending`, taken by
`record_with`), so the command and its key commit together: one transaction per command,
not two, and a crash can neither lose the key of work that was done nor keep the key of
work that was not. What a command answers without a use case records its key just before
the answer leaves (`settle`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.models import ProcessedEvent

log = logging.getLogger(__name__)


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
        log.info("dropping a repeated request (%s)", pending.key[:12])
        raise Repeated(pending.key)
    return pending


def settle(engine: Engine, pending: Pending | None) -> None:
    """Record a key no use case took (its work read or refused, and wrote nothing)."""
    if pending is None or pending.recorded:
        return
    if not first(engine, pending.key, pending.team_id, pending.now):
        log.info("dropping a repeated request (%s)", pending.key[:12])
        raise Repeated(pending.key)
    pending.recorded = True
