"""A small stand-in for the Slack Web API, served on loopback for tests and the demo.

Why it exists: driving the app through the real ``slack_sdk.WebClient`` against a server that
answers like Slack (argument checks, DM ids versus user ids, Block Kit limits, 429s) catches
wire-level mistakes that in-process mocks hide. Everything it receives is recorded so tests can
assert on what a person in Slack would actually have seen.

Usage::

    with LocalSlack() as slack:
        slack.add_user("U001", "ana")
        client = WebClient(token=slack.bot_token, base_url=slack.base_url)
        client.chat_postMessage(channel="U001", text="hi")
        assert slack.dms_to("U001")[0].text == "hi"
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import logging
import math
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

log = logging.getLogger(__name__)

# --------------------------------------------------------------------------------------------
# Block Kit validation
# --------------------------------------------------------------------------------------------

MESSAGE_BLOCK_LIMIT = 50
VIEW_BLOCK_LIMIT = 100
SURFACES = ("message", "modal", "home")

_BLOCK_TYPES = frozenset(
    {"section", "header", "divider", "context", "actions", "input", "image", "rich_text"}
)
_SELECTS = frozenset(
    {
        "static_select",
        "external_select",
        "users_select",
        "conversations_select",
        "channels_select",
        "multi_static_select",
        "multi_external_select",
        "multi_users_select",
        "multi_conversations_select",
        "multi_channels_select",
    }
)
# Elements a person can click or pick without submitting a form.
_INTERACTIVE = _SELECTS | {
    "button",
    "checkboxes",
    "datepicker",
    "datetimepicker",
    "timepicker",
    "overflow",
    "radio_buttons",
    "workflow_button",
}
_INPUT_ONLY = frozenset(
    {
        "plain_text_input",
        "number_input",
        "email_text_input",
        "url_text_input",
        "rich_text_input",
        "file_input",
    }
)
_ACCESSORY_TYPES = (_INTERACTIVE - {"workflow_button"}) | {"image"}
_ACTIONS_TYPES = _INTERACTIVE
_INPUT_TYPES = (_INTERACTIVE - {"button", "overflow", "workflow_button"}) | _INPUT_ONLY
_OPTION_LIMITS = {
    "static_select": 100,
    "multi_static_select": 100,
    "overflow": 5,
    "checkboxes": 10,
    "radio_buttons": 10,
}


class _Checker:
    """Collects Slack-style validation messages while walking a payload."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(self, pointer: str, message: str) -> None:
        self.errors.append(f"[ERROR] {message} [json-pointer:{pointer}]")

    def max_len(self, value: Any, limit: int, pointer: str) -> None:
        if value is None:
            return
        if not isinstance(value, str):
            self.error(pointer, "must be a string")
        elif len(value) > limit:
            self.error(pointer, f"must be less than {limit + 1} characters")

    def text(self, obj: Any, pointer: str, *, limit: int | None, plain_only: bool = False) -> None:
        """A composition text object: right type, non-empty, within its limit."""
        if not isinstance(obj, dict):
            self.error(pointer, "must be a text object")
            return
        allowed = ("plain_text",) if plain_only else ("plain_text", "mrkdwn")
        if obj.get("type") not in allowed:
            self.error(f"{pointer}/type", f"must be one of: {', '.join(allowed)}")
        value = obj.get("text")
        if not isinstance(value, str) or not value:
            self.error(pointer, "must be more than 0 characters")
        elif limit is not None and len(value) > limit:
            self.error(pointer, f"must be less than {limit + 1} characters")

    def optional_text(
        self, parent: dict, key: str, pointer: str, *, limit: int, plain_only: bool = True
    ) -> None:
        if parent.get(key) is not None:
            self.text(parent[key], f"{pointer}/{key}", limit=limit, plain_only=plain_only)

    def items(
        self, value: Any, pointer: str, *, minimum: int, maximum: int
    ) -> list[tuple[int, Any]]:
        """Checks an array's size; returns its items so callers can check each one."""
        if not isinstance(value, list):
            self.error(pointer, "must be an array")
            return []
        if len(value) < minimum:
            self.error(pointer, f"must provide at least {minimum} items")
        if len(value) > maximum:
            self.error(pointer, f"no more than {maximum} items allowed")
        return list(enumerate(value))

    # -- blocks --------------------------------------------------------------------------

    def blocks(self, blocks: Any, pointer: str, *, limit: int) -> None:
        block_ids: set[str] = set()
        for i, block in self.items(blocks, pointer, minimum=0, maximum=limit):
            self.block(block, f"{pointer}/{i}", block_ids)

    def block(self, block: Any, pointer: str, block_ids: set[str]) -> None:
        if not isinstance(block, dict):
            self.error(pointer, "must be an object")
            return
        kind = block.get("type")
        if kind is None:
            self.error(pointer, "missing required field: type")
            return
        if kind not in _BLOCK_TYPES:
            self.error(f"{pointer}/type", f"unsupported block type: {kind}")
            return
        block_id = block.get("block_id")
        if block_id is not None:
            self.max_len(block_id, 255, f"{pointer}/block_id")
            if block_id in block_ids:
                self.error(f"{pointer}/block_id", f"duplicate block_id: {block_id}")
            block_ids.add(block_id)
        action_ids: set[str] = set()
        if kind == "section":
            self.section(block, pointer, action_ids)
        elif kind == "header":
            if "text" not in block:
                self.error(pointer, "missing required field: text")
            else:
                self.text(block["text"], f"{pointer}/text", limit=150, plain_only=True)
        elif kind == "context":
            for i, el in self.items(
                block.get("elements"), f"{pointer}/elements", minimum=1, maximum=10
            ):
                self.context_element(el, f"{pointer}/elements/{i}")
        elif kind == "actions":
            for i, el in self.items(
                block.get("elements"), f"{pointer}/elements", minimum=1, maximum=25
            ):
                self.element(el, f"{pointer}/elements/{i}", _ACTIONS_TYPES, action_ids)
        elif kind == "input":
            self.input(block, pointer, action_ids)
        elif kind == "image":
            self.image(block, pointer, title=True)
        elif kind == "rich_text" and not isinstance(block.get("elements"), list):
            self.error(f"{pointer}/elements", "must be an array")

    def section(self, block: dict, pointer: str, action_ids: set[str]) -> None:
        has_text = block.get("text") is not None
        has_fields = block.get("fields") is not None
        if not has_text and not has_fields:
            self.error(pointer, "must provide either text or fields")
        if has_text:
            self.text(block["text"], f"{pointer}/text", limit=3000)
        if has_fields:
            for i, item in self.items(block["fields"], f"{pointer}/fields", minimum=1, maximum=10):
                self.text(item, f"{pointer}/fields/{i}", limit=2000)
        if block.get("accessory") is not None:
            self.element(block["accessory"], f"{pointer}/accessory", _ACCESSORY_TYPES, action_ids)

    def input(self, block: dict, pointer: str, action_ids: set[str]) -> None:
        if "label" not in block:
            self.error(pointer, "missing required field: label")
        else:
            self.text(block["label"], f"{pointer}/label", limit=2000, plain_only=True)
        self.optional_text(block, "hint", pointer, limit=2000)
        if block.get("element") is None:
            self.error(pointer, "missing required field: element")
        else:
            self.element(block["element"], f"{pointer}/element", _INPUT_TYPES, action_ids)

    def image(self, obj: dict, pointer: str, *, title: bool) -> None:
        if obj.get("image_url") is None and obj.get("slack_file") is None:
            self.error(pointer, "must provide either image_url or slack_file")
        self.max_len(obj.get("image_url"), 3000, f"{pointer}/image_url")
        alt = obj.get("alt_text")
        if not isinstance(alt, str) or not alt:
            self.error(f"{pointer}/alt_text", "must be more than 0 characters")
        else:
            self.max_len(alt, 2000, f"{pointer}/alt_text")
        if title:
            self.optional_text(obj, "title", pointer, limit=2000)

    def context_element(self, el: Any, pointer: str) -> None:
        if isinstance(el, dict) and el.get("type") == "image":
            self.image(el, pointer, title=False)
        else:
            self.text(el, pointer, limit=None)

    # -- elements ------------------------------------------------------------------------

    def element(self, el: Any, pointer: str, allowed: frozenset[str], action_ids: set[str]) -> None:
        if not isinstance(el, dict):
            self.error(pointer, "must be an object")
            return
        kind = el.get("type")
        if kind is None:
            self.error(pointer, "missing required field: type")
            return
        if kind not in allowed:
            self.error(f"{pointer}/type", f"element type {kind} is not allowed here")
            return
        if kind == "image":
            self.image(el, pointer, title=False)
            return
        action_id = el.get("action_id")
        if action_id is not None:
            self.max_len(action_id, 255, f"{pointer}/action_id")
            if action_id in action_ids:
                self.error(f"{pointer}/action_id", f"duplicate action_id: {action_id}")
            action_ids.add(action_id)
        self.optional_text(el, "placeholder", pointer, limit=150)
        if el.get("confirm") is not None:
            self.confirm(el["confirm"], f"{pointer}/confirm")
        if kind == "button":
            self.button(el, pointer)
        elif kind in _OPTION_LIMITS:
            self.option_holder(el, pointer, kind)

    def button(self, el: dict, pointer: str) -> None:
        if "text" not in el:
            self.error(pointer, "missing required field: text")
        else:
            self.text(el["text"], f"{pointer}/text", limit=75, plain_only=True)
        self.max_len(el.get("value"), 2000, f"{pointer}/value")
        self.max_len(el.get("url"), 3000, f"{pointer}/url")
        self.max_len(el.get("accessibility_label"), 75, f"{pointer}/accessibility_label")
        style = el.get("style")
        if style is not None and style not in ("primary", "danger"):
            self.error(f"{pointer}/style", "must be one of: primary, danger")

    def option_holder(self, el: dict, pointer: str, kind: str) -> None:
        # Checkboxes and radio buttons may use mrkdwn option text; menus may not.
        plain_only = kind not in ("checkboxes", "radio_buttons")
        limit = _OPTION_LIMITS[kind]
        if kind in _SELECTS and el.get("option_groups") is not None:
            groups = self.items(
                el["option_groups"], f"{pointer}/option_groups", minimum=1, maximum=100
            )
            for g, group in groups:
                gp = f"{pointer}/option_groups/{g}"
                if not isinstance(group, dict):
                    self.error(gp, "must be an object")
                    continue
                self.text(group.get("label"), f"{gp}/label", limit=75, plain_only=True)
                self.options(group.get("options"), f"{gp}/options", limit, plain_only)
            return
        self.options(el.get("options"), f"{pointer}/options", limit, plain_only)

    def options(self, options: Any, pointer: str, limit: int, plain_only: bool) -> None:
        for i, option in self.items(options, pointer, minimum=1, maximum=limit):
            op = f"{pointer}/{i}"
            if not isinstance(option, dict):
                self.error(op, "must be an object")
                continue
            self.text(option.get("text"), f"{op}/text", limit=75, plain_only=plain_only)
            self.max_len(option.get("value"), 150, f"{op}/value")
            self.optional_text(option, "description", op, limit=75, plain_only=plain_only)

    def confirm(self, obj: Any, pointer: str) -> None:
        if not isinstance(obj, dict):
            self.error(pointer, "must be an object")
            return
        for key, limit in (("title", 100), ("confirm", 30), ("deny", 30)):
            self.optional_text(obj, key, pointer, limit=limit)
        if "text" in obj:
            self.text(obj["text"], f"{pointer}/text", limit=300)


def validate_blocks(blocks: list[dict], surface: str, *, pointer: str = "/blocks") -> list[str]:
    """Checks blocks against Block Kit's limits, returning Slack-style messages (empty if valid).

    ``surface`` is "message", "modal" or "home"; messages allow 50 blocks, views 100.
    """
    if surface not in SURFACES:
        raise ValueError(f"unknown surface {surface!r}; expected one of {SURFACES}")
    checker = _Checker()
    limit = MESSAGE_BLOCK_LIMIT if surface == "message" else VIEW_BLOCK_LIMIT
    checker.blocks(blocks, pointer, limit=limit)
    return checker.errors


def validate_view(view: dict) -> list[str]:
    """Checks a modal or Home tab view (its own fields and its blocks); empty list if valid."""
    checker = _Checker()
    ptr = "/view"
    if not isinstance(view, dict):
        checker.error(ptr, "must be an object")
        return checker.errors
    kind = view.get("type")
    if kind not in ("modal", "home"):
        checker.error(f"{ptr}/type", "must be one of: modal, home")
        return checker.errors
    if kind == "modal":
        if view.get("title") is None:
            checker.error(ptr, "missing required field: title")
        else:
            checker.text(view["title"], f"{ptr}/title", limit=24, plain_only=True)
        checker.optional_text(view, "submit", ptr, limit=24)
        checker.optional_text(view, "close", ptr, limit=24)
    checker.max_len(view.get("callback_id"), 255, f"{ptr}/callback_id")
    checker.max_len(view.get("private_metadata"), 3000, f"{ptr}/private_metadata")
    checker.max_len(view.get("external_id"), 255, f"{ptr}/external_id")
    blocks = view.get("blocks")
    if blocks is None:
        checker.error(ptr, "missing required field: blocks")
        return checker.errors
    checker.blocks(blocks, f"{ptr}/blocks", limit=VIEW_BLOCK_LIMIT)
    has_inputs = isinstance(blocks, list) and any(
        isinstance(b, dict) and b.get("type") == "input" for b in blocks
    )
    if kind == "modal" and has_inputs and view.get("submit") is None:
        checker.error(ptr, "must provide a submit property when using input blocks")
    return checker.errors


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------


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
        return _truthy(self.body.get("replace_original"))

    @property
    def delete_original(self) -> bool:
        return _truthy(self.body.get("delete_original"))


@dataclass(frozen=True)
class View:
    """A views.open/push/update/publish call that succeeded; ``view`` is what Slack returned."""

    id: str
    kind: str
    user_id: str | None
    view: dict[str, Any]
    trigger_id: str | None = None


# --------------------------------------------------------------------------------------------
# Internals
# --------------------------------------------------------------------------------------------


class _ApiError(Exception):
    """An answer of ``{"ok": false, "error": ...}``; raised inside method handlers."""

    def __init__(
        self,
        error: str,
        *,
        status: int = 200,
        messages: list[str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(error)
        self.error = error
        self.status = status
        self.messages = messages
        self.headers = headers or {}


@dataclass
class _Reply:
    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class _Fault:
    status: int
    error: str | None
    retry_after: int | None


@dataclass
class _Bucket:
    tokens: float
    last: float


@dataclass
class _Limit:
    per_minute: float
    burst: int
    per_channel: bool
    clock: Callable[[], float]
    buckets: dict[str | None, _Bucket] = field(default_factory=dict)

    def wait(self, key: str | None) -> int | None:
        """None when a token is there, else the seconds until there is one (>= 1)."""
        bucket = self._refilled(key)
        if bucket.tokens >= 1.0 - 1e-9:  # tolerate float drift from many small refills
            return None
        return max(1, math.ceil((1.0 - bucket.tokens) / (self.per_minute / 60.0)))

    def spend(self, key: str | None) -> None:
        bucket = self._refilled(key)
        bucket.tokens = max(0.0, bucket.tokens - 1.0)

    def _refilled(self, key: str | None) -> _Bucket:
        now = self.clock()
        bucket = self.buckets.get(key)
        if bucket is None:
            bucket = self.buckets[key] = _Bucket(tokens=float(self.burst), last=now)
        rate = self.per_minute / 60.0
        bucket.tokens = min(float(self.burst), bucket.tokens + max(0.0, now - bucket.last) * rate)
        bucket.last = now
        return bucket


@dataclass
class _ResponseUrl:
    uses: int = 0
    channel: str | None = None
    message_ts: str | None = None


_STRUCTURED_ARGS = ("blocks", "view", "attachments", "metadata")
_RESPONSE_URL_MAX_USES = 5
_TS_EPOCH = 1_700_000_000


def _truthy(value: Any) -> bool:
    return (
        value is True or value == 1 or (isinstance(value, str) and value.lower() in ("1", "true"))
    )


def _json_bytes(data: dict[str, Any]) -> bytes:
    return json.dumps(data).encode("utf-8")


def _require(args: dict[str, Any], *names: str) -> None:
    missing = [name for name in names if args.get(name) in (None, "")]
    if missing:
        raise _ApiError(
            "missing_argument",
            messages=[f"[ERROR] missing required field: {name}" for name in missing],
        )


def _blocks_arg(args: dict[str, Any], key: str = "blocks") -> list[dict] | None:
    value = args.get(key)
    if value is None:
        return None
    if not isinstance(value, list):
        raise _ApiError("invalid_blocks_format", messages=[f"[ERROR] {key} must be an array"])
    return value


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "workspace"


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
                reply = _Reply(404, b"not_found", "text/plain; charset=utf-8")
        except Exception as exc:  # surfaced to the caller as a 500 and in internal_errors
            log.exception("LocalSlack failed to handle %s", self.path)
            slack._note_internal_error(f"{self.path}: {exc!r}")
            reply = _Reply(500, _json_bytes({"ok": False, "error": "local_slack_internal_error"}))
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(reply.body)


# --------------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------------


class LocalSlack:
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
        self.team_id = team_id
        self.team_name = team_name
        self.team_domain = _slug(team_name)
        self.bot_user_id = bot_user_id
        self.bot_id = "B" + bot_user_id[1:]
        self.bot_token = bot_token
        self.app_id = app_id
        self._wall_clock = wall_clock
        self._lock = threading.RLock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._seq = 0
        # workspace state
        self._users: dict[str, dict[str, Any]] = {}
        self._channels: dict[str, dict[str, Any]] = {}
        self._store: dict[tuple[str, str], Message] = {}
        self._views_by_id: dict[str, dict[str, Any]] = {}
        self._home_by_user: dict[str, str] = {}
        self._external_ids: dict[str, str] = {}
        self._trigger_ids: set[str] = set()
        self._response_urls: dict[str, _ResponseUrl] = {}
        self._faults: dict[str, list[_Fault]] = {}
        self._limits: dict[tuple[str, bool], _Limit] = {}  # (method, per_channel)
        # records
        self._calls: list[Call] = []
        self._message_keys: list[tuple[str, str]] = []
        self._ephemerals: list[Ephemeral] = []
        self._responses: list[Response] = []
        self._rejected_responses: list[Response] = []
        self._views: list[View] = []
        self._rate_limited = 0
        self._internal_errors: list[str] = []
        # Workspaces this Slack hosts: the first one, plus any added for OAuth installs.
        self._teams: dict[str, dict[str, str]] = {
            team_id: {"name": team_name, "bot_user_id": bot_user_id}
        }
        self._token_teams: dict[str, str] = {bot_token: team_id}
        self._oauth_codes: dict[str, tuple[str, str]] = {}
        self._current_team = team_id
        # Real workspaces always contain Slackbot (is_bot is False for it!) and the app's bot.
        self.add_user("USLACKBOT", "slackbot", real_name="Slackbot", tz="America/Los_Angeles")
        self.add_user(bot_user_id, "sprout", real_name="Sprout", is_bot=True)

    # -- lifecycle -----------------------------------------------------------------------

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

    # -- workspace setup -----------------------------------------------------------------

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

    def post_as(self, user_id: str, channel: str, text: str) -> Message:
        """A person (not the app) posts a message, e.g. for a message shortcut to act on."""
        with self._lock:
            if user_id not in self._users:
                raise KeyError(f"unknown user {user_id}")
            message = Message(
                channel=channel, ts=self._next_ts(), text=text, blocks=[], user=user_id
            )
            key = (channel, message.ts)
            self._store[key] = message
            self._message_keys.append(key)
            return copy.deepcopy(message)

    def dm_channel(self, user_id: str) -> str:
        """The stable id of the bot's DM with a user, as Slack returns from conversations.open."""
        return "D" + user_id[1:]

    def new_response_url(self, *, channel: str | None = None, message_ts: str | None = None) -> str:
        """A response URL for a payload; tie it to a message so replace_original can edit it."""
        with self._lock:
            n = self._next()
            url = f"http://127.0.0.1:{self.port}/response/{n}"
            self._response_urls[url] = _ResponseUrl(channel=channel, message_ts=message_ts)
            return url

    def add_workspace(self, team_id: str, name: str, bot_user_id: str) -> None:
        """Host another workspace (for OAuth installs); its people are added with add_user."""
        with self._lock:
            self._teams[team_id] = {"name": name, "bot_user_id": bot_user_id}
        self.add_user(bot_user_id, "sprout", real_name="Sprout", is_bot=True)

    def grant_oauth_code(self, team_id: str, installer: str) -> str:
        """What Slack hands the app's redirect URL after someone approves an install."""
        with self._lock:
            self._seq += 1
            code = f"code-{team_id}-{self._seq}"
            self._oauth_codes[code] = (team_id, installer)
            return code

    def revoke_tokens(self, team_id: str) -> None:
        """The workspace uninstalled the app: its tokens stop working."""
        with self._lock:
            for token in [t for t, team in self._token_teams.items() if team == team_id]:
                del self._token_teams[token]

    def calls_by_team(self, team_id: str, method: str | None = None) -> list[Call]:
        return [
            c for c in self.calls if c.team_id == team_id and (method is None or c.method == method)
        ]

    def new_trigger_id(self) -> str:
        with self._lock:
            n = self._next()
            trigger_id = f"{7_000_000_000 + n}.{n:09d}.{n * 2654435761 % 16**12:012x}"
            self._trigger_ids.add(trigger_id)
            return trigger_id

    # -- records ---------------------------------------------------------------------------

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

    def home_of(self, user_id: str) -> dict | None:
        """The user's Home tab as last published or updated, or None."""
        with self._lock:
            view_id = self._home_by_user.get(user_id)
            return copy.deepcopy(self._views_by_id[view_id]) if view_id else None

    def view_by_id(self, view_id: str) -> dict | None:
        with self._lock:
            view = self._views_by_id.get(view_id)
            return copy.deepcopy(view) if view else None

    @property
    def rate_limited_count(self) -> int:
        with self._lock:
            return self._rate_limited

    @property
    def internal_errors(self) -> list[str]:
        """Bugs in LocalSlack itself (answered as HTTP 500); should stay empty."""
        with self._lock:
            return list(self._internal_errors)

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

    # -- fault injection -------------------------------------------------------------------

    def fail(
        self,
        method: str,
        *,
        times: int = 1,
        status: int = 200,
        error: str | None = None,
        retry_after: int | None = None,
    ) -> None:
        """Makes the next ``times`` calls of ``method`` fail (before auth and rate limits).

        429 answers ``ratelimited`` with Retry-After; 5xx answers a non-JSON error page;
        200 answers ``{"ok": false, "error": error}``. ``method="response_url"`` fails
        response-URL posts instead.
        """
        if status == 200 and not error:
            raise ValueError("a status-200 fault needs an error name")
        with self._lock:
            queue = self._faults.setdefault(method, [])
            queue.extend(_Fault(status, error, retry_after) for _ in range(times))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def rate_limit(
        self,
        method: str,
        per_minute: int,
        *,
        burst: int = 1,
        per_channel: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Token-bucket limit on a method; over it, calls get 429 + integer Retry-After.

        A method may have a workspace-wide limit and a per-channel one at the same time, as
        chat.postMessage has on Slack; a call passes only when both have a token for it.
        Setting the same kind of limit again replaces it.
        """
        if per_minute <= 0 or burst < 1:
            raise ValueError("per_minute must be > 0 and burst >= 1")
        with self._lock:
            self._limits[(method, per_channel)] = _Limit(per_minute, burst, per_channel, clock)

    def clear_rate_limits(self) -> None:
        with self._lock:
            self._limits.clear()

    # -- request handling ------------------------------------------------------------------

    def _next(self) -> int:
        self._seq += 1
        return self._seq

    def _next_ts(self) -> str:
        n = self._next()
        return f"{_TS_EPOCH + n // 10_000}.{(n % 10_000) * 100:06d}"

    def _note_internal_error(self, text: str) -> None:
        with self._lock:
            self._internal_errors.append(text)

    def _handle_api(
        self, *, method: str, query: str, body: bytes, content_type: str, authorization: str
    ) -> _Reply:
        with self._lock:
            args: dict[str, Any] = {}
            token: str | None = None
            try:
                args = self._parse_args(query, body, content_type)
                token = args.pop("token", None)
                if authorization.startswith("Bearer "):
                    token = authorization[len("Bearer ") :].strip()
                self._current_team = self._token_teams.get(token or "", self.team_id)
                data = self._answer(method, args, token)
                status, ok, error = 200, True, None
                reply = _Reply(status, _json_bytes({"ok": True, **data}))
            except _ApiError as exc:
                status, ok, error = exc.status, False, exc.error
                reply = self._error_reply(exc)
            if status == 429:
                self._rate_limited += 1
            team = self._token_teams.get(token or "")
            self._calls.append(Call(method, copy.deepcopy(args), ok, error, status, team))
            return reply

    @staticmethod
    def _error_reply(exc: _ApiError) -> _Reply:
        if exc.status >= 500:
            page = f"<html><body><h1>{exc.status} Server Error</h1></body></html>".encode()
            return _Reply(exc.status, page, "text/html; charset=utf-8", exc.headers)
        payload: dict[str, Any] = {"ok": False, "error": exc.error}
        if exc.messages:
            payload["response_metadata"] = {"messages": exc.messages}
        return _Reply(exc.status, _json_bytes(payload), headers=exc.headers)

    @staticmethod
    def _parse_args(query: str, body: bytes, content_type: str) -> dict[str, Any]:
        """Accepts query strings, form bodies and JSON bodies, as Slack does."""
        args: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
        mime = content_type.split(";")[0].strip().lower()
        if body.strip():
            if mime == "application/json":
                try:
                    data = json.loads(body)
                except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                    raise _ApiError("invalid_json") from exc
                if not isinstance(data, dict):
                    raise _ApiError("invalid_json")
                args.update(data)
            elif mime in ("application/x-www-form-urlencoded", ""):
                try:
                    args.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
                except UnicodeDecodeError as exc:
                    raise _ApiError("invalid_form_data") from exc
            else:
                raise _ApiError("invalid_form_data")
        for key in _STRUCTURED_ARGS:
            value = args.get(key)
            if isinstance(value, str) and value.strip()[:1] in ("[", "{"):
                try:
                    args[key] = json.loads(value)
                except json.JSONDecodeError as exc:
                    error = "invalid_blocks_format" if key == "blocks" else "invalid_arguments"
                    raise _ApiError(error) from exc
        return args

    def _answer(self, method: str, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        faults = self._faults.get(method)
        if faults:
            self._raise_fault(faults.pop(0))
        handler = self._methods().get(method)
        if handler is None:
            raise _ApiError("unknown_method")
        if method == "oauth.v2.access":  # app credentials, not a token
            return handler(args)
        if not token:
            raise _ApiError("not_authed")
        if token not in self._token_teams:
            raise _ApiError("invalid_auth")
        limits = [
            (limit, self._channel_key(args.get("channel")) if limit.per_channel else None)
            for (name, _), limit in self._limits.items()
            if name == method
        ]
        waits = [wait for limit, key in limits if (wait := limit.wait(key)) is not None]
        if waits:
            raise _ApiError("ratelimited", status=429, headers={"Retry-After": str(max(waits))})
        for limit, key in limits:
            limit.spend(key)
        return handler(args)

    @staticmethod
    def _raise_fault(fault: _Fault) -> None:
        if fault.status == 429:
            retry = str(fault.retry_after if fault.retry_after is not None else 1)
            raise _ApiError("ratelimited", status=429, headers={"Retry-After": retry})
        if fault.status >= 500:
            raise _ApiError(fault.error or "internal_error", status=fault.status)
        raise _ApiError(fault.error or "fatal_error", status=fault.status)

    def _channel_key(self, channel: Any) -> str | None:
        if not isinstance(channel, str):
            return None
        return self._dm_for_user_id(channel) or channel

    def _methods(self) -> dict[str, Callable[[dict[str, Any]], dict[str, Any]]]:
        return {
            "auth.test": self._auth_test,
            "users.info": self._users_info,
            "users.list": self._users_list,
            "team.info": self._team_info,
            "conversations.open": self._conversations_open,
            "chat.postMessage": self._chat_post_message,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.update": self._chat_update,
            "chat.getPermalink": self._chat_get_permalink,
            "views.open": lambda a: self._views_open_or_push(a, "open"),
            "views.push": lambda a: self._views_open_or_push(a, "push"),
            "views.update": self._views_update,
            "views.publish": self._views_publish,
            "oauth.v2.access": self._oauth_v2_access,
            # Socket Mode itself is not served; an app token this Slack never issued is
            # refused like any unknown token (invalid_auth), which is what tests need.
            "apps.connections.open": lambda a: {"url": "wss://127.0.0.1:9/socket-mode"},
        }

    # -- users and channels ----------------------------------------------------------------

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

    def _check_dm_target(self, user_id: str) -> None:
        user = self._users[user_id]
        if user["is_bot"]:
            raise _ApiError("cannot_dm_bot")
        if user["deleted"]:
            raise _ApiError("user_disabled")

    def _resolve_post_channel(self, channel: str, *, allow_user_id: bool) -> str:
        """Maps a channel argument to the conversation id Slack would post into."""
        if channel in self._channels:
            if not self._channels[channel]["is_member"]:
                raise _ApiError("not_in_channel")
            return channel
        if channel in self._users:
            if not allow_user_id:
                # Slack wants the D... id here; a user id does not name a conversation.
                raise _ApiError(
                    "message_not_found",
                    messages=["[WARN] pass the DM channel id (D...) that the post returned"],
                )
            self._check_dm_target(channel)
            return self.dm_channel(channel)
        user_id = self._user_for_dm(channel) if channel.startswith("D") else None
        if user_id is None:
            raise _ApiError("channel_not_found")
        self._check_dm_target(user_id)
        return channel

    def _auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        team_id = self._current_team
        team = self._teams[team_id]
        bot_user_id = team["bot_user_id"]
        return {
            "url": f"https://{_slug(team['name'])}.slack.com/",
            "team": team["name"],
            "user": self._users[bot_user_id]["name"],
            "team_id": team_id,
            "user_id": bot_user_id,
            "bot_id": "B" + bot_user_id[1:],
            "app_id": self.app_id,
            "is_enterprise_install": False,
        }

    def _oauth_v2_access(self, args: dict[str, Any]) -> dict[str, Any]:
        _require(args, "code")
        grant = self._oauth_codes.pop(str(args["code"]), None)
        if grant is None:
            raise _ApiError("invalid_code")
        team_id, installer = grant
        team = self._teams[team_id]
        self._seq += 1
        token = f"xoxb-{team_id.lower()}-{self._seq}"
        self._token_teams[token] = team_id
        return {
            "app_id": self.app_id,
            "authed_user": {"id": installer},
            "scope": "commands,chat:write,im:write,users:read",
            "token_type": "bot",
            "access_token": token,
            "bot_user_id": team["bot_user_id"],
            "team": {"id": team_id, "name": team["name"]},
            "enterprise": None,
            "is_enterprise_install": False,
        }

    def _users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        _require(args, "user")
        if args["user"] not in self._users:
            raise _ApiError("user_not_found")
        return {"user": self._user_dict(args["user"])}

    def _users_list(self, args: dict[str, Any]) -> dict[str, Any]:
        ids = list(self._users)
        try:
            limit = int(args.get("limit") or 0)
            cursor = str(args.get("cursor") or "")
            start = int(base64.b64decode(cursor).decode().split(":")[1]) if cursor else 0
        except (ValueError, IndexError, UnicodeDecodeError) as exc:
            raise _ApiError("invalid_cursor") from exc
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
                raise _ApiError("channel_not_found")
            return {"no_op": True, "already_open": True, "channel": {"id": channel}}
        _require(args, "users")
        users = [u.strip() for u in str(args["users"]).split(",") if u.strip()]
        for user_id in users:
            if user_id not in self._users:
                raise _ApiError("user_not_found")
            self._check_dm_target(user_id)
        if len(users) == 1:
            channel = self.dm_channel(users[0])
        else:
            digest = hashlib.sha1(",".join(sorted(users)).encode()).hexdigest()
            channel = "G" + digest[:10].upper()
            self._channels.setdefault(channel, {"name": "mpdm", "is_member": True})
        return {"no_op": True, "already_open": True, "channel": {"id": channel}}

    # -- chat --------------------------------------------------------------------------------

    @staticmethod
    def _check_content(args: dict[str, Any], blocks: list[dict] | None) -> bool:
        """Raises no_text / invalid_blocks; returns whether the text fallback is missing."""
        text = args.get("text")
        has_text = isinstance(text, str) and text.strip() != ""
        if not has_text and not blocks and not args.get("attachments"):
            raise _ApiError("no_text")
        if isinstance(text, str) and len(text) > 40_000:
            raise _ApiError("msg_too_long")
        if blocks:
            problems = validate_blocks(blocks, "message")
            if problems:
                raise _ApiError("invalid_blocks", messages=problems)
        return not has_text

    def _message_json(self, message: Message) -> dict[str, Any]:
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
        return data

    def _chat_post_message(self, args: dict[str, Any]) -> dict[str, Any]:
        _require(args, "channel")
        channel = self._resolve_post_channel(str(args["channel"]), allow_user_id=True)
        blocks = _blocks_arg(args)
        missing_fallback = self._check_content(args, blocks)
        message = Message(
            channel=channel,
            ts=self._next_ts(),
            text=str(args.get("text") or ""),
            blocks=copy.deepcopy(blocks or []),
            user=self.bot_user_id,
            thread_ts=str(args["thread_ts"]) if args.get("thread_ts") else None,
            missing_text_fallback=missing_fallback,
            attachments=copy.deepcopy(args.get("attachments") or []),
        )
        key = (channel, message.ts)
        self._store[key] = message
        self._message_keys.append(key)
        return {"channel": channel, "ts": message.ts, "message": self._message_json(message)}

    def _chat_post_ephemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        _require(args, "channel", "user")
        channel = self._resolve_post_channel(str(args["channel"]), allow_user_id=True)
        user_id = str(args["user"])
        if user_id not in self._users:
            raise _ApiError("user_not_found")
        blocks = _blocks_arg(args)
        missing_fallback = self._check_content(args, blocks)
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
        _require(args, "channel", "ts")
        channel = self._resolve_post_channel(str(args["channel"]), allow_user_id=False)
        key = (channel, str(args["ts"]))
        old = self._store.get(key)
        if old is None:
            raise _ApiError("message_not_found")
        blocks = _blocks_arg(args)
        # Omitted blocks keep the old ones (an empty list removes them), as Slack documents.
        new_blocks = old.blocks if blocks is None else blocks
        missing_fallback = self._check_content(args, new_blocks)
        new = replace(
            old,
            text=str(args.get("text") or ""),
            blocks=copy.deepcopy(new_blocks),
            updates=old.updates + 1,
            history=[*old.history, (old.text, copy.deepcopy(old.blocks))],
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
        _require(args, "channel", "message_ts")
        channel = str(args["channel"])
        if channel in self._users:
            raise _ApiError("channel_not_found")
        ts = str(args["message_ts"])
        if (channel, ts) not in self._store:
            raise _ApiError("message_not_found")
        link = f"https://{self.team_domain}.slack.com/archives/{channel}/p{ts.replace('.', '')}"
        return {"channel": channel, "permalink": link}

    # -- views ---------------------------------------------------------------------------------

    def _view_arg(self, args: dict[str, Any]) -> dict[str, Any]:
        view = args.get("view")
        if not isinstance(view, dict):
            raise _ApiError("invalid_arguments", messages=["[ERROR] view must be an object"])
        problems = validate_view(view)
        if problems:
            raise _ApiError("invalid_arguments", messages=problems)
        return view

    def _store_view(
        self, view: dict[str, Any], *, view_id: str | None, previous: dict[str, Any] | None
    ) -> dict[str, Any]:
        n = self._next()
        view_id = view_id or f"V{n:010d}"
        external_id = view.get("external_id") or ""
        if external_id:
            owner = self._external_ids.get(external_id)
            if owner is not None and owner != view_id:
                raise _ApiError("duplicate_external_id")
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
            "hash": f"{_TS_EPOCH + n}.{n * 40503 % 16**8:08x}",
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
            _require(args, "trigger_id")
        if trigger_id not in self._trigger_ids:
            raise _ApiError("invalid_trigger_id")
        return str(trigger_id)

    def _views_open_or_push(self, args: dict[str, Any], kind: str) -> dict[str, Any]:
        _require(args, "view")
        trigger_id = self._take_trigger(args)
        view = self._view_arg(args)
        if view["type"] != "modal":
            raise _ApiError("invalid_arguments", messages=["[ERROR] view type must be modal"])
        stored = self._store_view(view, view_id=None, previous=None)
        self._views.append(View(stored["id"], kind, None, copy.deepcopy(stored), trigger_id))
        return {"view": copy.deepcopy(stored)}

    def _views_update(self, args: dict[str, Any]) -> dict[str, Any]:
        _require(args, "view")
        view_id = args.get("view_id") or self._external_ids.get(str(args.get("external_id") or ""))
        if not args.get("view_id") and not args.get("external_id"):
            _require(args, "view_id")
        if not view_id or view_id not in self._views_by_id:
            raise _ApiError("not_found")
        current = self._views_by_id[view_id]
        if args.get("hash") and args["hash"] != current["hash"]:
            raise _ApiError("hash_conflict")
        view = self._view_arg(args)
        stored = self._store_view(view, view_id=view_id, previous=current)
        user_id = next((u for u, v in self._home_by_user.items() if v == view_id), None)
        self._views.append(View(view_id, "update", user_id, copy.deepcopy(stored)))
        return {"view": copy.deepcopy(stored)}

    def _views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        _require(args, "user_id", "view")
        user_id = str(args["user_id"])
        if user_id not in self._users:
            raise _ApiError("user_not_found")
        view = self._view_arg(args)
        if view["type"] != "home":
            raise _ApiError("invalid_arguments", messages=["[ERROR] view type must be home"])
        current_id = self._home_by_user.get(user_id)
        current = self._views_by_id.get(current_id) if current_id else None
        if args.get("hash") and current is not None and args["hash"] != current["hash"]:
            raise _ApiError("hash_conflict")
        stored = self._store_view(view, view_id=current_id, previous=current)
        self._home_by_user[user_id] = stored["id"]
        self._views.append(View(stored["id"], "publish", user_id, copy.deepcopy(stored)))
        return {"view": copy.deepcopy(stored)}

    # -- response URLs -------------------------------------------------------------------------

    def _handle_response_url(self, path: str, body: bytes) -> _Reply:
        with self._lock:
            url = f"http://127.0.0.1:{self.port}{path}"
            record = self._response_urls.get(url)
            if record is None:
                return _Reply(404, b"no_service", "text/plain; charset=utf-8")
            try:
                parsed = json.loads(body or b"null")
            except (json.JSONDecodeError, UnicodeDecodeError):
                parsed = None
            data: dict[str, Any] = parsed if isinstance(parsed, dict) else {}
            try:
                if not isinstance(parsed, dict):
                    raise _ApiError("invalid_payload", status=400)
                faults = self._faults.get("response_url")
                if faults:
                    self._raise_fault(faults.pop(0))
                if record.uses >= _RESPONSE_URL_MAX_USES:
                    raise _ApiError("used_url", status=404)
                missing_fallback = False
                if not _truthy(data.get("delete_original")):
                    blocks = _blocks_arg(data)
                    try:
                        missing_fallback = self._check_content(data, blocks)
                    except _ApiError as exc:
                        exc.status = 400
                        raise
            except _ApiError as exc:
                if exc.status == 429:
                    self._rate_limited += 1
                self._rejected_responses.append(
                    Response(url, copy.deepcopy(data), status=exc.status, error=exc.error)
                )
                return self._error_reply(exc)
            record.uses += 1
            self._responses.append(Response(url, copy.deepcopy(data), missing_fallback))
            self._apply_to_original(record, data)
            return _Reply(200, b"ok", "text/plain; charset=utf-8")

    def _apply_to_original(self, record: _ResponseUrl, data: dict[str, Any]) -> None:
        """replace_original / delete_original act on the message the URL was issued for."""
        if record.channel is None or record.message_ts is None:
            return
        channel = self._dm_for_user_id(record.channel) or record.channel
        key = (channel, record.message_ts)
        old = self._store.get(key)
        if old is None:
            return
        if _truthy(data.get("delete_original")):
            del self._store[key]
        elif _truthy(data.get("replace_original")):
            self._store[key] = replace(
                old,
                text=str(data.get("text") or ""),
                blocks=copy.deepcopy(data.get("blocks") or []),
                updates=old.updates + 1,
                history=[*old.history, (old.text, copy.deepcopy(old.blocks))],
                missing_text_fallback=not str(data.get("text") or "").strip(),
            )


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
