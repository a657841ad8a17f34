"""The focus's messages: the proposal with *Accept* / *Not now*, the check-in's one tap,
and how it reads on Home, in a 1:1 prep and in `/coach focus`."""

from __future__ import annotations

from typing import Any

from bot import blocks
from bot.models import Focus
from bot.nudges.views import feedback_button
from bot.prompts import mention, render

ACCEPT = "focus_accept"
NOT_NOW = "focus_not_now"
PRACTISED = "focus_practised"
DONE = "focus_done"  # on both Home tabs (value: the focus's id)
TEXT_LIMIT = 200
WITH_BUTTONS = 10  # reports' focuses with *Done* on a manager's Home; the rest as lines


def proposal_message(focus: Focus) -> dict[str, Any]:
    """To the one who did not propose it: the focus, to accept or not."""
    key = (
        "focus.propose.to_report"
        if focus.proposed_by == focus.manager_id
        else "focus.propose.to_manager"
    )
    text = render(key, person=mention(focus.proposed_by), text=focus.text)
    value = str(focus.id)
    buttons = blocks.actions(
        blocks.button(render("focus.propose.accept"), ACCEPT, value, style="primary"),
        blocks.button(render("focus.propose.not_now"), NOT_NOW, value),
    )
    return blocks.message(text, [blocks.section(text), buttons])


def text_message(text: str, *elements: blocks.Block) -> dict[str, Any]:
    body = [blocks.section(text)]
    if elements:
        body.append(blocks.actions(*elements))
    return blocks.message(text, body)


def praise_button(focus: Focus, key: str) -> blocks.Block:
    """*Give praise*, the feedback form prefilled with the report and the focus."""
    return feedback_button(render(key), focus.report_id, "praise", "focus", focus.text)


def checkin_blocks(focus: Focus, practised_today: bool) -> list[blocks.Block]:
    """The check-in's part: the focus, and *Practised it today* (once a day)."""
    line = blocks.section(
        render("focus.checkin.line", text=focus.text),
        accessory=None
        if practised_today
        else blocks.button(render("focus.checkin.button"), PRACTISED, str(focus.id)),
        block_id="focus",
    )
    if practised_today:
        return [line, blocks.context(render("focus.checkin.done_today"))]
    return [line]


def shown(focus: Focus | None, other_id: str, practised: int) -> str:
    """`/coach focus @name`: the pair's focus as one of them reads it."""
    if focus is None:
        person = mention(other_id)
        return render("focus.show.none", person=person, person_plain=person)
    if focus.state != "active":
        return render("focus.show.proposed", text=focus.text)
    return render("focus.show.current", person=mention(other_id), text=focus.text, count=practised)


def done_button(focus: Focus) -> blocks.Block:
    return blocks.button(render("focus.done.button"), DONE, str(focus.id))


def home_own(focus: Focus, practised: int) -> blocks.Block:
    """The report's focus on their Home, with *Done*."""
    text = render("focus.show.home_own", text=focus.text, count=practised)
    return blocks.section(text, accessory=done_button(focus), block_id=f"focus_{focus.id}")


def home_team(focuses: list[tuple[Focus, int]]) -> list[blocks.Block]:
    """What each report practises, on their manager's Home: the first `WITH_BUTTONS` each
    with *Done*, the rest packed as lines (Home has room for 100 blocks in all)."""
    if not focuses:
        return []
    lines = [
        render("focus.show.home_team", person=mention(f.report_id), text=f.text, count=n)
        for f, n in focuses
    ]
    return [
        blocks.section(render("focus.show.home_team_heading")),
        *[
            blocks.section(line, accessory=done_button(f), block_id=f"focus_{f.id}")
            for line, (f, _) in zip(lines[:WITH_BUTTONS], focuses, strict=False)
        ],
        *blocks.sections_from_lines(lines[WITH_BUTTONS:]),
    ]


def prep_line(focus: Focus, practised: int) -> str:
    return render("focus.show.prep", text=focus.text, count=practised)
