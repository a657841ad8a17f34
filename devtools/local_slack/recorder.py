"""The recorder: what LocalSlack received since the last reset, for tests to read.

Why it exists: tests assert on the calls the app made and on what people saw (messages,
ephemerals, views, response-URL posts) rather than on access logs. The records are kept apart
from the workspace state so ``reset_records`` can forget them while messages stay editable.
"""

from __future__ import annotations

import copy
from typing import Any

from devtools.local_slack.records import Call, Ephemeral, Message, Response, View
from devtools.local_slack.workspace import Workspace


class Recorder(Workspace):
    """Every record, and the copies of them that callers read."""

    def __init__(self, **workspace: Any) -> None:
        super().__init__(**workspace)
        self._calls: list[Call] = []
        self._message_keys: list[tuple[str, str]] = []  # keys into the workspace's messages
        self._ephemerals: list[Ephemeral] = []
        self._responses: list[Response] = []
        self._rejected_responses: list[Response] = []
        self._views: list[View] = []
        self._rate_limited = 0
        self._internal_errors: list[str] = []

    # -- calls ---------------------------------------------------------------------------------

    @property
    def calls(self) -> list[Call]:
        with self._lock:
            return copy.deepcopy(self._calls)

    def calls_since(self, index: int) -> list[Call]:
        """Calls from position `index` on: for watchers that read the record as it grows."""
        with self._lock:
            return copy.deepcopy(self._calls[index:])

    def call_count(self) -> int:
        with self._lock:
            return len(self._calls)

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return copy.deepcopy([c for c in self._calls if c.method == method])

    def calls_by_team(self, team_id: str, method: str | None = None) -> list[Call]:
        return [
            c for c in self.calls if c.team_id == team_id and (method is None or c.method == method)
        ]

    # -- what people saw -------------------------------------------------------------------------

    def messages(self, channel: str | None = None) -> list[Message]:
        """Messages posted since the last reset, in their current state, oldest first."""
        with self._lock:
            found = [self._store[key] for key in self._message_keys if key in self._store]
            if channel is not None:
                wanted = self._dm_for_user_id(channel) or channel
                found = [m for m in found if m.channel == wanted]
            return copy.deepcopy(found)

    def dms_to(self, user_id: str) -> list[Message]:
        return self.messages(self.dm_channel(user_id))

    @property
    def ephemerals(self) -> list[Ephemeral]:
        with self._lock:
            return copy.deepcopy(self._ephemerals)

    @property
    def responses(self) -> list[Response]:
        """Accepted response-URL posts (refused ones are in ``rejected_responses``)."""
        with self._lock:
            return copy.deepcopy(self._responses)

    def responses_to(self, url: str) -> list[Response]:
        with self._lock:
            return copy.deepcopy([r for r in self._responses if r.url == url])

    @property
    def rejected_responses(self) -> list[Response]:
        with self._lock:
            return copy.deepcopy(self._rejected_responses)

    @property
    def views(self) -> list[View]:
        with self._lock:
            return copy.deepcopy(self._views)

    # -- health --------------------------------------------------------------------------------

    @property
    def rate_limited_count(self) -> int:
        with self._lock:
            return self._rate_limited

    @property
    def internal_errors(self) -> list[str]:
        """Bugs in LocalSlack itself (answered as HTTP 500); should stay empty."""
        with self._lock:
            return list(self._internal_errors)

    def _note_internal_error(self, text: str) -> None:
        with self._lock:
            self._internal_errors.append(text)

    def reset_records(self) -> None:
        """Forgets what was received; users, channels, messages (still editable), views,
        response URLs, trigger ids, faults and limits stay as they are."""
        with self._lock:
            self._calls.clear()
            self._message_keys.clear()
            self._ephemerals.clear()
            self._responses.clear()
            self._rejected_responses.clear()
            self._views.clear()
            self._rate_limited = 0
