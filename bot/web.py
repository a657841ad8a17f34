"""HTTP mode: Slack's requests at POST /slack/events, plus /healthz and /metrics.

Production runs `wsgi()` under gunicorn (see the Procfile and gunicorn.conf.py); a small
threaded server serves development, tests, the demo, and /healthz and /metrics beside
Socket Mode.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.request import BoltRequest

from bot.db import database_answers
from bot.metrics import CONTENT_TYPE, Metrics, may_scrape
from bot.payloads import bad_request
from bot.services import Services
from bot.startup import SlackWatch

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
# The listen backlog: gunicorn's (its `backlog` setting's default). socketserver keeps 5,
# and a burst of Slack's requests (a team's first morning) had connections reset.
BACKLOG = 2048


class SproutWSGI:
    """Routes our own endpoints, and hands everything else to Bolt (when there is one:
    beside Socket Mode only /healthz and /metrics are served)."""

    def __init__(
        self,
        app: App | None,
        services: Services,
        metrics: Metrics | None = None,
        *,
        slack: SlackWatch | None = None,
        metrics_only: bool = False,
    ) -> None:
        self.bolt = SlackRequests(app, path=EVENTS_PATH) if app is not None else None
        self.services = services
        self.metrics = metrics or Metrics()
        self.slack = slack
        self.metrics_only = metrics_only  # the separate METRICS_PORT

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        path = environ.get("PATH_INFO") or "/"
        get = environ.get("REQUEST_METHOD") in ("GET", "HEAD")
        if get and path == "/metrics":
            return self.prometheus(environ, start_response)
        if get and path == "/healthz" and not self.metrics_only:
            return self.healthz(start_response)
        if self.bolt is None or self.metrics_only:
            return _answer(start_response, "404 Not Found", b"not found\n", "text/plain")
        started = time.perf_counter()

        def timed_start(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
            # Bolt answers as soon as the listener acked: this moment is the ack's latency.
            code = status.split(" ", 1)[0]
            self.metrics.observe(_label(path), code, time.perf_counter() - started)
            return start_response(status, headers, *rest)

        return self.bolt(environ, timed_start)

    def prometheus(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        settings = self.services.settings
        if not may_scrape(
            settings.metrics_token,
            environ.get("HTTP_AUTHORIZATION", ""),
            environ.get("REMOTE_ADDR", ""),
            own_port=self.metrics_only,
        ):
            if settings.metrics_token:
                return _answer(
                    start_response,
                    "401 Unauthorized",
                    b"send Authorization: Bearer <METRICS_TOKEN>\n",
                    "text/plain",
                    [("WWW-Authenticate", 'Bearer realm="metrics"')],
                )
            return _answer(
                start_response,
                "403 Forbidden",
                b"/metrics answers loopback only: set METRICS_TOKEN or METRICS_PORT\n",
                "text/plain",
            )
        return _answer(start_response, "200 OK", self.metrics.render(self.services.engine))

    def healthz(self, start_response: Callable[..., Any]) -> Iterable[bytes]:
        ok = database_answers(self.services.engine)
        answer: dict[str, bool] = {"ok": ok, "database": ok}
        if self.slack is not None:
            answer["slack"] = self.slack.connected  # for information: Slack may come back
        status = "200 OK" if ok else "503 Service Unavailable"
        return _answer(start_response, status, json.dumps(answer).encode(), "application/json")


class SlackRequests(SlackRequestHandler):
    """Bolt's WSGI adapter, refusing with a 400 what can't be read as a request from Slack.

    Bolt parses the body before it checks the signature, and reads the timestamp with
    `int()`: a payload that is not JSON, or a timestamp that is not a number, would end in
    a 500 and a traceback. The payload's shape is checked after the signature, in the app
    (`bot.payloads.WellFormed`).
    """

    def dispatch(self, request: WsgiHttpRequest) -> BoltResponse:
        headers = request.get_headers()
        timestamp = headers.get("x-slack-request-timestamp")
        if isinstance(timestamp, str) and not (timestamp.isascii() and timestamp.isdigit()):
            return bad_request("X-Slack-Request-Timestamp is not a number")
        try:
            bolt_request = BoltRequest(
                body=request.get_body(), query=request.query_string, headers=headers
            )
        except (ValueError, TypeError, AttributeError, KeyError, IndexError) as error:
            # not JSON, not UTF-8, or not an object Bolt can read its context from
            return bad_request(f"the body can't be read ({type(error).__name__})")
        return self.app.dispatch(bolt_request)


def _answer(
    start_response: Callable[..., Any],
    status: str,
    body: bytes,
    content_type: str = CONTENT_TYPE,
    headers: list[tuple[str, str]] | None = None,
) -> Iterable[bytes]:
    start_response(
        status,
        [("Content-Type", content_type), ("Content-Length", str(len(body))), *(headers or [])],
    )
    return [body]


def _label(path: str) -> str:
    """Known paths as themselves; anything else as one label, so scanners can't blow it up."""
    return path if path in (EVENTS_PATH, "/slack/install", "/slack/oauth_redirect") else "other"


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = BACKLOG


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.address_string(), format % args)


def make_http_server(wsgi_app: SproutWSGI, host: str, port: int) -> WSGIServer:
    return make_server(
        host, port, wsgi_app, server_class=_ThreadingServer, handler_class=_QuietHandler
    )


def serve_in_thread(wsgi_app: SproutWSGI, host: str = "127.0.0.1", port: int = 0) -> WSGIServer:
    """Start serving on a background thread (tests and the demo); returns the server."""
    server = make_http_server(wsgi_app, host, port)
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="sprout-http", daemon=True
    ).start()
    return server


def wsgi() -> SproutWSGI:
    """Gunicorn's entry point: `gunicorn 'bot.web:wsgi()'` builds the app from the environment.

    It never waits for Slack: Bolt's auth.test is off, and Slack is checked in the
    background (one log line while it fails; /healthz says `"slack": false` meanwhile).
    """
    from bot.app import create_app
    from bot.config import NEEDS_HTTP, configure_logging, load_dotenv_file, load_settings
    from bot.services import build_services

    load_dotenv_file()
    settings = dataclasses.replace(load_settings(require=NEEDS_HTTP), verify_token_on_start=False)
    configure_logging(settings)
    services = build_services(settings)
    slack = SlackWatch(services.client, settings).start()
    return SproutWSGI(create_app(settings, services), services, slack=slack)
