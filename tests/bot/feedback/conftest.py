"""A database, and feedback saved into it, for the feedback core's tests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.db import make_engine, make_sessionmaker, transaction
from bot.feedback import store
from bot.feedback.rules import Kind, Origin
from bot.models import Feedback, ReportingLine
from devtools.cast import MAYA, RAVI

NOW = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
T = "T0SPROUT"


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(database_url)
    yield make_sessionmaker(engine)
    engine.dispose()


def save(
    sessions: sessionmaker[Session],
    giver: str = MAYA.user_id,
    about: str = RAVI.user_id,
    *,
    kind: Kind = Kind.NOTE,
    topic: str = "",
    text: str = "shipped the fix",
    at: datetime = NOW,
    token: str | None = None,
) -> Feedback:
    """One record, committed."""
    with transaction(sessions) as session:
        row, _ = store.record(
            session,
            team_id=T,
            giver_id=giver,
            about_id=about,
            kind=kind,
            topic=topic,
            text=text,
            origin=Origin.COMMAND,
            now=at,
            token=token,
        )
        return row


def manage(sessions: sessionmaker[Session], manager: str, report: str) -> None:
    with transaction(sessions) as session:
        session.add(
            ReportingLine(
                team_id=T, report_id=report, manager_id=manager, added_by=manager, since=NOW
            )
        )
