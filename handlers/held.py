"""*Send now anyway* on the notice of a DM held for its recipient's working hours."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot.held import actions
from bot.held.views import SEND_ANYWAY
from handlers.common import actor_of, now_of, perform, say, services_of


def register(app: App) -> None:
    app.action(SEND_ANYWAY)(send_anyway)


def send_anyway(ack: Any, action: dict[str, Any], respond: Any, context: Any) -> None:
    ack()
    outcome = perform(
        services_of(context),
        actions.send_anyway,
        actor_of(context),
        action.get("value", ""),
        now=now_of(context),
    )
    say(respond, outcome.text)
