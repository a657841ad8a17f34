"""The numbers behind a manager's Home: one row per report, most in need of attention first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import priorities, teams
from bot.checkins.planning import asks_answers
from bot.feedback import stats as feedback_stats
from bot.models import Checkin, Priority
from bot.nudges import gap_days
from bot.preferences.person import team_schedules
from bot.preferences.workspace import workspace_defaults

CHECKIN_WINDOW = timedelta(days=14)


@dataclass(frozen=True)
class ReportRow:
    """One report as their manager's Home shows them."""

    user_id: str
    feedback_days: int | None  # days since the manager's last feedback; None: never
    joined_days: int
    active: int
    stale: int  # stale or overdue: worth a conversation
    blocked: int
    updated_days: int | None  # days since they last updated a priority; None: never
    blockers: tuple[str, ...] = ()  # titles of their open blockers

    def attention(self) -> tuple[int, int, int, str]:
        """Sort key: longest since feedback first (or since joining), then blockers."""
        gap = self.feedback_days if self.feedback_days is not None else self.joined_days
        return (-gap, -self.blocked, -self.stale, self.user_id)


def checkin_counts(
    session: Session, team_id: str, user_ids: list[str], since: datetime
) -> dict[str, tuple[int, int]]:
    """(answered, sent) check-ins per person since `since`, in one query."""
    if not user_ids:
        return {}
    rows = session.execute(
        select(Checkin.user_id, func.count(), func.count(Checkin.answered_at))
        .where(
            Checkin.team_id == team_id,
            Checkin.user_id.in_(user_ids),
            Checkin.status == "sent",
            asks_answers(),
            Checkin.planned_at >= since,
        )
        .group_by(Checkin.user_id)
    )
    return {user: (int(answered), int(sent)) for user, sent, answered in rows}


def last_updates(session: Session, team_id: str, user_ids: list[str]) -> dict[str, datetime]:
    """When each person last updated one of their priorities, in one query."""
    if not user_ids:
        return {}
    rows = session.execute(
        select(Priority.owner_id, func.max(Priority.touched_at))
        .where(Priority.team_id == team_id, Priority.owner_id.in_(user_ids))
        .group_by(Priority.owner_id)
    )
    return {owner: at for owner, at in rows if at is not None}


def team_answer_rate(
    session: Session, team_id: str, user_ids: list[str], now: datetime
) -> tuple[int, int]:
    """(answered, sent) check-ins of the whole team in the last 14 days: a team figure."""
    counts = checkin_counts(session, team_id, user_ids, now - CHECKIN_WINDOW).values()
    return sum(a for a, _ in counts), sum(s for _, s in counts)


def team_rows(session: Session, team_id: str, manager_id: str, now: datetime) -> list[ReportRow]:
    """Every report of `manager_id`, most in need of attention first (a few queries)."""
    lines = [line for line, _ in teams.reports_of(session, team_id, manager_id)]
    ids = [line.report_id for line in lines]
    last = feedback_stats.last_given(session, team_id, manager_id, ids)
    active = priorities.active_by_owner(session, team_id, ids)
    schedules = team_schedules(session, team_id, ids)
    after = workspace_defaults(session, team_id)["stale_after_working_days"]
    updated = last_updates(session, team_id, ids)
    rows = []
    for line in lines:
        items = active.get(line.report_id, [])
        schedule = schedules[line.report_id]
        given = last.get(line.report_id)
        touched = updated.get(line.report_id)
        rows.append(
            ReportRow(
                user_id=line.report_id,
                feedback_days=gap_days(given, line.since, now) if given else None,
                joined_days=gap_days(None, line.since, now),
                active=len(items),
                stale=sum(priorities.is_stale(p, schedule, now, after) is not None for p in items),
                blocked=sum(p.health == priorities.BLOCKED for p in items),
                updated_days=max(0, (now - touched).days) if touched else None,
                blockers=tuple(p.title for p in items if p.health == priorities.BLOCKED),
            )
        )
    return sorted(rows, key=ReportRow.attention)
