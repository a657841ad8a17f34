"""Daily check-ins: who is due one now, what it says, and what an answer changes.

The planners read only people whose `next_checkin_at` has come (an indexed column),
so a pass costs a few queries for the people due, not one per member.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from bot import blocks, priorities, workspace_settings
from bot.db import insert_ignoring_duplicates
from bot.models import Checkin, Member, PersonSettings, Priority, ReportingLine
from bot.outbox import Planned
from bot.person_settings import resolve
from bot.prompts import Safe, render
from bot.schedule import Schedule

CHECKIN = "checkin"
REMINDER = "checkin_reminder"
ANSWER = "checkin_answer_"  # + the answer: action ids must differ within a block
NOTE = "checkin_note"
NO_CHANGES = "checkin_no_changes"
ANSWERS = (priorities.ON_TRACK, priorities.AT_RISK, priorities.BLOCKED, priorities.DONE)
MAX_SHOWN = 20  # two blocks each, inside the 50-block message limit
PER_PASS = 2000  # people considered in one pass: bounds a pass's time and memory
# A reminder falls due less than a day before its check-in's window ends (reminder_at), so
# one due longer ago than this could only be skipped: the scan leaves it out and reads the
# last days' check-ins, not every unanswered one ever sent.
REMINDER_LOOKBACK = timedelta(days=2)


@dataclass(frozen=True)
class Decision:
    """For one person at `now`: which day's check-in to send (or skip), and when to look again."""

    day: date | None
    skip_reason: str | None
    next_at: datetime | None


def decide(
    schedule: Schedule,
    now: datetime,
    last_sent: date | None,
    *,
    has_manager: bool,
    reachable: bool,
    away: bool,
) -> Decision:
    """The check-in decision for one person, as a pure function of their state and `now`."""
    if not has_manager or not reachable:
        return Decision(None, None, None)
    day = schedule.checkin_due(now)
    if day is None or (last_sent is not None and day <= last_sent):
        return Decision(None, None, schedule.next_checkin(now, last_sent))
    return Decision(day, "away" if away else None, schedule.next_checkin(now, day))


def plan_checkins(session: Session, now: datetime) -> list[Planned]:
    """Create today's check-ins for everyone whose time has come, and schedule their next."""
    rows = session.execute(
        select(PersonSettings, Member, ReportingLine.manager_id)
        .outerjoin(
            Member,
            and_(
                Member.team_id == PersonSettings.team_id, Member.user_id == PersonSettings.user_id
            ),
        )
        .outerjoin(
            ReportingLine,
            and_(
                ReportingLine.team_id == PersonSettings.team_id,
                ReportingLine.report_id == PersonSettings.user_id,
            ),
        )
        .where(PersonSettings.next_checkin_at <= now)
        .order_by(PersonSettings.next_checkin_at)
        .limit(PER_PASS)  # the rest follow in the next passes, well inside their window
    ).all()
    if not rows:
        return []
    last = _last_dates(session, [(s.team_id, s.user_id) for s, _, _ in rows])
    defaults = {
        team: workspace_settings.get(session, team) for team in {s.team_id for s, _, _ in rows}
    }
    decided: list[tuple[PersonSettings, Schedule, Decision]] = []
    for settings, member, manager_id in rows:
        schedule = resolve(settings, member, defaults[settings.team_id])
        decision = decide(
            schedule,
            now,
            last.get((settings.team_id, settings.user_id)),
            has_manager=manager_id is not None,
            reachable=member is not None and not (member.deleted or member.unreachable),
            away=member is not None and member.away_until is not None and member.away_until > now,
        )
        settings.next_checkin_at = decision.next_at
        if decision.day is not None:
            decided.append((settings, schedule, decision))
    active = _active_priorities(session, [s for s, _, d in decided if d.skip_reason is None])
    planned: list[Planned] = []
    for settings, schedule, decision in decided:
        items = active.get((settings.team_id, settings.user_id), [])
        checkin_id = _create(session, settings, schedule, decision, now, expects_answer=bool(items))
        if checkin_id is None or decision.skip_reason is not None or decision.day is None:
            continue
        # Rendering needs only these fields: no need to load the row back.
        checkin = Checkin(id=checkin_id, local_date=decision.day, answers={})
        planned.append(
            Planned(
                team_id=settings.team_id,
                recipient_id=settings.user_id,
                kind=CHECKIN,
                subject="",
                period=decision.day.isoformat(),
                body=checkin_message(
                    checkin,
                    items,
                    stale_flags(
                        items, schedule, now, defaults[settings.team_id]["stale_after_working_days"]
                    ),
                ),
                not_before=now,
                reason=f"check-in for {decision.day.isoformat()} ({len(items)} priorities)",
            )
        )
    return planned


def _active_priorities(
    session: Session, people: list[PersonSettings]
) -> dict[tuple[str, str], list[Priority]]:
    """Active priorities of everyone due, one query per workspace."""
    owners: dict[str, list[str]] = {}
    for settings in people:
        owners.setdefault(settings.team_id, []).append(settings.user_id)
    return {
        (team, owner): items
        for team, ids in owners.items()
        for owner, items in priorities.active_by_owner(session, team, ids).items()
    }


def _last_dates(session: Session, people: list[tuple[str, str]]) -> dict[tuple[str, str], date]:
    user_ids = sorted({user for _, user in people})
    rows = session.execute(
        select(Checkin.team_id, Checkin.user_id, func.max(Checkin.local_date))
        # The team too, so the (team, user, date) index serves it: no scan of all history.
        .where(Checkin.team_id.in_({team for team, _ in people}), Checkin.user_id.in_(user_ids))
        .group_by(Checkin.team_id, Checkin.user_id)
    )
    return {(team, user): day for team, user, day in rows}


def _create(
    session: Session,
    settings: PersonSettings,
    schedule: Schedule,
    decision: Decision,
    now: datetime,
    *,
    expects_answer: bool = True,
) -> int | None:
    """The day's check-in row; None if another pass or process created it first.

    A check-in with nothing to answer (no priorities yet) gets no reminder.
    """
    assert decision.day is not None
    _, window_end = schedule.checkin_window(decision.day)
    skipped = decision.skip_reason is not None
    return insert_ignoring_duplicates(
        session,
        Checkin,
        {
            "team_id": settings.team_id,
            "user_id": settings.user_id,
            "local_date": decision.day,
            "status": "skipped" if skipped else "sent",
            "skip_reason": decision.skip_reason,
            "planned_at": now,
            "reminder_due_at": (
                schedule.reminder_at(now, decision.day) if expects_answer and not skipped else None
            ),
            "window_ends_at": window_end,
            "answers": {},
        },
        ["team_id", "user_id", "local_date"],
        Checkin.id,
    )


def create_now(
    session: Session, team_id: str, user_id: str, schedule: Schedule, now: datetime
) -> Checkin | None:
    """`/checkin`: today's check-in on request, outside the usual time; None if there is one."""
    day = schedule.local_date(now)
    decision = Decision(day, None, None)
    settings = PersonSettings(team_id=team_id, user_id=user_id)
    checkin_id = _create(session, settings, schedule, decision, now, expects_answer=False)
    return session.get(Checkin, checkin_id) if checkin_id is not None else None


def plan_reminders(session: Session, now: datetime) -> list[Planned]:
    """One reminder for each unanswered check-in whose reminder time has come, within work hours."""
    rows = session.scalars(
        select(Checkin).where(
            Checkin.answered_at.is_(None),
            Checkin.reminder_due_at > now - REMINDER_LOOKBACK,
            Checkin.reminder_due_at <= now,
            Checkin.reminded_at.is_(None),
            Checkin.status == "sent",
        )
    ).all()
    planned = []
    for checkin in rows:
        checkin.reminded_at = now
        if checkin.window_ends_at is not None and now >= checkin.window_ends_at:
            continue  # the working day is over: let it be
        text = render("checkin.reminder", rotate=checkin.id)
        planned.append(
            Planned(
                team_id=checkin.team_id,
                recipient_id=checkin.user_id,
                kind=REMINDER,
                subject="",
                period=checkin.local_date.isoformat(),
                body=blocks.message(text, [blocks.section(text)]),
                not_before=now,
                reason="check-in not answered yet",
            )
        )
    return planned


# --- the message --------------------------------------------------------------------------


def stale_flags(
    items: list[Priority], owner: Schedule, now: datetime, after: int
) -> dict[int, str]:
    """Which priorities the check-in marks as stale or overdue (the nudge engine's rule)."""
    flags = {}
    for priority in items:
        why = priorities.is_stale(priority, owner, now, after)
        if why is not None:
            flags[priority.id] = why
    return flags


def checkin_message(
    checkin: Checkin, items: list[Priority], flags: dict[int, str] | None = None
) -> dict[str, Any]:
    """The check-in as it stands: answered priorities show their answer, the rest their buttons."""
    answers: dict[str, str] = checkin.answers or {}
    if not items and not any(k.isdigit() for k in answers):
        text = render("checkin.no_priorities")
        return blocks.message(text, [blocks.section(text)])
    greeting = render("checkin.greeting", rotate=checkin.id)
    body: list[blocks.Block] = [blocks.section(greeting)]
    shown = items[:MAX_SHOWN]
    for number, priority in enumerate(shown, start=1):
        line = render("checkin.priority_line", number=number, title=priority.title)
        line += due_label(priority, checkin.local_date)
        if flags and flags.get(priority.id) == "stale":  # overdue already shows "was due"
            line += render("checkin.flag_stale")
        answer = answers.get(str(priority.id))
        body.append(blocks.section(line, block_id=f"p{priority.id}"))
        if answer:
            body.append(blocks.context(render(f"checkin.answered.{answer}")))
        else:
            body.append(
                blocks.actions(
                    *[
                        blocks.button(
                            render(f"checkin.button.{choice}"),
                            ANSWER + choice,
                            f"{checkin.id}:{priority.id}:{choice}",
                            style="primary" if choice == priorities.DONE else None,
                        )
                        for choice in ANSWERS
                    ],
                    block_id=f"a{priority.id}",
                )
            )
    if len(items) > MAX_SHOWN:
        body.append(blocks.context(render("checkin.more", count=len(items) - MAX_SHOWN)))
    if answers.get("note"):
        body.append(blocks.context(render("checkin.noted", note=answers["note"])))
    if all(str(p.id) in answers for p in shown):
        body.append(blocks.context(render("checkin.all_answered", rotate=checkin.id)))
    else:
        body.append(
            blocks.actions(
                blocks.button(render("checkin.button.note"), NOTE, str(checkin.id)),
                blocks.button(render("checkin.button.no_changes"), NO_CHANGES, str(checkin.id)),
                block_id="checkin_footer",
            )
        )
    return blocks.message(render("checkin.text"), body)


def due_label(priority: Priority, today: date) -> str:
    """' · due Fri 4 Dec', or ' · was due ...' once past; empty without a due date."""
    if priority.due_on is None:
        return ""
    label = priority.due_on.strftime("%a %-d %b")
    key = "checkin.overdue" if priority.due_on < today else "checkin.due"
    return render(key, date=label)


def priority_line(number: int, priority: Priority, today: date, stale: bool = False) -> str:
    """How a priority reads in a list (`/priority`, Home): number, title, due, health, note."""
    health = render(f"priority.list.health_{priority.health}") if priority.health else ""
    line = render(
        "priority.list.line",
        number=number,
        title=priority.title,
        due=Safe(due_label(priority, today)),
        health=Safe(health),
    )
    if stale:
        line += render("home.me.stale")
    if priority.note:
        line += "\n" + render("priority.list.note", note=priority.note)
    return line


def record_answer(
    session: Session, checkin: Checkin, priority: Priority | None, answer: str, now: datetime
) -> bool:
    """Apply one button press; False if that priority was answered already (a stale button)."""
    answers = dict(checkin.answers or {})
    key = str(priority.id) if priority is not None else ""
    if priority is None or key in answers:
        return False
    if priority.state != priorities.ACTIVE:
        answers[key] = "closed"
    elif answer == priorities.DONE:
        priorities.finish(session, priority, priorities.DONE, checkin.user_id, now, "checkin")
        answers[key] = answer
    else:
        priorities.set_health(session, priority, answer, checkin.user_id, now, "checkin")
        answers[key] = answer
    _answered(checkin, answers, now)
    return True


def record_no_changes(
    session: Session, checkin: Checkin, items: list[Priority], now: datetime
) -> None:
    answers = dict(checkin.answers or {})
    for priority in items:
        if str(priority.id) not in answers:
            priorities.touch(session, priority, checkin.user_id, now)
            answers[str(priority.id)] = "no_change"
    _answered(checkin, answers, now)


def record_note(checkin: Checkin, note: str, now: datetime) -> None:
    answers = dict(checkin.answers or {})
    answers["note"] = note
    _answered(checkin, answers, now)


def _answered(checkin: Checkin, answers: dict[str, str], now: datetime) -> None:
    checkin.answers = answers  # a new dict, so the JSON column sees the change
    if checkin.answered_at is None:
        checkin.answered_at = now
