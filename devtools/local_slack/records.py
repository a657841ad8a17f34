"""What LocalSlack records: the calls, messages, views and response-URL posts it received.

Why it exists: tests assert on what a person in Slack would have seen, so each kind of record is
a small frozen dataclass (copied out to callers, who cannot change the server's state through
them), plus ``texts_in`` to ask "does it mention X" of some blocks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


def truthy(value: Any) -> bool:
    """Slack's reading of a flag that may come as a bool, a number or a form string."""
    return (
        value is True or value == 1 or (isinstance(value, str) and value.lower() in ("1", "true"))
    )


@dataclass(frozen=True)
class Call:
    """One Web API request as received (token removed), with how it was answered."""

    method: str
    args: dict[str, Any]
    ok: bool
    error: str | None
    status: int
    team_id: str | None = None  # whose token made the call (several workspaces, OAuth)


@dataclass(frozen=True)
class Message:
    """A message posted with chat.postMessage, in its current (possibly edited) state."""

    channel: str
    ts: str
    text: str
    blocks: list[dict]
    user: str
    thread_ts: str | None = None
    updates: int = 0
    history: list[tuple[str, list[dict]]] = field(default_factory=list)
    missing_text_fallback: bool = False
    attachments: list[dict] = field(default_factory=list)
    metadata: dict | None = None  # chat.postMessage's `metadata` (event_type, event_payload)


@dataclass(frozen=True)
class Ephemeral:
    """A chat.postEphemeral message: only ``user`` saw it, and it cannot be edited later."""

    channel: str
    user: str
    text: str
    blocks: list[dict]
    ts: str
    thread_ts: str | None = None
    missing_text_fallback: bool = False


@dataclass(frozen=True)
class Response:
    """A JSON body posted to a response URL (``status``/``error`` are set when refused)."""

    url: str
    body: dict[str, Any]
    missing_text_fallback: bool = False
    status: int = 200
    error: str | None = None

    @property
    def text(self) -> str:
        return str(self.body.get("text") or "")

    @property
    def blocks(self) -> list[dict]:
        return list(self.body.get("blocks") or [])

    @property
    def response_type(self) -> str | None:
        return self.body.get("response_type")

    @property
    def replace_original(self) -> bool:
        return truthy(self.body.get("replace_original"))

    @property
    def delete_original(self) -> bool:
        return truthy(self.body.get("delete_original"))


@dataclass(frozen=True)
class View:
    """A views.open/push/update/publish call that succeeded; ``view`` is what Slack returned."""

    id: str
    kind: str
    user_id: str | None
    view: dict[str, Any]
    trigger_id: str | None = None


def texts_in(blocks: Iterable[Any]) -> list[str]:
    """Every text string inside some blocks, in reading order; handy for "does it mention X"."""
    found: list[str] = []

    def walk(item: Any) -> None:
        if isinstance(item, dict):
            for key, value in item.items():
                if key == "text" and isinstance(value, str):
                    found.append(value)
                else:
                    walk(value)
        elif isinstance(item, list):
            for value in item:
                walk(value)

    walk(list(blocks))
    return found
