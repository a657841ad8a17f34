"""Every layout of an action plan: the form, the DMs, the nudges, its Home part and its
lines in a check-in and a 1:1 agenda. Layouts only."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bot import blocks, outbox
from bot.models import ActionPlan, ActionPlanStep
from bot.nudges.views import feedback_button
from bot.plans.rules import MAX_COMMENT, MAX_STEP_TEXT, MAX_STEPS
from bot.priorities.text import day_label
from bot.prompts import mention, render

DRAFT = "plan_draft"  # on the 3rd-rung confirmation (value: the redirect's id)
DRAFT_FORM = "plan_draft_form"  # metadata: the redirect's id and the form's token
REDATE_FORM = "plan_redate_form"  # metadata: the plan's id
AGREE = "plan_agree"  # on the report's DM (value: the plan's id)
CHANGE = "plan_change"  # opens CHANGE_FORM
CHANGE_FORM = "plan_change_form"
STEP_DONE = "plan_step_done"  # + _N: in the check-in and on Home (value: the step's id)
RESOLVED = "plan_resolved"  # on the manager's Home and check-in nudge (value: the plan's id)
NOT_RESOLVED = "plan_not_resolved"  # opens REDATE_FORM
PROPOSED_KIND = "plan_proposed"  # outbox kinds
ANSWER_KIND = "plan_answer"
DATES_KIND = "plan_dates"
NUDGE_KIND = "nudge_plan"  # a manager's nudge on a step or check-in date: capped like any
CHECK_IN = "check_in"
COMMENT = "comment"
TITLE = 24


def step_block(number: int) -> str:
    return f"step_{number}"


def due_block(number: int) -> str:
    return f"due_{number}"


def _datepicker(block_id: str, label: str, initial: date | None, optional: bool) -> dict:
    element: dict[str, Any] = {"type": "datepicker", "action_id": block_id}
    if initial is not None:
        element["initial_date"] = initial.isoformat()
    return {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": blocks.plain(label, 2000),
        "element": element,
    }


def draft_modal(
    callback_id: str,
    meta: str,
    intro: str,
    steps: list[tuple[str, date]] | None = None,
    check_in: date | None = None,
) -> dict[str, Any]:
    """The plan's form: up to five steps with a date each, and a check-in date; `steps`
    and `check_in` fill it in (new dates for a plan not yet resolved)."""
    known = list(steps or [])
    body: list[blocks.Block] = [blocks.section(intro)]
    for number in range(1, MAX_STEPS + 1):
        text, due = known[number - 1] if number <= len(known) else ("", None)
        element: dict[str, Any] = {
            "type": "plain_text_input",
            "action_id": step_block(number),
            "max_length": MAX_STEP_TEXT,
        }
        if text:
            element["initial_value"] = text
        body.append(
            {
                "type": "input",
                "block_id": step_block(number),
                "optional": number > 1,
                "label": blocks.plain(render("plans.form.step", number=number), 2000),
                "hint": blocks.plain(render("plans.form.step_hint"), 2000),
                "element": element,
            }
        )
        body.append(_datepicker(due_block(number), render("plans.form.due"), due, number > 1))
    body.append(_datepicker(CHECK_IN, render("plans.form.check_in"), check_in, False))
    redate = callback_id == REDATE_FORM
    return {
        "type": "modal",
        "callback_id": callback_id,
        "private_metadata": meta,
        "title": blocks.plain(
            render("plans.form." + ("redate_title" if redate else "title")), TITLE
        ),
        "submit": blocks.plain(
            render("plans.form." + ("redate_submit" if redate else "submit")), TITLE
        ),
        "close": blocks.plain(render("plans.form.close"), TITLE),
        "blocks": body,
    }


def draft_intro(report_id: str, topic: str) -> str:
    key = "plans.form.intro" if topic else "plans.form.intro_no_topic"
    return render(key, person=mention(report_id), topic=topic)


def change_modal(plan_claim: str) -> dict[str, Any]:
    """ "Suggest a change": what the report would change, for their manager."""
    return {
        "type": "modal",
        "callback_id": CHANGE_FORM,
        "private_metadata": plan_claim,
        "title": blocks.plain(render("plans.form.change_title"), TITLE),
        "submit": blocks.plain(render("plans.form.change_submit"), TITLE),
        "close": blocks.plain(render("plans.form.close"), TITLE),
        "blocks": [
            {
                "type": "input",
                "block_id": COMMENT,
                "label": blocks.plain(render("plans.form.change_label"), 2000),
                "element": {
                    "type": "plain_text_input",
                    "action_id": COMMENT,
                    "multiline": True,
                    "max_length": MAX_COMMENT,
                },
            }
        ],
    }


def done_view(text: str) -> dict[str, Any]:
    """A plan's form once submitted: what it did."""
    return {
        "type": "modal",
        "title": blocks.plain(render("plans.form.title"), TITLE),
        "close": blocks.plain(render("plans.form.close"), TITLE),
        "blocks": [blocks.section(text)],
    }


# --- the plan as a list ------------------------------------------------------------------------


def step_lines(steps: list[ActionPlanStep]) -> list[str]:
    return [
        render("plans.line.step_done", text=step.text)
        if step.done_at is not None
        else render("plans.line.step", text=step.text, date=day_label(step.due_on))
        for step in steps
    ]


def _plan_body(lead: str, plan: ActionPlan, steps: list[ActionPlanStep]) -> list[blocks.Block]:
    return [
        blocks.section(lead),
        *blocks.sections_from_lines(step_lines(steps)),
        blocks.section(render("plans.dm.check_in", date=day_label(plan.check_in_on))),
        blocks.context(render("plans.dm.private", manager=mention(plan.manager_id))),
    ]


def proposal_lead(plan: ActionPlan) -> str:
    key = "plans.dm.proposed_topic" if plan.topic else "plans.dm.proposed"
    return render(key, manager=mention(plan.manager_id), topic=plan.topic)


def proposal_message(plan: ActionPlan, steps: list[ActionPlanStep]) -> dict[str, Any]:
    """The plan as the report reads it: *Agree* / *Suggest a change* while it waits for
    them, what they answered once they have."""
    lead = proposal_lead(plan)
    body = _plan_body(lead, plan, steps)
    if plan.agreed_at is not None:
        body.append(blocks.context(render("plans.dm.agreed_you")))
    elif plan.comment is not None:
        body.append(blocks.context(render("plans.dm.change_you", manager=mention(plan.manager_id))))
    else:
        value = str(plan.id)
        body.append(
            blocks.actions(
                blocks.button(render("plans.button.agree"), AGREE, value, style="primary"),
                blocks.button(render("plans.button.change"), CHANGE, value),
                block_id=f"plan_{plan.id}",
            )
        )
    return blocks.message(lead, body)


def proposal_dm(plan: ActionPlan, steps: list[ActionPlanStep], now: datetime) -> outbox.Planned:
    return outbox.Planned(
        team_id=plan.team_id,
        recipient_id=plan.report_id,
        kind=PROPOSED_KIND,
        subject=str(plan.id),
        period=now.isoformat(),
        body=proposal_message(plan, steps),
        not_before=now,
        reason=f"action plan {plan.id} for the report to agree",
    )


def new_dates_dm(plan: ActionPlan, steps: list[ActionPlanStep], now: datetime) -> outbox.Planned:
    lead = render("plans.dm.redated", manager=mention(plan.manager_id))
    return outbox.Planned(
        team_id=plan.team_id,
        recipient_id=plan.report_id,
        kind=DATES_KIND,
        subject=str(plan.id),
        period=now.isoformat(),
        body=blocks.message(lead, _plan_body(lead, plan, steps)),
        not_before=now,
        reason=f"action plan {plan.id}: new dates",
    )


def answer_dm(plan: ActionPlan, now: datetime) -> outbox.Planned:
    """To the manager: the report agreed, or what they would change (with *Draft an action
    plan* again)."""
    report = mention(plan.report_id)
    if plan.agreed_at is not None:
        text = render("plans.dm.agreed", report=report)
        body = [blocks.section(text)]
    else:
        text = render("plans.dm.change", report=report)
        body = [
            blocks.section(text),
            *blocks.sections_from_lines(["> " + line for line in (plan.comment or "").split("\n")]),
            blocks.section(render("plans.dm.change_again")),
            blocks.actions(
                blocks.button(render("plans.button.draft"), DRAFT, str(plan.feedback_id)),
            ),
        ]
    return outbox.Planned(
        team_id=plan.team_id,
        recipient_id=plan.manager_id,
        kind=ANSWER_KIND,
        subject=str(plan.id),
        period=now.isoformat(),
        body=blocks.message(text, body),
        not_before=now,
        reason=f"the report's word on action plan {plan.id}",
    )


def closing_buttons(plan: ActionPlan) -> blocks.Block:
    value = str(plan.id)
    return blocks.actions(
        blocks.button(render("plans.button.resolved"), RESOLVED, value, style="primary"),
        blocks.button(render("plans.button.not_resolved"), NOT_RESOLVED, value),
        block_id=f"plan_close_{plan.id}",
    )


def praise_prompt(plan: ActionPlan) -> dict[str, Any]:
    """After *Resolved*: what improved, with *Give praise* prefilled."""
    text = render("plans.nudge.resolved", person=mention(plan.report_id))
    button = feedback_button(render("plans.button.praise"), plan.report_id, "praise")
    return blocks.message(text, [blocks.section(text), blocks.actions(button)])


# --- the manager's nudges on the plan's dates ---------------------------------------------


def step_nudge(plan: ActionPlan, step: ActionPlanStep, day: date, now: datetime) -> outbox.Planned:
    text = render("plans.nudge.step", person=mention(plan.report_id), text=step.text)
    return outbox.Planned(
        team_id=plan.team_id,
        recipient_id=plan.manager_id,
        kind=NUDGE_KIND,
        subject=f"step:{step.id}",
        period=day.isoformat(),
        body=blocks.message(text, [blocks.section(text)]),
        not_before=now,
        reason=f"action plan {plan.id}: step {step.id} due",
    )


def check_in_nudge(
    plan: ActionPlan, steps: list[ActionPlanStep], day: date, now: datetime
) -> outbox.Planned:
    text = render("plans.nudge.check_in", person=mention(plan.report_id))
    body = [
        blocks.section(text),
        *blocks.sections_from_lines(step_lines(steps)),
        closing_buttons(plan),
    ]
    return outbox.Planned(
        team_id=plan.team_id,
        recipient_id=plan.manager_id,
        kind=NUDGE_KIND,
        subject=f"plan:{plan.id}",
        period=day.isoformat(),
        body=blocks.message(text, body),
        not_before=now,
        reason=f"action plan {plan.id}: check-in day",
    )


# --- Home, check-ins and the 1:1 agenda ------------------------------------------------------


def home_part(
    viewer_id: str, plans: list[tuple[ActionPlan, list[ActionPlanStep]]]
) -> list[blocks.Block]:
    """The agreed plans on Home: the manager closes them, the report marks steps done."""
    if not plans:
        return []
    body: list[blocks.Block] = [blocks.header(render("plans.home.heading"))]
    for plan, steps in plans:
        running = viewer_id == plan.manager_id
        key = "plans.home.with_report" if running else "plans.home.with_manager"
        other = plan.report_id if running else plan.manager_id
        head = render(key, person=mention(other), date=day_label(plan.check_in_on))
        body.append(blocks.section("\n".join([head, *step_lines(steps)])))
        if running:
            body.append(closing_buttons(plan))
        else:
            open_steps = [step for step in steps if step.done_at is None]
            if open_steps:
                body.append(step_buttons(open_steps, f"home_plan_{plan.id}"))
    return body


def step_buttons(steps: list[ActionPlanStep], block_id: str) -> blocks.Block:
    return blocks.actions(
        *[
            blocks.button(
                f"{render('plans.button.step_done')}: {step.text}"[:75],
                f"{STEP_DONE}_{number}",  # unique within the block, as Slack requires
                str(step.id),
            )
            for number, step in enumerate(steps[:MAX_STEPS], start=1)
        ],
        block_id=block_id,
    )


def checkin_blocks(steps: list[ActionPlanStep]) -> list[blocks.Block]:
    """The report's steps in their check-in: open ones each with *Done*, those done today
    struck through."""
    if not steps:
        return []
    lines = [
        render("plans.checkin.step_done", text=step.text)
        if step.done_at is not None
        else render("plans.checkin.step", text=step.text, date=day_label(step.due_on))
        for step in steps
    ]
    body = [blocks.section("\n".join([render("plans.checkin.heading"), *lines]))]
    open_steps = [step for step in steps if step.done_at is None]
    if open_steps:
        body.append(step_buttons(open_steps, "checkin_plan_steps"))
    return body


def agenda_lines(steps: list[ActionPlanStep]) -> list[str]:
    return [
        render("plans.line.step", text=step.text, date=day_label(step.due_on)) for step in steps
    ]


def prep_lines(plan: ActionPlan, steps: list[ActionPlanStep], by: date) -> list[str]:
    """The manager's 1:1 prep: the plan's check-in date, how many steps are open, and the
    open ones due by the meeting's day."""
    open_steps = [step for step in steps if step.done_at is None]
    key = "plans.prep.plan_topic" if plan.topic else "plans.prep.plan"
    head = render(
        key,
        topic=plan.topic,
        date=day_label(plan.check_in_on),
        open=len(open_steps),
        total=len(steps),
    )
    due = [
        render("plans.prep.due", text=step.text, date=day_label(step.due_on))
        for step in open_steps
        if step.due_on <= by
    ]
    return [head, *due]
