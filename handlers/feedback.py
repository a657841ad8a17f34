"""`/feedback`, the "Give feedback" message shortcut, its modal, and the confirmation buttons.

Ack-time rules: a modal opens before anything slow (its trigger expires in about 3 s),
and a form is answered before any Slack call that can wait (the message link, the DM).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import user_text
from bot.feedback import actions, views
from bot.feedback.form import CALLBACK_ID, TEXT, Meta, Shown, read
from bot.feedback.parse import Give, Help, ListFor, OpenForm, ParseProblem, Usage, parse
from bot.prompts import render
from handlers.common import (
    actor_of,
    answer,
    know_actor,
    lookup,
    now_of,
    perform,
    say,
    services_of,
    text_message,
)

log = logging.getLogger(__name__)

COMMAND = "/feedback"
SHORTCUT = "give_feedback"
PRESSES = {
    views.SEND: actions.press_send,
    views.UNDO: actions.press_undo,
    views.SHARE: actions.press_share,
    views.MARK_PRAISE: actions.press_praise,
    views.MARK_REDIRECT: actions.press_redirect,
}


def register(app: App) -> None:
    app.command(COMMAND)(feedback_command)
    app.shortcut(SHORTCUT)(give_feedback_shortcut)
    app.view(CALLBACK_ID)(submit_form)
    for action_id in PRESSES:
        app.action(action_id)(on_button)


def workspace_url(client: WebClient) -> str | None:
    """The address of the actor's workspace (the one the client's token is for), as Slack
    says it."""
    try:
        return client.auth_test().get("url")
    except SlackApiError as error:
        log.info("no workspace address from auth.test: %s", error)
        return None


def permalink(client: WebClient, channel: str, ts: str) -> str | None:
    """Slack's link to the message `channel`/`ts`, when Slack gives one."""
    if not channel or not ts:
        return None
    try:
        return client.chat_getPermalink(channel=channel, message_ts=ts).get("permalink")
    except SlackApiError as error:
        log.info("no permalink for %s/%s: %s", channel, ts, error)
        return None


# --- /feedback ------------------------------------------------------------------------------


def feedback_command(
    ack: Any, command: dict[str, Any], respond: Any, client: WebClient, context: Any
) -> None:
    parsed = parse(command.get("text", ""))
    if isinstance(parsed, OpenForm):
        ack()
        # The trigger expires in about 3 s: open the form before anything slow.
        client.views_open(trigger_id=command["trigger_id"], view=views.form_modal(Meta()))
        return
    services, actor, now = services_of(context), actor_of(context), now_of(context)

    def reply() -> dict[str, Any]:
        if isinstance(parsed, Help):
            return text_message(render("feedback.usage"))
        if isinstance(parsed, Usage):
            return text_message(render("common.not_understood") + "\n\n" + render("feedback.usage"))
        if isinstance(parsed, ParseProblem):
            return text_message(render(f"feedback.refuse.{parsed.key}", **parsed.values))
        if isinstance(parsed, ListFor):
            know_actor(services, actor, now)  # their time zone dates the list
            outcome = perform(services, actions.list_about, actor, parsed.person, now=now)
        else:
            members = lookup(services, actor, parsed.people, now)
            outcome = perform(services, actions.give, actor, parsed, members, now=now)
        return outcome.message or text_message(outcome.text)

    people = [actor.user_id] if isinstance(parsed, ListFor) else []
    if isinstance(parsed, Give):
        people = parsed.people
    answer(ack, respond, context, reply, people=people)


# --- the "Give feedback" shortcut and the form ----------------------------------------------


def give_feedback_shortcut(
    ack: Any, shortcut: dict[str, Any], client: WebClient, context: Any
) -> None:
    """Open the form about a message, its author picked; then add the message's link."""
    ack()
    message = shortcut.get("message") or {}
    channel = (shortcut.get("channel") or {}).get("id", "")
    ts = shortcut.get("message_ts") or message.get("ts", "")
    author = None if message.get("bot_id") else message.get("user")
    person = author if author != actor_of(context).user_id else None
    quoted = views.QuotedMessage(author, user_text.from_slack(message.get("text", "")))
    meta = Meta(channel=channel, ts=ts)
    opened = client.views_open(
        trigger_id=shortcut["trigger_id"],
        view=views.form_modal(meta, person=person, quoted=quoted),
    )
    link = permalink(client, channel, ts)
    if not link:
        return
    try:
        client.views_update(
            view_id=opened["view"]["id"],
            hash=opened["view"]["hash"],
            view=views.form_modal(meta, person=person, quoted=replace(quoted, link=link)),
        )
    except SlackApiError as error:  # e.g. already submitted: the link is added on save instead
        log.info("could not add the message link to the feedback form: %s", error)


def submit_form(
    ack: Any, body: dict[str, Any], view: dict[str, Any], client: WebClient, context: Any
) -> None:
    """Save the form, or answer with what to fix; then add its message link and send it."""
    services, actor, now = services_of(context), actor_of(context), now_of(context)
    meta = Meta.load(view.get("private_metadata"))
    submission = read(view.get("state", {}).get("values", {}))
    # The answer must come within 3 s: Slack is asked only about someone never seen.
    people = [submission.person] if submission.person else []
    members = lookup(services, actor, people, now, max_age=timedelta.max)
    outcome = perform(
        services,
        actions.submit_form,
        actor,
        submission,
        meta,
        members,
        now=now,
        retry_on_conflict=True,
    )
    if outcome.refused:
        ack(response_action="errors", errors=outcome.value or {TEXT: outcome.text})
        return
    saved: actions.SavedForm = outcome.value
    ack(response_action="update", view=saved.view)
    if not saved.follow_up:
        return
    link = permalink(client, meta.channel, meta.ts) if meta.from_message else None
    workspace = workspace_url(client) if link else None
    finished = perform(
        services, actions.finish_form, actor, saved.record_id, meta, link, workspace, now=now
    )
    if finished.send:
        shown = Shown((saved.record_id,), submission.kind is None)
        update_confirmation(client, context, body["view"]["id"], shown, actions.told(finished))


def update_confirmation(
    client: WebClient, context: Any, view_id: str, shown: Shown, notice: str
) -> None:
    """Update a confirmation modal: its records as they are now, with `notice` on top."""
    services, actor, now = services_of(context), actor_of(context), now_of(context)
    outcome = perform(services, actions.show_saved, actor, shown, notice, now=now)
    view = outcome.value or views.done_view([], shown.ask_kind, outcome.text)
    client.views_update(view_id=view_id, view=view)


# --- the buttons on a confirmation ----------------------------------------------------------


def on_button(
    ack: Any,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: Any,
    client: WebClient,
    context: Any,
) -> None:
    """Send / Undo / Share / Praise / Redirect, on an ephemeral reply or in the modal."""
    ack()
    value = str(action.get("value", ""))
    record_id = int(value) if value.isascii() and value.isdigit() else 0
    outcome = perform(
        services_of(context),
        PRESSES[action["action_id"]],
        actor_of(context),
        record_id,
        now=now_of(context),
    )
    notice = actions.told(outcome)
    view = body.get("view")
    if view and view.get("id"):
        update_confirmation(
            client, context, view["id"], Shown.load(view.get("private_metadata")), notice
        )
    else:
        say(respond, notice)
