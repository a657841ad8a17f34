"""The app leaving a workspace: uninstalled, or its tokens revoked. Stop all sending there."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App

from bot import workspaces
from handlers.common import now_of, services_of

log = logging.getLogger(__name__)


def register(app: App) -> None:
    app.event("app_uninstalled")(on_uninstalled)
    app.event("tokens_revoked")(on_tokens_revoked)


def on_uninstalled(body: dict[str, Any], context: Any) -> None:
    _leave(body, context)


def on_tokens_revoked(event: dict[str, Any], body: dict[str, Any], context: Any) -> None:
    if (event.get("tokens") or {}).get("bot"):  # the bot token is what Sprout sends with
        _leave(body, context)


def _leave(body: dict[str, Any], context: Any) -> None:
    services = services_of(context)
    team_id = body.get("team_id") or context.get("team_id")
    if not team_id:
        return
    cancelled = workspaces.uninstalled(services.sessions, team_id, now_of(context))
    store = services.installation_store
    if store is not None:
        enterprise_id = body.get("enterprise_id") or None
        store.delete_bot(enterprise_id=enterprise_id, team_id=team_id)
        store.delete_installation(enterprise_id=enterprise_id, team_id=team_id)
    services.forget_team(team_id)
    log.info("workspace %s left: %d queued messages cancelled", team_id, cancelled)
