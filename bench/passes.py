"""Running scheduler passes against a synthetic workspace and a local Slack, measured.

Shared by the scheduler-pass and memory benchmarks.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from bench import synth
from bench.common import Statements
from bot.config import Settings
from bot.delivery import DeliveryReport
from bot.scheduler import run_pass
from bot.services import Services, build_services
from devtools.local_slack import LocalSlack

# "About 1% due": the people whose messages a pass sends, as shares of the members.
CHECKIN_SHARE = 0.006  # check-ins
MANAGER_SHARE = 0.0007  # managers with a digest and a summary due (two messages each)
EVENT_SHARE = 0.002  # fresh coaching events (a nudge to the manager each)


def due_counts(members: int) -> dict[str, int]:
    return {
        "checkins": max(1, round(members * CHECKIN_SHARE)),
        "managers": max(1, round(members * MANAGER_SHARE)),
        "events": max(1, round(members * EVENT_SHARE)),
    }


def local_slack_with(members: int) -> LocalSlack:
    """A local Slack that knows every member (a DM to an unknown id would fail)."""
    slack = LocalSlack(team_id=synth.TEAM, team_name="Bench").start()
    for n in range(members):
        slack.add_user(synth.uid(n), f"user{n}", tz=synth.ZONES[n % len(synth.ZONES)])
    return slack


def services_for(url: str, slack: LocalSlack) -> Services:
    settings = Settings(
        slack_bot_token=slack.bot_token, slack_api_url=slack.base_url, database_url=url
    )
    return build_services(settings, migrate=False)


@dataclass
class PassFigures:
    at: str
    due: int  # people armed to be due (0 for an idle pass)
    planned: int
    sent: int
    deferred: int
    failed: int
    seconds: float
    plan_seconds: float  # planning and writing the outbox, in one transaction
    send_seconds: float  # claiming, posting and recording each message
    statements: int
    plan_statements: int
    send_statements: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class MeasuredPasses:
    """Runs `run_pass` with statement counting, timing planning and sending apart."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.statements = Statements(services.engine)
        self._send_seconds = 0.0
        self._plan_statements = 0
        deliverer = services.deliverer
        original = deliverer.deliver_due

        def timed_deliver_due(
            now: datetime, limit: int = 1000, *, until: datetime | None = None
        ) -> DeliveryReport:
            self._plan_statements = self.statements.count
            started = time.perf_counter()
            try:
                return original(now, limit, until=until)
            finally:
                self._send_seconds = time.perf_counter() - started

        deliverer.deliver_due = timed_deliver_due  # type: ignore[method-assign]

    def run(self, at: datetime, due: int = 0) -> PassFigures:
        self.statements.take()
        self._send_seconds = 0.0
        with self.statements:
            started = time.perf_counter()
            result = run_pass(self.services, at)
            seconds = time.perf_counter() - started
        total = self.statements.take()
        report = result.delivery
        return PassFigures(
            at=at.isoformat(),
            due=due,
            planned=result.planned_count,
            sent=len(report.sent),
            deferred=len(report.deferred),
            failed=len(report.failed),
            seconds=seconds,
            plan_seconds=seconds - self._send_seconds,
            send_seconds=self._send_seconds,
            statements=total,
            plan_statements=self._plan_statements,
            send_statements=total - self._plan_statements,
        )
