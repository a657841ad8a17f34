"""`GET /metrics` in Prometheus text format.

HTTP numbers (requests, ack latency) are this process's own. Outbox numbers are read
from the database at scrape time, so they are right however many web and scheduler
processes share it.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import Engine, func, select

from bot import outbox
from bot.models import OutboxMessage

# Slack wants an ack within 3 s: the buckets are dense below that.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0)


class Metrics:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._requests: dict[tuple[str, str], int] = defaultdict(int)
        self._buckets = [0] * len(BUCKETS)
        self._count = 0
        self._sum = 0.0

    def observe(self, path: str, status: str, seconds: float) -> None:
        with self._lock:
            self._requests[(path, status)] += 1
            if path == "/slack/events":
                self._count += 1
                self._sum += seconds
                for index, bound in enumerate(BUCKETS):
                    if seconds <= bound:
                        self._buckets[index] += 1

    def render(self, engine: Engine) -> str:
        lines: list[str] = []
        with self._lock:
            lines += _family(
                "sprout_http_requests_total", "counter", "HTTP requests by path and status."
            )
            for (path, status), count in sorted(self._requests.items()):
                lines.append(
                    f'sprout_http_requests_total{{path="{path}",status="{status}"}} {count}'
                )
            lines += _family(
                "sprout_ack_seconds",
                "histogram",
                "Time to answer Slack (the ack) on /slack/events.",
            )
            for bound, count in zip(BUCKETS, self._buckets, strict=True):
                lines.append(f'sprout_ack_seconds_bucket{{le="{bound}"}} {count}')
            lines.append(f'sprout_ack_seconds_bucket{{le="+Inf"}} {self._count}')
            lines.append(f"sprout_ack_seconds_sum {self._sum:.6f}")
            lines.append(f"sprout_ack_seconds_count {self._count}")
        lines += _outbox_lines(engine)
        return "\n".join(lines) + "\n"


def _family(name: str, kind: str, help_text: str) -> list[str]:
    return [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}"]


def _outbox_lines(engine: Engine) -> Iterable[str]:
    with engine.connect() as conn:
        by_status = dict(
            conn.execute(
                select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
            ).all()
        )
        deferred = conn.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.status == outbox.PENDING, OutboxMessage.attempts > 0)
        )
        rate_limited = conn.scalar(select(func.coalesce(func.sum(OutboxMessage.rate_limited), 0)))
    yield from _family("sprout_outbox_planned_total", "counter", "Messages written to the outbox.")
    yield f"sprout_outbox_planned_total {sum(by_status.values())}"
    yield from _family("sprout_outbox_messages", "gauge", "Outbox messages by status.")
    for status in (outbox.PENDING, outbox.SENDING, outbox.SENT, outbox.FAILED, outbox.DEAD):
        yield f'sprout_outbox_messages{{status="{status}"}} {by_status.get(status, 0)}'
    yield from _family("sprout_outbox_sent_total", "counter", "Messages Slack accepted.")
    yield f"sprout_outbox_sent_total {by_status.get(outbox.SENT, 0)}"
    yield from _family("sprout_outbox_failed_total", "counter", "Messages given up on.")
    failed = by_status.get(outbox.FAILED, 0) + by_status.get(outbox.DEAD, 0)
    yield f"sprout_outbox_failed_total {failed}"
    yield from _family("sprout_outbox_expired_total", "counter", "Messages too late to send.")
    yield f"sprout_outbox_expired_total {by_status.get(outbox.EXPIRED, 0)}"
    yield from _family("sprout_outbox_deferred", "gauge", "Pending messages waiting for a retry.")
    yield f"sprout_outbox_deferred {deferred or 0}"
    yield from _family("sprout_slack_ratelimited_total", "counter", "429 answers from Slack.")
    yield f"sprout_slack_ratelimited_total {rate_limited or 0}"
