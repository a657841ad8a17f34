"""A started LocalSlack with a few members and a channel, and a WebClient pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient

from devtools.local_slack import LocalSlack


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
