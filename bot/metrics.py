"""`GET /metrics` in Prometheus text format, for the operator.

HTTP numbers (requests, ack latency) are counted with prometheus_client; under gunicorn
(`PROMETHEUS_MULTIPROC_DIR` set, see gunicorn.conf.py) they add up across workers.
Outbox numbers and the scheduler's last pass are read from the database at scrape time,
so they are right however many web and scheduler processes share it.

Who may scrape: with METRICS_TOKEN set, whoever sends `Authorization: Bearer <token>`;
without it, only clients on loopback, or anyone reaching the separate METRICS_PORT.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
from collections.abc import Iterable, Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy import Engine, func, select

from bot import outbox
from bot.models import OutboxMessage, SchedulerState

# Slack wants an ack within 3 s: the buckets are dense below that.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
from bot.serving import MULTIPROCESS_ENV  # noqa: E402

STATUSES = (
    outbox.PENDING,
    outbox.SENDING,
    outbox.SENT,
    outbox.FAILED,
    outbox.DEAD,
    outbox.CANCELLED,
    outbox.EXPIRED,
)


def multiprocess() -> bool:
    return bool(os.environ.get(MULTIPROCESS_ENV))


class Metrics:
    """This process's HTTP numbers (each instance its own, so tests don't share counts)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "sprout_http_requests",
            "HTTP requests by path and status.",
            ["path", "status"],
            registry=self.registry,
        )
        self.ack = Histogram(
            "sprout_ack_seconds",
            "Time to answer Slack (the ack) on /slack/events.",
            buckets=BUCKETS,
            registry=self.registry,
        )

    def observe(self, path: str, status: str, seconds: float) -> None:
        self.requests.labels(path=path, status=status).inc()
        if path == "/slack/events":
            self.ack.observe(seconds)

    def render(self, engine: Engine) -> bytes:
        http = self.registry
        if multiprocess():
            http = CollectorRegistry()
            MultiProcessCollector(http)
        database = CollectorRegistry()
        database.register(DatabaseCollector(engine))
        return generate_latest(http) + generate_latest(database)


class DatabaseCollector(Collector):
    """Outbox and scheduler numbers, read from the database at scrape time."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def collect(self) -> Iterator[Metric]:
        with self.engine.connect() as conn:
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
            rate_limited = conn.scalar(
                select(func.coalesce(func.sum(OutboxMessage.rate_limited), 0))
            )
            last_pass = conn.scalar(
                select(SchedulerState.at).where(SchedulerState.name == SchedulerState.LAST_PASS)
            )
        planned = by_status.values()
        yield _counter("sprout_outbox_planned", "Messages written to the outbox.", planned)
        messages = GaugeMetricFamily(
            "sprout_outbox_messages", "Outbox messages by status.", labels=["status"]
        )
        for status in STATUSES:
            messages.add_metric([status], by_status.get(status, 0))
        yield messages
        sent = [by_status.get(outbox.SENT, 0)]
        yield _counter("sprout_outbox_sent", "Messages Slack accepted.", sent)
        yield _counter(
            "sprout_outbox_failed",
            "Messages given up on.",
            [by_status.get(outbox.FAILED, 0), by_status.get(outbox.DEAD, 0)],
        )
        expired = [by_status.get(outbox.EXPIRED, 0)]
        yield _counter("sprout_outbox_expired", "Messages too late to send.", expired)
        yield GaugeMetricFamily(
            "sprout_outbox_deferred", "Pending messages waiting for a retry.", value=deferred or 0
        )
        yield _counter("sprout_slack_ratelimited", "429 answers from Slack.", [rate_limited or 0])
        if last_pass is not None:
            yield GaugeMetricFamily(
                "sprout_scheduler_last_pass_timestamp_seconds",
                "When the scheduler last finished a pass (Unix time).",
                value=last_pass.timestamp(),
            )


def _counter(name: str, help_text: str, parts: Iterable[int]) -> CounterMetricFamily:
    return CounterMetricFamily(name, help_text, value=sum(int(p or 0) for p in parts))


def is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def may_scrape(token: str, authorization: str, remote_addr: str, *, own_port: bool) -> bool:
    """The access rule for /metrics (see the module's docstring)."""
    if token:
        scheme, _, given = authorization.partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(given.strip(), token)
    return own_port or is_loopback(remote_addr)
