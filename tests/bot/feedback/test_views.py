"""The layouts of feedback: valid Block Kit, and nothing typed or stored can forge a link."""

from __future__ import annotations

import json

from bot.feedback.form import PERSON, TEXT, Meta, Shown
from bot.feedback.rules import Guidance, Kind, Rung
from bot.feedback.views import (
    QuotedMessage,
    delivery_dm,
    done_view,
    form_modal,
    guidance_lines,
    list_line,
    message_url,
    ordinal,
)
from bot.models import Feedback
from devtools.cast import ANA, MAYA, RAVI
from devtools.local_slack import validate_view
from tests.bot.feedback.conftest import NOW, T

LINK = "https://sprout-demo.slack.com/archives/C0LAUNCH/p1700000000000100"


def test_ordinals_read_naturally():
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "101st",
        "111th",
    ]


def test_praise_gets_a_tip_and_a_topicless_redirect_a_hint_to_add_one():
    [tip] = guidance_lines(Guidance(Kind.PRAISE), ANA.user_id, rotate=0)
    assert "specific" in tip or "fresh" in tip
    lines = guidance_lines(Guidance(Kind.REDIRECT, Rung.SUPPORTIVE, 1), ANA.user_id, 0)
    assert "#topic" in lines[-1]
    assert guidance_lines(Guidance(Kind.NOTE), ANA.user_id, 0) == []


def test_the_rung_texts_rotate_between_variants():
    first = guidance_lines(Guidance(Kind.REDIRECT, Rung.CURIOUS, 2, "x"), "U1", 0)
    second = guidance_lines(Guidance(Kind.REDIRECT, Rung.CURIOUS, 2, "x"), "U1", 1)
    assert first[0] == second[0] and "2nd" in first[0]
    assert first[1] != second[1]


def test_the_form_is_valid_block_kit_with_and_without_a_message():
    plain = form_modal(Meta())
    from_message = form_modal(
        Meta(channel="C1", ts="1.2"),
        person="UANA00003",
        quoted=QuotedMessage("UANA00003", "we shipped <@URAVI0002> & <!channel>", LINK),
    )
    assert validate_view(plain) == [] and validate_view(from_message) == []
    picker = next(b for b in from_message["blocks"] if b.get("block_id") == PERSON)
    assert picker["element"]["initial_user"] == "UANA00003"
    about, link = from_message["blocks"][0]["elements"]
    assert "<@UANA00003>" in about["text"] and "&lt;!channel&gt;" in about["text"]
    assert f"<{LINK}|" in link["text"]
    text_input = next(b for b in plain["blocks"] if b.get("block_id") == TEXT)["element"]
    assert text_input["multiline"] and text_input["max_length"] == 3000
    assert "link" not in json.loads(from_message["private_metadata"])


def test_only_slack_permalinks_are_shown_and_nothing_in_them_ends_the_link():
    assert message_url(LINK) == LINK
    thread = LINK + "?thread_ts=1700000000.000001&cid=C0LAUNCH"
    assert message_url(thread) == thread.replace("&", "&amp;")
    for forged in ("https://evil.example", LINK + "|click>here", "javascript:x", "", None):
        assert message_url(forged) is None
    quoted = QuotedMessage("UANA00003", "hi", "https://evil.example|Open")
    assert "evil" not in json.dumps(form_modal(Meta(), quoted=quoted))


def record(**fields: object) -> Feedback:
    values: dict[str, object] = {
        "id": 7,
        "team_id": T,
        "giver_id": MAYA.user_id,
        "about_id": RAVI.user_id,
        "kind": "praise",
        "topic": "",
        "text": "clear notes",
        "source": "shortcut",
        "source_link": LINK,
        "token": "t",
        "created_at": NOW,
        "send_requested_at": None,
        "delivered_at": None,
        "shared_with_id": None,
    }
    return Feedback(**{**values, **fields})


def test_the_dm_links_the_message_only_when_the_link_is_a_slack_permalink():
    dm = delivery_dm(record(), NOW).body
    assert f"<{LINK}|" in json.dumps(dm)
    planted = delivery_dm(record(source_link="https://evil.example/|Your review"), NOW).body
    assert "evil" not in json.dumps(planted)


def test_the_list_links_the_message_only_when_the_link_is_a_slack_permalink():
    assert f"<{LINK}|message>" in list_line(record(), MAYA.user_id, "UTC")
    planted = list_line(record(source_link="https://evil.example|msg"), MAYA.user_id, "UTC")
    assert "evil" not in planted


def test_a_confirmation_modal_remembers_what_it_shows():
    view = done_view([], ask_kind=True, notice="Undone.")
    assert Shown.load(view["private_metadata"]) == Shown((), True)
    assert validate_view(view) == []
