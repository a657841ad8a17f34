"""Gathering what a one-on-one's agenda and the manager's prep say, at one instant.

The agenda is what both may see: the report's own priorities, items either of them (or
another feature) brought, and last time's agreements. The prep is the manager's alone and
reads only feedback the manager gave themselves.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import plans, priorities
from bot.baselines import store as baselines
from bot.dates import Reader
from bot.feedback.rules import LADDER_WINDOW, Kind, Rung, rung_for
from bot.focus import store as focus_store
from bot.models import (
    ActionPlan,
    ActionPlanStep,
    AgendaItem,
    Agreement,
    Baseline,
    Feedback,
    Focus,
    Priority,
    WrapUp,
)
from bot.oneonones.agenda import Pair, last_agreements, last_note, open_items
from bot.plans import rules as plan_rules
from bot.preferences.person import schedule_of
from bot.preferences.workspace import workspace_defaults


@dataclass(frozen=True)
class Watch:
    """A priority worth a word: why (blocked, at_risk, overdue, stale)."""

    priority: Priority
    why: str


@dataclass
class Agenda:
    pair: Pair
    occurrence: str
    watch: list[Watch] = field(default_factory=list)
    items: list[AgendaItem] = field(default_factory=list)
    agreed: list[tuple[Agreement, Priority | None]] = field(default_factory=list)
    steps: list[ActionPlanStep] = field(default_factory=list)  # action-plan steps due

    @property
    def size(self) -> int:
        return len(self.watch) + len(self.items) + len(self.agreed) + len(self.steps)


@dataclass
class Prep:
    pair: Pair
    occurrence: str
    untold: list[Feedback] = field(default_factory=list)
    ladder: list[tuple[str, int, Rung]] = field(default_factory=list)  # topic, count, rung
    days_since_praise: int | None = None  # None: never praised them
    watch_count: int = 0
    note: WrapUp | None = None
    baseline: Baseline | None = None  # what they agreed, if they did
    focus: tuple[Focus, int] | None = None  # what the report practises, days this week
    plans: list[tuple[ActionPlan, list[ActionPlanStep]]] = field(default_factory=list)
    day: date | None = None  # the meeting's day, for the steps due by then
    reader: Reader | None = None  # how the manager reads dates

    @property
    def question(self) -> str:
        """Which reflection fits what the data shows (a prompt name)."""
        if self.days_since_praise is None or self.days_since_praise >= 14:
            return "praise"
        if any(rung is Rung.ACTION_PLAN for _, _, rung in self.ladder):
            return "grow_or_fix"
        if self.watch_count:
            return "needs"
        if self.untold:
            return "hard_topics"
        return "ambitions"


def agenda(session: Session, pair: Pair, occurrence: str, now: datetime) -> Agenda:
    return Agenda(
        pair=pair,
        occurrence=occurrence,
        watch=watch_list(session, pair, now),
        items=open_items(session, pair),
        agreed=last_agreements(session, pair, occurrence),
        steps=plans.steps_due(
            session, pair.team_id, pair.manager_id, pair.report_id, _meeting_day(occurrence, now)
        ),
    )


def _meeting_day(occurrence: str, now: datetime) -> date:
    """The meeting's day (its occurrence starts "YYYY-MM-DD"), else today."""
    try:
        return date.fromisoformat(occurrence[:10])
    except ValueError:
        return now.date()


def watch_list(session: Session, pair: Pair, now: datetime) -> list[Watch]:
    """The report's active priorities that are blocked, at risk, overdue or stale."""
    owner = schedule_of(session, pair.team_id, pair.report_id)
    stale_after = int(workspace_defaults(session, pair.team_id)["stale_after_working_days"])
    found = []
    for priority in priorities.active(session, pair.team_id, pair.report_id):
        why = (
            priority.health
            if priority.health in (priorities.BLOCKED, priorities.AT_RISK)
            else priorities.is_stale(priority, owner, now, stale_after)
        )
        if why:
            found.append(Watch(priority, why))
    return found


def prep(session: Session, pair: Pair, occurrence: str, now: datetime) -> Prep:
    mine = (
        Feedback.team_id == pair.team_id,
        Feedback.giver_id == pair.manager_id,
        Feedback.about_id == pair.report_id,
    )
    untold = list(
        session.scalars(
            select(Feedback)
            .where(*mine, Feedback.delivered_at.is_(None), Feedback.send_requested_at.is_(None))
            .order_by(Feedback.created_at.desc(), Feedback.id.desc())
        )
    )
    topics = Counter(
        session.scalars(
            select(Feedback.topic).where(
                *mine,
                Feedback.kind == Kind.REDIRECT.value,
                Feedback.topic != "",
                Feedback.created_at >= now - LADDER_WINDOW,
            )
        )
    )
    last_praise = session.scalar(
        select(func.max(Feedback.created_at)).where(*mine, Feedback.kind == Kind.PRAISE.value)
    )
    return Prep(
        pair=pair,
        occurrence=occurrence,
        untold=untold,
        ladder=[(topic, n, rung_for(n)) for topic, n in sorted(topics.items())],
        days_since_praise=None if last_praise is None else (now - last_praise).days,
        watch_count=len(watch_list(session, pair, now)),
        note=last_note(session, pair, pair.manager_id, occurrence),
        baseline=_agreed(session, pair),
        focus=_focus(session, pair, now),
        plans=_plans(session, pair),
        day=_meeting_day(occurrence, now),
        reader=Reader.of(schedule_of(session, pair.team_id, pair.manager_id), now),
    )


def _plans(session: Session, pair: Pair) -> list[tuple[ActionPlan, list[ActionPlanStep]]]:
    """The pair's agreed action plans, each with its steps."""
    found = plan_rules.agreed_plans(session, pair.team_id, pair.manager_id)
    return [
        (plan, plan_rules.steps(session, plan))
        for plan in found
        if plan.report_id == pair.report_id
    ]


def _focus(session: Session, pair: Pair, now: datetime) -> tuple[Focus, int] | None:
    focus = focus_store.current(session, pair.team_id, pair.manager_id, pair.report_id)
    return (focus, focus_store.this_week(session, focus, now)) if focus is not None else None


def _agreed(session: Session, pair: Pair) -> Baseline | None:
    row = baselines.current(session, pair.team_id, pair.manager_id, pair.report_id)
    return row if row is not None and row.agreed else None
