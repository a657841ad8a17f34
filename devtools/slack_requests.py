"""Build and send requests the way Slack sends them to the app's HTTP endpoint.

Why: tests and the demo should go through the app's real route (signature check, form or JSON
parsing, Bolt's ack) instead of calling handlers directly, so the payload shapes here follow
what Slack actually posts for commands, interactions and events.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode

from slack_sdk.signature import SignatureVerifier

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
DEFAULT_APP_ID = "A0SPROUT"
DEFAULT_BOT_USER_ID = "USPROUTBOT"
# Slack still sends the deprecated verification token; Bolt ignores it when signing is used.
VERIFICATION_TOKEN = "local-verification-token"


def sign(body: bytes, secret: str, timestamp: int) -> dict[str, str]:
    """The two headers Slack adds to every request, signed with the app's signing secret."""
    signature = SignatureVerifier(secret).generate_signature(timestamp=str(timestamp), body=body)
    if signature is None:  # only when the timestamp or body is missing, which is a caller bug
        raise ValueError("could not sign the request")
    return {"X-Slack-Request-Timestamp": str(timestamp), "X-Slack-Signature": signature}


def _team(team_id: str, team_domain: str) -> dict[str, str]:
    return {"id": team_id, "domain": team_domain}


def _user(user_id: str, team_id: str, user_name: str) -> dict[str, str]:
    name = user_name or user_id.lower()
    return {"id": user_id, "username": name, "name": name, "team_id": team_id}


def _action_ts() -> str:
    return f"{time.time():.6f}"


def _payload_form(payload: dict[str, Any]) -> bytes:
    """Interactions arrive as a form with a single ``payload`` field holding JSON."""
    return urlencode({"payload": json.dumps(payload)}).encode("utf-8")


def payload_of(body: bytes) -> dict[str, Any]:
    """The JSON payload of an interaction's form body (the inverse of the builders below)."""
    return json.loads(parse_qs(body.decode("utf-8"))["payload"][0])


def rewritten(body: bytes, change: Callable[[dict[str, Any]], object]) -> bytes:
    """An interaction's body with its payload changed in place by ``change``: what a
    compromised client (still signing) might send instead."""
    payload = payload_of(body)
    change(payload)
    return _payload_form(payload)


def raw_payload_form(text: str) -> bytes:
    """A form body whose ``payload`` field is ``text`` as it is (JSON or not)."""
    return urlencode({"payload": text}).encode("utf-8")


def command_body(
    *,
    command: str,
    text: str,
    user_id: str,
    team_id: str,
    channel_id: str,
    response_url: str,
    trigger_id: str,
    user_name: str = "",
    api_app_id: str = DEFAULT_APP_ID,
    team_domain: str = "sprout-demo",
    channel_name: str = "directmessage",
) -> bytes:
    """A slash command, form-encoded with every field Slack sends (non-Grid workspace)."""
    fields = {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "team_domain": team_domain,
        "channel_id": channel_id,
        "channel_name": channel_name,
        "user_id": user_id,
        "user_name": user_name or user_id.lower(),
        "command": command,
        "text": text,
        "api_app_id": api_app_id,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id,
    }
    return urlencode(fields).encode("utf-8")


def block_actions_body(
    *,
    user_id: str,
    team_id: str,
    actions: list[dict],
    response_url: str | None,
    trigger_id: str,
    message: dict | None = None,
    channel_id: str | None = None,
    view: dict | None = None,
    container: dict | None = None,
    api_app_id: str = DEFAULT_APP_ID,
    user_name: str = "",
    team_domain: str = "sprout-demo",
    is_ephemeral: bool = False,
    state_values: dict | None = None,
) -> bytes:
    """A click or pick on a message (give ``message``/``channel_id``) or in a view (``view``).

    For an ephemeral message Slack sends no ``message``; pass ``channel_id`` and a container
    with its ``message_ts``, or ``is_ephemeral=True``.
    """
    if container is None:
        if view is not None:
            container = {"type": "view", "view_id": view.get("id")}
        elif channel_id is not None:
            container = {
                "type": "message",
                "message_ts": (message or {}).get("ts"),
                "channel_id": channel_id,
                "is_ephemeral": is_ephemeral,
            }
    stamped = [{"action_ts": _action_ts(), **action} for action in actions]
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": _user(user_id, team_id, user_name),
        "api_app_id": api_app_id,
        "token": VERIFICATION_TOKEN,
        "container": container or {},
        "trigger_id": trigger_id,
        "team": _team(team_id, team_domain),
        "enterprise": None,
        "is_enterprise_install": False,
        "actions": stamped,
    }
    if channel_id is not None:
        payload["channel"] = {"id": channel_id, "name": "directmessage"}
    if message is not None:
        payload["message"] = message
    if view is not None:
        payload["view"] = view
    if response_url is not None:
        payload["response_url"] = response_url
    if state_values is not None or view is None:
        payload["state"] = {"values": state_values or {}}
    return _payload_form(payload)


def view_submission_body(
    *,
    user_id: str,
    team_id: str,
    view: dict,
    values: dict,
    trigger_id: str,
    response_urls: list | None = None,
    api_app_id: str = DEFAULT_APP_ID,
    user_name: str = "",
    team_domain: str = "sprout-demo",
) -> bytes:
    """A modal's Submit: ``view`` (e.g. as views.open returned it) with ``values`` as its state."""
    submitted = _submitted_view(view, team_id=team_id, api_app_id=api_app_id, values=values)
    payload = {
        "type": "view_submission",
        "team": _team(team_id, team_domain),
        "user": _user(user_id, team_id, user_name),
        "api_app_id": api_app_id,
        "token": VERIFICATION_TOKEN,
        "trigger_id": trigger_id,
        "view": submitted,
        "response_urls": response_urls or [],
        "is_enterprise_install": False,
        "enterprise": None,
    }
    return _payload_form(payload)


def view_closed_body(
    *,
    user_id: str,
    team_id: str,
    view: dict,
    is_cleared: bool = False,
    values: dict | None = None,
    api_app_id: str = DEFAULT_APP_ID,
    user_name: str = "",
    team_domain: str = "sprout-demo",
) -> bytes:
    """A modal dismissed with Close (sent only when the view had ``notify_on_close``)."""
    closed = _submitted_view(view, team_id=team_id, api_app_id=api_app_id, values=values or {})
    payload = {
        "type": "view_closed",
        "team": _team(team_id, team_domain),
        "user": _user(user_id, team_id, user_name),
        "api_app_id": api_app_id,
        "token": VERIFICATION_TOKEN,
        "view": closed,
        "is_cleared": is_cleared,
        "is_enterprise_install": False,
        "enterprise": None,
    }
    return _payload_form(payload)


def _submitted_view(
    view: dict, *, team_id: str, api_app_id: str, values: dict[str, Any]
) -> dict[str, Any]:
    """Fills in the fields Slack always includes on a view it sends back to the app."""
    view_id = view.get("id") or "V0LOCALVIEW"
    return {
        "type": "modal",
        "team_id": team_id,
        "private_metadata": "",
        "callback_id": "",
        "external_id": "",
        "hash": "1700000000.local",
        "previous_view_id": None,
        "root_view_id": view_id,
        "app_id": api_app_id,
        "bot_id": "B" + DEFAULT_BOT_USER_ID[1:],
        "clear_on_close": False,
        "notify_on_close": False,
        **view,
        "id": view_id,
        "state": {"values": values},
    }


def message_shortcut_body(
    *,
    user_id: str,
    team_id: str,
    callback_id: str,
    message: dict,
    channel_id: str,
    trigger_id: str,
    response_url: str,
    user_name: str = "",
    team_domain: str = "sprout-demo",
) -> bytes:
    """A message shortcut ("More actions" on a message); Slack's type name is message_action."""
    payload = {
        "type": "message_action",
        "token": VERIFICATION_TOKEN,
        "action_ts": _action_ts(),
        "team": _team(team_id, team_domain),
        "user": _user(user_id, team_id, user_name),
        "channel": {"id": channel_id, "name": "directmessage"},
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": callback_id,
        "trigger_id": trigger_id,
        "response_url": response_url,
        "message_ts": message.get("ts"),
        "message": message,
    }
    return _payload_form(payload)


def global_shortcut_body(
    *,
    user_id: str,
    team_id: str,
    callback_id: str,
    trigger_id: str,
    user_name: str = "",
    team_domain: str = "sprout-demo",
) -> bytes:
    """A global shortcut (lightning-bolt menu); no channel and no response URL."""
    payload = {
        "type": "shortcut",
        "token": VERIFICATION_TOKEN,
        "action_ts": _action_ts(),
        "team": _team(team_id, team_domain),
        "user": _user(user_id, team_id, user_name),
        "is_enterprise_install": False,
        "enterprise": None,
        "callback_id": callback_id,
        "trigger_id": trigger_id,
    }
    return _payload_form(payload)


def event_body(
    *,
    team_id: str,
    event: dict,
    event_id: str,
    event_time: int,
    api_app_id: str = DEFAULT_APP_ID,
    bot_user_id: str = DEFAULT_BOT_USER_ID,
) -> bytes:
    """An Events API ``event_callback`` envelope, as JSON."""
    envelope = {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "api_app_id": api_app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": event_time,
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": bot_user_id,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": f"local-{event_id}",
    }
    return json.dumps(envelope).encode("utf-8")


def url_verification_body(challenge: str) -> bytes:
    """The one-time handshake Slack sends when the Request URL is saved."""
    body = {"token": VERIFICATION_TOKEN, "challenge": challenge, "type": "url_verification"}
    return json.dumps(body).encode("utf-8")


class _Headers(dict[str, str]):
    """Response headers with case-insensitive lookup (HTTP header names are)."""

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.lower())

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and super().__contains__(key.lower())

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        return super().get(key.lower(), default)


@dataclass
class HttpResult:
    """What the app answered; 4xx/5xx are returned here rather than raised."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def post(
    url: str,
    body: bytes,
    *,
    content_type: str,
    secret: str,
    timestamp: int | None = None,
    extra_headers: dict[str, str] | None = None,
    bad_signature: bool = False,
    timeout: float = 10,
) -> HttpResult:
    """Signs ``body`` (with the current time unless ``timestamp``) and POSTs it to ``url``.

    ``bad_signature`` signs with a different secret, to check the app refuses it.
    ``extra_headers`` is for e.g. ``X-Slack-Retry-Num`` / ``X-Slack-Retry-Reason``.
    """
    ts = int(time.time()) if timestamp is None else timestamp
    headers = {"Content-Type": content_type}
    headers.update(sign(body, secret + "-wrong" if bad_signature else secret, ts))
    if extra_headers:
        headers.update(extra_headers)
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:
            return HttpResult(resp.status, _lower_headers(resp.headers.items()), resp.read())
    except urllib.error.HTTPError as err:
        with err:
            return HttpResult(err.code, _lower_headers(err.headers.items()), err.read())


def _lower_headers(items: Any) -> dict[str, str]:
    return _Headers((name.lower(), value) for name, value in items)
