"""What a report's daily check-in shows of their focus: it, and the day's one tap."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from bot import blocks
from bot.focus import store, views


def checkin_part(session: Session, team_id: str, user_id: str, day: date) -> list[blocks.Block]:
    """The focus `user_id` practises with their manager, with *Practised it today* unless
    they tapped it on `day` (their local date); nothing when they have none."""
    focus = store.current(session, team_id, user_id, user_id)
    if focus is None:
        return []
    return views.checkin_blocks(focus, store.practised_on(session, focus.id, day))
