"""The rules of action plans: their states, what a drafted plan must hold, and the
lookups every surface uses (each row checked with `bot.visibility` before it is shown or
changed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot import teams, visibility
from bot.claims import claimed_id
from bot.models import ActionPlan, ActionPlanStep
from bot.refusal import Refusal

PROPOSED = "proposed"  # sent to the report, waiting for their word
CHANGES = "changes"  # the report suggested a change: the manager may draft it again
AGREED = "agreed"  # both follow it
RESOLVED = "resolved"  # closed by the manager
OPEN = (PROPOSED, AGREED)  # one of these per redirect at a time
MAX_STEPS = 5
MAX_STEP_TEXT = 300
MAX_COMMENT = 1000
GONE = "plans.refuse.gone"
NOT_YOURS = "plans.refuse.not_yours"


@dataclass(frozen=True)
class StepInput:
    """One step as the form gave it: its text and its date (`YYYY-MM-DD`, a claim)."""

    text: str
    due: str


@dataclass(frozen=True)
class Draft:
    """A plan's steps and check-in date as the form gave them."""

    steps: tuple[StepInput, ...]
    check_in: str


def read_day(raw: str) -> date | None:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return None


def problems(draft: Draft, today: date) -> dict[str, str]:
    """What is wrong with a drafted plan, by the form's block id (prompt keys): each step
    needs words and a date from today on, at least one step, and a check-in date."""
    found: dict[str, str] = {}
    written = 0
    for number, step in enumerate(draft.steps[:MAX_STEPS], start=1):
        text, due = step.text.strip(), read_day(step.due) if step.due else None
        if not text and not step.due:
            continue
        written += 1
        if not text:
            found[f"step_{number}"] = "plans.form.errors.no_text"
        elif len(text) > MAX_STEP_TEXT:
            found[f"step_{number}"] = "plans.form.errors.long"
        elif due is None:
            found[f"due_{number}"] = "plans.form.errors.no_date"
        elif due < today:
            found[f"due_{number}"] = "plans.form.errors.past"
    if not written:
        found["step_1"] = "plans.form.errors.no_steps"
    check_in = read_day(draft.check_in)
    if check_in is None:
        found["check_in"] = "plans.form.errors.no_date"
    elif check_in < today:
        found["check_in"] = "plans.form.errors.past"
    return found


def steps_of(draft: Draft) -> list[tuple[str, date]]:
    """The steps of a draft without problems, in order."""
    return [
        (step.text.strip(), date.fromisoformat(step.due))
        for step in draft.steps[:MAX_STEPS]
        if step.text.strip()
    ]


# --- lookups ---------------------------------------------------------------------------------


def plan_for(session: Session, team_id: str, actor_id: str, raw: str) -> ActionPlan:
    """The plan a button or form names (`raw`, a claim), when the actor may see it;
    refused otherwise, saying no more than that it is not theirs."""
    plan_id = claimed_id(raw)
    plan = session.get(ActionPlan, plan_id, populate_existing=True) if plan_id else None
    if plan is None or plan.team_id != team_id:
        raise Refusal(GONE)
    current = teams.manager_of(session, team_id, plan.report_id)
    if not visibility.may_see_plan(actor_id, plan, current):
        raise Refusal(NOT_YOURS)
    return plan


def steps(session: Session, plan: ActionPlan) -> list[ActionPlanStep]:
    return list(
        session.scalars(
            select(ActionPlanStep)
            .where(ActionPlanStep.plan_id == plan.id)
            .order_by(ActionPlanStep.position, ActionPlanStep.id)
        )
    )


def agreed_plans(session: Session, team_id: str, viewer_id: str) -> list[ActionPlan]:
    """The agreed plans `viewer_id` may see (as manager or report), by check-in date."""
    rows = session.scalars(
        select(ActionPlan)
        .where(
            ActionPlan.team_id == team_id,
            ActionPlan.status == AGREED,
            visibility.plan_filter(viewer_id),
        )
        .order_by(ActionPlan.check_in_on, ActionPlan.id)
    )
    plans = list(rows)
    managers = teams.managers_of(session, team_id, sorted({plan.report_id for plan in plans}))
    return [
        plan
        for plan in plans
        if visibility.may_see_plan(viewer_id, plan, managers.get(plan.report_id))
    ]


def open_steps(session: Session, team_id: str, report_id: str) -> list[ActionPlanStep]:
    """The report's steps not yet done, of their agreed plans: for their check-in."""
    plans = [p for p in agreed_plans(session, team_id, report_id) if p.report_id == report_id]
    return _open_steps_of(session, plans)


def checkin_steps(
    session: Session, team_id: str, report_id: str, done_since: datetime
) -> list[ActionPlanStep]:
    """The report's steps for a check-in: those not yet done, and those done since
    `done_since` (the start of the check-in's day), so a *Done* shows where it was pressed."""
    plans = [p for p in agreed_plans(session, team_id, report_id) if p.report_id == report_id]
    return _open_steps_of(session, plans, done_since=done_since)


def steps_due(
    session: Session, team_id: str, manager_id: str, report_id: str, by: date
) -> list[ActionPlanStep]:
    """The open steps of the pair's agreed plans due by `by`: for their 1:1 agenda."""
    plans = [
        plan
        for plan in agreed_plans(session, team_id, manager_id)
        if plan.report_id == report_id and visibility.may_see_plan(report_id, plan, manager_id)
    ]
    return [step for step in _open_steps_of(session, plans) if step.due_on <= by]


def _open_steps_of(
    session: Session, plans: Sequence[ActionPlan], *, done_since: datetime | None = None
) -> list[ActionPlanStep]:
    """The plans' steps not yet done (and, given `done_since`, those done since), in order."""
    if not plans:
        return []
    still_open = ActionPlanStep.done_at.is_(None)
    if done_since is not None:
        still_open = or_(still_open, ActionPlanStep.done_at >= done_since)
    return list(
        session.scalars(
            select(ActionPlanStep)
            .where(ActionPlanStep.plan_id.in_([plan.id for plan in plans]), still_open)
            .order_by(ActionPlanStep.due_on, ActionPlanStep.position, ActionPlanStep.id)
        )
    )


def write_steps(
    session: Session, plan: ActionPlan, new: list[tuple[str, date]], now: datetime
) -> None:
    """Give `plan` these steps: a step with the same words keeps whether it is done."""
    done = {step.text: step.done_at for step in steps(session, plan)}
    for step in steps(session, plan):
        session.delete(step)
    for position, (text, due) in enumerate(new, start=1):
        session.add(
            ActionPlanStep(
                team_id=plan.team_id,
                plan_id=plan.id,
                position=position,
                text=text,
                due_on=due,
                done_at=done.get(text),
            )
        )
    session.flush()
