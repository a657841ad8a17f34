"""What each scheduler pass plans about action plans: the manager's nudge on each step's
date and on the check-in date.

A nudge comes on the manager's working day on or after the date, within their working
hours, never while they snoozed Sprout, once per step and once per check-in date (new
dates start again; the check-in first, as it closes the plan or moves its dates), and
counts toward their daily nudge cap (`bot.nudges.planning.room_today`): past it, it waits
for another day.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import visibility
from bot.models import ActionPlan
from bot.nudges.planning import room_today
from bot.outbox import Planned
from bot.plans import rules, views
from bot.preferences.person import schedules_of

BATCH = 500


def plan_plan_nudges(session: Session, now: datetime) -> list[Planned]:
    plans = list(
        session.scalars(
            select(ActionPlan)
            .where(ActionPlan.status == rules.AGREED, visibility.plan_line_filter())
            .order_by(ActionPlan.id)
            .limit(BATCH)
        )
    )
    if not plans:
        return []
    schedules = schedules_of(session, {(plan.team_id, plan.manager_id) for plan in plans})
    planned: list[Planned] = []
    for plan in plans:
        schedule, member = schedules[(plan.team_id, plan.manager_id)]
        if member is not None and (member.deleted or member.unreachable):
            continue
        if schedule.nudges_snoozed(now) or not schedule.in_working_hours(now):
            continue
        today = schedule.local_date(now)
        steps = rules.steps(session, plan)
        room = room_today(session, plan.team_id, plan.manager_id, today) - sum(
            p.recipient_id == plan.manager_id and p.team_id == plan.team_id for p in planned
        )
        if room > 0 and plan.check_in_nudged_on is None and plan.check_in_on <= today:
            plan.check_in_nudged_on = today  # first: it closes the plan or moves its dates
            planned.append(views.check_in_nudge(plan, steps, today, now))
            room -= 1
        for step in steps:
            if room <= 0:
                break
            if step.done_at is None and step.nudged_on is None and step.due_on <= today:
                step.nudged_on = today
                planned.append(views.step_nudge(plan, step, today, now))
                room -= 1
    return planned
