"""What each scheduler pass does for one-on-ones: the agenda and the prep, `lead_minutes` before.

Writes as it plans: a pair's next meeting moves on in the pass's transaction, and the
outbox key names the meeting (`period` is its local date and time in the manager's zone),
so a replayed pass, a restart or a second scheduler sends each meeting's agenda once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import teams
from bot.models import OneOnOne
from bot.oneonones import gather, views
from bot.oneonones.agenda import Pair
from bot.oneonones.cadence import OFF, ONCE, Cadence, next_meeting, occurrence_name
from bot.outbox import Planned
from bot.preferences.person import schedule_of
from bot.schedule import parse_time

AGENDA_KIND = "oneonone_agenda"
PREP_KIND = "oneonone_prep"
BATCH = 500


def cadence_of(row: OneOnOne) -> Cadence:
    at = parse_time(row.at_time)
    assert at is not None
    return Cadence(row.cadence, row.days, at, row.anchor)


def plan_one_on_ones(session: Session, now: datetime) -> list[Planned]:
    """Agendas and preps whose time has come; each pair's next meeting moves on."""
    due = list(
        session.scalars(
            select(OneOnOne)
            .where(OneOnOne.agenda_due_at <= now, OneOnOne.cadence != OFF)
            .order_by(OneOnOne.agenda_due_at)
            .limit(BATCH)
        )
    )
    planned: list[Planned] = []
    for row in due:
        pair = Pair(row.team_id, row.manager_id, row.report_id)
        meeting = row.next_at
        zone = schedule_of(session, row.team_id, row.manager_id).zone
        if teams.manager_of(session, row.team_id, row.report_id) != row.manager_id:
            row.cadence, row.next_at, row.agenda_due_at = OFF, None, None  # the line ended
            continue
        if meeting is not None and meeting > now:  # missed meetings get no agenda after
            planned.extend(meeting_messages(session, pair, meeting, zone.key, now))
        following = (
            None
            if row.cadence == ONCE
            else next_meeting(cadence_of(row), zone, max(meeting or now, now))
        )
        row.next_at = following
        row.agenda_due_at = following - timedelta(minutes=row.lead_minutes) if following else None
        if following is None:
            row.cadence = OFF
    return planned


def meeting_messages(
    session: Session, pair: Pair, meeting: datetime, tz: str, now: datetime
) -> list[Planned]:
    """The shared agenda (to the pair's group DM) and the manager's prep, due now."""
    occurrence = occurrence_name(meeting, ZoneInfo(tz))
    agenda = views.agenda_message(gather.agenda(session, pair, occurrence, now), meeting)
    prep = views.prep_message(gather.prep(session, pair, occurrence, now), meeting)
    expires = max(meeting, now + timedelta(minutes=5))

    def due_now(recipient: str, kind: str, subject: str, body: dict[str, Any]) -> Planned:
        return Planned(
            team_id=pair.team_id,
            recipient_id=recipient,
            kind=kind,
            subject=subject,
            period=occurrence,
            body=body,
            not_before=now,
            expires_at=expires,
            reason=kind.replace("_", " "),
            extra={"at": meeting.isoformat()},
        )

    return [
        due_now(pair.group, AGENDA_KIND, pair.key, agenda),
        due_now(pair.manager_id, PREP_KIND, pair.report_id, prep),
    ]
