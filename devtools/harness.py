"""Sprout running for real: HTTP server, Bolt, database, against a LocalSlack.

Tests and the demo both drive it: people "type" slash commands and "click" buttons
as signed HTTP requests; time moves only when told to (`advance`, `tick`).
"""

from __future__ import annotations

import itertools
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.app import create_app
from bot.clock import require_aware
from bot.config import Settings
from bot.scheduler import PassResult, run_pass
from bot.services import build_services
from bot.web import SproutWSGI, serve_in_thread
from devtools import slack_requests as sr
from devtools.local_slack import LocalSlack, Message, Response

SIGNING_SECRET = "sprout-local-signing-secret"
FORM = "application/x-www-form-urlencoded"


class ManualClock:
    """A clock that tests and the demo move: it stands still only when told to.

    By default every reading is `step` later than the one before (1 ms), as a real clock
    moves while a request runs: code that reads the clock twice in one operation sees two
    instants here as it would in production. `frozen=True` keeps one instant for tests
    that need it.
    """

    def __init__(
        self, now: datetime, *, step: timedelta = timedelta(milliseconds=1), frozen: bool = False
    ) -> None:
        self._now = require_aware(now)
        self._step = timedelta(0) if frozen else step
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            reading = self._now
            self._now += self._step
            return reading

    def peek(self) -> datetime:
        """The next reading, without moving the clock (for assertions and labels)."""
        with self._lock:
            return self._now

    def set(self, now: datetime) -> None:
        with self._lock:
            self._now = require_aware(now)

    def advance(self, delta: timedelta) -> datetime:
        with self._lock:
            self._now += delta
            return self._now


def same_moment(actual: datetime | None, expected: datetime) -> bool:
    """Whether `actual` was read within a second after `expected` (the test clock moves
    a millisecond per reading, so an instant stored by a request is just after the test's)."""
    return actual is not None and expected <= actual < expected + timedelta(seconds=1)


class TrackingExecutor(ThreadPoolExecutor):
    """Bolt's listener pool, able to say when every listener has finished."""

    def __init__(self, max_workers: int = 4) -> None:
        super().__init__(max_workers=max_workers, thread_name_prefix="sprout-listener")
        self._futures: list[Future[Any]] = []
        self._lock = threading.Lock()

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        future = super().submit(fn, *args, **kwargs)
        with self._lock:
            self._futures.append(future)
        return future

    def wait_idle(self, timeout: float = 20) -> None:
        while True:
            with self._lock:
                futures = [f for f in self._futures if not f.done()]
                self._futures = futures[:]
            if not futures:
                return
            for future in futures:
                future.result(timeout=timeout)


@dataclass
class Reply:
    """What a person saw after one request: the HTTP answer and any ephemeral responses
    (a message in the ack first, then the posts to the response URL, in order)."""

    status: int
    body: bytes
    responses: list[Response] = field(default_factory=list)

    @property
    def text(self) -> str:
        """All response texts and section texts, joined: handy for assertions."""
        parts: list[str] = []
        for response in self.responses:
            parts.append(response.text)
            parts.extend(block_texts(response.blocks))
        return "\n".join(parts)


def block_texts(blocks: list[dict[str, Any]]) -> list[str]:
    """Every piece of visible text in some blocks, in order."""
    texts: list[str] = []
    for block in blocks:
        text = block.get("text")
        if isinstance(text, dict):
            texts.append(text.get("text", ""))
        for item in block.get("fields") or []:
            texts.append(item.get("text", ""))
        for element in block.get("elements") or [] if block.get("type") == "context" else []:
            inner = element.get("text")
            if isinstance(inner, dict):
                texts.append(inner.get("text", ""))
            elif isinstance(inner, str):
                texts.append(inner)
        label = block.get("label")
        if isinstance(label, dict):
            texts.append(label.get("text", ""))
    return texts


def buttons(blocks: list[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(block, element) for every interactive element, in order."""
    found = []
    for block in blocks:
        for element in block.get("elements") or []:
            if "action_id" in element:
                found.append((block, element))
        accessory = block.get("accessory")
        if accessory and "action_id" in accessory:
            found.append((block, accessory))
    return found


class Sprout:
    """One running Sprout, wired to `slack`, on `database_url`, at a manual time."""

    def __init__(
        self,
        slack: LocalSlack,
        database_url: str,
        now: datetime,
        *,
        oauth: bool = False,
        team_consent: str = "trust",
        command_prefix: str = "",
    ) -> None:
        """`oauth`: installable into many workspaces (no bot token; installs via OAuth).

        `team_consent`: how `/team add` makes a reporting line. Most tests build their
        team as a company with a central org chart does (`trust`: at once); the consent
        tests and the demo use the default a real deployment has (`ask`).
        `command_prefix`: `SPROUT_COMMAND_PREFIX`, e.g. "sprout-" for `/sprout-team`.
        """
        self.slack = slack
        self.clock = ManualClock(now)
        self.sleeps: list[float] = []
        self.settings = Settings(
            slack_bot_token="" if oauth else slack.bot_token,
            slack_signing_secret=SIGNING_SECRET,
            slack_api_url=slack.base_url,
            database_url=database_url,
            slack_client_id="1234.5678" if oauth else "",
            slack_client_secret="local-client-secret" if oauth else "",
            team_consent=team_consent,
            command_prefix=command_prefix,
        )
        self.executor = TrackingExecutor()
        self.services = build_services(self.settings, clock=self.clock, sleep=self.sleeps.append)
        self.app = create_app(self.settings, self.services, listener_executor=self.executor)
        self.server = serve_in_thread(SproutWSGI(self.app, self.services))
        host, port = self.server.server_address[:2]
        self.base = f"http://{host}:{port}"
        self.url = f"{self.base}/slack/events"
        self._event_ids = itertools.count(1)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.executor.shutdown(wait=True)
        self.services.engine.dispose()

    @property
    def team_id(self) -> str:
        return self.slack.team_id

    def now(self) -> datetime:
        """What time it is for the test (reading it does not move the clock)."""
        return self.clock.peek()

    def advance(self, **delta: float) -> datetime:
        return self.clock.advance(timedelta(**delta))

    def set_time(self, now: datetime) -> None:
        self.clock.set(now)

    # --- people doing things -------------------------------------------------------------

    def _send(self, body: bytes, content_type: str, response_url: str | None, **kw: Any) -> Reply:
        result = sr.post(self.url, body, content_type=content_type, secret=SIGNING_SECRET, **kw)
        if response_url:  # an answer in the ack reads as one to the response URL
            self.slack.answer_in_ack(response_url, result.body)
        self.executor.wait_idle()
        responses = self.slack.responses_to(response_url) if response_url else []
        return Reply(result.status, result.body, responses)

    def command(self, user_id: str, command: str, text: str = "", **where: Any) -> Reply:
        """Type a slash command (`where`: `channel_id`, `team_id`; see `command_body`)."""
        response_url, body = self.command_body(user_id, command, text, **where)
        return self._send(body, FORM, response_url)

    def click(self, user_id: str, message: Message, action_id: str, **how: Any) -> Reply:
        """Press an element with `action_id` on a posted message (`how`: see `click_body`)."""
        response_url, body = self.click_body(user_id, message, action_id, **how)
        return self._send(body, FORM, response_url)

    def click_body(
        self,
        user_id: str,
        message: Message,
        action_id: str,
        *,
        value: str | None = None,
        index: int = 0,
        tampered: dict[str, Any] | None = None,
    ) -> tuple[str, bytes]:
        """What pressing the `index`-th element with `action_id` on a posted message posts
        (its response URL and body), to send now (`click`), later or with others.

        `tampered`: fields of the action as a compromised client would rewrite them
        (e.g. another `value`), still signed: what Sprout must not trust.
        """
        block, element = _find(message.blocks, action_id, value, index)
        action = {**_action(block, element), **(tampered or {})}
        response_url = self.slack.new_response_url(channel=message.channel, message_ts=message.ts)
        body = sr.block_actions_body(
            user_id=user_id,
            team_id=self.team_id,
            actions=[action],
            response_url=response_url,
            trigger_id=self.slack.new_trigger_id(),
            message={
                "ts": message.ts,
                "text": message.text,
                "blocks": message.blocks,
                "type": "message",
            },
            channel_id=message.channel,
            container={
                "type": "message",
                "message_ts": message.ts,
                "channel_id": message.channel,
                "is_ephemeral": False,
            },
        )
        return response_url, body

    def command_body(
        self,
        user_id: str,
        command: str,
        text: str = "",
        channel_id: str = "C0GENERAL",
        *,
        team_id: str | None = None,
    ) -> tuple[str, bytes]:
        """What `command` posts (its response URL and body), to send later or with others."""
        response_url = self.slack.new_response_url()
        body = sr.command_body(
            command=command,
            text=text,
            user_id=user_id,
            team_id=team_id or self.team_id,
            channel_id=channel_id,
            response_url=response_url,
            trigger_id=self.slack.new_trigger_id(),
        )
        return response_url, body

    def at_once(self, requests: list[tuple[str, bytes]]) -> list[Reply]:
        """Post every (response URL, form body) at the same moment, each from its own
        thread, as a burst from Slack arrives; a connection that failed is status 0."""
        together = threading.Barrier(len(requests))

        def post(body: bytes) -> sr.HttpResult:
            together.wait()
            try:
                return sr.post(self.url, body, content_type=FORM, secret=SIGNING_SECRET)
            except OSError as error:  # reset or refused (URLError is an OSError too)
                return sr.HttpResult(0, body=repr(error).encode())

        with ThreadPoolExecutor(max_workers=len(requests)) as pool:
            results = list(pool.map(post, [body for _, body in requests]))
        self.executor.wait_idle()
        return [
            Reply(result.status, result.body, self.slack.responses_to(url))
            for (url, _), result in zip(requests, results, strict=True)
        ]

    def click_response(
        self,
        user_id: str,
        response: Response,
        action_id: str,
        *,
        value: str | None = None,
        channel_id: str = "C0GENERAL",
        selected: dict[str, Any] | None = None,
    ) -> Reply:
        """Press a button (or pick an option: `selected`) on an ephemeral reply."""
        block, element = _find(response.blocks, action_id, value)
        response_url = self.slack.new_response_url()
        body = sr.block_actions_body(
            user_id=user_id,
            team_id=self.team_id,
            actions=[{**_action(block, element), **(selected or {})}],
            response_url=response_url,
            trigger_id=self.slack.new_trigger_id(),
            channel_id=channel_id,
            container={
                "type": "message",
                "message_ts": "1700000000.999999",
                "channel_id": channel_id,
                "is_ephemeral": True,
            },
        )
        return self._send(body, FORM, response_url)

    def click_in_view(
        self,
        user_id: str,
        view: dict[str, Any],
        action_id: str,
        *,
        value: str | None = None,
        selected: dict[str, Any] | None = None,
    ) -> Reply:
        """Press a button (or pick an option: `selected`) inside a modal or the Home tab."""
        block, element = _find(view.get("blocks", []), action_id, value)
        action = {**_action(block, element), **(selected or {})}
        body = sr.block_actions_body(
            user_id=user_id,
            team_id=self.team_id,
            actions=[action],
            response_url=None,
            trigger_id=self.slack.new_trigger_id(),
            view=view,
        )
        return self._send(body, FORM, None)

    def submit(self, user_id: str, view: dict[str, Any], values: dict[str, Any]) -> Reply:
        """Submit a modal with `values` ({block_id: {action_id: {type, value...}}}).

        The reply's body holds Bolt's ack (e.g. response_action=errors) when there is one.
        """
        body = sr.view_submission_body(
            user_id=user_id,
            team_id=self.team_id,
            view=view,
            values=values,
            trigger_id=self.slack.new_trigger_id(),
        )
        return self._send(body, FORM, None)

    def message_shortcut(
        self, user_id: str, callback_id: str, message: dict[str, Any], channel_id: str = "C0GENERAL"
    ) -> Reply:
        """Use a message shortcut ("More actions" on a message)."""
        response_url = self.slack.new_response_url()
        body = sr.message_shortcut_body(
            user_id=user_id,
            team_id=self.team_id,
            callback_id=callback_id,
            message=message,
            channel_id=channel_id,
            trigger_id=self.slack.new_trigger_id(),
            response_url=response_url,
        )
        return self._send(body, FORM, response_url)

    def event(
        self,
        event: dict[str, Any],
        *,
        event_id: str | None = None,
        team_id: str | None = None,
        **kw: Any,
    ) -> Reply:
        body = sr.event_body(
            team_id=team_id or self.team_id,
            event=event,
            event_id=event_id or f"Ev{next(self._event_ids):08d}",
            event_time=int(self.now().timestamp()),
        )
        return self._send(body, "application/json", None, **kw)

    def install(self, team_id: str, installer: str) -> int:
        """The "Add to Slack" flow for `team_id`, as a browser does it; returns the final status.

        Bolt's state cookie is marked Secure; over loopback http we hand it back ourselves.
        """
        with urllib.request.urlopen(f"{self.base}/slack/install", timeout=10) as page:
            html = page.read().decode()
            cookie = page.headers.get("Set-Cookie", "").split(";", 1)[0]
        found = re.search(r"state=([\w.-]+)", html)
        if found is None:
            raise AssertionError(f"no state on the install page: {html[:300]}")
        code = self.slack.grant_oauth_code(team_id, installer)
        query = urllib.parse.urlencode({"code": code, "state": found.group(1)})
        request = urllib.request.Request(
            f"{self.base}/slack/oauth_redirect?{query}", headers={"Cookie": cookie}
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as done:
                return done.status
        except urllib.error.HTTPError as error:
            return error.code

    # --- time passing ---------------------------------------------------------------------

    def tick(self, at: datetime | None = None, *, dry_run: bool = False) -> PassResult:
        """One scheduler pass at `at` (the clock moves there first)."""
        if at is not None:
            self.set_time(at)
        return run_pass(self.services, self.clock(), dry_run=dry_run)


def _find(
    blocks: list[dict[str, Any]], action_id: str, value: str | None = None, index: int = 0
) -> tuple[dict[str, Any], dict[str, Any]]:
    matches = [(b, e) for b, e in buttons(blocks) if e["action_id"] == action_id]
    if value is not None:
        matches = [(b, e) for b, e in matches if e.get("value") == value]
    if len(matches) <= index:
        raise AssertionError(f"no {action_id!r} (value {value!r}) in {blocks}")
    return matches[index]


def _action(block: dict[str, Any], element: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": element.get("type", "button"),
        "action_id": element["action_id"],
        "block_id": block.get("block_id", "b"),
        "value": element.get("value", ""),
        "action_ts": "1700000000.000001",
    }
