"""The priority use cases without Slack: who may do what, and what each one decides."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.db import make_engine, make_sessionmaker, transaction
from bot.models import OutboxMessage, Priority, PriorityChange, ReportingLine
from bot.priorities import actions, rules
from bot.priorities.actions import Press
from bot.priorities.text import parse
from bot.refusal import Refusal
from bot.usecase import Actor, Outcome
from devtools.harness import block_texts

NOW = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)  # a Monday
T, ELSEWHERE = "T0SPROUT", "T0OTHER"
MAYA, RAVI, ANA = Actor(T, "UMAYA0001"), Actor(T, "URAVI0002"), Actor(T, "UANA00003")
NOT_YOUR_REPORT = "priority.refuse.not_your_report"


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    """Maya manages Ravi; Ana reports to nobody."""
    engine = make_engine(database_url)
    sessions = make_sessionmaker(engine)
    with transaction(sessions) as session:
        session.add(
            ReportingLine(
                team_id=T, report_id=RAVI.user_id, manager_id=MAYA.user_id, added_by="x", since=NOW
            )
        )
    yield sessions
    engine.dispose()


def act(
    sessions: sessionmaker[Session], use_case: Callable[..., Outcome], actor: Actor, *args: Any
) -> Outcome:
    with transaction(sessions) as session:
        return use_case(session, actor, *args, now=NOW)


def refusal_of(
    sessions: sessionmaker[Session], use_case: Callable[..., Outcome], actor: Actor, *args: Any
) -> str:
    with pytest.raises(Refusal) as refused:
        act(sessions, use_case, actor, *args)
    return refused.value.key


def own(sessions: sessionmaker[Session], actor: Actor, title: str, team_id: str = T) -> int:
    with transaction(sessions) as session:
        priority = rules.add(
            session,
            team_id=team_id,
            owner_id=actor.user_id,
            actor_id=actor.user_id,
            title=title,
            due_on=None,
            now=NOW,
            cap=5,
        )
        return priority.id


def stored(sessions: sessionmaker[Session]) -> dict[str, tuple[str, str | None]]:
    with sessions() as session:
        return {p.title: (p.state, p.health) for p in session.scalars(select(Priority))}


def history(sessions: sessionmaker[Session]) -> list[tuple[str, str]]:
    with sessions() as session:
        changes = session.scalars(select(PriorityChange).order_by(PriorityChange.id))
        return [(c.field, c.source) for c in changes]


# --- commands ---------------------------------------------------------------------------------


def test_adding_for_myself_numbers_it_and_refreshes_my_home_and_my_managers(sessions):
    outcome = act(sessions, actions.add_priority, RAVI, parse("add Ship it due fri"))

    assert outcome.text == "Added *Ship it* · due Fri 4 Dec as number 1."
    assert outcome.homes == [RAVI.user_id, MAYA.user_id] and outcome.send == []


def test_a_manager_adding_for_a_report_queues_the_dm_that_tells_them(sessions):
    outcome = act(sessions, actions.add_priority, MAYA, parse(f"add Plan Q1 for <@{RAVI.user_id}>"))

    [row_id] = outcome.send
    with sessions() as session:
        dm = session.get(OutboxMessage, row_id)
        assert dm is not None and dm.recipient_id == RAVI.user_id
    assert stored(sessions) == {"Plan Q1": ("active", None)}


def test_only_a_persons_manager_sets_or_reads_their_priorities(sessions):
    for actor, owner in ((ANA, RAVI), (RAVI, MAYA)):  # a peer; a report, upward
        request = parse(f"add Spy for <@{owner.user_id}>")
        assert refusal_of(sessions, actions.add_priority, actor, request) == NOT_YOUR_REPORT
        assert refusal_of(sessions, actions.show_report, actor, owner.user_id) == NOT_YOUR_REPORT
    assert stored(sessions) == {}

    shown = act(sessions, actions.show_report, MAYA, RAVI.user_id).message
    assert shown is not None and "has no active priorities" in shown["text"]


def test_a_change_by_number_touches_only_my_own(sessions):
    own(sessions, ANA, "Ana's")
    own(sessions, RAVI, "Ravi's")

    outcome = act(sessions, actions.change_priority, RAVI, parse("status 1 at-risk"))

    assert outcome.text == "*Ravi's* is At risk."
    assert stored(sessions) == {"Ana's": ("active", None), "Ravi's": ("active", "at_risk")}


# --- buttons ----------------------------------------------------------------------------------


def test_a_press_on_home_finishes_my_priority_and_the_history_says_where(sessions):
    mine = own(sessions, RAVI, "Ship it")

    outcome = act(sessions, actions.press_on_home, RAVI, Press.DONE, str(mine))

    assert "*Ship it*" in outcome.text and outcome.homes == [RAVI.user_id, MAYA.user_id]
    assert stored(sessions) == {"Ship it": ("done", None)}
    assert history(sessions)[-1] == ("state", "home")


@pytest.mark.parametrize(
    ("press", "claim", "key"),
    [
        (Press.DONE, "{ana}", "priority.refuse.not_yours"),
        (Press.STATUS, "{ana}:blocked", "priority.refuse.not_yours"),
        (Press.DROP, "{elsewhere}", "priority.refuse.not_yours"),
        (Press.DONE, "", "priority.refuse.not_yours"),
        (Press.DONE, "ship-it", "priority.refuse.not_yours"),
        (Press.DONE, "²", "priority.refuse.not_yours"),
        (Press.DONE, "99999999999999999999", "priority.refuse.not_yours"),
        (Press.DONE, "{closed}", "priority.refuse.gone"),
        (Press.STATUS, "{mine}:sideways", "priority.refuse.gone"),
        (Press.STATUS, "{mine}", "priority.refuse.gone"),
    ],
)
def test_a_button_value_is_a_claim_checked_against_the_presser(sessions, press, claim, key):
    """Ravi's own active priority, in this workspace, and a health we know: nothing else."""
    ids = {
        "mine": own(sessions, RAVI, "Mine"),
        "ana": own(sessions, ANA, "Ana's"),
        "elsewhere": own(sessions, RAVI, "Same id, other workspace", team_id=ELSEWHERE),
        "closed": own(sessions, RAVI, "Closed"),
    }
    act(sessions, actions.press_on_home, RAVI, Press.DONE, str(ids["closed"]))
    before, changes = stored(sessions), history(sessions)

    assert refusal_of(sessions, actions.press_on_home, RAVI, press, claim.format(**ids)) == key
    assert stored(sessions) == before and history(sessions) == changes


def test_a_refused_press_on_the_list_says_why_above_the_list(sessions):
    own(sessions, RAVI, "Ship it")
    anas = own(sessions, ANA, "Ana's")

    outcome = act(sessions, actions.press_on_list, RAVI, Press.DROP, str(anas))

    assert outcome.refused and outcome.homes == [] and outcome.message is not None
    note, *listing = block_texts(outcome.message["blocks"])
    assert note == "That priority isn't yours, so I left it alone."
    assert "*1. Ship it*" in listing
    assert stored(sessions)["Ana's"] == ("active", None)
