"""Keep the member directory in step with Slack (name, time zone, status, deactivation)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot import directory
from bot.app import services_of
from bot.db import transaction


def register(app: App) -> None:
    @app.event("user_change")
    def on_user_change(event: dict[str, Any], body: dict[str, Any], context: Any) -> None:
        services = services_of(context)
        user = event.get("user") or {}
        team_id = user.get("team_id") or body.get("team_id")
        if not user.get("id") or not team_id:
            return
        with transaction(services.sessions) as session:
            directory.upsert(session, team_id, user, services.now())
