"""The scheduler pass: plan what is due, write it to the outbox, then send.

Planners are not pure: each reads what is due at `now` and writes as it plans, in the
pass's transaction (the day's check-in rows, people's next due times, reminder and event
stamps), then returns `Planned` messages. Unique keys (the outbox's, one check-in a person
a local date) make replaying a pass harmless; a dry run plans in a session it never
commits, so what the planners wrote is dropped.

A pass plans in batches, each in a transaction of its own: a planner reads at most its
own limit of what is due (a few thousand rows), and is called again while it finds more,
until `PLAN_SECONDS` of planning or `MAX_BATCHES`; what is left stays due and the next
pass goes on with it. So a whole time zone due at 09:30 never sits in one transaction or
in memory at once, and sending starts within the first minute.

Then it sends until just before the next pass is due (`send_until`): waits on Slack's
Retry-After fill the rest of the minute instead of ending the pass early, so a minute's
rate-limit budget is used to its end.
"""

from __future__ import annotations

import logging
import signal
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from types import FrameType

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.db import transaction
from bot.delivery import DeliveryReport, due_filter
from bot.models import CoachingEvent, OutboxMessage
from bot.outbox import Planned, enqueue
from bot.services import Services
from bot.workspaces import uninstalled_teams

log = logging.getLogger(__name__)

JOB_ID = "sprout-pass"
Planner = Callable[[Session, datetime], Sequence[Planned]]
PLAN_SECONDS = 20.0  # a pass starts no new planning batch after this; the rest waits a minute
MAX_BATCHES = 200  # nor more batches than this, however quick they are
# A pass sends until this long before the next pass is due (the top of the next minute),
# so the rate limits' budget is used to the end and the next pass still starts on time.
SEND_MARGIN = timedelta(seconds=1)
LATE_PASS_SENDS = timedelta(seconds=10)  # a pass run late still sends at least this long


def planners() -> list[Planner]:
    """Every planner, in the order their messages should be considered."""
    from bot.baselines.planning import plan_reviews
    from bot.checkins.planning import plan_checkins, plan_reminders
    from bot.feedback.planning import plan_ask_reminders, plan_unsent
    from bot.nudges import plan_digests, plan_event_nudges
    from bot.oneonones import plan_one_on_ones
    from bot.plans.planning import plan_plan_nudges
    from bot.pulse import plan_pulses
    from bot.summary import plan_summaries
    from bot.teams.planning import plan_lapsed_requests

    # Events before digests: a nudge past the daily cap folds into today's digest.
    return [
        plan_checkins,
        plan_reminders,
        plan_event_nudges,
        plan_digests,
        plan_unsent,
        plan_ask_reminders,
        plan_plan_nudges,
        plan_summaries,
        plan_lapsed_requests,
        plan_pulses,
        plan_one_on_ones,
        plan_reviews,
    ]


@dataclass
class PassResult:
    now: datetime
    planned: list[Planned] = field(default_factory=list)  # dry run only: what it would send
    planned_count: int = 0  # what the planners returned (a real pass keeps no messages)
    batches: int = 0  # planning transactions a real pass committed
    written: int = 0
    folded: int = 0  # immediate nudges past a manager's daily cap, kept for the digest
    waiting: list[OutboxMessage] = field(default_factory=list)  # dry run: due rows not yet sent
    delivery: DeliveryReport = field(default_factory=DeliveryReport)

    def lines(self, dry_run: bool) -> list[str]:
        """One line per message, for `python -m bot tick`."""
        if dry_run:
            planned = [
                f"would send {p.recipient_id} {p.kind} {p.subject} {p.period} ({p.reason})".rstrip()
                for p in self.planned
            ]
            due = [
                f"would send {r.recipient_id} {r.kind} {r.subject} {r.period} (queued)"
                for r in self.waiting
            ]
            return planned + due
        report = self.delivery
        return (
            [f"sent {r.recipient_id} {r.kind} {r.subject} {r.period}" for r in report.sent]
            + [
                f"deferred {r.recipient_id} {r.kind} {r.subject} {r.period}: {r.last_error}"
                for r in report.deferred
            ]
            + [
                f"failed {r.recipient_id} {r.kind} {r.subject} {r.period}: {r.last_error}"
                for r in report.failed
            ]
        )


def plan(session: Session, now: datetime) -> list[Planned]:
    return [message for planner in planners() for message in planner(session, now)]


def run_pass(services: Services, now: datetime, *, dry_run: bool = False) -> PassResult:
    result = PassResult(now=now)
    if dry_run:
        with services.sessions() as session:
            result.planned = plan(session, now)
            result.waiting = list(session.scalars(select(OutboxMessage).where(due_filter(now))))
        return result
    planning = time.monotonic()
    plan_in_batches(services, now, result)
    with services.sessions() as session:
        result.folded = (
            session.scalar(
                select(func.count())
                .select_from(CoachingEvent)
                .where(CoachingEvent.handled_at == now, CoachingEvent.outcome == "folded")
            )
            or 0
        )
    result.delivery = services.deliverer.deliver_due(
        now, until=send_until(now, time.monotonic() - planning)
    )
    refresh_homes(services, result.delivery, now)
    report = result.delivery
    log.info(
        "pass at %s: planned %d, new %d, folded %d, sent %d, deferred %d, failed %d, 429s %d",
        now.isoformat(),
        result.planned_count,
        result.written,
        result.folded,
        len(report.sent),
        len(report.deferred),
        len(report.failed),
        report.rate_limited,
        extra={
            "event": "scheduler_pass",
            "planned": result.planned_count,
            "batches": result.batches,
            "folded": result.folded,
            "sent": len(report.sent),
            "deferred": len(report.deferred),
            "failed": len(report.failed),
        },
    )
    return result


def plan_in_batches(services: Services, now: datetime, result: PassResult) -> None:
    """Each planner in turn, called again while it finds more, each batch committed: the
    planners write as they plan (next due times, stamps), so the next call reads the next
    people. A planner's turn ends when it plans nothing new (or only what is queued
    already); the pass's planning ends at `PLAN_SECONDS` or `MAX_BATCHES`, and the
    planners after that wait for the next pass, in order."""
    with services.sessions() as session:
        gone = uninstalled_teams(session)
    started = time.monotonic()
    for planner in planners():
        while result.batches < MAX_BATCHES and time.monotonic() - started < PLAN_SECONDS:
            with transaction(services.sessions) as session:
                planned = [p for p in planner(session, now) if p.team_id not in gone]
                written = sum(enqueue(session, p, now) is not None for p in planned)
            result.batches += 1
            result.planned_count += len(planned)
            result.written += written
            if written == 0:
                break


def send_until(now: datetime, planning_seconds: float) -> datetime:
    """Until when, by the Deliverer's time (which starts at `now` when sending starts),
    a pass at `now` may send: `SEND_MARGIN` before the next minute, less the seconds
    planning took; a pass run late (or planning long) still gets `LATE_PASS_SENDS`."""
    next_pass = now.replace(second=0, microsecond=0) + timedelta(minutes=1)
    until = next_pass - SEND_MARGIN - timedelta(seconds=planning_seconds)
    return max(until, now + LATE_PASS_SENDS)


def refresh_homes(services: Services, report: DeliveryReport, now: datetime) -> None:
    """Feedback delivered by this pass now shows on its subject's Home tab."""
    from bot.home import refresh_after_delivery

    refresh_after_delivery(services, report, now)


def build_scheduler(services: Services, *, blocking: bool) -> BaseScheduler:
    """APScheduler with one fixed-id job: a pass at the top of every minute, UTC."""
    scheduler: BaseScheduler = (BlockingScheduler if blocking else BackgroundScheduler)(
        timezone=UTC
    )
    scheduler.add_job(
        lambda: run_pass(services, services.read_clock()),
        trigger=CronTrigger(minute="*", second=0, timezone=UTC),
        id=JOB_ID,
        name="plan and send due messages",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=50,  # a late pass is still worth running; a missed one is caught up next
        next_run_time=datetime.now(UTC),
    )
    return scheduler


def stop_on_sigterm(scheduler: BaseScheduler) -> None:
    """Let a running pass finish, then exit (Heroku-style platforms send SIGTERM)."""

    def _stop(signum: int, _frame: FrameType | None) -> None:
        log.info("signal %s: finishing the current pass and stopping", signum)
        scheduler.shutdown(wait=True)

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
