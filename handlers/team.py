"""`/team` and the "That's not right" button on the welcome DM."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot import mentions, user_text
from bot.prompts import render
from bot.teams import actions
from bot.teams.views import ACCEPT, DECLINE, NOT_RIGHT, text_message
from bot.usecase import Outcome, perform
from handlers.common import (
    actor_of,
    answer,
    lookup,
    now_of,
    perform_click,
    services_of,
    show_click,
    with_held,
)

COMMAND = "/team"
MAX_PEOPLE = 25


def register(app: App) -> None:
    app.command(COMMAND)(team_command)
    app.action(NOT_RIGHT)(not_right)
    app.action(ACCEPT)(on_request_answer)
    app.action(DECLINE)(on_request_answer)


def team_command(ack: Any, command: dict[str, Any], respond: Any, context: Any) -> None:
    verb, _, rest = command.get("text", "").strip().partition(" ")
    verb = verb.lower()

    def reply() -> dict[str, Any]:
        if verb == "":
            outcome = perform(
                services_of(context), actions.show_team, actor_of(context), now=now_of(context)
            )
            return outcome.message or text_message(outcome.text)
        if verb in ("add", "remove"):
            return change_team(context, verb, rest)
        if verb.startswith("<@"):
            ids = mentions.parse(command["text"]).user_ids
            people = " ".join(f"@{i}" for i in ids)
            return text_message(
                render("team.did_you_mean_add", people=people) + "\n\n" + render("team.usage")
            )
        return text_message(render("team.usage"))

    # `/team add` looks up everyone named, and the manager (see `change_team`).
    looked_up = [*mentions.parse(rest).user_ids, context["user_id"]] if verb == "add" else []
    answer(ack, respond, context, reply, people=looked_up)


def change_team(context: Any, verb: str, rest: str) -> dict[str, Any]:
    """`/team add` or `/team remove` with some mentions: what to answer."""
    found = mentions.parse(rest)
    problems = [
        render("team.group_mention", mention=user_text.from_slack(g)) for g in found.group_mentions
    ]
    if found.hand_typed:
        problems.append(render("team.hand_typed", names=", ".join(found.hand_typed)))
    ids = list(dict.fromkeys(found.user_ids))
    if not ids:
        return text_message("\n".join(problems or [render("team.needs_mention", verb=verb)]))
    if len(ids) > MAX_PEOPLE:
        return text_message(render("team.too_many", count=len(ids), limit=MAX_PEOPLE))
    services, actor, now = services_of(context), actor_of(context), now_of(context)
    outcome: Outcome
    if verb == "remove":
        outcome = perform(services, actions.remove_reports, actor, ids, now=now)
    else:
        # The manager too: their time zone schedules their digest and summary.
        members = lookup(services, actor, [*found.user_ids, actor.user_id], now)
        outcome = perform(
            services,
            actions.add_reports,
            actor,
            found.user_ids,
            members,
            now=now,
            retry_on_conflict=True,
        )
    return with_held(text_message("\n".join([outcome.text, *problems])), outcome)


def not_right(
    ack: Any, body: dict[str, Any], action: dict[str, Any], client: Any, respond: Any, context: Any
) -> None:
    """The added person says the link is wrong: undo it and tell the manager."""
    claim = action.get("value", "")
    perform_click(ack, body, client, respond, context, actions.leave_wrong_team, claim)


def on_request_answer(
    ack: Any, body: dict[str, Any], action: dict[str, Any], client: Any, respond: Any, context: Any
) -> None:
    """The person answers a team request: Yes, or No, not my manager."""
    ack()
    services, actor, now = services_of(context), actor_of(context), now_of(context)
    member = lookup(services, actor, [actor.user_id], now)[actor.user_id]
    outcome = perform(
        services,
        actions.answer_request,
        actor,
        action.get("value", ""),
        action.get("action_id") == ACCEPT,
        member,
        now=now,
    )
    show_click(outcome, body, client, respond)
