"""*Send now anyway*: the person who caused a held DM sends it before the recipient's
working hours, because they mean it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot import outbox
from bot.claims import claimed_id
from bot.models import OutboxMessage
from bot.prompts import mention, render
from bot.refusal import Refusal
from bot.usecase import Actor, Outcome


def send_anyway(session: Session, actor: Actor, outbox_id: str, *, now: datetime) -> Outcome:
    """Release the held DM `outbox_id` at once.

    The id came back from a button, so it is only a claim: it must name a DM still
    waiting, in the actor's workspace, that the actor caused.
    """
    number = claimed_id(outbox_id)
    row = session.get(OutboxMessage, number) if number is not None else None
    if (
        row is None
        or row.team_id != actor.team_id
        or (row.payload.get("extra") or {}).get(outbox.SENDER) != actor.user_id
        or row.status != outbox.PENDING
        or row.not_before <= now
    ):
        raise Refusal("common.held.gone")
    row.expires_at = max(row.expires_at, now + outbox.DEFAULT_EXPIRY)
    row.not_before = now
    outcome = Outcome(text=render("common.held.sent_anyway", person=mention(row.recipient_id)))
    outcome.queue(row.id)
    return outcome
