"""The shape every use case shares: an actor acts at `now`; the core decides the outcome.

A use case is a plain function `(session, actor, ..., now) -> Outcome`: it checks that the
actor may do it, writes what it decides, queues the DMs it causes in the outbox and says
what to show. `perform` runs one in a transaction, then does the sending every person-caused
message needs (by id, at once) and refreshes the Home tabs it changed, so handlers only
parse, call, render and respond.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import home, outbox, repeats
from bot.db import transaction
from bot.delivery import DeliveryReport
from bot.models import OutboxMessage
from bot.preferences.person import schedule_of, schedules_of
from bot.refusal import Refusal
from bot.services import Services

T = TypeVar("T")

# Set while a handler answers in its ack: what `perform` would call Slack for afterwards.
_LATER: ContextVar[list[Callable[[], None]] | None] = ContextVar("sprout_later", default=None)


@dataclass(frozen=True)
class Actor:
    """The person a request comes from, in their workspace."""

    team_id: str
    user_id: str


@dataclass(frozen=True)
class Held:
    """A DM the actor caused that waits for its recipient's working hours."""

    outbox_id: int
    recipient_id: str
    at: datetime  # when it will go
    tz: str  # the recipient's, to say when that is for them
    now: datetime  # when the actor was told


@dataclass
class Outcome:
    """What a use case decided.

    `text` (or a whole `message`) is shown to the actor; `send` lists outbox rows to send
    now; `homes` whose Home tab changed; `refused` says the actor was turned down (nothing
    was written); `value` carries what a handler needs beyond text (a view, an id).
    """

    text: str = ""
    message: dict[str, Any] | None = None
    send: list[int] = field(default_factory=list)
    homes: list[str | None] = field(default_factory=list)
    refused: bool = False
    value: Any = None
    delivery: DeliveryReport | None = None
    held: list[Held] = field(default_factory=list)  # filled by `perform` from the queue

    def queue(self, row_id: int | None) -> None:
        """Send this outbox row once the use case's transaction commits (None: it existed)."""
        if row_id is not None:
            self.send.append(row_id)

    def is_held(self, row_id: int) -> Held | None:
        return next((held for held in self.held if held.outbox_id == row_id), None)


@dataclass(frozen=True)
class FormAnswer:
    """What Slack is told about a submitted form: per-field errors, or the view it becomes."""

    errors: dict[str, str]
    view: dict[str, Any] | None = None


def queue_in_hours(
    session: Session, planned: outbox.Planned, sender: str, now: datetime
) -> int | None:
    """Queue a DM the actor (`sender`) caused, held for the recipient's working hours; its
    row id for `Outcome.queue` (None when it was queued already).

    Nothing from Sprout lands outside a person's working hours or on their days off, even
    when someone else's action caused it: `perform` says when a held one will arrive.
    """
    recipient = schedule_of(session, planned.team_id, planned.recipient_id)
    return outbox.enqueue(session, outbox.in_working_hours(planned, recipient, sender), now)


def perform(
    services: Services,
    use_case: Callable[..., Outcome],
    actor: Actor,
    *args: Any,
    now: datetime,
    retry_on_conflict: bool = False,
    at_home: bool = False,
    **kwargs: Any,
) -> Outcome:
    """Run `use_case` in one transaction, then send what it queued and refresh Homes.

    A `Refusal` rolls the transaction back and becomes the outcome's text.
    `retry_on_conflict`: when a concurrent request wrote the same unique row first, judge
    once more against what it wrote. `at_home`: the actor clicked on their Home tab, which
    has no reply of its own; it is published again with the outcome's text on top.
    """
    try:
        outcome = _in_transaction(services, use_case, actor, args, kwargs, now)
    except IntegrityError:
        if not retry_on_conflict:
            raise
        outcome = _in_transaction(services, use_case, actor, args, kwargs, now)
    if outcome.send:  # known from the queue itself, so an answer in the ack can say it too
        outcome.held = _held(services, outcome.send, now)
    later = _LATER.get()
    if later is None:
        _follow_up(services, actor, outcome, now, at_home)
    else:
        later.append(lambda: _follow_up(services, actor, outcome, now, at_home))
    return outcome


@contextmanager
def slack_calls_later() -> Iterator[list[Callable[[], None]]]:
    """Within it, `perform` keeps the Slack calls that follow a use case (sending what it
    queued, refreshing Homes) in the list it yields instead of making them, so a handler
    can answer in its ack first and make them after. Their outcome's `delivery` stays
    None until then: only for answers that do not show it."""
    later: list[Callable[[], None]] = []
    token = _LATER.set(later)
    try:
        yield later
    finally:
        _LATER.reset(token)


def _follow_up(
    services: Services, actor: Actor, outcome: Outcome, now: datetime, at_home: bool
) -> None:
    """What a performed use case asks of Slack: its DMs, then the Home tabs it changed."""
    if outcome.send:
        outcome.delivery = services.deliverer.send_now(outcome.send)
    if at_home:
        home.publish(services, actor.team_id, actor.user_id, now, outcome.text)
        others = [h for h in outcome.homes if h != actor.user_id]
        home.refresh(services, actor.team_id, others, now)
    elif outcome.homes:
        home.refresh(services, actor.team_id, outcome.homes, now)


def _held(services: Services, ids: list[int], now: datetime) -> list[Held]:
    """Which of the DMs a use case queued wait for their recipient's working hours (held
    when queued: `send_now` leaves them to the scheduler)."""
    with services.sessions() as session:
        rows = session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.id.in_(ids),
                OutboxMessage.status == outbox.PENDING,
                OutboxMessage.not_before > now,
                # Never tried: not a row Slack asked us to retry later.
                OutboxMessage.attempts == 0,
                OutboxMessage.rate_limited == 0,
            )
        ).all()
        schedules = schedules_of(session, {(row.team_id, row.recipient_id) for row in rows})
        held = []
        for row in sorted(rows, key=lambda row: ids.index(row.id)):
            recipient, _ = schedules[(row.team_id, row.recipient_id)]
            held.append(Held(row.id, row.recipient_id, row.not_before, recipient.tz, now))
        return held


def apply_event(
    services: Services, change: Callable[..., T], team_id: str, *args: Any, now: datetime
) -> T:
    """Run what an event from Slack changes in one workspace (no person acts), atomically."""
    with transaction(services.sessions) as session:
        return change(session, team_id, *args, now)


def _in_transaction(
    services: Services,
    use_case: Callable[..., Outcome],
    actor: Actor,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    now: datetime,
) -> Outcome:
    try:
        with (
            transaction(services.sessions) as session,
            repeats.recorded_in(session, use_case) as pending,  # a command's key, with its work
        ):
            outcome = use_case(session, actor, *args, now=now, **kwargs)
    except Refusal as refusal:
        return Outcome(text=refusal.render(), refused=True)
    if pending is not None:
        pending.recorded = True
    return outcome
