"""Counts about feedback a manager gave, for nudges and summaries.

These read only the giver's own records, so they reveal nothing the giver could not see.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import visibility
from bot.models import Feedback

HEARD_KINDS = ("praise", "redirect")  # what a person can hear; a note is its author's


def last_given(
    session: Session, team_id: str, giver_id: str, about_ids: list[str]
) -> dict[str, datetime]:
    """When praise or a redirect from `giver_id` last reached each person: Sprout delivered
    it, or the giver told them in person (one query). Feedback they never heard, and
    notes, do not count: they close no gap."""
    if not about_ids:
        return {}
    rows = session.execute(
        select(Feedback.about_id, func.max(Feedback.delivered_at), func.max(Feedback.told_at))
        .where(
            Feedback.team_id == team_id,
            Feedback.giver_id == giver_id,
            Feedback.about_id.in_(about_ids),
            Feedback.kind.in_(HEARD_KINDS),
            visibility.reached_filter(),
        )
        .group_by(Feedback.about_id)
    )
    return {
        about: max(_aware(when) for when in (sent, told) if when is not None)
        for about, sent, told in rows
        if sent is not None or told is not None
    }


def praise_and_redirects(
    session: Session, team_id: str, giver_id: str, since: datetime
) -> tuple[int, int]:
    """How much praise and how many redirects `giver_id` recorded since `since`."""
    rows = session.execute(
        select(Feedback.kind, func.count())
        .where(
            Feedback.team_id == team_id,
            Feedback.giver_id == giver_id,
            Feedback.created_at >= since,
            Feedback.kind.in_(HEARD_KINDS),
        )
        .group_by(Feedback.kind)
    )
    counts = dict(rows.all())
    return counts.get("praise", 0), counts.get("redirect", 0)


def _aware(value: datetime) -> datetime:
    """Defensive: an aggregate may come back without the column's zone handling."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
