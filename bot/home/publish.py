"""Publishing the Home tab: on open, and again after changes that show there.

Home is republished only for people who have opened it before (`mark_opened`), so a
change never pushes a Home nobody asked for.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from slack_sdk.errors import SlackApiError
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import teams
from bot.delivery import DeliveryReport
from bot.feedback.rules import DM_KIND
from bot.home.view import build
from bot.models import PersonSettings
from bot.preferences.person import ensure
from bot.services import Services

log = logging.getLogger(__name__)


def publish(
    services: Services, team_id: str, user_id: str, now: datetime, notice: str | None = None
) -> bool:
    """Build and publish one person's Home as of `now`; False if Slack refused (logged)."""
    with services.sessions() as session:
        view = build(session, team_id, user_id, now, notice)
    try:
        services.client_for(team_id).views_publish(user_id=user_id, view=view)
    except SlackApiError as error:
        log.warning("could not publish Home for %s: %s", user_id, error.response.get("error"))
        return False
    return True


def refresh(
    services: Services, team_id: str, user_ids: Iterable[str | None], now: datetime
) -> None:
    """Republish Home for those of `user_ids` who have opened it before."""
    wanted = sorted({u for u in user_ids if u})
    if not wanted:
        return
    with services.sessions() as session:
        opened = list(
            session.scalars(
                select(PersonSettings.user_id).where(
                    PersonSettings.team_id == team_id,
                    PersonSettings.user_id.in_(wanted),
                    PersonSettings.home_opened_at.is_not(None),
                )
            )
        )
    for user_id in opened:
        publish(services, team_id, user_id, now)


def refresh_with_manager(services: Services, team_id: str, user_id: str, now: datetime) -> None:
    """After a change to someone's priorities: their Home and their manager's."""
    with services.sessions() as session:
        manager = teams.manager_of(session, team_id, user_id)
    refresh(services, team_id, [user_id, manager], now)


def refresh_after_delivery(services: Services, report: DeliveryReport, now: datetime) -> None:
    """Feedback that just reached its subject now shows on their Home."""
    by_team: dict[str, list[str]] = {}
    for row in report.sent:
        if row.kind == DM_KIND:
            by_team.setdefault(row.team_id, []).append(row.recipient_id)
    for team_id, people in by_team.items():
        refresh(services, team_id, people, now)


def mark_opened(session: Session, team_id: str, user_id: str, now: datetime) -> None:
    """Someone opened Home: from now on `refresh` keeps it up to date for them."""
    ensure(session, team_id, user_id, now).home_opened_at = now
