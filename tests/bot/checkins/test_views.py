"""The check-in DM, its note form and `/checkin help`, as Slack shows them."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from bot.checkins import views
from bot.models import Checkin, Priority
from bot.schedule import Schedule
from devtools.harness import block_texts, buttons
from devtools.local_slack import validate_view

NOW = datetime(2026, 12, 1, 4, 0, tzinfo=UTC)
TUESDAY = date(2026, 12, 1)


def priority(id_: int, title: str, **fields) -> Priority:
    return Priority(id=id_, title=title, state="active", **fields)


def test_answered_priorities_show_their_answer_and_the_rest_their_buttons():
    checkin = Checkin(id=7, local_date=TUESDAY, answers={"1": "on_track"})
    items = [priority(1, "Ship the billing page"), priority(2, "Hire a designer")]
    message = views.checkin_message(checkin, items, {2: "stale"})

    texts = " ".join(block_texts(message["blocks"]))
    assert "On track" in texts and "still the right priority?" in texts
    values = [e["value"] for _, e in buttons(message["blocks"])]
    assert "7:2:done" in values and not any(v.startswith("7:1:") for v in values)
    assert values[-2:] == ["7", "7"]  # the note and "no changes" buttons


def test_once_everything_is_answered_the_buttons_go():
    checkin = Checkin(id=7, local_date=TUESDAY, answers={"1": "done"})
    message = views.checkin_message(checkin, [priority(1, "Ship it")])
    assert buttons(message["blocks"]) == []


def test_an_answer_button_reads_back_as_it_was_written():
    assert views.read_answer_value(views.answer_value(7, 12, "at_risk")) == ("7", "12", "at_risk")
    assert views.read_answer_value("garbage") == ("garbage", "", "")


def test_the_note_form_is_valid_and_carries_only_the_check_in():
    form = views.note_form(7, [priority(1, "Ship the billing page")], "UMAYA0001")
    assert validate_view(form) == []
    assert "<@UMAYA0001> will see this note" in json.dumps(form["blocks"])
    assert json.loads(form["private_metadata"]) == {"checkin": 7}
    assert form["callback_id"] == views.NOTE_FORM


def test_the_note_form_without_priorities_asks_only_for_the_note():
    form = views.note_form(7, [], None)
    assert [b["block_id"] for b in form["blocks"] if b["type"] == "input"] == [
        "note",
        "blocker",
        "private",
    ]
    assert "Only you will see this note" in json.dumps(form["blocks"])


def test_help_says_whether_check_ins_are_on_off_or_snoozed():
    berlin = Schedule(tz="Europe/Berlin")
    assert "_Now: on, at 09:30 (Europe/Berlin) on Mon-Fri._" in views.usage(berlin, NOW)
    off = Schedule(tz="Europe/Berlin", checkins_off=True)
    assert "_Now: off," in views.usage(off, NOW)
    snoozed = Schedule(tz="Europe/Berlin", snoozed_until=date(2026, 12, 3))
    assert "_Now: snoozed until 2026-12-03," in views.usage(snoozed, NOW)
