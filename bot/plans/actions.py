"""What people do with action plans: one use case each (`bot.usecase`).

The manager drafts a plan from a redirect on the third rung, sends it, closes it as
*Resolved* (then is asked what improved, with *Give praise*) or *Not resolved* (new
dates); the report agrees or suggests a change, and marks steps done. Every id that came
back from Slack is looked up and checked against the actor through `bot.visibility`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import outbox, teams, visibility
from bot.checkins.actions import message_sent_as
from bot.claims import claimed_id
from bot.feedback import store as feedback_store
from bot.feedback.rules import Kind, new_token
from bot.models import ActionPlan, ActionPlanStep
from bot.plans import rules, views
from bot.plans.rules import AGREED, CHANGES, OPEN, PROPOSED, RESOLVED, Draft
from bot.preferences.person import schedule_of
from bot.prompts import mention, render
from bot.refusal import Refusal
from bot.usecase import Actor, Outcome, queue_in_hours


def _redirect(session: Session, actor: Actor, raw: str):  # type: ignore[no-untyped-def]
    """The redirect a *Draft an action plan* names (a claim): the actor's own, about their
    report."""
    row = feedback_store.owned(session, actor.team_id, actor.user_id, claimed_id(raw) or 0)
    if row.kind != Kind.REDIRECT or teams.manager_of(session, row.team_id, row.about_id) != (
        actor.user_id
    ):
        raise Refusal("plans.refuse.manager_only", person=mention(row.about_id))
    drafted = session.scalar(
        select(ActionPlan.id).where(
            ActionPlan.team_id == row.team_id,
            ActionPlan.feedback_id == row.id,
            ActionPlan.status.in_(OPEN),
        )
    )
    if drafted is not None:
        raise Refusal("plans.refuse.drafted", person=mention(row.about_id))
    return row


def open_draft(session: Session, actor: Actor, raw: str, *, now: datetime) -> Outcome:
    """*Draft an action plan*: the form (`value`), for the manager who gave the redirect."""
    row = _redirect(session, actor, raw)
    meta = f"{row.id}:{new_token()}"
    intro = views.draft_intro(row.about_id, row.topic)
    return Outcome(value=views.draft_modal(views.DRAFT_FORM, meta, intro))


def _problems(session: Session, actor: Actor, draft: Draft, now: datetime) -> dict[str, str]:
    today = schedule_of(session, actor.team_id, actor.user_id).local_date(now)
    return {block: render(key) for block, key in rules.problems(draft, today).items()}


def draft(session: Session, actor: Actor, meta: str, plan: Draft, *, now: datetime) -> Outcome:
    """Save the plan and send it to the report (in their working hours), or refuse it with
    the problems to show by each field (`value`). The same form twice saves it once."""
    raw, _, token = meta.partition(":")
    if not token:
        raise Refusal(rules.GONE)
    existing = session.scalar(
        select(ActionPlan).where(ActionPlan.team_id == actor.team_id, ActionPlan.token == token)
    )
    if existing is not None and visibility.may_run_plan(actor.user_id, existing):
        return Outcome(text=render("plans.sent.done", person=mention(existing.report_id)))
    row = _redirect(session, actor, raw)
    found = _problems(session, actor, plan, now)
    if found:
        return Outcome(refused=True, value=found)
    saved = ActionPlan(
        team_id=row.team_id,
        manager_id=actor.user_id,
        report_id=row.about_id,
        feedback_id=row.id,
        topic=row.topic,
        status=PROPOSED,
        check_in_on=rules.read_day(plan.check_in),
        token=token,
        created_at=now,
    )
    session.add(saved)
    session.flush()
    rules.write_steps(session, saved, rules.steps_of(plan), now)
    outcome = Outcome(text=render("plans.sent.done", person=mention(saved.report_id)))
    dm = views.proposal_dm(saved, rules.steps(session, saved), now)
    outcome.queue(queue_in_hours(session, dm, actor.user_id, now))
    return outcome


def _followed(session: Session, actor: Actor, raw: str) -> ActionPlan:
    plan = rules.plan_for(session, actor.team_id, actor.user_id, raw)
    if not visibility.may_follow_plan(actor.user_id, plan):
        raise Refusal(rules.NOT_YOURS)
    return plan


def _waiting(session: Session, actor: Actor, raw: str) -> ActionPlan:
    plan = _followed(session, actor, raw)
    if plan.status != PROPOSED:
        raise Refusal("plans.refuse.not_proposed")
    return plan


def agree(session: Session, actor: Actor, raw: str, *, now: datetime) -> Outcome:
    """*Agree*, by the report: the plan is on, and their manager hears it.
    `message`: their DM as it reads now."""
    plan = _waiting(session, actor, raw)
    plan.status, plan.agreed_at = AGREED, now
    outcome = Outcome(message=views.proposal_message(plan, rules.steps(session, plan)))
    outcome.queue(queue_in_hours(session, views.answer_dm(plan, now), actor.user_id, now))
    outcome.homes.extend([plan.manager_id, plan.report_id])
    return outcome


def may_suggest(session: Session, actor: Actor, raw: str, *, now: datetime) -> Outcome:
    """Before the *Suggest a change* form opens: refused unless the plan waits for them."""
    _waiting(session, actor, raw)
    return Outcome()


def suggest(session: Session, actor: Actor, raw: str, comment: str, *, now: datetime) -> Outcome:
    """*Suggest a change*, by the report: their words go to the manager, who may draft the
    plan again. `message`: the plan's DM as it reads now, without its buttons; `value`:
    where that DM is (channel, ts), as the outbox noted it."""
    plan = _waiting(session, actor, raw)
    comment = comment.strip()[: rules.MAX_COMMENT]
    if not comment:
        raise Refusal("plans.refuse.empty_comment", person=mention(plan.manager_id))
    plan.status, plan.comment, plan.closed_at = CHANGES, comment, now
    outcome = Outcome(
        text=render("plans.dm.change_you", manager=mention(plan.manager_id)),
        message=views.proposal_message(plan, rules.steps(session, plan)),
        value=outbox.where_sent(
            session, plan.team_id, plan.report_id, views.PROPOSED_KIND, str(plan.id)
        ),
    )
    outcome.queue(queue_in_hours(session, views.answer_dm(plan, now), actor.user_id, now))
    return outcome


def step_done(
    session: Session, actor: Actor, raw: str, in_message: str = "", *, now: datetime
) -> Outcome:
    """A step's *Done*, by the report, in their check-in or on Home. Pressed in a check-in
    (`in_message`: the ts of the DM clicked in), `message` is that check-in as it reads now
    and `value` where it is, as the outbox noted it."""
    step_id = claimed_id(raw)
    step = session.get(ActionPlanStep, step_id) if step_id else None
    if step is None or step.team_id != actor.team_id:
        raise Refusal(rules.GONE)
    plan = _followed(session, actor, str(step.plan_id))
    if plan.status != AGREED:
        raise Refusal("plans.refuse.not_open")
    if step.done_at is not None:
        return Outcome(text=render("plans.checkin.done_already"))
    step.done_at = now
    outcome = Outcome(text=render("plans.checkin.done", text=step.text))
    redrawn = message_sent_as(session, actor.team_id, actor.user_id, in_message, now)
    if redrawn is not None:
        outcome.message, outcome.value = redrawn.message, redrawn.value
    outcome.homes.extend([plan.manager_id, plan.report_id])
    return outcome


def _running(session: Session, actor: Actor, raw: str) -> ActionPlan:
    plan = rules.plan_for(session, actor.team_id, actor.user_id, raw)
    if not visibility.may_run_plan(actor.user_id, plan):
        raise Refusal(rules.NOT_YOURS)
    if plan.status != AGREED:
        raise Refusal("plans.refuse.not_open")
    return plan


def resolve(session: Session, actor: Actor, raw: str, *, now: datetime) -> Outcome:
    """*Resolved*, by the manager: the plan closes, and they are asked what improved, with
    *Give praise* for the report (`message`)."""
    plan = _running(session, actor, raw)
    plan.status, plan.closed_at = RESOLVED, now
    outcome = Outcome(text=render("plans.nudge.resolved_done", person=mention(plan.report_id)))
    prompt = outbox.Planned(
        team_id=plan.team_id,
        recipient_id=plan.manager_id,
        kind=views.ANSWER_KIND,
        subject=f"resolved:{plan.id}",
        period=now.isoformat(),
        body=views.praise_prompt(plan),
        not_before=now,
        reason=f"action plan {plan.id} resolved: what improved",
    )
    outcome.queue(queue_in_hours(session, prompt, actor.user_id, now))
    outcome.homes.extend([plan.manager_id, plan.report_id])
    return outcome


def open_redate(session: Session, actor: Actor, raw: str, *, now: datetime) -> Outcome:
    """*Not resolved*: the plan's form with its steps and dates, to set new ones (`value`)."""
    plan = _running(session, actor, raw)
    steps = [(step.text, step.due_on) for step in rules.steps(session, plan)]
    intro = render("plans.form.redate_intro", person=mention(plan.report_id))
    view = views.draft_modal(views.REDATE_FORM, str(plan.id), intro, steps, plan.check_in_on)
    return Outcome(value=view)


def redate(session: Session, actor: Actor, raw: str, plan_in: Draft, *, now: datetime) -> Outcome:
    """*Not resolved* with new dates: the plan stays open, its nudges start again, and the
    report gets the plan as it now reads."""
    plan = _running(session, actor, raw)
    found = _problems(session, actor, plan_in, now)
    if found:
        return Outcome(refused=True, value=found)
    plan.check_in_on = rules.read_day(plan_in.check_in)
    plan.check_in_nudged_on = None
    rules.write_steps(session, plan, rules.steps_of(plan_in), now)
    outcome = Outcome(text=render("plans.sent.redated", person=mention(plan.report_id)))
    dm = views.new_dates_dm(plan, rules.steps(session, plan), now)
    outcome.queue(queue_in_hours(session, dm, actor.user_id, now))
    outcome.homes.extend([plan.manager_id, plan.report_id])
    return outcome
