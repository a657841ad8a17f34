"""The baseline's form and messages, and how it shows on Home and in a 1:1 prep.

Layouts only: who may see one was decided before (`bot.visibility.may_see_pair`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot import blocks
from bot.baselines.content import BY_WHEN, FIELD, PART_LIMIT, TEXTS, Content, lines, summary
from bot.dates import Reader
from bot.models import Baseline
from bot.prompts import mention, render

WRITE = "baseline_write"  # opens the form: *Write it down*, *Revise*
AGREE = "baseline_agree"
SUGGEST = "baseline_suggest"
STILL_HOLDS = "baseline_still_holds"
FORM = "baseline_form"
COMMENT_FORM = "baseline_comment_form"
COMMENT = "comment"
TITLE_LIMIT = 24
SUMMARY_LIMIT = 280


def claim(row: Baseline) -> str:
    """What *Agree* and *Suggest a change* carry: the pair and the version they offered."""
    return f"{row.manager_id}:{row.report_id}@{row.version}"


def read_claim(value: str) -> tuple[str, str, str]:
    """(manager, report, version) from a button's value or a form's metadata."""
    pair, _, version = value.partition("@")
    manager, _, report = pair.partition(":")
    return manager, report, version


def day(moment: datetime | None, reader: Reader) -> str:
    return reader.moment(moment) if moment is not None else ""


def write_button(label: str, report_id: str, primary: bool = False) -> blocks.Block:
    return blocks.button(render(label), WRITE, report_id, style="primary" if primary else None)


# --- forms ------------------------------------------------------------------------------------


def form(report_id: str, content: Content) -> dict[str, Any]:
    """*Write it down*: every part optional, filled with what was written last."""

    def text_input(part: str) -> dict[str, Any]:
        element: dict[str, Any] = {
            "type": "plain_text_input",
            "action_id": FIELD,
            "multiline": True,
            "max_length": PART_LIMIT,
        }
        if content.get(part):
            element["initial_value"] = content[part]
        return {
            "type": "input",
            "block_id": part,
            "optional": True,
            "label": blocks.plain(render(f"baseline.area.{part}"), 2000),
            "hint": blocks.plain(render(f"baseline.hint.{part}"), 2000),
            "element": element,
        }

    picker: dict[str, Any] = {"type": "datepicker", "action_id": FIELD}
    if content.get(BY_WHEN):
        picker["initial_date"] = content[BY_WHEN]
    inputs = [
        blocks.section(render("baseline.form.intro", person=mention(report_id))),
        *(text_input(part) for part in TEXTS),
        {
            "type": "input",
            "block_id": BY_WHEN,
            "optional": True,
            "label": blocks.plain(render("baseline.area.by_when"), 2000),
            "element": picker,
        },
    ]
    return _modal(FORM, "baseline.form.title", "baseline.form.submit", report_id, inputs)


def comment_form(value: str) -> dict[str, Any]:
    """*Suggest a change*: one comment back to the manager."""
    field = {
        "type": "input",
        "block_id": COMMENT,
        "label": blocks.plain(render("baseline.form.comment_label"), 2000),
        "element": {
            "type": "plain_text_input",
            "action_id": FIELD,
            "multiline": True,
            "max_length": PART_LIMIT,
        },
    }
    title, submit = "baseline.form.comment_title", "baseline.form.comment_submit"
    return _modal(COMMENT_FORM, title, submit, value, [field])


def _modal(callback_id: str, title: str, submit: str, value: str, body: list[Any]) -> dict:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "private_metadata": value,
        "title": blocks.plain(render(title), TITLE_LIMIT),
        "submit": blocks.plain(render(submit), TITLE_LIMIT),
        "blocks": body,
    }


def done_view(text: str) -> dict[str, Any]:
    """A form once sent: what it did."""
    return {
        "type": "modal",
        "title": blocks.plain(render("baseline.form.title"), TITLE_LIMIT),
        "close": blocks.plain(render("baseline.form.close"), TITLE_LIMIT),
        "blocks": [blocks.section(text)],
    }


# --- messages ---------------------------------------------------------------------------------


def proposed_message(row: Baseline, reader: Reader) -> dict[str, Any]:
    """To the report: the baseline, with *Agree* and *Suggest a change*."""
    text = render("baseline.dm.proposed", manager=mention(row.manager_id))
    value = claim(row)
    buttons = blocks.actions(
        blocks.button(render("baseline.dm.agree"), AGREE, value, style="primary"),
        blocks.button(render("baseline.dm.suggest"), SUGGEST, value),
    )
    body = [blocks.section(text), *blocks.sections_from_lines(lines(row.proposal, reader)), buttons]
    return blocks.message(text, body)


def agreed_copy(row: Baseline, reader: Reader) -> dict[str, Any]:
    """The report's message once they agreed: the text stays, the buttons go."""
    text = render(
        "baseline.dm.agreed_copy", manager=mention(row.manager_id), date=day(row.agreed_at, reader)
    )
    body = [*blocks.sections_from_lines(lines(row.agreed or {}, reader)), blocks.context(text)]
    return blocks.message(text, body)


def suggested_copy(row: Baseline, reader: Reader) -> dict[str, Any]:
    """The report's message once they suggested a change: the text stays, the buttons go."""
    text = render("baseline.dm.change_you", manager=mention(row.manager_id))
    body = [*blocks.sections_from_lines(lines(row.proposal or {}, reader)), blocks.context(text)]
    return blocks.message(text, body)


def agreed_notice(row: Baseline) -> dict[str, Any]:
    text = render("baseline.dm.agreed", person=mention(row.report_id))
    return blocks.message(text, [blocks.section(text)])


def change_message(row: Baseline) -> dict[str, Any]:
    """To the manager: the report's suggested change, with *Revise*."""
    text = render("baseline.dm.change", person=mention(row.report_id), comment=row.comment)
    button = write_button("baseline.dm.revise", row.report_id, primary=True)
    return blocks.message(text, [blocks.section(text), blocks.actions(button)])


def review_message(row: Baseline, reader: Reader) -> dict[str, Any]:
    """To the manager, every few months: does it still hold?"""
    text = render(
        "baseline.review.ask", person=mention(row.report_id), date=day(row.agreed_at, reader)
    )
    buttons = blocks.actions(
        blocks.button(render("baseline.review.holds"), STILL_HOLDS, row.report_id, style="primary"),
        write_button("baseline.review.revise", row.report_id),
    )
    body = [
        blocks.section(text),
        *blocks.sections_from_lines(lines(row.agreed or {}, reader)),
        buttons,
    ]
    return blocks.message(text, body)


# --- where it shows ---------------------------------------------------------------------------


def shown_to(
    row: Baseline | None, is_manager: bool, other_id: str, reader: Reader
) -> list[blocks.Block]:
    """A pair's baseline as one of them reads it (`/coach baseline`, a report's Home);
    `other_id` is the other one of the pair."""
    other = mention(other_id)
    body: list[blocks.Block] = []
    if row is not None and row.agreed:
        heading = render("baseline.show.heading", person=other, date=day(row.agreed_at, reader))
        body.extend(blocks.sections_from_lines([heading, *lines(row.agreed, reader)]))
    if row is not None and row.state != "agreed" and is_manager:
        key = "baseline.show.waiting" if row.state == "sent" else "baseline.show.changes"
        body.append(blocks.context(render(key, person=other)))
    if not body:
        key = "baseline.show.none_manager" if is_manager else "baseline.show.none_report"
        body.append(blocks.section(render(key, person=other)))
    if is_manager:
        label = "baseline.show.write" if row is None or not row.agreed else "baseline.dm.revise"
        body.append(blocks.actions(write_button(label, other_id)))
    return body


def team_lines(rows: list[Baseline], reader: Reader) -> list[str]:
    """A manager's agreed baselines, one short line a report."""
    return [
        render(
            "baseline.show.team_line",
            person=mention(row.report_id),
            date=day(row.agreed_at, reader),
            summary=summary(row.agreed or {}, SUMMARY_LIMIT, reader),
        )
        for row in rows
        if row.agreed
    ]


def prep_line(row: Baseline, reader: Reader) -> str:
    return render(
        "baseline.show.prep",
        date=day(row.agreed_at, reader),
        summary=summary(row.agreed or {}, 600, reader),
    )
