"""A workspace's life: installed (again), uninstalled. Uninstalled workspaces get nothing sent."""

from __future__ import annotations

from datetime import datetime

from slack_sdk.oauth.installation_store import Installation
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from bot import outbox
from bot.db import insert_ignoring_duplicates, transaction
from bot.models import OutboxMessage, Workspace


def installed(
    sessions: sessionmaker[Session],
    installation: Installation,
    now: datetime,
    team_consent: str = "ask",
) -> None:
    """Record (or revive) the workspace an install was made into; a new one starts with
    the deployment's `team_consent`."""
    if not installation.team_id:
        return
    with transaction(sessions) as session:
        workspace = _ensured(session, installation.team_id, now, team_consent=team_consent)
        workspace.enterprise_id = installation.enterprise_id
        workspace.name = (installation.team_name or "")[:200]
        workspace.uninstalled_at = None


def uninstalled(sessions: sessionmaker[Session], team_id: str, now: datetime) -> int:
    """Stop everything for a workspace; returns how many queued messages were cancelled."""
    with transaction(sessions) as session:
        workspace = _ensured(session, team_id, now)
        workspace.uninstalled_at = now
        result = session.execute(
            update(OutboxMessage)
            .where(
                OutboxMessage.team_id == team_id,
                OutboxMessage.status.in_((outbox.PENDING, outbox.SENDING)),
            )
            .values(status=outbox.CANCELLED, last_error="workspace uninstalled")
            .execution_options(synchronize_session=False)
        )
        return result.rowcount or 0


def ensure(
    session: Session,
    team_id: str,
    now: datetime,
    *,
    team_consent: str | None = None,
    enterprise_id: str | None = None,
) -> None:
    """The workspace has its row (a new one starts with the deployment's `team_consent`).

    Insert-or-ignore: a new workspace's first requests, its install and its events may
    all arrive at once, and each adds it.
    """
    insert_ignoring_duplicates(
        session,
        Workspace,
        {
            "team_id": team_id,
            "enterprise_id": enterprise_id,
            "name": "",
            "settings": {"team_consent": team_consent} if team_consent else {},
            "created_at": now,
        },
        ["team_id"],
        Workspace.team_id,
    )


def _ensured(session: Session, team_id: str, now: datetime, **new: str | None) -> Workspace:
    ensure(session, team_id, now, **new)
    workspace = session.get(Workspace, team_id, populate_existing=True)
    assert workspace is not None  # inserted just now, or by whoever won the race
    return workspace


def uninstalled_teams(session: Session) -> set[str]:
    return set(
        session.scalars(select(Workspace.team_id).where(Workspace.uninstalled_at.is_not(None)))
    )
