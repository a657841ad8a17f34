"""What each scheduler pass plans about feedback: the one reminder of what is still unsaid,
and the one reminder of a request for feedback still unanswered.

Praise or a redirect the person has not heard (not sent, not told, not kept on purpose)
24 working hours after it was saved, and within two weeks of it, gets one DM to its
giver, per person it is about:
"2 things for @ravi they haven't heard yet", with *Send*, *I told them* and *Keep to
myself*. It comes within the giver's working hours, never while they snoozed Sprout,
and counts toward their daily nudge cap (`bot.nudges.NUDGE_KINDS`): past the cap it
waits for a later day. Each record is nudged once, whatever its giver answers.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.feedback import views
from bot.feedback.rules import Kind
from bot.models import Feedback, FeedbackAsk
from bot.nudges.planning import room_today, rooms_today
from bot.outbox import Planned
from bot.preferences.person import schedules_of
from bot.schedule import Schedule

UNSENT_AFTER = timedelta(hours=24)  # of the giver's working time
# Past this since it was saved, feedback has had its moment: no reminder about it comes
# (it stays on the giver's Home, unsent, to send or drop).
UNSENT_WITHIN = timedelta(days=14)
ASK_REMINDER_AFTER = 2  # working days of the person asked, after the day they were asked
BATCH = 2000


def working_time_between(schedule: Schedule, earlier: datetime, later: datetime) -> timedelta:
    """How much of the time from `earlier` to `later` fell in `schedule`'s working hours.

    Counted up to `UNSENT_AFTER` past the need: older than a few weeks is always enough.
    """
    total = timedelta()
    day = schedule.local_date(earlier)
    last = schedule.local_date(later)
    for _ in range(60):
        if day > last or total >= UNSENT_AFTER:
            break
        if schedule.works_on(day):
            start = max(earlier, schedule.at(day, schedule.work_start))
            end = min(later, schedule.at(day, schedule.work_end))
            total += max(timedelta(), end - start)
        day += timedelta(days=1)
    return total


def plan_unsent(session: Session, now: datetime) -> list[Planned]:
    """One DM per giver and person about feedback still unsaid 24 working hours on."""
    waiting = list(
        session.scalars(
            select(Feedback)
            .where(
                Feedback.kind.in_((Kind.PRAISE.value, Kind.REDIRECT.value)),
                Feedback.unsent_nudged_at.is_(None),
                Feedback.kept_at.is_(None),
                Feedback.send_requested_at.is_(None),
                Feedback.delivered_at.is_(None),
                Feedback.told_at.is_(None),
                Feedback.created_at <= now - UNSENT_AFTER,
                Feedback.created_at > now - UNSENT_WITHIN,
            )
            .order_by(Feedback.created_at, Feedback.id)
            .limit(BATCH)
        )
    )
    if not waiting:
        return []
    givers = {(row.team_id, row.giver_id) for row in waiting}
    schedules = schedules_of(session, givers)
    by_giver: dict[tuple[str, str], dict[str, list[Feedback]]] = defaultdict(dict)
    for row in waiting:
        schedule, _ = schedules[(row.team_id, row.giver_id)]
        if working_time_between(schedule, row.created_at, now) >= UNSENT_AFTER:
            by_giver[(row.team_id, row.giver_id)].setdefault(row.about_id, []).append(row)
    days: dict[tuple[str, str], date] = {}
    for key in by_giver:
        schedule, member = schedules[key]
        if member is not None and (member.deleted or member.unreachable):
            continue
        if schedule.nudges_snoozed(now) or not schedule.in_working_hours(now):
            continue  # it waits for the end of the snooze, or their next working hours
        days[key] = schedule.local_date(now)
    rooms = rooms_today(session, days)
    planned: list[Planned] = []
    for key, day in days.items():
        for about_id, rows in list(by_giver[key].items())[: rooms[key]]:
            for row in rows:
                row.unsent_nudged_at = now
            planned.append(views.unsent_nudge(key[0], key[1], about_id, rows, day, now))
    return planned


def plan_ask_reminders(session: Session, now: datetime) -> list[Planned]:
    """One reminder of a request for feedback still unanswered two working days (of the
    person asked) after it came, in their working hours, never while they snoozed Sprout,
    and within their daily nudge cap (it counts toward it)."""
    waiting = list(
        session.scalars(
            select(FeedbackAsk)
            .where(
                FeedbackAsk.answered_at.is_(None),
                FeedbackAsk.reminded_at.is_(None),
                FeedbackAsk.created_at <= now - timedelta(days=ASK_REMINDER_AFTER),
            )
            .order_by(FeedbackAsk.created_at, FeedbackAsk.id)
            .limit(BATCH)
        )
    )
    if not waiting:
        return []
    schedules = schedules_of(session, {(row.team_id, row.asked_id) for row in waiting})
    planned: list[Planned] = []
    for row in waiting:
        schedule, member = schedules[(row.team_id, row.asked_id)]
        if member is not None and (member.deleted or member.unreachable):
            continue
        if schedule.nudges_snoozed(now) or not schedule.in_working_hours(now):
            continue  # it waits for the end of their snooze, or their working hours
        if working_days_after(schedule, row.created_at, now) < ASK_REMINDER_AFTER:
            continue
        day = schedule.local_date(now)
        if room_today(session, row.team_id, row.asked_id, day) <= 0:
            continue  # past their daily cap: another day
        row.reminded_at = now
        planned.append(views.ask_dm(row, now, day=day))
    return planned


def working_days_after(schedule: Schedule, earlier: datetime, later: datetime) -> int:
    """The working days of `schedule` after the day of `earlier`, up to the day of `later`."""
    day = schedule.local_date(earlier) + timedelta(days=1)
    last = schedule.local_date(later)
    count = 0
    for _ in range(60):
        if day > last or count >= ASK_REMINDER_AFTER:
            break
        count += schedule.works_on(day)
        day += timedelta(days=1)
    return count
