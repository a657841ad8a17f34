"""The pulse's messages and form: Block Kit layouts only."""

from __future__ import annotations

from typing import Any

from bot import blocks
from bot.prompts import Safe, mention, render
from bot.pulse.rules import COMMENT_LIMIT, SCORES, QuestionResult, Results

ANSWER = "pulse_answer"  # the DM's button; value: "<manager id>|<month>"
CALLBACK_ID = "pulse_form"  # private_metadata: "<manager id>|<month>"
SCORE = "score"
COMMENT = "comment"
TITLE_LIMIT = 24
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")  # fmt: skip


def claim(manager_id: str, month: str) -> str:
    return f"{manager_id}|{month}"


def read_claim(value: str) -> tuple[str, str]:
    manager_id, _, month = value.partition("|")
    return manager_id, month


def score_block(question: str) -> str:
    return f"q_{question}"


def comment_block(question: str) -> str:
    return f"c_{question}"


def month_name(month: str) -> str:
    year, number = month.split("-")
    return f"{MONTH_NAMES[int(number) - 1]} {year}"


def statement(question: str) -> str:
    return render(f"pulse.question.{question}.statement")


def ask_message(manager_id: str, month: str, until: str, threshold: int) -> dict[str, Any]:
    """The DM to a report: what it is, that it is anonymous, and one button."""
    manager = mention(manager_id)
    body = [
        blocks.section(render("pulse.ask.body", manager=manager, until=until)),
        blocks.context(render("pulse.ask.anonymous", manager=manager, threshold=threshold)),
        blocks.actions(
            blocks.button(
                render("pulse.ask.answer_button"), ANSWER, claim(manager_id, month), style="primary"
            )
        ),
    ]
    return blocks.message(render("pulse.ask.text", manager=manager), body)


def reminder_message(manager_id: str, month: str, until: str) -> dict[str, Any]:
    """The one reminder: the same button, no pressure, and the same promise."""
    manager = mention(manager_id)
    body = [
        blocks.section(render("pulse.remind.body", manager=manager, until=until)),
        blocks.actions(
            blocks.button(
                render("pulse.ask.answer_button"), ANSWER, claim(manager_id, month), style="primary"
            )
        ),
    ]
    return blocks.message(render("pulse.remind.text", manager=manager, until=until), body)


def _plain(key: str, limit: int = 2000, **values: Any) -> dict[str, Any]:
    return blocks.plain(render(key, **values), limit)


def form_view(manager_id: str, month: str, questions: list[str]) -> dict[str, Any]:
    """The three statements, each 1-5 with an optional comment."""
    options = [{"text": _plain(f"pulse.score.{n}", 75), "value": str(n)} for n in SCORES]
    body: list[blocks.Block] = [blocks.context(render("pulse.form.intro"))]
    for question in questions:
        body.append(
            {
                "type": "input",
                "block_id": score_block(question),
                "label": blocks.plain(statement(question), 2000),
                "element": {"type": "radio_buttons", "action_id": SCORE, "options": options},
            }
        )
        body.append(
            {
                "type": "input",
                "block_id": comment_block(question),
                "optional": True,
                "label": _plain("pulse.form.comment_label"),
                "element": {
                    "type": "plain_text_input",
                    "action_id": COMMENT,
                    "multiline": True,
                    "max_length": COMMENT_LIMIT,
                    "placeholder": _plain("pulse.form.comment_placeholder", 150),
                },
            }
        )
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "private_metadata": claim(manager_id, month),
        "title": _plain("pulse.form.title", TITLE_LIMIT),
        "submit": _plain("pulse.form.submit", TITLE_LIMIT),
        "close": _plain("pulse.form.close", TITLE_LIMIT),
        "blocks": body,
    }


def thanks_view(manager_id: str) -> dict[str, Any]:
    text = render("pulse.form.thanks", manager=mention(manager_id))
    return notice_view(text, title="pulse.form.thanks_title")


def notice_view(text: str, title: str = "pulse.form.title") -> dict[str, Any]:
    """The form turned into one line: thanks, or why it was not taken (closed, answered...)."""
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID + "_done",
        "title": _plain(title, TITLE_LIMIT),
        "close": _plain("settings.saved.close", TITLE_LIMIT),
        "blocks": [blocks.section(text)],
    }


def _number(value: float) -> str:
    return f"{value:g}"


def _trend(result: QuestionResult) -> str:
    if result.before is None:
        return render("pulse.results.first_time")
    before = _number(result.before)
    if result.median > result.before:
        return render("pulse.results.up", before=before)
    if result.median < result.before:
        return render("pulse.results.down", before=before)
    return render("pulse.results.same")


def results_lines(found: Results) -> list[str]:
    """What may be shown of a round, as lines: nothing of substance under the threshold."""
    if not found.visible:
        return [render("pulse.results.not_enough")]
    lines = [render("pulse.results.answered", count=found.respondents)]
    for result in found.questions:
        lines.append(
            render(
                "pulse.results.question",
                statement=statement(result.question),
                median=_number(result.median),
                low=result.low,
                high=result.high,
                trend=Safe(_trend(result)),
            )
        )
    return lines


def results_message(found: Results) -> dict[str, Any]:
    """The manager's monthly results: each statement's median and spread against last time,
    then the comments in random order (only above the threshold)."""
    month = month_name(found.month)
    body: list[blocks.Block] = [blocks.header(render("pulse.results.heading", month=month))]
    body.extend(blocks.section(line) for line in results_lines(found))
    if found.visible:
        if found.comments_visible and found.comments:
            body.append(blocks.divider())
            body.append(blocks.section(render("pulse.results.comments_heading")))
            body.extend(
                blocks.sections_from_lines([f"• {_escaped(text)}" for _, text in found.comments])[
                    :30
                ]
            )
        elif not found.comments_visible:
            body.append(
                blocks.context(render("pulse.results.comments_hidden", threshold=found.threshold))
            )
        lowest = found.lowest()
        if lowest is not None:
            body.append(
                blocks.context(render("pulse.results.lowest", statement=statement(lowest.question)))
            )
    return blocks.message(render("pulse.results.text", month=month), body)


def _escaped(text: str) -> str:
    from bot.prompts import escape

    return escape(text)
