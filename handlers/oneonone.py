"""The buttons and forms of a one-on-one agenda: *Add an item* and *Wrap up*.

The commands (`/coach 1on1`, `/coach agenda`) are routed by `handlers.coach`.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot.oneonones import actions, views
from handlers.common import actor_of, now_of, perform, say, services_of, update_message


def register(app: App) -> None:
    app.action(views.ADD_ITEM)(on_add_item)
    app.action(views.WRAP_UP)(on_wrap_up)
    app.view(views.ADD_FORM)(submit_item)
    app.view(views.WRAP_FORM)(submit_wrap_up)


def on_add_item(ack: Any, body: dict[str, Any], action: dict[str, Any], client: Any) -> None:
    """Open the one-line form at once (the trigger lasts about 3 s); checked on submit."""
    ack()
    view = views.add_item_form(str(action.get("value", ""))[:200])
    client.views_open(trigger_id=body["trigger_id"], view=view)


def on_wrap_up(
    ack: Any, body: dict[str, Any], action: dict[str, Any], client: Any, respond: Any, context: Any
) -> None:
    ack()
    claim = str(action.get("value", ""))[:200]
    outcome = perform(
        services_of(context), actions.open_wrap_up, actor_of(context), claim, now=now_of(context)
    )
    if outcome.refused:
        say(respond, outcome.text)
        return
    client.views_open(trigger_id=body["trigger_id"], view=outcome.value)


def submit_item(ack: Any, view: dict[str, Any], client: Any, context: Any) -> None:
    values = view.get("state", {}).get("values", {})
    text = ((values.get(views.ITEM_BLOCK) or {}).get(views.ITEM_INPUT) or {}).get("value") or ""
    outcome = perform(
        services_of(context),
        actions.add_from_form,
        actor_of(context),
        str(view.get("private_metadata") or ""),
        str(text),
        now=now_of(context),
    )
    if outcome.refused:
        ack(response_action="errors", errors={views.ITEM_BLOCK: outcome.text})
        return
    ack()
    _show_again(client, outcome.value)


def submit_wrap_up(ack: Any, view: dict[str, Any], client: Any, context: Any) -> None:
    outcome = perform(
        services_of(context),
        actions.wrap_up,
        actor_of(context),
        str(view.get("private_metadata") or ""),
        view.get("state", {}).get("values", {}),
        now=now_of(context),
    )
    if outcome.refused:
        ack(response_action="errors", errors=outcome.value or {views.REPORT_WILL: outcome.text})
        return
    ack(response_action="update", view=views.saved_view(outcome.text))
    _show_again(client, outcome.value)


def _show_again(client: Any, refresh: actions.Refresh | None) -> None:
    """The agenda in the group DM, as it reads now."""
    if refresh is not None:
        update_message(client, refresh.channel, refresh.ts, refresh.message)
