"""Fault injection: scripted failures (429, 5xx, ``ok: false``) and token-bucket rate limits.

Why it exists: the app's retry, back-off and outbox paths only run when Slack misbehaves, so
tests and benchmarks need to make it misbehave on purpose and deterministically (a rate limit
can run on an injected clock, so nothing has to sleep).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from devtools.local_slack.validation import ApiError
from devtools.local_slack.workspace import Workspace

# What fail() queues for response-URL posts instead of a Web API method.
RESPONSE_URL = "response_url"
# How a call is carried out but not answered: never (the client times out), with the
# connection closed at once, or only once released.
HANG, DROP, HOLD = "hang", "drop", "hold"


@dataclass
class Fault:
    status: int
    error: str | None
    retry_after: int | None

    def raise_it(self) -> None:
        if self.status == 429:
            retry = str(self.retry_after if self.retry_after is not None else 1)
            raise ApiError("ratelimited", status=429, headers={"Retry-After": retry})
        if self.status >= 500:
            raise ApiError(self.error or "internal_error", status=self.status)
        raise ApiError(self.error or "fatal_error", status=self.status)


@dataclass
class _Bucket:
    tokens: float
    last: float


@dataclass
class Limit:
    per_minute: float
    burst: int
    per_channel: bool
    clock: Callable[[], float]
    buckets: dict[str | None, _Bucket] = field(default_factory=dict)

    def wait(self, key: str | None) -> int | None:
        """None when a token is there, else the seconds until there is one (>= 1)."""
        bucket = self._refilled(key)
        if bucket.tokens >= 1.0 - 1e-9:  # tolerate float drift from many small refills
            return None
        return max(1, math.ceil((1.0 - bucket.tokens) / (self.per_minute / 60.0)))

    def spend(self, key: str | None) -> None:
        bucket = self._refilled(key)
        bucket.tokens = max(0.0, bucket.tokens - 1.0)

    def _refilled(self, key: str | None) -> _Bucket:
        now = self.clock()
        bucket = self.buckets.get(key)
        if bucket is None:
            bucket = self.buckets[key] = _Bucket(tokens=float(self.burst), last=now)
        rate = self.per_minute / 60.0
        bucket.tokens = min(float(self.burst), bucket.tokens + max(0.0, now - bucket.last) * rate)
        bucket.last = now
        return bucket


class Faults(Workspace):
    """fail() and rate_limit(), and the checks that apply them to each request."""

    def __init__(self, **workspace: Any) -> None:
        super().__init__(**workspace)
        self._faults: dict[str, list[Fault]] = {}
        self._limits: dict[tuple[str, bool], Limit] = {}  # (method, per_channel)
        # method -> how its next calls are carried out but not answered (HANG, DROP, HOLD)
        self._unanswered: dict[str, list[str]] = {}
        self._hung = threading.Event()  # set when the server stops: hung answers are dropped
        self._released = threading.Event()  # held answers go out (release(), or a stop)

    def fail(
        self,
        method: str,
        *,
        times: int = 1,
        status: int = 200,
        error: str | None = None,
        retry_after: int | None = None,
    ) -> None:
        """Makes the next ``times`` calls of ``method`` fail (before auth and rate limits).

        429 answers ``ratelimited`` with Retry-After; 5xx answers a non-JSON error page;
        200 answers ``{"ok": false, "error": error}``. ``method="response_url"`` fails
        response-URL posts instead.
        """
        if status == 200 and not error:
            raise ValueError("a status-200 fault needs an error name")
        with self._lock:
            queue = self._faults.setdefault(method, [])
            queue.extend(Fault(status, error, retry_after) for _ in range(times))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()
            self._unanswered.clear()

    def hang(self, method: str, *, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` take effect (a post is posted) but are never
        answered: the client times out, as when Slack is slower than the client's timeout.
        The connection is held until the client gives up (or this Slack stops)."""
        self._leave_unanswered(method, HANG, times)

    def drop(self, method: str, *, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` take effect, then the connection is closed
        without an answer (a proxy or Slack's edge dropping it): the client sees it reset."""
        self._leave_unanswered(method, DROP, times)

    def hold(self, method: str, *, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` take effect but are answered only after
        ``release()`` (or when this Slack stops): Slack slower than an ack's 3 seconds, told
        without a clock."""
        self._leave_unanswered(method, HOLD, times)

    def release(self) -> None:
        """Answer every held call, and any held from now on at once."""
        self._released.set()

    def _leave_unanswered(self, method: str, how: str, times: int) -> None:
        with self._lock:
            self._unanswered.setdefault(method, []).extend([how] * times)

    def _unanswered_how(self, method: str) -> str | None:
        """How this call of ``method`` goes unanswered (HANG, DROP, HOLD), using it up."""
        queue = self._unanswered.get(method)
        return queue.pop(0) if queue else None

    def rate_limit(
        self,
        method: str,
        per_minute: int,
        *,
        burst: int = 1,
        per_channel: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Token-bucket limit on a method; over it, calls get 429 + integer Retry-After.

        A method may have a workspace-wide limit and a per-channel one at the same time, as
        chat.postMessage has on Slack; a call passes only when both have a token for it.
        Setting the same kind of limit again replaces it.
        """
        if per_minute <= 0 or burst < 1:
            raise ValueError("per_minute must be > 0 and burst >= 1")
        with self._lock:
            self._limits[(method, per_channel)] = Limit(per_minute, burst, per_channel, clock)

    def clear_rate_limits(self) -> None:
        with self._lock:
            self._limits.clear()

    def _raise_next_fault(self, method: str) -> None:
        """Raises the next fault queued for ``method`` (using it up), if there is one."""
        faults = self._faults.get(method)
        if faults:
            faults.pop(0).raise_it()

    def _spend_rate_limits(self, method: str, args: dict[str, Any]) -> None:
        """Takes a token from each limit on ``method``, or raises 429 when one has none."""
        limits = [
            (limit, self._channel_key(args.get("channel")) if limit.per_channel else None)
            for (name, _), limit in self._limits.items()
            if name == method
        ]
        waits = [wait for limit, key in limits if (wait := limit.wait(key)) is not None]
        if waits:
            raise ApiError("ratelimited", status=429, headers={"Retry-After": str(max(waits))})
        for limit, key in limits:
            limit.spend(key)
