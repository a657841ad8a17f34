"""The Home tab built from data: newcomer, manager, member, both; size limits; privacy."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot import home, priorities
from bot.db import make_engine, make_sessionmaker, transaction
from bot.feedback import store
from bot.feedback.rules import Kind, Origin
from bot.models import Checkin, Feedback, Member, PersonSettings, ReportingLine
from bot.visibility import may_see
from devtools.cast import ANA, EVERYONE, LEO, MAYA, NOOR, OMAR, RAVI, SAM
from devtools.harness import block_texts, buttons
from devtools.local_slack import validate_view

NOW = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)  # Monday, 10:00 in New York
T = "T0SPROUT"


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(database_url)
    sessions = make_sessionmaker(engine)
    with transaction(sessions) as session:
        for person in EVERYONE:
            session.add(
                Member(
                    team_id=T,
                    user_id=person.user_id,
                    name=person.name,
                    tz=person.tz,
                    is_admin=person.is_admin,
                    fetched_at=NOW,
                )
            )
    yield sessions
    engine.dispose()


def manage(session: Session, manager: str, *reports: str, since: datetime = NOW) -> None:
    for report in reports:
        session.add(
            ReportingLine(
                team_id=T, report_id=report, manager_id=manager, added_by=manager, since=since
            )
        )


def give(session: Session, giver: str, about: str, text: str, at: datetime = NOW, **fields: Any):
    row, _ = store.record(
        session,
        team_id=T,
        giver_id=giver,
        about_id=about,
        kind=Kind.PRAISE,
        topic="",
        text=text,
        origin=Origin.COMMAND,
        now=at,
    )
    for name, value in fields.items():
        setattr(row, name, value)
    return row


def priority(session: Session, owner: str, title: str, *, touched: datetime = NOW, **fields: Any):
    row = priorities.add(
        session,
        team_id=T,
        owner_id=owner,
        actor_id=owner,
        title=title,
        due_on=None,
        now=touched,
        cap=20,
    )
    for name, value in fields.items():
        setattr(row, name, value)
    return row


def checkins(session: Session, user: str, days_ago: list[int], answered: set[int]) -> None:
    for ago in days_ago:
        at = NOW - timedelta(days=ago)
        session.add(
            Checkin(
                team_id=T,
                user_id=user,
                local_date=at.date(),
                status="sent",
                planned_at=at,
                answered_at=at if ago in answered else None,
                answers={},
            )
        )


def view_of(sessions: sessionmaker[Session], person, **kw: Any) -> dict[str, Any]:
    with sessions() as session:
        view = home.build(session, T, person.user_id, NOW, **kw)
    assert validate_view(view) == []
    assert len(view["blocks"]) <= 100
    return view


def text_of(view: dict[str, Any]) -> str:
    return "\n".join(block_texts(view["blocks"]))


def action_ids(view: dict[str, Any]) -> list[str]:
    return [element["action_id"] for _, element in buttons(view["blocks"])]


def m(person) -> str:
    return f"<@{person.user_id}>"


# --- newcomer -------------------------------------------------------------------------------


def test_a_first_time_visitor_sees_what_sprout_does_and_how_to_start(sessions):
    view = view_of(sessions, SAM)
    text = text_of(view)
    assert "Welcome to Sprout" in text
    assert "`/team add @name @name`" in text and "`/priority add" in text
    assert "Your team" not in text and "Your priorities" not in text
    assert action_ids(view) == [home.OPEN_SETTINGS]


# --- manager --------------------------------------------------------------------------------


@pytest.fixture
def team(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """Maya manages Ravi and Ana since 20 days ago, with some history."""
    with transaction(sessions) as session:
        manage(session, MAYA.user_id, RAVI.user_id, ANA.user_id, since=NOW - timedelta(days=20))
        twelve_days_ago = NOW - timedelta(days=12)
        give(
            session,
            MAYA.user_id,
            RAVI.user_id,
            "great demo",
            twelve_days_ago,
            told_at=twelve_days_ago,
        )
        give(session, OMAR.user_id, ANA.user_id, "thanks for the help", at=NOW)  # not Maya's
        priority(session, RAVI.user_id, "Fresh work")
        priority(session, RAVI.user_id, "Old work", touched=NOW - timedelta(days=8))
        priority(session, RAVI.user_id, "Stuck work", health=priorities.BLOCKED)
        checkins(
            session,
            RAVI.user_id,
            [1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 20],
            answered={1, 2, 3, 4, 5, 8, 9, 10, 20},
        )
    return sessions


def test_a_manager_sees_freshness_and_open_blockers_not_a_check_in_score_per_person(team):
    text = text_of(view_of(team, MAYA))
    assert "Your team (2)" in text
    assert (
        f"{m(RAVI)} · your feedback: 12 days ago · 3 active, 1 stale, 1 blocked"
        " · priorities updated today · blocked on *Stuck work*" in text
    )
    # Omar's feedback about Ana is not Maya's: for her, Ana has heard nothing from her yet.
    assert f"{m(ANA)} · no feedback from you yet · no priorities yet · no priority updates yet" in (
        text
    )
    assert "8/10" not in text
    assert "Check-ins answered by the team in the last 14 days: 8 of 10." in text


def test_the_longest_since_feedback_comes_first_each_with_a_give_feedback_button(team):
    view = view_of(team, MAYA)
    text = text_of(view)
    assert text.index(m(ANA)) < text.index(m(RAVI))  # 20 days since joining, then 12
    people = [
        json.loads(e["value"])["person"]
        for _, e in buttons(view["blocks"])
        if e["action_id"] == "nudge_give_feedback"
    ]
    assert people == [ANA.user_id, RAVI.user_id]


def test_a_past_due_priority_counts_as_stale(sessions):
    with transaction(sessions) as session:
        manage(session, MAYA.user_id, RAVI.user_id)
        priority(session, RAVI.user_id, "Late", due_on=date(2026, 11, 27))
    assert "1 active, 1 stale" in text_of(view_of(sessions, MAYA))


@pytest.mark.parametrize("size", [150, 1000])
def test_any_team_size_fits_in_100_blocks_with_buttons_for_the_top_ones(sessions, size):
    people = [f"UBIG{n:05d}" for n in range(size)]
    with transaction(sessions) as session:
        for n, person in enumerate(people):
            joined = NOW - timedelta(days=n % 40, minutes=n)
            manage(session, OMAR.user_id, person, since=joined)
    view = view_of(sessions, OMAR)
    text = text_of(view)
    feedback_buttons = [a for a in action_ids(view) if a == "nudge_give_feedback"]
    assert len(feedback_buttons) == home.DETAILED
    listed = sum(f"<@{person}>" in text for person in people)
    more = [b for b in view["blocks"] if "more. `/team` lists everyone" in str(b)]
    hidden = int(more[0]["elements"][0]["text"].split("and ")[1].split(" ")[0]) if more else 0
    assert listed + hidden == size
    assert listed >= 100


# --- member ---------------------------------------------------------------------------------


def test_a_member_sees_their_priorities_with_their_own_status_buttons(team):
    view = view_of(team, RAVI)
    text = text_of(view)
    assert "Your priorities" in text and "3 of 5" in text
    assert "*2. Fresh work*" in text and "*3. Stuck work* · :no_entry: blocked" in text
    assert "*1. Old work* · _no update for a while" in text
    assert action_ids(view).count(home.DONE) == 3
    assert action_ids(view).count(home.STATUS) == 3
    [stuck] = [
        e
        for _, e in buttons(view["blocks"])
        if e["action_id"] == home.STATUS and "initial_option" in e
    ]
    assert stuck["initial_option"]["value"].endswith(":blocked")
    assert "Your team" not in text


def test_a_member_sees_feedback_delivered_to_them_newest_first_and_only_a_handful(sessions):
    with transaction(sessions) as session:
        manage(session, MAYA.user_id, RAVI.user_id)
        for n in range(7):
            at = NOW - timedelta(days=7 - n)
            give(session, MAYA.user_id, RAVI.user_id, f"delivered {n}", at=at, delivered_at=at)
        give(session, MAYA.user_id, RAVI.user_id, "kept private")
    text = text_of(view_of(sessions, RAVI))
    assert "Feedback you've received" in text
    shown = [n for n in range(7) if f"delivered {n}" in text]
    assert shown == [2, 3, 4, 5, 6]
    assert text.index("delivered 6") < text.index("delivered 2")
    assert "The newest 5 of 7" in text
    assert "kept private" not in text


def test_the_settings_part_shows_check_in_time_days_zone_and_whether_it_is_on(team):
    assert "Daily check-in: 09:30 on Mon-Fri" in text_of(view_of(team, RAVI))
    assert "Asia/Kolkata (from Slack)" in text_of(view_of(team, RAVI))
    with transaction(team) as session:
        session.add(
            PersonSettings(
                team_id=T,
                user_id=RAVI.user_id,
                checkin_time="08:15",
                work_days="0111110",
                tz_override="Europe/Berlin",
                snoozed_until=date(2026, 12, 3),
                updated_at=NOW,
            )
        )
    text = text_of(view_of(team, RAVI))
    # 08:15 is before his working day (09:00): the check-in waits for its start.
    assert "paused through Thu 3 Dec, then 09:00 on Tue-Sat" in text
    assert "Europe/Berlin (set by you)" in text
    with transaction(team) as session:
        session.get(PersonSettings, (T, RAVI.user_id)).checkins_off = True
    assert "Daily check-in: off" in text_of(view_of(team, RAVI))


def test_the_settings_part_says_whose_public_holidays_they_keep(team):
    hours = "Working hours: 09:00-18:00, Asia/Kolkata (from Slack)\n"
    assert hours + "Days off: the public holidays of IN (from your time zone)" in text_of(
        view_of(team, RAVI)
    )
    with transaction(team) as session:
        session.add(
            PersonSettings(team_id=T, user_id=RAVI.user_id, holiday_country="GB", updated_at=NOW)
        )
    assert "Days off: the public holidays of GB (set by you)" in text_of(view_of(team, RAVI))
    with transaction(team) as session:
        session.get(PersonSettings, (T, RAVI.user_id)).holiday_country = "none"
    text = text_of(view_of(team, RAVI))
    assert "Public holidays: you work on them" in text and "Days off:" not in text
    with transaction(team) as session:
        row = session.get(PersonSettings, (T, RAVI.user_id))
        row.holiday_country, row.tz_override = None, "UTC"  # a zone of no country
    assert "can't tell your country from your time zone" in text_of(view_of(team, RAVI))


def test_someone_without_a_manager_is_told_when_check_ins_start(sessions):
    with transaction(sessions) as session:
        priority(session, SAM.user_id, "Own idea")
    text = text_of(view_of(sessions, SAM))
    assert "*1. Own idea*" in text and "starts once you join a team" in text


def test_someone_who_is_both_manager_and_report_sees_both_parts(team):
    with transaction(team) as session:
        manage(session, OMAR.user_id, MAYA.user_id)
        priority(session, MAYA.user_id, "Plan the offsite")
    text = text_of(view_of(team, MAYA))
    assert "Your team (2)" in text and "*1. Plan the offsite*" in text
    assert text.index("Your team") < text.index("Your priorities") < text.index("Your settings")
    assert "Coaching digest: 10:00 on working days" in text


def test_a_notice_says_what_the_last_click_did(team):
    text = text_of(view_of(team, RAVI, notice="Marked *Old work* done."))
    assert text.startswith("Marked *Old work* done.")


# --- privacy ----------------------------------------------------------------------------------


@pytest.fixture
def world(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """Maya manages Ravi and Ana; Omar manages Leo. A mix of private, sent and shared."""
    with transaction(sessions) as session:
        manage(session, MAYA.user_id, RAVI.user_id, ANA.user_id)
        manage(session, OMAR.user_id, LEO.user_id)
        give(session, MAYA.user_id, RAVI.user_id, "maya private about ravi")
        give(session, MAYA.user_id, RAVI.user_id, "maya sent to ravi", delivered_at=NOW)
        give(
            session,
            LEO.user_id,
            RAVI.user_id,
            "leo shared with maya",
            shared_with_id=MAYA.user_id,
            told_at=NOW,  # a manager sees shared feedback once the person has heard it
        )
        give(session, ANA.user_id, RAVI.user_id, "ana private about ravi")
        give(session, OMAR.user_id, LEO.user_id, "omar sent to leo", delivered_at=NOW)
        give(
            session,
            NOOR.user_id,
            LEO.user_id,
            "noor shared with omar",
            shared_with_id=OMAR.user_id,
            delivered_at=NOW,
        )
        give(
            session,
            SAM.user_id,
            ANA.user_id,
            "sam stale share to omar",
            shared_with_id=OMAR.user_id,
        )
    return sessions


def test_no_home_shows_a_feedback_record_its_viewer_may_not_see(world):
    with world() as session:
        records = list(session.query(Feedback))
        managers = {r.report_id: r.manager_id for r in session.query(ReportingLine)}
    for person in EVERYONE:
        text = text_of(view_of(world, person))
        for record in records:
            if record.text in text:
                assert may_see(person.user_id, record, managers.get(record.about_id)), (
                    person.name,
                    record.text,
                )


def test_the_subject_sees_only_what_was_delivered_to_them(world):
    text = text_of(view_of(world, RAVI))
    assert "maya sent to ravi" in text
    assert "maya private about ravi" not in text and "ana private about ravi" not in text
    assert "leo shared with maya" not in text


def test_a_manager_sees_what_was_shared_with_them_but_no_one_elses_records(world):
    maya = text_of(view_of(world, MAYA))
    assert "*Shared with you*" in maya and "leo shared with maya" in maya
    for other in ("ana private about ravi", "omar sent to leo", "noor shared with omar"):
        assert other not in maya
    omar = text_of(view_of(world, OMAR))
    assert "noor shared with omar" in omar
    assert "sam stale share to omar" not in omar  # Ana is not Omar's report


def test_a_share_stops_showing_when_the_person_moves_to_another_manager(world):
    with transaction(world) as session:
        session.delete(session.get(ReportingLine, (T, RAVI.user_id)))
        session.flush()
        manage(session, OMAR.user_id, RAVI.user_id)
    assert "leo shared with maya" not in text_of(view_of(world, MAYA))
    assert "leo shared with maya" not in text_of(view_of(world, OMAR))
