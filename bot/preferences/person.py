"""One person's preferences, resolved against their workspace's defaults into a `Schedule`;
storing what they chose, and moving their next check-in, digest and summary to match.

Their row is a `PersonSettings`: an empty column means "follow the workspace default".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import days_off
from bot.dates import HINT, DateError, snooze_last_day
from bot.db import insert_ignoring_duplicates
from bot.models import Checkin, Member, PersonSettings, ReportingLine
from bot.preferences.workspace import workspace_defaults
from bot.refusal import Refusal
from bot.schedule import Schedule, hhmm, parse_time


def ensure(session: Session, team_id: str, user_id: str, now: datetime) -> PersonSettings:
    """The person's row, added (all defaults) if they have none yet.

    Insert-or-ignore, then read: requests adding the same person's row at once (a new
    manager's digest, scheduled by each report's yes) all succeed, on one row.
    """
    row = session.get(PersonSettings, (team_id, user_id))
    if row is not None:
        return row
    insert_ignoring_duplicates(
        session,
        PersonSettings,
        {"team_id": team_id, "user_id": user_id, "updated_at": now},
        ["team_id", "user_id"],
        PersonSettings.user_id,
    )
    row = session.get(PersonSettings, (team_id, user_id))
    assert row is not None  # inserted just now, or by whoever won the race
    return row


def resolve(
    row: PersonSettings | None, member: Member | None, defaults: dict[str, Any]
) -> Schedule:
    """A person's schedule: their own choices, else the workspace's, in their Slack tz."""

    def pick(name: str) -> Any:
        own = getattr(row, name, None) if row is not None else None
        return own if own is not None else defaults[name]

    tz = (row.tz_override if row is not None and row.tz_override else None) or (
        member.tz if member is not None else "UTC"
    )
    return Schedule(
        tz=tz,
        checkin_time=parse_time(pick("checkin_time")) or parse_time(defaults["checkin_time"]),
        work_days=pick("work_days"),
        work_start=parse_time(pick("work_start")) or parse_time(defaults["work_start"]),
        work_end=parse_time(pick("work_end")) or parse_time(defaults["work_end"]),
        checkins_off=bool(row.checkins_off) if row is not None else False,
        snoozed_until=row.snoozed_until if row is not None else None,
        nudge_time=parse_time(pick("nudge_time")) or parse_time(defaults["nudge_time"]),
        nudges_snoozed_until=row.nudges_snoozed_until if row is not None else None,
        summary_day=int(pick("summary_day")),
        summary_time=parse_time(pick("summary_time")) or parse_time(defaults["summary_time"]),
        holiday_country=days_off.kept(row.holiday_country if row is not None else None, tz),
        company_days_off=company_days_off(defaults),
    )  # type: ignore[arg-type]


def company_days_off(defaults: dict[str, Any]) -> frozenset[date]:
    """The workspace's own days off (stored as ISO dates; anything else is left out)."""
    days = set()
    for text in defaults.get("company_days_off") or []:
        try:
            days.add(date.fromisoformat(str(text)))
        except ValueError:
            continue
    return frozenset(days)


def schedule_of(session: Session, team_id: str, user_id: str) -> Schedule:
    return resolve(
        session.get(PersonSettings, (team_id, user_id)),
        session.get(Member, (team_id, user_id)),
        workspace_defaults(session, team_id),
    )


def schedules_of(
    session: Session, people: set[tuple[str, str]]
) -> dict[tuple[str, str], tuple[Schedule, Member | None]]:
    """Schedules (and directory entries) for many people in a few queries, not one each."""
    if not people:
        return {}
    # Both columns in the filter: the (team_id, user_id) keys are what the indexes serve.
    teams, users = {team for team, _ in people}, {user for _, user in people}
    own = {
        (s.team_id, s.user_id): s
        for s in session.scalars(
            select(PersonSettings).where(
                PersonSettings.team_id.in_(teams), PersonSettings.user_id.in_(users)
            )
        )
    }
    members = {
        (m.team_id, m.user_id): m
        for m in session.scalars(
            select(Member).where(Member.team_id.in_(teams), Member.user_id.in_(users))
        )
    }
    defaults = {team: workspace_defaults(session, team) for team in teams}
    return {
        key: (resolve(own.get(key), members.get(key), defaults[key[0]]), members.get(key))
        for key in people
    }


def last_checkin_date(session: Session, team_id: str, user_id: str) -> date | None:
    return session.scalar(
        select(func.max(Checkin.local_date)).where(
            Checkin.team_id == team_id, Checkin.user_id == user_id
        )
    )


def refresh_next_checkin(
    session: Session, team_id: str, user_id: str, now: datetime, *, from_now: bool = False
) -> PersonSettings:
    """Recompute when this person's next check-in may be due (after any change to its inputs).

    With `from_now` (someone joining a team, or changing their own preferences) the next
    check-in is one whose time is still ahead, not a catch-up of one due earlier today.
    """
    row = ensure(session, team_id, user_id, now)
    session.flush()
    schedule = schedule_of(session, team_id, user_id)
    last = last_checkin_date(session, team_id, user_id)
    upcoming = schedule.next_checkin(now, last)
    if from_now and upcoming is not None and upcoming < now:
        upcoming = schedule.next_checkin(now, max(last or date.min, schedule.local_date(now)))
    row.next_checkin_at = upcoming
    row.updated_at = now
    return row


def refresh_next_digest(
    session: Session, team_id: str, user_id: str, now: datetime
) -> PersonSettings:
    """Recompute when this manager's next digest may be due."""
    row = ensure(session, team_id, user_id, now)
    session.flush()
    row.next_digest_at = schedule_of(session, team_id, user_id).next_digest(now)
    row.updated_at = now
    return row


def refresh_next_summary(
    session: Session, team_id: str, user_id: str, now: datetime
) -> PersonSettings:
    """Schedule this manager's next weekly summary (this week's if its time is still ahead)."""
    row = ensure(session, team_id, user_id, now)
    session.flush()
    schedule = schedule_of(session, team_id, user_id)
    moment = schedule.summary_moment(now)
    row.next_summary_at = (
        moment if moment >= now else schedule.next_summary(now, schedule.iso_week(now))
    )
    row.updated_at = now
    return row


def team_schedules(session: Session, team_id: str, user_ids: list[str]) -> dict[str, Schedule]:
    """Many people's schedules in two queries (for team views)."""
    if not user_ids:
        return {}
    rows = {
        s.user_id: s
        for s in session.scalars(
            select(PersonSettings).where(
                PersonSettings.team_id == team_id, PersonSettings.user_id.in_(user_ids)
            )
        )
    }
    members = {
        m.user_id: m
        for m in session.scalars(
            select(Member).where(Member.team_id == team_id, Member.user_id.in_(user_ids))
        )
    }
    defaults = workspace_defaults(session, team_id)
    return {u: resolve(rows.get(u), members.get(u), defaults) for u in user_ids}


@dataclass(frozen=True)
class Choices:
    """What a person chose for themselves in the preferences form."""

    checkin_time: str  # "HH:MM"
    work_days: str  # Mon..Sun mask, at least one day
    work_start: str
    work_end: str
    tz_override: str | None  # None: use Slack's
    nudge_time: str
    summary_day: int  # 0 = Monday
    summary_time: str
    holiday_country: str | None = None  # None: their time zone's; "none": no public holidays


def store_choices(
    session: Session, team_id: str, user_id: str, choices: Choices, now: datetime
) -> None:
    """Keep what the person changed.

    A field is stored only when it differs from what the form showed (their own value or
    the workspace default), so the fields they left alone keep following the defaults.
    """
    before = schedule_of(session, team_id, user_id)
    row = ensure(session, team_id, user_id, now)
    shown = {
        "checkin_time": hhmm(before.checkin_time),
        "work_days": before.work_days,
        "work_start": hhmm(before.work_start),
        "work_end": hhmm(before.work_end),
        "nudge_time": hhmm(before.nudge_time),
        "summary_day": before.summary_day,
        "summary_time": hhmm(before.summary_time),
    }
    for name, old in shown.items():
        new = getattr(choices, name)
        if new != old:
            setattr(row, name, new)
    row.tz_override = choices.tz_override
    row.holiday_country = choices.holiday_country
    row.updated_at = now


def reschedule(session: Session, team_id: str, user_id: str, now: datetime) -> PersonSettings:
    """The person's next check-in, and their next digest and summary if they manage anyone.

    A changed time counts from now on: no catch-up of a check-in whose new time just passed.
    A summary already sent this week is not sent again at its new time (the outbox key).
    """
    session.flush()
    row = refresh_next_checkin(session, team_id, user_id, now, from_now=True)
    if _manages_anyone(session, team_id, user_id):
        refresh_next_digest(session, team_id, user_id, now)
        refresh_next_summary(session, team_id, user_id, now)
    return row


def reschedule_everyone(session: Session, team_id: str, now: datetime) -> None:
    """New workspace defaults move everyone's next check-in, digest and summary."""
    people = list(
        session.scalars(select(PersonSettings.user_id).where(PersonSettings.team_id == team_id))
    )
    for user_id in people:
        reschedule(session, team_id, user_id, now)


def _manages_anyone(session: Session, team_id: str, user_id: str) -> bool:
    return (
        session.scalar(
            select(ReportingLine.report_id)
            .where(ReportingLine.team_id == team_id, ReportingLine.manager_id == user_id)
            .limit(1)
        )
        is not None
    )


def snooze_last_day_of(text: str, schedule: Schedule, now: datetime, command: str) -> date:
    """The last local date a snooze typed as `text` covers (`3d`, `2w`, `until fri`).

    What could not be read is refused in the words of `command`'s own prompts
    (`checkin.command` or `coach`: each names its own syntax).
    """
    last = snooze_last_day(text, schedule.local_date(now), schedule.work_days)
    if not isinstance(last, DateError):
        return last
    own = {"snooze_unreadable": "bad_snooze", "snooze_long": "long_snooze"}.get(last.key)
    if own is not None:
        raise Refusal(f"{command}.{own}")
    raise Refusal(f"dates.{last.key}", text=last.text, hint=HINT)
