"""The App Home tab: published when someone opens it, and the buttons on it.

Home has no response_url: a click changes the data, then Home is published again with
a one-line note at the top saying what the click did.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_bolt import App
from sqlalchemy.orm import Session

from bot import directory, home, priorities
from bot.db import transaction
from bot.models import Priority
from bot.prompts import render
from bot.refusal import Refusal
from handlers.common import now_of, services_of
from handlers.priority import apply_to_own_priority


def register(app: App) -> None:
    app.event("app_home_opened")(on_home_opened)
    app.action(home.DONE)(on_done)
    app.action(home.STATUS)(on_status)


def on_home_opened(event: dict[str, Any], context: Any) -> None:
    """Publish Home each time it is opened (the Messages tab sends this event too)."""
    if event.get("tab", "home") != "home" or not event.get("user"):
        return
    services = services_of(context)
    team_id, user_id = context["team_id"], event["user"]
    now = now_of(context)
    # Time zone and admin flag come from the directory; events skip the middleware's lookup.
    directory.lookup_many(services.sessions, services.client_for(team_id), team_id, [user_id], now)
    with transaction(services.sessions) as session:
        home.mark_opened(session, team_id, user_id, now)
    home.publish(services, team_id, user_id, now)


def _on_priority(body: dict[str, Any], context: Any, apply: Any) -> None:
    services, now = services_of(context), now_of(context)
    team_id, user_id, notice = apply_to_own_priority(services, body, apply, now)
    home.refresh_with_manager(services, team_id, user_id, now, notice=notice)


def on_done(ack: Any, body: dict[str, Any], context: Any) -> None:
    ack()

    def apply(session: Session, p: Priority, user: str, now: datetime, _: str) -> str:
        priorities.finish(session, p, priorities.DONE, user, now, "home")
        return render("priority.done.finished", rotate=p.id, title=p.title)

    _on_priority(body, context, apply)


def on_status(ack: Any, body: dict[str, Any], context: Any) -> None:
    ack()

    def apply(session: Session, p: Priority, user: str, now: datetime, health: str) -> str:
        if health not in priorities.HEALTHS:
            raise Refusal("priority.refuse.gone")
        priorities.set_health(session, p, health, user, now, "home")
        return render(
            "priority.done.status_set", title=p.title, status=render(f"priority.status.{health}")
        )

    _on_priority(body, context, apply)
