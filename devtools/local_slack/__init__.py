"""A small stand-in for the Slack Web API, served on loopback for tests and the demo.

Why it exists: driving the app through the real ``slack_sdk.WebClient`` against a server that
answers like Slack (argument checks, DM ids versus user ids, Block Kit limits, 429s) catches
wire-level mistakes that in-process mocks hide. Everything it receives is recorded so tests can
assert on what a person in Slack would actually have seen.

Usage::

    with LocalSlack() as slack:
        slack.add_user("U001", "ana")
        client = WebClient(token=slack.bot_token, base_url=slack.base_url)
        client.chat_postMessage(channel="U001", text="hi")
        assert slack.dms_to("U001")[0].text == "hi"

Layout, a module each: ``validation`` (argument and Block Kit checks), ``workspace`` (members,
channels, messages, ids), ``records`` and ``recorder`` (what was received, for tests to read),
``directory``, ``chat``, ``views`` and ``responses`` (the Web API methods and response URLs),
``faults`` (scripted failures and rate limits), ``oauth`` (tokens and installs) and ``server``
(HTTP, routing, and ``LocalSlack``, which puts the pieces together).
"""

from devtools.local_slack.records import Call, Ephemeral, Message, Response, View, texts_in
from devtools.local_slack.server import LocalSlack
from devtools.local_slack.validation import (
    MESSAGE_BLOCK_LIMIT,
    SURFACES,
    VIEW_BLOCK_LIMIT,
    validate_blocks,
    validate_view,
)

__all__ = [
    "MESSAGE_BLOCK_LIMIT",
    "SURFACES",
    "VIEW_BLOCK_LIMIT",
    "Call",
    "Ephemeral",
    "LocalSlack",
    "Message",
    "Response",
    "View",
    "texts_in",
    "validate_blocks",
    "validate_view",
]
