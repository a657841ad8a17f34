"""The journal's rules: one entry per manager and week, read by its author alone.

An entry is made when the week's question is asked (the summary, or its preview), with the
week's figures; answering it again updates the same row. Every four weeks the summary
looks back at the latest self-ratings.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import visibility
from bot.db import insert_ignoring_duplicates
from bot.models import Reflection

RATINGS = range(1, 6)
ANSWER_LIMIT = 1500
SHOWN = 3  # entries on Home; the rest are counted
TREND_OF = 4  # the self-ratings a four-weekly look back shows
REVIEW_EVERY = 4  # weeks
FIGURES = ("people", "praise", "redirects", "finished", "checkins_answered", "checkins_sent",
           "blockers")  # fmt: skip


def ask(
    session: Session,
    team_id: str,
    manager_id: str,
    week: str,
    question: str,
    figures: dict[str, Any],
    now: datetime,
) -> Reflection:
    """The week's entry, made on first asking; its question then stays, so the form
    always asks what the manager was shown first. Unanswered, it takes the new figures."""
    values = {
        "team_id": team_id,
        "manager_id": manager_id,
        "week": week,
        "question": question,
        "figures": figures,
        "asked_at": now,
    }
    insert_ignoring_duplicates(
        session, Reflection, values, ["team_id", "manager_id", "week"], Reflection.id
    )
    entry = session.scalars(
        select(Reflection).where(
            Reflection.team_id == team_id,
            Reflection.manager_id == manager_id,
            Reflection.week == week,
        )
    ).one()
    if entry.answered_at is None:
        entry.figures = figures
    return entry


def readable(
    session: Session, team_id: str, viewer_id: str, claim: int | None
) -> Reflection | None:
    """The entry a claim names, when the viewer is its author; else None."""
    entry = session.get(Reflection, claim) if claim is not None else None
    if entry is None or not visibility.may_read_journal(team_id, viewer_id, entry):
        return None
    return entry


def _answered(team_id: str, viewer_id: str) -> Any:
    return (
        Reflection.team_id == team_id,
        Reflection.manager_id == viewer_id,
        Reflection.answered_at.is_not(None),
    )


def journal(session: Session, team_id: str, viewer_id: str, limit: int = SHOWN) -> list[Reflection]:
    """The viewer's own answered entries, newest week first."""
    rows = session.scalars(
        select(Reflection)
        .where(*_answered(team_id, viewer_id))
        .order_by(Reflection.week.desc())
        .limit(limit)
    )
    return [r for r in rows if visibility.may_read_journal(team_id, viewer_id, r)]


def journal_size(session: Session, team_id: str, viewer_id: str) -> int:
    return int(
        session.scalar(
            select(func.count()).select_from(Reflection).where(*_answered(team_id, viewer_id))
        )
        or 0
    )


def ratings(session: Session, team_id: str, manager_id: str) -> list[int]:
    """The manager's latest self-ratings (up to four), oldest first."""
    latest = journal(session, team_id, manager_id, TREND_OF)
    return [r.rating for r in reversed(latest) if r.rating is not None]


def is_review_week(monday: date) -> bool:
    """Every fourth week, the same weeks for everyone (counted from a fixed Monday)."""
    return (monday.toordinal() - 1) // 7 % REVIEW_EVERY == 0


def monday_of(week: str) -> date:
    year, number = week.split("-W")
    return date.fromisocalendar(int(year), int(number), 1)
