"""`/checkin`, and the buttons and note form on the daily check-in DM."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from slack_bolt import App

from bot.checkins import actions, views
from bot.prompts import render
from handlers.common import (
    Outcome,
    actor_of,
    answer,
    know_actor,
    now_of,
    perform,
    perform_as_actor,
    perform_click,
    say,
    services_of,
    text_message,
    update_message,
)

COMMAND = "/checkin"
# `/checkin <verb> <text>`: the use case each verb stands for.
WITH_TEXT: dict[str, Callable[..., Outcome]] = {
    "time": actions.set_checkin_time,
    "days": actions.set_checkin_days,
    "snooze": actions.snooze_checkins,
}
SWITCHES: dict[str, Callable[..., Outcome]] = {
    "off": actions.turn_checkins_off,
    "on": actions.turn_checkins_on,
}
HELP = ("help", "settings", "?")


def register(app: App) -> None:
    app.command(COMMAND)(checkin_command)
    app.action(re.compile(f"^{views.ANSWER}"))(on_answer)
    app.action(views.NO_CHANGES)(on_no_changes)
    app.action(re.compile(f"^{views.CADENCE}"))(on_cadence)
    app.action(views.NOTE)(on_note_button)
    app.view(views.NOTE_FORM)(on_note_submit)


def checkin_command(ack: Any, command: dict[str, Any], respond: Any, context: Any) -> None:
    services, actor, now = services_of(context), actor_of(context), now_of(context)

    def reply() -> dict[str, Any]:
        know_actor(services, actor, now)
        verb, _, rest = command.get("text", "").strip().partition(" ")
        verb, rest = verb.lower(), rest.strip()
        if verb == "":
            text = perform(services, actions.send_checkin_now, actor, now=now).text
        elif verb in WITH_TEXT:
            text = perform(services, WITH_TEXT[verb], actor, rest, now=now).text
        elif verb in SWITCHES:
            text = perform(services, SWITCHES[verb], actor, now=now).text
        else:
            text = perform(services, actions.describe_checkins, actor, now=now).text
            if verb not in HELP:
                text = render("checkin.command.unknown", word=verb[:30]) + "\n\n" + text
        return text_message(text)

    answer(ack, respond, context, reply, people=[actor.user_id])


def on_answer(ack: Any, action: dict[str, Any], client: Any, respond: Any, context: Any) -> None:
    ack()
    checkin_id, priority_id, answer = views.read_answer_value(action.get("value", ""))
    outcome = perform_as_actor(context, actions.answer_priority, checkin_id, priority_id, answer)
    _edit_or_say(client, respond, outcome)


def on_no_changes(
    ack: Any, action: dict[str, Any], client: Any, respond: Any, context: Any
) -> None:
    ack()
    outcome = perform_as_actor(context, actions.no_changes_today, action.get("value", ""))
    _edit_or_say(client, respond, outcome)


def on_cadence(
    ack: Any, body: dict[str, Any], action: dict[str, Any], client: Any, respond: Any, context: Any
) -> None:
    """Daily / Weekly / Pause: the question's message becomes the answer."""
    choice = action.get("value", "")
    perform_click(ack, body, client, respond, context, actions.choose_cadence, choice)


def on_note_button(
    ack: Any, body: dict[str, Any], action: dict[str, Any], client: Any, respond: Any, context: Any
) -> None:
    """Open the note form first (the trigger_id expires in seconds), then nothing slow."""
    ack()
    outcome = perform_as_actor(context, actions.open_note_form, action.get("value", ""))
    if outcome.refused:
        say(respond, outcome.text)
        return
    client.views_open(trigger_id=body["trigger_id"], view=outcome.value)


def on_note_submit(ack: Any, view: dict[str, Any], client: Any, context: Any) -> None:
    """Save the note, then close the form; what stops it shows on the form itself."""
    checkin_id = str(_metadata(view).get("checkin", ""))
    values = view.get("state", {}).get("values", {})
    outcome = perform_as_actor(context, actions.add_note, checkin_id, values)
    if outcome.refused:
        ack(response_action="errors", errors=outcome.value or {"note": outcome.text})
        return
    ack()
    _edit_checkin(client, outcome)


def _metadata(view: dict[str, Any]) -> dict[str, Any]:
    """What the form carried (only a check-in id); anything unreadable counts as nothing."""
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except json.JSONDecodeError:
        return {}
    return meta if isinstance(meta, dict) else {}


def _edit_checkin(client: Any, outcome: Outcome) -> bool:
    """Edit the check-in DM the use case named (the value) to read as its message; False
    when there is nothing to edit."""
    if outcome.message is None or outcome.value is None:
        return False
    update_message(client, *outcome.value, outcome.message)
    return True


def _edit_or_say(client: Any, respond: Any, outcome: Outcome) -> None:
    """The DM shows what the click did, or the clicker is told why nothing changed."""
    if not _edit_checkin(client, outcome) and outcome.text:
        say(respond, outcome.text)
