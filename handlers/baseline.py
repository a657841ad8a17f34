"""A baseline both can read: *Write it down* (and *Revise*) open the form; the report's
*Agree* and *Suggest a change*; the manager's *Still holds*.

`/coach baseline @name` is routed by `handlers.coach`.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot.baselines import actions, views
from bot.nudges import BASELINE_HELD
from handlers.common import (
    actor_of,
    now_of,
    perform,
    perform_click,
    say,
    services_of,
    update_message,
)


def register(app: App) -> None:
    app.action(views.WRITE)(on_write)
    app.action(BASELINE_HELD)(on_write)  # *Mark it held* on nudges sent before the form
    app.action(views.AGREE)(on_agree)
    app.action(views.SUGGEST)(on_suggest)
    app.action(views.STILL_HOLDS)(on_still_holds)
    app.view(views.FORM)(submit_baseline)
    app.view(views.COMMENT_FORM)(submit_comment)


def _value(action: dict[str, Any]) -> str:
    return str(action.get("value", ""))[:200]


def _open(use_case: Any, body: dict[str, Any], action: dict[str, Any], client: Any,
          respond: Any, context: Any) -> None:  # fmt: skip
    """A form, opened at once (the trigger lasts about 3 s), or why not."""
    outcome = perform(
        services_of(context), use_case, actor_of(context), _value(action), now=now_of(context)
    )
    if outcome.refused:
        say(respond, outcome.text)
        return
    client.views_open(trigger_id=body["trigger_id"], view=outcome.value)


def on_write(
    ack: Any, body: dict[str, Any], action: dict[str, Any], client: Any, respond: Any, context: Any
) -> None:
    ack()
    _open(actions.open_form, body, action, client, respond, context)


def on_suggest(
    ack: Any, body: dict[str, Any], action: dict[str, Any], client: Any, respond: Any, context: Any
) -> None:
    ack()
    _open(actions.open_suggest, body, action, client, respond, context)


def on_agree(
    ack: Any, body: dict[str, Any], action: dict[str, Any], client: Any, respond: Any, context: Any
) -> None:
    perform_click(ack, body, client, respond, context, actions.agree, _value(action))


def on_still_holds(ack: Any, action: dict[str, Any], respond: Any, context: Any) -> None:
    ack()
    outcome = perform(
        services_of(context),
        actions.still_holds,
        actor_of(context),
        _value(action),
        now=now_of(context),
    )
    say(respond, outcome.text)


def _submit(
    use_case: Any, ack: Any, view: dict[str, Any], context: Any, field: str, client: Any = None
) -> None:
    """A submitted form: its errors, or the form saying what it did; when the use case
    names a message to show it in (`value`: channel and ts), that message too."""
    outcome = perform(
        services_of(context),
        use_case,
        actor_of(context),
        str(view.get("private_metadata") or "")[:200],
        view.get("state", {}).get("values", {}),
        now=now_of(context),
    )
    if outcome.refused:
        ack(response_action="errors", errors=outcome.value or {field: outcome.text})
        return
    ack(response_action="update", view=views.done_view(outcome.text))
    if client is not None and outcome.message is not None and outcome.value is not None:
        update_message(client, *outcome.value, outcome.message)


def submit_baseline(ack: Any, view: dict[str, Any], context: Any) -> None:
    _submit(actions.write, ack, view, context, "results")


def submit_comment(ack: Any, view: dict[str, Any], client: Any, context: Any) -> None:
    """The suggested change: to the manager; the baseline's DM loses its buttons and says so."""
    _submit(actions.suggest, ack, view, context, views.COMMENT, client)
