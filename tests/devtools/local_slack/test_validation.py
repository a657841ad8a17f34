"""validate_blocks and validate_view as pure functions: Block Kit's limits, with json-pointers."""

from __future__ import annotations

import pytest

from devtools.local_slack import validate_blocks, validate_view
from tests.devtools.local_slack.helpers import button, modal, section


def test_valid_blocks_have_no_problems() -> None:
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "Weekly check-in"}},
        section("How did it go?"),
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "Private to you"}]},
        {"type": "actions", "block_id": "a1", "elements": [button("Great", "great")]},
        {"type": "divider"},
    ]
    assert validate_blocks(blocks, "message") == []


@pytest.mark.parametrize(
    ("blocks", "message"),
    [
        (
            [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}],
            "must be less than 151 characters [json-pointer:/blocks/0/text]",
        ),
        (
            [{"type": "header", "text": {"type": "mrkdwn", "text": "*h*"}}],
            "must be one of: plain_text [json-pointer:/blocks/0/text/type]",
        ),
        (
            [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}],
            "no more than 10 items allowed [json-pointer:/blocks/0/fields]",
        ),
        (
            [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2001}]}],
            "must be less than 2001 characters [json-pointer:/blocks/0/fields/0]",
        ),
        ([{"type": "section"}], "must provide either text or fields [json-pointer:/blocks/0]"),
        (
            [{"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 11}],
            "no more than 10 items allowed [json-pointer:/blocks/0/elements]",
        ),
        (
            [{"type": "actions", "elements": [button("b", f"a{i}") for i in range(26)]}],
            "no more than 25 items allowed [json-pointer:/blocks/0/elements]",
        ),
        (
            [{"type": "actions", "elements": [button("one", "same"), button("two", "same")]}],
            "duplicate action_id: same [json-pointer:/blocks/0/elements/1/action_id]",
        ),
        (
            [{**section("a"), "block_id": "b1"}, {**section("b"), "block_id": "b1"}],
            "duplicate block_id: b1 [json-pointer:/blocks/1/block_id]",
        ),
        (
            [{"type": "actions", "elements": [button("b", "a" * 256)]}],
            "must be less than 256 characters [json-pointer:/blocks/0/elements/0/action_id]",
        ),
        (
            [{"type": "actions", "elements": [button("b", value="v" * 2001)]}],
            "must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]",
        ),
        (
            [{"type": "actions", "elements": [{**button("b"), "url": "u" * 3001}]}],
            "must be less than 3001 characters [json-pointer:/blocks/0/elements/0/url]",
        ),
        (
            [
                {
                    "type": "actions",
                    "elements": [{**button("b"), "text": {"type": "mrkdwn", "text": "*b*"}}],
                }
            ],
            "must be one of: plain_text [json-pointer:/blocks/0/elements/0/text/type]",
        ),
        (
            [section("")],
            "must be more than 0 characters [json-pointer:/blocks/0/text]",
        ),
        ([{"type": "carousel"}], "unsupported block type: carousel [json-pointer:/blocks/0/type]"),
        (
            [{"type": "input", "element": {"type": "plain_text_input"}}],
            "missing required field: label [json-pointer:/blocks/0]",
        ),
        (
            [{"type": "section", **section("a"), "block_id": "x" * 256}],
            "must be less than 256 characters [json-pointer:/blocks/0/block_id]",
        ),
    ],
)
def test_each_block_kit_limit_is_reported_with_a_json_pointer(
    blocks: list[dict], message: str
) -> None:
    assert validate_blocks(blocks, "message") == [f"[ERROR] {message}"]


def test_views_allow_a_hundred_blocks_but_messages_fifty() -> None:
    hundred = [{"type": "divider"}] * 100
    assert validate_blocks(hundred, "modal") == []
    assert validate_blocks(hundred, "home") == []
    assert validate_blocks([*hundred, {"type": "divider"}], "home") != []
    assert validate_blocks(hundred[:51], "message") != []
    with pytest.raises(ValueError):
        validate_blocks([], "email")


def test_view_level_limits_are_checked() -> None:
    long_meta = modal(private_metadata="m" * 3001, callback_id="c" * 256)
    long_meta["submit"] = {"type": "plain_text", "text": "s" * 25}
    assert validate_view(long_meta) == [
        "[ERROR] must be less than 25 characters [json-pointer:/view/submit]",
        "[ERROR] must be less than 256 characters [json-pointer:/view/callback_id]",
        "[ERROR] must be less than 3001 characters [json-pointer:/view/private_metadata]",
    ]
    assert validate_view({"type": "sheet", "blocks": []}) == [
        "[ERROR] must be one of: modal, home [json-pointer:/view/type]"
    ]
    assert validate_view({"type": "home", "blocks": []}) == []
