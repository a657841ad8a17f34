"""The weekly reflection's *Answer* and *Skip* (on the summary) and its private form."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot.reflections import actions
from bot.reflections import views as reflection_views
from handlers.common import ack_form, actor_of, chosen, now_of, perform, say, services_of


def register(app: App) -> None:
    app.action(reflection_views.ANSWER)(on_answer)
    app.action(reflection_views.SKIP)(on_skip)
    app.view(reflection_views.CALLBACK_ID)(on_submit)


def on_answer(
    ack: Any, action: dict[str, Any], body: dict[str, Any], respond: Any, client: Any, context: Any
) -> None:
    """The form, opened before anything slow (the trigger is short-lived), or why not."""
    ack()
    services, actor, now = services_of(context), actor_of(context), now_of(context)
    outcome = perform(services, actions.open_form, actor, chosen(action), now=now)
    if outcome.refused:
        say(respond, outcome.text)
        return
    client.views_open(trigger_id=body["trigger_id"], view=outcome.value)


def on_skip(ack: Any, action: dict[str, Any], respond: Any, context: Any) -> None:
    ack()
    services, actor, now = services_of(context), actor_of(context), now_of(context)
    say(respond, perform(services, actions.skip, actor, chosen(action), now=now).text)


def on_submit(ack: Any, view: dict[str, Any], context: Any) -> None:
    services, actor, now = services_of(context), actor_of(context), now_of(context)
    values = view.get("state", {}).get("values", {})
    claim = view.get("private_metadata", "")
    ack_form(ack, perform(services, actions.answer, actor, claim, values, now=now).value)
