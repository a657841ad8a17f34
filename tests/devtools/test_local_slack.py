"""LocalSlack answers the real slack_sdk WebClient the way Slack does."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from devtools.local_slack import LocalSlack, texts_in, validate_blocks, validate_view

JULY = datetime(2025, 7, 1, 12, tzinfo=UTC).timestamp()
JANUARY = datetime(2025, 1, 15, 12, tzinfo=UTC).timestamp()


class FakeClock:
    """A monotonic clock the test moves by hand, so rate limits need no sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def slack() -> Iterator[LocalSlack]:
    with LocalSlack() as server:
        server.add_user("U001", "ana", real_name="Ana Diaz")
        server.add_user("U002", "ben", tz="Europe/Berlin")
        server.add_user("UBOT2", "otherbot", is_bot=True)
        server.add_user("UGONE", "gone", deleted=True)
        server.add_channel("C100", name="general")
        yield server
        assert server.internal_errors == []


@pytest.fixture
def client(slack: LocalSlack) -> WebClient:
    return WebClient(token=slack.bot_token, base_url=slack.base_url, timeout=5)


def api_error(call: Any, *args: Any, **kwargs: Any) -> SlackApiError:
    with pytest.raises(SlackApiError) as info:
        call(*args, **kwargs)
    return info.value


def section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def button(label: str, action_id: str = "go", value: str = "v") -> dict:
    return {
        "type": "button",
        "text": {"type": "plain_text", "text": label},
        "action_id": action_id,
        "value": value,
    }


def modal(title: str = "Feedback", blocks: list[dict] | None = None, **extra: Any) -> dict:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": title},
        "blocks": blocks or [],
        **extra,
    }


def raw_request(
    url: str, *, data: bytes | None, headers: dict[str, str], method: str
) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=5) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        with err:
            return err.code, json.loads(err.read() or b"{}")


# -- lifecycle, auth, unknown methods --------------------------------------------------------------


def test_base_url_is_loopback_with_a_trailing_slash(slack: LocalSlack) -> None:
    assert slack.base_url.startswith("http://127.0.0.1:")
    assert slack.base_url.endswith("/api/")


def test_auth_test_describes_the_bot_and_workspace(client: WebClient, slack: LocalSlack) -> None:
    answer = client.auth_test()
    assert answer["team_id"] == "T0SPROUT"
    assert answer["team"] == "Sprout Demo"
    assert answer["user_id"] == slack.bot_user_id
    assert answer["bot_id"].startswith("B")
    assert answer["url"] == "https://sprout-demo.slack.com/"


def test_a_wrong_bearer_token_is_refused_with_invalid_auth(slack: LocalSlack) -> None:
    other = WebClient(token="xoxb-wrong", base_url=slack.base_url)
    err = api_error(other.auth_test)
    assert err.response["error"] == "invalid_auth"
    assert slack.calls_to("auth.test")[0].error == "invalid_auth"


def test_a_wrong_token_form_field_is_refused_with_invalid_auth(slack: LocalSlack) -> None:
    body = b"token=xoxb-wrong&user=U001"
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    url = slack.base_url + "users.info"
    status, answer = raw_request(url, data=body, headers=form, method="POST")
    assert (status, answer["error"]) == (200, "invalid_auth")
    good = f"token={slack.bot_token}&user=U001".encode()
    _, answer = raw_request(url, data=good, headers=form, method="POST")
    assert answer["user"]["id"] == "U001"
    assert "token" not in slack.calls[-1].args


def test_a_request_without_a_token_is_refused_with_not_authed(slack: LocalSlack) -> None:
    err = api_error(WebClient(base_url=slack.base_url).auth_test)
    assert err.response["error"] == "not_authed"


def test_a_get_with_query_parameters_is_understood(slack: LocalSlack) -> None:
    status, answer = raw_request(
        slack.base_url + "users.info?user=U002",
        data=None,
        headers={"Authorization": f"Bearer {slack.bot_token}"},
        method="GET",
    )
    assert status == 200
    assert answer["user"]["tz"] == "Europe/Berlin"


def test_an_unknown_method_answers_unknown_method(client: WebClient) -> None:
    err = api_error(client.api_call, "chat.doesNotExist")
    assert err.response["error"] == "unknown_method"


# -- users and team --------------------------------------------------------------------------------


def test_users_info_includes_profile_status_and_timezone() -> None:
    with LocalSlack(wall_clock=lambda: JULY) as slack:
        slack.add_user(
            "U001",
            "ana",
            real_name="Ana Diaz",
            status_text="Vacationing",
            status_emoji=":palm_tree:",
            status_expiration=int(JULY) + 3600,
        )
        client = WebClient(token=slack.bot_token, base_url=slack.base_url)
        user = client.users_info(user="U001")["user"]
    assert user["tz"] == "America/New_York"
    assert user["tz_offset"] == -4 * 3600  # daylight time in July
    assert user["profile"]["real_name"] == "Ana Diaz"
    assert user["profile"]["display_name"] == "ana"
    assert user["profile"]["status_text"] == "Vacationing"
    assert user["profile"]["status_emoji"] == ":palm_tree:"
    assert user["profile"]["status_expiration"] == int(JULY) + 3600


def test_tz_offset_follows_the_current_date_in_winter() -> None:
    with LocalSlack(wall_clock=lambda: JANUARY) as slack:
        assert slack.add_user("U001", "ana")["tz_offset"] == -5 * 3600


def test_an_expired_status_reads_as_cleared() -> None:
    with LocalSlack(wall_clock=lambda: JULY) as slack:
        user = slack.add_user("U001", "ana", status_text="Lunch", status_expiration=int(JULY) - 1)
    assert user["profile"]["status_text"] == ""
    assert user["profile"]["status_expiration"] == 0


def test_update_user_changes_only_the_given_fields(client: WebClient, slack: LocalSlack) -> None:
    slack.update_user("U001", status_text="Out sick", deleted=True)
    user = client.users_info(user="U001")["user"]
    assert user["profile"]["status_text"] == "Out sick"
    assert user["deleted"] is True
    assert user["real_name"] == "Ana Diaz"


def test_users_info_for_an_unknown_user_is_user_not_found(client: WebClient) -> None:
    assert api_error(client.users_info, user="U404").response["error"] == "user_not_found"


def test_users_info_without_user_is_missing_argument(client: WebClient) -> None:
    err = api_error(client.api_call, "users.info", params={})
    assert err.response["error"] == "missing_argument"


def test_users_list_pages_with_a_cursor_and_includes_slackbot_and_the_bot(
    client: WebClient, slack: LocalSlack
) -> None:
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        page = client.users_list(limit=2, cursor=cursor)
        pages += 1
        seen += [member["id"] for member in page["members"]]
        cursor = page["response_metadata"]["next_cursor"]
        if not cursor:
            break
    assert pages == 3
    assert seen[:2] == ["USLACKBOT", slack.bot_user_id]
    assert {"U001", "U002", "UBOT2", "UGONE"} <= set(seen)
    assert len(seen) == len(set(seen)) == 6


def test_team_info_names_the_workspace(client: WebClient) -> None:
    team = client.team_info()["team"]
    assert (team["id"], team["name"], team["domain"]) == ("T0SPROUT", "Sprout Demo", "sprout-demo")


def test_conversations_open_returns_the_users_dm_channel(
    client: WebClient, slack: LocalSlack
) -> None:
    answer = client.conversations_open(users="U001")
    assert answer["channel"]["id"] == slack.dm_channel("U001") == "D001"


def test_conversations_open_refuses_unknown_users_and_bots(client: WebClient) -> None:
    assert api_error(client.conversations_open, users="U404").response["error"] == "user_not_found"
    assert api_error(client.conversations_open, users="UBOT2").response["error"] == "cannot_dm_bot"


# -- chat.postMessage ------------------------------------------------------------------------------


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


# -- chat.postEphemeral, chat.update, chat.getPermalink --------------------------------------------


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


# -- views -----------------------------------------------------------------------------------------


def test_views_open_returns_an_id_and_hash_and_is_recorded(
    client: WebClient, slack: LocalSlack
) -> None:
    trigger = slack.new_trigger_id()
    answer = client.views_open(
        trigger_id=trigger, view=modal(callback_id="give_feedback", private_metadata="42")
    )
    view = answer["view"]
    assert view["id"].startswith("V")
    assert view["hash"]
    assert (view["callback_id"], view["private_metadata"]) == ("give_feedback", "42")
    [record] = slack.views
    assert (record.kind, record.id, record.trigger_id) == ("open", view["id"], trigger)


def test_views_open_refuses_a_trigger_id_it_never_issued(client: WebClient) -> None:
    err = api_error(client.views_open, trigger_id="123.456.abc", view=modal())
    assert err.response["error"] == "invalid_trigger_id"


def test_views_open_refuses_a_title_longer_than_24_characters(
    client: WebClient, slack: LocalSlack
) -> None:
    err = api_error(client.views_open, trigger_id=slack.new_trigger_id(), view=modal("t" * 25))
    assert err.response["error"] == "invalid_arguments"
    assert err.response["response_metadata"]["messages"] == [
        "[ERROR] must be less than 25 characters [json-pointer:/view/title]"
    ]


def test_views_push_and_update_by_id_and_external_id(client: WebClient, slack: LocalSlack) -> None:
    opened = client.views_open(trigger_id=slack.new_trigger_id(), view=modal(external_id="fb-1"))[
        "view"
    ]
    pushed = client.views_push(trigger_id=slack.new_trigger_id(), view=modal("Step 2"))["view"]
    assert pushed["id"] != opened["id"]
    updated = client.views_update(view_id=opened["id"], view=modal("Saved"))["view"]
    assert updated["id"] == opened["id"]
    assert updated["hash"] != opened["hash"]
    again = client.views_update(external_id="fb-1", view=modal("Again", external_id="fb-1"))
    assert again["view"]["id"] == opened["id"]
    assert [v.kind for v in slack.views] == ["open", "push", "update", "update"]
    assert slack.view_by_id(opened["id"])["title"]["text"] == "Again"


def test_views_update_with_a_stale_hash_is_hash_conflict(
    client: WebClient, slack: LocalSlack
) -> None:
    opened = client.views_open(trigger_id=slack.new_trigger_id(), view=modal())["view"]
    client.views_update(view_id=opened["id"], hash=opened["hash"], view=modal("First"))
    err = api_error(client.views_update, view_id=opened["id"], hash=opened["hash"], view=modal())
    assert err.response["error"] == "hash_conflict"
    assert api_error(client.views_update, view_id="V404", view=modal()).response["error"] == (
        "not_found"
    )


def test_views_publish_sets_the_home_tab(client: WebClient, slack: LocalSlack) -> None:
    assert slack.home_of("U001") is None
    first = client.views_publish(user_id="U001", view={"type": "home", "blocks": [section("a")]})
    client.views_publish(user_id="U001", view={"type": "home", "blocks": [section("b")]})
    home = slack.home_of("U001")
    assert home is not None
    assert home["blocks"] == [section("b")]
    assert home["id"] == first["view"]["id"]
    assert [(v.kind, v.user_id) for v in slack.views] == [("publish", "U001")] * 2


def test_views_publish_refuses_a_modal_and_unknown_users(client: WebClient) -> None:
    err = api_error(client.views_publish, user_id="U001", view=modal())
    assert err.response["error"] == "invalid_arguments"
    err = api_error(client.views_publish, user_id="U404", view={"type": "home", "blocks": []})
    assert err.response["error"] == "user_not_found"


def test_a_modal_with_inputs_but_no_submit_is_refused(client: WebClient, slack: LocalSlack) -> None:
    field = {
        "type": "input",
        "label": {"type": "plain_text", "text": "What went well?"},
        "element": {"type": "plain_text_input", "action_id": "went_well"},
    }
    err = api_error(
        client.views_open, trigger_id=slack.new_trigger_id(), view=modal(blocks=[field])
    )
    assert err.response["response_metadata"]["messages"] == [
        "[ERROR] must provide a submit property when using input blocks [json-pointer:/view]"
    ]
    submit = {"type": "plain_text", "text": "Send"}
    assert client.views_open(
        trigger_id=slack.new_trigger_id(), view=modal(blocks=[field], submit=submit)
    )


# -- faults and rate limits ------------------------------------------------------------------------


def test_fail_with_429_answers_ratelimited_with_retry_after(
    client: WebClient, slack: LocalSlack
) -> None:
    slack.fail("chat.postMessage", status=429, retry_after=7)
    err = api_error(client.chat_postMessage, channel="U001", text="x")
    assert err.response.status_code == 429
    assert err.response["error"] == "ratelimited"
    assert err.response.headers["Retry-After"] == "7"
    assert slack.rate_limited_count == 1
    assert client.chat_postMessage(channel="U001", text="x")["ok"]
    assert [c.status for c in slack.calls_to("chat.postMessage")] == [429, 200]


def test_fail_with_5xx_answers_a_non_json_error_page(client: WebClient, slack: LocalSlack) -> None:
    slack.fail("users.info", times=2, status=503)
    for _ in range(2):
        err = api_error(client.users_info, user="U001")
        assert err.response.status_code == 503
        assert "non-JSON" in err.response["error"]
    assert client.users_info(user="U001")["ok"]


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


def test_a_hung_call_takes_effect_but_the_client_times_out(slack: LocalSlack) -> None:
    impatient = WebClient(token=slack.bot_token, base_url=slack.base_url, timeout=0.2)
    slack.hang("chat.postMessage")

    with pytest.raises(TimeoutError):
        impatient.chat_postMessage(channel="U001", text="slow")

    assert [m.text for m in slack.dms_to("U001")] == ["slow"]
    assert impatient.chat_postMessage(channel="U001", text="quick")["ok"]


def test_fail_with_an_error_name_answers_ok_false(client: WebClient, slack: LocalSlack) -> None:
    slack.fail("views.publish", error="internal_error")
    err = api_error(client.views_publish, user_id="U001", view={"type": "home", "blocks": []})
    assert (err.response.status_code, err.response["error"]) == (200, "internal_error")
    assert slack.calls_to("views.publish")[0].ok is False


def test_rate_limit_refills_with_the_injected_clock(client: WebClient, slack: LocalSlack) -> None:
    clock = FakeClock()
    slack.rate_limit("users.info", per_minute=20, burst=2, clock=clock)
    assert client.users_info(user="U001")["ok"]
    assert client.users_info(user="U001")["ok"]
    err = api_error(client.users_info, user="U001")
    assert err.response.status_code == 429
    assert err.response.headers["Retry-After"] == "3"  # one token per 3 s at 20/min
    clock.advance(2.5)
    assert api_error(client.users_info, user="U001").response.headers["Retry-After"] == "1"
    clock.advance(0.5)
    assert client.users_info(user="U001")["ok"]
    assert slack.rate_limited_count == 2


def test_per_channel_rate_limit_keys_on_the_conversation(
    client: WebClient, slack: LocalSlack
) -> None:
    clock = FakeClock()
    slack.rate_limit("chat.postMessage", per_minute=60, per_channel=True, clock=clock)
    client.chat_postMessage(channel="U001", text="1")
    client.chat_postMessage(channel="U002", text="1")
    err = api_error(client.chat_postMessage, channel="D001", text="2")  # same DM as U001
    assert err.response.headers["Retry-After"] == "1"
    clock.advance(1)
    assert client.chat_postMessage(channel="D001", text="2")["ok"]
    assert [m.text for m in slack.dms_to("U001")] == ["1", "2"]


def test_per_channel_and_workspace_limits_apply_together(
    client: WebClient, slack: LocalSlack
) -> None:
    clock = FakeClock()
    slack.add_user("U003", "cy")
    slack.rate_limit("chat.postMessage", per_minute=60, per_channel=True, clock=clock)
    slack.rate_limit("chat.postMessage", per_minute=30, burst=2, clock=clock)
    client.chat_postMessage(channel="U001", text="1")
    # The channel has no token left: refused, and the workspace token is not spent.
    refused = api_error(client.chat_postMessage, channel="U001", text="2")
    assert refused.response.headers["Retry-After"] == "1"
    client.chat_postMessage(channel="U002", text="1")
    err = api_error(client.chat_postMessage, channel="U003", text="1")  # workspace: 2 a burst
    assert err.response.headers["Retry-After"] == "2"  # one token per 2 s at 30/min
    clock.advance(2)
    assert client.chat_postMessage(channel="U003", text="1")["ok"]
    assert slack.rate_limited_count == 2


# -- response URLs ---------------------------------------------------------------------------------


def test_response_url_posts_are_recorded(slack: LocalSlack) -> None:
    url = slack.new_response_url()
    answer = WebhookClient(url).send(text="Saved!", response_type="ephemeral")
    assert (answer.status_code, answer.body) == (200, "ok")
    [response] = slack.responses_to(url)
    assert (response.text, response.response_type) == ("Saved!", "ephemeral")
    assert response.replace_original is False
    assert slack.calls == []


def test_an_unknown_response_url_is_404(slack: LocalSlack) -> None:
    url = slack.new_response_url().rsplit("/", 1)[0] + "/999999"
    assert WebhookClient(url).send(text="x").status_code == 404


def test_a_response_url_works_five_times_only(slack: LocalSlack) -> None:
    url = slack.new_response_url()
    webhook = WebhookClient(url)
    assert [webhook.send(text=str(i)).status_code for i in range(6)] == [200] * 5 + [404]
    assert len(slack.responses_to(url)) == 5
    assert slack.rejected_responses[0].error == "used_url"


def test_invalid_blocks_on_a_response_url_are_refused(slack: LocalSlack) -> None:
    url = slack.new_response_url()
    answer = WebhookClient(url).send(text="x", blocks=[section("y" * 3001)])
    assert answer.status_code == 400
    assert json.loads(answer.body)["error"] == "invalid_blocks"
    assert slack.responses_to(url) == []


def test_replace_original_edits_the_message_the_url_belongs_to(
    client: WebClient, slack: LocalSlack
) -> None:
    posted = client.chat_postMessage(channel="U001", text="Rate this week")
    url = slack.new_response_url(channel=posted["channel"], message_ts=posted["ts"])
    WebhookClient(url).send(text="Thanks!", replace_original=True)
    [message] = slack.dms_to("U001")
    assert (message.text, message.updates) == ("Thanks!", 1)
    WebhookClient(url).send_dict({"delete_original": True})
    assert slack.dms_to("U001") == []


# -- records ---------------------------------------------------------------------------------------


def test_calls_record_failures_with_their_arguments(client: WebClient, slack: LocalSlack) -> None:
    api_error(client.chat_postMessage, channel="C999", text="lost")
    [call] = slack.calls
    assert (call.method, call.ok, call.error, call.status) == (
        "chat.postMessage",
        False,
        "channel_not_found",
        200,
    )
    assert call.args == {"channel": "C999", "text": "lost"}


def test_reset_records_forgets_history_but_messages_stay_editable(
    client: WebClient, slack: LocalSlack
) -> None:
    posted = client.chat_postMessage(channel="U001", text="old")
    slack.reset_records()
    assert slack.calls == [] and slack.messages() == []
    client.chat_update(channel=posted["channel"], ts=posted["ts"], text="new")
    assert slack.calls_to("chat.update")[0].ok


def test_records_are_copies_callers_cannot_mutate(client: WebClient, slack: LocalSlack) -> None:
    client.chat_postMessage(channel="U001", text="x", blocks=[section("a")])
    slack.dms_to("U001")[0].blocks.append({"type": "divider"})
    assert slack.dms_to("U001")[0].blocks == [section("a")]


def test_concurrent_posts_from_many_threads_are_all_recorded(
    client: WebClient, slack: LocalSlack
) -> None:
    def post_some(n: int) -> None:
        for i in range(5):
            client.chat_postMessage(channel="U001", text=f"{n}-{i}")

    threads = [threading.Thread(target=post_some, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    messages = slack.dms_to("U001")
    assert len(messages) == 40
    assert len({m.ts for m in messages}) == 40


# -- validate_blocks / validate_view as pure functions ---------------------------------------------


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


def test_a_malformed_json_body_is_invalid_json(slack: LocalSlack) -> None:
    status, answer = raw_request(
        slack.base_url + "chat.postMessage",
        data=b"{not json",
        headers={"Authorization": f"Bearer {slack.bot_token}", "Content-Type": "application/json"},
        method="POST",
    )
    assert (status, answer["error"]) == (200, "invalid_json")
    assert slack.calls[0].error == "invalid_json"


def test_response_url_faults_can_be_injected(slack: LocalSlack) -> None:
    slack.fail("response_url", status=500)
    url = slack.new_response_url()
    assert WebhookClient(url).send(text="x").status_code == 500
    assert WebhookClient(url).send(text="x").status_code == 200
    assert [r.status for r in slack.rejected_responses] == [500]
