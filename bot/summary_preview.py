"""`/coach summary`: this week's team summary so far, sent to the manager at once.

A preview: it does not count as the week's summary, which still comes on its day.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot import outbox, summary, teams
from bot.prompts import render
from bot.refusal import Refusal
from bot.usecase import Actor, Outcome


def send_preview(session: Session, actor: Actor, *, now: datetime) -> Outcome:
    """The actor's summary so far, in their DMs; only a manager has one."""
    if not teams.reports_of(session, actor.team_id, actor.user_id):
        raise Refusal("coach.summary_no_team")
    planned = summary.preview(session, actor.team_id, actor.user_id, now)
    outcome = Outcome(text=render("coach.summary_sent"))
    outcome.queue(outbox.enqueue(session, planned, now))
    return outcome
