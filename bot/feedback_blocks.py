"""What the giver sees: the confirmation with its buttons, and `/feedback list`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot import blocks, user_text
from bot.feedback import LADDER_WINDOW, Guidance, Kind, Rung, offers_share
from bot.models import Feedback
from bot.people import short_date
from bot.prompts import Safe, mention, render

SEND = "feedback_send"
UNDO = "feedback_undo"
SHARE = "feedback_share"
MARK_PRAISE = "feedback_mark_praise"
MARK_REDIRECT = "feedback_mark_redirect"
ACTIONS = (SEND, UNDO, SHARE, MARK_PRAISE, MARK_REDIRECT)
EXCERPT = 150
LIST_LIMIT = 20
LIST_EXCERPT = 300


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, ... 11th, 12th, 13th, ... 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def guidance_lines(advice: Guidance, about_id: str, rotate: int | None = None) -> list[str]:
    """The coaching line(s) after recording: a praise tip, or the ladder rung for a redirect."""
    rotate = advice.rotate if rotate is None else rotate
    if advice.kind is Kind.PRAISE:
        return [render("feedback.guide.praise", rotate=rotate)]
    if advice.kind is Kind.NOTE or advice.rung is None:
        return []
    lines: list[str] = []
    if advice.count >= 2:
        lines.append(
            render(
                "feedback.guide.count",
                nth=ordinal(advice.count),
                person=mention(about_id),
                topic=advice.topic,
                days=LADDER_WINDOW.days,
            )
        )
    lines.append(render(f"feedback.guide.{advice.rung.value}", rotate=rotate))
    if not advice.topic and advice.rung is Rung.SUPPORTIVE:
        lines.append(render("feedback.guide.no_topic"))
    return lines


@dataclass(frozen=True)
class Item:
    """One saved record as the confirmation shows it."""

    record: Feedback
    name: str  # the subject's display name, for button labels (plain text)
    manager_id: str | None  # the subject's manager right now
    advice: Guidance | None = None
    ask_kind: bool = False  # the kind was left out: offer Praise / Redirect
    undone: bool = False


def saved_line(record: Feedback) -> str:
    excerpt = user_text.excerpt(record.text, EXCERPT)
    person = mention(record.about_id)
    if record.kind == Kind.REDIRECT and record.topic:
        return render(
            "feedback.saved.redirect_topic", person=person, topic=record.topic, excerpt=excerpt
        )
    return render(f"feedback.saved.{record.kind}", person=person, excerpt=excerpt)


def status_line(record: Feedback) -> str:
    parts: list[str] = []
    if record.delivered_at is not None:
        parts.append(render("feedback.saved.sent", person=mention(record.about_id)))
    elif record.send_requested_at is not None:
        parts.append(render("feedback.saved.sending", person=mention(record.about_id)))
    if record.shared_with_id:
        parts.append(render("feedback.saved.shared", manager=mention(record.shared_with_id)))
    return " ".join(parts) or render("feedback.saved.private")


def item_blocks(item: Item) -> list[blocks.Block]:
    record = item.record
    if item.undone:
        return [blocks.section(render("feedback.saved.undone", person=mention(record.about_id)))]
    body = [blocks.section(saved_line(record))]
    if item.advice is not None:
        advice = guidance_lines(item.advice, record.about_id)
        if advice:
            body.append(blocks.section("\n".join(advice)))
    if item.ask_kind and record.kind == Kind.NOTE:
        body.append(blocks.section(render("feedback.guide.ask_kind")))
    value = str(record.id)
    buttons: list[blocks.Block] = []
    if record.send_requested_at is None:
        label = render("feedback.button.send", name=Safe(item.name))
        buttons.append(blocks.button(label, SEND, value, style="primary"))
    if item.ask_kind and record.kind == Kind.NOTE:
        buttons.append(blocks.button(render("feedback.button.praise"), MARK_PRAISE, value))
        buttons.append(blocks.button(render("feedback.button.redirect"), MARK_REDIRECT, value))
    if offers_share(record, item.manager_id):
        buttons.append(blocks.button(render("feedback.button.share"), SHARE, value))
    if record.send_requested_at is None:
        buttons.append(blocks.button(render("feedback.button.undo"), UNDO, value))
    if buttons:
        body.append(blocks.actions(*buttons, block_id=f"feedback_{record.id}"))
    body.append(blocks.context(status_line(record)))
    return body


def confirmation(items: list[Item], notice: str | None = None) -> list[blocks.Block]:
    body: list[blocks.Block] = [blocks.section(notice)] if notice else []
    for index, item in enumerate(items):
        if index:
            body.append(blocks.divider())
        body.extend(item_blocks(item))
    return body[: blocks.MESSAGE_BLOCK_LIMIT]


def confirmation_message(items: list[Item], notice: str | None = None) -> dict[str, Any]:
    fallback = notice or (saved_line(items[0].record) if items else "")
    return blocks.message(fallback, confirmation(items, notice))


def done_view(items: list[Item], ask_kind: bool, notice: str | None = None) -> dict[str, Any]:
    """The modal after saving: the same confirmation, its buttons working in place."""
    ids = [item.record.id for item in items]
    return {
        "type": "modal",
        "title": blocks.plain(render("feedback.modal.done_title"), 24),
        "close": blocks.plain(render("feedback.modal.done_close"), 24),
        "private_metadata": json.dumps({"ids": ids, "ask": ask_kind}, separators=(",", ":")),
        "blocks": confirmation(items, notice),
    }


def done_view_state(private_metadata: str) -> tuple[list[int], bool]:
    """The record ids and ask-kind flag a confirmation modal was built with."""
    try:
        data = json.loads(private_metadata or "{}")
    except json.JSONDecodeError:
        return [], False
    if not isinstance(data, dict):
        return [], False
    ids = [int(i) for i in data.get("ids") or [] if isinstance(i, int)]
    return ids, bool(data.get("ask"))


# --- /feedback list ---------------------------------------------------------------------------


def list_line(record: Feedback, viewer_id: str, tz: str) -> str:
    details: list[str] = []
    is_subject = viewer_id == record.about_id and viewer_id != record.giver_id
    if record.topic and not is_subject:  # the topic is the giver's own label
        details.append(render("feedback.list.topic", topic=record.topic))
    if record.source_link:
        details.append(render("feedback.list.source", url=record.source_link))
    if viewer_id == record.giver_id:
        if record.delivered_at is not None:
            sent = short_date(record.delivered_at, tz)
            details.append(render("feedback.list.sent", date=sent))
        if record.shared_with_id:
            details.append(render("feedback.list.shared", manager=mention(record.shared_with_id)))
        if record.delivered_at is None and not record.shared_with_id:
            details.append(render("feedback.list.private"))
    elif viewer_id == record.shared_with_id:
        details.append(render("feedback.list.shared_with_you"))
    return render(
        "feedback.list.line",
        date=short_date(record.created_at, tz),
        kind=render(f"feedback.kind_label.{record.kind}"),
        giver=mention(record.giver_id),
        details=Safe("".join(details)),
        excerpt=user_text.excerpt(record.text, LIST_EXCERPT),
    )


def listing(
    records: list[Feedback], viewer_id: str, about_id: str, total: int, tz: str
) -> dict[str, Any]:
    """`/feedback list @person`: what the viewer may see, newest first."""
    own = viewer_id == about_id
    if not records:
        text = (
            render("feedback.list.empty_self")
            if own
            else render("feedback.list.empty", person=mention(about_id))
        )
        return blocks.message(text, [blocks.section(text)])
    heading = (
        render("feedback.list.heading_self", count=total)
        if own
        else render("feedback.list.heading", person=mention(about_id), count=total)
    )
    lines = [list_line(record, viewer_id, tz) for record in records]
    body = [blocks.section(heading), *blocks.sections_from_lines(lines)[:45]]
    if total > len(records):
        body.append(blocks.context(render("feedback.list.more", shown=len(records), count=total)))
    return blocks.message(heading, body)
