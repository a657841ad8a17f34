"""What a person's answers to their check-in change: a priority's health or state, a note
or a blocker, "no changes today"; and reading the note form.

These write in the caller's transaction and trust their arguments: whose check-in and
whose priority they are is checked by the use cases in `actions`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import events, priorities
from bot.checkins.views import NOTE_LIMIT, OWN_NOTE, PRIVATE
from bot.models import Checkin, Priority
from bot.prompts import render


@dataclass(frozen=True)
class NoteForm:
    """The note form as submitted: `errors` by block id, when it cannot be saved as is."""

    text: str
    priority_id: str  # the priority picked, as the form says it (a claim); "" for none
    blocker: bool
    private: bool  # "Just for me": kept on the check-in alone, never shown to the manager
    errors: dict[str, str]


def read_note_form(values: dict[str, Any]) -> NoteForm:
    """The submitted state (`view.state.values`) of the note form."""

    def field(block_id: str) -> dict[str, Any]:
        return (values.get(block_id) or {}).get("value") or {}

    text = (field("note").get("value") or "").strip()
    errors = {}
    if not text:
        errors["note"] = render("checkin.modal.empty_note")
    elif len(text) > NOTE_LIMIT:
        errors["note"] = render("checkin.modal.long_note", limit=NOTE_LIMIT)
    blocker = bool(field("blocker").get("selected_options"))
    private = bool(field(PRIVATE).get("selected_options"))
    if blocker and private:
        errors[PRIVATE] = render("checkin.modal.private_blocker")
    return NoteForm(
        text=text,
        priority_id=str((field("priority").get("selected_option") or {}).get("value") or ""),
        blocker=blocker,
        private=private,
        errors=errors,
    )


def shown_priorities(session: Session, checkin: Checkin) -> list[Priority]:
    """What the check-in shows: active priorities, plus those it already closed."""
    answered = [int(k) for k in (checkin.answers or {}) if k.isdigit()]
    rows = session.scalars(
        select(Priority)
        .where(
            Priority.team_id == checkin.team_id,
            Priority.owner_id == checkin.user_id,
            (Priority.state == priorities.ACTIVE) | Priority.id.in_(answered or [-1]),
        )
        .order_by(Priority.created_at, Priority.id)
    )
    return list(rows)


def record_answer(
    session: Session, checkin: Checkin, priority: Priority, answer: str, now: datetime
) -> bool:
    """Apply one button press; False if that priority was answered already (a stale button)."""
    answers = dict(checkin.answers or {})
    key = str(priority.id)
    if key in answers:
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
    """Every priority not answered yet is touched: still current, nothing new."""
    answers = dict(checkin.answers or {})
    for priority in items:
        if str(priority.id) not in answers:
            priorities.touch(session, priority, checkin.user_id, now)
            answers[str(priority.id)] = "no_change"
    _answered(checkin, answers, now)


def record_note(
    session: Session,
    checkin: Checkin,
    priority: Priority | None,
    note: str,
    blocker: bool,
    now: datetime,
    *,
    private: bool = False,
) -> None:
    """A note on a priority (blocked, if so ticked), or on the day when none was picked;
    a blocker on the day is kept as an event for the manager. A `private` note is kept on
    the check-in alone: no priority, event or log that a manager's view reads holds it."""
    user = checkin.user_id
    answers = dict(checkin.answers or {})
    if private:  # its author's alone (`visibility.may_read_checkin_note`)
        answers[OWN_NOTE] = note
        _answered(checkin, answers, now)
        return
    if priority is not None and blocker:
        priorities.set_health(
            session, priority, priorities.BLOCKED, user, now, "checkin", note=note
        )
        answers[str(priority.id)] = priorities.BLOCKED
    elif priority is not None:
        priorities.set_note(session, priority, note, user, now, "checkin")
    elif blocker:
        events.record(
            session,
            team_id=checkin.team_id,
            kind=events.BLOCKER,
            user_id=user,
            actor_id=user,
            now=now,
            detail={"note": note},
        )
    answers["note"] = note
    _answered(checkin, answers, now)


def _answered(checkin: Checkin, answers: dict[str, str], now: datetime) -> None:
    checkin.answers = answers  # a new dict, so the JSON column sees the change
    if checkin.answered_at is None:
        checkin.answered_at = now
