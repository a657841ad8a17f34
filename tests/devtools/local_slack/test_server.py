"""LocalSlack serves on loopback, parses requests the ways Slack accepts them, and stays
consistent under concurrent calls."""

from __future__ import annotations

from slack_sdk import WebClient

from devtools.local_slack import LocalSlack
from tests.devtools.local_slack.helpers import api_error, raw_request


def test_base_url_is_loopback_with_a_trailing_slash(slack: LocalSlack) -> None:
    assert slack.base_url.startswith("http://127.0.0.1:")
    assert slack.base_url.endswith("/api/")


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


def test_a_malformed_json_body_is_invalid_json(slack: LocalSlack) -> None:
    status, answer = raw_request(
        slack.base_url + "chat.postMessage",
        data=b"{not json",
        headers={"Authorization": f"Bearer {slack.bot_token}", "Content-Type": "application/json"},
        method="POST",
    )
    assert (status, answer["error"]) == (200, "invalid_json")
    assert slack.calls[0].error == "invalid_json"
