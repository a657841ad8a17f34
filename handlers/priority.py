"""`/priority` and the buttons on its list: read the request, call its use case, answer."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot.priorities import actions, views
from bot.priorities.actions import Press
from bot.priorities.text import parse
from bot.prompts import render
from bot.refusal import Refusal
from handlers.common import (
    actor_of,
    answer,
    chosen,
    know_actor,
    now_of,
    perform,
    services_of,
    text_message,
    with_held,
)

COMMAND = "/priority"
PRESSES = {views.DONE: Press.DONE, views.DROP: Press.DROP, views.STATUS: Press.STATUS}


def register(app: App) -> None:
    app.command(COMMAND)(priority_command)
    for action_id in PRESSES:
        app.action(action_id)(on_press)


def priority_command(ack: Any, command: dict[str, Any], respond: Any, context: Any) -> None:
    services, actor, now = services_of(context), actor_of(context), now_of(context)

    def reply() -> dict[str, Any]:
        know_actor(services, actor, now)
        try:
            request = parse(command.get("text", ""))
        except Refusal as refusal:
            return text_message(views.misread(refusal))
        if request.verb == "help":
            return text_message(render("priority.usage"))
        if request.verb == "":
            outcome = perform(services, actions.show_mine, actor, now=now)
        elif request.verb == "list":
            outcome = perform(services, actions.show_report, actor, request.owner, now=now)
        elif request.verb == "add":
            outcome = perform(services, actions.add_priority, actor, request, now=now)
        else:
            outcome = perform(services, actions.change_priority, actor, request, now=now)
        return outcome.message or with_held(text_message(outcome.text), outcome)

    answer(ack, respond, context, reply, people=[actor.user_id])


def on_press(ack: Any, action: dict[str, Any], respond: Any, context: Any) -> None:
    """Done, Drop or a status on the list: the list is shown again, with what it did."""
    ack()
    services, actor, now = services_of(context), actor_of(context), now_of(context)
    press = PRESSES[action["action_id"]]
    outcome = perform(services, actions.press_on_list, actor, press, chosen(action), now=now)
    respond(replace_original=True, **(outcome.message or text_message(outcome.text)))
