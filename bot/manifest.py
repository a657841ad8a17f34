"""The Slack app manifest for this deployment, and command names with a prefix.

`SPROUT_COMMAND_PREFIX=sprout-` makes Sprout answer `/sprout-feedback`, `/sprout-team`...
(for a workspace where another app already owns `/feedback`), and `python -m bot manifest`
prints manifest.yml with the same names and, given `--host`, every request URL on that
host with Socket Mode off. Whatever Sprout sends names the commands that way too
(`as_typed_in`), applied where it leaves for Slack: the Web API (`NamingClient`), a
request's ack (`bot.acks`) and its replies to the response URL (`bot.responses`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from slack_sdk import WebClient
from slack_sdk.web import SlackResponse

MANIFEST = Path(__file__).resolve().parent.parent / "manifest.yml"
EXAMPLE_HOST = "sprout.example.com"
_COMMAND = re.compile(r"^(\s*- command: /)(\S+)$", re.M)
_HOST = re.compile(r"^[A-Za-z0-9.-]+(:\d+)?$")


def command_name(command: str, prefix: str) -> str:
    """`/feedback` as this deployment names it."""
    return f"/{prefix}{command.lstrip('/')}" if prefix else command


def render(prefix: str = "", host: str = "") -> str:
    """manifest.yml with the commands' names prefixed, and the host in every URL."""
    text = MANIFEST.read_text(encoding="utf-8")
    if prefix:
        text = _COMMAND.sub(lambda m: f"{m.group(1)}{prefix}{m.group(2)}", text)
    if host:
        text = text.replace(f"https://{EXAMPLE_HOST}", f"https://{host}")
        text = text.replace("socket_mode_enabled: true", "socket_mode_enabled: false")
    return text


def valid_host(host: str) -> bool:
    return bool(_HOST.match(host))


COMMANDS = ("team", "feedback", "priority", "checkin", "coach")  # as manifest.yml names them
_MENTIONED = re.compile(r"`/(" + "|".join(COMMANDS) + r")\b")


def as_typed(text: str, prefix: str) -> str:
    """Text naming `/feedback` (in backticks, as Sprout's copy does) with the deployment's
    names: `/sprout-feedback` under a prefix."""
    if not prefix:
        return text
    return _MENTIONED.sub(lambda m: f"`/{prefix}{m.group(1)}", text)


# What a message or view carries as data, not copy: claims Sprout reads back (a button's
# value, a form's metadata, a message's metadata) and what a person typed into a field.
_DATA = frozenset({"value", "private_metadata", "metadata", "initial_value"})


def as_typed_in(value: Any, prefix: str) -> Any:
    """A message, view or any part of one, with every text naming the commands as this
    deployment's people type them (`as_typed`), its data (`_DATA`) as it was; the value
    itself without a prefix."""
    if not prefix:
        return value
    if isinstance(value, str):
        return as_typed(value, prefix)
    if isinstance(value, dict):
        return {
            key: item if key in _DATA else as_typed_in(item, prefix) for key, item in value.items()
        }
    if isinstance(value, list):
        return [as_typed_in(item, prefix) for item in value]
    return value


class NamingClient(WebClient):
    """A WebClient whose every call names the commands as people type them: whatever the
    Web API method (chat.update, chat.postEphemeral, views.open, views.update, views.push),
    the message or view it carries leaves through `api_call`, rewritten by `as_typed_in`."""

    command_prefix = ""

    def api_call(
        self, api_method: str, *, json: dict[str, Any] | None = None, **kwargs: Any
    ) -> SlackResponse:
        return super().api_call(api_method, json=as_typed_in(json, self.command_prefix), **kwargs)


def naming(client: WebClient, prefix: str) -> WebClient:
    """`client` (a request's, as Bolt made it: its token, URL and settings) as a
    `NamingClient`; the client itself without a prefix.

    A copy of its attributes rather than a new client: nothing is built again, and
    whatever Bolt's authorization set on it (the token) comes along.
    """
    if not prefix:
        return client
    named = object.__new__(NamingClient)
    vars(named).update(vars(client), command_prefix=prefix)
    return named


def command_prefix_stripper(prefix: str) -> Callable[[dict[str, Any]], None]:
    """What makes `/sprout-feedback` reach the `/feedback` listener: it rewrites a
    request body's command in place."""
    marker = f"/{prefix}"

    def strip_command_prefix(body: dict[str, Any]) -> None:
        command = body.get("command") if isinstance(body, dict) else None
        if prefix and isinstance(command, str) and command.startswith(marker):
            body["command"] = "/" + command[len(marker) :]

    return strip_command_prefix
