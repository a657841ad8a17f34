"""The HTTP server: LocalSlack itself, serving the Web API and response URLs on 127.0.0.1.

Why it exists: it is the one place that speaks HTTP. It parses requests the ways Slack accepts
them (query string, form or JSON body; token as a field or a bearer header), routes
``/api/<method>`` through faults, auth and rate limits to the method mixins, routes
``/response/<n>`` to the response URLs, and turns their answers into Slack's replies.
"""

from __future__ import annotations

import copy
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from devtools.local_slack.chat import Chat
from devtools.local_slack.directory import Directory
from devtools.local_slack.faults import DROP, HANG, HOLD
from devtools.local_slack.oauth import OAuth
from devtools.local_slack.records import Call
from devtools.local_slack.responses import ResponseUrls
from devtools.local_slack.validation import ApiError
from devtools.local_slack.views import Views

log = logging.getLogger(__name__)

# Arguments that carry JSON even in a form body.
STRUCTURED_ARGS = ("blocks", "view", "attachments", "metadata")
PLAIN_TEXT = "text/plain; charset=utf-8"
HANG_SECONDS = 120  # the longest a hung answer is held (stop() releases them at once)


@dataclass
class Reply:
    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    unanswered: str | None = None  # carried out, but not answered: HANG, DROP or HOLD


def json_bytes(data: dict[str, Any]) -> bytes:
    return json.dumps(data).encode("utf-8")


def error_reply(exc: ApiError) -> Reply:
    """Slack's answer to a refused request: ``ok: false`` JSON, or an HTML page for a 5xx."""
    if exc.status >= 500:
        page = f"<html><body><h1>{exc.status} Server Error</h1></body></html>".encode()
        return Reply(exc.status, page, "text/html; charset=utf-8", exc.headers)
    payload: dict[str, Any] = {"ok": False, "error": exc.error}
    if exc.messages:
        payload["response_metadata"] = {"messages": exc.messages}
    return Reply(exc.status, json_bytes(payload), headers=exc.headers)


def parse_args(query: str, body: bytes, content_type: str) -> dict[str, Any]:
    """Accepts query strings, form bodies and JSON bodies, as Slack does."""
    args: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    mime = content_type.split(";")[0].strip().lower()
    if body.strip():
        if mime == "application/json":
            try:
                data = json.loads(body)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                raise ApiError("invalid_json") from exc
            if not isinstance(data, dict):
                raise ApiError("invalid_json")
            args.update(data)
        elif mime in ("application/x-www-form-urlencoded", ""):
            try:
                args.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
            except UnicodeDecodeError as exc:
                raise ApiError("invalid_form_data") from exc
        else:
            raise ApiError("invalid_form_data")
    for key in STRUCTURED_ARGS:
        value = args.get(key)
        if isinstance(value, str) and value.strip()[:1] in ("[", "{"):
            try:
                args[key] = json.loads(value)
            except json.JSONDecodeError as exc:
                error = "invalid_blocks_format" if key == "blocks" else "invalid_arguments"
                raise ApiError(error) from exc
    return args


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the app calls from many threads; a short backlog stalls them
    slack: LocalSlack


class _Handler(BaseHTTPRequestHandler):
    """Routes HTTP requests to the owning LocalSlack; all state lives there."""

    server: _Server

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests read the records instead of access logs."""

    def _dispatch(self) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        slack = self.server.slack
        try:
            if parts.path.startswith("/api/"):
                reply = slack._handle_api(
                    method=parts.path[len("/api/") :],
                    query=parts.query,
                    body=body,
                    content_type=self.headers.get("Content-Type", ""),
                    authorization=self.headers.get("Authorization", ""),
                )
            elif parts.path.startswith("/response/") and self.command == "POST":
                reply = slack._handle_response_url(parts.path, body)
            else:
                reply = Reply(404, b"not_found", PLAIN_TEXT)
        # The one deliberate catch-all: a bug in LocalSlack itself must reach the caller as a
        # 500 and the test through internal_errors, not as a dropped connection.
        except Exception as exc:
            log.exception("LocalSlack failed to handle %s", self.path)
            slack._note_internal_error(f"{self.path}: {exc!r}")
            reply = Reply(500, json_bytes({"ok": False, "error": "local_slack_internal_error"}))
        if reply.unanswered == HANG:  # Slack slower than the client: it gives up first
            slack._hung.wait(timeout=HANG_SECONDS)
        if reply.unanswered in (HANG, DROP):
            self.close_connection = True
            return
        if reply.unanswered == HOLD:
            slack._released.wait(timeout=HANG_SECONDS)
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(reply.body)


class LocalSlack(Chat, Views, ResponseUrls, Directory, OAuth):
    """A thread-safe fake of the Slack Web API and response URLs, on 127.0.0.1."""

    def __init__(
        self,
        *,
        team_id: str = "T0SPROUT",
        team_name: str = "Sprout Demo",
        bot_user_id: str = "USPROUTBOT",
        bot_token: str = "xoxb-local-test",
        app_id: str = "A0SPROUT",
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(
            team_id=team_id,
            team_name=team_name,
            bot_user_id=bot_user_id,
            bot_token=bot_token,
            app_id=app_id,
            wall_clock=wall_clock,
        )
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> LocalSlack:
        """Binds 127.0.0.1 on a free port and serves from a daemon thread."""
        if self._server is not None:
            return self
        server = _Server(("127.0.0.1", 0), _Handler)
        server.slack = self
        thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.02},  # how long stop() waits for the loop to notice
            name="local-slack",
            daemon=True,
        )
        thread.start()
        self._server, self._thread = server, thread
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None:
            return
        self._hung.set()
        self._released.set()
        server.shutdown()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> LocalSlack:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("LocalSlack is not started; call start() first")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """What to pass as ``WebClient(base_url=...)`` (the trailing slash matters)."""
        return f"http://127.0.0.1:{self.port}/api/"

    def new_response_url(self, *, channel: str | None = None, message_ts: str | None = None) -> str:
        """A response URL for a payload; tie it to a message so replace_original can edit it."""
        with self._lock:
            url = f"http://127.0.0.1:{self.port}/response/{self._next()}"
            self._issue_response_url(url, channel, message_ts)
            return url

    # -- routing ---------------------------------------------------------------------------------

    def _handle_api(
        self, *, method: str, query: str, body: bytes, content_type: str, authorization: str
    ) -> Reply:
        with self._lock:
            args: dict[str, Any] = {}
            token: str | None = None
            try:
                args = parse_args(query, body, content_type)
                token = args.pop("token", None)
                if authorization.startswith("Bearer "):
                    token = authorization[len("Bearer ") :].strip()
                self._current_team = self._team_of(token) or self.team_id
                data = self._answer(method, args, token)
                status, ok, error = 200, True, None
                reply = Reply(status, json_bytes({"ok": True, **data}))
            except ApiError as exc:
                status, ok, error = exc.status, False, exc.error
                reply = error_reply(exc)
            reply.unanswered = self._unanswered_how(method)
            if status == 429:
                self._rate_limited += 1
            team = self._team_of(token)
            self._calls.append(Call(method, copy.deepcopy(args), ok, error, status, team))
            return reply

    def _answer(self, method: str, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        self._raise_next_fault(method)
        handler = self._methods().get(method)
        if handler is None:
            raise ApiError("unknown_method")
        if method == "oauth.v2.access":  # app credentials, not a token
            return handler(args)
        self._authenticate(token)
        self._spend_rate_limits(method, args)
        return handler(args)

    def _methods(self) -> dict[str, Callable[[dict[str, Any]], dict[str, Any]]]:
        return {
            "auth.test": self._auth_test,
            # Socket Mode itself is not served; an app token this Slack never issued is
            # refused like any unknown token (invalid_auth), which is what tests need.
            "apps.connections.open": lambda a: {"url": "wss://127.0.0.1:9/socket-mode"},
            "users.info": self._users_info,
            "users.list": self._users_list,
            "team.info": self._team_info,
            "conversations.open": self._conversations_open,
            "chat.postMessage": self._chat_post_message,
            "conversations.history": self._conversations_history,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.update": self._chat_update,
            "chat.getPermalink": self._chat_get_permalink,
            "views.open": lambda a: self._views_open_or_push(a, "open"),
            "views.push": lambda a: self._views_open_or_push(a, "push"),
            "views.update": self._views_update,
            "views.publish": self._views_publish,
            "oauth.v2.access": self._oauth_v2_access,
        }

    def _handle_response_url(self, path: str, body: bytes) -> Reply:
        with self._lock:
            url = f"http://127.0.0.1:{self.port}{path}"
            if url not in self._response_urls:
                return Reply(404, b"no_service", PLAIN_TEXT)
            try:
                parsed = json.loads(body or b"null")
            except (json.JSONDecodeError, UnicodeDecodeError):
                parsed = None
            try:
                self._post_to_response_url(url, parsed)
            except ApiError as exc:
                return error_reply(exc)
            return Reply(200, b"ok", PLAIN_TEXT)
