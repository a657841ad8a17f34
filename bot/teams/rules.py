"""Who reports to whom: the rules for building a team, as plain functions."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.models import Member, ReportingLine, TeamRequest

MAX_CHAIN = 100  # deeper than any real org chart; stops a corrupt loop from spinning
REQUEST_LIFETIME = timedelta(days=14)
# How a workspace makes reporting lines (its `team_consent` setting).
ASK, ADMINS_CONFIRM, TRUST = "ask", "admins_confirm", "trust"
ACCEPTED, DECLINED, EXPIRED, WITHDRAWN = "accepted", "declined", "expired", "withdrawn"


class Verdict(StrEnum):
    ADDED = "added"
    ASKED = "asked"  # a request went to the person; the line waits for their yes
    ASKED_ALREADY = "asked_already"
    ALREADY_YOURS = "already_yours"
    HAS_MANAGER = "has_manager"
    SELF = "self"
    BOT = "bot"
    DELETED = "deleted"
    UNKNOWN = "unknown"
    CYCLE = "cycle"
    REPEATED = "repeated"


@dataclass(frozen=True)
class Judgement:
    user_id: str
    verdict: Verdict
    other_manager: str | None = None
    request_id: int | None = None  # ASKED: the request waiting for their yes


def judge_additions(
    manager_id: str,
    candidates: Sequence[str],
    members: Mapping[str, Member | None],
    current_managers: Mapping[str, str],
    managers_above: Sequence[str],
    asked: Collection[str] = (),
) -> list[Judgement]:
    """Decide, for each candidate, whether they can become `manager_id`'s report.

    `managers_above` is the manager's own chain upward: adding any of them would
    make someone their own manager's manager. `asked`: people this manager's open
    requests already wait on.
    """
    seen: set[str] = set()
    result: list[Judgement] = []
    for user_id in candidates:
        member = members.get(user_id)
        current = current_managers.get(user_id)
        if user_id in seen:
            verdict = Verdict.REPEATED
        elif user_id == manager_id:
            verdict = Verdict.SELF
        elif member is None:
            verdict = Verdict.UNKNOWN
        elif member.is_bot:
            verdict = Verdict.BOT
        elif member.deleted:
            verdict = Verdict.DELETED
        elif current == manager_id:
            verdict = Verdict.ALREADY_YOURS
        elif current is not None:
            verdict = Verdict.HAS_MANAGER
        elif user_id in asked:
            verdict = Verdict.ASKED_ALREADY
        elif user_id in managers_above:
            verdict = Verdict.CYCLE
        else:
            verdict = Verdict.ADDED
        seen.add(user_id)
        other = current if verdict is Verdict.HAS_MANAGER else None
        result.append(Judgement(user_id, verdict, other))
    return result


def manager_of(session: Session, team_id: str, user_id: str) -> str | None:
    return session.scalar(
        select(ReportingLine.manager_id).where(
            ReportingLine.team_id == team_id, ReportingLine.report_id == user_id
        )
    )


def managers_above(session: Session, team_id: str, user_id: str) -> list[str]:
    """The chain of managers above `user_id`, nearest first."""
    chain: list[str] = []
    current = manager_of(session, team_id, user_id)
    while current is not None and current not in chain and len(chain) < MAX_CHAIN:
        chain.append(current)
        current = manager_of(session, team_id, current)
    return chain


def managers_of(session: Session, team_id: str, user_ids: Sequence[str]) -> dict[str, str]:
    if not user_ids:
        return {}
    rows = session.execute(
        select(ReportingLine.report_id, ReportingLine.manager_id).where(
            ReportingLine.team_id == team_id, ReportingLine.report_id.in_(list(user_ids))
        )
    )
    return {report: manager for report, manager in rows}


def add_reports(
    session: Session,
    team_id: str,
    manager_id: str,
    candidates: Sequence[str],
    members: Mapping[str, Member | None],
    now: datetime,
    *,
    ask_first: bool = False,
) -> list[Judgement]:
    """Judge new reports and, in the caller's transaction, record each line, or (with
    `ask_first`) the request that waits for the person's yes."""
    asked = {request.report_id for request in open_requests(session, team_id, manager_id)}
    judgements = judge_additions(
        manager_id,
        candidates,
        members,
        managers_of(session, team_id, candidates),
        managers_above(session, team_id, manager_id),
        asked,
    )
    result = []
    for judgement in judgements:
        if judgement.verdict is Verdict.ADDED and ask_first:
            request = ask(session, team_id, manager_id, judgement.user_id, now)
            judgement = Judgement(judgement.user_id, Verdict.ASKED, request_id=request.id)
        elif judgement.verdict is Verdict.ADDED:
            join(session, team_id, manager_id, judgement.user_id, manager_id, now)
        result.append(judgement)
    session.flush()
    return result


def join(
    session: Session, team_id: str, manager_id: str, report_id: str, added_by: str, now: datetime
) -> ReportingLine:
    """Write the reporting line itself (once the person said yes, or no yes is needed)."""
    line = ReportingLine(
        team_id=team_id, report_id=report_id, manager_id=manager_id, added_by=added_by, since=now
    )
    session.add(line)
    return line


def remove_report(session: Session, team_id: str, manager_id: str, report_id: str) -> bool:
    """Remove the link if `report_id` reports to `manager_id`; True if it did."""
    result = session.execute(
        delete(ReportingLine).where(
            ReportingLine.team_id == team_id,
            ReportingLine.report_id == report_id,
            ReportingLine.manager_id == manager_id,
        )
    )
    return bool(result.rowcount)


def reports_of(
    session: Session, team_id: str, manager_id: str
) -> list[tuple[ReportingLine, Member | None]]:
    """A manager's reports with what we know of them, oldest link first (one query)."""
    rows = session.execute(
        select(ReportingLine, Member)
        .outerjoin(
            Member,
            (Member.team_id == ReportingLine.team_id) & (Member.user_id == ReportingLine.report_id),
        )
        .where(ReportingLine.team_id == team_id, ReportingLine.manager_id == manager_id)
        .order_by(ReportingLine.since, ReportingLine.report_id)
    )
    return [(line, member) for line, member in rows]


def needs_their_yes(team_consent: str, manager_is_admin: bool) -> bool:
    """Whether a new line waits for the person's yes, under the workspace's rule."""
    if team_consent == TRUST:
        return False
    if team_consent == ADMINS_CONFIRM:
        return not manager_is_admin
    return True


def open_requests(session: Session, team_id: str, manager_id: str) -> list[TeamRequest]:
    """A manager's requests still waiting for an answer, oldest first."""
    return list(
        session.scalars(
            select(TeamRequest)
            .where(
                TeamRequest.team_id == team_id,
                TeamRequest.manager_id == manager_id,
                TeamRequest.answer.is_(None),
            )
            .order_by(TeamRequest.requested_at, TeamRequest.id)
        )
    )


def ask(
    session: Session, team_id: str, manager_id: str, report_id: str, now: datetime
) -> TeamRequest:
    request = TeamRequest(
        team_id=team_id,
        report_id=report_id,
        manager_id=manager_id,
        requested_at=now,
        expires_at=now + REQUEST_LIFETIME,
    )
    session.add(request)
    session.flush()
    return request


def close_requests(
    session: Session, team_id: str, report_id: str, manager_id: str, answer: str, now: datetime
) -> int:
    """Close any open request from `manager_id` to `report_id` with `answer`."""
    result = session.execute(
        update(TeamRequest)
        .where(
            TeamRequest.team_id == team_id,
            TeamRequest.report_id == report_id,
            TeamRequest.manager_id == manager_id,
            TeamRequest.answer.is_(None),
        )
        .values(answer=answer, answered_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)
