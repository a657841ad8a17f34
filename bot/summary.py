"""The weekly manager summary: numbers for the week, what to do next, one question to reflect on
(with *Answer* and *Skip*: the week's entry in the manager's journal, `bot.reflections`), and
every fourth week a look back at their own ratings, feedback loop and pulse.

Everything is computed from a handful of set-based queries per manager (a constant number,
whatever the team's size or history), over the manager's own ISO week in their time zone.
Feedback counts only what this manager gave, so the summary never shows a record the
visibility rule would hide from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from bot import blocks, directory, events, nudges, priorities, pulse
from bot.checkins.planning import asks_answers
from bot.feedback import loop
from bot.feedback import stats as feedback_stats
from bot.feedback.loop import Loop
from bot.home import rows as home_rows
from bot.home.view import freshness
from bot.models import (
    Checkin,
    CoachingEvent,
    Feedback,
    OutboxMessage,
    PersonSettings,
    Priority,
    ReportingLine,
    Workspace,
)
from bot.outbox import Planned
from bot.preferences.person import schedule_of, schedules_of
from bot.preferences.workspace import workspace_defaults
from bot.prompts import Safe, mention, plural, render
from bot.pulse import views as pulse_views
from bot.reflections import store as journal
from bot.reflections import views as journal_views
from bot.schedule import Schedule

SUMMARY = "summary"
PREVIEW = "summary_preview"
DETAILED_UP_TO = 10  # reports shown one block each; more and the summary goes compact
MAX_ACTIONS = 3
BALANCE_WINDOW = timedelta(days=30)
# Managers whose summaries one planning batch considers (each with their whole team):
# bounds a batch's memory when a whole time zone is due at once; the rest follow.
SUMMARIES_PER_BATCH = 500
REVIEW_WINDOW = timedelta(days=28)


@dataclass
class ReportStats:
    user_id: str
    name: str = ""
    praise: int = 0
    redirects: int = 0
    days_since_feedback: int = 0
    ever_given: bool = False
    praise_30: int = 0
    redirects_30: int = 0
    finished: int = 0
    active: int = 0
    at_risk: int = 0
    blocked: int = 0
    stale: int = 0
    overdue: int = 0
    checkins_sent: int = 0
    checkins_answered: int = 0
    blockers: int = 0
    updated_days: int | None = None  # since they last updated a priority; None: never
    open_blockers: list[str] = field(default_factory=list)  # titles


@dataclass
class Totals:
    praise: int = 0
    redirects: int = 0
    finished: int = 0
    checkins_sent: int = 0
    checkins_answered: int = 0
    blockers: int = 0

    @property
    def feedback(self) -> int:
        return self.praise + self.redirects


@dataclass(frozen=True)
class Action:
    text: str
    button: blocks.Block


@dataclass
class Review:
    """Every four weeks: the manager's own ratings beside their feedback loop and pulse."""

    ratings: list[int]  # their latest self-ratings, oldest first
    loop: Loop  # the last four weeks
    pulse: list[str]  # the latest pulse's results as lines; [] when there was none


@dataclass
class TeamSummary:
    manager_id: str
    week: str
    monday: date | None = None  # the first day of the manager's week, to name it
    reports: list[ReportStats] = field(default_factory=list)
    this_week: Totals = field(default_factory=Totals)
    last_week: Totals = field(default_factory=Totals)
    compared: bool = True  # False: last week began before Sprout or before the team was made
    actions: list[Action] = field(default_factory=list)
    question: str = ""
    reflection_id: int | None = None  # the journal entry *Answer* and *Skip* name
    review: Review | None = None
    loop: Loop = field(default_factory=Loop)  # the manager's own feedback loop this week
    last_loop: Loop = field(default_factory=Loop)


def reflection_question(week: str) -> str:
    """One question a week, cycling through all of them before any comes back."""
    year, number = week.split("-W")
    return render("summary.reflection", rotate=int(year) * 53 + int(number))


def compute(session: Session, team_id: str, manager_id: str, now: datetime) -> TeamSummary:
    """This week's numbers for one manager's team, and last week's totals to compare."""
    manager = schedule_of(session, team_id, manager_id)
    settings = workspace_defaults(session, team_id)
    this_start = manager.week_start(now)
    last_start = this_start - timedelta(days=7)
    week = manager.iso_week(now)
    lines = list(
        session.scalars(
            select(ReportingLine)
            .where(ReportingLine.team_id == team_id, ReportingLine.manager_id == manager_id)
            .order_by(ReportingLine.since, ReportingLine.report_id)
        )
    )
    ids = [line.report_id for line in lines]
    today = manager.local_date(now)
    this_loop = loop.measure(session, team_id, manager_id, this_start, now)
    question = (
        pulse.reflection_for(session, team_id, manager_id, now)
        or loop.question(this_loop)
        or reflection_question(week)
    )
    summary = TeamSummary(
        manager_id=manager_id,
        week=week,
        monday=today - timedelta(days=today.weekday()),
        question=question,
        loop=this_loop,
        last_loop=loop.measure(session, team_id, manager_id, last_start, this_start),
    )
    if not ids:
        return summary
    summary.compared = _began_by(session, team_id, lines) <= last_start
    names = {m.user_id: m.display for m in directory.cached(session, team_id, ids).values()}
    stats = {
        line.report_id: ReportStats(line.report_id, names.get(line.report_id, "")) for line in lines
    }
    _feedback(session, team_id, manager_id, ids, stats, summary, now, this_start, last_start)
    last = feedback_stats.last_given(session, team_id, manager_id, ids)
    for line in lines:
        given = last.get(line.report_id)
        stats[line.report_id].ever_given = given is not None
        stats[line.report_id].days_since_feedback = nudges.gap_days(given, line.since, now)
    stale_items = _priorities(
        session, team_id, ids, stats, summary, now, this_start, last_start, settings
    )
    _checkins(session, team_id, ids, stats, summary, manager, now)
    _blockers(session, team_id, ids, stats, summary, now, this_start, last_start)
    for user_id, at in home_rows.last_updates(session, team_id, ids).items():
        stats[user_id].updated_days = max(0, (now - at).days)
    summary.reports = [stats[i] for i in ids]
    summary.actions = next_actions(summary.reports, stale_items, settings["feedback_gap_days"])
    if summary.monday is not None and journal.is_review_week(summary.monday):
        summary.review = review(session, team_id, manager_id, now)
    return summary


def review(session: Session, team_id: str, manager_id: str, now: datetime) -> Review:
    """The four-weekly look back: self-ratings, the feedback loop, the latest pulse."""
    found = pulse.latest_results(session, team_id, manager_id, now)
    return Review(
        ratings=journal.ratings(session, team_id, manager_id),
        loop=loop.measure(session, team_id, manager_id, now - REVIEW_WINDOW, now),
        pulse=pulse_views.results_lines(found)[:4] if found is not None else [],
    )


def figures(summary: TeamSummary) -> dict[str, int]:
    """The week's team figures, as a journal entry keeps them."""
    this = summary.this_week
    return {
        "people": len(summary.reports),
        "praise": this.praise,
        "redirects": this.redirects,
        "finished": this.finished,
        "checkins_answered": this.checkins_answered,
        "checkins_sent": this.checkins_sent,
        "blockers": this.blockers,
    }


def attach_reflection(session: Session, team_id: str, summary: TeamSummary, now: datetime) -> None:
    """The week's journal entry for the summary's question, so it can be answered."""
    if not summary.reports or not summary.question:
        return
    entry = journal.ask(
        session, team_id, summary.manager_id, summary.week, summary.question, figures(summary), now
    )
    summary.question, summary.reflection_id = entry.question, entry.id


def _began_by(session: Session, team_id: str, lines: list[ReportingLine]) -> datetime:
    """When this team began for Sprout: its first accepted line, or the install if later.
    A week that started before then is never compared against."""
    began = min(line.since for line in lines)
    workspace = session.get(Workspace, team_id)
    return max(began, workspace.created_at) if workspace is not None else began


def _feedback(
    session: Session,
    team_id: str,
    manager_id: str,
    ids: list[str],
    stats: dict[str, ReportStats],
    summary: TeamSummary,
    now: datetime,
    this_start: datetime,
    last_start: datetime,
) -> None:
    since = min(last_start, now - BALANCE_WINDOW)
    rows = session.execute(
        select(Feedback.about_id, Feedback.kind, Feedback.created_at).where(
            Feedback.team_id == team_id,
            Feedback.giver_id == manager_id,
            Feedback.about_id.in_(ids),
            Feedback.created_at >= since,
            Feedback.kind.in_(("praise", "redirect")),
        )
    )
    for about, kind, created in rows:
        person = stats[about]
        praise = kind == "praise"
        if created >= now - BALANCE_WINDOW:
            person.praise_30 += praise
            person.redirects_30 += not praise
        if created >= this_start:
            person.praise += praise
            person.redirects += not praise
            summary.this_week.praise += praise
            summary.this_week.redirects += not praise
        elif created >= last_start:
            summary.last_week.praise += praise
            summary.last_week.redirects += not praise


def _priorities(
    session: Session,
    team_id: str,
    ids: list[str],
    stats: dict[str, ReportStats],
    summary: TeamSummary,
    now: datetime,
    this_start: datetime,
    last_start: datetime,
    settings: dict,
) -> list[tuple[Priority, str]]:
    rows = session.scalars(
        select(Priority).where(
            Priority.team_id == team_id,
            Priority.owner_id.in_(ids),
            or_(
                Priority.state == priorities.ACTIVE,
                and_(Priority.state == priorities.DONE, Priority.closed_at >= last_start),
            ),
        )
    )
    owners = {
        user: found[0]
        for (_, user), found in schedules_of(session, {(team_id, i) for i in ids}).items()
    }
    flagged: list[tuple[Priority, str]] = []
    for p in rows:
        person = stats[p.owner_id]
        if p.state == priorities.DONE:
            if p.closed_at is not None and p.closed_at >= this_start:
                person.finished += 1
                summary.this_week.finished += 1
            else:
                summary.last_week.finished += 1
            continue
        person.active += 1
        if p.health == priorities.BLOCKED:
            person.open_blockers.append(p.title)
        person.at_risk += p.health == priorities.AT_RISK
        person.blocked += p.health == priorities.BLOCKED
        why = priorities.is_stale(p, owners[p.owner_id], now, settings["stale_after_working_days"])
        person.stale += why == "stale"
        person.overdue += why == "overdue"
        if p.health == priorities.BLOCKED:
            flagged.append((p, "blocked"))
        elif why:
            flagged.append((p, why))
    return flagged


def _checkins(
    session: Session,
    team_id: str,
    ids: list[str],
    stats: dict[str, ReportStats],
    summary: TeamSummary,
    manager: Schedule,
    now: datetime,
) -> None:
    today = manager.local_date(now)
    monday = today - timedelta(days=today.weekday())
    rows = session.execute(
        select(Checkin.user_id, Checkin.local_date, Checkin.answered_at).where(
            Checkin.team_id == team_id,
            Checkin.user_id.in_(ids),
            Checkin.status == "sent",
            asks_answers(),
            Checkin.local_date >= monday - timedelta(days=7),
            Checkin.local_date <= today,
        )
    )
    for user_id, day, answered in rows:
        totals = summary.this_week if day >= monday else summary.last_week
        totals.checkins_sent += 1
        totals.checkins_answered += answered is not None
        if day >= monday:
            stats[user_id].checkins_sent += 1
            stats[user_id].checkins_answered += answered is not None


def _blockers(
    session: Session,
    team_id: str,
    ids: list[str],
    stats: dict[str, ReportStats],
    summary: TeamSummary,
    now: datetime,
    this_start: datetime,
    last_start: datetime,
) -> None:
    rows = session.execute(
        select(CoachingEvent.user_id, CoachingEvent.occurred_at).where(
            CoachingEvent.team_id == team_id,
            CoachingEvent.user_id.in_(ids),
            CoachingEvent.kind == events.BLOCKER,
            CoachingEvent.occurred_at >= last_start,
        )
    )
    for user_id, when in rows:
        if when >= this_start:
            stats[user_id].blockers += 1
            summary.this_week.blockers += 1
        else:
            summary.last_week.blockers += 1


def next_actions(
    reports: list[ReportStats], flagged: list[tuple[Priority, str]], gap_threshold: int
) -> list[Action]:
    """Up to three next steps: unblock first, then the longest feedback gaps, then stale."""
    actions: list[Action] = []
    for p, why in sorted(flagged, key=lambda item: item[1] != "blocked"):
        if why != "blocked":
            continue
        text = render("summary.action.unblock", person=mention(p.owner_id), title=p.title)
        label = render("summary.action.unblock_button", title=p.title[:40])
        actions.append(Action(text, blocks.button(label, nudges.ASK_ABOUT, str(p.id))))
    gaps = sorted(
        (r for r in reports if r.days_since_feedback >= gap_threshold),
        key=lambda r: -r.days_since_feedback,
    )
    for report in gaps:
        text = render(
            "summary.action.feedback",
            person=mention(report.user_id),
            days=report.days_since_feedback,
        )
        label = render(
            "summary.action.feedback_button",
            name=report.name or "them",
            days=report.days_since_feedback,
        )
        actions.append(Action(text, nudges.feedback_button(label, report.user_id)))
    for p, why in flagged:
        if why == "blocked":
            continue
        text = render(f"summary.action.{why}", person=mention(p.owner_id), title=p.title)
        label = render("summary.action.ask_button", title=p.title[:40])
        actions.append(Action(text, blocks.button(label, nudges.ASK_ABOUT, str(p.id))))
    return actions[:MAX_ACTIONS]


# --- rendering --------------------------------------------------------------------------------


def _trend(now_value: int, before: int, compared: bool = True) -> str:
    if not compared:
        return ""
    if now_value > before:
        return render("summary.trend.up", change=now_value - before)
    if now_value < before:
        return render("summary.trend.down", change=before - now_value)
    return render("summary.trend.same")


def _report_line(r: ReportStats) -> str:
    if not r.ever_given:
        since = render("summary.report.never", days=r.days_since_feedback)
    elif r.days_since_feedback <= 1:
        since = render("summary.report." + ("today" if r.days_since_feedback == 0 else "yesterday"))
    else:
        since = render("summary.report.days_since", days=r.days_since_feedback)
    given = _counted(("praise", r.praise), ("redirects", r.redirects))
    feedback = render("summary.report.feedback", given=given) if given else ""
    balance = ""
    if r.praise_30 or r.redirects_30:
        balance = render("summary.report.balance", praise=r.praise_30, redirects=r.redirects_30)
    work = _counted(
        ("finished", r.finished),
        ("active", r.active),
        ("at_risk", r.at_risk),
        ("blocked", r.blocked),
        ("stale", r.stale),
        ("overdue", r.overdue),
    )
    lines = [
        f"*{mention(r.user_id)}*",
        " · ".join(part for part in (feedback, since, balance) if part),
        render("summary.report.priorities", work=work) if work else "",
        freshness(r.updated_days, tuple(r.open_blockers)),
    ]
    return "\n".join(line for line in lines if line)


def _counted(*counts: tuple[str, int]) -> str:
    """ "1 praise, 2 redirects": each count in words, plural right, zeros left out."""
    return ", ".join(plural(f"summary.count.{name}", n) for name, n in counts if n)


def _compact_line(r: ReportStats) -> str:
    return render(
        "summary.report.compact",
        person=mention(r.user_id),
        praise=r.praise,
        redirects=r.redirects,
        days=r.days_since_feedback,
        finished=r.finished,
        active=r.active,
        flagged=r.at_risk + r.blocked + r.stale + r.overdue,
        updated="-" if r.updated_days is None else f"{r.updated_days}d",
    )


def week_name(summary: TeamSummary) -> str:
    """The week as people say it: "week of 7 Dec"."""
    if summary.monday is None:
        return summary.week
    return render("summary.week_of", day=f"{summary.monday.day} {summary.monday:%b}")


def message(summary: TeamSummary, preview: bool = False) -> dict:
    """The summary as a Slack message; compact past DETAILED_UP_TO reports, always < 50 blocks."""
    this, last = summary.this_week, summary.last_week
    week = week_name(summary)
    heading = render("summary.heading_preview" if preview else "summary.heading", week=week)
    body: list[blocks.Block] = [blocks.header(heading)]
    if not summary.reports:
        body.append(blocks.section(render("summary.no_team")))
        return blocks.message(heading, body)
    fields = [
        render(
            "summary.totals.feedback",
            count=this.feedback,
            kinds=f" ({_counted(('praise', this.praise), ('redirects', this.redirects))})"
            if this.feedback
            else "",
            trend=_trend(this.feedback, last.feedback, summary.compared),
        ),
        render(
            "summary.totals.finished",
            count=this.finished,
            trend=_trend(this.finished, last.finished, summary.compared),
        ),
        render(
            "summary.totals.checkins",
            answered=this.checkins_answered,
            sent=this.checkins_sent,
            trend=_trend(this.checkins_answered, last.checkins_answered, summary.compared),
        ),
        render(
            "summary.totals.blockers",
            count=this.blockers,
            trend=_trend(this.blockers, last.blockers, summary.compared),
        ),
    ]
    body.append({"type": "section", "fields": [blocks.mrkdwn(f.rstrip()) for f in fields]})
    body.append({"type": "section", "fields": [blocks.mrkdwn(f) for f in fields]})
    body.append(
        blocks.section(
            "\n".join(
                [
                    render("loop.heading"),
                    *loop.lines(summary.loop, summary.last_loop if summary.compared else None),
                ]
            )
        )
    )
    body.append(blocks.divider())
    if len(summary.reports) <= DETAILED_UP_TO:
        body.extend(blocks.section(_report_line(r)) for r in summary.reports)
    else:
        body.append(blocks.section(render("summary.compact_heading", count=len(summary.reports))))
        body.extend(blocks.sections_from_lines([_compact_line(r) for r in summary.reports])[:30])
    if summary.actions:
        body.append(blocks.divider())
        body.append(blocks.section(render("summary.actions_heading")))
        body.append(blocks.section("\n".join(f"• {a.text}" for a in summary.actions)))
        # Action ids must differ within one block: number them (handlers match the prefix).
        numbered = [
            {**a.button, "action_id": f"{a.button['action_id']}.{n}"}
            for n, a in enumerate(summary.actions)
        ]
        body.append(blocks.actions(*numbered, block_id="summary_actions"))
    if summary.review is not None:
        body.append(blocks.divider())
        body.append(blocks.section(review_text(summary.review)))
    if summary.question:
        body.append(blocks.divider())
        body.append(blocks.section(render("summary.reflect", question=summary.question)))
        if summary.reflection_id is not None:
            body.append(journal_views.buttons(summary.reflection_id))
    text = render(
        "summary.text", week=week, people=plural("summary.count.people", len(summary.reports))
    )
    return blocks.message(text, body)


def review_text(found: Review) -> str:
    """The four-weekly look back as one section."""
    four_weeks = found.loop
    if four_weeks.given:
        parts = [
            render(
                "summary.review.balance", praise=four_weeks.praise, redirects=four_weeks.redirects
            ),
            render("summary.review.reached", reached=four_weeks.reached, given=four_weeks.given),
        ]
        if four_weeks.median_delay is not None:
            wait = loop.delay_words(four_weeks.median_delay)
            parts.append(render("summary.review.time", wait=Safe(wait)))
        feedback = " · ".join(parts)
    else:
        feedback = render("summary.review.no_feedback")
    lines = [
        render("summary.review.heading"),
        journal_views.trend(found.ratings),
        render("summary.review.feedback", figures=Safe(feedback)),
    ]
    if four_weeks.open_plans:
        lines.append(plural("summary.review.plans", four_weeks.open_plans))
    if found.pulse:
        lines.append(render("summary.review.pulse"))
        lines.extend(found.pulse)
    return "\n".join(lines)


# --- scheduling -------------------------------------------------------------------------------


def plan_summaries(session: Session, now: datetime) -> list[Planned]:
    """Each manager's summary once per ISO week at their chosen time, within working hours."""
    due = list(
        session.scalars(
            select(PersonSettings)
            .where(PersonSettings.next_summary_at <= now)
            .limit(SUMMARIES_PER_BATCH)
        )
    )
    if not due:
        return []
    managers = _managers_with_reports(session, {(s.team_id, s.user_id) for s in due})
    schedules = {
        key: found[0]
        for key, found in schedules_of(session, {(s.team_id, s.user_id) for s in due}).items()
    }
    sent = _sent_weeks(session, due, {sched.iso_week(now) for sched in schedules.values()})
    planned: list[Planned] = []
    for settings in due:
        key = (settings.team_id, settings.user_id)
        schedule = schedules[key]
        week = schedule.iso_week(now)
        if key not in managers:
            settings.next_summary_at = None  # a team first; /team add schedules it again
            continue
        if (key, week) in sent:
            settings.next_summary_at = schedule.next_summary(now, week)
            continue
        if now < schedule.summary_moment(now):
            # A week whose summary went missing is not made up the next week: that
            # week gets its own summary at its own time.
            settings.next_summary_at = schedule.summary_moment(now)
            continue
        if not schedule.in_working_hours(now):
            start = schedule.next_working_start(now)
            same_week = start is not None and schedule.iso_week(start) == week
            settings.next_summary_at = start if same_week else schedule.next_summary(now, week)
            continue
        summary = compute(session, settings.team_id, settings.user_id, now)
        attach_reflection(session, settings.team_id, summary, now)
        planned.append(
            Planned(
                team_id=settings.team_id,
                recipient_id=settings.user_id,
                kind=SUMMARY,
                subject="",
                period=week,
                body=message(summary),
                not_before=now,
                expires_at=schedule.week_start(now + timedelta(days=7)),
                reason=f"weekly summary {week} ({len(summary.reports)} reports)",
            )
        )
        settings.next_summary_at = schedule.next_summary(now, week)
    return planned


def _managers_with_reports(session: Session, keys: set[tuple[str, str]]) -> set[tuple[str, str]]:
    rows = session.execute(
        select(ReportingLine.team_id, ReportingLine.manager_id)
        .where(
            ReportingLine.team_id.in_({team for team, _ in keys}),
            ReportingLine.manager_id.in_({user for _, user in keys}),
        )
        .distinct()
    )
    return {(team, manager) for team, manager in rows if (team, manager) in keys}


def _sent_weeks(
    session: Session, due: list[PersonSettings], weeks: set[str]
) -> set[tuple[tuple[str, str], str]]:
    rows = session.execute(
        select(OutboxMessage.team_id, OutboxMessage.recipient_id, OutboxMessage.period).where(
            OutboxMessage.team_id.in_({s.team_id for s in due}),
            OutboxMessage.recipient_id.in_({s.user_id for s in due}),
            OutboxMessage.kind == SUMMARY,
            OutboxMessage.period.in_(weeks),
        )
    )
    return {((team, user), period) for team, user, period in rows}


def preview(session: Session, team_id: str, manager_id: str, now: datetime) -> Planned:
    """`/coach summary`: this week so far, now; it does not count as the week's summary."""
    summary = compute(session, team_id, manager_id, now)
    attach_reflection(session, team_id, summary, now)
    return Planned(
        team_id=team_id,
        recipient_id=manager_id,
        kind=PREVIEW,
        subject="",
        period=now.isoformat(),
        body=message(summary, preview=True),
        not_before=now,
        reason="asked for with /coach summary",
    )
