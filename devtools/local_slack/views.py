"""Modals and the Home tab: views.open, views.push, views.update and views.publish.

Why it exists: views have their own rules on Slack (a trigger id that LocalSlack issued, a hash
that must be current, external ids unique in the workspace, one Home tab per person), and tests
read back the Home tab a person would see now.
"""

from __future__ import annotations

import copy
from typing import Any

from devtools.local_slack.recorder import Recorder
from devtools.local_slack.records import View
from devtools.local_slack.validation import ApiError, require, view_arg
from devtools.local_slack.workspace import TS_EPOCH


class Views(Recorder):
    """The views.* methods, the trigger ids they need, and every view's current state."""

    def __init__(self, **workspace: Any) -> None:
        super().__init__(**workspace)
        self._views_by_id: dict[str, dict[str, Any]] = {}
        self._home_by_user: dict[str, str] = {}
        self._external_ids: dict[str, str] = {}
        self._trigger_ids: set[str] = set()

    def new_trigger_id(self) -> str:
        with self._lock:
            n = self._next()
            trigger_id = f"{7_000_000_000 + n}.{n:09d}.{n * 2654435761 % 16**12:012x}"
            self._trigger_ids.add(trigger_id)
            return trigger_id

    def home_of(self, user_id: str) -> dict | None:
        """The user's Home tab as last published or updated, or None."""
        with self._lock:
            view_id = self._home_by_user.get(user_id)
            return copy.deepcopy(self._views_by_id[view_id]) if view_id else None

    def view_by_id(self, view_id: str) -> dict | None:
        with self._lock:
            view = self._views_by_id.get(view_id)
            return copy.deepcopy(view) if view else None

    def _store_view(
        self, view: dict[str, Any], *, view_id: str | None, previous: dict[str, Any] | None
    ) -> dict[str, Any]:
        n = self._next()
        view_id = view_id or f"V{n:010d}"
        external_id = view.get("external_id") or ""
        if external_id:
            owner = self._external_ids.get(external_id)
            if owner is not None and owner != view_id:
                raise ApiError("duplicate_external_id")
            self._external_ids[external_id] = view_id
        stored = {
            "id": view_id,
            "team_id": self.team_id,
            "type": view["type"],
            "title": view.get("title"),
            "submit": view.get("submit"),
            "close": view.get("close"),
            "blocks": copy.deepcopy(view.get("blocks") or []),
            "private_metadata": view.get("private_metadata") or "",
            "callback_id": view.get("callback_id") or "",
            "external_id": external_id,
            "state": {"values": {}},
            "hash": f"{TS_EPOCH + n}.{n * 40503 % 16**8:08x}",
            "clear_on_close": bool(view.get("clear_on_close", False)),
            "notify_on_close": bool(view.get("notify_on_close", False)),
            "root_view_id": (previous or {}).get("root_view_id") or view_id,
            "previous_view_id": None,
            "app_id": self.app_id,
            "app_installed_team_id": self.team_id,
            "bot_id": self.bot_id,
        }
        self._views_by_id[view_id] = stored
        return stored

    def _take_trigger(self, args: dict[str, Any]) -> str:
        trigger_id = args.get("trigger_id") or args.get("interactivity_pointer")
        if not trigger_id:
            require(args, "trigger_id")
        if trigger_id not in self._trigger_ids:
            raise ApiError("invalid_trigger_id")
        return str(trigger_id)

    def _views_open_or_push(self, args: dict[str, Any], kind: str) -> dict[str, Any]:
        require(args, "view")
        trigger_id = self._take_trigger(args)
        view = view_arg(args)
        if view["type"] != "modal":
            raise ApiError("invalid_arguments", messages=["[ERROR] view type must be modal"])
        stored = self._store_view(view, view_id=None, previous=None)
        self._views.append(View(stored["id"], kind, None, copy.deepcopy(stored), trigger_id))
        return {"view": copy.deepcopy(stored)}

    def _views_update(self, args: dict[str, Any]) -> dict[str, Any]:
        require(args, "view")
        view_id = args.get("view_id") or self._external_ids.get(str(args.get("external_id") or ""))
        if not args.get("view_id") and not args.get("external_id"):
            require(args, "view_id")
        if not view_id or view_id not in self._views_by_id:
            raise ApiError("not_found")
        current = self._views_by_id[view_id]
        if args.get("hash") and args["hash"] != current["hash"]:
            raise ApiError("hash_conflict")
        view = view_arg(args)
        stored = self._store_view(view, view_id=view_id, previous=current)
        user_id = next((u for u, v in self._home_by_user.items() if v == view_id), None)
        self._views.append(View(view_id, "update", user_id, copy.deepcopy(stored)))
        return {"view": copy.deepcopy(stored)}

    def _views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        require(args, "user_id", "view")
        user_id = str(args["user_id"])
        if user_id not in self._users:
            raise ApiError("user_not_found")
        view = view_arg(args)
        if view["type"] != "home":
            raise ApiError("invalid_arguments", messages=["[ERROR] view type must be home"])
        current_id = self._home_by_user.get(user_id)
        current = self._views_by_id.get(current_id) if current_id else None
        if args.get("hash") and current is not None and args["hash"] != current["hash"]:
            raise ApiError("hash_conflict")
        stored = self._store_view(view, view_id=current_id, previous=current)
        self._home_by_user[user_id] = stored["id"]
        self._views.append(View(stored["id"], "publish", user_id, copy.deepcopy(stored)))
        return {"view": copy.deepcopy(stored)}
