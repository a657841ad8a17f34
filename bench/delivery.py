"""Benchmark 4: delivering 1,000 DMs through a local Slack that enforces rate limits.

chat.postMessage on Slack allows about one message per second per channel (with short
bursts) and a workspace-wide cap of several hundred a minute, answering 429 with
Retry-After past them. The local Slack enforces both; the workspace cap is scaled up
(`SCALE`) so the run takes about a minute instead of two.

1,000 messages are written to the outbox the way a busy pass would plan them (check-ins,
then one person's burst of ten, then managers' digests and summaries) and scheduler
passes (`bot.scheduler.run_pass`, real time, real sleeps on Retry-After) run until all are
sent, bounded in passes and time. Figures: elapsed time against the least the limits
allow, 429s, and every recipient's DM count against what they were owed (duplicates and
losses must both be 0). A second, smaller run has two schedulers delivering the same
outbox at once, as an accidental second clock process would.

    python -m bench.delivery
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from bench.common import Deadline, Target, banner, fresh_database, save, sqlite_target
from bot import blocks, outbox
from bot.config import Settings
from bot.db import transaction
from bot.models import OutboxMessage
from bot.scheduler import run_pass
from bot.services import Services, build_services
from devtools.local_slack import LocalSlack

TEAM = "T0DELIVER"
# Slack: about 1 a second per channel with short bursts; several hundred a minute in all.
CHANNEL_PER_MINUTE, CHANNEL_BURST = 60, 3
SLACK_WORKSPACE_PER_MINUTE = 600
SCALE = 2  # the workspace cap runs twice as fast here, so 1,000 DMs take ~50 s, not ~100 s
WORKSPACE_PER_MINUTE = SLACK_WORKSPACE_PER_MINUTE * SCALE
WORKSPACE_BURST = WORKSPACE_PER_MINUTE // 60  # a second's worth
BURSTY = "UBURST001"  # the one person owed ten messages in a row
MAX_PASSES = 200
MAX_SECONDS = 240
PAUSE_BETWEEN_PASSES = 0.5  # the real scheduler waits a minute; here the next pass is soon


def planned_batch(total: int, burst: int, managers: int) -> list[tuple[str, str]]:
    """(recipient, kind) in outbox order: singles, one person's burst, managers' pairs."""
    singles = total - burst - 2 * managers
    batch = [(f"UP{n:07d}", "checkin") for n in range(singles)]
    batch += [(BURSTY, "nudge_check_in")] * burst
    bosses = [f"UM{n:07d}" for n in range(managers)]
    batch += [(m, "digest") for m in bosses] + [(m, "summary") for m in bosses]
    return batch


def least_seconds(batch: list[tuple[str, str]]) -> float:
    """The shortest time both limits allow, starting with full buckets."""
    workspace = max(0, len(batch) - WORKSPACE_BURST) / (WORKSPACE_PER_MINUTE / 60)
    busiest = max(Counter(r for r, _ in batch).values())
    channel = max(0, busiest - CHANNEL_BURST) / (CHANNEL_PER_MINUTE / 60)
    return max(workspace, channel)


def enqueue_batch(
    services: Services,
    batch: list[tuple[str, str]],
    now: datetime,
    *,
    team: str = TEAM,
    first: int = 0,
) -> None:
    """Write `batch` to the outbox in one transaction, its messages numbered from `first`."""
    with transaction(services.sessions) as session:
        for i, (recipient, kind) in enumerate(batch, start=first):
            text = f"Message {i} for {recipient}"
            outbox.enqueue(
                session,
                outbox.Planned(
                    team_id=team,
                    recipient_id=recipient,
                    kind=kind,
                    subject=str(i),
                    period=now.date().isoformat(),
                    body=blocks.message(text, [blocks.section(text)]),
                    not_before=now,
                ),
                now,
            )


def pending(services: Services) -> int:
    with services.sessions() as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(OutboxMessage.status.in_((outbox.PENDING, outbox.SENDING)))
            )
            or 0
        )


def statuses(services: Services) -> dict[str, int]:
    with services.sessions() as session:
        rows = session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        )
        return {status: int(count) for status, count in rows}


def deliver_all(services: Services, deadline: Deadline) -> dict[str, int]:
    """Scheduler passes at the real time until the outbox is empty (bounded)."""
    passes = sent = rate_limited = 0
    while passes < MAX_PASSES and not deadline.passed() and pending(services):
        result = run_pass(services, datetime.now(UTC))
        passes += 1
        sent += len(result.delivery.sent)
        rate_limited += result.delivery.rate_limited
        if pending(services):
            time.sleep(PAUSE_BETWEEN_PASSES)
    return {"passes": passes, "sent": sent, "rate_limited_seen": rate_limited}


def run(target: Target, batch: list[tuple[str, str]], schedulers: int) -> dict[str, Any]:
    engine = fresh_database(target)
    engine.dispose()
    slack = LocalSlack(team_id=TEAM, team_name="Deliver").start()
    try:
        for recipient in sorted({r for r, _ in batch}):
            slack.add_user(recipient, recipient.lower())
        slack.rate_limit(
            "chat.postMessage", CHANNEL_PER_MINUTE, burst=CHANNEL_BURST, per_channel=True
        )
        slack.rate_limit("chat.postMessage", WORKSPACE_PER_MINUTE, burst=WORKSPACE_BURST)
        settings = Settings(
            slack_bot_token=slack.bot_token, slack_api_url=slack.base_url, database_url=target.url
        )
        clocks = [build_services(settings, migrate=False) for _ in range(schedulers)]
        enqueue_batch(clocks[0], batch, datetime.now(UTC) - timedelta(seconds=1))
        deadline = Deadline(MAX_SECONDS)
        reports: list[dict[str, int]] = [{} for _ in clocks]

        def work(index: int) -> None:
            reports[index] = deliver_all(clocks[index], deadline)

        started = time.perf_counter()
        threads = [threading.Thread(target=work, args=(i,)) for i in range(len(clocks))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        owed = Counter(r for r, _ in batch)
        got = Counter()
        for message in slack.messages():
            got[message.channel] += 1
        duplicates = sum(max(0, got[slack.dm_channel(r)] - n) for r, n in owed.items())
        losses = sum(max(0, n - got[slack.dm_channel(r)]) for r, n in owed.items())
        least = least_seconds(batch)
        posts = slack.calls_to("chat.postMessage")
        burst_429s = sum(1 for c in posts if c.status == 429 and c.args.get("channel") == BURSTY)
        figures = {
            "schedulers": schedulers,
            "messages": len(batch),
            "recipients": len(owed),
            "elapsed_seconds": elapsed,
            "least_seconds": least,
            "ratio": elapsed / least if least else None,
            "rate_limited": slack.rate_limited_count,
            "rate_limited_on_the_burst": burst_429s,
            "posts": len(posts),
            "delivered": sum(got.values()),
            "duplicates": duplicates,
            "losses": losses,
            "outbox": statuses(clocks[0]),
            "passes": [r.get("passes", 0) for r in reports],
            "finished": not deadline.passed(),
        }
        for services in clocks:
            services.engine.dispose()
        return figures
    finally:
        slack.stop()


def main() -> int:
    target = sqlite_target("delivery")
    banner(
        f"delivery: chat.postMessage at {CHANNEL_PER_MINUTE}/min per channel (burst "
        f"{CHANNEL_BURST}) and {WORKSPACE_PER_MINUTE}/min in all (burst {WORKSPACE_BURST})"
    )
    runs = []
    for total, burst, managers, schedulers in ((1000, 10, 95, 1), (300, 10, 20, 2)):
        batch = planned_batch(total, burst, managers)
        figures = run(target, batch, schedulers)
        print(
            f"  {figures['messages']} DMs, {schedulers} scheduler(s): "
            f"{figures['elapsed_seconds']:.1f} s (least {figures['least_seconds']:.1f} s),"
            f" 429s {figures['rate_limited']} ({figures['rate_limited_on_the_burst']} on the"
            f" burst), duplicates {figures['duplicates']},"
            f" losses {figures['losses']}, outbox {figures['outbox']}",
            flush=True,
        )
        runs.append(figures)
    save(
        "delivery",
        {
            "database": "SQLite",
            "limits": {
                "channel_per_minute": CHANNEL_PER_MINUTE,
                "channel_burst": CHANNEL_BURST,
                "workspace_per_minute": WORKSPACE_PER_MINUTE,
                "workspace_burst": WORKSPACE_BURST,
                "slack_workspace_per_minute": SLACK_WORKSPACE_PER_MINUTE,
                "scale": SCALE,
            },
            "runs": runs,
        },
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
