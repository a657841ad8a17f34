"""Coach one thing: *Accept* / *Not now* on a proposed focus, the check-in's
*Practised it today*, and *Done* on Home.

`/coach focus @name ...` is routed by `handlers.coach`.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot.focus import actions, views
from handlers.common import (
    actor_of,
    clicked_message,
    now_of,
    perform,
    perform_click,
    say,
    services_of,
    update_message,
)


def register(app: App) -> None:
    app.action(views.ACCEPT)(on_accept)
    app.action(views.NOT_NOW)(on_not_now)
    app.action(views.PRACTISED)(on_practised)
    app.action(views.DONE)(on_done)


def on_accept(
    ack: Any, body: dict[str, Any], action: dict[str, Any], client: Any, respond: Any, context: Any
) -> None:
    claim = str(action.get("value", ""))[:50]
    perform_click(ack, body, client, respond, context, actions.answer, claim, True)


def on_not_now(
    ack: Any, body: dict[str, Any], action: dict[str, Any], client: Any, respond: Any, context: Any
) -> None:
    claim = str(action.get("value", ""))[:50]
    perform_click(ack, body, client, respond, context, actions.answer, claim, False)


def on_practised(
    ack: Any, body: dict[str, Any], action: dict[str, Any], client: Any, respond: Any, context: Any
) -> None:
    ack()
    outcome = perform(
        services_of(context),
        actions.practise,
        actor_of(context),
        str(action.get("value", ""))[:50],
        clicked_message(body)[1] or "",
        now=now_of(context),
    )
    if outcome.message is not None and outcome.value is not None:
        update_message(client, *outcome.value, outcome.message)
    say(respond, outcome.text)


def on_done(ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any,
            context: Any) -> None:  # fmt: skip
    """*Done* on Home: Home again, saying what it did (or why not)."""
    ack()
    at_home = (body.get("view") or {}).get("type") == "home"
    outcome = perform(
        services_of(context),
        actions.finish,
        actor_of(context),
        str(action.get("value", ""))[:50],
        now=now_of(context),
        at_home=at_home,
    )
    if not at_home:
        say(respond, outcome.text)
