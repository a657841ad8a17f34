"""Housekeeping in the scheduler process: keep no more than Sprout needs, for no longer.

Once an hour:
- delivered (or abandoned) outbox messages older than RETAIN_OUTBOX_DAYS lose their
  content; the row stays, so its unique key still stops a repeat;
- Slack event ids older than RETAIN_EVENTS_DAYS and check-ins older than
  RETAIN_CHECKINS_DAYS are deleted;
- a person Slack deactivated is erased (bot.privacy.forget) once they have stayed
  deactivated for the grace period: the workspace's `erase_deleted_after_days`
  setting, else ERASE_DELETED_USERS_AFTER_DAYS;
- a workspace uninstalled for ERASE_UNINSTALLED_AFTER_DAYS is erased whole; a reinstall
  before then keeps everything.

The scheduler also records when it finished each pass, for /metrics.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from apscheduler.events import EVENT_JOB_EXECUTED, JobExecutionEvent
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import Text, cast, delete, select, update
from sqlalchemy.orm import Session

from bot import outbox, privacy
from bot.config import Retention
from bot.db import insert_ignoring_duplicates, transaction
from bot.models import (
    Checkin,
    Member,
    OutboxMessage,
    PendingErasure,
    ProcessedEvent,
    SchedulerState,
    Workspace,
)
from bot.scheduler import JOB_ID as PASS_JOB_ID
from bot.services import Services

log = logging.getLogger(__name__)

JOB_ID = "sprout-housekeeping"
DELETED_GRACE_SETTING = "erase_deleted_after_days"
FINISHED = (outbox.SENT, outbox.FAILED, outbox.DEAD, outbox.CANCELLED)


@dataclass
class Housekeeping:
    emptied: int = 0
    events: int = 0
    checkins: int = 0
    scheduled: int = 0
    people: int = 0
    workspaces: int = 0


def attach(scheduler: BaseScheduler, services: Services) -> None:
    """Add the hourly housekeeping job, and the last-pass record, to a scheduler."""

    def on_executed(event: JobExecutionEvent) -> None:
        if event.job_id == PASS_JOB_ID:
            record_pass(services, services.now())

    scheduler.add_listener(on_executed, EVENT_JOB_EXECUTED)
    scheduler.add_job(
        lambda: run(services, services.now()),
        trigger=CronTrigger(minute=17, second=30, timezone=UTC),  # off the minute's pass
        id=JOB_ID,
        name="retention and erasure",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=3000,
    )


def record_pass(services: Services, now: datetime) -> None:
    with transaction(services.sessions) as session:
        values = {"name": SchedulerState.LAST_PASS, "at": now}
        if (
            insert_ignoring_duplicates(
                session, SchedulerState, values, ["name"], SchedulerState.name
            )
            is None
        ):
            session.execute(
                update(SchedulerState)
                .where(SchedulerState.name == SchedulerState.LAST_PASS)
                .values(at=now)
            )


def run(services: Services, now: datetime) -> Housekeeping:
    limits = services.settings.retention
    done = Housekeeping()
    with transaction(services.sessions) as session:
        done.emptied = _empty_old_payloads(session, now - timedelta(days=limits.outbox_days))
        done.events = _delete(
            session,
            delete(ProcessedEvent).where(
                ProcessedEvent.received_at < now - timedelta(days=limits.events_days)
            ),
        )
        done.checkins = _delete(
            session,
            delete(Checkin).where(
                Checkin.local_date < (now - timedelta(days=limits.checkins_days)).date()
            ),
        )
        done.scheduled = _schedule_erasures(session, limits, now)
    for team_id, user_id in _due_erasures(services, now):
        with transaction(services.sessions) as session:
            privacy.forget(session, team_id, user_id)
        done.people += 1
        log.info("erased deactivated person %s in %s", user_id, team_id)
    cutoff = now - timedelta(days=limits.uninstalled_days)
    with services.sessions() as session:
        gone = list(
            session.scalars(select(Workspace.team_id).where(Workspace.uninstalled_at < cutoff))
        )
    for team_id in gone:
        with transaction(services.sessions) as session:
            privacy.forget_workspace(session, team_id)
        done.workspaces += 1
        log.info(
            "erased workspace %s, uninstalled over %d days ago", team_id, limits.uninstalled_days
        )
    log.info(
        "housekeeping: %d payloads emptied, %d event ids and %d check-ins pruned,"
        " %d people scheduled for erasure, %d people and %d workspaces erased",
        done.emptied,
        done.events,
        done.checkins,
        done.scheduled,
        done.people,
        done.workspaces,
        extra={"event": "housekeeping", **done.__dict__},
    )
    return done


def _delete(session: Session, statement: object) -> int:
    return session.execute(statement.execution_options(synchronize_session=False)).rowcount or 0  # type: ignore[attr-defined]


def _empty_old_payloads(session: Session, cutoff: datetime) -> int:
    return _delete(
        session,
        update(OutboxMessage)
        .where(
            OutboxMessage.status.in_(FINISHED),
            OutboxMessage.created_at < cutoff,
            cast(OutboxMessage.payload, Text) != "{}",
        )
        .values(payload={}),
    )


def _schedule_erasures(session: Session, limits: Retention, now: datetime) -> int:
    """Deactivated people get an erasure date; people who came back lose theirs."""
    returned = select(Member.user_id).where(
        Member.team_id == PendingErasure.team_id,
        Member.user_id == PendingErasure.user_id,
        Member.deleted.is_(False),
    )
    session.execute(
        delete(PendingErasure).where(returned.exists()).execution_options(synchronize_session=False)
    )
    waiting = select(PendingErasure.user_id).where(
        PendingErasure.team_id == Member.team_id, PendingErasure.user_id == Member.user_id
    )
    newly = session.execute(
        select(Member.team_id, Member.user_id).where(Member.deleted.is_(True), ~waiting.exists())
    ).all()
    graces: dict[str, int] = {}
    for team_id, user_id in newly:
        if team_id not in graces:
            workspace = session.get(Workspace, team_id)
            own = (workspace.settings or {}).get(DELETED_GRACE_SETTING) if workspace else None
            graces[team_id] = own if isinstance(own, int) and own > 0 else limits.deleted_user_days
        session.add(
            PendingErasure(
                team_id=team_id,
                user_id=user_id,
                due_at=now + timedelta(days=graces[team_id]),
                created_at=now,
            )
        )
    return len(newly)


def _due_erasures(services: Services, now: datetime) -> list[tuple[str, str]]:
    with services.sessions() as session:
        return [
            (row.team_id, row.user_id)
            for row in session.execute(
                select(PendingErasure.team_id, PendingErasure.user_id).where(
                    PendingErasure.due_at <= now
                )
            )
        ]
