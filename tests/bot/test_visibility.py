"""Who may see a piece of feedback: the rule, and the query built from it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot import visibility
from bot.db import make_engine, make_sessionmaker, transaction
from bot.feedback import store
from bot.feedback.rules import Kind, Origin
from bot.models import Feedback, ReportingLine
from bot.visibility import may_see
from devtools.cast import ANA, EVERYONE, LEO, MAYA, NOOR, OMAR, RAVI, SAM

NOW = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
T = "T0SPROUT"


@dataclass
class Record:
    giver_id: str = MAYA.user_id
    about_id: str = RAVI.user_id
    kind: str = "praise"
    delivered_at: datetime | None = None
    told_at: datetime | None = None
    shared_with_id: str | None = None


def test_the_giver_always_sees_what_they_gave():
    assert may_see(MAYA.user_id, Record(), subject_manager_id=None)
    assert may_see(LEO.user_id, Record(giver_id=LEO.user_id), subject_manager_id=MAYA.user_id)


def test_the_person_it_is_about_sees_it_only_once_it_was_delivered():
    assert not may_see(RAVI.user_id, Record(), MAYA.user_id)
    assert may_see(RAVI.user_id, Record(delivered_at=NOW), MAYA.user_id)


def test_the_manager_sees_a_peers_feedback_only_when_it_was_shared_with_them():
    peer_note = Record(giver_id=LEO.user_id)
    assert not may_see(MAYA.user_id, peer_note, subject_manager_id=MAYA.user_id)
    shared = Record(giver_id=LEO.user_id, shared_with_id=MAYA.user_id, delivered_at=NOW)
    assert may_see(MAYA.user_id, shared, subject_manager_id=MAYA.user_id)


def test_a_shared_record_reaches_the_manager_only_once_the_person_has_heard_it():
    unsaid = Record(giver_id=LEO.user_id, shared_with_id=MAYA.user_id)
    assert not may_see(MAYA.user_id, unsaid, subject_manager_id=MAYA.user_id)
    told = Record(giver_id=LEO.user_id, shared_with_id=MAYA.user_id, told_at=NOW)
    assert may_see(MAYA.user_id, told, subject_manager_id=MAYA.user_id)
    assert not may_see(RAVI.user_id, told, subject_manager_id=MAYA.user_id)  # told, not sent


def test_a_note_is_never_seen_by_a_manager_even_when_marked_shared():
    note = Record(giver_id=LEO.user_id, kind="note", shared_with_id=MAYA.user_id, told_at=NOW)
    assert not may_see(MAYA.user_id, note, subject_manager_id=MAYA.user_id)


def test_sharing_does_not_follow_the_person_to_a_new_manager_nor_stay_with_the_old_one():
    shared = Record(giver_id=LEO.user_id, shared_with_id=MAYA.user_id, delivered_at=NOW)
    assert not may_see(MAYA.user_id, shared, subject_manager_id=OMAR.user_id)
    assert not may_see(OMAR.user_id, shared, subject_manager_id=OMAR.user_id)


def test_other_managers_peers_and_admins_never_see_it():
    record = Record(giver_id=OMAR.user_id, about_id=LEO.user_id, delivered_at=NOW)
    assert MAYA.is_admin  # a workspace admin, and a manager of other people
    for viewer in (MAYA, RAVI, ANA, SAM):
        assert not may_see(viewer.user_id, record, subject_manager_id=OMAR.user_id), viewer.name


def test_nobody_is_nobody():
    assert not may_see("", Record(giver_id=""), None)


# --- the query ------------------------------------------------------------------------------


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(database_url)
    yield make_sessionmaker(engine)
    engine.dispose()


def add(session: Session, giver: str, about: str, **fields: object) -> Feedback:
    row, _ = store.record(
        session,
        team_id=T,
        giver_id=giver,
        about_id=about,
        kind=Kind.PRAISE,
        topic="",
        text=f"{giver} about {about}",
        origin=Origin.COMMAND,
        now=NOW,
    )
    for name, value in fields.items():
        setattr(row, name, value)
    return row


def manage(session: Session, manager: str, *reports: str) -> None:
    for report in reports:
        session.add(
            ReportingLine(
                team_id=T, report_id=report, manager_id=manager, added_by=manager, since=NOW
            )
        )


@pytest.fixture
def world(sessions: sessionmaker[Session]) -> dict[str, int]:
    """Maya manages Ravi and Ana; Omar manages Leo. A mix of private, sent and shared."""
    with transaction(sessions) as session:
        manage(session, MAYA.user_id, RAVI.user_id, ANA.user_id)
        manage(session, OMAR.user_id, LEO.user_id)
        ids = {
            "maya_private_about_ravi": add(session, MAYA.user_id, RAVI.user_id),
            "maya_sent_to_ravi": add(session, MAYA.user_id, RAVI.user_id, delivered_at=NOW),
            "leo_shared_with_maya": add(
                session,
                LEO.user_id,
                RAVI.user_id,
                shared_with_id=MAYA.user_id,
                shared_at=NOW,
                told_at=NOW,
            ),
            "leo_shared_unsaid": add(
                session, LEO.user_id, RAVI.user_id, shared_with_id=MAYA.user_id, shared_at=NOW
            ),
            "noor_note_shared": add(
                session,
                NOOR.user_id,
                RAVI.user_id,
                kind="note",
                shared_with_id=MAYA.user_id,
                told_at=NOW,
            ),
            "ana_private_about_ravi": add(session, ANA.user_id, RAVI.user_id),
            "omar_sent_to_leo": add(session, OMAR.user_id, LEO.user_id, delivered_at=NOW),
            "noor_shared_with_omar": add(
                session, NOOR.user_id, LEO.user_id, shared_with_id=OMAR.user_id, delivered_at=NOW
            ),
            "stale_share_to_omar": add(
                session, SAM.user_id, ANA.user_id, shared_with_id=OMAR.user_id, delivered_at=NOW
            ),
        }
        session.flush()
        return {name: row.id for name, row in ids.items()}


def seen(sessions: sessionmaker[Session], viewer: str, about: str | None = None) -> set[int]:
    with sessions() as session:
        return {r.id for r in visibility.visible(session, T, viewer, about_id=about)}


def test_the_query_shows_each_person_exactly_what_the_rule_allows(sessions, world):
    with sessions() as session:
        everything = list(session.scalars(select(Feedback)))
        lines = session.execute(select(ReportingLine.report_id, ReportingLine.manager_id))
        managers = {report: manager for report, manager in lines}
    for person in EVERYONE:
        allowed = {r.id for r in everything if may_see(person.user_id, r, managers.get(r.about_id))}
        assert seen(sessions, person.user_id) == allowed, person.name
        with sessions() as session:
            for about in (RAVI, LEO, ANA):
                expected = {
                    r.id for r in everything if r.id in allowed and r.about_id == about.user_id
                }
                count = visibility.count_visible(session, T, person.user_id, about.user_id)
                assert count == len(expected), (person.name, about.name)


def test_a_manager_sees_their_own_and_what_was_shared_with_them_and_nothing_else(sessions, world):
    assert seen(sessions, MAYA.user_id, RAVI.user_id) == {
        world["maya_private_about_ravi"],
        world["maya_sent_to_ravi"],
        world["leo_shared_with_maya"],
    }


def test_the_person_sees_only_what_was_delivered_to_them(sessions, world):
    assert seen(sessions, RAVI.user_id) == {world["maya_sent_to_ravi"]}


def test_another_manager_a_peer_and_an_admin_see_nothing_about_someone_else(sessions, world):
    assert seen(sessions, OMAR.user_id, RAVI.user_id) == set()  # another manager
    assert seen(sessions, SAM.user_id, RAVI.user_id) == set()  # a peer
    assert seen(sessions, MAYA.user_id, LEO.user_id) == set()  # an admin, and a manager
    assert seen(sessions, ANA.user_id, RAVI.user_id) == {world["ana_private_about_ravi"]}


def test_a_share_to_someone_who_is_not_the_persons_manager_shows_nothing(sessions, world):
    assert world["stale_share_to_omar"] not in seen(sessions, OMAR.user_id)
    assert world["noor_shared_with_omar"] in seen(sessions, OMAR.user_id)


def test_one_record_by_id_is_refused_to_whoever_may_not_see_it(sessions, world):
    record_id = world["maya_private_about_ravi"]
    with sessions() as session:
        assert visibility.get_visible(session, T, MAYA.user_id, record_id) is not None
        for viewer in (RAVI, OMAR, ANA, LEO):
            assert visibility.get_visible(session, T, viewer.user_id, record_id) is None
        assert visibility.get_visible(session, "T0OTHER", MAYA.user_id, record_id) is None


def test_the_newest_come_first_and_the_limit_keeps_the_newest(sessions, world):
    with sessions() as session:
        rows = visibility.visible(session, T, MAYA.user_id, about_id=RAVI.user_id, limit=2)
    assert [r.id for r in rows] == sorted(
        [
            world["maya_private_about_ravi"],
            world["maya_sent_to_ravi"],
            world["leo_shared_with_maya"],
        ],
        reverse=True,
    )[:2]


def test_a_journal_entry_is_its_authors_alone():
    from types import SimpleNamespace

    from bot.visibility import may_read_journal

    entry = SimpleNamespace(team_id="T1", manager_id="UBOSS")
    assert may_read_journal("T1", "UBOSS", entry)
    assert not may_read_journal("T2", "UBOSS", entry)  # the same id in another workspace
    for someone in ("UREPORT", "UADMIN", "UOTHERBOSS", ""):
        assert not may_read_journal("T1", someone, entry)


def test_a_check_in_note_just_for_me_is_its_authors_alone():
    from bot.visibility import may_read_checkin_note

    assert may_read_checkin_note("R", "R", private=True, author_manager_id="M")
    assert not may_read_checkin_note("M", "R", private=True, author_manager_id="M")
    assert may_read_checkin_note("M", "R", private=False, author_manager_id="M")
    assert not may_read_checkin_note("X", "R", private=False, author_manager_id="M")
    assert not may_read_checkin_note("", "", private=False)


# --- action plans -------------------------------------------------------------------------


@dataclass
class PairRecord:
    """A plan, a baseline or a focus: anything that belongs to one manager and one report."""

    manager_id: str = MAYA.user_id
    report_id: str = RAVI.user_id


Plan = PairRecord


@pytest.mark.parametrize("viewer", EVERYONE, ids=lambda p: p.name)
def test_a_plan_is_seen_by_its_manager_and_its_report_only(viewer):
    seen = visibility.may_see_plan(viewer.user_id, Plan(), MAYA.user_id)
    assert seen == (viewer in (MAYA, RAVI))


def test_a_plan_is_seen_by_nobody_once_its_manager_no_longer_manages_the_report():
    for viewer in (MAYA, RAVI, OMAR):
        assert not visibility.may_see_plan(viewer.user_id, Plan(), OMAR.user_id)
        assert not visibility.may_see_plan(viewer.user_id, Plan(), None)
    assert not visibility.may_see_plan("", Plan(), MAYA.user_id)


def test_only_the_manager_runs_a_plan_and_only_the_report_follows_it():
    plan = Plan()
    assert visibility.may_run_plan(MAYA.user_id, plan)
    assert not visibility.may_run_plan(RAVI.user_id, plan)
    assert visibility.may_follow_plan(RAVI.user_id, plan)
    assert not visibility.may_follow_plan(MAYA.user_id, plan)
    assert not visibility.may_follow_plan(ANA.user_id, plan)


def test_what_a_pair_agreed_is_for_that_manager_and_that_report_alone():
    record = PairRecord()
    assert visibility.may_see_pair(MAYA.user_id, record, MAYA.user_id)
    assert visibility.may_see_pair(RAVI.user_id, record, MAYA.user_id)
    for outsider in (ANA.user_id, OMAR.user_id, ""):  # a peer, another manager, nobody
        assert not visibility.may_see_pair(outsider, record, MAYA.user_id)
    # Once Ravi reports to Omar, neither Omar nor Maya reads what Ravi agreed with Maya.
    for viewer in (MAYA.user_id, OMAR.user_id, RAVI.user_id):
        assert not visibility.may_see_pair(viewer, record, OMAR.user_id)
