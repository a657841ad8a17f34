"""`/coach`: help for every command, the preferences form, nudge snoozes, a summary preview,
and the monthly pulse (`/coach pulse on|off`, the DM's *Answer* and its form)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot import directory, mentions, summary_preview
from bot.baselines import actions as baselines
from bot.focus import actions as focus
from bot.oneonones import actions as oneonones
from bot.preferences import actions
from bot.prompts import render
from bot.pulse import actions as pulse
from bot.pulse import views as pulse_views
from handlers.common import (
    ack_form,
    actor_of,
    answer,
    chosen,
    know_actor,
    now_of,
    perform,
    say,
    services_of,
    settle_repeat,
    text_message,
    update_message,
    with_held,
)

ONE_ON_ONES = {"1on1": oneonones.set_up, "agenda": oneonones.add_to_agenda}
PAIRS = {"baseline": baselines.show, "focus": focus.command}  # what a pair agreed

COMMAND = "/coach"


def register(app: App) -> None:
    app.command(COMMAND)(coach_command)
    app.action(pulse_views.ANSWER)(on_pulse_answer)
    app.view(pulse_views.CALLBACK_ID)(on_pulse_submit)


def coach_command(
    ack: Any, command: dict[str, Any], respond: Any, client: Any, context: Any
) -> None:
    services, actor, now = services_of(context), actor_of(context), now_of(context)
    verb, _, rest = command.get("text", "").strip().partition(" ")
    verb = verb.lower()
    if verb == "settings":  # the form first, while the trigger_id is fresh
        ack()
        if not settle_repeat(context):
            return
        outcome = perform(services, actions.open_form, actor, now=now)
        client.views_open(trigger_id=command["trigger_id"], view=outcome.value)
        return

    def reply() -> dict[str, Any]:
        know_actor(services, actor, now)
        if verb in ("", "help", "?"):
            text = render("coach.usage")
        elif verb == "summary":
            text = perform(services, summary_preview.send_preview, actor, now=now).text
        elif verb == "pulse":
            text = perform(services, pulse.switch, actor, rest, now=now).text
        elif verb == "snooze":
            text = perform(services, actions.snooze_nudges, actor, rest.strip(), now=now).text
        elif verb in ONE_ON_ONES:
            people, words = mentions.leading(rest)
            slack = services.client_for(actor.team_id)
            directory.lookup_many(services.sessions, slack, actor.team_id, people[:1], now)
            outcome = perform(services, ONE_ON_ONES[verb], actor, people, words, now=now)
            if outcome.value is not None:  # the agenda already posted shows the new item
                posted = outcome.value
                update_message(client, posted.channel, posted.ts, posted.message)
            text = outcome.text
        elif verb in PAIRS:
            people, words = mentions.leading(rest)
            outcome = perform(services, PAIRS[verb], actor, people, words, now=now)
            return with_held(outcome.message or text_message(outcome.text), outcome)
        else:
            text = render("coach.unknown", word=verb[:30]) + "\n\n" + render("coach.usage")
        return text_message(text)

    named = mentions.leading(rest)[0][:1] if verb in (*ONE_ON_ONES, *PAIRS) else []
    answer(ack, respond, context, reply, people=[actor.user_id, *named])


def on_pulse_answer(
    ack: Any, action: dict[str, Any], body: dict[str, Any], respond: Any, client: Any, context: Any
) -> None:
    """The pulse DM's *Answer*: the form (database reads only before it: the trigger is
    short-lived), or a line saying why not."""
    ack()
    services, actor, now = services_of(context), actor_of(context), now_of(context)
    outcome = perform(services, pulse.open_form, actor, chosen(action), now=now)
    if outcome.refused:
        say(respond, outcome.text)
        return
    client.views_open(trigger_id=body["trigger_id"], view=outcome.value)


def on_pulse_submit(ack: Any, view: dict[str, Any], context: Any) -> None:
    """Answers are stored without their author; nothing else about the person is touched
    (no directory refresh, no Home), so nothing records when they answered."""
    services, actor, now = services_of(context), actor_of(context), now_of(context)
    values = view.get("state", {}).get("values", {})
    claim = view.get("private_metadata", "")
    ack_form(ack, perform(services, pulse.answer, actor, claim, values, now=now).value)
