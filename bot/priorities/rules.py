"""A person's few priorities, as plain rules and a store: adding, updating, finishing,
with a history of every change."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import events
from bot.claims import claimed_id
from bot.models import Priority, PriorityChange
from bot.refusal import Refusal
from bot.schedule import Schedule

ACTIVE, DONE, DROPPED = "active", "done", "dropped"
ON_TRACK, AT_RISK, BLOCKED = "on_track", "at_risk", "blocked"
HEALTHS = (ON_TRACK, AT_RISK, BLOCKED)
TITLE_LIMIT = 200
NOTE_LIMIT = 1000


def is_stale(
    priority: Priority, owner: Schedule, now: datetime, after_working_days: int
) -> str | None:
    """'overdue', 'stale' or None: is this active priority worth a conversation?

    Stale means no update and no check-in answer for `after_working_days` of the
    owner's own working days.
    """
    if priority.due_on is not None and priority.due_on < owner.local_date(now):
        return "overdue"
    if owner.working_days_between(priority.touched_at, now) >= after_working_days:
        return "stale"
    return None


def health_from_word(word: str) -> str | None:
    """'on-track', 'on track', 'at-risk', 'blocked' -> a stored health value."""
    cleaned = word.strip().lower().replace("-", "_").replace(" ", "_")
    return cleaned if cleaned in HEALTHS else None


def active(session: Session, team_id: str, owner_id: str) -> list[Priority]:
    """Active priorities, oldest first: their positions are the numbers people type."""
    return list(
        session.scalars(
            select(Priority)
            .where(
                Priority.team_id == team_id, Priority.owner_id == owner_id, Priority.state == ACTIVE
            )
            .order_by(Priority.created_at, Priority.id)
        )
    )


def active_by_owner(
    session: Session, team_id: str, owner_ids: list[str]
) -> dict[str, list[Priority]]:
    """Active priorities for many people in one query."""
    result: dict[str, list[Priority]] = {owner: [] for owner in owner_ids}
    if not owner_ids:
        return result
    rows = session.scalars(
        select(Priority)
        .where(
            Priority.team_id == team_id, Priority.owner_id.in_(owner_ids), Priority.state == ACTIVE
        )
        .order_by(Priority.created_at, Priority.id)
    )
    for priority in rows:
        result[priority.owner_id].append(priority)
    return result


def named(session: Session, team_id: str, claim: str) -> Priority | None:
    """The priority in this workspace whose id `claim` spells, if any.

    `claim` comes back from Slack (a button's value): anything may be in it, and the
    priority it names may be anyone's, so the caller still checks who may touch it.
    """
    number = claimed_id(claim)
    priority = session.get(Priority, number) if number is not None else None
    return priority if priority is not None and priority.team_id == team_id else None


def numbered(session: Session, team_id: str, owner_id: str, number: int) -> Priority:
    """The owner's active priority number `number` (1-based), or a refusal saying why not."""
    items = active(session, team_id, owner_id)
    if not items:
        raise Refusal("priority.refuse.none_yet")
    if not 1 <= number <= len(items):
        raise Refusal("priority.refuse.no_such_number", number=number, count=len(items))
    return items[number - 1]


def clean_title(title: str) -> str:
    title = " ".join(title.split())
    if not title:
        raise Refusal("priority.refuse.empty_title")
    if len(title) > TITLE_LIMIT:
        raise Refusal("priority.refuse.long_title", length=len(title), limit=TITLE_LIMIT)
    return title


def _log(session: Session, p: Priority, actor: str, now: datetime, field: str,
         old: object, new: object, source: str) -> None:  # fmt: skip
    session.add(
        PriorityChange(
            team_id=p.team_id,
            priority_id=p.id,
            by=actor,
            at=now,
            field=field,
            old=None if old is None else str(old),
            new=None if new is None else str(new),
            source=source,
        )
    )
    p.updated_by = actor
    p.updated_at = now
    p.touched_at = now


def add(
    session: Session,
    *,
    team_id: str,
    owner_id: str,
    actor_id: str,
    title: str,
    due_on: date | None,
    now: datetime,
    cap: int,
) -> Priority:
    count = session.scalar(
        select(func.count())
        .select_from(Priority)
        .where(Priority.team_id == team_id, Priority.owner_id == owner_id, Priority.state == ACTIVE)
    )
    if count is not None and count >= cap:
        key = "priority.refuse.cap_self" if owner_id == actor_id else "priority.refuse.cap_other"
        raise Refusal(key, limit=cap, owner=owner_id)
    priority = Priority(
        team_id=team_id,
        owner_id=owner_id,
        title=clean_title(title),
        due_on=due_on,
        state=ACTIVE,
        created_by=actor_id,
        created_at=now,
        updated_by=actor_id,
        updated_at=now,
        touched_at=now,
    )
    session.add(priority)
    session.flush()
    _log(session, priority, actor_id, now, "created", None, priority.title, "command")
    return priority


def finish(
    session: Session, p: Priority, state: str, actor: str, now: datetime, source: str
) -> bool:
    """Mark done or dropped; False if it was not active any more (a stale button)."""
    if p.state != ACTIVE:
        return False
    _log(session, p, actor, now, "state", p.state, state, source)
    p.state = state
    p.closed_at = now
    if state == DONE:
        events.record(
            session,
            team_id=p.team_id,
            kind=events.PRIORITY_DONE,
            user_id=p.owner_id,
            actor_id=actor,
            now=now,
            subject=str(p.id),
            detail={"title": p.title},
        )
    return True


def set_health(
    session: Session,
    p: Priority,
    health: str,
    actor: str,
    now: datetime,
    source: str,
    note: str | None = None,
) -> None:
    if p.state != ACTIVE:
        raise Refusal("priority.refuse.not_active", title=p.title, state=p.state)
    changed = health != p.health
    _log(session, p, actor, now, "health", p.health, health, source)  # a re-confirmation counts too
    p.health = health
    kind = {BLOCKED: events.BLOCKER, AT_RISK: events.AT_RISK}.get(health)
    if changed and kind:
        events.record(
            session,
            team_id=p.team_id,
            kind=kind,
            user_id=p.owner_id,
            actor_id=actor,
            now=now,
            subject=str(p.id),
            detail={"title": p.title, "note": note or ""},
        )
    if note:
        set_note(session, p, note, actor, now, source)


def set_note(
    session: Session, p: Priority, note: str, actor: str, now: datetime, source: str
) -> None:
    note = note.strip()
    if len(note) > NOTE_LIMIT:
        raise Refusal("priority.refuse.long_note", length=len(note), limit=NOTE_LIMIT)
    _log(session, p, actor, now, "note", p.note, note, source)
    p.note = note


def rename(session: Session, p: Priority, title: str, actor: str, now: datetime) -> None:
    title = clean_title(title)
    _log(session, p, actor, now, "title", p.title, title, "command")
    p.title = title


def set_due(session: Session, p: Priority, due_on: date | None, actor: str, now: datetime) -> None:
    _log(session, p, actor, now, "due", p.due_on, due_on, "command")
    p.due_on = due_on


def touch(session: Session, p: Priority, actor: str, now: datetime) -> None:
    """A check-in answer of 'no changes': the priority was looked at, so it is not stale."""
    _log(session, p, actor, now, "checkin", p.health, p.health, "checkin")
