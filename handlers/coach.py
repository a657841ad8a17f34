"""`/coach`: help for every command, the preferences form, nudge snoozes, a summary preview."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot import directory, mentions, summary_preview
from bot.oneonones import actions as oneonones
from bot.preferences import actions
from bot.prompts import render
from handlers.common import (
    actor_of,
    know_actor,
    now_of,
    perform,
    say,
    services_of,
    update_message,
)

ONE_ON_ONES = {"1on1": oneonones.set_up, "agenda": oneonones.add_to_agenda}

COMMAND = "/coach"


def register(app: App) -> None:
    app.command(COMMAND)(coach_command)


def coach_command(
    ack: Any, command: dict[str, Any], respond: Any, client: Any, context: Any
) -> None:
    ack()
    services, actor, now = services_of(context), actor_of(context), now_of(context)
    verb, _, rest = command.get("text", "").strip().partition(" ")
    verb = verb.lower()
    if verb == "settings":  # the form first, while the trigger_id is fresh
        outcome = perform(services, actions.open_form, actor, now=now)
        client.views_open(trigger_id=command["trigger_id"], view=outcome.value)
        return
    know_actor(services, actor, now)
    if verb in ("", "help", "?"):
        text = render("coach.usage")
    elif verb == "summary":
        text = perform(services, summary_preview.send_preview, actor, now=now).text
    elif verb == "snooze":
        text = perform(services, actions.snooze_nudges, actor, rest.strip(), now=now).text
    elif verb in ONE_ON_ONES:
        people, words = mentions.leading(rest)
        slack = services.client_for(actor.team_id)
        directory.lookup_many(services.sessions, slack, actor.team_id, people[:1], now)
        outcome = perform(services, ONE_ON_ONES[verb], actor, people, words, now=now)
        if outcome.value is not None:  # the agenda already posted shows the new item
            update_message(client, outcome.value.channel, outcome.value.ts, outcome.value.message)
        text = outcome.text
    else:
        text = render("coach.unknown", word=verb[:30]) + "\n\n" + render("coach.usage")
    say(respond, text)
