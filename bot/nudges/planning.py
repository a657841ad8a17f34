"""What nudges each scheduler pass plans: tell a manager, at the right moment, that
feedback is earned.

- `plan_event_nudges` turns fresh coaching events (a priority done, a blocker, a new
  report) into one short DM each, within the manager's working hours and daily cap;
  past the cap they fold into the next digest. A blocker (or an at-risk with a note) is
  urgent: never capped, deduped, folded or dropped; it waits for the manager's working
  hours and the end of their snooze (`urgent_arrives`), and the report is told when.
- `plan_digests` sends each manager one digest a working day at their nudge time:
  reports not given feedback for a while, stale or overdue priorities, and anything folded.
The planners write as they plan (events marked handled, each manager's next digest moved
on) in the pass's transaction; the decisions inside are plain functions of data and `now`
(`gap_days`, `only_redirects`, `Quota`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from bot import events, priorities
from bot.feedback import stats as feedback_stats
from bot.focus import store as focus_store
from bot.models import (
    CoachingEvent,
    NudgeSnooze,
    OutboxMessage,
    PersonSettings,
    Priority,
    ReportingLine,
    Workspace,
)
from bot.nudges.views import (
    BASELINE,
    DIGEST,
    NEW_REPORTS,
    NUDGE_KINDS,
    REASONS,
    URGENT,
    WHOLE_TEAM,
    Digest,
    Gap,
    Stale,
    baseline_message,
    digest_message,
    event_message,
    heard_line,
    team_baseline_message,
)
from bot.outbox import Planned
from bot.preferences.person import schedule_of, schedules_of
from bot.preferences.workspace import workspace_defaults
from bot.schedule import Schedule

REMIND_AFTER = timedelta(days=3)
PRAISE_WINDOW = timedelta(days=30)
FIRST_DAY = timedelta(days=1)  # lines made this soon after install predate Sprout
NEW_REPORT = timedelta(days=7)  # newer reports have no priorities yet: the baseline covers it
# Managers whose digests one planning batch considers (each with their whole team): bounds
# a batch's memory when a whole time zone is due at once; the rest follow in the next batch.
DIGESTS_PER_BATCH = 500


# --- decisions ------------------------------------------------------------------------------


def gap_days(last_feedback: datetime | None, joined: datetime, now: datetime) -> int:
    """Whole days since the manager last recorded feedback (or since the person joined)."""
    return max(0, (now - (last_feedback or joined)).days)


def only_redirects(praise: int, redirects: int) -> bool:
    """No praise in the window while redirects exist: worth a kind word to the manager."""
    return redirects > 0 and praise == 0


SEVERITY = {events.BLOCKER: 0, events.AT_RISK: 1, events.PRIORITY_DONE: 2, events.REPORT_ADDED: 3}


def is_urgent(event: CoachingEvent) -> bool:
    """A blocker, or an at-risk with a note: the report was promised their manager hears."""
    return event.kind == events.BLOCKER or (
        event.kind == events.AT_RISK and bool(event.detail.get("note"))
    )


def raises_urgent(priority: Priority, health: str, note: str | None = "") -> bool:
    """Whether setting an active `priority` to `health` (with `note`) now is urgent news for
    the owner's manager (a change, not a repeat): the same rule as `is_urgent`."""
    if priority.state != priorities.ACTIVE or health == priority.health:
        return False
    return health == priorities.BLOCKED or (health == priorities.AT_RISK and bool(note))


def urgent_arrives(schedule: Schedule, now: datetime) -> datetime | None:
    """When something urgent raised at `now` reaches a manager with `schedule`: at once
    within their working hours, else at their next working start; after their snooze."""
    return schedule.next_working_start(max(now, schedule.nudges_snoozed_until or now))


def manager_hears(session: Session, team_id: str, report_id: str, now: datetime) -> str:
    """What the report is told after raising a blocker: when their manager will see it
    (in the report's own time), and that the manager paused Sprout if they did; "" when
    nobody on Sprout manages them."""
    line = session.get(ReportingLine, (team_id, report_id))
    if line is None:
        return ""
    people = schedules_of(session, {(team_id, line.manager_id)})
    schedule, member = people[(team_id, line.manager_id)]
    if member is not None and (member.deleted or member.unreachable):
        return ""
    at = urgent_arrives(schedule, now)
    reader = schedule_of(session, team_id, report_id)
    return heard_line(line.manager_id, at, schedule.nudges_snoozed(now), reader, now)


@dataclass
class Quota:
    """A manager's nudge DMs for one local day, and what is already there (for dedupe)."""

    cap: int
    sent: set[tuple[str, str]] = field(default_factory=set)  # (kind, subject)

    def used(self) -> int:
        return len(self.sent)

    def seen(self, kind: str, subject: str) -> bool:
        return (kind, subject) in self.sent

    def full(self, keep_for_digest: bool = False) -> bool:
        """No more immediate nudges today; one place stays free for a digest still to come."""
        return self.used() >= self.cap - (1 if keep_for_digest and not self.seen(DIGEST, "") else 0)


# --- shared lookups (one query each, for everyone a pass looks at) ---------------------------


def _managers(
    session: Session, pairs: set[tuple[str, str]]
) -> dict[tuple[str, str], ReportingLine]:
    if not pairs:
        return {}
    teams, users = {team for team, _ in pairs}, {user for _, user in pairs}
    rows = session.scalars(
        select(ReportingLine).where(
            ReportingLine.team_id.in_(teams), ReportingLine.report_id.in_(users)
        )
    )
    return {(r.team_id, r.report_id): r for r in rows if (r.team_id, r.report_id) in pairs}


def _caps(session: Session, teams: set[str]) -> dict[str, int]:
    """Each workspace's daily nudge cap, read once per workspace (not once per manager)."""
    return {team: workspace_defaults(session, team)["daily_nudge_cap"] for team in teams}


def room_today(session: Session, team_id: str, user_id: str, day: date) -> int:
    """How many more nudge DMs `user_id` may get on their local `day` under the daily cap
    (every kind in `NUDGE_KINDS` counts, digest included): for planners outside this module."""
    return rooms_today(session, {(team_id, user_id): day})[(team_id, user_id)]


def rooms_today(session: Session, days: dict[tuple[str, str], date]) -> dict[tuple[str, str], int]:
    """`room_today` for many people at once, each on their own local day: two queries for
    all of them, not two each."""
    quotas = _quotas(session, days, _caps(session, {team for team, _ in days}))
    return {key: max(0, quota.cap - quota.used()) for key, quota in quotas.items()}


def _quotas(
    session: Session, days: dict[tuple[str, str], date], caps: dict[str, int]
) -> dict[tuple[str, str], Quota]:
    """What each manager has had today (their local day), from the outbox."""
    quotas = {key: Quota(cap=caps[key[0]]) for key in days}
    if not days:
        return quotas
    rows = session.execute(
        select(
            OutboxMessage.team_id,
            OutboxMessage.recipient_id,
            OutboxMessage.kind,
            OutboxMessage.subject,
            OutboxMessage.period,
        ).where(
            OutboxMessage.team_id.in_({team for team, _ in days}),
            OutboxMessage.recipient_id.in_({user for _, user in days}),
            OutboxMessage.kind.in_(NUDGE_KINDS),
            OutboxMessage.period.in_({day.isoformat() for day in days.values()}),
        )
    )
    for team, user, kind, subject, period in rows:
        key = (team, user)
        if key in days and period == days[key].isoformat():
            quotas[key].sent.add((kind, subject))
    return quotas


# --- immediate nudges -----------------------------------------------------------------------


def plan_event_nudges(session: Session, now: datetime) -> list[Planned]:
    """One DM per fresh event, to the person's manager, now or at their next working start.

    Within a pass the most severe come first (blocker, at risk, done, new report), so when
    the day's cap is reached it is the least severe that fold into the digest.
    """
    pending = list(
        session.scalars(
            select(CoachingEvent)
            .where(CoachingEvent.handled_at.is_(None))
            .order_by(CoachingEvent.occurred_at, CoachingEvent.id)
            .limit(2000)
        )
    )
    if not pending:
        return []
    pending.sort(key=severity)  # stable: the same severity stays in order of occurrence
    lines = _managers(session, {(e.team_id, e.user_id) for e in pending})
    managers = {(line.team_id, line.manager_id) for line in lines.values()}
    schedules = schedules_of(session, managers)
    days = {key: schedules[key][0].local_date(now) for key in managers}
    caps = _caps(session, {team for team, _ in managers})
    quotas = _quotas(session, days, caps)
    digests = _next_digests(session, managers)
    planned: list[Planned] = []
    joined: dict[tuple[str, str], list[tuple[CoachingEvent, ReportingLine]]] = {}
    for event in pending:
        line = lines.get((event.team_id, event.user_id))
        reason = REASONS.get(event.kind)
        if line is None or reason is None:
            _handle(event, "no_manager", now)
            continue
        key = (line.team_id, line.manager_id)
        schedule, member = schedules[key]
        if member is not None and (member.deleted or member.unreachable):
            _handle(event, "unreachable", now)
        elif is_urgent(event):
            if schedule.nudges_snoozed(now) or not schedule.in_working_hours(now):
                continue  # it waits for the snooze to end and the manager's working hours
            quotas[key].sent.add(_sent_as(event))
            planned.append(event_message(event, line, URGENT, days[key], now))
            _handle(event, "nudged", now)
        elif reason == BASELINE and schedule.nudges_snoozed(now):
            continue  # real news: it waits for the snooze to end, with any others by then
        elif schedule.nudges_snoozed(now):
            _handle(event, "snoozed", now)
        elif not schedule.in_working_hours(now):
            continue  # it waits for the manager's next working start
        elif reason == BASELINE and line.baseline_held_at is not None:
            _handle(event, "done_already", now)
        elif reason == BASELINE and key in joined:
            joined[key].append((event, line))  # several the same pass: one message
        elif reason == BASELINE and quotas[key].seen(*_sent_as(event)):
            _handle(event, "folded", now)  # today's message went already: the digest says it
        elif quotas[key].seen(*_sent_as(event)):
            _handle(event, "duplicate", now)  # same person, same reason, same day
        elif quotas[key].full(keep_for_digest=_digest_today(schedule, digests.get(key), now)):
            _handle(event, "folded", now)
        elif reason == BASELINE:
            quotas[key].sent.add(_sent_as(event))
            joined[key] = [(event, line)]
        else:
            quotas[key].sent.add(_sent_as(event))
            planned.append(event_message(event, line, reason, days[key], now))
            _handle(event, "nudged", now)
    fresh = _fresh_installs(session, set(joined))
    for key, news in joined.items():
        if key in fresh and _told_about_baselines(session, key):
            for event, _ in news:
                _handle(event, "done_already", now)
            continue
        if key in fresh:
            planned.append(team_baseline_message(key[0], key[1], days[key], now))
        else:
            planned.append(baseline_message([e for e, _ in news], news[0][1], days[key], now))
        for event, _ in news:
            _handle(event, "nudged", now)
    return planned


def _fresh_installs(session: Session, managers: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """Managers whose reporting lines were all made in Sprout's first day in the workspace:
    the people are not new to them, only to Sprout."""
    created = {team: session.get(Workspace, team) for team in {team for team, _ in managers}}
    fresh = set()
    for key, lines in _reports(session, managers).items():
        workspace = created.get(key[0])
        if workspace is not None and all(
            line.since <= workspace.created_at + FIRST_DAY for line in lines
        ):
            fresh.add(key)
    return fresh


def _told_about_baselines(session: Session, manager: tuple[str, str]) -> bool:
    """Whether the manager had the fresh install's one baseline message already."""
    return (
        session.scalar(
            select(OutboxMessage.id)
            .where(
                OutboxMessage.team_id == manager[0],
                OutboxMessage.recipient_id == manager[1],
                OutboxMessage.kind == f"nudge_{BASELINE}",
                OutboxMessage.subject == WHOLE_TEAM,
            )
            .limit(1)
        )
        is not None
    )


def _sent_as(event: CoachingEvent) -> tuple[str, str]:
    """The (kind, subject) of the outbox row an event's nudge is sent as."""
    if is_urgent(event):
        return f"nudge_{URGENT}", f"{event.user_id}:{event.id}"
    if REASONS[event.kind] == BASELINE:
        return f"nudge_{BASELINE}", NEW_REPORTS  # the day's new reports, in one message
    return f"nudge_{REASONS[event.kind]}", event.user_id


def severity(event: CoachingEvent) -> int:
    """How urgent an event is for its manager, most urgent first (0)."""
    if is_urgent(event):
        return 0
    return SEVERITY.get(event.kind, len(SEVERITY))


def _next_digests(
    session: Session, managers: set[tuple[str, str]]
) -> dict[tuple[str, str], datetime | None]:
    """When each manager's next digest is due (their settings' `next_digest_at`)."""
    if not managers:
        return {}
    rows = session.execute(
        select(PersonSettings.team_id, PersonSettings.user_id, PersonSettings.next_digest_at).where(
            PersonSettings.team_id.in_({team for team, _ in managers}),
            PersonSettings.user_id.in_({user for _, user in managers}),
        )
    )
    return {(team, user): at for team, user, at in rows if (team, user) in managers}


def _digest_today(schedule: Schedule, next_digest: datetime | None, now: datetime) -> bool:
    """Today's digest (part of the cap) is still to come: it is due today and has not been
    considered yet (at its very minute too: events are planned before digests)."""
    return next_digest is not None and schedule.local_date(next_digest) <= schedule.local_date(now)


def _handle(event: CoachingEvent, outcome: str, now: datetime) -> None:
    event.handled_at = now
    event.outcome = outcome


# --- the daily digest -----------------------------------------------------------------------


def plan_digests(session: Session, now: datetime) -> list[Planned]:
    """Each manager's digest at their nudge time on working days; nothing when all is well."""
    due = list(
        session.scalars(
            select(PersonSettings)
            .where(PersonSettings.next_digest_at <= now)
            .limit(DIGESTS_PER_BATCH)
        )
    )
    if not due:
        return []
    keys = {(s.team_id, s.user_id) for s in due}
    schedules = schedules_of(session, keys)
    days = {key: schedules[key][0].local_date(now) for key in keys}
    caps = _caps(session, {team for team, _ in keys})
    quotas = _quotas(session, days, caps)
    _count_this_pass(session, quotas, now)
    teams_of = _reports(session, keys)
    planned: list[Planned] = []
    for settings in due:
        key = (settings.team_id, settings.user_id)
        schedule, member = schedules[key]
        day = schedule.digest_due(now)
        # Today is done once its digest was considered; no reports, nothing until one joins.
        settings.next_digest_at = schedule.next_digest(now, day) if teams_of.get(key) else None
        if day is None or quotas[key].seen(DIGEST, "") or not teams_of.get(key):
            continue
        if quotas[key].full():  # a hard limit: what it would say waits for the next one
            continue
        if member is not None and (member.deleted or member.unreachable):
            continue
        digest = build_digest(
            session,
            settings.team_id,
            settings.user_id,
            teams_of[key],
            now,
            weekly=day == first_working_day(schedule, day),
        )
        if digest.empty():
            continue
        for event in digest.folded:
            event.digested_at = now
        message = digest_message(settings.team_id, settings.user_id, digest, day, now)
        planned.append(replace(message, expires_at=settings.next_digest_at))
    return planned


def _count_this_pass(session: Session, quotas: dict[tuple[str, str], Quota], now: datetime) -> None:
    """Add the nudges this same pass planned (not in the outbox yet) to the managers' days."""
    nudged = list(
        session.scalars(
            select(CoachingEvent).where(
                CoachingEvent.handled_at == now, CoachingEvent.outcome == "nudged"
            )
        )
    )
    lines = _managers(session, {(e.team_id, e.user_id) for e in nudged})
    for event in nudged:
        line = lines.get((event.team_id, event.user_id))
        key = (line.team_id, line.manager_id) if line is not None else None
        if key in quotas:
            quotas[key].sent.add(_sent_as(event))


def _reports(
    session: Session, managers: set[tuple[str, str]]
) -> dict[tuple[str, str], list[ReportingLine]]:
    result: dict[tuple[str, str], list[ReportingLine]] = defaultdict(list)
    if not managers:
        return result
    rows = session.scalars(
        select(ReportingLine)
        .where(
            ReportingLine.team_id.in_({team for team, _ in managers}),
            ReportingLine.manager_id.in_({user for _, user in managers}),
        )
        .order_by(ReportingLine.since)
    )
    for line in rows:
        if (line.team_id, line.manager_id) in managers:
            result[(line.team_id, line.manager_id)].append(line)
    return result


def first_working_day(schedule: Schedule, day: date) -> date:
    """The first day of `day`'s week (Monday on) that `schedule` works; `day` if none before."""
    monday = day - timedelta(days=day.weekday())
    return next(
        (
            monday + timedelta(days=n)
            for n in range(day.weekday())
            if schedule.works_on(monday + timedelta(days=n))
        ),
        day,
    )


def build_digest(
    session: Session,
    team_id: str,
    manager_id: str,
    lines: list[ReportingLine],
    now: datetime,
    *,
    weekly: bool = False,
) -> Digest:
    """What one manager's digest says today (a few queries, whatever the team's size);
    `weekly`: the week's first digest, which also names reports with no priorities."""
    settings = workspace_defaults(session, team_id)
    report_ids = [line.report_id for line in lines]
    snoozed = {
        (s.user_id, s.reason)
        for s in session.scalars(
            select(NudgeSnooze).where(
                NudgeSnooze.team_id == team_id,
                NudgeSnooze.manager_id == manager_id,
                NudgeSnooze.until > now,
            )
        )
    }
    last = feedback_stats.last_given(session, team_id, manager_id, report_ids)
    digest = Digest()
    for line in lines:
        days = gap_days(last.get(line.report_id), line.since, now)
        if days >= settings["feedback_gap_days"] and (line.report_id, "gap") not in snoozed:
            digest.gaps.append(Gap(line.report_id, days))
    digest.gaps.sort(key=lambda gap: -gap.days)
    owners = schedules_of(session, {(team_id, r) for r in report_ids})
    active = priorities.active_by_owner(session, team_id, report_ids)
    if weekly:
        # A report of less than a week has the baseline conversation for that.
        digest.no_priorities = [
            line.report_id
            for line in lines
            if not active.get(line.report_id) and now - line.since >= NEW_REPORT
        ]
    for owner, items in active.items():
        schedule = owners[(team_id, owner)][0]
        for priority in items:
            why = priorities.is_stale(priority, schedule, now, settings["stale_after_working_days"])
            if why:
                days = schedule.working_days_between(priority.touched_at, now)
                digest.stale.append(Stale(priority, why, days))
    digest.folded = list(
        session.scalars(
            select(CoachingEvent)
            .where(
                CoachingEvent.team_id == team_id,
                CoachingEvent.user_id.in_(report_ids),
                and_(CoachingEvent.outcome == "folded", CoachingEvent.digested_at.is_(None)),
            )
            .order_by(CoachingEvent.occurred_at)
        )
    )
    digest.folded.sort(key=severity)
    praise, redirects = feedback_stats.praise_and_redirects(
        session, team_id, manager_id, now - PRAISE_WINDOW
    )
    digest.only_redirects = only_redirects(praise, redirects)
    digest.practice = focus_store.to_notice(session, team_id, manager_id, report_ids, now)
    return digest


def stale_ids(
    session: Session, team_id: str, owner_id: str, schedule: Schedule, now: datetime
) -> set[int]:
    """The owner's priorities the check-in should flag as stale or overdue."""
    after = workspace_defaults(session, team_id)["stale_after_working_days"]
    return {
        p.id
        for p in priorities.active(session, team_id, owner_id)
        if priorities.is_stale(p, schedule, now, after) is not None
    }
