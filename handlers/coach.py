"""`/coach`: help for every command, the preferences form, nudge snoozes, a summary preview."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot import summary_preview
from bot.preferences import actions
from bot.prompts import render
from handlers.common import (
    actor_of,
    answer,
    know_actor,
    now_of,
    perform,
    services_of,
    text_message,
)

COMMAND = "/coach"


def register(app: App) -> None:
    app.command(COMMAND)(coach_command)


def coach_command(
    ack: Any, command: dict[str, Any], respond: Any, client: Any, context: Any
) -> None:
    services, actor, now = services_of(context), actor_of(context), now_of(context)
    verb, _, rest = command.get("text", "").strip().partition(" ")
    verb = verb.lower()
    if verb == "settings":  # the form first, while the trigger_id is fresh
        ack()
        outcome = perform(services, actions.open_form, actor, now=now)
        client.views_open(trigger_id=command["trigger_id"], view=outcome.value)
        return

    def reply() -> dict[str, Any]:
        know_actor(services, actor, now)
        if verb in ("", "help", "?"):
            text = render("coach.usage")
        elif verb == "summary":
            text = perform(services, summary_preview.send_preview, actor, now=now).text
        elif verb == "snooze":
            text = perform(services, actions.snooze_nudges, actor, rest.strip(), now=now).text
        else:
            text = render("coach.unknown", word=verb[:30]) + "\n\n" + render("coach.usage")
        return text_message(text)

    answer(ack, respond, context, reply, people=[actor.user_id])
