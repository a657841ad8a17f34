"""Each request acted on once: a key recorded before the work, or with it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, bindparam, event, func, select
from sqlalchemy.orm import Session

from bot import repeats
from bot.db import make_engine, make_sessionmaker, transaction
from bot.models import ProcessedEvent, Workspace
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


@repeats.carries_the_key
def open_a_workspace(session: Session, team_id: str) -> str:
    """A use case whose one write is an insert that carries the command's key."""
    values = {"team_id": team_id, "name": "Acme", "settings": {}, "created_at": MONDAY}
    carried = repeats.carry(session)
    if carried is None:
        session.add(Workspace(**values))
        return team_id
    columns = {name: bindparam(name, type_=Workspace.__table__.c[name].type) for name in values}
    statement = repeats.carrying(Workspace.__table__, columns).returning(Workspace.team_id)
    inserted = session.execute(statement, values | carried).scalar()
    if inserted is None:
        raise repeats.repeated(carried)
    return inserted


def workspaces(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(Workspace)) or 0


def test_an_insert_carries_the_commands_key_in_its_own_statement(engine: Engine):
    sessions = make_sessionmaker(engine)
    pending = repeats.Pending("sig:g", TEAM, MONDAY)
    statements: list[str] = []

    def count(connection: object, cursor: object, statement: str, *rest: object) -> None:
        statements.append(statement)

    with repeats.with_the_work(engine, pending):
        with transaction(sessions) as session:
            event.listen(engine, "before_cursor_execute", count)
            with repeats.recorded_in(session, open_a_workspace):
                assert open_a_workspace(session, TEAM) == TEAM
            event.remove(engine, "before_cursor_execute", count)
        pending.recorded = True

    assert keys(engine) == workspaces(engine) == 1
    on_postgresql = engine.dialect.name == "postgresql"
    assert len(statements) == 1 if on_postgresql else 2  # SQLite has no INSERT in a WITH


def test_a_carried_key_recorded_already_inserts_nothing_and_is_a_repeat(engine: Engine):
    if engine.dialect.name != "postgresql":
        pytest.skip("only PostgreSQL carries the key in the insert")
    sessions = make_sessionmaker(engine)
    repeats.first(engine, "sig:h", TEAM, MONDAY)  # the twin, first

    again = repeats.Pending("sig:h", TEAM, MONDAY)
    with (
        pytest.raises(repeats.Repeated),
        repeats.with_the_work(engine, again),
        transaction(sessions) as session,
        repeats.recorded_in(session, open_a_workspace),
    ):
        open_a_workspace(session, TEAM)

    assert workspaces(engine) == 0


def test_a_use_case_that_carries_the_key_but_inserts_nothing_records_it_after_its_work(
    engine: Engine,
):
    sessions = make_sessionmaker(engine)
    pending = repeats.Pending("sig:i", TEAM, MONDAY)

    with repeats.with_the_work(engine, pending):
        with transaction(sessions) as session, repeats.recorded_in(session, open_a_workspace):
            pass  # refused, say, without raising
        pending.recorded = True

    assert keys(engine) == 1 and workspaces(engine) == 0
