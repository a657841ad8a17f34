"""Action plans: *Draft an action plan* and its form, the report's *Agree* / *Suggest a
change*, a step's *Done* (check-in or Home), and the manager's *Resolved* / *Not
resolved* (Home or the check-in nudge).

Forms open before anything slow (their trigger expires in about 3 s); a submitted form is
answered first, the DMs it caused are sent after.
"""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot import home
from bot.plans import actions, views
from bot.plans.rules import MAX_STEPS, Draft, StepInput
from bot.usecase import Outcome, slack_calls_later
from handlers.common import (
    actor_of,
    chosen,
    clicked_message,
    now_of,
    perform,
    perform_click,
    say,
    services_of,
    update_message,
)


def register(app: App) -> None:
    app.action(views.DRAFT)(on_open_form)
    app.action(views.NOT_RESOLVED)(on_open_form)
    app.view(views.DRAFT_FORM)(on_submit_plan)
    app.view(views.REDATE_FORM)(on_submit_plan)
    app.action(views.AGREE)(on_agree)
    app.action(views.CHANGE)(on_change)
    app.view(views.CHANGE_FORM)(on_submit_change)
    app.action(re.compile(f"^{views.STEP_DONE}_"))(on_step_done)
    app.action(views.RESOLVED)(on_resolved)


def _from_home(body: dict[str, Any]) -> bool:
    return (body.get("view") or {}).get("type") == "home"


def on_open_form(
    ack: Any,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: Any,
    client: WebClient,
    context: Any,
) -> None:
    """*Draft an action plan* (the manager who gave the redirect) or *Not resolved* (the
    plan's manager): its form, or why not."""
    ack()
    services, actor, now = services_of(context), actor_of(context), now_of(context)
    use_case = actions.open_draft if action["action_id"] == views.DRAFT else actions.open_redate
    outcome = perform(services, use_case, actor, chosen(action), now=now)
    if outcome.refused:
        _tell(outcome, body, client, respond, context)
        return
    client.views_open(trigger_id=body["trigger_id"], view=outcome.value)


def _draft(view: dict[str, Any]) -> Draft:
    """The plan's form as submitted: each step's words and date, and the check-in date."""
    values = view.get("state", {}).get("values", {})

    def text(block_id: str) -> str:
        return str((values.get(block_id, {}).get(block_id) or {}).get("value") or "")

    def day(block_id: str) -> str:
        return str((values.get(block_id, {}).get(block_id) or {}).get("selected_date") or "")

    steps = tuple(
        StepInput(text(views.step_block(n)), day(views.due_block(n)))
        for n in range(1, MAX_STEPS + 1)
    )
    return Draft(steps, day(views.CHECK_IN))


def on_submit_plan(ack: Any, view: dict[str, Any], context: Any) -> None:
    """A drafted plan (sent to the report) or new dates: saved, or what to fix by each field."""
    services, actor, now = services_of(context), actor_of(context), now_of(context)
    meta = str(view.get("private_metadata") or "")
    use_case = actions.draft if view.get("callback_id") == views.DRAFT_FORM else actions.redate
    with slack_calls_later() as later:
        outcome = perform(
            services, use_case, actor, meta, _draft(view), now=now, retry_on_conflict=True
        )
    if outcome.refused:
        ack(response_action="errors", errors=outcome.value or {views.CHECK_IN: outcome.text})
        return
    ack(response_action="update", view=views.done_view(outcome.text))
    for call in later:
        call()


def on_agree(
    ack: Any,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: Any,
    client: WebClient,
    context: Any,
) -> None:
    """*Agree*, by the report: their DM shows it; refused, a reply only they see."""
    perform_click(ack, body, client, respond, context, actions.agree, chosen(action))


def on_change(
    ack: Any,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: Any,
    client: WebClient,
    context: Any,
) -> None:
    """*Suggest a change*: a form for what they would change, if the plan waits for them."""
    ack()
    services, actor, now = services_of(context), actor_of(context), now_of(context)
    claim = chosen(action)
    checked = perform(services, actions.may_suggest, actor, claim, now=now)
    if checked.refused:
        say(respond, checked.text)
        return
    client.views_open(trigger_id=body["trigger_id"], view=views.change_modal(claim))


def on_submit_change(ack: Any, view: dict[str, Any], client: WebClient, context: Any) -> None:
    """The suggested change: to the manager; the plan's DM loses its buttons and says so."""
    services, actor, now = services_of(context), actor_of(context), now_of(context)
    claim = str(view.get("private_metadata") or "")
    values = view.get("state", {}).get("values", {})
    comment = str((values.get(views.COMMENT, {}).get(views.COMMENT) or {}).get("value") or "")
    with slack_calls_later() as later:
        outcome = perform(services, actions.suggest, actor, claim, comment, now=now)
    if outcome.refused:
        ack(response_action="errors", errors={views.COMMENT: outcome.text})
        return
    ack(response_action="update", view=views.done_view(outcome.text))
    if outcome.message is not None and outcome.value is not None:
        update_message(client, *outcome.value, outcome.message)
    for call in later:
        call()


def on_resolved(
    ack: Any, body: dict[str, Any], action: dict[str, Any], client: Any, respond: Any, context: Any
) -> None:
    """The plan's *Resolved*: on Home, Home again saying what it did (`perform` publishes
    it: Home has no message to edit nor a reply); on the nudge, the nudge in place."""
    if not _from_home(body):
        perform_click(ack, body, client, respond, context, actions.resolve, chosen(action))
        return
    ack()
    services, actor, now = services_of(context), actor_of(context), now_of(context)
    perform(services, actions.resolve, actor, chosen(action), now=now, at_home=True)


def on_step_done(
    ack: Any,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: Any,
    client: WebClient,
    context: Any,
) -> None:
    """A step's *Done*: on Home, Home again saying what it did; in a check-in, the
    check-in redrawn (the step struck through); elsewhere a reply."""
    ack()
    services, actor, now = services_of(context), actor_of(context), now_of(context)
    at_home = _from_home(body)
    ts = "" if at_home else clicked_message(body)[1] or ""
    outcome = perform(services, actions.step_done, actor, chosen(action), ts, now=now,
                      at_home=at_home)  # fmt: skip
    if at_home:
        return
    if outcome.message is not None and outcome.value is not None:
        update_message(client, *outcome.value, outcome.message)
    else:
        say(respond, outcome.text)


def _tell(
    outcome: Outcome, body: dict[str, Any], client: WebClient, respond: Any, context: Any
) -> None:
    """A refusal where the click came from: Home says it at the top, a message replies."""
    if _from_home(body):
        services, actor, now = services_of(context), actor_of(context), now_of(context)
        home.publish(services, actor.team_id, actor.user_id, now, outcome.text)
    else:
        say(respond, outcome.text)
