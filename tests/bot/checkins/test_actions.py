"""The check-in use cases, without Slack: what each writes, shows, and refuses."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update

from bot import priorities
from bot.checkins import actions
from bot.db import transaction
from bot.models import Checkin, OutboxMessage, PersonSettings, Priority
from bot.refusal import Refusal
from devtools.cast import ANA, MAYA, RAVI
from devtools.forms import form_values

TEAM = "T0SPROUT"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def ravis_checkin(cast_sessions, act, build_team) -> tuple[str, str]:
    """Ravi (Maya's report) asked for today's check-in about one priority, and it went out
    as a DM. Returns (check-in id, priority id) as buttons carry them."""
    build_team(MAYA, RAVI)
    with transaction(cast_sessions) as session:
        priority = priorities.add(
            session,
            team_id=TEAM,
            owner_id=RAVI.user_id,
            actor_id=RAVI.user_id,
            title="Ship the billing page",
            due_on=None,
            now=utc(2026, 11, 30, 15, 0),
            cap=5,
        )
        priority_id = str(priority.id)
    act(actions.send_checkin_now, RAVI)
    with transaction(cast_sessions) as session:
        session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.kind == "checkin")
            .values(channel="DRAVI", ts="1700000000.000100")
        )
        [checkin_id] = session.scalars(select(Checkin.id))
    return str(checkin_id), priority_id


def next_checkin_at(cast_sessions, person) -> datetime | None:
    with cast_sessions() as session:
        return session.get(PersonSettings, (TEAM, person.user_id)).next_checkin_at


# --- /checkin -------------------------------------------------------------------------------


def test_checkin_now_queues_todays_check_in_once(act, build_team):
    build_team(MAYA, RAVI)
    first = act(actions.send_checkin_now, RAVI)
    assert len(first.send) == 1 and "in your DMs" in first.text
    again = act(actions.send_checkin_now, RAVI)
    assert again.send == [] and "already" in again.text


def test_time_off_and_on_move_the_next_check_in(act, build_team, cast_sessions):
    build_team(MAYA, ANA)
    assert "10:00 your time (Europe/Berlin)" in act(actions.set_checkin_time, ANA, "10am").text
    assert next_checkin_at(cast_sessions, ANA) == utc(2026, 12, 1, 9, 0)

    assert act(actions.turn_checkins_off, ANA).homes == [ANA.user_id]
    assert next_checkin_at(cast_sessions, ANA) is None
    assert "10:00 your time on Mon-Fri" in act(actions.turn_checkins_on, ANA).text
    assert next_checkin_at(cast_sessions, ANA) == utc(2026, 12, 1, 9, 0)


def test_days_and_a_snooze_move_the_next_check_in_past_them(act, build_team, cast_sessions):
    build_team(MAYA, ANA)
    assert "Tue, Thu" in act(actions.set_checkin_days, ANA, "tue,thu").text
    assert "through Thu 3 Dec 2026" in act(actions.snooze_checkins, ANA, "4d").text
    assert next_checkin_at(cast_sessions, ANA) == utc(2026, 12, 8, 8, 30)  # Tuesday 09:30


@pytest.mark.parametrize(
    ("use_case", "text", "says"),
    [
        (actions.set_checkin_time, "25:00", "couldn't read “25:00” as a time"),
        (actions.set_checkin_days, "funday", "couldn't read “funday” as days"),
        (actions.snooze_checkins, "forever", "`/checkin snooze 3d`"),
        (actions.snooze_checkins, "until yesterday", "couldn't read “yesterday”"),
    ],
)
def test_what_cannot_be_read_is_refused_and_nothing_is_written(
    act, cast_sessions, use_case, text, says
):
    with pytest.raises(Refusal) as refused:
        act(use_case, ANA, text)
    assert says in refused.value.render()
    with cast_sessions() as session:
        assert session.get(PersonSettings, (TEAM, ANA.user_id)) is None


def test_help_says_how_the_actors_check_ins_stand(act):
    act(actions.turn_checkins_off, ANA)
    assert (
        "_Now: off, at 09:30 (Europe/Berlin) on Mon-Fri._"
        in act(actions.describe_checkins, ANA).text
    )


# --- the check-in DM ------------------------------------------------------------------------


def test_an_answer_changes_the_priority_and_names_the_dm_it_went_out_as(
    act, cast_sessions, ravis_checkin
):
    checkin_id, priority_id = ravis_checkin
    outcome = act(actions.answer_priority, RAVI, checkin_id, priority_id, "at_risk")

    assert outcome.value == ("DRAVI", "1700000000.000100")
    assert outcome.homes == [RAVI.user_id, MAYA.user_id]
    assert "At risk" in str(outcome.message)
    with cast_sessions() as session:
        assert session.get(Priority, int(priority_id)).health == "at_risk"


def test_a_second_press_on_an_answered_priority_changes_nothing_and_says_nothing(
    act, ravis_checkin
):
    checkin_id, priority_id = ravis_checkin
    act(actions.answer_priority, RAVI, checkin_id, priority_id, "on_track")
    again = act(actions.answer_priority, RAVI, checkin_id, priority_id, "done")
    assert (again.message, again.text, again.homes) == (None, "", [])


def test_no_changes_today_touches_what_was_not_answered(act, cast_sessions, ravis_checkin):
    checkin_id, priority_id = ravis_checkin
    later = utc(2026, 11, 30, 16, 0)
    act(actions.no_changes_today, RAVI, checkin_id, now=later)
    with cast_sessions() as session:
        assert session.get(Priority, int(priority_id)).touched_at == later
        assert session.get(Checkin, int(checkin_id)).answers == {priority_id: "no_change"}


def test_the_note_form_lists_the_active_priorities_and_a_note_is_kept(
    act, cast_sessions, ravis_checkin
):
    checkin_id, priority_id = ravis_checkin
    form = act(actions.open_note_form, RAVI, checkin_id).value
    [option] = form["blocks"][0]["element"]["options"]
    assert option["value"] == priority_id

    values = form_values(form, priority=priority_id, note="Waiting on legal")
    outcome = act(actions.add_note, RAVI, checkin_id, values)
    assert outcome.value == ("DRAVI", "1700000000.000100")
    with cast_sessions() as session:
        assert session.get(Priority, int(priority_id)).note == "Waiting on legal"


@pytest.mark.parametrize(("text", "says"), [(" ", "Write a short note"), ("x" * 1001, "under")])
def test_an_empty_or_long_note_gets_an_error_on_its_field(act, ravis_checkin, text, says):
    checkin_id, _ = ravis_checkin
    form = act(actions.open_note_form, RAVI, checkin_id).value
    outcome = act(actions.add_note, RAVI, checkin_id, form_values(form, note=text))
    assert outcome.refused and says in outcome.value["note"]


def test_someone_elses_check_in_is_refused_whatever_they_try(act, cast_sessions, ravis_checkin):
    checkin_id, priority_id = ravis_checkin
    attempts = [
        (actions.answer_priority, checkin_id, priority_id, "done"),
        (actions.no_changes_today, checkin_id),
        (actions.open_note_form, checkin_id),
        (actions.add_note, checkin_id, {"note": {"value": {"value": "Mine now"}}}),
        (actions.no_changes_today, "not a number"),
        (actions.no_changes_today, "999999"),
    ]
    for use_case, *args in attempts:
        with pytest.raises(Refusal) as refused:
            act(use_case, ANA, *args)
        assert refused.value.key == "checkin.not_found", use_case
    with cast_sessions() as session:
        assert session.get(Checkin, int(checkin_id)).answers == {}


def test_a_priority_that_is_not_on_the_actors_check_in_is_refused(act, ravis_checkin):
    checkin_id, _ = ravis_checkin
    for priority_id in ("999999", "", "1 OR 1=1"):
        with pytest.raises(Refusal):
            act(actions.answer_priority, RAVI, checkin_id, priority_id, "done")
