"""The messages of `/priority`: the lists and their buttons, the delegated DM.

The status menu is shared with the Home tab, so both offer the same choices.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bot import blocks, outbox
from bot.models import Priority
from bot.priorities.rules import HEALTHS
from bot.priorities.text import priority_line, status_word
from bot.prompts import mention, render
from bot.refusal import Refusal
from bot.schedule import Schedule

DONE, STATUS, DROP = "priority_done", "priority_status", "priority_drop"
DELEGATED_KIND = "priority_delegated"
OWN_SHOWN = 24  # two blocks each: with the heading and a notice, inside 50 blocks
REPORT_SHOWN = 40
PLACEHOLDER_LIMIT = 150  # characters Slack allows in a menu's placeholder


def misread(refusal: Refusal) -> str:
    """Why a `/priority ...` could not be read; for a word we don't know, how it's used."""
    text = refusal.render()
    return f"{text}\n\n{render('priority.usage')}" if refusal.key == "priority.unknown" else text


def own_list(items: list[Priority], limit: int, today: date) -> dict[str, Any]:
    """The actor's active priorities, numbered, each with its buttons."""
    if not items:
        return _text(render("priority.list.empty"))
    heading = render("priority.list.heading", count=len(items), limit=limit)
    body: list[blocks.Block] = [blocks.section(heading)]
    for number, priority in enumerate(items[:OWN_SHOWN], start=1):
        body.append(blocks.section(priority_line(number, priority, today)))
        body.append(list_buttons(priority))
    return blocks.message(heading, body)


def report_list(
    owner: str,
    items: list[Priority],
    limit: int,
    viewer: Schedule,
    owner_today: date,
    now: datetime,
) -> dict[str, Any]:
    """A report's active priorities as their manager sees them: who touched each, when
    (in the manager's zone); due and overdue as of the owner's own `owner_today`."""
    if not items:
        return _text(render("priority.list.their_empty", owner=mention(owner)))
    heading = render(
        "priority.list.their_heading", owner=mention(owner), count=len(items), limit=limit
    )
    body: list[blocks.Block] = [blocks.section(heading)]
    for number, priority in enumerate(items[:REPORT_SHOWN], start=1):
        body.append(blocks.section(priority_line(number, priority, owner_today)))
        when = priority.touched_at.astimezone(viewer.zone).strftime("%a %-d %b %H:%M")
        body.append(
            blocks.context(
                render("priority.list.updated", when=when, who=mention(priority.updated_by))
            )
        )
    return blocks.message(heading, body)


def after_press(note: str, listing: dict[str, Any]) -> dict[str, Any]:
    """The list again after one of its buttons, with what the press did on top."""
    shown = listing.get("blocks") or [blocks.section(listing["text"])]
    return blocks.message(f"{note}\n\n{listing['text']}", [blocks.context(note), *shown])


def status_menu(
    priority: Priority, action_id: str, placeholder: str, *, show_current: bool = False
) -> blocks.Block:
    """A menu of the healths; each option's value is `<priority id>:<health>`."""
    options = [
        {
            "text": blocks.plain(status_word(h), blocks.BUTTON_TEXT_LIMIT),
            "value": f"{priority.id}:{h}",
        }
        for h in HEALTHS
    ]
    menu: blocks.Block = {
        "type": "static_select",
        "action_id": action_id,
        "placeholder": blocks.plain(placeholder, PLACEHOLDER_LIMIT),
        "options": options,
    }
    current = [o for o in options if o["value"] == f"{priority.id}:{priority.health}"]
    if show_current and current:
        menu["initial_option"] = current[0]
    return menu


def list_buttons(priority: Priority) -> blocks.Block:
    """Done, a status menu and Drop (which asks first) for one priority on the list."""
    value = str(priority.id)
    drop = blocks.button(render("priority.list.drop_button"), DROP, value, style="danger")
    drop["confirm"] = {
        "title": blocks.plain(render("priority.list.drop_confirm_title"), 100),
        "text": blocks.plain(render("priority.list.drop_confirm_text", title=priority.title), 300),
        "confirm": blocks.plain(render("priority.list.drop_confirm_yes"), 30),
        "deny": blocks.plain(render("priority.list.drop_confirm_no"), 30),
    }
    return blocks.actions(
        blocks.button(render("priority.list.done_button"), DONE, value, style="primary"),
        status_menu(priority, STATUS, render("priority.list.status_placeholder")),
        drop,
        block_id=f"priority_{value}",
    )


def delegated(priority: Priority, due: str, now: datetime) -> outbox.Planned:
    """The DM telling someone their manager set a priority for them."""
    manager = mention(priority.created_by)
    body = render("priority.delegated.body", manager=manager, title=priority.title, due=due)
    return outbox.Planned(
        team_id=priority.team_id,
        recipient_id=priority.owner_id,
        kind=DELEGATED_KIND,
        subject=str(priority.id),
        period="",
        body=blocks.message(
            render("priority.delegated.text", manager=manager, title=priority.title),
            [blocks.section(body)],
        ),
        not_before=now,
        reason=f"{priority.created_by} set a priority for {priority.owner_id}",
    )


def _text(text: str) -> dict[str, Any]:
    return blocks.message(text, [blocks.section(text)])
