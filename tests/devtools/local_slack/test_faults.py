"""Injected failures (429, 5xx, ok: false) and token-bucket rate limits."""

from __future__ import annotations

import threading
from http.client import RemoteDisconnected

import pytest
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from devtools.local_slack import LocalSlack
from tests.devtools.local_slack.helpers import api_error


class FakeClock:
    """A monotonic clock the test moves by hand, so rate limits need no sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


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


def test_response_url_faults_can_be_injected(slack: LocalSlack) -> None:
    slack.fail("response_url", status=500)
    url = slack.new_response_url()
    assert WebhookClient(url).send(text="x").status_code == 500
    assert WebhookClient(url).send(text="x").status_code == 200
    assert [r.status for r in slack.rejected_responses] == [500]


def test_a_hung_call_takes_effect_but_the_client_times_out(slack: LocalSlack) -> None:
    impatient = WebClient(token=slack.bot_token, base_url=slack.base_url, timeout=0.2)
    slack.hang("chat.postMessage")

    with pytest.raises(TimeoutError):
        impatient.chat_postMessage(channel="U001", text="slow")

    assert [m.text for m in slack.dms_to("U001")] == ["slow"]
    assert impatient.chat_postMessage(channel="U001", text="quick")["ok"]


def test_a_dropped_call_takes_effect_and_the_connection_closes_unanswered(
    slack: LocalSlack,
) -> None:
    once = WebClient(token=slack.bot_token, base_url=slack.base_url, retry_handlers=[])
    slack.drop("chat.postMessage")

    with pytest.raises(RemoteDisconnected):
        once.chat_postMessage(channel="U001", text="dropped")

    assert [m.text for m in slack.dms_to("U001")] == ["dropped"]
    assert once.chat_postMessage(channel="U001", text="next")["ok"]


def test_a_held_call_is_answered_once_released(slack: LocalSlack) -> None:
    client = WebClient(token=slack.bot_token, base_url=slack.base_url)
    slack.hold("users.info")
    answer: list[str] = []
    asking = threading.Thread(
        target=lambda: answer.append(client.users_info(user="U001")["user"]["id"])
    )
    asking.start()

    slack.release()
    asking.join()

    assert answer == ["U001"]
