"""What people do with teams: list, add, remove, and "that's not right".

Each is a use case (`bot.usecase`): it takes the session, the actor and `now`, decides, and
returns what to show and the outbox rows to send.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from bot import events, outbox
from bot.claims import claimed_id
from bot.models import Member, TeamRequest
from bot.people import tz_of
from bot.preferences import person
from bot.preferences.workspace import workspace_defaults
from bot.prompts import mention, render
from bot.refusal import Refusal
from bot.teams import rules
from bot.teams.rules import Verdict
from bot.teams.views import describe_additions, listing, request_message, welcome
from bot.usecase import Actor, Outcome, queue_in_hours


def show_team(session: Session, actor: Actor, *, now: datetime) -> Outcome:
    """The actor's reports, and who they report to."""
    rows = rules.reports_of(session, actor.team_id, actor.user_id)
    waiting = rules.open_requests(session, actor.team_id, actor.user_id)
    own_manager = rules.manager_of(session, actor.team_id, actor.user_id)
    viewer_tz = tz_of(session.get(Member, (actor.team_id, actor.user_id)))
    return Outcome(message=listing(rows, waiting, own_manager, viewer_tz, now))


def add_reports(
    session: Session,
    actor: Actor,
    candidates: Sequence[str],
    members: Mapping[str, Member | None],
    *,
    now: datetime,
) -> Outcome:
    """The actor says `candidates` report to them.

    Under the workspace's `team_consent` rule each person is asked first (their yes makes
    the line), or, where no yes is needed, joins at once and is told who set it.
    `members` is what the directory knows of each candidate (None: not in the workspace).
    """
    team_id, manager_id = actor.team_id, actor.user_id
    consent = workspace_defaults(session, team_id)["team_consent"]
    manager = members.get(manager_id)
    ask_first = rules.needs_their_yes(consent, manager is not None and manager.is_admin)
    judgements = rules.add_reports(
        session, team_id, manager_id, candidates, members, now, ask_first=ask_first
    )
    outcome = Outcome(homes=[manager_id, *candidates])
    for judgement in judgements:
        if judgement.verdict is Verdict.ASKED:
            request_id = judgement.request_id or 0
            planned = request_message(team_id, manager_id, judgement.user_id, request_id, now)
            outcome.queue(queue_in_hours(session, planned, manager_id, now))
        elif judgement.verdict is Verdict.ADDED:
            _started(session, team_id, manager_id, judgement.user_id, manager_id, now)
            planned = welcome(team_id, manager_id, judgement.user_id, now)
            outcome.queue(queue_in_hours(session, planned, manager_id, now))
    outcome.text = "\n".join(describe_additions(judgements))
    return outcome


def _started(
    session: Session, team_id: str, manager_id: str, report_id: str, added_by: str, now: datetime
) -> None:
    """What a new reporting line sets going: the baseline nudge and both people's schedules."""
    events.record(
        session,
        team_id=team_id,
        kind=events.REPORT_ADDED,
        user_id=report_id,
        actor_id=added_by,
        now=now,
        subject=manager_id,
    )
    person.refresh_next_checkin(session, team_id, report_id, now, from_now=True)
    # The manager's time zone schedules their digest and summary.
    person.refresh_next_digest(session, team_id, manager_id, now)
    person.refresh_next_summary(session, team_id, manager_id, now)


def answer_request(
    session: Session,
    actor: Actor,
    request_id: str,
    yes: bool,
    member: Member | None,
    *,
    now: datetime,
) -> Outcome:
    """The person answers "@manager says you report to them": yes makes the line.

    The request id comes back from a button, so it is only a claim: it must be an open,
    unexpired request to the actor, in their workspace.
    """
    number = claimed_id(request_id)
    request = session.get(TeamRequest, number) if number is not None else None
    if (
        request is None
        or request.team_id != actor.team_id
        or request.report_id != actor.user_id
        or request.answer is not None
        or request.expires_at <= now
    ):
        raise Refusal("team.request.gone")
    team_id, manager_id = actor.team_id, request.manager_id
    person = mention(actor.user_id)
    outcome = Outcome(homes=[actor.user_id, manager_id])
    if not yes:
        rules.close_requests(session, team_id, actor.user_id, manager_id, rules.DECLINED, now)
        told = render("team.request.told_manager_declined", person=person)
        _note(session, outcome, manager_id, "team_declined", actor, told, now)
        outcome.text = render("team.request.declined", manager=mention(manager_id))
        return outcome
    [judgement] = rules.judge_additions(
        manager_id,
        [actor.user_id],
        {actor.user_id: member},
        rules.managers_of(session, team_id, [actor.user_id]),
        rules.managers_above(session, team_id, manager_id),
    )
    if judgement.verdict is not Verdict.ADDED:
        raise Refusal(
            "team.request.cannot_join",
            manager=mention(manager_id),
            other=mention(judgement.other_manager or ""),
        )
    rules.close_requests(session, team_id, actor.user_id, manager_id, rules.ACCEPTED, now)
    rules.join(session, team_id, manager_id, actor.user_id, manager_id, now)
    session.flush()
    _started(session, team_id, manager_id, actor.user_id, actor.user_id, now)
    told = render("team.request.told_manager_accepted", person=person)
    _note(session, outcome, manager_id, "team_accepted", actor, told, now)
    outcome.text = render("team.request.accepted", manager=mention(manager_id))
    return outcome


def _note(
    session: Session,
    outcome: Outcome,
    recipient: str,
    kind: str,
    actor: Actor,
    text: str,
    now: datetime,
) -> None:
    """A note to `recipient` about what `actor` did, in the recipient's working hours."""
    planned = outbox.note(actor.team_id, recipient, kind, actor.user_id, text, now)
    outcome.queue(queue_in_hours(session, planned, actor.user_id, now))


def remove_reports(
    session: Session, actor: Actor, report_ids: Sequence[str], *, now: datetime
) -> Outcome:
    """The actor takes people off their team; each one removed is told."""
    team_id, manager_id = actor.team_id, actor.user_id
    outcome = Outcome(homes=[manager_id, *report_ids])
    lines = []
    for report_id in report_ids:
        if rules.close_requests(session, team_id, report_id, manager_id, rules.WITHDRAWN, now):
            lines.append(render("team.remove.withdrawn", person=mention(report_id)))
            continue
        removed = rules.remove_report(session, team_id, manager_id, report_id)
        if removed:
            text = render("team.remove.told_report", manager=mention(manager_id))
            _note(session, outcome, report_id, "team_removed", actor, text, now)
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
        _note(session, outcome, manager_id, "team_not_right", actor, text, now)
    key = "team.not_right.done" if removed else "team.not_right.already"
    outcome.text = render(key, manager=mention(manager_id))
    return outcome
