"""Buttons on nudges and digests: remind me later, ask about a priority, give feedback.

The baseline nudge's *Write it down* is `handlers.baseline`'s."""

from __future__ import annotations

import json
import re
from typing import Any

from slack_bolt import App

from bot import nudges
from bot.feedback.form import Meta
from bot.feedback.views import form_modal
from bot.nudges import actions
from handlers.common import (
    clicked_message,
    perform_as_actor,
    perform_click,
    say,
    text_message,
    with_held,
)

STATUS_REQUEST = "status_request_"


def register(app: App) -> None:
    app.action(nudges.REMIND_LATER)(on_remind_later)
    app.action(re.compile(f"^{nudges.ASK_ABOUT}"))(on_ask_about)
    app.action(re.compile(f"^{STATUS_REQUEST}"))(on_status_answer)
    app.action(re.compile(f"^{nudges.GIVE_FEEDBACK}"))(on_give_feedback)


def on_remind_later(
    ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any, context: Any
) -> None:
    ack()
    _, digest_ts = clicked_message(body)
    outcome = perform_as_actor(context, actions.remind_later, action.get("value", ""), digest_ts)
    say(respond, outcome.text)


def on_ask_about(
    ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any, context: Any
) -> None:
    ack()
    outcome = perform_as_actor(context, actions.ask_about, action.get("value", ""))
    respond(
        response_type="ephemeral",
        replace_original=False,
        **with_held(text_message(outcome.text), outcome),
    )


def on_status_answer(
    ack: Any, body: dict[str, Any], action: dict[str, Any], client: Any, respond: Any, context: Any
) -> None:
    """The owner's one-tap answer to 'how is it going?'."""
    answer = action["action_id"].removeprefix(STATUS_REQUEST)
    claim = action.get("value", "")
    perform_click(ack, body, client, respond, context, actions.answer_status_request, claim, answer)


def on_give_feedback(ack: Any, body: dict[str, Any], action: dict[str, Any], client: Any) -> None:
    """Open the feedback form prefilled from the nudge: first, before the trigger expires."""
    ack()
    try:
        data = json.loads(action.get("value") or "{}")
    except json.JSONDecodeError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    view = form_modal(
        Meta(),
        person=str(data.get("person") or "") or None,
        kind=str(data.get("kind") or "") or None,
        why=str(data.get("why") or "") or None,
        title=str(data.get("title") or ""),
    )
    client.views_open(trigger_id=body["trigger_id"], view=view)
