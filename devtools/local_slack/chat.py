"""Messages: chat.postMessage, chat.postEphemeral, chat.update and chat.getPermalink.

Why it exists: most of what Sprout does is post and edit messages, and Slack is particular about
it (a user id posts into the DM but chat.update wants the D... id; blocks need a text fallback),
so these methods get their own module, recording each message the way a person would see it.
"""

from __future__ import annotations

import base64
import copy
import math
from dataclasses import replace
from typing import Any

from devtools.local_slack.recorder import Recorder
from devtools.local_slack.records import Ephemeral, Message, truthy
from devtools.local_slack.validation import ApiError, blocks_arg, check_content, require


def metadata_arg(args: dict[str, Any]) -> dict | None:
    """chat.postMessage's ``metadata``: an event_type, and an event_payload object."""
    value = args.get("metadata")
    if value is None:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("event_type"), str):
        raise ApiError("invalid_metadata_format")
    if not isinstance(value.get("event_payload", {}), dict):
        raise ApiError("invalid_metadata_format")
    return copy.deepcopy(value)


def edited(old: Message, *, text: str, blocks: list[dict], missing_text_fallback: bool) -> Message:
    """``old`` with new content, counting the edit and keeping what it said before."""
    return replace(
        old,
        text=text,
        blocks=copy.deepcopy(blocks),
        updates=old.updates + 1,
        history=[*old.history, (old.text, copy.deepcopy(old.blocks))],
        missing_text_fallback=missing_text_fallback,
    )


class Chat(Recorder):
    """The chat.* methods, and messages posted by people rather than the app."""

    def post_as(self, user_id: str, channel: str, text: str) -> Message:
        """A person (not the app) posts a message, e.g. for a message shortcut to act on."""
        with self._lock:
            if user_id not in self._users:
                raise KeyError(f"unknown user {user_id}")
            message = Message(
                channel=channel, ts=self._next_ts(), text=text, blocks=[], user=user_id
            )
            self._keep_message(message)
            return copy.deepcopy(message)

    def _keep_message(self, message: Message) -> None:
        key = (message.channel, message.ts)
        self._store[key] = message
        self._message_keys.append(key)

    def _message_json(self, message: Message, *, metadata: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "type": "message",
            "user": message.user,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "team": self.team_id,
            "text": message.text,
            "ts": message.ts,
        }
        if message.blocks:
            data["blocks"] = copy.deepcopy(message.blocks)
        if message.thread_ts:
            data["thread_ts"] = message.thread_ts
        if metadata and message.metadata is not None:
            data["metadata"] = copy.deepcopy(message.metadata)
        return data

    def _chat_post_message(self, args: dict[str, Any]) -> dict[str, Any]:
        require(args, "channel")
        channel = self._resolve_post_channel(str(args["channel"]), allow_user_id=True)
        blocks = blocks_arg(args)
        missing_fallback = check_content(args, blocks)
        message = Message(
            channel=channel,
            ts=self._next_ts(),
            text=str(args.get("text") or ""),
            blocks=copy.deepcopy(blocks or []),
            user=self.bot_user_id,
            thread_ts=str(args["thread_ts"]) if args.get("thread_ts") else None,
            missing_text_fallback=missing_fallback,
            attachments=copy.deepcopy(args.get("attachments") or []),
            metadata=metadata_arg(args),
        )
        self._keep_message(message)
        return {"channel": channel, "ts": message.ts, "message": self._message_json(message)}

    def _conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        """Newest first, within (oldest, latest); metadata only with include_all_metadata.

        A page is ``limit`` messages (default 100); ``next_cursor`` continues it.
        """
        require(args, "channel")
        channel = str(args["channel"])
        if channel not in self._channels and self._user_for_dm(channel) is None:
            raise ApiError("channel_not_found")
        try:
            oldest = float(args.get("oldest") or 0)
            latest = float(args.get("latest") or math.inf)
            limit = int(args.get("limit") or 100)
            start = int(base64.b64decode(str(args.get("cursor") or "")).decode() or 0)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ApiError("invalid_arguments") from exc
        inclusive = truthy(args.get("inclusive"))
        found = [
            m
            for key in reversed(self._message_keys)
            if key[0] == channel
            and (m := self._store.get(key)) is not None
            and m.thread_ts in (None, m.ts)
            and (oldest <= float(m.ts) if inclusive else oldest < float(m.ts))
            and (float(m.ts) <= latest if inclusive else float(m.ts) < latest)
        ]
        page = found[start : start + limit]
        more = start + limit < len(found)
        with_metadata = truthy(args.get("include_all_metadata"))
        cursor = base64.b64encode(str(start + limit).encode()).decode() if more else ""
        return {
            "messages": [self._message_json(m, metadata=with_metadata) for m in page],
            "has_more": more,
            "response_metadata": {"next_cursor": cursor},
        }

    def _chat_post_ephemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        require(args, "channel", "user")
        channel = self._resolve_post_channel(str(args["channel"]), allow_user_id=True)
        user_id = str(args["user"])
        if user_id not in self._users:
            raise ApiError("user_not_found")
        blocks = blocks_arg(args)
        missing_fallback = check_content(args, blocks)
        ts = self._next_ts()
        self._ephemerals.append(
            Ephemeral(
                channel=channel,
                user=user_id,
                text=str(args.get("text") or ""),
                blocks=copy.deepcopy(blocks or []),
                ts=ts,
                thread_ts=str(args["thread_ts"]) if args.get("thread_ts") else None,
                missing_text_fallback=missing_fallback,
            )
        )
        return {"message_ts": ts}

    def _chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        require(args, "channel", "ts")
        channel = self._resolve_post_channel(str(args["channel"]), allow_user_id=False)
        key = (channel, str(args["ts"]))
        old = self._store.get(key)
        if old is None:
            raise ApiError("message_not_found")
        blocks = blocks_arg(args)
        # Omitted blocks keep the old ones (an empty list removes them), as Slack documents.
        new_blocks = old.blocks if blocks is None else blocks
        missing_fallback = check_content(args, new_blocks)
        new = edited(
            old,
            text=str(args.get("text") or ""),
            blocks=new_blocks,
            missing_text_fallback=missing_fallback,
        )
        self._store[key] = new
        return {
            "channel": channel,
            "ts": new.ts,
            "text": new.text,
            "message": self._message_json(new),
        }

    def _chat_get_permalink(self, args: dict[str, Any]) -> dict[str, Any]:
        require(args, "channel", "message_ts")
        channel = str(args["channel"])
        if channel in self._users:
            raise ApiError("channel_not_found")
        ts = str(args["message_ts"])
        if (channel, ts) not in self._store:
            raise ApiError("message_not_found")
        link = f"https://{self.team_domain}.slack.com/archives/{channel}/p{ts.replace('.', '')}"
        return {"channel": channel, "permalink": link}
