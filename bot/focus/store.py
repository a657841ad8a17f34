"""Finding a pair's focus and how often it was practised, for someone who may see it
(`bot.visibility.may_see_pair`)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import teams
from bot.models import Focus, FocusPractice
from bot.visibility import may_see_pair

PROPOSED, ACTIVE, DONE, DECLINED = "proposed", "active", "done", "declined"
WEEK = timedelta(days=7)


def open_focus(session: Session, team_id: str, manager_id: str, report_id: str) -> Focus | None:
    """The pair's focus being practised, else the one proposed and not yet answered."""
    rows = session.scalars(
        select(Focus)
        .where(
            Focus.team_id == team_id,
            Focus.manager_id == manager_id,
            Focus.report_id == report_id,
            Focus.state.in_((PROPOSED, ACTIVE)),
        )
        .order_by(Focus.id.desc())
    ).all()
    return next((f for f in rows if f.state == ACTIVE), rows[0] if rows else None)


def current(session: Session, team_id: str, viewer_id: str, report_id: str) -> Focus | None:
    """The focus `report_id` practises with their manager now, if `viewer_id` may see it."""
    manager_id = teams.manager_of(session, team_id, report_id)
    if manager_id is None:
        return None
    row = open_focus(session, team_id, manager_id, report_id)
    if row is None or row.state != ACTIVE or not may_see_pair(viewer_id, row, manager_id):
        return None
    return row


def for_team(session: Session, team_id: str, manager_id: str) -> list[Focus]:
    """What each of a manager's reports practises now."""
    rows = list(
        session.scalars(
            select(Focus)
            .where(Focus.team_id == team_id, Focus.manager_id == manager_id, Focus.state == ACTIVE)
            .order_by(Focus.report_id)
        )
    )
    managers = teams.managers_of(session, team_id, [row.report_id for row in rows])
    return [r for r in rows if may_see_pair(manager_id, r, managers.get(r.report_id))]


def practised_since(session: Session, focus_ids: list[int], since: datetime) -> dict[int, int]:
    """Days each focus was practised since `since`."""
    if not focus_ids:
        return {}
    rows = session.execute(
        select(FocusPractice.focus_id, func.count())
        .where(FocusPractice.focus_id.in_(focus_ids), FocusPractice.at >= since)
        .group_by(FocusPractice.focus_id)
    )
    return {focus_id: int(count) for focus_id, count in rows}


def this_week(session: Session, focus: Focus, now: datetime) -> int:
    return practised_since(session, [focus.id], now - WEEK).get(focus.id, 0)


def practised_on(session: Session, focus_id: int, day: date) -> bool:
    return session.get(FocusPractice, (focus_id, day)) is not None


def to_notice(
    session: Session, team_id: str, manager_id: str, report_ids: list[str], now: datetime
) -> list[tuple[Focus, int]]:
    """For a manager's digest: each report's focus practised since the last digest (a day),
    with the days practised this week."""
    focuses = [f for f in for_team(session, team_id, manager_id) if f.report_id in report_ids]
    fresh = practised_since(session, [f.id for f in focuses], now - timedelta(days=1))
    week = practised_since(session, [f.id for f in focuses if f.id in fresh], now - WEEK)
    return [(f, week[f.id]) for f in focuses if f.id in fresh]
