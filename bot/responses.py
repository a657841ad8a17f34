"""Replies to response URLs over kept-alive connections.

Bolt's `respond` builds a slack_sdk `WebhookClient` per call, which opens a new
connection (and, against Slack, a new TLS handshake) for every reply. `PooledRespond` is
the same `respond`, posting through a `ConnectionPool` this process keeps: one idle
connection or more per host, reused while the server keeps it open. The standard
library's `http.client` is enough (nothing else in the dependency tree pools).
"""

from __future__ import annotations

import http.client
import json
import ssl
import threading
from collections import defaultdict
from typing import Any
from urllib.parse import urlsplit

from slack_bolt.context.respond import Respond
from slack_bolt.context.respond.internals import _build_message
from slack_sdk.webhook import WebhookResponse

from bot.manifest import as_typed_in

TIMEOUT = 10.0  # seconds, as the Slack clients (`bot.services.SLACK_TIMEOUT`)
IDLE_PER_HOST = 8  # connections kept open per host; more are closed after use
# A kept connection the server closed meanwhile fails before any answer: tried once more.
_STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)

Key = tuple[str, str, int]


class ConnectionPool:
    """Idle HTTP(S) connections by host, handed to one request at a time."""

    def __init__(self, idle_per_host: int = IDLE_PER_HOST, timeout: float = TIMEOUT) -> None:
        self._idle: defaultdict[Key, list[http.client.HTTPConnection]] = defaultdict(list)
        self._lock = threading.Lock()
        self._per_host = idle_per_host
        self._timeout = timeout
        self._tls = ssl.create_default_context()
        self.opened = 0  # connections made, for tests and benchmarks

    def post_json(self, url: str, payload: dict[str, Any]) -> tuple[int, str, dict[str, str]]:
        """POST `payload` as JSON; the status, body and headers of the answer."""
        parts = urlsplit(url)
        secure = parts.scheme == "https"
        key = (parts.scheme, parts.hostname or "", parts.port or (443 if secure else 80))
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        body = json.dumps(payload).encode()
        headers = {"Content-Type": "application/json;charset=utf-8"}
        reused, connection = self._take(key)
        try:
            answer = self._send(connection, path, body, headers)
        except _STALE:
            connection.close()
            if not reused:
                raise
            connection = self._new(key)
            answer = self._send(connection, path, body, headers)
        except (OSError, http.client.HTTPException):
            connection.close()
            raise
        status, text, answer_headers, keep = answer
        if keep:
            self._give_back(key, connection)
        else:
            connection.close()
        return status, text, answer_headers

    def close(self) -> None:
        with self._lock:
            idle = [c for connections in self._idle.values() for c in connections]
            self._idle.clear()
        for connection in idle:
            connection.close()

    def _send(
        self, connection: http.client.HTTPConnection, path: str, body: bytes, headers: Any
    ) -> tuple[int, str, dict[str, str], bool]:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", errors="replace")
        keep = not response.will_close
        return response.status, text, dict(response.getheaders()), keep

    def _take(self, key: Key) -> tuple[bool, http.client.HTTPConnection]:
        with self._lock:
            idle = self._idle.get(key)
            if idle:
                return True, idle.pop()
        return False, self._new(key)

    def _new(self, key: Key) -> http.client.HTTPConnection:
        scheme, host, port = key
        with self._lock:
            self.opened += 1
        if scheme == "https":
            return http.client.HTTPSConnection(host, port, timeout=self._timeout, context=self._tls)
        return http.client.HTTPConnection(host, port, timeout=self._timeout)

    def _give_back(self, key: Key, connection: http.client.HTTPConnection) -> None:
        with self._lock:
            idle = self._idle[key]
            if len(idle) < self._per_host:
                idle.append(connection)
                return
        connection.close()


class PooledRespond(Respond):
    """Bolt's `respond`, posting through a `ConnectionPool` instead of a new connection,
    with the commands it names as people type them (`command_prefix`)."""

    def __init__(
        self, *, response_url: str | None, pool: ConnectionPool, command_prefix: str = ""
    ) -> None:
        super().__init__(response_url=response_url)
        self.pool = pool
        self.command_prefix = command_prefix

    def __call__(self, text: str | dict[str, Any] = "", **fields: Any) -> WebhookResponse:
        if self.response_url is None:
            raise ValueError("respond is unsupported here as there is no response_url")
        message = _build_message(**text) if isinstance(text, dict) else None
        if message is None:
            message = _build_message(text=text, **fields)
        message = as_typed_in(message, self.command_prefix)
        status, body, headers = self.pool.post_json(self.response_url, message)
        return WebhookResponse(
            url=self.response_url, status_code=status, body=body, headers=headers
        )
