"""What a manager does with the week's reflection: open the form, answer, or skip.

Each is a use case (`bot.usecase`). The entry's id comes back from Slack (a button's value,
the form's metadata) as a claim: it is looked up and must be the actor's own entry, or
nothing is shown and nothing changes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot import summary
from bot.claims import claimed_id
from bot.models import Reflection
from bot.preferences.person import schedule_of
from bot.prompts import render
from bot.reflections import store, views
from bot.refusal import Refusal
from bot.usecase import Actor, FormAnswer, Outcome


def _own(session: Session, actor: Actor, claim: str) -> Reflection:
    entry = store.readable(session, actor.team_id, actor.user_id, claimed_id(claim))
    if entry is None:
        raise Refusal("reflection.not_yours")
    return entry


def open_form(session: Session, actor: Actor, claim: str, *, now: datetime) -> Outcome:
    """*Answer*: the form (value), with an earlier answer to change; or why not (text)."""
    return Outcome(value=views.form_view(_own(session, actor, claim)))


def skip(session: Session, actor: Actor, claim: str, *, now: datetime) -> Outcome:
    """*Skip*: noted, nothing asked again; an answer already given stays."""
    entry = _own(session, actor, claim)
    if entry.answered_at is not None:
        return Outcome(text=render("reflection.skip_answered"))
    entry.skipped_at = now
    return Outcome(text=render("reflection.skipped"))


def answer(
    session: Session, actor: Actor, claim: str, values: dict[str, Any], *, now: datetime
) -> Outcome:
    """Save the answer to the actor's own entry (again: it replaces the last); value: a
    FormAnswer. The figures are taken again when it is still that week."""
    try:
        entry = _own(session, actor, claim)
    except Refusal as refusal:
        return Outcome(refused=True, value=FormAnswer({}, views.notice_view(refusal.render())))
    text, rating, errors = _read(values)
    if errors:
        return Outcome(refused=True, value=FormAnswer(errors))
    again = entry.answered_at is not None
    if schedule_of(session, actor.team_id, actor.user_id).iso_week(now) == entry.week:
        entry.figures = summary.figures(summary.compute(session, actor.team_id, actor.user_id, now))
    entry.answer, entry.rating = text, rating
    entry.answered_at, entry.skipped_at = now, None
    saved = render("reflection.form.updated" if again else "reflection.form.saved")
    return Outcome(value=FormAnswer({}, views.notice_view(saved)), homes=[actor.user_id])


def _read(values: dict[str, Any]) -> tuple[str, int, dict[str, str]]:
    typed = (values.get(views.TEXT_BLOCK) or {}).get(views.TEXT) or {}
    text = str(typed.get("value") or "").strip()
    picked = ((values.get(views.RATING_BLOCK) or {}).get(views.RATING) or {}).get(
        "selected_option"
    ) or {}
    raw = str(picked.get("value", ""))
    errors: dict[str, str] = {}
    if not text:
        errors[views.TEXT_BLOCK] = render("reflection.form.empty")
    elif len(text) > store.ANSWER_LIMIT:
        errors[views.TEXT_BLOCK] = render("reflection.form.too_long", limit=store.ANSWER_LIMIT)
    if raw not in {str(n) for n in store.RATINGS}:
        errors[views.RATING_BLOCK] = render("reflection.form.no_rating")
    return text, int(raw) if not errors else 0, errors
