"""The App Home tab as a view: what each person sees when they open Sprout, built from data.

- A manager sees their team at a glance: for each report, days since the manager's own
  last feedback, active / stale / blocked priorities and the check-in rate of the last
  14 days, longest since feedback first, with a "Give feedback" button for the top ones.
  Any team size fits Slack's 100 blocks: the rest are packed as compact lines.
- A member sees their priorities with status buttons, the feedback delivered to them
  and their check-in settings. Someone who is both sees both.
- A manager who answered reflections sees their journal, theirs alone, the latest few.
- A first-time visitor (no team, no manager, no priorities) sees what Sprout does and
  how to start.

Feedback records are shown only through `bot.visibility`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import blocks, days_off, priorities, teams, visibility
from bot.baselines import store as baselines
from bot.baselines import views as baseline_views
from bot.dates import Reader
from bot.feedback import loop
from bot.feedback.views import list_line
from bot.focus import store as focus_store
from bot.focus import views as focus_views
from bot.home.rows import ReportRow, team_answer_rate, team_rows
from bot.models import Feedback, PersonSettings, Priority
from bot.nudges import feedback_button
from bot.plans import rules as plan_rules
from bot.plans import views as plan_views
from bot.preferences.person import schedule_of
from bot.preferences.workspace import workspace_defaults
from bot.priorities.text import priority_line
from bot.priorities.views import status_menu
from bot.prompts import Safe, mention, render
from bot.reflections import store as journal
from bot.reflections import views as journal_views
from bot.schedule import DAY_NAMES, Schedule, describe_days, hhmm

DONE = "home_priority_done"
STATUS = "home_priority_status"
OPEN_SETTINGS = "home_open_settings"
VIEW_LIMIT = 100  # blocks in a Home tab
DETAILED = 10  # reports with their own row and button; the rest are compact lines
LISTED = 200  # beyond this, "and N more": a glance, not a directory (and a modest payload)
PRIORITIES_SHOWN = 20  # two blocks each
FEEDBACK_SHOWN = 5
SHARED_SHOWN = 3
PLANS_SHOWN = 5  # two blocks each


def report_line(row: ReportRow) -> str:
    if row.feedback_days is None:
        feedback = render("home.team.feedback_never")
    elif row.feedback_days == 0:
        feedback = render("home.team.feedback_today")
    elif row.feedback_days == 1:
        feedback = render("home.team.feedback_yesterday")
    else:
        feedback = render("home.team.feedback_days", days=row.feedback_days)
    if row.active:
        parts = [render("home.team.active", count=row.active)]
        if row.stale:
            parts.append(render("home.team.stale", count=row.stale))
        if row.blocked:
            parts.append(render("home.team.blocked", count=row.blocked))
        work = ", ".join(parts)
    else:
        work = render("home.team.no_priorities")
    return render(
        "home.team.line",
        person=mention(row.user_id),
        feedback=Safe(feedback),
        work=Safe(work),
        fresh=Safe(freshness(row.updated_days, row.blockers)),
    )


def freshness(days: int | None, blockers: tuple[str, ...]) -> str:
    """When a report last updated their priorities, and what blocks them now."""
    if days is None:
        fresh = render("home.team.updated_never")
    elif days <= 1:
        fresh = render("home.team." + ("updated_today" if days == 0 else "updated_yesterday"))
    else:
        fresh = render("home.team.updated_days", days=days)
    for title in blockers[:3]:
        fresh += render("home.team.blocked_on", title=title)
    return fresh


# --- the parts of the view --------------------------------------------------------------------


def _intro() -> list[blocks.Block]:
    return [
        blocks.header(render("home.intro.heading")),
        blocks.section(render("home.intro.what")),
        blocks.section(render("home.intro.start")),
    ]


def _team_part(
    session: Session, team_id: str, manager_id: str, tz: str, now: datetime, budget: int
) -> list[blocks.Block]:
    """The manager's team in at most `budget` blocks, whatever its size."""
    rows = team_rows(session, team_id, manager_id, now)
    after = workspace_defaults(session, team_id)["stale_after_working_days"]
    body: list[blocks.Block] = [
        blocks.header(render("home.team.heading", count=len(rows))),
        blocks.context(render("home.team.key", stale_days=after)),
    ]
    answered, sent = team_answer_rate(session, team_id, [row.user_id for row in rows], now)
    if sent:
        body.append(blocks.context(render("home.team.rate", answered=answered, sent=sent)))
    shared = _shared_part(session, team_id, manager_id, tz)
    detailed = rows[:DETAILED]
    for row in detailed:
        body.append(
            blocks.section(
                report_line(row),
                accessory=feedback_button(render("home.team.give_feedback"), row.user_id, "", ""),
                block_id=f"home_report_{row.user_id}",
            )
        )
    rest = rows[DETAILED:]
    if rest:
        room = max(1, budget - len(body) - len(shared) - 1)  # one for "and N more"
        lines = [report_line(row) for row in rest[: LISTED - DETAILED]]
        packed = blocks.sections_from_lines(lines)[:room]
        body.extend(packed)
        shown = sum(block["text"]["text"].count("\n") + 1 for block in packed)
        if shown < len(rest):
            body.append(blocks.context(render("home.team.more", count=len(rest) - shown)))
    return body + shared


def _shared_part(session: Session, team_id: str, manager_id: str, tz: str) -> list[blocks.Block]:
    """Feedback others shared with this manager about their current reports."""
    candidates = list(
        session.scalars(
            select(Feedback)
            .where(
                Feedback.team_id == team_id,
                Feedback.shared_with_id == manager_id,
                Feedback.giver_id != manager_id,
                visibility.visible_filter(manager_id),
            )
            .order_by(Feedback.created_at.desc(), Feedback.id.desc())
            .limit(SHARED_SHOWN)
        )
    )
    managers = teams.managers_of(session, team_id, sorted({r.about_id for r in candidates}))
    rows = [r for r in candidates if visibility.may_see(manager_id, r, managers.get(r.about_id))]
    if not rows:
        return []
    lines = [list_line(record, manager_id, tz) for record in rows]
    return [blocks.section(render("home.team.shared_heading")), *blocks.sections_from_lines(lines)]


def _own_part(
    session: Session, team_id: str, user_id: str, schedule: Schedule, now: datetime
) -> list[blocks.Block]:
    items = priorities.active(session, team_id, user_id)
    settings = workspace_defaults(session, team_id)
    today = schedule.local_date(now)
    body: list[blocks.Block] = [
        blocks.header(render("home.me.heading")),
    ]
    if not items:
        body.append(blocks.section(render("home.me.empty")))
    else:
        body.append(
            blocks.context(
                render("home.me.count", count=len(items), limit=settings["max_active_priorities"])
            )
        )
    for number, priority in enumerate(items[:PRIORITIES_SHOWN], start=1):
        stale = priorities.is_stale(priority, schedule, now, settings["stale_after_working_days"])
        # Overdue already says "was due": only the stale ones get the extra word.
        line = priority_line(number, priority, today, stale=stale == "stale")
        body.append(blocks.section(line, block_id=f"home_p{priority.id}"))
        body.append(_priority_buttons(priority))
    if len(items) > PRIORITIES_SHOWN:
        body.append(blocks.context(render("home.me.more", count=len(items) - PRIORITIES_SHOWN)))
    return body + _received_part(session, team_id, user_id, schedule.tz)


def _priority_buttons(priority: Priority) -> blocks.Block:
    """Done and the status menu, which shows the health as it stands."""
    placeholder = render("home.me.status_placeholder")
    return blocks.actions(
        blocks.button(render("home.me.done_button"), DONE, str(priority.id), style="primary"),
        status_menu(priority, STATUS, placeholder, show_current=True),
        block_id=f"home_a{priority.id}",
    )


def _received_part(session: Session, team_id: str, user_id: str, tz: str) -> list[blocks.Block]:
    """Feedback delivered to this person (the visibility rule decides), newest first."""
    records = visibility.visible(session, team_id, user_id, about_id=user_id, limit=FEEDBACK_SHOWN)
    if not records:
        return []
    total = visibility.count_visible(session, team_id, user_id, user_id)
    body: list[blocks.Block] = [
        blocks.header(render("home.me.feedback_heading")),
        *blocks.sections_from_lines([list_line(r, user_id, tz) for r in records])[:2],
    ]
    if total > len(records):
        body.append(
            blocks.context(render("home.me.feedback_more", shown=len(records), count=total))
        )
    return body


def _holidays_line(row: PersonSettings | None, schedule: Schedule) -> str:
    """Whose public holidays they keep, and who chose it; or that they work on them."""
    choice = row.holiday_country if row is not None else None
    if choice == days_off.NONE:
        return render("home.settings.holidays_worked")
    if schedule.holiday_country is None:
        return render("home.settings.holidays_unknown")
    source = "home.settings.holidays_own" if choice else "home.settings.holidays_zone"
    return render(
        "home.settings.holidays", country=schedule.holiday_country, source=Safe(render(source))
    )


def _settings_part(
    row: PersonSettings | None,
    schedule: Schedule,
    has_manager: bool,
    is_manager: bool,
    now: datetime,
) -> list[blocks.Block]:
    days = describe_days(schedule.work_days)
    time = hhmm(schedule.checkin_start)
    today = schedule.local_date(now)
    if schedule.checkins_off:
        checkins = render("home.settings.checkins_off")
    elif schedule.snoozed_until is not None and schedule.snoozed_until >= today:
        checkins = render(
            "home.settings.checkins_snoozed",
            date=schedule.snoozed_until.strftime("%a %-d %b"),
            time=time,
            days=days,
        )
    else:
        checkins = render("home.settings.checkins_on", time=time, days=days)
    if has_manager:
        lines = [checkins]
    else:  # no check-ins without a manager; a manager at the top needs no reminder of it
        lines = [] if is_manager else [render("home.settings.no_manager")]
    source = (
        "home.settings.tz_own" if row is not None and row.tz_override else "home.settings.tz_slack"
    )
    lines.append(
        render(
            "home.settings.hours",
            start=hhmm(schedule.work_start),
            end=hhmm(schedule.work_end),
            tz=schedule.tz,
            source=Safe(render(source)),
        )
    )
    lines.append(_holidays_line(row, schedule))
    if is_manager:
        lines.append(
            render(
                "home.settings.manager",
                time=hhmm(schedule.nudge_time),
                day=DAY_NAMES[schedule.summary_day].title(),
                summary_time=hhmm(schedule.summary_time),
            )
        )
        if schedule.nudges_snoozed(now):
            until = schedule.nudges_snoozed_until.astimezone(schedule.zone)  # type: ignore[union-attr]
            lines.append(render("home.settings.nudges_paused", until=until.strftime("%a %-d %b")))
    return [
        blocks.header(render("home.settings.heading")),
        blocks.section(
            "\n".join(lines),
            accessory=blocks.button(render("home.settings.button"), OPEN_SETTINGS),
            block_id="home_settings",
        ),
    ]


def _loop_part(
    session: Session, team_id: str, manager_id: str, schedule: Schedule, now: datetime
) -> list[blocks.Block]:
    """The manager's own feedback loop this week, against last week, in plain words."""
    start = schedule.week_start(now)
    this = loop.measure(session, team_id, manager_id, start, now)
    last = loop.measure(session, team_id, manager_id, start - timedelta(days=7), start)
    return [blocks.section("\n".join([render("loop.heading"), *loop.lines(this, last)]))]


def _plans_part(session: Session, team_id: str, user_id: str) -> list[blocks.Block]:
    """The agreed action plans this person is in (as manager or report), and nobody else's."""
    plans = plan_rules.agreed_plans(session, team_id, user_id)[:PLANS_SHOWN]
    return plan_views.home_part(
        user_id, [(plan, plan_rules.steps(session, plan)) for plan in plans]
    )


def _agreed_part(
    session: Session,
    team_id: str,
    user_id: str,
    has_manager: bool,
    is_manager: bool,
    reader: Reader,
    now: datetime,
) -> list[blocks.Block]:
    """What this person agreed with their manager, and with each of their reports: the
    baseline, and the one thing being practised."""
    body: list[blocks.Block] = []
    if has_manager:
        row = baselines.current(session, team_id, user_id, user_id)
        if row is not None and row.agreed:
            body.extend(baseline_views.shown_to(row, False, row.manager_id, reader))
        focus = focus_store.current(session, team_id, user_id, user_id)
        if focus is not None:
            practised = focus_store.this_week(session, focus, now)
            body.append(focus_views.home_own(focus, practised))
    if is_manager:
        agreed = baselines.agreed_for_team(session, team_id, user_id)
        lines = baseline_views.team_lines(agreed, reader)
        if lines:
            heading = render("baseline.show.team_heading")
            body.extend(blocks.sections_from_lines([heading, *lines]))
        focuses = focus_store.for_team(session, team_id, user_id)
        counts = focus_store.practised_since(
            session, [f.id for f in focuses], now - focus_store.WEEK
        )
        practising = [(f, counts.get(f.id, 0)) for f in focuses]
        body.extend(focus_views.home_team(practising))
    return body


# --- the whole view ---------------------------------------------------------------------------


def build(
    session: Session, team_id: str, user_id: str, now: datetime, notice: str | None = None
) -> dict[str, Any]:
    """The Home tab for `user_id` as of `now`; `notice` says what their last click did."""
    schedule = schedule_of(session, team_id, user_id)
    row = session.get(PersonSettings, (team_id, user_id))
    has_manager = teams.manager_of(session, team_id, user_id) is not None
    is_manager = bool(teams.reports_of(session, team_id, user_id))
    has_priorities = bool(priorities.active(session, team_id, user_id))
    top: list[blocks.Block] = [blocks.context(notice)] if notice else []
    settings = _settings_part(row, schedule, has_manager, is_manager, now)
    mine = journal_views.journal_blocks(
        journal.journal(session, team_id, user_id), journal.journal_size(session, team_id, user_id)
    )
    if not (is_manager or has_manager or has_priorities or mine):
        body = top + _intro() + [blocks.divider()] + settings
        return {"type": "home", "blocks": body[:VIEW_LIMIT]}
    own = (
        _own_part(session, team_id, user_id, schedule, now) if has_manager or has_priorities else []
    )
    plans = _plans_part(session, team_id, user_id)
    reader = Reader.of(schedule, now)
    agreed = _agreed_part(session, team_id, user_id, has_manager, is_manager, reader, now)
    team: list[blocks.Block] = []
    own_loop: list[blocks.Block] = []
    if is_manager:
        own_loop = _loop_part(session, team_id, user_id, schedule, now)
        used = len(top) + len(own) + len(plans) + len(agreed) + len(own_loop) + len(mine)
        used += len(settings) + 6  # dividers
        team = _team_part(session, team_id, user_id, schedule.tz, now, VIEW_LIMIT - used)
    parts = [part for part in (team, own_loop, mine, plans, own, agreed, settings) if part]
    body = list(top)
    for index, part in enumerate(parts):
        if index:
            body.append(blocks.divider())
        body.extend(part)
    return {"type": "home", "blocks": body[:VIEW_LIMIT]}
