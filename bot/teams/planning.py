"""What each scheduler pass does for teams: requests nobody answered lapse."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import outbox
from bot.models import TeamRequest
from bot.outbox import Planned
from bot.prompts import mention, render
from bot.teams.rules import EXPIRED

BATCH = 500


def plan_lapsed_requests(session: Session, now: datetime) -> list[Planned]:
    """Close requests 14 days old without an answer; tell each manager once.

    Writes as it plans: each lapsed request is closed in the pass's transaction, so a
    replayed pass finds nothing left to tell.
    """
    lapsed = list(
        session.scalars(
            select(TeamRequest)
            .where(TeamRequest.answer.is_(None), TeamRequest.expires_at <= now)
            .order_by(TeamRequest.expires_at, TeamRequest.id)
            .limit(BATCH)
        )
    )
    planned = []
    for request in lapsed:
        request.answer, request.answered_at = EXPIRED, now
        text = render("team.request.lapsed", person=mention(request.report_id))
        note = outbox.note(
            request.team_id, request.manager_id, "team_request_lapsed", str(request.id), text, now
        )
        planned.append(note)
    return planned
