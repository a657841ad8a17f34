"""Sending outbox rows to Slack: claimed first, so each is sent once; retried, so none is lost.

The one window where a message could go out twice: Slack accepted it, and the process
died before `_finish` committed SENT. After `CLAIM_TTL` another pass takes the stale
claim and sends it again. Everything else (a replayed pass, two schedulers, a crash
before the send) is covered by the claim's conditional update.
"""

from __future__ import annotations

import logging
import random
import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from http.client import HTTPException

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot import outbox
from bot.clock import Clock, require_aware, utcnow
from bot.db import transaction
from bot.models import Member, OutboxMessage, Workspace

log = logging.getLogger(__name__)

CLAIM_TTL = timedelta(minutes=5)
MAX_ATTEMPTS = 6
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(minutes=15)
MAX_INLINE_WAIT = 5  # seconds we will sleep for a Retry-After before deferring instead
SEND_METHOD = "chat.postMessage"
# Called in the same transaction that marks a row SENT, keyed by outbox kind: a domain
# record can note "it reached them" exactly when it did, whichever pass sent it.
SentHook = Callable[[Session, OutboxMessage, datetime], None]

PERMANENT_ERRORS = frozenset(
    {"user_not_found", "account_inactive", "user_disabled", "cannot_dm_bot", "channel_not_found"}
)


@dataclass
class DeliveryReport:
    sent: list[OutboxMessage] = field(default_factory=list)
    deferred: list[OutboxMessage] = field(default_factory=list)
    failed: list[OutboxMessage] = field(default_factory=list)
    rate_limited: int = 0


def backoff(attempts: int, rng: Callable[[], float] = random.random) -> timedelta:
    """Capped exponential backoff with jitter (half to full of the step)."""
    step = min(BACKOFF_CAP, BACKOFF_BASE * (2 ** min(max(0, attempts - 1), 20)))
    return step * (0.5 + rng() / 2)


def waiting_filter(now: datetime) -> ColumnElement[bool]:
    """Rows queued and due: what a person's action may send at once."""
    return and_(OutboxMessage.status == outbox.PENDING, OutboxMessage.not_before <= now)


def due_filter(now: datetime) -> ColumnElement[bool]:
    """What a scheduler pass sends: rows due, and claims abandoned by a crashed sender."""
    return or_(
        waiting_filter(now),
        and_(OutboxMessage.status == outbox.SENDING, OutboxMessage.claimed_at < now - CLAIM_TTL),
    )


class Deliverer:
    """Sends outbox rows, stamping each claim and send with its own clock.

    Its own readings, not a time a caller took earlier: a pass slowed past `CLAIM_TTL`
    still stamps its live claims fresh, so a second scheduler never takes them as stale.
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        client_for: Callable[[str], WebClient],
        clock: Clock = utcnow,
        sleep: Callable[[float], None] = time.sleep,
        on_sent: Mapping[str, SentHook] | None = None,
    ) -> None:
        self.sessions = sessions
        self.client_for = client_for
        self.clock = clock
        self.sleep = sleep
        # Slack's Retry-After, per API method: no call to that method before the instant.
        self.paused_until: dict[str, datetime] = {}
        self.on_sent = dict(on_sent or {})

    def due_ids(self, now: datetime, limit: int = 1000) -> list[int]:
        with self.sessions() as session:
            return list(
                session.scalars(
                    select(OutboxMessage.id)
                    .outerjoin(Workspace, Workspace.team_id == OutboxMessage.team_id)
                    .where(due_filter(now), Workspace.uninstalled_at.is_(None))
                    .order_by(OutboxMessage.not_before, OutboxMessage.id)
                    .limit(limit)
                )
            )

    def deliver_due(self, now: datetime, limit: int = 1000) -> DeliveryReport:
        """A scheduler pass's sending: everything due at the pass's `now`."""
        return self.deliver(self.due_ids(now, limit), now)

    def send_now(self, ids: Iterable[int]) -> DeliveryReport:
        """Send what a person's action just queued, by id, at the Deliverer's own time.

        Only rows still pending and due by this clock reading: a message held for the
        recipient's morning stays held, and one another sender took is left to it.
        """
        return self.deliver(ids, self._read_clock(), claimable=waiting_filter)

    def deliver(
        self,
        ids: Iterable[int],
        now: datetime,
        *,
        claimable: Callable[[datetime], ColumnElement[bool]] = due_filter,
    ) -> DeliveryReport:
        """Send the given rows (those still `claimable` at `now`); stops early when Slack
        says slow down."""
        report = DeliveryReport()
        pending = list(ids)
        if self.paused_until.get(SEND_METHOD, now) > now:
            report.deferred.extend(self._load(pending))
            return report
        while pending:
            row_id = pending.pop(0)
            row = self._claim(row_id, now, claimable)
            if row is None:
                continue  # someone else has it, or it is not due
            wait = self._send(row, now, report)
            if wait is None:
                continue
            if wait <= MAX_INLINE_WAIT:
                self.sleep(wait)
                now += timedelta(seconds=wait)  # the pass's clock moves with the wait
                pending.insert(0, row_id)
                continue
            report.deferred.extend(self._load(pending))
            break
        return report

    def _load(self, ids: list[int]) -> list[OutboxMessage]:
        if not ids:
            return []
        with self.sessions() as session:
            return list(session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids))))

    def _read_clock(self) -> datetime:
        return require_aware(self.clock())

    def _claim(
        self,
        row_id: int,
        now: datetime,
        claimable: Callable[[datetime], ColumnElement[bool]] = due_filter,
    ) -> OutboxMessage | None:
        token = uuid.uuid4().hex
        with transaction(self.sessions) as session:
            result = session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row_id, claimable(now))
                .values(
                    status=outbox.SENDING,
                    claim_token=token,
                    claimed_at=self._read_clock(),
                    attempts=OutboxMessage.attempts + 1,
                )
                .execution_options(synchronize_session=False)
            )
            if result.rowcount != 1:
                return None
            return session.get(OutboxMessage, row_id, populate_existing=True)

    def _send(self, row: OutboxMessage, now: datetime, report: DeliveryReport) -> float | None:
        """Post one claimed row; returns seconds to wait when rate limited, else None."""
        payload = row.payload
        try:
            client = self.client_for(row.team_id)
        except LookupError as error:  # no installation for that workspace any more
            self._finish(row, status=outbox.CANCELLED, last_error=f"not installed: {error}")
            report.failed.append(row)
            return None
        try:
            response = client.chat_postMessage(
                channel=row.recipient_id,
                text=payload.get("text", ""),
                blocks=payload.get("blocks"),
                unfurl_links=False,
            )
        except SlackApiError as error:
            return self._on_slack_error(row, error, now, report)
        except (OSError, HTTPException) as error:  # timeouts, resets, refused connections
            self._retry_later(row, f"network: {error}", now, report)
            return None
        self._finish(
            row,
            status=outbox.SENT,
            sent_at=self._read_clock(),
            channel=response.get("channel"),
            ts=response.get("ts"),
            last_error=None,
        )
        report.sent.append(row)
        return None

    def _on_slack_error(
        self, row: OutboxMessage, error: SlackApiError, now: datetime, report: DeliveryReport
    ) -> float | None:
        status = error.response.status_code
        code = str(error.response.get("error", ""))
        if status == 429:
            report.rate_limited += 1
            retry_after = int(error.response.headers.get("Retry-After", "1") or 1)
            self.paused_until[SEND_METHOD] = now + timedelta(seconds=retry_after)
            # A rate limit is not the message's fault: give the attempt back.
            self._finish(
                row,
                status=outbox.PENDING,
                not_before=now + timedelta(seconds=retry_after),
                attempts=max(0, row.attempts - 1),
                rate_limited=row.rate_limited + 1,
                last_error="ratelimited",
            )
            return float(retry_after)
        if status >= 500:
            self._retry_later(row, f"http {status}", now, report)
        elif code in PERMANENT_ERRORS:
            self._finish(row, status=outbox.DEAD, last_error=code)
            self._mark_unreachable(row.team_id, row.recipient_id)
            log.warning("recipient %s unreachable (%s); stopped sending", row.recipient_id, code)
            report.failed.append(row)
        else:
            self._finish(row, status=outbox.FAILED, last_error=code or f"http {status}")
            log.error("Slack refused outbox row %s: %s", row.id, code)
            report.failed.append(row)
        return None

    def _retry_later(
        self, row: OutboxMessage, reason: str, now: datetime, report: DeliveryReport
    ) -> None:
        if row.attempts >= MAX_ATTEMPTS:
            self._finish(row, status=outbox.FAILED, last_error=f"gave up: {reason}")
            log.error(
                "gave up on outbox row %s after %s attempts: %s", row.id, row.attempts, reason
            )
            report.failed.append(row)
            return
        self._finish(
            row, status=outbox.PENDING, not_before=now + backoff(row.attempts), last_error=reason
        )
        report.deferred.append(row)

    def _finish(self, row: OutboxMessage, **values: object) -> None:
        """Record the outcome, only if our claim still holds."""
        with transaction(self.sessions) as session:
            result = session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row.id, OutboxMessage.claim_token == row.claim_token)
                .values(claim_token=None, **values)
                .execution_options(synchronize_session=False)
            )
            if result.rowcount != 1:
                log.warning("outbox row %s was re-claimed while we were sending it", row.id)
            elif values.get("status") == outbox.SENT and row.kind in self.on_sent:
                sent_at = values.get("sent_at")
                assert isinstance(sent_at, datetime)
                self.on_sent[row.kind](session, row, sent_at)
        for key, value in values.items():
            setattr(row, key, value)

    def _mark_unreachable(self, team_id: str, user_id: str) -> None:
        with transaction(self.sessions) as session:
            session.execute(
                update(Member)
                .where(Member.team_id == team_id, Member.user_id == user_id)
                .values(unreachable=True)
                .execution_options(synchronize_session=False)
            )
