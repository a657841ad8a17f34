"""Each request acted on once: a key recorded before the work, or with it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, func, select

from bot import repeats
from bot.db import make_engine, make_sessionmaker, transaction
from bot.models import ProcessedEvent
from tests.conftest import MONDAY

TEAM = "T0SPROUT"


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def keys(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(ProcessedEvent)) or 0


def test_a_key_is_first_once(engine: Engine):
    assert repeats.first(engine, "sig:a", TEAM, MONDAY) is True
    assert repeats.first(engine, "sig:a", TEAM, MONDAY) is False
    assert keys(engine) == 1


def test_a_commands_key_commits_with_its_work(engine: Engine):
    sessions = make_sessionmaker(engine)
    pending = repeats.Pending("sig:b", TEAM, MONDAY)

    with repeats.with_the_work(engine, pending):
        with transaction(sessions) as session:
            assert repeats.record_with(session) is pending
        pending.recorded = True

    assert keys(engine) == 1
    assert repeats.first(engine, "sig:b", TEAM, MONDAY) is False


def test_a_second_transaction_of_the_same_work_does_not_record_it_again(engine: Engine):
    sessions = make_sessionmaker(engine)
    pending = repeats.Pending("sig:c", TEAM, MONDAY, recorded=True)

    with repeats.with_the_work(engine, pending), transaction(sessions) as session:
        assert repeats.record_with(session) is None

    assert keys(engine) == 0  # recorded is the caller's word for it


def test_the_same_command_again_is_a_repeat_before_any_work(engine: Engine):
    sessions = make_sessionmaker(engine)
    repeats.first(engine, "sig:d", TEAM, MONDAY)

    again = repeats.Pending("sig:d", TEAM, MONDAY)
    with (
        pytest.raises(repeats.Repeated),
        repeats.with_the_work(engine, again),
        transaction(sessions) as session,
    ):
        repeats.record_with(session)


def test_work_that_wrote_nothing_has_its_key_recorded_on_the_way_out(engine: Engine):
    sessions = make_sessionmaker(engine)
    pending = repeats.Pending("sig:e", TEAM, MONDAY)

    with repeats.with_the_work(engine, pending):
        with pytest.raises(RuntimeError), transaction(sessions) as session:
            repeats.record_with(session)
            raise RuntimeError("refused: rolled back, key and all")
        assert keys(engine) == 0

    assert pending.recorded and keys(engine) == 1


def test_work_whose_key_another_request_recorded_meanwhile_is_a_repeat(engine: Engine):
    pending = repeats.Pending("sig:f", TEAM, MONDAY)

    with pytest.raises(repeats.Repeated), repeats.with_the_work(engine, pending):
        repeats.first(engine, "sig:f", TEAM, MONDAY)  # the twin, faster


def test_outside_a_commands_work_nothing_is_pending(engine: Engine):
    sessions = make_sessionmaker(engine)
    with transaction(sessions) as session:
        assert repeats.record_with(session) is None
    repeats.settle(engine, None)
    assert keys(engine) == 0
