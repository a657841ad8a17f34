"""The check-in's messages and its note form: Block Kit layouts, and what their buttons carry.

The DM lists the person's priorities, each with four answer buttons (or the answer once
given), then "Add a note or blocker" and "No changes today". What an answer changes is in
`answers`; who gets a check-in when, in `planning`.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from bot import blocks, priorities
from bot.models import ActionPlanStep, Checkin, Priority
from bot.outbox import Planned
from bot.plans import views as plan_views
from bot.priorities.text import due_label
from bot.prompts import Safe, mention, render
from bot.schedule import Schedule, describe_days, hhmm

CHECKIN = "checkin"  # the outbox kinds: one check-in (and one reminder) a person a local date
REMINDER = "checkin_reminder"
ANSWER = "checkin_answer_"  # + the answer: action ids must differ within a block
NOTE = "checkin_note"
NO_CHANGES = "checkin_no_changes"
CADENCE = "checkin_cadence_"  # + daily | weekly | paused: the back-off question's buttons
CADENCES = ("daily", "weekly", "paused")
SET_PRIORITIES = "priorities_prompt"  # the outbox kind: once a week, to someone with none
NOTE_FORM = "checkin_note_modal"  # the note form's callback_id
NOTE_LIMIT = 1000
HEARD = "heard"  # in a check-in's answers: when the manager sees the blocker raised in it
OWN_NOTE = "own_note"  # in a check-in's answers: a note kept just for its author
PRIVATE = "private"  # the note form's "Just for me" checkbox (its block id and value)
ANSWERS = (priorities.ON_TRACK, priorities.AT_RISK, priorities.BLOCKED, priorities.DONE)
MAX_SHOWN = 20  # two blocks each, inside the 50-block message limit


def answer_value(checkin_id: int, priority_id: int, answer: str) -> str:
    """What an answer button carries: which check-in, which priority, which answer."""
    return f"{checkin_id}:{priority_id}:{answer}"


def read_answer_value(value: str) -> tuple[str, str, str]:
    """(check-in id, priority id, answer) as a button says them: claims, for the use case
    to check against the person who pressed it."""
    checkin_id, _, rest = value.partition(":")
    priority_id, _, answer = rest.partition(":")
    return checkin_id, priority_id, answer


def checkin_message(
    checkin: Checkin,
    items: list[Priority],
    flags: dict[int, str] | None = None,
    steps: list[ActionPlanStep] | None = None,
    focus: list[blocks.Block] | None = None,
) -> dict[str, Any]:
    """The check-in as it stands: answered priorities show their answer, the rest their
    buttons; then the open steps of an agreed action plan, each with *Done*; then `focus`,
    the one thing they practise (`bot.focus.checkin`). With no priorities but steps or a
    focus, just those: no prompt to set priorities."""
    answers: dict[str, str] = checkin.answers or {}
    if not items and not any(k.isdigit() for k in answers):
        if not steps and not focus:
            text = render("checkin.no_priorities")
            return blocks.message(text, [blocks.section(text)])
        text = render("checkin.practice_only")  # a plan's steps or a focus, no priorities
        return blocks.message(
            text, [blocks.section(text), *plan_views.checkin_blocks(steps or []), *(focus or [])]
        )
    greeting = render("checkin.greeting", rotate=checkin.id)
    body: list[blocks.Block] = [blocks.section(greeting)]
    shown = items[:MAX_SHOWN]
    for number, priority in enumerate(shown, start=1):
        line = render("checkin.priority_line", number=number, title=priority.title)
        line += due_label(priority, checkin.local_date)
        if flags and flags.get(priority.id) == "stale":  # overdue already shows "was due"
            line += render("checkin.flag_stale")
        answer = answers.get(str(priority.id))
        body.append(blocks.section(line, block_id=f"p{priority.id}"))
        if answer:
            body.append(blocks.context(render(f"checkin.answered.{answer}")))
        else:
            body.append(
                blocks.actions(
                    *[
                        blocks.button(
                            render(f"checkin.button.{choice}"),
                            ANSWER + choice,
                            answer_value(checkin.id, priority.id, choice),
                            style="primary" if choice == priorities.DONE else None,
                        )
                        for choice in ANSWERS
                    ],
                    block_id=f"a{priority.id}",
                )
            )
    if len(items) > MAX_SHOWN:
        body.append(blocks.context(render("checkin.more", count=len(items) - MAX_SHOWN)))
    body.extend(plan_views.checkin_blocks(steps or []))
    body.extend(focus or [])
    if answers.get("note"):
        body.append(blocks.context(render("checkin.noted", note=answers["note"])))
    if answers.get(OWN_NOTE):  # the check-in is its author's: `visibility.may_read_checkin_note`
        body.append(blocks.context(render("checkin.noted_private", note=answers[OWN_NOTE])))
    if answers.get(HEARD):
        body.append(blocks.context(answers[HEARD]))
    if all(str(p.id) in answers for p in shown):
        body.append(blocks.context(render("checkin.all_answered", rotate=checkin.id)))
    else:
        body.append(
            blocks.actions(
                blocks.button(render("checkin.button.note"), NOTE, str(checkin.id)),
                blocks.button(render("checkin.button.no_changes"), NO_CHANGES, str(checkin.id)),
                block_id="checkin_footer",
            )
        )
    return blocks.message(render("checkin.text"), body)


def checkin_dm(
    team_id: str,
    user_id: str,
    checkin: Checkin,
    items: list[Priority],
    flags: dict[int, str] | None,
    now: datetime,
    reason: str,
    steps: list[ActionPlanStep] | None = None,
    focus: list[blocks.Block] | None = None,
) -> Planned:
    """The check-in as an outbox row, due now: one a person a local date (the row's key)."""
    return Planned(
        team_id=team_id,
        recipient_id=user_id,
        kind=CHECKIN,
        subject="",
        period=checkin.local_date.isoformat(),
        body=checkin_message(checkin, items, flags, steps, focus),
        not_before=now,
        reason=reason,
    )


def reminder_dm(checkin: Checkin, now: datetime) -> Planned:
    """The one reminder of a check-in still unanswered."""
    text = render("checkin.reminder", rotate=checkin.id)
    return Planned(
        team_id=checkin.team_id,
        recipient_id=checkin.user_id,
        kind=REMINDER,
        subject="",
        period=checkin.local_date.isoformat(),
        body=blocks.message(text, [blocks.section(text)]),
        not_before=now,
        reason="check-in not answered yet",
    )


def priorities_prompt_dm(team_id: str, user_id: str, week: date, now: datetime) -> Planned:
    """The week's one prompt to someone with no priorities to set some (no daily check-in)."""
    text = render("checkin.set_priorities")
    return Planned(
        team_id=team_id,
        recipient_id=user_id,
        kind=SET_PRIORITIES,
        subject="",
        period=week.isoformat(),
        body=blocks.message(text, [blocks.section(text)]),
        not_before=now,
        reason="no priorities yet: the week's prompt to set some",
    )


def cadence_question_dm(team_id: str, user_id: str, now: datetime) -> Planned:
    """The one question after unanswered check-ins: daily, weekly or paused?"""
    text = render("checkin.cadence.question")
    buttons = [
        blocks.button(render(f"checkin.cadence.button.{choice}"), CADENCE + choice, choice)
        for choice in CADENCES
    ]
    return Planned(
        team_id=team_id,
        recipient_id=user_id,
        kind=CADENCE.rstrip("_"),
        subject="",
        period="asked",
        body=blocks.message(text, [blocks.section(text), blocks.actions(*buttons)]),
        not_before=now,
        reason="check-ins unanswered a while: asked how often they want them",
    )


def note_form(checkin_id: int, active: list[Priority], manager_id: str | None) -> dict[str, Any]:
    """The note form: which priority (if any), what's going on, whether it blocks, and
    whether it is just for the person; it says who will read it (`manager_id`).

    It carries only the check-in's id; whose check-in it is, and which message shows it,
    the use case reads from the database when the form comes back.
    """
    options = [
        {"text": blocks.plain(f"{n}. {p.title}", 75), "value": str(p.id)}
        for n, p in enumerate(active[:100], start=1)
    ]
    inputs: list[dict[str, Any]] = []
    if options:
        inputs.append(
            {
                "type": "input",
                "block_id": "priority",
                "optional": True,
                "label": _plain("modal.priority_label"),
                "element": {
                    "type": "static_select",
                    "action_id": "value",
                    "placeholder": _plain("modal.priority_placeholder"),
                    "options": options,
                },
            }
        )
    readers = (
        render("checkin.modal.readers", manager=mention(manager_id))
        if manager_id
        else render("checkin.modal.readers_nobody")
    )
    inputs.append(blocks.context(readers))
    inputs.append(
        {
            "type": "input",
            "block_id": "note",
            "label": _plain("modal.note_label"),
            "element": {
                "type": "plain_text_input",
                "action_id": "value",
                "multiline": True,
                "max_length": NOTE_LIMIT,
                "placeholder": _plain("modal.note_placeholder"),
            },
        }
    )
    inputs.append(
        {
            "type": "input",
            "block_id": "blocker",
            "optional": True,
            "label": _plain("modal.blocker_label"),
            "element": {
                "type": "checkboxes",
                "action_id": "value",
                "options": [{"text": _plain("modal.blocker_label"), "value": "blocker"}],
            },
        }
    )
    inputs.append(
        {
            "type": "input",
            "block_id": PRIVATE,
            "optional": True,
            "label": _plain("modal.private_label"),
            "element": {
                "type": "checkboxes",
                "action_id": "value",
                "options": [{"text": _plain("modal.private_option", 75), "value": PRIVATE}],
            },
        }
    )
    return {
        "type": "modal",
        "callback_id": NOTE_FORM,
        "title": _plain("modal.title", 24),
        "submit": _plain("modal.submit", 24),
        "close": _plain("modal.close", 24),
        "private_metadata": json.dumps({"checkin": checkin_id}),
        "blocks": inputs,
    }


def usage(schedule: Schedule, now: datetime) -> str:
    """`/checkin help`: the commands, and how the person's check-ins stand now."""
    today = schedule.local_date(now)
    if schedule.checkins_off:
        state = render("checkin.command.state_off")
    elif schedule.snoozed_until is not None and schedule.snoozed_until >= today:
        state = render("checkin.command.state_snoozed", date=schedule.snoozed_until.isoformat())
    else:
        state = render("checkin.command.state_on")
    now_line = render(
        "checkin.command.settings",
        state=state,
        time=hhmm(schedule.checkin_start),
        tz=schedule.tz,
        days=describe_days(schedule.work_days),
    )
    return render("checkin.command.usage", settings=Safe(now_line))


def _plain(key: str, limit: int = blocks.SECTION_LIMIT) -> dict[str, Any]:
    return blocks.plain(render(f"checkin.{key}"), limit)
