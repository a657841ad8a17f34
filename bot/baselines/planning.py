"""What each scheduler pass does for baselines: ask the manager whether an agreed one
still holds, once its time has come (every few months: `baseline_review_months`).

Writes as it plans: the next ask moves on in the pass's transaction, and the outbox key
names the day it was due, so a replayed pass or a restart asks once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import outbox, teams
from bot.baselines import views
from bot.models import Baseline
from bot.preferences.person import schedule_of
from bot.preferences.workspace import workspace_defaults

REVIEW_KIND = "baseline_review"
BATCH = 500
DAYS_A_MONTH = 30.44


def review_after(session: Session, team_id: str) -> timedelta:
    """How long an agreed baseline holds before the manager is asked again."""
    months = int(workspace_defaults(session, team_id)["baseline_review_months"])
    return timedelta(days=round(months * DAYS_A_MONTH))


def plan_reviews(session: Session, now: datetime) -> list[outbox.Planned]:
    """A "does it still hold?" to each manager whose agreed baseline is due a look."""
    due = list(
        session.scalars(
            select(Baseline)
            .where(Baseline.review_at <= now)
            .order_by(Baseline.review_at)
            .limit(BATCH)
        )
    )
    planned = []
    for row in due:
        asked_for = row.review_at
        # Unanswered, it comes up again after the same while; the line ended, never.
        holds = teams.manager_of(session, row.team_id, row.report_id) == row.manager_id
        row.review_at = now + review_after(session, row.team_id) if holds else None
        if not holds or not row.agreed or asked_for is None:
            continue
        manager = schedule_of(session, row.team_id, row.manager_id)
        message = outbox.Planned(
            team_id=row.team_id,
            recipient_id=row.manager_id,
            kind=REVIEW_KIND,
            subject=row.report_id,
            period=asked_for.date().isoformat(),
            body=views.review_message(row),
            not_before=now,
            reason="does the baseline still hold?",
        )
        planned.append(outbox.in_working_hours(message, manager))
    return planned
