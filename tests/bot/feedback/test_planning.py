"""The one reminder of feedback still unsaid: when it is due, and the daily cap it shares."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.db import transaction
from bot.feedback.planning import plan_unsent, working_time_between
from bot.feedback.rules import Kind
from bot.models import Feedback, OutboxMessage
from bot.schedule import Schedule
from devtools.cast import LEO, MAYA, RAVI
from tests.bot.feedback.conftest import T, save

FRIDAY_16 = datetime(2026, 12, 4, 16, 0, tzinfo=UTC)


def test_working_time_skips_evenings_and_the_weekend():
    schedule = Schedule()  # UTC, 09:00-18:00, Monday to Friday
    monday_noon = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
    assert working_time_between(schedule, FRIDAY_16, monday_noon) == timedelta(hours=5)
    tuesday_16 = datetime(2026, 12, 8, 16, 0, tzinfo=UTC)
    assert working_time_between(schedule, FRIDAY_16, tuesday_16) == timedelta(hours=18)


def test_a_giver_whose_daily_cap_is_used_up_is_reminded_another_day(sessions):
    save(sessions, kind=Kind.PRAISE, at=FRIDAY_16)
    due = FRIDAY_16 + timedelta(days=5)  # Wednesday 16:00: 27 working hours on
    with transaction(sessions) as session:
        for n in range(3):
            session.add(
                OutboxMessage(
                    team_id=T,
                    recipient_id=MAYA.user_id,
                    kind="nudge_praise",
                    subject=f"U{n}",
                    period=due.date().isoformat(),
                    payload={},
                    status="sent",
                    not_before=due,
                    expires_at=due,
                    attempts=1,
                    rate_limited=0,
                    created_at=due,
                )
            )
    with transaction(sessions) as session:
        assert plan_unsent(session, due) == []
    with transaction(sessions) as session:
        [reminder] = plan_unsent(session, due + timedelta(days=1))
    assert (reminder.recipient_id, reminder.kind) == (MAYA.user_id, "feedback_unsent")
    with transaction(sessions) as session:
        assert plan_unsent(session, due + timedelta(days=2)) == []  # once


def test_feedback_past_its_two_weeks_gets_no_reminder_only_newer_does(sessions):
    due = FRIDAY_16 + timedelta(days=14)  # Friday 18 December, 16:00
    old = save(sessions, kind=Kind.PRAISE, at=FRIDAY_16, about=RAVI.user_id)
    newer = save(sessions, kind=Kind.REDIRECT, at=FRIDAY_16 + timedelta(days=1), about=LEO.user_id)

    with transaction(sessions) as session:
        [reminder] = plan_unsent(session, due)
    with transaction(sessions) as session:
        assert plan_unsent(session, due + timedelta(days=3)) == []  # the old one, never

    assert (reminder.recipient_id, reminder.subject) == (MAYA.user_id, LEO.user_id)
    with sessions() as session:
        assert session.get(Feedback, old.id).unsent_nudged_at is None
        assert session.get(Feedback, newer.id).unsent_nudged_at == due
