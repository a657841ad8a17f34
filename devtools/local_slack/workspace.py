"""Workspace state: the team, its people and channels, the messages in it, and the ids Slack
hands out.

Why it exists: every Web API method reads the same few facts (who is a member, which DM belongs
to whom, whether the bot may post in a channel), so they live in one base class that the method
mixins build on, guarded by one lock.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from devtools.local_slack.records import Message
from devtools.local_slack.validation import ApiError

# Message timestamps and view hashes count up from here, so they look like Slack's.
TS_EPOCH = 1_700_000_000


def slug(name: str) -> str:
    """A workspace's domain from its name, e.g. "Sprout Demo" -> "sprout-demo"."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "workspace"


class Workspace:
    """The members, channels and messages of the workspace, and the counter behind every id."""

    def __init__(
        self,
        *,
        team_id: str,
        team_name: str,
        bot_user_id: str,
        bot_token: str,
        app_id: str,
        wall_clock: Callable[[], float],
    ) -> None:
        self.team_id = team_id
        self.team_name = team_name
        self.team_domain = slug(team_name)
        self.bot_user_id = bot_user_id
        self.bot_id = "B" + bot_user_id[1:]
        self.bot_token = bot_token
        self.app_id = app_id
        self._wall_clock = wall_clock
        self._lock = threading.RLock()
        self._seq = 0
        self._users: dict[str, dict[str, Any]] = {}
        self._channels: dict[str, dict[str, Any]] = {}
        self._store: dict[tuple[str, str], Message] = {}  # (channel, ts): current state
        # Real workspaces always contain Slackbot (is_bot is False for it!) and the app's bot.
        self.add_user("USLACKBOT", "slackbot", real_name="Slackbot", tz="America/Los_Angeles")
        self.add_user(bot_user_id, "sprout", real_name="Sprout", is_bot=True)

    # -- setup -------------------------------------------------------------------------------

    def add_user(
        self,
        user_id: str,
        name: str,
        *,
        real_name: str | None = None,
        display_name: str | None = None,
        tz: str = "America/New_York",
        is_bot: bool = False,
        deleted: bool = False,
        is_restricted: bool = False,
        is_ultra_restricted: bool = False,
        is_admin: bool = False,
        status_text: str = "",
        status_emoji: str = "",
        status_expiration: int = 0,
    ) -> dict:
        """Adds (or replaces) a member; returns the users.info-shaped dict."""
        ZoneInfo(tz)  # fail here, not in the middle of a request, on a bad zone name
        settings = {
            "name": name,
            "real_name": real_name if real_name is not None else name,
            "display_name": display_name if display_name is not None else name,
            "tz": tz,
            "is_bot": is_bot,
            "deleted": deleted,
            "is_restricted": is_restricted,
            "is_ultra_restricted": is_ultra_restricted,
            "is_admin": is_admin,
            "status_text": status_text,
            "status_emoji": status_emoji,
            "status_expiration": status_expiration,
            "updated": int(self._wall_clock()),
        }
        with self._lock:
            self._users[user_id] = settings
            return self._user_dict(user_id)

    def update_user(self, user_id: str, **changes: Any) -> dict:
        """Changes some of a member's settings (same keywords as add_user)."""
        with self._lock:
            if user_id not in self._users:
                raise KeyError(f"unknown user {user_id}")
            current = dict(self._users[user_id])
            current.pop("updated", None)
            unknown = set(changes) - set(current)
            if unknown:
                raise TypeError(f"unknown user fields: {sorted(unknown)}")
            current.update(changes)
            name = current.pop("name")
            return self.add_user(user_id, name, **current)

    def add_channel(
        self, channel_id: str, *, name: str | None = None, is_member: bool = True
    ) -> None:
        """Registers a public/private channel the bot can post to (when ``is_member``)."""
        with self._lock:
            self._channels[channel_id] = {
                "name": name or channel_id.lower(),
                "is_member": is_member,
            }

    def dm_channel(self, user_id: str) -> str:
        """The stable id of the bot's DM with a user, as Slack returns from conversations.open."""
        return "D" + user_id[1:]

    # -- ids -----------------------------------------------------------------------------------

    def _next(self) -> int:
        self._seq += 1
        return self._seq

    def _next_ts(self) -> str:
        n = self._next()
        return f"{TS_EPOCH + n // 10_000}.{(n % 10_000) * 100:06d}"

    # -- members and conversations ---------------------------------------------------------------

    def _user_dict(self, user_id: str) -> dict[str, Any]:
        s = self._users[user_id]
        now = self._wall_clock()
        local = datetime.fromtimestamp(now, UTC).astimezone(ZoneInfo(s["tz"]))
        offset = local.utcoffset()
        status_text, status_emoji, expiration = (
            s["status_text"],
            s["status_emoji"],
            s["status_expiration"],
        )
        if expiration and expiration <= now:  # Slack clears an expired status by itself
            status_text, status_emoji, expiration = "", "", 0
        profile: dict[str, Any] = {
            "real_name": s["real_name"],
            "real_name_normalized": s["real_name"],
            "display_name": s["display_name"],
            "display_name_normalized": s["display_name"],
            "status_text": status_text,
            "status_emoji": status_emoji,
            "status_expiration": expiration,
            "team": self.team_id,
            "image_48": f"https://avatars.example/{user_id}_48.png",
        }
        if s["is_bot"]:
            profile["bot_id"] = "B" + user_id[1:]
        return {
            "id": user_id,
            "team_id": self.team_id,
            "name": s["name"],
            "deleted": s["deleted"],
            "real_name": s["real_name"],
            "tz": s["tz"],
            "tz_label": local.tzname(),
            "tz_offset": int(offset.total_seconds()) if offset is not None else 0,
            "profile": profile,
            "is_admin": s["is_admin"],
            "is_owner": False,
            "is_primary_owner": False,
            "is_restricted": s["is_restricted"],
            "is_ultra_restricted": s["is_ultra_restricted"],
            "is_bot": s["is_bot"],
            "is_app_user": False,
            "updated": s["updated"],
        }

    def _user_for_dm(self, channel: str) -> str | None:
        for user_id in self._users:
            if self.dm_channel(user_id) == channel:
                return user_id
        return None

    def _dm_for_user_id(self, value: str) -> str | None:
        """The DM channel when ``value`` is a known user id, else None."""
        return self.dm_channel(value) if value in self._users else None

    def _channel_key(self, channel: Any) -> str | None:
        """The conversation a ``channel`` argument names (a user id means their DM)."""
        if not isinstance(channel, str):
            return None
        return self._dm_for_user_id(channel) or channel

    def _check_dm_target(self, user_id: str) -> None:
        user = self._users[user_id]
        if user["is_bot"]:
            raise ApiError("cannot_dm_bot")
        if user["deleted"]:
            raise ApiError("user_disabled")

    def _resolve_post_channel(self, channel: str, *, allow_user_id: bool) -> str:
        """Maps a channel argument to the conversation id Slack would post into."""
        if channel in self._channels:
            if not self._channels[channel]["is_member"]:
                raise ApiError("not_in_channel")
            return channel
        if channel in self._users:
            if not allow_user_id:
                # Slack wants the D... id here; a user id does not name a conversation.
                raise ApiError(
                    "message_not_found",
                    messages=["[WARN] pass the DM channel id (D...) that the post returned"],
                )
            self._check_dm_target(channel)
            return self.dm_channel(channel)
        user_id = self._user_for_dm(channel) if channel.startswith("D") else None
        if user_id is None:
            raise ApiError("channel_not_found")
        self._check_dm_target(user_id)
        return channel
