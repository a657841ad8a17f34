"""Opening the Home tab, without Slack: from then on it is kept up to date."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.db import make_engine, make_sessionmaker, transaction
from bot.home.actions import open_home
from bot.models import PersonSettings
from bot.usecase import Actor
from devtools.harness import same_moment

NOW = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
RAVI = Actor("T0SPROUT", "URAVI0002")


def test_opening_home_remembers_the_latest_opening(database_url: str):
    engine = make_engine(database_url)
    sessions = make_sessionmaker(engine)
    for at in (NOW, NOW + timedelta(days=1)):
        with transaction(sessions) as session:
            outcome = open_home(session, RAVI, now=at)
        assert outcome.text == "" and outcome.send == []  # Home itself is the answer

    with sessions() as session:
        row = session.get(PersonSettings, (RAVI.team_id, RAVI.user_id))
        assert row is not None and same_moment(row.home_opened_at, NOW + timedelta(days=1))
    engine.dispose()
