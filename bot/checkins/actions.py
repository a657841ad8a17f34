"""What people do with their check-ins: one use case for each.

`/checkin` sends today's now; `/checkin time|days|snooze|off|on` change when they come, and
`/checkin help` describes that. On the DM: answer a priority, "No changes today", open the
note form, submit it.

Each is a use case (`bot.usecase`): it takes the session, the actor and `now`. What comes
back from Slack (a check-in id on a button or in the form, a priority id) is only a claim:
it is looked up and must belong to the actor. The message to edit is the DM the check-in
was sent as (its outbox row holds the channel and ts), never one the request names.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import claims, nudges, outbox, plans, priorities, teams
from bot.checkins import answers, planning, views
from bot.checkins.views import CHECKIN
from bot.focus.checkin import checkin_part
from bot.models import Checkin, OutboxMessage, PersonSettings, Priority
from bot.preferences.person import (
    ensure,
    refresh_next_checkin,
    schedule_of,
    snooze_last_day_of,
)
from bot.preferences.workspace import workspace_defaults
from bot.prompts import render
from bot.refusal import Refusal
from bot.schedule import Schedule, describe_days, hhmm, parse_days, parse_time
from bot.usecase import Actor, Outcome

# --- /checkin -------------------------------------------------------------------------------


def send_checkin_now(session: Session, actor: Actor, *, now: datetime) -> Outcome:
    """`/checkin`: today's check-in at once, outside the usual time; once a day."""
    team_id, user_id = actor.team_id, actor.user_id
    schedule = schedule_of(session, team_id, user_id)
    checkin = planning.create_today(session, team_id, user_id, schedule, now)
    if checkin is None:
        return Outcome(text=render("checkin.command.already_today"))
    items = priorities.active(session, team_id, user_id)
    reason = "asked for with /checkin"
    steps = plans.open_steps(session, team_id, user_id)
    focus = checkin_part(session, team_id, user_id, checkin.local_date)
    planned = views.checkin_dm(
        team_id, user_id, checkin, items, None, now, reason, steps=steps, focus=focus
    )
    outcome = Outcome(text=render("checkin.command.sent_now"))
    outcome.queue(outbox.enqueue(session, planned, now))
    refresh_next_checkin(session, team_id, user_id, now)
    return outcome


def describe_checkins(session: Session, actor: Actor, *, now: datetime) -> Outcome:
    """`/checkin help`: the commands, and when the actor's check-ins come."""
    return Outcome(text=views.usage(schedule_of(session, actor.team_id, actor.user_id), now))


def set_checkin_time(session: Session, actor: Actor, text: str, *, now: datetime) -> Outcome:
    """`/checkin time 09:45`: when check-ins arrive, in the actor's local time."""
    value = parse_time(text)
    if value is None:
        raise Refusal("checkin.command.bad_time", text=text)
    row, schedule = _own(session, actor, now)
    if not schedule.within_hours(value):
        raise Refusal(
            "checkin.command.outside_hours",
            start=hhmm(schedule.work_start),
            end=hhmm(schedule.work_end),
        )
    row.checkin_time = hhmm(value)
    reply = render("checkin.command.time_set", time=hhmm(value), tz=schedule.tz)
    return _rescheduled(session, actor, now, reply)


def set_checkin_days(session: Session, actor: Actor, text: str, *, now: datetime) -> Outcome:
    """`/checkin days sun-thu`: the actor's working days (everything from Sprout follows them)."""
    mask = parse_days(text)
    if mask is None:
        raise Refusal("checkin.command.bad_days", text=text)
    if "1" not in mask:
        raise Refusal("checkin.command.no_days")
    row, _ = _own(session, actor, now)
    row.work_days = mask
    reply = render("checkin.command.days_set", days=describe_days(mask))
    return _rescheduled(session, actor, now, reply)


def snooze_checkins(session: Session, actor: Actor, text: str, *, now: datetime) -> Outcome:
    """`/checkin snooze 3d` (or `until 2026-12-01`): no check-ins through a date."""
    row, schedule = _own(session, actor, now)
    until = snooze_last_day_of(text, schedule, now, "checkin.command")
    row.snoozed_until = until
    reply = render("checkin.command.snoozed", date=until.strftime("%a %-d %b %Y"))
    return _rescheduled(session, actor, now, reply)


def turn_checkins_off(session: Session, actor: Actor, *, now: datetime) -> Outcome:
    """`/checkin off`: no check-ins until `/checkin on`."""
    row, _ = _own(session, actor, now)
    row.checkins_off = True
    return _rescheduled(session, actor, now, render("checkin.command.off"))


def turn_checkins_on(session: Session, actor: Actor, *, now: datetime) -> Outcome:
    """`/checkin on`: check-ins again, a snooze ended too."""
    row, schedule = _own(session, actor, now)
    row.checkins_off = False
    row.snoozed_until = None
    reply = render(
        "checkin.command.on",
        time=hhmm(schedule.checkin_start),
        days=describe_days(schedule.work_days),
    )
    return _rescheduled(session, actor, now, reply)


def choose_cadence(session: Session, actor: Actor, choice: str, *, now: datetime) -> Outcome:
    """The back-off question answered: check-ins daily, weekly, or paused (`/checkin off`)."""
    if choice not in views.CADENCES:
        raise Refusal("checkin.not_found")
    row, _ = _own(session, actor, now)
    row.checkin_cadence = choice
    row.cadence_asked_at = row.cadence_asked_at or now
    row.checkins_off = choice == "paused"
    return _rescheduled(session, actor, now, render(f"checkin.cadence.{choice}"))


def _own(session: Session, actor: Actor, now: datetime) -> tuple[PersonSettings, Schedule]:
    """The actor's preferences row, and their schedule as it stands before the change."""
    schedule = schedule_of(session, actor.team_id, actor.user_id)
    return ensure(session, actor.team_id, actor.user_id, now), schedule


def _rescheduled(session: Session, actor: Actor, now: datetime, reply: str) -> Outcome:
    """After a change: the next check-in is one still ahead (no catch-up), Home shows it."""
    refresh_next_checkin(session, actor.team_id, actor.user_id, now, from_now=True)
    return Outcome(text=reply, homes=[actor.user_id])


# --- the check-in DM ------------------------------------------------------------------------


def answer_priority(
    session: Session,
    actor: Actor,
    checkin_id: str,
    priority_id: str,
    answer: str,
    *,
    now: datetime,
) -> Outcome:
    """One answer button: on track, at risk, blocked or done, for one priority.

    A press on a priority already answered (a stale copy of the message) changes nothing
    and says nothing: the message already shows the answer.
    """
    checkin = _own_checkin(session, actor, checkin_id)
    priority = _checkin_priority(session, checkin, priority_id)
    if answer not in views.ANSWERS or priority is None:
        raise Refusal("checkin.not_found")
    raised = nudges.raises_urgent(priority, answer)
    if not answers.record_answer(session, checkin, priority, answer, now):
        return Outcome()
    if raised:
        _tell_when_heard(session, checkin, now)
    return _as_it_stands(session, checkin, now)


def no_changes_today(session: Session, actor: Actor, checkin_id: str, *, now: datetime) -> Outcome:
    """ "No changes today": every priority not answered yet stays as it is, checked."""
    checkin = _own_checkin(session, actor, checkin_id)
    active = priorities.active(session, checkin.team_id, checkin.user_id)
    answers.record_no_changes(session, checkin, active, now)
    return _as_it_stands(session, checkin, now)


def open_note_form(session: Session, actor: Actor, checkin_id: str, *, now: datetime) -> Outcome:
    """ "Add a note or blocker": the form (the value), listing the actor's active priorities."""
    checkin = _own_checkin(session, actor, checkin_id)
    active = priorities.active(session, checkin.team_id, checkin.user_id)
    manager = teams.manager_of(session, checkin.team_id, checkin.user_id)
    return Outcome(value=views.note_form(checkin.id, active, manager))


def add_note(
    session: Session, actor: Actor, checkin_id: str, values: dict[str, Any], *, now: datetime
) -> Outcome:
    """The note form, submitted (`values`: its state): a note on a priority or on the day,
    maybe a blocker. What the form lacks comes back as per-field errors (the value).

    A priority picked that is no longer active (or not the actor's) is left out: the note
    is kept on the day instead.
    """
    form = answers.read_note_form(values)
    if form.errors:
        return Outcome(refused=True, value=form.errors)
    checkin = _own_checkin(session, actor, checkin_id)
    priority = _checkin_priority(session, checkin, form.priority_id)
    if priority is not None and priority.state != priorities.ACTIVE:
        priority = None
    blocked = priorities.BLOCKED
    raised = form.blocker and (priority is None or nudges.raises_urgent(priority, blocked))
    answers.record_note(
        session, checkin, priority, form.text, form.blocker, now, private=form.private
    )
    if raised:
        _tell_when_heard(session, checkin, now)
    return _as_it_stands(session, checkin, now)


def _tell_when_heard(session: Session, checkin: Checkin, now: datetime) -> None:
    """The check-in says, under the answers, when the manager will see the blocker."""
    heard = nudges.manager_hears(session, checkin.team_id, checkin.user_id, now)
    if heard:
        checkin.answers = {**(checkin.answers or {}), views.HEARD: heard}


def _own_checkin(session: Session, actor: Actor, claimed_id: str) -> Checkin:
    """The check-in a button or form names, if it is the actor's own."""
    number = claims.claimed_id(claimed_id)
    checkin = session.get(Checkin, number) if number is not None else None
    if checkin is None or (checkin.team_id, checkin.user_id) != (actor.team_id, actor.user_id):
        raise Refusal("checkin.not_found")
    return checkin


def _checkin_priority(session: Session, checkin: Checkin, claimed_id: str) -> Priority | None:
    """The priority a button or form names, if it belongs to the check-in's owner."""
    number = claims.claimed_id(claimed_id)
    priority = session.get(Priority, number) if number is not None else None
    if priority is None or (priority.team_id, priority.owner_id) != (
        checkin.team_id,
        checkin.user_id,
    ):
        return None
    return priority


def _as_it_stands(session: Session, checkin: Checkin, now: datetime) -> Outcome:
    """The check-in message as it should read now (stale flags included), the DM to edit
    (the value: channel and ts, None if it never went out), and the Homes that changed:
    the person's and their manager's."""
    items = answers.shown_priorities(session, checkin)
    schedule = schedule_of(session, checkin.team_id, checkin.user_id)
    after = workspace_defaults(session, checkin.team_id)["stale_after_working_days"]
    flags = planning.stale_flags(items, schedule, now, after)
    return Outcome(
        message=views.checkin_message(
            checkin,
            items,
            flags,
            steps=plans.checkin_steps(
                session, *_whose(checkin), schedule.at(checkin.local_date, time(0, 0))
            ),
            focus=checkin_part(session, *_whose(checkin), checkin.local_date),
        ),
        value=_sent_as(session, checkin),
        homes=[checkin.user_id, teams.manager_of(session, checkin.team_id, checkin.user_id)],
    )


def _whose(checkin: Checkin) -> tuple[str, str]:
    return checkin.team_id, checkin.user_id


def message_today(
    session: Session, team_id: str, user_id: str, day: date, now: datetime
) -> dict[str, Any] | None:
    """The person's check-in of `day` as it reads now (None: they had none that day)."""
    checkin = session.scalar(
        select(Checkin).where(
            Checkin.team_id == team_id, Checkin.user_id == user_id, Checkin.local_date == day
        )
    )
    return _as_it_stands(session, checkin, now).message if checkin is not None else None


def message_sent_as(
    session: Session, team_id: str, user_id: str, ts: str, now: datetime
) -> Outcome | None:
    """The person's check-in whose DM is the message at `ts` (a claim: only their own
    check-in DMs are looked at), as it reads now, with where it is; None if `ts` is none."""
    if not ts:
        return None
    period = session.scalar(
        select(OutboxMessage.period).where(
            OutboxMessage.team_id == team_id,
            OutboxMessage.recipient_id == user_id,
            OutboxMessage.kind == CHECKIN,
            OutboxMessage.subject == "",
            OutboxMessage.ts == ts,
        )
    )
    checkin = None
    if period is not None:
        checkin = session.scalar(
            select(Checkin).where(
                Checkin.team_id == team_id,
                Checkin.user_id == user_id,
                Checkin.local_date == date.fromisoformat(period),
            )
        )
    return _as_it_stands(session, checkin, now) if checkin is not None else None


def _sent_as(session: Session, checkin: Checkin) -> tuple[str, str] | None:
    """The channel and ts of the DM this check-in went out as (its outbox row's key)."""
    row = session.execute(
        select(OutboxMessage.channel, OutboxMessage.ts).where(
            OutboxMessage.team_id == checkin.team_id,
            OutboxMessage.recipient_id == checkin.user_id,
            OutboxMessage.kind == CHECKIN,
            OutboxMessage.subject == "",
            OutboxMessage.period == checkin.local_date.isoformat(),
        )
    ).first()
    if row is None or not row.channel or not row.ts:
        return None
    return row.channel, row.ts
