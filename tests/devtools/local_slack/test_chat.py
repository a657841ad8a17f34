"""chat.postMessage, chat.postEphemeral, chat.update and chat.getPermalink behave like Slack's."""

from __future__ import annotations

import json

import pytest
from slack_sdk import WebClient

from devtools.local_slack import LocalSlack, texts_in
from tests.devtools.local_slack.helpers import api_error, button, section


def test_post_message_to_a_user_id_lands_in_their_dm(client: WebClient, slack: LocalSlack) -> None:
    answer = client.chat_postMessage(channel="U001", text="Hello Ana")
    assert answer["channel"] == "D001"
    assert answer["message"]["user"] == slack.bot_user_id
    [message] = slack.dms_to("U001")
    assert (message.channel, message.text, message.ts) == ("D001", "Hello Ana", answer["ts"])
    assert message.missing_text_fallback is False
    assert slack.messages("U001") == slack.messages("D001") == [message]


def test_post_message_accepts_dm_and_known_channel_ids(
    client: WebClient, slack: LocalSlack
) -> None:
    client.chat_postMessage(channel="D002", text="to ben")
    client.chat_postMessage(channel="C100", text="to everyone", thread_ts="1700000000.000100")
    assert [m.text for m in slack.dms_to("U002")] == ["to ben"]
    [in_channel] = slack.messages("C100")
    assert in_channel.thread_ts == "1700000000.000100"


def test_message_timestamps_are_unique_and_increasing(client: WebClient) -> None:
    stamps = [client.chat_postMessage(channel="U001", text=str(i))["ts"] for i in range(5)]
    assert stamps == sorted(stamps)
    assert len(set(stamps)) == 5
    assert all(len(ts.split(".")[1]) == 6 for ts in stamps)


def test_post_message_to_an_unknown_channel_is_channel_not_found(client: WebClient) -> None:
    for channel in ("C999", "D999", "U999"):
        err = api_error(client.chat_postMessage, channel=channel, text="x")
        assert err.response["error"] == "channel_not_found"


def test_post_message_to_a_bot_user_is_refused_with_cannot_dm_bot(client: WebClient) -> None:
    assert api_error(client.chat_postMessage, channel="UBOT2", text="x").response["error"] == (
        "cannot_dm_bot"
    )


def test_post_message_to_a_deactivated_user_is_refused_with_user_disabled(
    client: WebClient,
) -> None:
    err = api_error(client.chat_postMessage, channel="UGONE", text="x")
    assert err.response["error"] == "user_disabled"


def test_post_message_to_a_channel_the_bot_is_not_in_is_not_in_channel(
    client: WebClient, slack: LocalSlack
) -> None:
    slack.add_channel("C200", is_member=False)
    assert api_error(client.chat_postMessage, channel="C200", text="x").response["error"] == (
        "not_in_channel"
    )


def test_post_message_without_text_or_blocks_is_no_text(client: WebClient) -> None:
    with pytest.warns(UserWarning, match="text"):
        assert api_error(client.chat_postMessage, channel="U001").response["error"] == "no_text"


def test_post_message_without_channel_is_missing_argument(client: WebClient) -> None:
    err = api_error(client.api_call, "chat.postMessage", json={"text": "x"})
    assert err.response["error"] == "missing_argument"
    assert err.response["response_metadata"]["messages"] == [
        "[ERROR] missing required field: channel"
    ]


def test_blocks_without_text_are_accepted_but_flagged_as_missing_a_fallback(
    client: WebClient, slack: LocalSlack
) -> None:
    with pytest.warns(UserWarning, match="text"):  # slack_sdk warns too; we record it
        client.chat_postMessage(channel="U001", blocks=[section("*hi*")])
    [message] = slack.dms_to("U001")
    assert message.missing_text_fallback is True
    assert texts_in(message.blocks) == ["*hi*"]


def test_blocks_sent_as_a_json_string_in_form_data_are_parsed(
    client: WebClient, slack: LocalSlack
) -> None:
    form = {"channel": "U001", "text": "fallback", "blocks": json.dumps([section("from a form")])}
    client.api_call("chat.postMessage", params=form)
    [message] = slack.dms_to("U001")
    assert message.blocks == [section("from a form")]
    assert slack.calls_to("chat.postMessage")[0].args["blocks"] == [section("from a form")]


def test_fifty_one_blocks_are_invalid_blocks(client: WebClient, slack: LocalSlack) -> None:
    err = api_error(
        client.chat_postMessage, channel="U001", text="x", blocks=[{"type": "divider"}] * 51
    )
    assert err.response["error"] == "invalid_blocks"
    assert err.response["response_metadata"]["messages"] == [
        "[ERROR] no more than 50 items allowed [json-pointer:/blocks]"
    ]
    assert slack.messages() == []
    assert client.chat_postMessage(channel="U001", text="x", blocks=[{"type": "divider"}] * 50)


def test_a_3001_character_section_is_invalid_blocks(client: WebClient) -> None:
    blocks = [{"type": "divider"}, section("x" * 3001)]
    err = api_error(client.chat_postMessage, channel="U001", text="x", blocks=blocks)
    assert err.response["error"] == "invalid_blocks"
    assert err.response["response_metadata"]["messages"] == [
        "[ERROR] must be less than 3001 characters [json-pointer:/blocks/1/text]"
    ]


def test_a_76_character_button_label_is_invalid_blocks(client: WebClient) -> None:
    blocks = [{"type": "actions", "elements": [button("b" * 76)]}]
    err = api_error(client.chat_postMessage, channel="U001", text="x", blocks=blocks)
    assert err.response["response_metadata"]["messages"] == [
        "[ERROR] must be less than 76 characters [json-pointer:/blocks/0/elements/0/text]"
    ]


def test_post_ephemeral_records_who_saw_it(client: WebClient, slack: LocalSlack) -> None:
    answer = client.chat_postEphemeral(channel="C100", user="U001", text="only you")
    [ephemeral] = slack.ephemerals
    assert (ephemeral.channel, ephemeral.user, ephemeral.text) == ("C100", "U001", "only you")
    assert ephemeral.ts == answer["message_ts"]
    assert slack.messages() == []


def test_post_ephemeral_needs_a_known_user(client: WebClient) -> None:
    err = api_error(client.chat_postEphemeral, channel="C100", user="U404", text="x")
    assert err.response["error"] == "user_not_found"
    err = api_error(client.api_call, "chat.postEphemeral", json={"channel": "C100", "text": "x"})
    assert err.response["error"] == "missing_argument"


def test_chat_update_edits_in_place_and_keeps_history(client: WebClient, slack: LocalSlack) -> None:
    posted = client.chat_postMessage(channel="U001", text="v1", blocks=[section("one")])
    client.chat_update(channel=posted["channel"], ts=posted["ts"], text="v2")
    answer = client.chat_update(
        channel=posted["channel"], ts=posted["ts"], text="v3", blocks=[section("three")]
    )
    assert answer["ts"] == posted["ts"]
    [message] = slack.dms_to("U001")
    assert message.text == "v3"
    assert message.blocks == [section("three")]
    assert message.updates == 2
    assert message.history == [("v1", [section("one")]), ("v2", [section("one")])]


def test_chat_update_with_an_empty_block_list_removes_the_blocks(
    client: WebClient, slack: LocalSlack
) -> None:
    posted = client.chat_postMessage(channel="U001", text="v1", blocks=[section("one")])
    client.chat_update(channel=posted["channel"], ts=posted["ts"], text="plain", blocks=[])
    assert slack.dms_to("U001")[0].blocks == []


def test_chat_update_needs_the_dm_id_not_the_user_id(client: WebClient) -> None:
    posted = client.chat_postMessage(channel="U001", text="v1")
    err = api_error(client.chat_update, channel="U001", ts=posted["ts"], text="v2")
    assert err.response["error"] == "message_not_found"


def test_chat_update_of_an_unknown_message_is_message_not_found(client: WebClient) -> None:
    err = api_error(client.chat_update, channel="D001", ts="1.000001", text="x")
    assert err.response["error"] == "message_not_found"
    err = api_error(client.api_call, "chat.update", json={"channel": "D001", "text": "x"})
    assert err.response["error"] == "missing_argument"


def test_get_permalink_points_at_the_message(client: WebClient) -> None:
    posted = client.chat_postMessage(channel="C100", text="x")
    answer = client.chat_getPermalink(channel="C100", message_ts=posted["ts"])
    digits = posted["ts"].replace(".", "")
    assert answer["permalink"] == f"https://sprout-demo.slack.com/archives/C100/p{digits}"
    err = api_error(client.chat_getPermalink, channel="C100", message_ts="1.1")
    assert err.response["error"] == "message_not_found"


def test_a_person_can_post_a_message_that_gets_a_permalink(
    client: WebClient, slack: LocalSlack
) -> None:
    posted = slack.post_as("U001", "C100", "shipped it")
    assert posted.user == "U001" and slack.messages("C100")[-1].text == "shipped it"
    answer = client.chat_getPermalink(channel="C100", message_ts=posted.ts)
    assert answer["permalink"].endswith("/archives/C100/p" + posted.ts.replace(".", ""))


def test_history_is_newest_first_with_metadata_only_when_asked(
    client: WebClient, slack: LocalSlack
) -> None:
    meta = {"event_type": "sprout_outbox", "event_payload": {"outbox_id": 7}}
    first = client.chat_postMessage(channel="U001", text="one", metadata=meta)
    client.chat_postMessage(channel="U001", text="two")
    channel = first["channel"]

    plain = client.conversations_history(channel=channel)
    full = client.conversations_history(channel=channel, include_all_metadata=True, limit=1)
    rest = client.conversations_history(
        channel=channel, include_all_metadata=True, cursor=full["response_metadata"]["next_cursor"]
    )

    assert [m["text"] for m in plain["messages"]] == ["two", "one"]
    assert all("metadata" not in m for m in plain["messages"])
    assert [m["text"] for m in full["messages"]] == ["two"] and full["has_more"]
    assert rest["messages"][0]["metadata"] == meta and not rest["has_more"]
    assert slack.dms_to("U001")[0].metadata == meta
