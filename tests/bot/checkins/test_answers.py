"""Reading the note form: what was written, which priority, and whether it blocks."""

from __future__ import annotations

from bot.checkins.answers import read_note_form
from bot.checkins.views import NOTE_LIMIT


def state(note=None, priority=None, blocker=False) -> dict:
    values: dict = {"note": {"value": {"type": "plain_text_input", "value": note}}}
    if priority is not None:
        values["priority"] = {"value": {"selected_option": {"value": priority}}}
    if blocker:
        values["blocker"] = {"value": {"selected_options": [{"value": "blocker"}]}}
    return values


def test_a_note_on_a_priority_that_blocks():
    form = read_note_form(state("  Waiting on legal ", priority="12", blocker=True))
    assert (form.text, form.priority_id, form.blocker, form.errors) == (
        "Waiting on legal",
        "12",
        True,
        {},
    )


def test_a_note_on_the_day():
    form = read_note_form(state("Short day today"))
    assert (form.priority_id, form.blocker, form.errors) == ("", False, {})


def test_an_empty_or_too_long_note_is_an_error_on_the_note():
    assert "Write a short note" in read_note_form(state("   ")).errors["note"]
    assert "Write a short note" in read_note_form({}).errors["note"]
    assert f"under {NOTE_LIMIT}" in read_note_form(state("x" * (NOTE_LIMIT + 1))).errors["note"]
