"""Keep the member directory in step with Slack (name, time zone, status, deactivation)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot import directory
from bot.usecase import apply_event
from handlers.common import now_of, services_of


def register(app: App) -> None:
    app.event("user_change")(on_user_change)


def on_user_change(event: dict[str, Any], context: Any) -> None:
    """The event's own workspace decides whose directory changes, never the payload's user."""
    user = event.get("user") or {}
    team_id = context.get("team_id")
    if not isinstance(user, dict) or not user.get("id") or not team_id:
        return
    services = services_of(context)
    apply_event(services, directory.user_changed, team_id, user, now=now_of(context))
    services.directory.forget(team_id, user["id"])  # read again, as stored, when next needed
