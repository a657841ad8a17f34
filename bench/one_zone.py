"""Benchmark 6: a whole time zone due at once, delivered at Slack's own rate limits.

Everyone in a workspace of `--members` people (default 10,000) works in one time zone
with the same check-in time: every check-in is due in the same minute, and so is every
manager's (one in seven people) digest and summary. They are written to the outbox in
the worst order (summaries, then digests, then check-ins), and scheduler passes
(`bot.scheduler.run_pass`) run a minute apart until the outbox is empty, against a local
Slack enforcing chat.postMessage's limits as Slack does: 600 a minute for the workspace
(burst 10) and 1 a second per channel (burst 3), answering 429 with Retry-After.

At those limits 10,000 check-ins take at least 16 minutes, 100,000 take 2.8 hours, so
the run is in **virtual time**: the services' clock, the Deliverer's sleeps and the local
Slack's token buckets all read one `VirtualTime`, which moves only when something sleeps
(a Retry-After) or the next pass is due. The CPU work is real, the waiting is not.

Figures: when the last check-in was sent against the least the limits allow for the
check-ins alone (they go first), the spread of check-in delivery times (p50 / p90 / p99 /
max after the minute they were due), how many check-ins went out after the first
summary or digest (none should), 429s, passes, and the peak RSS of this process (the
local Slack lives in it too, so this is an upper bound for the scheduler).

    python -m bench.one_zone [--members 10000]
"""

from __future__ import annotations

import argparse
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from bench.common import (
    banner,
    fresh_database,
    load,
    percentile,
    rss_peak_mib,
    save,
    sqlite_target,
)
from bench.delivery import enqueue_batch
from bot.config import Settings
from bot.models import OutboxMessage
from bot.scheduler import run_pass
from bot.services import build_services
from devtools.local_slack import LocalSlack

TEAM = "T0ONEZONE"
T0 = datetime(2026, 11, 30, 8, 30, tzinfo=UTC)  # a Monday: everyone's check-in minute
WORKSPACE_PER_MINUTE, WORKSPACE_BURST = 600, 10  # "several hundred a minute"
CHANNEL_PER_MINUTE, CHANNEL_BURST = 60, 3
CHECKINS_FIRST = ("checkin",)
MAX_EXTRA_PASSES = 60  # beyond the least number of minutes the limits allow


class VirtualTime:
    """One clock for the services, the Deliverer's sleeps and the local Slack."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return T0 + timedelta(seconds=self.seconds)

    def monotonic(self) -> float:
        with self._lock:
            return self.seconds

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.seconds += max(0.0, seconds)

    def at_least(self, seconds: float) -> None:
        with self._lock:
            self.seconds = max(self.seconds, seconds)


def batch_of(members: int) -> list[tuple[str, str]]:
    """(recipient, kind), in the worst order: summaries, digests, then check-ins."""
    managers = [f"U{n:08d}" for n in range(0, members, 7)]
    batch = [(m, "summary") for m in managers] + [(m, "digest") for m in managers]
    return batch + [(f"U{n:08d}", "checkin") for n in range(members)]


def enqueue(services: Any, batch: list[tuple[str, str]], now: datetime) -> None:
    for start in range(0, len(batch), 5000):
        enqueue_batch(services, batch[start : start + 5000], now, team=TEAM, first=start)


def run(members: int) -> dict[str, Any]:
    target = sqlite_target("one-zone")
    fresh_database(target).dispose()
    clock = VirtualTime()
    batch = batch_of(members)
    checkins = sum(1 for _, kind in batch if kind in CHECKINS_FIRST)
    least = max(0, checkins - WORKSPACE_BURST) / (WORKSPACE_PER_MINUTE / 60)
    slack = LocalSlack(team_id=TEAM, team_name="One zone").start()
    try:
        for recipient in sorted({r for r, _ in batch}):
            slack.add_user(recipient, recipient.lower())
        slack.rate_limit(
            "chat.postMessage",
            CHANNEL_PER_MINUTE,
            burst=CHANNEL_BURST,
            per_channel=True,
            clock=clock.monotonic,
        )
        slack.rate_limit(
            "chat.postMessage", WORKSPACE_PER_MINUTE, burst=WORKSPACE_BURST, clock=clock.monotonic
        )
        settings = Settings(
            slack_bot_token=slack.bot_token, slack_api_url=slack.base_url, database_url=target.url
        )
        services = build_services(settings, migrate=False, clock=clock.now, sleep=clock.sleep)
        enqueue(services, batch, T0)
        least_passes = int(len(batch) / WORKSPACE_PER_MINUTE) + 1
        passes = rate_limited = 0
        started = time.perf_counter()
        for minute in range(least_passes + MAX_EXTRA_PASSES):
            clock.at_least(minute * 60)
            result = run_pass(services, clock.now())
            passes += 1
            rate_limited += result.delivery.rate_limited
            if not result.delivery.sent and not result.delivery.deferred:
                break
        wall = time.perf_counter() - started
        with services.sessions() as session:
            rows = session.execute(
                select(OutboxMessage.kind, OutboxMessage.status, OutboxMessage.sent_at)
            ).all()
        services.engine.dispose()
    finally:
        slack.stop()
    sent = [(kind, (at - T0).total_seconds()) for kind, status, at in rows if at is not None]
    delays = sorted(seconds for kind, seconds in sent if kind in CHECKINS_FIRST)
    first_other = min((s for kind, s in sent if kind not in CHECKINS_FIRST), default=None)
    last = delays[-1] if delays else 0.0
    return {
        "members": members,
        "messages": len(batch),
        "checkins": checkins,
        "sent": len(sent),
        "statuses": dict(Counter(status for _, status, _ in rows)),
        "last_checkin_seconds": last,
        "least_seconds": least,
        "ratio": last / least if least else None,
        "checkin_p50_seconds": percentile(delays, 0.50),
        "checkin_p90_seconds": percentile(delays, 0.90),
        "checkin_p99_seconds": percentile(delays, 0.99),
        "checkins_after_first_other": sum(
            1 for s in delays if first_other is not None and s > first_other
        ),
        "all_sent_seconds": max((s for _, s in sent), default=0.0),
        "rate_limited": rate_limited,
        "passes": passes,
        "wall_seconds": wall,
        "peak_rss_mib": rss_peak_mib(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=10_000)
    args = parser.parse_args(argv)
    banner(f"one time zone, {args.members:,} members due at once (virtual time)")
    figures = run(args.members)
    print(
        f"  last check-in at {figures['last_checkin_seconds']:.0f} s (least"
        f" {figures['least_seconds']:.0f} s, {figures['ratio']:.2f}x); check-ins p50/p90/p99"
        f" {figures['checkin_p50_seconds']:.0f}/{figures['checkin_p90_seconds']:.0f}/"
        f"{figures['checkin_p99_seconds']:.0f} s; after a summary or digest:"
        f" {figures['checkins_after_first_other']}; 429s {figures['rate_limited']};"
        f" passes {figures['passes']}; {figures['wall_seconds']:.0f} s of real time;"
        f" peak RSS {figures['peak_rss_mib']:.0f} MiB; outbox {figures['statuses']}",
        flush=True,
    )
    # One row per size: a 100k run keeps the 10k figures beside it, and the other way round.
    earlier = (load("one_zone") or {}).get("runs", [])
    runs = [run for run in earlier if run["members"] != args.members] + [figures]
    runs.sort(key=lambda run: run["members"])
    save("one_zone", {"database": "SQLite", "runs": runs})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
