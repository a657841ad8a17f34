"""What a manager (or report) does with a nudge's buttons.

Each is a use case (`bot.usecase`). A button's value is only a claim: every one is looked
up and checked against the actor (and, for a digest's reminder, against the digest the
button was on) before anything changes.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import priorities, teams
from bot.models import NudgeSnooze, OutboxMessage, Priority
from bot.nudges.planning import REMIND_AFTER, manager_hears, raises_urgent
from bot.nudges.views import DIGEST, REMIND_LATER, status_request
from bot.preferences.person import schedule_of
from bot.prompts import mention, render
from bot.refusal import Refusal
from bot.usecase import Actor, Outcome, queue_in_hours

STATUS_ANSWERS = (priorities.DONE, *priorities.HEALTHS)


def remind_later(
    session: Session, actor: Actor, value: str, digest_ts: str | None, *, now: datetime
) -> Outcome:
    """ "Remind me in 3 days" on a digest: that line of the digest waits.

    Only a reminder the actor's own digest (the message the button was on) offered counts.
    """
    reason, _, user_id = value.partition(":")
    if not reason or not user_id or not _offered_in_digest(session, actor, value, digest_ts):
        raise Refusal("nudge.digest.remind_gone")
    # Three days means three days: until the start of the manager's day three days on, so
    # that day's digest (whatever minute it runs) brings them up again.
    schedule = schedule_of(session, actor.team_id, actor.user_id)
    until = schedule.at(schedule.local_date(now) + REMIND_AFTER, time(0, 0))
    key = (actor.team_id, actor.user_id, user_id, reason)
    snooze = session.get(NudgeSnooze, key)
    if snooze is None:
        snooze = NudgeSnooze(
            team_id=actor.team_id, manager_id=actor.user_id, user_id=user_id, reason=reason
        )
        session.add(snooze)
    snooze.until = until
    return Outcome(text=render("nudge.digest.reminded", person=mention(user_id)))


def _offered_in_digest(session: Session, actor: Actor, value: str, ts: str | None) -> bool:
    if not ts:
        return False
    digest = session.scalar(
        select(OutboxMessage).where(
            OutboxMessage.team_id == actor.team_id,
            OutboxMessage.recipient_id == actor.user_id,
            OutboxMessage.kind == DIGEST,
            OutboxMessage.ts == ts,
        )
    )
    if digest is None:
        return False
    return any(
        element.get("action_id") == REMIND_LATER and element.get("value") == value
        for block in digest.payload.get("blocks") or []
        for element in _elements(block)
    )


def _elements(block: dict[str, Any]) -> list[dict[str, Any]]:
    accessory = block.get("accessory")
    return [*(block.get("elements") or []), *([accessory] if accessory else [])]


def ask_about(session: Session, actor: Actor, priority_id: str, *, now: datetime) -> Outcome:
    """ "Ask about it": a one-tap status request to the owner of a report's priority."""
    priority = _priority(session, actor, priority_id)
    if priority is None:
        raise Refusal("nudge.ask.gone")
    if teams.manager_of(session, actor.team_id, priority.owner_id) != actor.user_id:
        raise Refusal("priority.refuse.not_your_report", person=mention(priority.owner_id))
    if priority.state != priorities.ACTIVE:
        raise Refusal("nudge.ask.gone")
    day = schedule_of(session, actor.team_id, priority.owner_id).local_date(now)
    outcome = Outcome(
        text=render("nudge.ask.sent", person=mention(priority.owner_id), title=priority.title)
    )
    planned = status_request(priority, actor.user_id, now, day)
    outcome.queue(queue_in_hours(session, planned, actor.user_id, now))
    return outcome


def answer_status_request(
    session: Session, actor: Actor, priority_id: str, answer: str, *, now: datetime
) -> Outcome:
    """The owner's one-tap answer to "how is it going?"."""
    priority = _priority(session, actor, priority_id)
    if priority is None or priority.owner_id != actor.user_id or answer not in STATUS_ANSWERS:
        raise Refusal("nudge.ask.not_yours")
    if priority.state != priorities.ACTIVE:
        raise Refusal("nudge.ask.gone")
    manager = teams.manager_of(session, actor.team_id, actor.user_id)
    urgent = raises_urgent(priority, answer)
    if answer == priorities.DONE:
        priorities.finish(session, priority, priorities.DONE, actor.user_id, now, "status_request")
    else:
        priorities.set_health(session, priority, answer, actor.user_id, now, "status_request")
    text = render(
        "nudge.ask.answered", title=priority.title, answer=render(f"checkin.answered.{answer}")
    )
    if urgent:
        text += "\n" + manager_hears(session, actor.team_id, actor.user_id, now)
    return Outcome(text=text.strip(), homes=[actor.user_id, manager])


def _priority(session: Session, actor: Actor, priority_id: str) -> Priority | None:
    return priorities.named(session, actor.team_id, priority_id)
