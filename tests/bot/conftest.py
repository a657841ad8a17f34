"""What the core's own tests share: a database whose directory already knows the cast."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot import directory
from bot.db import make_engine, make_sessionmaker, transaction
from bot.models import Workspace
from bot.teams import actions as team_actions
from bot.usecase import Actor, Outcome
from devtools.cast import EVERYONE, Person

CAST_TEAM = "T0SPROUT"
KNOWN_SINCE = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)


@pytest.fixture
def cast_sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    """Sessions on a database where everyone in `devtools.cast` is in the directory, as
    Slack describes them (time zone, admin, bot, deactivated), in workspace CAST_TEAM.

    The workspace makes reporting lines at once (`trust`), so `build_team` builds a team in
    one step; the consent rules have tests of their own."""
    engine = make_engine(database_url)
    sessions = make_sessionmaker(engine)
    with transaction(sessions) as session:
        session.add(
            Workspace(team_id=CAST_TEAM, settings={"team_consent": "trust"}, created_at=KNOWN_SINCE)
        )
        for person in EVERYONE:
            user = {
                "id": person.user_id,
                "name": person.name,
                "tz": person.tz,
                "is_bot": person.is_bot,
                "deleted": person.deleted,
                "is_admin": person.is_admin,
            }
            directory.upsert(session, CAST_TEAM, user, KNOWN_SINCE)
    yield sessions
    engine.dispose()


@pytest.fixture
def act(cast_sessions: sessionmaker[Session]) -> Callable[..., Outcome]:
    """`act(use_case, person, *args, now=...)`: `person` does it, in one committed transaction
    (a Refusal propagates: nothing is written)."""

    def run(use_case: Callable[..., Outcome], person: Person, *args: Any, **kw: Any) -> Outcome:
        kw.setdefault("now", KNOWN_SINCE)
        with transaction(cast_sessions) as session:
            return use_case(session, Actor(CAST_TEAM, person.user_id), *args, **kw)

    return run


@pytest.fixture
def build_team(
    cast_sessions: sessionmaker[Session], act: Callable[..., Outcome]
) -> Callable[..., None]:
    """`build_team(manager, *reports)`: as `/team add` does it (schedules and welcome notes)."""

    def build(manager: Person, *reports: Person) -> None:
        ids = [report.user_id for report in reports]
        with cast_sessions() as session:
            members = dict(directory.cached(session, CAST_TEAM, ids))
        act(team_actions.add_reports, manager, ids, members)

    return build
