"""What each scheduler pass does for baselines: ask the manager whether an agreed one
still holds, once its time has come (every few months: `baseline_review_months`). The ask
is a nudge like any: in working hours, not while snoozed, within the daily cap.

Writes as it plans: the next ask moves on in the pass's transaction, and the outbox key
names the manager's day it was asked on, so a replayed pass or a restart asks once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import outbox, teams
from bot.baselines import views
from bot.dates import Reader
from bot.models import Baseline
from bot.nudges.planning import room_today
from bot.preferences.person import schedules_of
from bot.preferences.workspace import workspace_defaults

REVIEW_KIND = "baseline_review"  # counted in `bot.nudges.NUDGE_KINDS`
BATCH = 500
DAYS_A_MONTH = 30.44


def review_after(session: Session, team_id: str) -> timedelta:
    """How long an agreed baseline holds before the manager is asked again."""
    months = int(workspace_defaults(session, team_id)["baseline_review_months"])
    return timedelta(days=round(months * DAYS_A_MONTH))


def plan_reviews(session: Session, now: datetime) -> list[outbox.Planned]:
    """A "does it still hold?" to each manager whose agreed baseline is due a look: within
    their working hours, never while they snoozed Sprout, and within their daily nudge cap
    (`bot.nudges.planning.room_today`); until then it waits, and asks on a later pass."""
    due = list(
        session.scalars(
            select(Baseline)
            .where(Baseline.review_at <= now)
            .order_by(Baseline.review_at)
            .limit(BATCH)
        )
    )
    schedules = schedules_of(session, {(row.team_id, row.manager_id) for row in due})
    planned: list[outbox.Planned] = []
    for row in due:
        holds = teams.manager_of(session, row.team_id, row.report_id) == row.manager_id
        if not holds:  # the line ended: never asked
            row.review_at = None
            continue
        if not row.agreed:
            row.review_at = now + review_after(session, row.team_id)
            continue
        schedule, member = schedules[(row.team_id, row.manager_id)]
        if member is not None and (member.deleted or member.unreachable):
            continue
        if schedule.nudges_snoozed(now) or not schedule.in_working_hours(now):
            continue
        today = schedule.local_date(now)
        room = room_today(session, row.team_id, row.manager_id, today) - sum(
            p.team_id == row.team_id and p.recipient_id == row.manager_id for p in planned
        )
        if room <= 0:
            continue
        # Unanswered, it comes up again after the same while.
        row.review_at = now + review_after(session, row.team_id)
        planned.append(
            outbox.Planned(
                team_id=row.team_id,
                recipient_id=row.manager_id,
                kind=REVIEW_KIND,
                subject=row.report_id,
                period=today.isoformat(),  # the manager's day: what the daily cap counts
                body=views.review_message(row, Reader.of(schedule, now)),
                not_before=now,
                reason="does the baseline still hold?",
            )
        )
    return planned
