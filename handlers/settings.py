"""The preferences form ("Sprout settings"): opened from Home's button (`/coach settings`
opens it too), and saved here.

After a save the form turns into a short confirmation (the next check-in time) and Home is
republished; when an admin changed the workspace defaults, everyone's schedule follows them
once Slack has its answer.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot import home
from bot.preferences import actions, form
from handlers.common import actor_of, now_of, perform, services_of


def register(app: App) -> None:
    app.view(form.CALLBACK_ID)(on_submit)
    app.action(home.OPEN_SETTINGS)(on_open_from_home)


def on_open_from_home(ack: Any, body: dict[str, Any], client: Any, context: Any) -> None:
    """Open the form; only database reads come before it (the trigger lasts about 3 s)."""
    ack()
    outcome = perform(
        services_of(context), actions.open_form, actor_of(context), now=now_of(context)
    )
    client.views_open(trigger_id=body["trigger_id"], view=outcome.value)


def on_submit(ack: Any, view: dict[str, Any], context: Any) -> None:
    services, actor, now = services_of(context), actor_of(context), now_of(context)
    values = view.get("state", {}).get("values", {})
    answer: actions.FormAnswer = perform(services, actions.save_form, actor, values, now=now).value
    if answer.errors or answer.view is None:
        ack(response_action="errors", errors=answer.errors)
        return
    ack(response_action="update", view=answer.view)
    if answer.workspace_changed:
        perform(services, actions.follow_new_defaults, actor, now=now)
