"""Sending outbox rows to Slack: each at most once, none silently lost.

Once: a row is claimed (a conditional update) before it is sent, and its outcome is
recorded only if the claim still holds, so a replayed pass or a second scheduler never
sends it again. Each post carries the row's id in its message metadata (`sprout_outbox`).
When an attempt's outcome is unknown (Slack did not answer in time, or a sender died
mid-send and its claim went stale after `CLAIM_TTL`), Slack may have posted it: the
recipient's DM history is read (`conversations.history`, metadata included) before the
row is sent again, and a message found there is recorded as sent with its ts.

Not lost: server errors, timeouts and 429s are retried (capped backoff, Retry-After)
until the row's own `expires_at`; a row still unsent then is marked expired, logged and
counted in /metrics. Only answers about the message or its recipient fail at once.

Rate limits: chat.postMessage has a per-channel limit (about one a second) and a
workspace-wide one, and Slack's 429 does not say which was hit. A 429 pauses that
recipient for its Retry-After; a 429 for a second recipient of the same workspace with no
success between, or for someone nobody has posted to lately (the outbox says, whichever
scheduler posted), pauses the workspace. Other recipients and other workspaces go on
meanwhile.
"""

from __future__ import annotations

import logging
import random
import threading
import time
import uuid
from collections import Counter, OrderedDict, deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.client import HTTPException
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import ColumnElement, and_, case, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.attributes import set_committed_value

from bot import outbox
from bot.clock import Clock, require_aware, utcnow
from bot.db import transaction
from bot.models import Member, OutboxMessage, Workspace

log = logging.getLogger(__name__)

CLAIM_TTL = timedelta(minutes=5)
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(minutes=15)
MAX_INLINE_WAIT = 5  # seconds we will sleep for a Retry-After before deferring instead
# A pass also takes rows due this soon, and sends each when it is due: a row given back on a
# 429 near the end of the last pass (or by another scheduler) is due a second into this
# one, and would otherwise wait for the next pass, a minute later.
DUE_SOON = timedelta(seconds=MAX_INLINE_WAIT)
# How long a call to `deliver` may take, by the pass's time, when its caller names no end
# (a scheduler pass names the next pass's start); what is left then is deferred.
PASS_SECONDS = 50
MAX_DUE_BATCHES = 20  # batches of due rows one `deliver_due` takes, while each is full
SEND_METHOD = "chat.postMessage"
OUTBOX_EVENT = "sprout_outbox"  # metadata event_type of every outbox message
DM_CHANNELS_KEPT = 10_000  # group DM channels remembered; older ones are opened again
# Reading a DM's history for a message of unknown outcome: pages of this size (the
# smallest maximum Slack allows, for apps outside the Marketplace), at most this many.
HISTORY_PAGE = 15
HISTORY_PAGES = 4
CLOCK_SKEW = timedelta(minutes=1)  # ours against Slack's, when bounding that read
# A channel's allowance (about one post a second, short bursts) is whole again this long
# after our last post there: a 429 for it then is the workspace's.
CHANNEL_MEMORY = timedelta(seconds=10)
# Posts a channel takes at once (Slack's short burst); past them, about one a second.
CHANNEL_BURST = 3
# Called in the same transaction that marks a row SENT, keyed by outbox kind: a domain
# record can note "it reached them" exactly when it did, whichever pass sent it.
SentHook = Callable[[Session, OutboxMessage, datetime], None]

# The recipient cannot be reached: stop sending to them.
PERMANENT_ERRORS = frozenset(
    {"user_not_found", "account_inactive", "user_disabled", "cannot_dm_bot", "channel_not_found"}
)
# Slack's own trouble, answered with HTTP 200: retried like a 5xx. For the first two Slack
# says part of the operation may have happened, so the outcome is unknown.
UNSURE_ERRORS = frozenset({"internal_error", "fatal_error"})
TRANSIENT_ERRORS = UNSURE_ERRORS | {"service_unavailable", "request_timeout", "ratelimited"}
# HTTP statuses after which the message may have been posted (a gateway gave up waiting).
UNSURE_STATUSES = frozenset({504})

NEVER = datetime.min.replace(tzinfo=UTC)

Target = tuple[str, str]  # (team, recipient): what Slack's per-channel limit counts


@dataclass
class DeliveryReport:
    sent: list[OutboxMessage] = field(default_factory=list)
    deferred: list[OutboxMessage] = field(default_factory=list)
    failed: list[OutboxMessage] = field(default_factory=list)
    expired: list[OutboxMessage] = field(default_factory=list)
    rate_limited: int = 0
    ended: datetime | None = None  # the pass's time when it stopped sending

    def add(self, other: DeliveryReport) -> None:
        """Another batch's outcome; a row deferred again is listed once, as it is now."""
        again = {row.id for row in other.deferred}
        self.sent += other.sent
        self.deferred[:] = [row for row in self.deferred if row.id not in again]
        self.deferred += other.deferred
        self.failed += other.failed
        self.expired += other.expired
        self.rate_limited += other.rate_limited
        self.ended = other.ended or self.ended


class _Inconclusive(Exception):
    """The DM's history could not say whether the message is there."""


def backoff(attempts: int, rng: Callable[[], float] = random.random) -> timedelta:
    """Capped exponential backoff with jitter (half to full of the step)."""
    step = min(BACKOFF_CAP, BACKOFF_BASE * (2 ** min(max(0, attempts - 1), 20)))
    return step * (0.5 + rng() / 2)


def waiting_filter(now: datetime, soon: timedelta = timedelta(0)) -> ColumnElement[bool]:
    """Rows queued, due (or due within `soon`) and still worth sending: what a person's
    action may send at once."""
    return and_(
        OutboxMessage.status == outbox.PENDING,
        OutboxMessage.not_before <= now + soon,
        OutboxMessage.expires_at > now,
    )


def due_filter(now: datetime, soon: timedelta = timedelta(0)) -> ColumnElement[bool]:
    """What a scheduler pass takes: rows due (or due within `soon`), claims abandoned by a
    crashed sender, and expired rows that may have been posted (their history settles it)."""
    return or_(
        waiting_filter(now, soon),
        and_(OutboxMessage.status == outbox.SENDING, OutboxMessage.claimed_at < now - CLAIM_TTL),
        and_(
            OutboxMessage.status == outbox.PENDING,
            OutboxMessage.expires_at <= now,
            OutboxMessage.unsure_since.is_not(None),
        ),
    )


def expiring_filter(now: datetime) -> ColumnElement[bool]:
    """Rows queued past their expiry and surely not posted: marked expired, never sent."""
    return and_(
        OutboxMessage.status == outbox.PENDING,
        OutboxMessage.expires_at <= now,
        OutboxMessage.unsure_since.is_(None),
    )


# When many rows are due at once (a whole time zone at 09:30), which go first: check-ins
# and their reminders (each is for one working day, and people expect it at their hour),
# then everything else, and managers' digests and summaries last, so nobody's check-in
# waits behind them. Within a rank, the oldest first. (The kinds' names, as the planners
# write them: `bot.checkins.views`, `bot.nudges.views`, `bot.summary`.)
FIRST_KINDS = ("checkin", "checkin_reminder")
LAST_KINDS = ("digest", "summary")


def rank_of(kind: str) -> int:
    return 0 if kind in FIRST_KINDS else 2 if kind in LAST_KINDS else 1


def _rank_column() -> ColumnElement[int]:
    return case(
        (OutboxMessage.kind.in_(FIRST_KINDS), 0),
        (OutboxMessage.kind.in_(LAST_KINDS), 2),
        else_=1,
    )


def send_order(targets: Mapping[int, Target], ranks: Mapping[int, int]) -> list[int]:
    """The order a pass tries rows in (`targets` in the order given, each row's rank).

    Check-ins first, digests and summaries last (`rank_of`); within a rank, whoever is
    owed the most first, each person's rows in the order given. But a person owed more
    than `CHANNEL_BURST` rows gets only about one a second past the burst, so their rows
    outside the last rank lead the pass: ranked after everyone else's check-ins, their
    run would start late and the pass wait for it, while at the front it overlaps
    everyone else's, costing them one post a second. Digests and summaries never lead.
    """
    owed = Counter(targets.values())
    last = rank_of(LAST_KINDS[0])

    def key(row_id: int) -> tuple[bool, int, int]:
        rank, many = ranks[row_id], owed[targets[row_id]]
        return (not (many > CHANNEL_BURST and rank < last), rank, -many)

    return sorted(targets, key=key)


def outbox_metadata(row_id: int) -> dict[str, Any]:
    """What every outbox message carries, so its row can find it in the DM later."""
    return {"event_type": OUTBOX_EVENT, "event_payload": {"outbox_id": row_id}}


class Deliverer:
    """Sends outbox rows, stamping each claim and send with its own clock.

    Its own readings, not a time a caller took earlier: a pass slowed past `CLAIM_TTL`
    still stamps its live claims fresh, so a second scheduler never takes them as stale.
    Pauses (Retry-After) are kept in the time of the pass (`now`, moved on by the waits).
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
        self.on_sent = dict(on_sent or {})
        self._lock = threading.Lock()
        # Slack's Retry-After: no post to that recipient, or in that workspace, before then.
        self.channel_paused: dict[Target, datetime] = {}
        self.workspace_paused: dict[str, datetime] = {}
        self._refused: dict[str, set[str]] = {}  # per workspace: 429'd since its last success
        self._last_post: dict[Target, datetime] = {}  # recent posts: whose channel may be full
        # Group DMs' channels (conversations.open), the latest `DM_CHANNELS_KEPT` of them.
        self._dm_channels: OrderedDict[Target, str] = OrderedDict()

    # --- choosing rows ---------------------------------------------------------------------

    def due_ids(
        self, now: datetime, limit: int = 1000, soon: timedelta = timedelta(0)
    ) -> list[int]:
        """Rows a pass at `now` takes (`due_filter`, with those due within `soon`), in
        rank order."""
        with self.sessions() as session:
            return list(
                session.scalars(
                    select(OutboxMessage.id)
                    .outerjoin(Workspace, Workspace.team_id == OutboxMessage.team_id)
                    .where(due_filter(now, soon), Workspace.uninstalled_at.is_(None))
                    .order_by(_rank_column(), OutboxMessage.not_before, OutboxMessage.id)
                    .limit(limit)
                )
            )

    def deliver_due(
        self, now: datetime, limit: int = 1000, *, until: datetime | None = None
    ) -> DeliveryReport:
        """A scheduler pass's sending: expire what is too late, then send what is due (or
        due within `DUE_SOON`, each when it is due), in batches of `limit`, until `until`
        (by the pass's time; default `PASS_SECONDS` on).

        The rate limits' budget stays busy to the end: waits on Retry-After go on until
        `until`, and a full batch sent in time is followed by the next. Rows left are
        unclaimed or given back, so the next pass (or another scheduler) takes them. The
        report's sent and deferred rows keep no message (`payload`): their blocks are
        most of a row's memory, and a pass may send thousands.
        """
        until = until or now + timedelta(seconds=PASS_SECONDS)
        report = DeliveryReport(expired=self.expire_due(now, limit))
        for _ in range(MAX_DUE_BATCHES):
            ids = self.due_ids(now, limit, DUE_SOON)
            batch = self.deliver(ids, now, until=until, soon=DUE_SOON)
            for row in batch.sent + batch.deferred:
                set_committed_value(row, "payload", {})
            report.add(batch)
            now = batch.ended or now
            if len(ids) < limit or not batch.sent or now >= until:
                break
        return report

    def send_now(self, ids: Iterable[int]) -> DeliveryReport:
        """Send what a person's action just queued, by id, at the Deliverer's own time.

        Only rows still pending and due by this clock reading: a message held for the
        recipient's morning stays held, and one another sender took is left to it.
        """
        return self.deliver(ids, self._read_clock(), claimable=waiting_filter)

    def expire_due(self, now: datetime, limit: int = 1000) -> list[OutboxMessage]:
        """Mark rows still queued past their expiry as expired (each logged)."""
        expired = []
        with transaction(self.sessions) as session:
            rows = session.scalars(
                select(OutboxMessage).where(expiring_filter(now)).limit(limit)
            ).all()
            for row in rows:
                result = session.execute(
                    update(OutboxMessage)
                    .where(OutboxMessage.id == row.id, expiring_filter(now))
                    .values(status=outbox.EXPIRED, last_error=_expiry_note(row))
                    .execution_options(synchronize_session=False)
                )
                if result.rowcount == 1:
                    row.status, row.last_error = outbox.EXPIRED, _expiry_note(row)
                    expired.append(row)
        for row in expired:
            _log_expired(row)
        return expired

    # --- sending -------------------------------------------------------------------------

    def deliver(
        self,
        ids: Iterable[int],
        now: datetime,
        *,
        claimable: Callable[[datetime], ColumnElement[bool]] = due_filter,
        until: datetime | None = None,
        soon: timedelta = timedelta(0),
    ) -> DeliveryReport:
        """Send the given rows (those still `claimable` at `now`, and those due within
        `soon`, once due), until `until` by the pass's time (default `PASS_SECONDS` after
        `now`).

        In `send_order`: check-ins first, digests and summaries last, and a person owed
        more than a channel's burst starts their run at the front. A row whose recipient
        or workspace is paused waits aside while the others go; when only paused rows are
        left, the pass sleeps until the first pause ends (up to `MAX_INLINE_WAIT`, and not
        past `until`), else leaves them for a later pass. A row due soon waits aside
        likewise until it is due.
        """
        report = DeliveryReport()
        until = until or now + timedelta(seconds=PASS_SECONDS)
        targets, ranks, due_at = self._targets(list(ids))
        not_yet = {i: at for i, at in due_at.items() if now < at <= now + soon}
        self._forget_pauses_before(now)
        queue = deque(send_order(targets, ranks))
        held: list[int] = []
        # The pass's time: its `now`, moved on by the time the pass takes (by the clock, or
        # by the waits when a test's sleep does not move the clock).
        started = self._read_clock()
        start = now
        while queue or held:
            now = max(now, start + (self._read_clock() - started))
            if now >= until:  # the next pass is due: it takes what is left
                report.deferred.extend(self._load([*held, *queue]))
                break
            if not queue:
                ends = {row_id: self._ready_at(row_id, targets, not_yet) for row_id in held}
                first = min(ends.values())
                wait = max(0.0, (first - now).total_seconds())
                if wait > MAX_INLINE_WAIT or first > until:
                    report.deferred.extend(self._load(held))
                    break
                if wait > 0:
                    self.sleep(wait)
                    now = max(now + timedelta(seconds=wait), first)
                queue.extend(row_id for row_id in held if ends[row_id] <= now)
                held = [row_id for row_id in held if ends[row_id] > now]
                continue
            row_id = queue.popleft()
            if self._ready_at(row_id, targets, not_yet) > now:
                held.append(row_id)
                continue
            row = self._claim(row_id, now, claimable)
            if row is None:
                continue  # someone else has it, or it is not due
            if self._attempt(row, now, report):
                held.append(row_id)  # rate limited: again once its pause is over
        report.ended = now
        return report

    def pause_workspace(self, team_id: str, until: datetime) -> None:
        """No post in that workspace before `until` (as after a workspace-wide 429)."""
        with self._lock:
            self.workspace_paused[team_id] = max(self.workspace_paused.get(team_id, NEVER), until)

    def _targets(
        self, ids: list[int]
    ) -> tuple[dict[int, Target], dict[int, int], dict[int, datetime]]:
        """Each row's (team, recipient), in the order given, its rank (`rank_of`) and when
        it is due (`not_before`)."""
        if not ids:
            return {}, {}, {}
        found: dict[int, Target] = {}
        ranks: dict[int, int] = {}
        due_at: dict[int, datetime] = {}
        with self.sessions() as session:
            for row_id, team, recipient, kind, not_before in session.execute(
                select(
                    OutboxMessage.id,
                    OutboxMessage.team_id,
                    OutboxMessage.recipient_id,
                    OutboxMessage.kind,
                    OutboxMessage.not_before,
                ).where(OutboxMessage.id.in_(ids))
            ):
                found[row_id], ranks[row_id] = (team, recipient), rank_of(kind)
                due_at[row_id] = not_before
        targets = {row_id: found[row_id] for row_id in dict.fromkeys(ids) if row_id in found}
        return targets, ranks, due_at

    def _ready_at(
        self, row_id: int, targets: Mapping[int, Target], not_yet: Mapping[int, datetime]
    ) -> datetime:
        """When a row may be tried: its recipient's and workspace's pauses over, and due."""
        return max(self._paused_until(targets[row_id]), not_yet.get(row_id, NEVER))

    def _paused_until(self, target: Target) -> datetime:
        with self._lock:
            return max(
                self.channel_paused.get(target, NEVER),
                self.workspace_paused.get(target[0], NEVER),
            )

    def _forget_pauses_before(self, now: datetime) -> None:
        with self._lock:
            for pauses in (self.channel_paused, self.workspace_paused):
                for key in [key for key, until in pauses.items() if until <= now]:
                    del pauses[key]
            for key in [k for k, at in self._last_post.items() if at <= now - CHANNEL_MEMORY]:
                del self._last_post[key]

    def _rate_limited(
        self, target: Target, until: datetime, now: datetime, elsewhere: datetime | None = None
    ) -> None:
        """A 429 for `target`: whose limit was it? Slack does not say.

        Someone nobody has posted to lately (we, or another sender: `elsewhere`, their
        last post's time) has their channel's allowance whole: the workspace's limit,
        then. Otherwise it pauses that person, and the workspace too once a second person
        is refused with no post getting through between. A workspace pause answers the
        refusals before it: the count starts again, so the first 429 after it, for someone
        posted to lately, pauses only them.
        """
        team, recipient = target
        with self._lock:
            recent = max(self._last_post.get(target, NEVER), elsewhere or NEVER)
            self.channel_paused[target] = max(self.channel_paused.get(target, NEVER), until)
            refused = self._refused.setdefault(team, set())
            refused.add(recipient)
            workspace_wide = len(refused) > 1 or recent <= now - CHANNEL_MEMORY
            if workspace_wide:
                refused.clear()
        if workspace_wide:
            self.pause_workspace(team, until)

    def _posted_elsewhere(self, target: Target, now: datetime) -> datetime | None:
        """When a row to `target` was last sent, if we have posted to them in no recent
        memory: a second scheduler may have (the outbox tells), so a 429 for them may be
        their channel's, not the workspace's."""
        with self._lock:
            known = self._last_post.get(target)
        if known is not None and known > now - CHANNEL_MEMORY:
            return None
        team, recipient = target
        with self.sessions() as session:
            return session.scalar(
                select(func.max(OutboxMessage.sent_at)).where(
                    OutboxMessage.team_id == team,
                    OutboxMessage.recipient_id == recipient,
                    OutboxMessage.status == outbox.SENT,
                )
            )

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
                    # Taking over a stale claim: its sender may have posted it before dying.
                    unsure_since=case(
                        (
                            OutboxMessage.status == outbox.SENDING,
                            func.coalesce(OutboxMessage.unsure_since, OutboxMessage.claimed_at),
                        ),
                        else_=OutboxMessage.unsure_since,
                    ),
                )
                .execution_options(synchronize_session=False)
            )
            if result.rowcount != 1:
                return None
            return session.get(OutboxMessage, row_id, populate_existing=True)

    def _attempt(self, row: OutboxMessage, now: datetime, report: DeliveryReport) -> bool:
        """Settle, expire or post one claimed row; True when Slack said slow down."""
        try:
            client = self.client_for(row.team_id)
        except LookupError as error:  # no installation for that workspace any more
            self._finish(row, status=outbox.CANCELLED, last_error=f"not installed: {error}")
            report.failed.append(row)
            return False
        if row.unsure_since is not None and self._settle(client, row, now, report):
            return False
        if row.expires_at <= now:
            self._expire(row, report)
            return False
        return self._post(client, row, now, report)

    def _settle(
        self, client: WebClient, row: OutboxMessage, now: datetime, report: DeliveryReport
    ) -> bool:
        """Whether an earlier attempt of unknown outcome posted the row: recorded as sent if
        so. True when the row is dealt with (found, or the history could not be read)."""
        try:
            found = self._find_posted(client, row)
        except SlackApiError as error:
            if _transient(error) or row.expires_at <= now:
                self._unknown_still(row, f"history: {_describe(error)}", now, report)
                return True
            log.warning(
                "cannot read the DM history for outbox row %s (%s); sending it again",
                row.id,
                _describe(error),
            )
            found = None
        except (OSError, HTTPException, _Inconclusive) as error:
            self._unknown_still(row, f"history: {error}", now, report)
            return True
        if found is None:
            row.unsure_since = None  # known not posted: this attempt may go ahead
            return False
        channel, ts = found
        log.info("outbox row %s was posted already (ts %s); recorded as sent", row.id, ts)
        self._sent(row, channel, ts, now, report)
        return True

    def _find_posted(self, client: WebClient, row: OutboxMessage) -> tuple[str, str] | None:
        """(channel, ts) of the row's message in the recipient's DM, or None if it isn't.

        Newest first, back to a little before the attempt of unknown outcome (Slack's ts
        against our clock, with `CLOCK_SKEW` to spare), at most `HISTORY_PAGES` pages.
        """
        assert row.unsure_since is not None
        if is_group(row.recipient_id):
            return None  # Sprout reads no group DM's history: sent again (see README)
        channel = row.channel or self._dm_channel(client, row.team_id, row.recipient_id)
        since = (row.unsure_since - CLOCK_SKEW).timestamp()
        cursor = None
        for _ in range(HISTORY_PAGES):
            page = client.conversations_history(
                channel=channel, limit=HISTORY_PAGE, include_all_metadata=True, cursor=cursor
            )
            messages = page.get("messages") or []
            for message in messages:
                metadata = message.get("metadata") or {}
                payload = metadata.get("event_payload") or {}
                if (
                    metadata.get("event_type") == OUTBOX_EVENT
                    and payload.get("outbox_id") == row.id
                ):
                    return channel, str(message["ts"])
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not page.get("has_more") or not cursor:
                return None
            if messages and float(messages[-1]["ts"]) < since:
                return None  # back before the attempt: it is not there
        raise _Inconclusive(f"not in the last {HISTORY_PAGE * HISTORY_PAGES} messages")

    def _dm_channel(self, client: WebClient, team_id: str, user_id: str) -> str:
        key = (team_id, user_id)
        with self._lock:
            known = self._dm_channels.get(key)
        if known is None:
            known = str(client.conversations_open(users=user_id)["channel"]["id"])
            with self._lock:
                self._dm_channels[key] = known
                while len(self._dm_channels) > DM_CHANNELS_KEPT:
                    self._dm_channels.popitem(last=False)
        return known

    def _conversation(self, client: WebClient, row: OutboxMessage) -> str:
        """Where a row is posted: a user id is their DM; several ("U1,U2") are the group DM
        of those people and Sprout (conversations.open, scope mpim:write)."""
        if is_group(row.recipient_id):
            return self._dm_channel(client, row.team_id, row.recipient_id)
        return row.recipient_id

    def _post(
        self, client: WebClient, row: OutboxMessage, now: datetime, report: DeliveryReport
    ) -> bool:
        payload = row.payload
        try:
            response = client.chat_postMessage(
                channel=self._conversation(client, row),
                text=payload.get("text", ""),
                blocks=payload.get("blocks"),
                unfurl_links=False,
                metadata=outbox_metadata(row.id),
            )
        except SlackApiError as error:
            return self._on_slack_error(row, error, now, report)
        except (OSError, HTTPException) as error:  # timeouts, resets, refused connections
            self._retry_later(row, f"network: {error!r}", now, report, unsure=True)
            return False
        self._sent(row, response.get("channel"), response.get("ts"), now, report)
        return False

    def _sent(
        self,
        row: OutboxMessage,
        channel: str | None,
        ts: str | None,
        now: datetime,
        report: DeliveryReport,
    ) -> None:
        self._finish(
            row,
            status=outbox.SENT,
            sent_at=self._read_clock(),
            channel=channel,
            ts=ts,
            last_error=None,
            unsure_since=None,
        )
        with self._lock:
            self._refused.pop(row.team_id, None)
            self._last_post[(row.team_id, row.recipient_id)] = now
        report.sent.append(row)

    def _on_slack_error(
        self, row: OutboxMessage, error: SlackApiError, now: datetime, report: DeliveryReport
    ) -> bool:
        status = error.response.status_code
        code = str(error.response.get("error", ""))
        if status == 429:
            report.rate_limited += 1
            retry_after = int(error.response.headers.get("Retry-After", "1") or 1)
            until = now + timedelta(seconds=retry_after)
            target = (row.team_id, row.recipient_id)
            self._rate_limited(target, until, now, self._posted_elsewhere(target, now))
            # A rate limit is not the message's fault: give the attempt back.
            self._finish(
                row,
                status=outbox.PENDING,
                not_before=until,
                attempts=max(0, row.attempts - 1),
                rate_limited=row.rate_limited + 1,
                last_error="ratelimited",
            )
            return True
        if _transient(error):
            unsure = status in UNSURE_STATUSES or code in UNSURE_ERRORS
            self._retry_later(row, _describe(error), now, report, unsure=unsure)
        elif code in PERMANENT_ERRORS:
            self._finish(row, status=outbox.DEAD, last_error=code)
            self._mark_unreachable(row.team_id, row.recipient_id)
            log.warning("recipient %s unreachable (%s); stopped sending", row.recipient_id, code)
            report.failed.append(row)
        else:
            self._finish(row, status=outbox.FAILED, last_error=code or f"http {status}")
            log.error("Slack refused outbox row %s: %s", row.id, code)
            report.failed.append(row)
        return False

    def _retry_later(
        self,
        row: OutboxMessage,
        reason: str,
        now: datetime,
        report: DeliveryReport,
        *,
        unsure: bool = False,
    ) -> None:
        """Again after a backoff; past the row's expiry a pass marks it expired instead."""
        self._finish(
            row,
            status=outbox.PENDING,
            not_before=now + backoff(row.attempts),
            last_error=reason,
            unsure_since=(row.unsure_since or row.claimed_at) if unsure else row.unsure_since,
        )
        log.info("outbox row %s: %s; retrying until %s", row.id, reason, row.expires_at)
        report.deferred.append(row)

    def _unknown_still(
        self, row: OutboxMessage, reason: str, now: datetime, report: DeliveryReport
    ) -> None:
        """The history could not be read: look again later, or, once expired, stop."""
        if row.expires_at > now:
            self._retry_later(row, reason, now, report, unsure=True)
            return
        self._expire(row, report, note=f"{_expiry_note(row)}; may have been posted ({reason})")

    def _expire(self, row: OutboxMessage, report: DeliveryReport, note: str = "") -> None:
        self._finish(row, status=outbox.EXPIRED, last_error=note or _expiry_note(row))
        _log_expired(row)
        report.expired.append(row)

    def _finish(self, row: OutboxMessage, **values: object) -> None:
        """Record the outcome, only if our claim still holds."""
        values.setdefault("unsure_since", row.unsure_since)
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


def is_group(recipient_id: str) -> bool:
    """Whether an outbox recipient is a group DM ("U1,U2"), not one person."""
    return "," in recipient_id


def _transient(error: SlackApiError) -> bool:
    """Slack's side of things (5xx, or an error it answers for its own trouble)."""
    status = error.response.status_code
    return status >= 500 or str(error.response.get("error", "")) in TRANSIENT_ERRORS


def _describe(error: SlackApiError) -> str:
    status = error.response.status_code
    if status >= 500 or not isinstance(error.response.data, dict):
        return f"http {status}"  # an error page, not Slack's JSON
    return str(error.response.get("error") or f"http {status}")


def _expiry_note(row: OutboxMessage) -> str:
    last = f" (last: {row.last_error})" if row.last_error else ""
    return f"expired unsent at {row.expires_at.isoformat()}{last}"


def _log_expired(row: OutboxMessage) -> None:
    log.warning(
        "outbox row %s (%s for %s in %s) expired: %s",
        row.id,
        row.kind,
        row.recipient_id,
        row.team_id,
        row.last_error,
        extra={"event": "outbox_expired", "outbox_id": row.id, "kind": row.kind},
    )
