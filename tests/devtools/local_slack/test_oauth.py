"""Tokens: auth.test answers for the token's workspace; a missing or unknown token is refused."""

from __future__ import annotations

from slack_sdk import WebClient

from devtools.local_slack import LocalSlack
from tests.devtools.local_slack.helpers import api_error, raw_request


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
