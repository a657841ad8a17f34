"""Editing the message a button was pressed on (so it shows what happened, in place)."""

from __future__ import annotations

from typing import Any


def clicked_message(body: dict[str, Any]) -> tuple[str | None, str | None]:
    """The channel and ts of the message a block action came from."""
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    return channel, container.get("message_ts")


def update_message(
    client: Any, channel: str | None, ts: str | None, message: dict[str, Any]
) -> None:
    """chat.update the message, when we know which one it is."""
    if channel and ts:
        client.chat_update(channel=channel, ts=ts, **message)
