"""The records tests read: complete, resettable, and copies callers cannot change."""

from __future__ import annotations

import threading

from slack_sdk import WebClient

from devtools.local_slack import LocalSlack
from tests.devtools.local_slack.helpers import api_error, section


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
