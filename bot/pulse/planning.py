"""What each scheduler pass plans for the pulse.

- A round for every manager whose pulse is on: the first on their next working day, then
  on the first working Tuesday of each month, open for five working days.
- While a round is open, each accepted report who has not answered gets one DM, within
  their working hours and not while a Slack status says they are away.
- One reminder to each report who has not answered, once two of their working days have
  passed since the DM reached them, within their working hours (days off and holidays
  included), not while away or snoozed, and not on a day their nudge cap is used up. It
  reads only the round's list of who answered, never the answers (see `rules`).
- Once it closes, the manager gets the results from their digest time on, within working
  hours, not while away, and not on a day their nudge cap is already used up (counted from
  the outbox: nudges planned in the same pass are not seen, so it comes after the digest time).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.models import (
    Member,
    OutboxMessage,
    PulseChoice,
    PulseRound,
    ReportingLine,
    Workspace,
)
from bot.nudges.views import DIGEST, NUDGE_KINDS
from bot.outbox import Planned
from bot.preferences.person import schedules_of
from bot.preferences.workspace import workspace_defaults
from bot.pulse import rules, views
from bot.schedule import Schedule

ASK = "pulse"
REMINDER = "pulse_reminder"
REMIND_AFTER = 2  # working days of the report's since the DM reached them
RESULTS = "pulse_results"
RESULTS_KEEP = timedelta(days=7)


def plan_pulses(session: Session, now: datetime) -> list[Planned]:
    _open_rounds(session, now)
    return _asks(session, now) + _reminders(session, now) + _results(session, now)


def _enabled_managers(session: Session) -> set[tuple[str, str]]:
    choices = {(c.team_id, c.manager_id): c for c in session.scalars(select(PulseChoice))}
    on = {
        w.team_id
        for w in session.scalars(select(Workspace).where(Workspace.uninstalled_at.is_(None)))
        if rules.workspace_on(w.settings or {})
    }
    teams = on | {team for (team, _), c in choices.items() if c.enabled}
    if not teams:
        return set()
    managers = session.execute(
        select(ReportingLine.team_id, ReportingLine.manager_id)
        .where(ReportingLine.team_id.in_(teams))
        .distinct()
    )
    return {
        (team, manager)
        for team, manager in managers
        if rules.enabled(choices.get((team, manager)), team in on)
    }


def _open_rounds(session: Session, now: datetime) -> None:
    managers = _enabled_managers(session)
    if not managers:
        return
    latest = dict(
        ((team, manager), month)
        for team, manager, month in session.execute(
            select(PulseRound.team_id, PulseRound.manager_id, func.max(PulseRound.month))
            .where(PulseRound.team_id.in_({team for team, _ in managers}))
            .group_by(PulseRound.team_id, PulseRound.manager_id)
        )
    )
    schedules = schedules_of(session, managers)
    for key in managers:
        schedule = schedules[key][0]
        opens_on = _opening_day(schedule, latest.get(key), now)
        if opens_on is not None:
            rules.open_round(session, *key, schedule, opens_on, now)


def _opening_day(schedule: Schedule, latest: str | None, now: datetime):
    today = schedule.local_date(now)
    if latest is None:  # the first pulse: the team's next working day
        return rules.next_working_day(schedule, today)
    current = rules.month_of(today)
    if latest >= current:
        return None
    tuesday = rules.first_working_tuesday(schedule, current)
    if tuesday is None or today < tuesday:
        return None
    return today if schedule.works_on(today) else rules.next_working_day(schedule, today)


def _open(session: Session, now: datetime) -> list[PulseRound]:
    """The rounds open now, of managers whose pulse is still on."""
    rounds = session.scalars(
        select(PulseRound).where(
            PulseRound.results_at.is_(None),
            PulseRound.opens_at <= now,
            PulseRound.closes_at > now,
        )
    )
    return [r for r in rounds if rules.is_enabled(session, r.team_id, r.manager_id)]


def _asks(session: Session, now: datetime) -> list[Planned]:
    rounds = _open(session, now)
    if not rounds:
        return []
    keys = {(r.team_id, r.manager_id) for r in rounds}
    lines = [
        line
        for line in session.scalars(
            select(ReportingLine).where(
                ReportingLine.team_id.in_({team for team, _ in keys}),
                ReportingLine.manager_id.in_({manager for _, manager in keys}),
            )
        )
        if (line.team_id, line.manager_id) in keys
    ]
    asked = {
        (team, user, subject, period)
        for team, user, subject, period in session.execute(
            select(
                OutboxMessage.team_id,
                OutboxMessage.recipient_id,
                OutboxMessage.subject,
                OutboxMessage.period,
            ).where(
                OutboxMessage.kind == ASK,
                OutboxMessage.period.in_({r.month for r in rounds}),
            )
        )
    }
    people = schedules_of(session, {(line.team_id, line.report_id) for line in lines})
    planned: list[Planned] = []
    for pulse in rounds:
        threshold = rules.threshold(workspace_defaults(session, pulse.team_id))
        for line in lines:
            if (line.team_id, line.manager_id) != (pulse.team_id, pulse.manager_id):
                continue
            report = line.report_id
            if (
                report in pulse.answered
                or (
                    pulse.team_id,
                    report,
                    pulse.manager_id,
                    pulse.month,
                )
                in asked
            ):
                continue
            schedule, member = people[(line.team_id, report)]
            if member is not None and (member.deleted or member.unreachable or member.is_bot):
                continue
            back = member.away_until if member is not None and member.away_until else now
            start = schedule.next_working_start(max(now, back))
            if start is None or start >= pulse.closes_at:
                continue
            until = pulse.closes_at.astimezone(schedule.zone).strftime("%a %-d %b")
            planned.append(
                Planned(
                    team_id=pulse.team_id,
                    recipient_id=report,
                    kind=ASK,
                    subject=pulse.manager_id,
                    period=pulse.month,
                    body=views.ask_message(pulse.manager_id, pulse.month, until, threshold),
                    not_before=start,
                    expires_at=pulse.closes_at,
                    reason=f"monthly pulse {pulse.month} for {pulse.manager_id}'s team",
                )
            )
    return planned


def _reminders(session: Session, now: datetime) -> list[Planned]:
    """One reminder per report and round, to those still missing from its `answered`."""
    rounds = {(r.team_id, r.manager_id, r.month): r for r in _open(session, now)}
    if not rounds:
        return []
    sent = session.execute(
        select(
            OutboxMessage.team_id,
            OutboxMessage.recipient_id,
            OutboxMessage.subject,
            OutboxMessage.period,
            OutboxMessage.kind,
            OutboxMessage.sent_at,
        ).where(
            OutboxMessage.kind.in_((ASK, REMINDER)),
            OutboxMessage.period.in_({month for _, _, month in rounds}),
        )
    ).all()
    reminded = {(t, u, s, p) for t, u, s, p, kind, _ in sent if kind == REMINDER}
    waiting = [
        (rounds[(team, manager, month)], user, at)
        for team, user, manager, month, kind, at in sent
        if kind == ASK
        and at is not None
        and (team, manager, month) in rounds
        and (team, user, manager, month) not in reminded
        and user not in rounds[(team, manager, month)].answered
    ]
    people = schedules_of(session, {(pulse.team_id, user) for pulse, user, _ in waiting})
    planned: list[Planned] = []
    for pulse, user, asked_at in waiting:
        schedule, member = people[(pulse.team_id, user)]
        if member is not None and (member.deleted or member.unreachable or member.is_bot):
            continue
        if (
            not rules.is_report(session, pulse.team_id, pulse.manager_id, user)
            or not _free(schedule, member, now)
            or schedule.working_days_between(asked_at, now) < REMIND_AFTER
            or _cap_used(session, pulse.team_id, user, schedule, now)
        ):
            continue
        until = pulse.closes_at.astimezone(schedule.zone).strftime("%a %-d %b")
        planned.append(
            Planned(
                team_id=pulse.team_id,
                recipient_id=user,
                kind=REMINDER,
                subject=pulse.manager_id,
                period=pulse.month,
                body=views.reminder_message(pulse.manager_id, pulse.month, until),
                not_before=now,
                expires_at=pulse.closes_at,
                reason=f"monthly pulse {pulse.month} reminder for {pulse.manager_id}'s team",
            )
        )
    return planned


def _free(schedule: Schedule, member: Member | None, now: datetime) -> bool:
    """In their working hours (so not a day off), not away, and not snoozed."""
    away = member is not None and member.away_until is not None and member.away_until > now
    paused = schedule.snoozed_until is not None and schedule.snoozed_until >= schedule.local_date(
        now
    )
    return schedule.in_working_hours(now) and not (away or paused or schedule.nudges_snoozed(now))


def _results(session: Session, now: datetime) -> list[Planned]:
    closed = list(
        session.scalars(
            select(PulseRound).where(PulseRound.results_at.is_(None), PulseRound.closes_at <= now)
        )
    )
    if not closed:
        return []
    keys = {(r.team_id, r.manager_id) for r in closed}
    schedules = schedules_of(session, keys)
    planned: list[Planned] = []
    for pulse in closed:
        schedule, member = schedules[(pulse.team_id, pulse.manager_id)]
        if member is not None and (member.deleted or member.unreachable):
            pulse.results_at = now  # nobody to tell
            continue
        away = member is not None and member.away_until is not None and member.away_until > now
        today = schedule.local_date(now)
        if (
            away
            or not schedule.in_working_hours(now)
            or now < schedule.at(today, schedule.nudge_time)
        ):
            continue  # from their digest time, within working hours, once they are back
        if _cap_used(session, pulse.team_id, pulse.manager_id, schedule, now):
            continue  # a day with room in it
        found = rules.results(session, pulse)
        pulse.results_at = now
        planned.append(
            Planned(
                team_id=pulse.team_id,
                recipient_id=pulse.manager_id,
                kind=RESULTS,
                subject="",
                period=pulse.month,
                body=views.results_message(found),
                not_before=now,
                expires_at=now + RESULTS_KEEP,
                reason=f"pulse results {pulse.month} ({found.respondents} answered)",
            )
        )
    return planned


def _cap_used(
    session: Session, team_id: str, manager_id: str, schedule: Schedule, now: datetime
) -> bool:
    """The manager's nudges today (their local day), with a place kept for a digest not yet
    sent, already reach the workspace's cap."""
    today = schedule.local_date(now)
    cap = workspace_defaults(session, team_id)["daily_nudge_cap"]
    kinds = list(
        session.scalars(
            select(OutboxMessage.kind).where(
                OutboxMessage.team_id == team_id,
                OutboxMessage.recipient_id == manager_id,
                OutboxMessage.kind.in_(NUDGE_KINDS),
                OutboxMessage.period == today.isoformat(),
            )
        )
    )
    return len(kinds) + (DIGEST not in kinds) >= cap
