"""The one-on-one's messages and forms: the shared agenda, the manager's prep, the wrap-up.

Layouts only: what they show was gathered in `gather`, and who sees them was decided by
who they are sent to (the agenda to the pair's group DM, the prep to the manager alone).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from bot import blocks
from bot.baselines import views as baseline_views
from bot.feedback.rules import Rung
from bot.focus import views as focus_views
from bot.models import Agreement, Priority
from bot.oneonones.agenda import ITEM_LIMIT, Pair
from bot.oneonones.gather import Agenda, Prep
from bot.plans import views as plan_views
from bot.priorities import ACTIVE, DONE, DROPPED
from bot.priorities.text import day_label
from bot.prompts import Safe, mention, plural, render

FOLD_AFTER = 20  # agenda lines shown; the rest are counted
ADD_ITEM = "oneonone_add_item"
WRAP_UP = "oneonone_wrap_up"
ADD_FORM = "oneonone_add_form"
WRAP_FORM = "oneonone_wrap_form"
ITEM_BLOCK, ITEM_INPUT = "item", "text"
REPORT_WILL, MANAGER_WILL, NOTE = "report_will", "manager_will", "note"
FIELD = "value"
UNTOLD_SHOWN = 3


def claim(pair: Pair, occurrence: str) -> str:
    """What the agenda's buttons and forms carry: the pair and the meeting."""
    return f"{pair.key}@{occurrence}"


def read_claim(value: str) -> tuple[str, str]:
    """('manager:report', occurrence) from a button's value or a form's metadata."""
    pair, _, occurrence = value.partition("@")
    return pair, occurrence


def when(moment: datetime) -> Safe:
    """A meeting time that Slack shows in each reader's own zone."""
    stamp = int(moment.timestamp())
    fallback = moment.strftime("%Y-%m-%d %H:%M UTC")
    return Safe(f"<!date^{stamp}^{{date_short_pretty}} at {{time}}|{fallback}>")


def lead_words(minutes: int) -> str:
    """'an hour', '2 hours', '30 minutes', 'a day': a lead time as said."""
    if minutes % (24 * 60) == 0:
        return plural("oneonone.lead.days", minutes // (24 * 60))
    if minutes % 60 == 0:
        return plural("oneonone.lead.hours", minutes // 60)
    return plural("oneonone.lead.minutes", minutes)


# --- the agenda ------------------------------------------------------------------------------


def agenda_message(content: Agenda, at: datetime) -> dict[str, Any]:
    pair = content.pair
    names = {"manager": mention(pair.manager_id), "report": mention(pair.report_id)}
    top = [
        blocks.section(render("oneonone.agenda.title", **names)),
        blocks.context(render("oneonone.agenda.when", when=when(at))),
    ]
    sections = [
        ("oneonone.agenda.watch", [_watch_line(w.priority, w.why) for w in content.watch]),
        ("plans.agenda.heading", plan_views.agenda_lines(content.steps)),
        ("oneonone.agenda.items", [_item_line(item.author_id, item.text, item.source)
                                   for item in content.items]),
        ("oneonone.agenda.agreed", [_agreed_line(a, p) for a, p in content.agreed]),
    ]  # fmt: skip
    body: list[blocks.Block] = []
    room = FOLD_AFTER
    for heading, lines in sections:
        shown = lines[: max(room, 0)]
        room -= len(shown)
        if shown:
            body.extend(blocks.sections_from_lines([render(heading), *shown]))
    if not body:
        body.append(blocks.section(render("oneonone.agenda.empty")))
    if content.size > FOLD_AFTER:
        body.append(blocks.context(render("oneonone.agenda.more", count=content.size - FOLD_AFTER)))
    value = claim(pair, content.occurrence)
    buttons = blocks.actions(
        blocks.button(render("oneonone.agenda.add"), ADD_ITEM, value),
        blocks.button(render("oneonone.agenda.wrap_up"), WRAP_UP, value, style="primary"),
    )
    return blocks.message(
        render("oneonone.agenda.fallback", **names), [*top, blocks.divider(), *body, buttons]
    )


def _watch_line(priority: Priority, why: str) -> str:
    return render(
        "oneonone.agenda.watch_line",
        owner=mention(priority.owner_id),
        title=priority.title,
        why=render(f"oneonone.why.{why}"),
    )


def _item_line(author_id: str, text: str, source: str) -> str:
    del source  # every source reads the same: who brought it, and what
    return render("oneonone.agenda.item_line", author=mention(author_id), text=text)


def _agreed_line(agreement: Agreement, priority: Priority | None) -> str:
    if priority is None or priority.title == "":
        state = "gone"
    elif priority.state in (DONE, DROPPED):
        state = priority.state
    elif priority.health in ("at_risk", "blocked"):
        state = priority.health
    else:
        state = ACTIVE
    return render(
        "oneonone.agenda.agreed_line",
        owner=mention(agreement.owner_id),
        title=agreement.text,
        state=render(f"oneonone.state.{state}"),
    )


def wrapped_agenda(message: dict[str, Any], by: str) -> dict[str, Any]:
    """The agenda once wrapped up: its buttons give way to who wrapped it up."""
    kept = [b for b in message.get("blocks", []) if b.get("type") != "actions"]
    kept.append(blocks.context(render("oneonone.agenda.wrapped", person=mention(by))))
    return blocks.message(message.get("text", ""), kept)


# --- the manager's prep ----------------------------------------------------------------------


def prep_message(content: Prep, at: datetime) -> dict[str, Any]:
    report = mention(content.pair.report_id)
    lines = [render("oneonone.prep.private", when=when(at))]
    if content.baseline is not None and content.reader is not None:
        lines.append(baseline_views.prep_line(content.baseline, content.reader))
    if content.focus is not None:
        lines.append(focus_views.prep_line(*content.focus))
    for plan, steps in content.plans:
        lines.extend(plan_views.prep_lines(plan, steps, content.day or at.date()))
    if content.untold:
        lines.append(plural("oneonone.prep.untold", len(content.untold)))
        lines.extend(
            render("oneonone.prep.untold_line", text=blocks.clip(f.text, 120))
            for f in content.untold[:UNTOLD_SHOWN]
        )
    for topic, count, rung in content.ladder:
        lines.append(render("oneonone.prep.ladder", topic=topic, count=count, rung=_rung(rung)))
    if content.days_since_praise is None:
        lines.append(render("oneonone.prep.never_praised", person=report))
    else:
        days = content.days_since_praise
        lines.append(
            render("oneonone.prep.praised_today")
            if days == 0
            else plural("oneonone.prep.praised", days)
        )
    if content.note is not None:
        lines.append(render("oneonone.prep.note", note=blocks.clip(content.note.note, 500)))
    question = render(f"oneonone.question.{content.question}", person=report)
    lines.append(render("oneonone.prep.question", question=Safe(question)))
    return blocks.message(
        render("oneonone.prep.fallback", person=report),
        [
            blocks.section(render("oneonone.prep.title", person=report)),
            *blocks.sections_from_lines(lines),
        ],
    )


def _rung(rung: Rung) -> str:
    return render(f"oneonone.rung.{rung.value}")


# --- forms -----------------------------------------------------------------------------------


def _input(block_id: str, label: str, action_id: str, **element: Any) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block_id,
        "label": blocks.plain(label, 2000),
        "element": {"type": "plain_text_input", "action_id": action_id, **element},
    }


def _form(callback_id: str, title: str, submit: str, value: str, inputs: list[Any]) -> dict:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "private_metadata": value,
        "title": blocks.plain(render(title), 24),
        "submit": blocks.plain(render(submit), 24),
        "blocks": inputs,
    }


def add_item_form(value: str) -> dict[str, Any]:
    """*Add an item*: one line, for the pair and meeting `value` names."""
    label = render("oneonone.form.add_label")
    item = _input(ITEM_BLOCK, label, ITEM_INPUT, max_length=ITEM_LIMIT)
    return _form(ADD_FORM, "oneonone.form.add_title", "oneonone.form.add_submit", value, [item])


def wrap_up_form(value: str, manager_name: str, report_name: str) -> dict[str, Any]:
    """*Wrap up*: what each of them will do (a priority a line) and the actor's own note."""

    def optional(block_id: str, label: str, hint: str) -> dict[str, Any]:
        field = _input(block_id, label, FIELD, multiline=True)
        return {**field, "optional": True, "hint": blocks.plain(hint, 2000)}

    def will(block_id: str, name: str) -> dict[str, Any]:
        label = render("oneonone.form.will", name=name)
        return optional(block_id, label, render("oneonone.form.will_hint", name=name))

    note = optional(NOTE, render("oneonone.form.note"), render("oneonone.form.note_hint"))
    inputs = [will(REPORT_WILL, report_name), will(MANAGER_WILL, manager_name), note]
    return _form(WRAP_FORM, "oneonone.form.wrap_title", "oneonone.form.wrap_submit", value, inputs)


def wrap_up_post(by: str, lines: list[tuple[str, str, date | None]]) -> dict[str, Any]:
    """What both see in their group DM after a wrap-up: who owns what, by when."""
    if not lines:
        text = render("oneonone.wrap.posted_none", person=mention(by))
        return blocks.message(text, [blocks.section(text)])
    head = render("oneonone.wrap.posted", person=mention(by))
    rows = [
        render(
            "oneonone.wrap.line",
            owner=mention(owner),
            title=title,
            due=Safe(render("oneonone.wrap.due", date=day_label(due)) if due else ""),
        )
        for owner, title, due in lines
    ]
    return blocks.message(head, blocks.sections_from_lines([head, *rows]))


def saved_view(text: str) -> dict[str, Any]:
    """The wrap-up form once saved: what it did."""
    return {
        "type": "modal",
        "title": blocks.plain(render("oneonone.form.wrap_title"), 24),
        "close": blocks.plain(render("oneonone.form.close"), 24),
        "blocks": [blocks.section(text)],
    }
