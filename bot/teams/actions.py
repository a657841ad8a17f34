"""What people do with teams: list, add, remove, and "that's not right".

Each is a use case (`bot.usecase`): it takes the session, the actor and `now`, decides, and
returns what to show and the outbox rows to send.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from bot import events, outbox
from bot.models import Member
from bot.people import tz_of
from bot.preferences.person import refresh_next_checkin, refresh_next_digest, refresh_next_summary
from bot.prompts import mention, render
from bot.teams import rules
from bot.teams.rules import Verdict
from bot.teams.views import describe_additions, listing, welcome
from bot.usecase import Actor, Outcome


def show_team(session: Session, actor: Actor, *, now: datetime) -> Outcome:
    """The actor's reports, and who they report to."""
    rows = rules.reports_of(session, actor.team_id, actor.user_id)
    own_manager = rules.manager_of(session, actor.team_id, actor.user_id)
    viewer_tz = tz_of(session.get(Member, (actor.team_id, actor.user_id)))
    return Outcome(message=listing(rows, own_manager, viewer_tz, now))


def add_reports(
    session: Session,
    actor: Actor,
    candidates: Sequence[str],
    members: Mapping[str, Member | None],
    *,
    now: datetime,
) -> Outcome:
    """The actor makes `candidates` their reports; each one added gets a welcome note.

    `members` is what the directory knows of each candidate (None: not in the workspace).
    """
    team_id, manager_id = actor.team_id, actor.user_id
    judgements = rules.add_reports(session, team_id, manager_id, candidates, members, now)
    outcome = Outcome(homes=[manager_id, *candidates])
    for judgement in judgements:
        if judgement.verdict is not Verdict.ADDED:
            continue
        events.record(
            session,
            team_id=team_id,
            kind=events.REPORT_ADDED,
            user_id=judgement.user_id,
            actor_id=manager_id,
            now=now,
            subject=manager_id,
        )
        refresh_next_checkin(session, team_id, judgement.user_id, now, from_now=True)
        # The manager's time zone schedules their digest and summary.
        refresh_next_digest(session, team_id, manager_id, now)
        refresh_next_summary(session, team_id, manager_id, now)
        planned = welcome(team_id, manager_id, judgement.user_id, now)
        outcome.queue(outbox.enqueue(session, planned, now))
    outcome.text = "\n".join(describe_additions(judgements))
    return outcome


def remove_reports(
    session: Session, actor: Actor, report_ids: Sequence[str], *, now: datetime
) -> Outcome:
    """The actor takes people off their team; each one removed is told."""
    team_id, manager_id = actor.team_id, actor.user_id
    outcome = Outcome(homes=[manager_id, *report_ids])
    lines = []
    for report_id in report_ids:
        removed = rules.remove_report(session, team_id, manager_id, report_id)
        if removed:
            text = render("team.remove.told_report", manager=mention(manager_id))
            planned = outbox.note(team_id, report_id, "team_removed", manager_id, text, now)
            outcome.queue(outbox.enqueue(session, planned, now))
        key = "team.remove.removed" if removed else "team.remove.not_yours"
        lines.append(render(key, person=mention(report_id)))
    outcome.text = "\n".join(lines)
    return outcome


def leave_wrong_team(session: Session, actor: Actor, manager_id: str, *, now: datetime) -> Outcome:
    """The actor says they don't report to `manager_id`: undo the link, tell the manager.

    `manager_id` comes from the welcome note's button, so it is only a claim: nothing
    happens unless the actor really reports to that person.
    """
    team_id = actor.team_id
    removed = rules.remove_report(session, team_id, manager_id, actor.user_id)
    outcome = Outcome(homes=[actor.user_id, manager_id] if removed else [])
    if removed:
        text = render("team.not_right.told_manager", person=mention(actor.user_id))
        planned = outbox.note(team_id, manager_id, "team_not_right", actor.user_id, text, now)
        outcome.queue(outbox.enqueue(session, planned, now))
    key = "team.not_right.done" if removed else "team.not_right.already"
    outcome.text = render(key, manager=mention(manager_id))
    return outcome
