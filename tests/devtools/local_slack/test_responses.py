"""Response URLs: recorded, five uses each, checked, and able to edit the original message."""

from __future__ import annotations

import json

from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from devtools.local_slack import LocalSlack
from tests.devtools.local_slack.helpers import section


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
