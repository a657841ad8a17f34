"""The App Home tab: published when someone opens it, and the buttons on it.

Home has no response_url: a click changes the data, then Home is published again with
a one-line note at the top saying what the click did (`perform(..., at_home=True)`).
"""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot import home
from bot.home import actions as home_actions
from bot.priorities import actions as priority_actions
from bot.priorities.actions import Press
from handlers.common import actor_of, chosen, know_actor, now_of, perform, services_of

PRESSES = {home.DONE: Press.DONE, home.STATUS: Press.STATUS}


def register(app: App) -> None:
    app.event("app_home_opened")(on_home_opened)
    for action_id in PRESSES:
        app.action(action_id)(on_press)


def on_home_opened(event: dict[str, Any], context: Any) -> None:
    """Publish Home each time it is opened (the Messages tab sends this event too)."""
    if event.get("tab", "home") != "home" or not event.get("user"):
        return
    services, actor, now = services_of(context), actor_of(context), now_of(context)
    know_actor(services, actor, now)
    perform(services, home_actions.open_home, actor, now=now, at_home=True)


def on_press(ack: Any, action: dict[str, Any], context: Any) -> None:
    """Done or a status on Home: Home is published again, saying what the click did."""
    ack()
    services, actor, now = services_of(context), actor_of(context), now_of(context)
    press, claim = PRESSES[action["action_id"]], chosen(action)
    perform(services, priority_actions.press_on_home, actor, press, claim, now=now, at_home=True)
