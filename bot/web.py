"""HTTP mode: Slack's requests at POST /slack/events, plus /healthz for load balancers.

Production runs `wsgi()` under gunicorn (see the Procfile); `serve()` is a small
threaded server for development, tests and the demo.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.db import database_answers
from bot.metrics import Metrics
from bot.services import Services

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"


class SproutWSGI:
    """Routes our own endpoints, and hands everything else to Bolt."""

    def __init__(self, app: App, services: Services, metrics: Metrics | None = None) -> None:
        self.bolt = SlackRequestHandler(app, path=EVENTS_PATH)
        self.services = services
        self.metrics = metrics or Metrics()

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        path = environ.get("PATH_INFO") or "/"
        if environ.get("REQUEST_METHOD") == "GET" and path == "/healthz":
            return self.healthz(start_response)
        if environ.get("REQUEST_METHOD") == "GET" and path == "/metrics":
            return self.prometheus(start_response)
        started = time.perf_counter()

        def timed_start(status: str, headers: list[tuple[str, str]], *rest: Any) -> Any:
            # Bolt answers as soon as the listener acked: this moment is the ack's latency.
            code = status.split(" ", 1)[0]
            self.metrics.observe(_label(path), code, time.perf_counter() - started)
            return start_response(status, headers, *rest)

        return self.bolt(environ, timed_start)

    def prometheus(self, start_response: Callable[..., Any]) -> Iterable[bytes]:
        body = self.metrics.render(self.services.engine).encode()
        start_response(
            "200 OK",
            [("Content-Type", "text/plain; version=0.0.4"), ("Content-Length", str(len(body)))],
        )
        return [body]

    def healthz(self, start_response: Callable[..., Any]) -> Iterable[bytes]:
        ok = database_answers(self.services.engine)
        body = json.dumps({"ok": ok, "database": ok}).encode()
        status = "200 OK" if ok else "503 Service Unavailable"
        start_response(
            status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
        )
        return [body]


def _label(path: str) -> str:
    """Known paths as themselves; anything else as one label, so scanners can't blow it up."""
    return path if path in (EVENTS_PATH, "/slack/install", "/slack/oauth_redirect") else "other"


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


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
    """Gunicorn's entry point: `gunicorn 'bot.web:wsgi()'` builds the app from the environment."""
    from bot.app import create_app
    from bot.config import NEEDS_HTTP, configure_logging, load_dotenv_file, load_settings
    from bot.services import build_services

    load_dotenv_file()
    settings = load_settings(require=NEEDS_HTTP)
    configure_logging(settings)
    services = build_services(settings)
    return SproutWSGI(create_app(settings, services), services)
