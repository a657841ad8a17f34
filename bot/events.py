"""Coaching events: recorded where they happen, acted on by the nudge engine."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.models import CoachingEvent

REPORT_ADDED = "report_added"
PRIORITY_DONE = "priority_done"
BLOCKER = "blocker"
AT_RISK = "at_risk"


def record(
    session: Session,
    *,
    team_id: str,
    kind: str,
    user_id: str,
    actor_id: str,
    now: datetime,
    subject: str = "",
    detail: dict[str, Any] | None = None,
) -> CoachingEvent:
    """Store an event in the caller's transaction, so it is saved with its cause or not at all."""
    event = CoachingEvent(
        team_id=team_id,
        kind=kind,
        user_id=user_id,
        actor_id=actor_id,
        subject=subject,
        detail=detail or {},
        occurred_at=now,
    )
    session.add(event)
    return event
