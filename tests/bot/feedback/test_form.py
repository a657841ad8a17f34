"""The form's private state, and reading what was submitted."""

from __future__ import annotations

import json

from bot.feedback.form import PERSON, TEXT, TOPIC, Meta, Shown, errors, read
from bot.feedback.rules import Kind, new_token
from bot.feedback.views import form_modal
from devtools.forms import form_values

TOKEN = new_token()


def test_the_forms_private_state_round_trips():
    meta = Meta(token=TOKEN, channel="C0LAUNCH", ts="1700000000.000100")
    assert Meta.load(meta.dump()) == meta
    assert Meta.load(Meta(token=TOKEN).dump()) == Meta(token=TOKEN)


def test_every_form_gets_its_own_token():
    assert Meta().token != Meta().token


def test_broken_private_state_still_gives_a_fresh_token():
    for raw in ("", "not json", "[1]", None, '{"token": 7}'):
        assert len(Meta.load(raw).token) == 32


def test_private_state_of_the_wrong_shape_is_dropped():
    forged = {
        "token": "x" * 500,
        "channel": "C1|<evil>",
        "ts": "soon",
        "link": "https://evil.example",
    }
    meta = Meta.load(json.dumps(forged))
    assert meta.token != forged["token"] and len(meta.token) == 32
    assert (meta.channel, meta.ts) == ("", "") and not meta.from_message


def test_what_a_confirmation_shows_round_trips_and_ignores_junk():
    shown = Shown((3, 5), ask_kind=True)
    assert Shown.load(shown.dump()) == shown
    assert Shown.load('{"ids": [1, "2", true, 3.0, 4], "ask": 0}') == Shown((1, 4), False)
    for raw in ("", "nope", "[1]", '{"ids": 5}', None):
        assert Shown.load(raw) == Shown()


def test_reading_a_complete_submission():
    values = form_values(
        form_modal(Meta()),
        person="URAVI0002",
        kind="redirect",
        topic="#Handoffs",
        text="  notes missing  ",
        delivery=["yes"],
    )
    submission = read(values)
    assert submission.person == "URAVI0002" and submission.kind is Kind.REDIRECT
    assert submission.topic == "handoffs" and submission.text == "notes missing"
    assert submission.send_now


def test_an_empty_kind_and_topic_mean_a_note_without_a_topic():
    submission = read(form_values(form_modal(Meta()), person="U1", text="hello"))
    assert submission.kind is None and submission.topic == "" and not submission.send_now


def test_each_problem_is_shown_next_to_its_field():
    form = form_modal(Meta())
    assert set(errors(read(form_values(form, text="  ")), "UME")) == {PERSON, TEXT}
    assert set(errors(read(form_values(form, person="UME", text="x")), "UME")) == {PERSON}
    long = read(form_values(form, person="U1", text="a" * 3001))
    assert "3001" in errors(long, "UME")[TEXT]
    bad_topic = read(form_values(form, person="U1", text="x", topic="two words"))
    assert set(errors(bad_topic, "UME")) == {TOPIC}
    assert errors(read(form_values(form, person="U1", text="fine")), "UME") == {}


def test_form_values_look_like_what_slack_sends():
    values = form_values(form_modal(Meta()), person="U1", kind="praise", text="x")
    assert values["person"]["person"] == {"type": "users_select", "selected_user": "U1"}
    assert values["kind"]["kind"]["selected_option"]["value"] == "praise"
    assert values["topic"]["topic"] == {"type": "plain_text_input", "value": None}
    json.dumps(values)


def test_untouched_fields_keep_their_initial_values_as_slack_does():
    form = form_modal(Meta(), person="UANA00003")
    assert form_values(form, text="x")["person"]["person"]["selected_user"] == "UANA00003"
    assert form_values(form, person=None, text="x")["person"]["person"]["selected_user"] is None
