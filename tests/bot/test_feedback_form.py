"""The "Give feedback" modal: valid Block Kit, its private state, and reading a submission."""

from __future__ import annotations

import json

from bot.feedback import Kind
from bot.feedback_form import (
    PERSON,
    TEXT,
    TOPIC,
    Meta,
    Source,
    errors,
    modal,
    read,
)
from devtools.forms import form_values
from devtools.local_slack import validate_view


def test_the_form_is_valid_block_kit_with_and_without_a_message():
    plain = modal(Meta(token="t1"))
    from_message = modal(
        Meta(token="t2", channel="C1", ts="1.2", link="https://x.slack.com/archives/C1/p12"),
        person="UANA00003",
        source=Source("UANA00003", "we shipped <@URAVI0002> & <!channel>"),
    )
    assert validate_view(plain) == [] and validate_view(from_message) == []
    picker = next(b for b in from_message["blocks"] if b.get("block_id") == PERSON)
    assert picker["element"]["initial_user"] == "UANA00003"
    context = from_message["blocks"][0]["elements"][0]["text"]
    assert "<@UANA00003>" in context and "&lt;!channel&gt;" in context
    text_input = next(b for b in plain["blocks"] if b.get("block_id") == TEXT)["element"]
    assert text_input["multiline"] and text_input["max_length"] == 3000


def test_the_private_state_round_trips_and_stays_small():
    meta = Meta(token="abc", channel="C1", ts="1.2", link="https://x/y")
    assert Meta.load(meta.dump()) == meta
    assert len(Meta(token="a", link="https://x/" + "y" * 4000).dump()) <= 3000


def test_broken_private_state_still_gives_a_fresh_token():
    for raw in ("", "not json", "[1]", None):
        assert Meta.load(raw).token


def test_reading_a_complete_submission():
    values = form_values(
        modal(Meta(token="t")),
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
    submission = read(form_values(modal(Meta(token="t")), person="U1", text="hello"))
    assert submission.kind is None and submission.topic == "" and not submission.send_now


def test_each_problem_is_shown_next_to_its_field():
    form = modal(Meta(token="t"))
    assert set(errors(read(form_values(form, text="  ")), "UME")) == {PERSON, TEXT}
    assert set(errors(read(form_values(form, person="UME", text="x")), "UME")) == {PERSON}
    long = read(form_values(form, person="U1", text="a" * 3001))
    assert "3001" in errors(long, "UME")[TEXT]
    bad_topic = read(form_values(form, person="U1", text="x", topic="two words"))
    assert set(errors(bad_topic, "UME")) == {TOPIC}
    assert errors(read(form_values(form, person="U1", text="fine")), "UME") == {}


def test_form_values_look_like_what_slack_sends():
    values = form_values(modal(Meta(token="t")), person="U1", kind="praise", text="x")
    assert values["person"]["person"] == {"type": "users_select", "selected_user": "U1"}
    assert values["kind"]["kind"]["selected_option"]["value"] == "praise"
    assert values["topic"]["topic"] == {"type": "plain_text_input", "value": None}
    json.dumps(values)


def test_untouched_fields_keep_their_initial_values_as_slack_does():
    form = modal(Meta(token="t"), person="UANA00003")
    assert form_values(form, text="x")["person"]["person"]["selected_user"] == "UANA00003"
    assert form_values(form, person=None, text="x")["person"]["person"]["selected_user"] is None
