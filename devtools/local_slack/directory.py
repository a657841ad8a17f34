"""The read-only Web API methods about the workspace: users.info, users.list, team.info and
conversations.open.

Why it exists: these answer from the workspace state without changing it (apart from the group
DMs conversations.open names), so they sit apart from the methods that post and record things.
"""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from devtools.local_slack.validation import ApiError, require
from devtools.local_slack.workspace import Workspace


class Directory(Workspace):
    """users.*, team.info and conversations.open."""

    def _users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        require(args, "user")
        if args["user"] not in self._users:
            raise ApiError("user_not_found")
        return {"user": self._user_dict(args["user"])}

    def _users_list(self, args: dict[str, Any]) -> dict[str, Any]:
        ids = list(self._users)
        try:
            limit = int(args.get("limit") or 0)
            cursor = str(args.get("cursor") or "")
            start = int(base64.b64decode(cursor).decode().split(":")[1]) if cursor else 0
        except (ValueError, IndexError, UnicodeDecodeError) as exc:
            raise ApiError("invalid_cursor") from exc
        end = len(ids) if limit <= 0 else min(len(ids), start + limit)
        next_cursor = base64.b64encode(f"offset:{end}".encode()).decode() if end < len(ids) else ""
        return {
            "members": [self._user_dict(uid) for uid in ids[start:end]],
            "cache_ts": int(self._wall_clock()),
            "response_metadata": {"next_cursor": next_cursor},
        }

    def _team_info(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "team": {
                "id": self.team_id,
                "name": self.team_name,
                "domain": self.team_domain,
                "url": f"https://{self.team_domain}.slack.com/",
                "email_domain": "",
                "icon": {"image_default": True},
            }
        }

    def _conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        if args.get("channel"):
            channel = str(args["channel"])
            if channel not in self._channels and self._user_for_dm(channel) is None:
                raise ApiError("channel_not_found")
            return {"no_op": True, "already_open": True, "channel": {"id": channel}}
        require(args, "users")
        users = [u.strip() for u in str(args["users"]).split(",") if u.strip()]
        for user_id in users:
            if user_id not in self._users:
                raise ApiError("user_not_found")
            self._check_dm_target(user_id)
        if len(users) == 1:
            channel = self.dm_channel(users[0])
        else:
            channel = self.group_dm(*users)
            self._channels.setdefault(
                channel, {"name": "mpdm", "is_member": True, "members": sorted(set(users))}
            )
        return {"no_op": True, "already_open": True, "channel": {"id": channel}}

    def group_dm(self, *user_ids: str) -> str:
        """The stable id of the group DM of these people and the app (any order)."""
        digest = hashlib.sha1(",".join(sorted(set(user_ids))).encode()).hexdigest()
        return "G" + digest[:10].upper()

    def group_dm_members(self, channel: str) -> list[str]:
        """Who is in a group DM conversations.open made (besides the app); [] if none."""
        with self._lock:
            return list(self._channels.get(channel, {}).get("members", []))
