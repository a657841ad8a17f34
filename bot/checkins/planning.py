"""Planning check-ins: who is due one now, and the day's check-in rows.

The planners write as they plan, in the scheduler's transaction: `plan_checkins` creates
each due person's check-in row for the day (or a skipped one) and moves their
`next_checkin_at`; `plan_reminders` stamps `reminded_at` on the check-ins it reminds. Each
returns the DMs to queue; the outbox's unique key and the one-row-a-day constraint make a
replayed pass harmless. Only `decide` is a pure function.

They read only people whose `next_checkin_at` has come (an indexed column), so a pass
costs a few queries for the people due, not one per member.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from bot import plans, priorities
from bot.checkins.views import cadence_question_dm, checkin_dm, priorities_prompt_dm, reminder_dm
from bot.db import insert_ignoring_duplicates
from bot.focus.checkin import checkin_part
from bot.models import Checkin, Member, PersonSettings, Priority, ReportingLine
from bot.outbox import Planned
from bot.preferences.person import resolve
from bot.preferences.workspace import workspace_defaults
from bot.schedule import Schedule

PER_PASS = 500  # people considered in one planning batch: bounds its time and memory
# A reminder falls due less than a day before its check-in's window ends (reminder_at), so
# one due longer ago than this could only be skipped: the scan leaves it out and reads the
# last days' check-ins, not every unanswered one ever sent.
REMINDER_LOOKBACK = timedelta(days=2)
# Back-off: after this many unanswered check-ins in a row no more reminders, and after
# ASK_CADENCE_AFTER the person is asked once whether they want them daily, weekly or paused.
NO_REMINDERS_AFTER = 3
ASK_CADENCE_AFTER = 5
HISTORY = timedelta(days=60)  # enough past check-ins to count a streak, weekly ones too
# A sent check-in with no priorities, only a plan's steps or a focus: no answer expected.
PRACTICE_ONLY = "practice_only"
# Why a day's row was skipped (no DM, or another DM than the check-in).
NO_PRIORITIES = "no_priorities"  # nothing to check in on; asked to set some already this week
ASKED_FOR_PRIORITIES = "asked_for_priorities"  # the week's prompt to set priorities went out
WEEKLY = "weekly"  # weekly check-ins: this week's went out already
CADENCE_ASKED = "cadence_asked"  # the question about daily / weekly / paused went instead


@dataclass(frozen=True)
class Decision:
    """For one person at `now`: which day's check-in to send (or skip), and when to look again."""

    day: date | None
    skip_reason: str | None
    next_at: datetime | None


def decide(
    schedule: Schedule,
    now: datetime,
    last_sent: date | None,
    *,
    has_manager: bool,
    reachable: bool,
    away: bool,
) -> Decision:
    """The check-in decision for one person, as a pure function of their state and `now`."""
    if not has_manager or not reachable:
        return Decision(None, None, None)
    day = schedule.checkin_due(now)
    if day is None or (last_sent is not None and day <= last_sent):
        return Decision(None, None, schedule.next_checkin(now, last_sent))
    return Decision(day, "away" if away else None, schedule.next_checkin(now, day))


def plan_checkins(session: Session, now: datetime) -> list[Planned]:
    """Write today's check-in rows for everyone whose time has come and move their
    `next_checkin_at` on; return the check-in DMs to queue (none for a skipped day)."""
    rows = session.execute(
        select(PersonSettings, Member, ReportingLine.manager_id)
        .outerjoin(
            Member,
            and_(
                Member.team_id == PersonSettings.team_id, Member.user_id == PersonSettings.user_id
            ),
        )
        .outerjoin(
            ReportingLine,
            and_(
                ReportingLine.team_id == PersonSettings.team_id,
                ReportingLine.report_id == PersonSettings.user_id,
            ),
        )
        .where(PersonSettings.next_checkin_at <= now)
        .order_by(PersonSettings.next_checkin_at)
        .limit(PER_PASS)  # the rest follow in the next passes, well inside their window
    ).all()
    if not rows:
        return []
    last = _last_dates(session, [(s.team_id, s.user_id) for s, _, _ in rows])
    defaults = {team: workspace_defaults(session, team) for team in {s.team_id for s, _, _ in rows}}
    decided: list[tuple[PersonSettings, Schedule, date, str | None]] = []
    for prefs, member, manager_id in rows:
        schedule = resolve(prefs, member, defaults[prefs.team_id])
        decision = decide(
            schedule,
            now,
            last.get((prefs.team_id, prefs.user_id)),
            has_manager=manager_id is not None,
            reachable=member is not None and not (member.deleted or member.unreachable),
            away=member is not None and member.away_until is not None and member.away_until > now,
        )
        prefs.next_checkin_at = decision.next_at
        if decision.day is not None:
            decided.append((prefs, schedule, decision.day, decision.skip_reason))
    active = _active_priorities(session, [p for p, _, _, skip in decided if skip is None])
    history = _history(
        session,
        [(p.team_id, p.user_id) for p, _, _, _ in decided],
        min((day for _, _, day, _ in decided), default=now.date()) - HISTORY,
    )
    planned: list[Planned] = []
    for prefs, schedule, day, skip in decided:
        team_id, user_id = prefs.team_id, prefs.user_id
        items = active.get((team_id, user_id), [])
        past = history.get((team_id, user_id), [])
        week = [row for row in past if row.local_date >= _week_start(day)]
        streak = unanswered_streak(past)
        extra: Planned | None = None
        steps = plans.open_steps(session, team_id, user_id) if skip is None else []
        focus = checkin_part(session, team_id, user_id, day) if skip is None else []
        # No priorities, but a plan's steps or a focus: it comes with those, asking nothing.
        practice_only = skip is None and not items and bool(steps or focus)
        if skip is None and not items and not practice_only:
            # Nothing to check in on: one prompt a week to set priorities, not a daily one.
            asked = any(row.skip_reason == ASKED_FOR_PRIORITIES for row in week)
            skip = NO_PRIORITIES if asked else ASKED_FOR_PRIORITIES
            if not asked:
                extra = priorities_prompt_dm(team_id, user_id, _week_start(day), now)
        elif skip is None and items and _asks_cadence(prefs, streak):
            prefs.cadence_asked_at = now  # once; weekly from now until they answer
            skip, extra = CADENCE_ASKED, cadence_question_dm(team_id, user_id, now)
        elif skip is None and _weekly(prefs) and any(row.status == "sent" for row in week):
            skip = WEEKLY
        checkin_id = _create(
            session,
            team_id,
            user_id,
            schedule,
            day,
            now,
            skip=skip,
            expects_answer=bool(items) and streak < NO_REMINDERS_AFTER,
            note=PRACTICE_ONLY if practice_only else None,
        )
        if checkin_id is None:
            continue
        if extra is not None:
            planned.append(replace(extra, expires_at=schedule.checkin_window(day)[1]))
        if skip is not None:
            continue
        # Rendering needs only these fields: no need to load the row back.
        checkin = Checkin(id=checkin_id, local_date=day, answers={})
        flags = stale_flags(items, schedule, now, defaults[team_id]["stale_after_working_days"])
        reason = f"check-in for {day.isoformat()} ({len(items)} priorities)"
        message = checkin_dm(
            team_id, user_id, checkin, items, flags, now, reason, steps=steps, focus=focus
        )
        # Useless once the day's check-in window has closed.
        planned.append(replace(message, expires_at=schedule.checkin_window(day)[1]))
    return planned


@dataclass(frozen=True)
class Past:
    """One earlier check-in row, as the back-off and the weekly rules read it."""

    local_date: date
    status: str
    skip_reason: str | None
    answered: bool


def asks_answers() -> ColumnElement[bool]:
    """Check-ins that ask for answers (every sent one but `PRACTICE_ONLY`): what answer
    rates count."""
    return or_(Checkin.skip_reason.is_(None), Checkin.skip_reason != PRACTICE_ONLY)


def unanswered_streak(past: list[Past]) -> int:
    """How many check-ins sent in a row, most recent first, went unanswered."""
    streak = 0
    for row in past:
        if row.status != "sent" or row.skip_reason == PRACTICE_ONLY:
            continue  # a check-in of steps or a focus only asks for no answer
        if row.answered:
            break
        streak += 1
    return streak


def _weekly(prefs: PersonSettings) -> bool:
    """Weekly check-ins: chosen, or the default once asked and until they answer."""
    return prefs.checkin_cadence == WEEKLY or (
        prefs.checkin_cadence is None and prefs.cadence_asked_at is not None
    )


def _asks_cadence(prefs: PersonSettings, streak: int) -> bool:
    return (
        streak >= ASK_CADENCE_AFTER
        and prefs.cadence_asked_at is None
        and prefs.checkin_cadence is None
    )


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _history(
    session: Session, people: list[tuple[str, str]], since: date
) -> dict[tuple[str, str], list[Past]]:
    """The last weeks' check-in rows of everyone due, most recent first."""
    if not people:
        return {}
    wanted = set(people)
    rows = session.execute(
        select(
            Checkin.team_id,
            Checkin.user_id,
            Checkin.local_date,
            Checkin.status,
            Checkin.skip_reason,
            Checkin.answered_at,
        )
        .where(
            Checkin.team_id.in_({team for team, _ in people}),
            Checkin.user_id.in_({user for _, user in people}),
            Checkin.local_date >= since,
        )
        .order_by(Checkin.local_date.desc())
    )
    found: dict[tuple[str, str], list[Past]] = {}
    for team, user, day, status, reason, answered_at in rows:
        if (team, user) in wanted:
            found.setdefault((team, user), []).append(
                Past(day, status, reason, answered_at is not None)
            )
    return found


def _active_priorities(
    session: Session, people: list[PersonSettings]
) -> dict[tuple[str, str], list[Priority]]:
    """Active priorities of everyone due, one query per workspace."""
    owners: dict[str, list[str]] = {}
    for prefs in people:
        owners.setdefault(prefs.team_id, []).append(prefs.user_id)
    return {
        (team, owner): items
        for team, ids in owners.items()
        for owner, items in priorities.active_by_owner(session, team, ids).items()
    }


def _last_dates(session: Session, people: list[tuple[str, str]]) -> dict[tuple[str, str], date]:
    user_ids = sorted({user for _, user in people})
    rows = session.execute(
        select(Checkin.team_id, Checkin.user_id, func.max(Checkin.local_date))
        # The team too, so the (team, user, date) index serves it: no scan of all history.
        .where(Checkin.team_id.in_({team for team, _ in people}), Checkin.user_id.in_(user_ids))
        .group_by(Checkin.team_id, Checkin.user_id)
    )
    return {(team, user): day for team, user, day in rows}


def _create(
    session: Session,
    team_id: str,
    user_id: str,
    schedule: Schedule,
    day: date,
    now: datetime,
    *,
    skip: str | None = None,
    expects_answer: bool = True,
    note: str | None = None,
) -> int | None:
    """Write the day's check-in row (skipped, with `skip` saying why); None if another pass
    or process wrote it first.

    A check-in with nothing to answer (no priorities yet) gets no reminder. `note`: what
    kind of check-in a sent one is (`PRACTICE_ONLY`), kept where a skip's reason goes.
    """
    _, window_end = schedule.checkin_window(day)
    return insert_ignoring_duplicates(
        session,
        Checkin,
        {
            "team_id": team_id,
            "user_id": user_id,
            "local_date": day,
            "status": "skipped" if skip is not None else "sent",
            "skip_reason": skip if skip is not None else note,
            "planned_at": now,
            "reminder_due_at": (
                schedule.reminder_at(now, day) if expects_answer and skip is None else None
            ),
            "window_ends_at": window_end,
            "answers": {},
        },
        ["team_id", "user_id", "local_date"],
        Checkin.id,
    )


def create_today(
    session: Session, team_id: str, user_id: str, schedule: Schedule, now: datetime
) -> Checkin | None:
    """`/checkin`: write today's check-in row on request, outside the usual time; None if
    the person has one for today already."""
    day = schedule.local_date(now)
    checkin_id = _create(session, team_id, user_id, schedule, day, now, expects_answer=False)
    return session.get(Checkin, checkin_id) if checkin_id is not None else None


def plan_reminders(session: Session, now: datetime) -> list[Planned]:
    """One reminder for each unanswered check-in whose reminder time has come, within work
    hours; every check-in considered is stamped `reminded_at`, reminded or not."""
    rows = session.scalars(
        select(Checkin).where(
            Checkin.answered_at.is_(None),
            Checkin.reminder_due_at > now - REMINDER_LOOKBACK,
            Checkin.reminder_due_at <= now,
            Checkin.reminded_at.is_(None),
            Checkin.status == "sent",
        )
    ).all()
    planned = []
    for checkin in rows:
        checkin.reminded_at = now
        if checkin.window_ends_at is not None and now >= checkin.window_ends_at:
            continue  # the working day is over: let it be
        planned.append(replace(reminder_dm(checkin, now), expires_at=checkin.window_ends_at))
    return planned


def stale_flags(
    items: list[Priority], owner: Schedule, now: datetime, after: int
) -> dict[int, str]:
    """Which priorities the check-in marks as stale or overdue (the nudge engine's rule)."""
    flags = {}
    for priority in items:
        why = priorities.is_stale(priority, owner, now, after)
        if why is not None:
            flags[priority.id] = why
    return flags
