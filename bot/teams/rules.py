"""Who reports to whom: the rules for building a team, as plain functions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.models import Member, ReportingLine

MAX_CHAIN = 100  # deeper than any real org chart; stops a corrupt loop from spinning


class Verdict(StrEnum):
    ADDED = "added"
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


def judge_additions(
    manager_id: str,
    candidates: Sequence[str],
    members: Mapping[str, Member | None],
    current_managers: Mapping[str, str],
    managers_above: Sequence[str],
) -> list[Judgement]:
    """Decide, for each candidate, whether they can become `manager_id`'s report.

    `managers_above` is the manager's own chain upward: adding any of them would
    make someone their own manager's manager.
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
) -> list[Judgement]:
    """Judge and record new reports in the caller's transaction."""
    judgements = judge_additions(
        manager_id,
        candidates,
        members,
        managers_of(session, team_id, candidates),
        managers_above(session, team_id, manager_id),
    )
    for judgement in judgements:
        if judgement.verdict is Verdict.ADDED:
            session.add(
                ReportingLine(
                    team_id=team_id,
                    report_id=judgement.user_id,
                    manager_id=manager_id,
                    added_by=manager_id,
                    since=now,
                )
            )
    session.flush()
    return judgements


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
