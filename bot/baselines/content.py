"""The parts of a baseline: read from the form, and shown as lines or one short summary."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot import blocks
from bot.dates import Reader
from bot.prompts import render

AREAS = ("results", "customers", "quality", "relationships", "leadership", "growth")
TEXTS = (*AREAS, "ground_rules", "judged_by")  # free text, each optional
BY_WHEN = "by_when"  # a date, optional
PART_LIMIT = 500
FIELD = "value"  # every input's action_id; parts are told apart by block_id

Content = dict[str, str]


def read(values: dict[str, Any]) -> tuple[Content, dict[str, str]]:
    """The parts a form submission holds, and per-part errors (nothing kept when any)."""
    content: Content = {}
    errors: dict[str, str] = {}
    for part in TEXTS:
        text = _value(values, part, "value").strip()
        if len(text) > PART_LIMIT:
            errors[part] = render("baseline.refuse.long", length=len(text), limit=PART_LIMIT)
        elif text:
            content[part] = text
    day = _value(values, BY_WHEN, "selected_date")
    try:
        if day:
            content[BY_WHEN] = date.fromisoformat(day).isoformat()
    except ValueError:
        errors[BY_WHEN] = render("baseline.form.empty")
    if not errors and not any(part in content for part in TEXTS):
        errors[TEXTS[0]] = render("baseline.form.empty")
    return content, errors


def _value(values: dict[str, Any], block_id: str, key: str) -> str:
    """One field's value; anything but text (a forged or odd payload) reads as empty."""
    block = values.get(block_id)
    field = block.get(FIELD) if isinstance(block, dict) else None
    value = field.get(key) if isinstance(field, dict) else None
    return value if isinstance(value, str) else ""


def by_when(content: Content, reader: Reader) -> str:
    """'31 Mar' as `reader` says it, or '' when they set no date."""
    day = content.get(BY_WHEN)
    return reader.day(date.fromisoformat(day)) if day else ""


def lines(content: Content, reader: Reader) -> list[str]:
    """One line a part, in the form's order: '*Results:* ...'."""
    shown = [
        render("baseline.show.line", area=render(f"baseline.area.{part}"), text=content[part])
        for part in TEXTS
        if content.get(part)
    ]
    if content.get(BY_WHEN):
        area = render("baseline.area.by_when")
        shown.append(render("baseline.show.line", area=area, text=by_when(content, reader)))
    return shown


def summary(content: Content, limit: int, reader: Reader) -> str:
    """The parts run together in one short line, for a team list or a prep."""
    parts = [
        f"{render(f'baseline.area.{part}')}: {content[part]}" for part in TEXTS if content.get(part)
    ]
    if content.get(BY_WHEN):
        parts.append(f"{render('baseline.area.by_when')}: {by_when(content, reader)}")
    return blocks.clip(" · ".join(" ".join(p.split()) for p in parts), limit)
