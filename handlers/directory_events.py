"""Keep the member directory in step with Slack (name, time zone, status, deactivation)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot import directory
from bot.db import transaction
from bot.models import Member, PersonSettings
from bot.preferences.person import refresh_next_checkin
from handlers.common import now_of, services_of


def register(app: App) -> None:
    @app.event("user_change")
    def on_user_change(event: dict[str, Any], body: dict[str, Any], context: Any) -> None:
        services = services_of(context)
        user = event.get("user") or {}
        team_id = user.get("team_id") or body.get("team_id")
        if not user.get("id") or not team_id:
            return
        now = now_of(context)
        with transaction(services.sessions) as session:
            before = session.get(Member, (team_id, user["id"]))
            old_tz = before.tz if before is not None else None
            member = directory.upsert(session, team_id, user, now)
            if old_tz != member.tz and session.get(PersonSettings, (team_id, user["id"])):
                # A person who moved zones gets their check-ins at their new local time.
                refresh_next_checkin(session, team_id, user["id"], now)
