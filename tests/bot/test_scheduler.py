"""The scheduler pass: APScheduler wiring, and exactly-once sending under concurrency."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from apscheduler.triggers.cron import CronTrigger

from bot.db import transaction
from bot.models import Member, OutboxMessage, PersonSettings, ReportingLine
from bot.scheduler import (
    JOB_ID,
    LATE_PASS_SENDS,
    SEND_MARGIN,
    build_scheduler,
    run_pass,
    send_until,
)
from bot.services import build_services
from devtools.harness import Sprout
from devtools.local_slack import LocalSlack

TUESDAY_0930_UTC = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


def test_the_scheduler_runs_one_fixed_job_each_minute_in_utc(sprout: Sprout):
    scheduler = build_scheduler(sprout.services, blocking=False)
    [job] = scheduler.get_jobs()
    assert job.id == JOB_ID
    assert job.coalesce is True and job.max_instances == 1 and job.misfire_grace_time >= 30
    assert isinstance(job.trigger, CronTrigger) and str(job.trigger.timezone) == "UTC"
    assert str(scheduler.timezone) == "UTC"


def seed_team(sprout: Sprout, slack: LocalSlack, size: int) -> list[str]:
    """`size` reports of one manager, all due a check-in at 09:30 UTC on Tuesday."""
    now = sprout.now()
    ids = [f"UR{n:07d}" for n in range(size)]
    with transaction(sprout.services.sessions) as session:
        for user_id in ids:
            slack.add_user(user_id, user_id.lower(), tz="UTC")
            session.add(Member(team_id=sprout.team_id, user_id=user_id, tz="UTC", fetched_at=now))
            session.add(
                ReportingLine(
                    team_id=sprout.team_id,
                    report_id=user_id,
                    manager_id="UBOSS",
                    added_by="UBOSS",
                    since=now,
                )
            )
            session.add(
                PersonSettings(
                    team_id=sprout.team_id,
                    user_id=user_id,
                    next_checkin_at=TUESDAY_0930_UTC,
                    updated_at=now,
                )
            )
    return ids


def test_two_scheduler_processes_at_once_send_each_check_in_exactly_once(
    sprout: Sprout, slack: LocalSlack, database_url: str
):
    ids = seed_team(sprout, slack, 40)
    sprout.set_time(TUESDAY_0930_UTC)  # each Deliverer stamps its claims with its own clock
    other = build_services(sprout.settings, clock=lambda: TUESDAY_0930_UTC, migrate=False)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(services) -> None:
        start.wait()
        try:
            run_pass(services, TUESDAY_0930_UTC)
        except BaseException as error:  # noqa: BLE001 - reported to the test below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(s,)) for s in (sprout.services, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    # Either pass may have lost a race and left rows for the next pass: run one more of each.
    run_pass(sprout.services, TUESDAY_0930_UTC)
    run_pass(other, TUESDAY_0930_UTC)
    other.engine.dispose()

    assert errors == []
    counts = {user_id: len(slack.dms_to(user_id)) for user_id in ids}
    assert set(counts.values()) == {1}


def test_a_pass_plans_in_batches_each_committed_and_sends_them_all(
    sprout: Sprout, slack: LocalSlack, monkeypatch
):
    from bot.checkins import planning

    ids = seed_team(sprout, slack, 25)
    monkeypatch.setattr(planning, "PER_PASS", 10)  # a planner's own limit: one batch
    sprout.set_time(TUESDAY_0930_UTC)

    result = run_pass(sprout.services, TUESDAY_0930_UTC)

    assert result.planned_count == 25 and result.planned == []  # none kept in memory
    assert result.batches >= 3  # 10 + 10 + 5 check-ins, then one call for each other planner
    assert sorted(r.recipient_id for r in result.delivery.sent) == ids


def test_check_ins_go_out_before_digests_and_summaries_planned_earlier(sprout: Sprout):
    from datetime import timedelta

    from bot import outbox

    earlier = TUESDAY_0930_UTC - timedelta(minutes=1)
    queued = [("UBOSS", "summary", earlier), ("UBOSS", "digest", earlier)]
    queued += [("UR1", "nudge_praise", earlier), ("UR2", "checkin", TUESDAY_0930_UTC)]
    with transaction(sprout.services.sessions) as session:
        for recipient, kind, at in queued:
            planned = outbox.Planned(sprout.team_id, recipient, kind, "", "p", {"text": kind}, at)
            outbox.enqueue(session, planned, at)

    due = sprout.services.deliverer.due_ids(TUESDAY_0930_UTC)

    with sprout.services.sessions() as session:
        kinds = [session.get(OutboxMessage, i).kind for i in due]
    assert kinds == ["checkin", "nudge_praise", "summary", "digest"]


def test_a_pass_sends_until_a_moment_before_the_next_one_and_a_late_one_a_little():
    at = datetime(2026, 11, 30, 8, 30, tzinfo=UTC)

    assert send_until(at, 3.0) == at + timedelta(seconds=57) - SEND_MARGIN
    assert send_until(at.replace(second=55), 0.0) == at.replace(second=55) + LATE_PASS_SENDS
