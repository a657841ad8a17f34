"""The request builders produce what Slack sends, and Bolt accepts them end to end."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.request import BoltRequest
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier

from devtools.local_slack import LocalSlack
from devtools.slack_requests import (
    FORM,
    JSON,
    block_actions_body,
    command_body,
    event_body,
    global_shortcut_body,
    message_shortcut_body,
    post,
    sign,
    url_verification_body,
    view_closed_body,
    view_submission_body,
)

SECRET = "local-signing-secret"


def form_fields(body: bytes) -> dict[str, str]:
    return {
        key: values[0] for key, values in parse_qs(body.decode(), keep_blank_values=True).items()
    }


def payload_of(body: bytes) -> dict[str, Any]:
    fields = form_fields(body)
    assert list(fields) == ["payload"]
    return json.loads(fields["payload"])


# -- signing ---------------------------------------------------------------------------------------


def test_signature_verifies_with_slack_sdks_verifier() -> None:
    body = b"command=%2Fsprout&text=hi"
    now = int(time.time())
    headers = sign(body, SECRET, now)
    assert headers["X-Slack-Request-Timestamp"] == str(now)
    assert headers["X-Slack-Signature"].startswith("v0=")
    verifier = SignatureVerifier(SECRET)
    assert verifier.is_valid(body, str(now), headers["X-Slack-Signature"])
    assert not verifier.is_valid(body + b"x", str(now), headers["X-Slack-Signature"])
    assert not SignatureVerifier("other").is_valid(body, str(now), headers["X-Slack-Signature"])


def test_a_signature_older_than_five_minutes_is_rejected_by_the_verifier() -> None:
    old = int(time.time()) - 6 * 60
    headers = sign(b"x", SECRET, old)
    assert not SignatureVerifier(SECRET).is_valid(b"x", str(old), headers["X-Slack-Signature"])


# -- builders --------------------------------------------------------------------------------------


def test_command_body_carries_every_field_slack_sends() -> None:
    body = command_body(
        command="/sprout",
        text="feedback <@U002|ben>",
        user_id="U001",
        team_id="T0SPROUT",
        channel_id="D001",
        response_url="http://127.0.0.1/response/1",
        trigger_id="1.2.3",
        user_name="ana",
    )
    fields = form_fields(body)
    assert fields["command"] == "/sprout"
    assert fields["text"] == "feedback <@U002|ben>"
    assert (fields["user_id"], fields["user_name"], fields["team_id"]) == (
        "U001",
        "ana",
        "T0SPROUT",
    )
    assert fields["response_url"] == "http://127.0.0.1/response/1"
    assert (fields["trigger_id"], fields["api_app_id"]) == ("1.2.3", "A0SPROUT")
    expected = {"team_domain", "channel_id", "channel_name", "is_enterprise_install", "token"}
    assert expected <= set(fields)


def test_block_actions_body_describes_the_message_container() -> None:
    message = {"type": "message", "ts": "1700000000.000100", "text": "Rate it"}
    body = block_actions_body(
        user_id="U001",
        team_id="T0SPROUT",
        actions=[{"type": "button", "action_id": "rate", "block_id": "b1", "value": "5"}],
        response_url="http://127.0.0.1/response/2",
        trigger_id="1.2.3",
        message=message,
        channel_id="D001",
    )
    payload = payload_of(body)
    assert payload["type"] == "block_actions"
    assert payload["user"]["id"] == "U001"
    assert payload["team"]["id"] == "T0SPROUT"
    assert payload["container"] == {
        "type": "message",
        "message_ts": "1700000000.000100",
        "channel_id": "D001",
        "is_ephemeral": False,
    }
    assert payload["channel"]["id"] == "D001"
    assert payload["message"] == message
    assert payload["actions"][0]["value"] == "5"
    assert "action_ts" in payload["actions"][0]
    assert payload["response_url"] == "http://127.0.0.1/response/2"


def test_block_actions_in_a_view_use_a_view_container_and_no_response_url() -> None:
    view = {"id": "V0000000001", "type": "modal", "callback_id": "fb"}
    payload = payload_of(
        block_actions_body(
            user_id="U001",
            team_id="T0SPROUT",
            actions=[{"type": "button", "action_id": "more"}],
            response_url=None,
            trigger_id="1.2.3",
            view=view,
        )
    )
    assert payload["container"] == {"type": "view", "view_id": "V0000000001"}
    assert payload["view"]["callback_id"] == "fb"
    assert "response_url" not in payload


def test_view_submission_body_carries_state_and_view_identity() -> None:
    view = {
        "id": "V0000000007",
        "hash": "1700000007.abc",
        "type": "modal",
        "callback_id": "give_feedback",
        "private_metadata": '{"to": "U002"}',
    }
    values = {"note": {"note_input": {"type": "plain_text_input", "value": "Great demo"}}}
    payload = payload_of(
        view_submission_body(
            user_id="U001", team_id="T0SPROUT", view=view, values=values, trigger_id="1.2.3"
        )
    )
    assert payload["type"] == "view_submission"
    submitted = payload["view"]
    assert submitted["state"]["values"] == values
    assert (submitted["id"], submitted["hash"]) == ("V0000000007", "1700000007.abc")
    assert submitted["callback_id"] == "give_feedback"
    assert submitted["private_metadata"] == '{"to": "U002"}'
    assert payload["response_urls"] == []


def test_view_closed_body_says_whether_the_stack_was_cleared() -> None:
    payload = payload_of(
        view_closed_body(user_id="U001", team_id="T0SPROUT", view={"id": "V1", "callback_id": "fb"})
    )
    assert (payload["type"], payload["is_cleared"], payload["view"]["callback_id"]) == (
        "view_closed",
        False,
        "fb",
    )


def test_shortcut_bodies_use_slacks_type_names() -> None:
    message = {"type": "message", "ts": "1700000000.000200", "text": "nice work", "user": "U002"}
    msg = payload_of(
        message_shortcut_body(
            user_id="U001",
            team_id="T0SPROUT",
            callback_id="kudos_from_message",
            message=message,
            channel_id="C100",
            trigger_id="1.2.3",
            response_url="http://127.0.0.1/response/3",
        )
    )
    assert (msg["type"], msg["callback_id"], msg["message_ts"]) == (
        "message_action",
        "kudos_from_message",
        "1700000000.000200",
    )
    assert msg["channel"]["id"] == "C100"
    glob = payload_of(
        global_shortcut_body(
            user_id="U001", team_id="T0SPROUT", callback_id="new_kudos", trigger_id="1.2.3"
        )
    )
    assert (glob["type"], glob["callback_id"], glob["trigger_id"]) == (
        "shortcut",
        "new_kudos",
        "1.2.3",
    )
    assert "response_url" not in glob


def test_event_body_is_a_json_event_callback_envelope() -> None:
    event = {"type": "app_home_opened", "user": "U001", "tab": "home"}
    envelope = json.loads(
        event_body(team_id="T0SPROUT", event=event, event_id="Ev01", event_time=1_700_000_000)
    )
    assert envelope["type"] == "event_callback"
    assert (envelope["team_id"], envelope["api_app_id"]) == ("T0SPROUT", "A0SPROUT")
    assert (envelope["event_id"], envelope["event_time"]) == ("Ev01", 1_700_000_000)
    assert envelope["event"] == event
    assert envelope["authorizations"][0]["user_id"] == "USPROUTBOT"
    assert "token" in envelope


# -- end to end through Bolt's real HTTP handling --------------------------------------------------


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output clean."""


@dataclass
class BoltHarness:
    slack: LocalSlack
    url: str
    seen: list[dict[str, Any]]


@pytest.fixture
def harness() -> Iterator[BoltHarness]:
    with LocalSlack() as slack:
        slack.add_user("U001", "ana")
        client = WebClient(token=slack.bot_token, base_url=slack.base_url, timeout=5)
        app = App(signing_secret=SECRET, client=client, process_before_response=True)
        seen: list[dict[str, Any]] = []

        @app.command("/sprout")
        def on_command(ack: Any, command: dict, respond: Any) -> None:
            ack(text="On it")
            seen.append(command)
            respond(text=f"You said {command['text']}")

        @app.action("rate")
        def on_rate(ack: Any, body: dict, client: WebClient) -> None:
            ack()
            container = body["container"]
            client.chat_update(
                channel=container["channel_id"],
                ts=container["message_ts"],
                text=f"Rated {body['actions'][0]['value']}",
            )

        @app.view("give_feedback")
        def on_submit(ack: Any, view: dict) -> None:
            seen.append(view)
            ack()

        @app.event("app_home_opened")
        def on_home(event: dict, client: WebClient, request: BoltRequest) -> None:
            seen.append({"retry_num": request.headers.get("x-slack-retry-num")})
            client.views_publish(user_id=event["user"], view={"type": "home", "blocks": []})

        @app.shortcut("new_kudos")
        def on_shortcut(ack: Any, body: dict, client: WebClient) -> None:
            ack()
            client.views_open(
                trigger_id=body["trigger_id"],
                view={
                    "type": "modal",
                    "callback_id": "give_feedback",
                    "title": {"type": "plain_text", "text": "Kudos"},
                    "blocks": [],
                },
            )

        server: WSGIServer = make_server(
            "127.0.0.1", 0, SlackRequestHandler(app), handler_class=QuietHandler
        )
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02})
        thread.start()
        try:
            yield BoltHarness(slack, f"http://127.0.0.1:{server.server_port}/slack/events", seen)
        finally:
            server.shutdown()
            server.server_close()
            thread.join()
        assert slack.internal_errors == []


def test_a_signed_command_is_acked_and_answered_on_its_response_url(harness: BoltHarness) -> None:
    slack = harness.slack
    response_url = slack.new_response_url()
    body = command_body(
        command="/sprout",
        text="hello",
        user_id="U001",
        team_id=slack.team_id,
        channel_id=slack.dm_channel("U001"),
        response_url=response_url,
        trigger_id=slack.new_trigger_id(),
    )
    result = post(harness.url, body, content_type=FORM, secret=SECRET)
    assert result.status == 200
    assert result.text == "On it"  # Bolt answers a text-only ack as text/plain
    assert result.headers["Content-Type"].startswith("text/plain")
    assert result.headers["content-type"] == result.headers["CONTENT-TYPE"]
    assert [r.text for r in slack.responses_to(response_url)] == ["You said hello"]
    assert harness.seen[0]["user_id"] == "U001"


def test_a_bad_or_stale_signature_is_refused_with_401(harness: BoltHarness) -> None:
    body = command_body(
        command="/sprout",
        text="hello",
        user_id="U001",
        team_id="T0SPROUT",
        channel_id="D001",
        response_url=harness.slack.new_response_url(),
        trigger_id="1.2.3",
    )
    bad = post(harness.url, body, content_type=FORM, secret=SECRET, bad_signature=True)
    assert bad.status == 401
    stale = post(
        harness.url, body, content_type=FORM, secret=SECRET, timestamp=int(time.time()) - 600
    )
    assert stale.status == 401
    assert harness.seen == []


def test_a_button_click_lets_the_app_edit_the_original_message(harness: BoltHarness) -> None:
    slack = harness.slack
    client = WebClient(token=slack.bot_token, base_url=slack.base_url)
    posted = client.chat_postMessage(channel="U001", text="Rate this week")
    body = block_actions_body(
        user_id="U001",
        team_id=slack.team_id,
        actions=[{"type": "button", "action_id": "rate", "block_id": "r", "value": "4"}],
        response_url=slack.new_response_url(),
        trigger_id=slack.new_trigger_id(),
        message=posted["message"],
        channel_id=posted["channel"],
    )
    assert post(harness.url, body, content_type=FORM, secret=SECRET).status == 200
    [message] = slack.dms_to("U001")
    assert (message.text, message.updates) == ("Rated 4", 1)


def test_a_shortcut_opens_a_modal_whose_submission_reaches_the_app(harness: BoltHarness) -> None:
    slack = harness.slack
    trigger = slack.new_trigger_id()
    shortcut = global_shortcut_body(
        user_id="U001", team_id=slack.team_id, callback_id="new_kudos", trigger_id=trigger
    )
    assert post(harness.url, shortcut, content_type=FORM, secret=SECRET).status == 200
    [opened] = slack.views
    assert opened.trigger_id == trigger
    values = {"note": {"text": {"type": "plain_text_input", "value": "Thanks!"}}}
    submission = view_submission_body(
        user_id="U001",
        team_id=slack.team_id,
        view=opened.view,
        values=values,
        trigger_id=slack.new_trigger_id(),
    )
    result = post(harness.url, submission, content_type=FORM, secret=SECRET)
    assert (result.status, result.body) == (200, b"")
    assert harness.seen[-1]["state"]["values"] == values
    assert harness.seen[-1]["id"] == opened.id


def test_an_event_reaches_the_app_and_url_verification_is_answered(harness: BoltHarness) -> None:
    slack = harness.slack
    event = {"type": "app_home_opened", "user": "U001", "tab": "home", "channel": "D001"}
    body = event_body(team_id=slack.team_id, event=event, event_id="Ev1", event_time=1_700_000_000)
    assert post(harness.url, body, content_type=JSON, secret=SECRET).status == 200
    assert slack.home_of("U001") is not None
    challenge = post(harness.url, url_verification_body("abc"), content_type=JSON, secret=SECRET)
    assert challenge.json() == {"challenge": "abc"}


def test_post_passes_extra_headers_like_slack_retries(harness: BoltHarness) -> None:
    event = {"type": "app_home_opened", "user": "U001", "tab": "home", "channel": "D001"}
    body = event_body(team_id="T0SPROUT", event=event, event_id="Ev2", event_time=1_700_000_000)
    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    result = post(harness.url, body, content_type=JSON, secret=SECRET, extra_headers=retry)
    assert result.status == 200
    assert harness.seen[-1] == {"retry_num": ["1"]}
