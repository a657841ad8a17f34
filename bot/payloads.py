"""The shape Slack gives what it posts: a payload without it is refused before any listener.

A signed request is still only a claim (a leaked signing secret, a compromised client): a
block action with no actions, a form whose `state.values` is not an object, or an
interaction with no user would otherwise fail somewhere inside Bolt or a listener, with a
500 and a traceback. Here it gets a 400 and one log line. Only what Sprout and Bolt read is
checked; anything else Slack adds is left alone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltResponse
from slack_bolt.middleware import Middleware
from slack_bolt.request import BoltRequest

log = logging.getLogger("sprout")

INTERACTIONS = frozenset(
    {
        "block_actions",
        "block_suggestion",
        "view_submission",
        "view_closed",
        "shortcut",
        "message_action",
    }
)
VIEW_PAYLOADS = frozenset({"view_submission", "view_closed"})


def bad_request(reason: str) -> BoltResponse:
    """The answer to a request that can't be from Slack as it is: 400, logged in one line."""
    log.warning("refused a malformed request: %s", reason)
    return BoltResponse(status=400, body="bad request\n", headers={"X-Slack-No-Retry": "1"})


class WellFormed(Middleware):
    """Refuses a payload whose shape is not Slack's (Bolt's `before_authorize` slot: right
    after the signature is checked, before anything reads the payload)."""

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        reason = malformed(req.body)
        if reason is not None:
            return bad_request(reason)
        return next()


def malformed(body: Any) -> str | None:
    """Why this payload can't be one Slack sent; None when its shape is fine."""
    if not isinstance(body, dict):
        return "the payload is not an object"
    kind = body.get("type")
    if kind is None and "command" in body:
        return _command(body)
    if kind in INTERACTIONS:
        return _interaction(kind, body)
    if kind == "event_callback":
        if not _text(body.get("team_id")) and not isinstance(body.get("authorizations"), list):
            return "an event without its workspace"
        event = body.get("event")
        if not isinstance(event, dict) or not _text(event.get("type")):
            return "an event callback without an event"
    return None


def _command(body: dict[str, Any]) -> str | None:
    for name in ("command", "user_id", "team_id"):
        if not _text(body.get(name)):
            return f"a slash command without {name}"
    return None


def _interaction(kind: str, body: dict[str, Any]) -> str | None:
    user = body.get("user")
    if not isinstance(user, dict) or not _text(user.get("id")):
        return f"{kind} without a user"
    if not isinstance(body.get("team"), dict | None):
        return f"{kind} whose team is not an object"
    for name in ("message", "container", "channel"):
        if not isinstance(body.get(name), dict | None):
            return f"{kind} whose {name} is not an object"
    if kind == "block_actions":
        actions = body.get("actions")
        if not isinstance(actions, list) or not actions:
            return "block_actions without actions"
        if not all(isinstance(a, dict) and _text(a.get("action_id")) for a in actions):
            return "block_actions with an action that has no action_id"
    if kind == "block_suggestion" and not _text(body.get("action_id")):
        return "block_suggestion without an action_id"
    if kind in ("shortcut", "message_action") and not _text(body.get("callback_id")):
        return f"{kind} without a callback_id"
    if kind == "message_action" and not isinstance(body.get("message"), dict):
        return "message_action without its message"
    view = body.get("view")
    if kind in VIEW_PAYLOADS and not isinstance(view, dict):
        return f"{kind} without a view"
    if view is not None:
        problem = _view(view)
        if problem is not None:
            return f"{kind} whose {problem}"
    if "state" in body:
        problem = _state(body["state"])
        if problem is not None:
            return f"{kind} whose {problem}"
    return None


def _view(view: Any) -> str | None:
    if not isinstance(view, dict):
        return "view is not an object"
    for name in ("id", "callback_id", "private_metadata", "hash"):
        if not isinstance(view.get(name), str | None):
            return f"view's {name} is not text"
    if "state" in view:
        return _state(view["state"])
    return None


def _state(state: Any) -> str | None:
    """`state.values` is {block_id: {action_id: {type, value...}}} or absent."""
    if not isinstance(state, dict):
        return "state is not an object"
    values = state.get("values", {})
    if not isinstance(values, dict):
        return "state.values is not an object"
    for block in values.values():
        if not isinstance(block, dict) or not all(isinstance(v, dict) for v in block.values()):
            return "state.values has a block that is not an object of objects"
    return None


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value)
