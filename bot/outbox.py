"""The outbox: every message we owe someone is written here before it is sent.

A row's unique key (team, recipient, kind, subject, period) means planning the same
message twice (a replayed pass, a restart, a second scheduler) writes it once. Each row
also says until when it is worth sending (`expires_at`): the sender retries until then,
and a row still queued past it is marked `expired`, never sent late.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, select, update
from sqlalchemy.orm import Session

from bot.db import insert_ignoring_duplicates
from bot.models import OutboxMessage
from bot.schedule import Schedule

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"  # gave up after retries, or Slack refused the message itself
DEAD = "dead"  # the recipient cannot be reached (deactivated, ...)
CANCELLED = "cancelled"
EXPIRED = "expired"  # no longer worth sending, and not sent: retried until then, or queued too long

# For messages with no expiry of their own (most person-caused DMs): a few days.
DEFAULT_EXPIRY = timedelta(days=3)
SENDER = "sender"  # in `Planned.extra`: the person whose action caused the DM


@dataclass(frozen=True)
class Planned:
    """A message a planner wants sent; `reason` is for operators (tick --dry-run).

    `expires_at`: when it stops being useful (a check-in at the end of that working day,
    a digest at the next digest); None means `DEFAULT_EXPIRY` after `not_before`.
    """

    team_id: str
    recipient_id: str
    kind: str
    subject: str
    period: str
    body: dict[str, Any]
    not_before: datetime
    reason: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    expires_at: datetime | None = None

    @property
    def expiry(self) -> datetime:
        return self.expires_at or self.not_before + DEFAULT_EXPIRY


def caused_by(planned: Planned, sender: str) -> Planned:
    """`planned`, noting whose action caused it (who may send it early)."""
    return replace(planned, extra={**planned.extra, SENDER: sender})


def in_working_hours(planned: Planned, recipient: Schedule, sender: str | None = None) -> Planned:
    """`planned`, held until the recipient's next working start when it would land outside
    their working hours or on a day off; `sender` (who caused it) is kept with it."""
    if sender is not None:
        planned = caused_by(planned, sender)
    start = recipient.next_working_start(planned.not_before)
    if start is None or start <= planned.not_before:
        return planned
    expires_at = planned.expires_at
    if expires_at is not None:
        expires_at = max(expires_at, start + (expires_at - planned.not_before))
    return replace(planned, not_before=start, expires_at=expires_at)


def _payload(planned: Planned) -> dict[str, Any]:
    return {**planned.body, **({"extra": planned.extra} if planned.extra else {})}


def enqueue(session: Session, planned: Planned, now: datetime) -> int | None:
    """Insert the message unless its key exists; returns the new row id, or None."""
    values = {
        "team_id": planned.team_id,
        "recipient_id": planned.recipient_id,
        "kind": planned.kind,
        "subject": planned.subject,
        "period": planned.period,
        "payload": _payload(planned),
        "status": PENDING,
        "not_before": planned.not_before,
        "expires_at": planned.expiry,
        "attempts": 0,
        "rate_limited": 0,
        "created_at": now,
    }
    return insert_ignoring_duplicates(
        session,
        OutboxMessage,
        values,
        ["team_id", "recipient_id", "kind", "subject", "period"],
        OutboxMessage.id,
    )


def _keyed(
    team_id: str, recipient_id: str, kind: str, subject: str, period: str
) -> ColumnElement[bool]:
    return and_(
        OutboxMessage.team_id == team_id,
        OutboxMessage.recipient_id == recipient_id,
        OutboxMessage.kind == kind,
        OutboxMessage.subject == subject,
        OutboxMessage.period == period,
    )


def exists(
    session: Session, team_id: str, recipient_id: str, kind: str, subject: str, period: str
) -> bool:
    key = _keyed(team_id, recipient_id, kind, subject, period)
    return session.scalar(select(OutboxMessage.id).where(key)) is not None


def where_sent(
    session: Session,
    team_id: str,
    recipient_id: str,
    kind: str,
    subject: str,
    period: str | None = None,
) -> tuple[str, str] | None:
    """The channel and ts of the latest DM sent under this key (any period when None),
    as the outbox noted it: where to edit a message, never where a request says it is."""
    where = [
        OutboxMessage.team_id == team_id,
        OutboxMessage.recipient_id == recipient_id,
        OutboxMessage.kind == kind,
        OutboxMessage.subject == subject,
        OutboxMessage.ts.is_not(None),
    ]
    if period is not None:
        where.append(OutboxMessage.period == period)
    row = session.execute(
        select(OutboxMessage.channel, OutboxMessage.ts)
        .where(*where)
        .order_by(OutboxMessage.id.desc())
        .limit(1)
    ).first()
    if row is None or not row.channel or not row.ts:
        return None
    return row.channel, row.ts


def replan(session: Session, planned: Planned) -> int | None:
    """Give the message queued under `planned`'s key `planned`'s body, while it still waits
    to be sent (a detail learnt since it was queued); its id, or None when none waits."""
    key = _keyed(
        planned.team_id, planned.recipient_id, planned.kind, planned.subject, planned.period
    )
    return session.scalar(
        update(OutboxMessage)
        .where(key, OutboxMessage.status == PENDING)
        .values(payload=_payload(planned))
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    )


def note(
    team_id: str,
    recipient_id: str,
    kind: str,
    subject: str,
    text: str,
    now: datetime,
    reason: str = "",
) -> Planned:
    """A one-off DM of plain text, due now; keyed by the instant so repeats of the event count."""
    from bot import blocks

    return Planned(
        team_id=team_id,
        recipient_id=recipient_id,
        kind=kind,
        subject=subject,
        period=now.isoformat(),
        body=blocks.message(text, [blocks.section(text)]),
        not_before=now,
        reason=reason,
    )
