"""The reflection's buttons, form and journal: Block Kit layouts only."""

from __future__ import annotations

from typing import Any

from bot import blocks
from bot.models import Reflection
from bot.prompts import Safe, plural, render
from bot.reflections.store import ANSWER_LIMIT, RATINGS, monday_of

ANSWER = "reflection_answer"  # value: the entry's id
SKIP = "reflection_skip"  # value: the entry's id
CALLBACK_ID = "reflection_form"  # private_metadata: the entry's id
TEXT_BLOCK, TEXT = "reflection_text", "text"
RATING_BLOCK, RATING = "reflection_rating", "rating"
TITLE_LIMIT = 24


def _plain(key: str, limit: int = 2000, **values: Any) -> dict[str, Any]:
    return blocks.plain(render(key, **values), limit)


def buttons(entry_id: int) -> blocks.Block:
    """*Answer* and *Skip* under the summary's question."""
    return blocks.actions(
        blocks.button(render("reflection.answer_button"), ANSWER, str(entry_id), style="primary"),
        blocks.button(render("reflection.skip_button"), SKIP, str(entry_id)),
        block_id="reflection_actions",
    )


def week_name(week: str) -> str:
    monday = monday_of(week)
    return render("summary.week_of", day=f"{monday.day} {monday:%b}")


def form_view(entry: Reflection) -> dict[str, Any]:
    """A few lines and a 1-5 on how they did; an earlier answer is there to change."""
    options = [{"text": _plain(f"reflection.rating.{n}", 75), "value": str(n)} for n in RATINGS]
    rating: dict[str, Any] = {"type": "radio_buttons", "action_id": RATING, "options": options}
    if entry.rating in RATINGS:
        rating["initial_option"] = options[entry.rating - 1]
    text: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": TEXT,
        "multiline": True,
        "max_length": ANSWER_LIMIT,
        "placeholder": _plain("reflection.form.placeholder", 150),
    }
    if entry.answer:
        text["initial_value"] = entry.answer
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "private_metadata": str(entry.id),
        "title": _plain("reflection.form.title", TITLE_LIMIT),
        "submit": _plain("reflection.form.submit", TITLE_LIMIT),
        "close": _plain("reflection.form.close", TITLE_LIMIT),
        "blocks": [
            blocks.section(render("reflection.form.question", question=Safe(entry.question))),
            {
                "type": "input",
                "block_id": TEXT_BLOCK,
                "label": _plain("reflection.form.text_label"),
                "element": text,
            },
            {
                "type": "input",
                "block_id": RATING_BLOCK,
                "label": _plain("reflection.form.rating_label"),
                "element": rating,
            },
            blocks.context(render("reflection.form.private")),
        ],
    }


def notice_view(text: str) -> dict[str, Any]:
    """The form turned into one line: saved, or why not."""
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID + "_done",
        "title": _plain("reflection.form.title", TITLE_LIMIT),
        "close": _plain("settings.saved.close", TITLE_LIMIT),
        "blocks": [blocks.section(text)],
    }


def figures_line(figures: dict[str, Any]) -> str:
    """That week's numbers, as the summary showed them, in one line; zeros left out."""
    counts = [
        ("summary.count.praise", figures.get("praise", 0)),
        ("summary.count.redirects", figures.get("redirects", 0)),
        ("summary.count.finished", figures.get("finished", 0)),
        ("reflection.count.blockers", figures.get("blockers", 0)),
    ]
    parts = [plural(key, int(n)) for key, n in counts if n]
    if figures.get("checkins_sent"):
        parts.append(
            render(
                "reflection.checkins",
                answered=figures.get("checkins_answered", 0),
                sent=figures["checkins_sent"],
            )
        )
    return " · ".join(parts) if parts else render("reflection.quiet_week")


def entry_text(entry: Reflection) -> str:
    return render(
        "reflection.journal.entry",
        week=week_name(entry.week),
        rating=entry.rating or "-",
        question=Safe(entry.question),
        answer=entry.answer or "",
        figures=Safe(figures_line(entry.figures or {})),
    )


def journal_blocks(entries: list[Reflection], total: int) -> list[blocks.Block]:
    """The manager's journal on their Home: the latest few, the rest counted."""
    if not entries:
        return []
    body: list[blocks.Block] = [
        blocks.header(render("reflection.journal.heading")),
        blocks.context(render("reflection.journal.private")),
        *(blocks.section(entry_text(entry)) for entry in entries),
    ]
    if total > len(entries):
        body.append(blocks.context(plural("reflection.journal.more", total - len(entries))))
    return body


def trend(ratings: list[int]) -> str:
    """The latest self-ratings, oldest first, as a line: "3 → 4 → 2 → 4"."""
    if not ratings:
        return render("reflection.trend.none")
    arrows = " → ".join(str(n) for n in ratings)
    return plural("reflection.trend.line", len(ratings), ratings=arrows)
