"""What every handler shares: the request's services, clock reading and actor, and replies.

The request middleware (`bot.app`) reads the clock once and puts the instant in Bolt's
context; handlers take `now` from there and pass it down, so one request sees one time.
Who acts comes from Bolt's context too (it reads every payload shape), not from `body`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from bot import blocks, directory, repeats
from bot.held.views import notice_blocks
from bot.services import Services
from bot.usecase import Actor, FormAnswer, Outcome, perform, slack_calls_later

__all__ = ["Actor", "Outcome", "perform"]

# Where the request middleware (`bot.app`) puts what every handler needs.
SERVICES_KEY = "sprout"
NOW_KEY = "sprout_now"
PENDING_KEY = "sprout_pending"  # a command's repeat-check key, recorded with its work


def services_of(context: Any) -> Services:
    """The Services a handler works with (put into every request's context)."""
    return context[SERVICES_KEY]


def now_of(context: Any) -> datetime:
    """The one clock reading of this request."""
    return context[NOW_KEY]


def actor_of(context: Any) -> Actor:
    """Who is acting: Bolt has read their workspace and user id from the payload."""
    return Actor(team_id=context["team_id"], user_id=context["user_id"])


def lookup(
    services: Services,
    actor: Actor,
    user_ids: Iterable[str],
    now: datetime,
    *,
    max_age: timedelta = directory.STALE_AFTER,
) -> dict[str, directory.Member | None]:
    """People in the actor's workspace, from this process's cache, the directory, or Slack
    (users.info) when unknown or older than `max_age`."""
    return directory.lookup_many(
        services.sessions,
        services.client_for(actor.team_id),
        actor.team_id,
        user_ids,
        now,
        max_age=max_age,
        cache=services.directory,
    )


def know_actor(services: Services, actor: Actor, now: datetime) -> None:
    """Make sure whoever acts is in the directory (their time zone matters).

    Not a middleware: it may call users.info, and a handler opening a modal must do that
    first, before its trigger_id expires.
    """
    lookup(services, actor, [actor.user_id], now)


def answer(
    ack: Any,
    respond: Any,
    context: Any,
    work: Callable[[], dict[str, Any]],
    *,
    people: Iterable[str] = (),
) -> None:
    """Answer a command with the message `work` makes, that only the actor sees.

    `people` are everyone `work` looks up in the directory. When the directory has each
    of them, fresh, nothing `work` does waits on Slack: it runs before the ack and the
    reply is the ack's own body (no response URL, nothing left to compete with later
    requests); the DMs and Home refreshes its use cases cause are sent after the ack.
    Otherwise someone must be asked about (users.info): the ack goes first, then the
    reply to the response URL, as Slack allows 3 s for the ack only. The command's repeat
    check is recorded with `work`'s first use case (`bot.repeats`): a repeat is acked
    empty and answered nothing.
    """
    services, actor, now = services_of(context), actor_of(context), now_of(context)
    members = directory.local(services.sessions, services.directory, actor.team_id, people, now)
    once = repeats.with_the_work(services.engine, context.get(PENDING_KEY))
    if members is None:
        ack()
        try:
            with once:
                reply = work()
        except repeats.Repeated:
            return  # the first one was answered
        respond(response_type="ephemeral", replace_original=False, **reply)
        return
    try:
        with slack_calls_later() as later, once:
            reply = work()
    except repeats.Repeated:
        ack()  # empty: the first one answered
        return
    ack({"response_type": "ephemeral", **reply})
    for call in later:
        call()


def settle_repeat(context: Any) -> bool:
    """For a command answered without `answer`: record its key now; False for a repeat."""
    try:
        repeats.settle(services_of(context).engine, context.get(PENDING_KEY))
    except repeats.Repeated:
        return False
    return True


def text_message(text: str) -> dict[str, Any]:
    """A message of one section, with the same text as its notification fallback."""
    return blocks.message(text, [blocks.section(text)])


def with_held(message: dict[str, Any], outcome: Outcome) -> dict[str, Any]:
    """`message`, followed by when each DM the actor caused that waits for its recipient's
    working hours will arrive, with *Send now anyway*."""
    if not outcome.held:
        return message
    return {**message, "blocks": [*message.get("blocks", []), *notice_blocks(outcome.held)]}


def say(respond: Any, text: str) -> None:
    """An ephemeral reply only the actor sees, below what they typed or clicked."""
    respond(response_type="ephemeral", replace_original=False, **text_message(text))


def chosen(action: dict[str, Any]) -> str:
    """What a block action carries: a button's value, or the option picked in a menu."""
    return action.get("value") or (action.get("selected_option") or {}).get("value", "")


def clicked_message(body: dict[str, Any]) -> tuple[str | None, str | None]:
    """The channel and ts of the message a block action came from."""
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    return channel, container.get("message_ts")


def update_message(
    client: Any, channel: str | None, ts: str | None, message: dict[str, Any]
) -> None:
    """chat.update the message, when we know which one it is."""
    if channel and ts:
        client.chat_update(channel=channel, ts=ts, **message)


def edit_clicked(client: Any, body: dict[str, Any], message: dict[str, Any]) -> None:
    """Replace the message a button was pressed on, so it shows what the click did."""
    update_message(client, *clicked_message(body), message)


def perform_as_actor(context: Any, use_case: Callable[..., Outcome], *args: Any) -> Outcome:
    """`use_case`, done by whoever sent this request, at its one clock reading."""
    return perform(services_of(context), use_case, actor_of(context), *args, now=now_of(context))


def perform_click(
    ack: Any,
    body: dict[str, Any],
    client: Any,
    respond: Any,
    context: Any,
    use_case: Callable[..., Outcome],
    *args: Any,
) -> None:
    """A button whose use case decides all: ack, do it as whoever clicked at this request's
    time, then show what it did where it was clicked (`show_click`)."""
    ack()
    show_click(perform_as_actor(context, use_case, *args), body, client, respond)


def show_click(outcome: Outcome, body: dict[str, Any], client: Any, respond: Any) -> None:
    """Done: the clicked message shows it in place (the use case's message, or its text).
    Refused: a reply only the actor sees, never an edit of a message that may be someone
    else's."""
    if outcome.refused:
        say(respond, outcome.text)
        return
    edit_clicked(client, body, outcome.message or text_message(outcome.text))


def ack_form(ack: Any, answer: FormAnswer) -> None:
    """Answer a submitted form: its errors next to their fields, or the view it becomes."""
    if answer.errors or answer.view is None:
        ack(response_action="errors", errors=answer.errors)
        return
    ack(response_action="update", view=answer.view)
