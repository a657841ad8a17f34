"""Finding a pair's baseline for someone who may read it (`bot.visibility.may_see_pair`)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import teams
from bot.models import Baseline
from bot.visibility import may_see_pair


def current(session: Session, team_id: str, viewer_id: str, report_id: str) -> Baseline | None:
    """The baseline of `report_id` with their manager now, if `viewer_id` may read it."""
    manager_id = teams.manager_of(session, team_id, report_id)
    if manager_id is None:
        return None
    row = session.get(Baseline, (team_id, manager_id, report_id))
    return row if row is not None and may_see_pair(viewer_id, row, manager_id) else None


def agreed_for_team(session: Session, team_id: str, manager_id: str) -> list[Baseline]:
    """The baselines a manager agreed with the people who report to them now."""
    rows = list(
        session.scalars(
            select(Baseline)
            .where(
                Baseline.team_id == team_id,
                Baseline.manager_id == manager_id,
                Baseline.agreed_at.is_not(None),
            )
            .order_by(Baseline.report_id)
        )
    )
    managers = teams.managers_of(session, team_id, [row.report_id for row in rows])
    return [
        row
        for row in rows
        if row.agreed and may_see_pair(manager_id, row, managers.get(row.report_id))
    ]
