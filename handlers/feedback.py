"""`/feedback`, the "Give feedback" message shortcut, its modal, and the confirmation buttons.

Ack-time rules: a modal opens before anything slow (its trigger expires in about 3 s),
and a form is answered before any Slack call that can wait (the message link, the DM).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import directory, user_text
from bot.claims import claimed_id
from bot.feedback import actions, views
from bot.feedback.checking import checking_view, form_again
from bot.feedback.form import CALLBACK_ID, PERSON, TEXT, Meta, Shown, Submission, errors, read
from bot.feedback.parse import AskFor, Give, Help, ListFor, OpenForm, ParseProblem, Usage, parse
from bot.feedback.rules import Response
from bot.prompts import render
from bot.services import sending_once
from bot.usecase import Outcome, slack_calls_later
from handlers.common import (
    actor_of,
    answer,
    edit_clicked,
    know_actor,
    lookup,
    now_of,
    perform,
    say,
    services_of,
    settle_repeat,
    text_message,
    update_message,
)

log = logging.getLogger(__name__)

COMMAND = "/feedback"
SHORTCUT = "give_feedback"
# How long Slack gets to say who someone never seen is before a submitted form is answered
# (Slack waits 3 s for the answer).
SLACK_BEFORE_ACK = 1.5
PRESSES = {
    views.SEND: actions.press_send,
    views.UNDO: actions.press_undo,
    views.SHARE: actions.press_share,
    views.SEND_AND_SHARE: actions.press_send_and_share,
    views.TOLD: actions.press_told,
    views.MARK_PRAISE: actions.press_praise,
    views.MARK_REDIRECT: actions.press_redirect,
}

UNSENT = {
    views.UNSENT_SEND: actions.press_unsent_send,
    views.UNSENT_TOLD: actions.press_unsent_told,
    views.UNSENT_KEEP: actions.press_unsent_keep,
}


def register(app: App) -> None:
    app.command(COMMAND)(feedback_command)
    app.shortcut(SHORTCUT)(give_feedback_shortcut)
    app.view(CALLBACK_ID)(submit_form)
    for action_id in PRESSES:
        app.action(action_id)(on_button)
    app.action(views.TOLD_ON)(on_button)
    for action_id in UNSENT:
        app.action(action_id)(on_button)
    for action_id in views.ANSWERS:
        app.action(action_id)(on_answer)
    app.view(views.DIFFER_CALLBACK)(submit_differ)
    app.action(views.ASK_GIVE)(on_ask_give)


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
        if not settle_repeat(context):
            return
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
        know_actor(services, actor, now)  # their time zone dates the list and the reminders
        if isinstance(parsed, ListFor):
            outcome = perform(services, actions.list_about, actor, parsed.person, now=now)
        elif isinstance(parsed, AskFor):
            members = lookup(services, actor, parsed.people, now)
            outcome = perform(services, actions.ask, actor, parsed, members, now=now)
        else:
            members = lookup(services, actor, parsed.people, now)
            outcome = perform(services, actions.give, actor, parsed, members, now=now)
        return outcome.message or text_message(outcome.text)

    asked = isinstance(parsed, Give | AskFor)
    people = [actor.user_id, *parsed.people] if asked else [actor.user_id]
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
    """Save the form, or answer with what to fix; then add its message link and send it.

    The answer must come within 3 s: the person is judged from the directory, and Slack is
    asked only about someone it has never seen, for `SLACK_BEFORE_ACK` at most. Past that
    the form is answered with a "checking" view, updated once Slack has said.
    """
    services, actor, now = services_of(context), actor_of(context), now_of(context)
    meta = Meta.load(view.get("private_metadata"))
    submission = read(view.get("state", {}).get("values", {}))
    people = [submission.person] if submission.person else []
    unseen = actions.strangers(services.sessions, actor.team_id, people)
    bot_client = services.client_for(actor.team_id)
    show = _Answer(ack, client, body["view"]["id"], meta, submission)
    try:
        quick = sending_once(bot_client, timeout=SLACK_BEFORE_ACK) if unseen else bot_client
        members = directory.lookup_many(
            services.sessions,
            quick,
            actor.team_id,
            people,
            now,
            max_age=timedelta.max,
            cache=services.directory,
        )
    except (SlackApiError, OSError) as error:  # Slack slow or failing: answer first
        log.info("Slack did not say in time who %s is: %r", unseen, error)
        problems = errors(submission, actor.user_id)
        if problems:
            show.problems(problems)
            return
        ack(response_action="update", view=checking_view(meta, unseen[0]))
        show = replace(show, checked_later=True)
        try:
            members = directory.lookup_many(
                services.sessions,
                bot_client,
                actor.team_id,
                people,
                now,
                max_age=timedelta.max,
                cache=services.directory,
            )
        except (SlackApiError, OSError) as again:
            log.info("could not ask Slack who %s is: %r", unseen, again)
            show.problems({PERSON: render("feedback.modal.checking.unreachable")})
            return
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
        show.problems(outcome.value or {TEXT: outcome.text})
        return
    saved: actions.SavedForm = outcome.value
    show.view(saved.view)
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


@dataclass(frozen=True)
class _Answer:
    """How a submitted form is answered: by the ack, or (`checked_later`, the ack having
    shown "checking") by updating the view."""

    ack: Any
    client: WebClient
    view_id: str
    meta: Meta
    submission: Submission
    checked_later: bool = False

    def problems(self, problems: dict[str, str]) -> None:
        if not self.checked_later:
            self.ack(response_action="errors", errors=problems)
        else:
            self._update(form_again(self.meta, self.submission, problems))

    def view(self, view: dict[str, Any]) -> None:
        if not self.checked_later:
            self.ack(response_action="update", view=view)
        else:
            self._update(view)

    def _update(self, view: dict[str, Any]) -> None:
        try:
            self.client.views_update(view_id=self.view_id, view=view)
        except SlackApiError as error:  # e.g. closed while Slack was asked
            log.info("could not update the feedback form: %s", error.response.get("error"))


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
    """Send / Undo / Share / I told them / Praise / Redirect, and the "I told them on"
    date picker, on an ephemeral reply or in the modal; and Send / I told them / Keep to
    myself on the reminder of what is still unsaid, which then says what was done."""
    ack()
    services, actor, now = services_of(context), actor_of(context), now_of(context)
    action_id, value = action["action_id"], str(action.get("value", ""))
    if action_id in UNSENT:
        outcome = perform(services, UNSENT[action_id], actor, value, now=now)
        if not outcome.refused:
            edit_clicked(client, body, text_message(outcome.text))
            return
    elif action_id == views.TOLD_ON:  # its record is named by its block
        raw = str(action.get("block_id", "")).removeprefix(views.TOLD_BLOCK)
        picked = str(action.get("selected_date") or "")
        outcome = perform(
            services, actions.pick_told_date, actor, record_number(raw), picked, now=now
        )
    else:
        outcome = perform(services, PRESSES[action_id], actor, record_number(value), now=now)
    show_after_press(client, context, body, actions.told(outcome), respond)


def record_number(raw: str) -> int:
    """The record id a button claims; 0 (no record) for anything that is not a number."""
    return claimed_id(raw) or 0


def show_after_press(
    client: WebClient, context: Any, body: dict[str, Any], notice: str, respond: Any
) -> None:
    """Tell the giver what a press did: in the modal it came from, or as a reply."""
    view = body.get("view")
    if view and view.get("id"):
        update_confirmation(
            client, context, view["id"], Shown.load(view.get("private_metadata")), notice
        )
    else:
        say(respond, notice)


# --- the person's answer on the DM that delivered feedback ----------------------------------


def on_answer(
    ack: Any,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: Any,
    client: WebClient,
    context: Any,
) -> None:
    """Thanks / Let's talk about it on the DM: answered, the DM shows it; "I see it
    differently" first opens a form for an optional comment (only for the person it was
    sent to, who has not answered yet)."""
    ack()
    services, actor, now = services_of(context), actor_of(context), now_of(context)
    record_id = record_number(str(action.get("value", "")))
    response = views.ANSWERS[action["action_id"]]
    if response is Response.DIFFER:
        checked = perform(services, actions.may_answer, actor, record_id, now=now)
        if checked.refused:
            say(respond, checked.text)
            return
        client.views_open(trigger_id=body["trigger_id"], view=views.differ_modal(record_id))
        return
    outcome = perform(services, actions.answer, actor, record_id, response, now=now)
    if outcome.refused:
        say(respond, outcome.text)
        return
    _show_answered(client, outcome)


def submit_differ(ack: Any, view: dict[str, Any], client: WebClient, context: Any) -> None:
    """ "I see it differently" with its comment: stored and sent to the giver, or refused
    in the form (not theirs to answer, or answered already)."""
    services, actor, now = services_of(context), actor_of(context), now_of(context)
    record_id = record_number(str(view.get("private_metadata") or ""))
    values = view.get("state", {}).get("values", {})
    comment = str((values.get(views.COMMENT, {}).get(views.COMMENT) or {}).get("value") or "")
    with slack_calls_later() as later:
        outcome = perform(
            services, actions.answer, actor, record_id, Response.DIFFER, comment, now=now
        )
    if outcome.refused:
        ack(response_action="errors", errors={views.COMMENT: outcome.text})
        return
    ack()
    for call in later:
        call()
    _show_answered(client, outcome)


def _show_answered(client: WebClient, outcome: Outcome) -> None:
    """The person's DM as it reads once answered, and the giver's message that sent it
    when Sprout posted one (where the outbox says they are)."""
    answered: actions.Answered = outcome.value
    updates = [(answered.person_dm, outcome.message)]
    if answered.giver_update is not None:
        updates.append((answered.giver_message, answered.giver_update))
    for (channel, ts), message in updates:
        try:
            update_message(client, channel, ts, message or {})
        except SlackApiError as error:  # e.g. they deleted the DM: the answer is stored anyway
            log.info(
                "could not update an answered feedback message: %s", error.response.get("error")
            )


# --- /feedback ask ----------------------------------------------------------------------------


def on_ask_give(
    ack: Any,
    body: dict[str, Any],
    action: dict[str, Any],
    respond: Any,
    client: WebClient,
    context: Any,
) -> None:
    """ "Give feedback" on a request for it: the form, prefilled, for the person asked."""
    ack()
    services, actor, now = services_of(context), actor_of(context), now_of(context)
    ask_id = record_number(str(action.get("value", "")))
    outcome = perform(services, actions.open_ask, actor, ask_id, now=now)
    if outcome.refused:
        say(respond, outcome.text)
        return
    client.views_open(trigger_id=body["trigger_id"], view=outcome.value)
