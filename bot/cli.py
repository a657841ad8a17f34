"""`python -m bot ...`: every way to run Sprout."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from slack_bolt.error import BoltError
from sqlalchemy.exc import DBAPIError

from bot.config import (
    NEEDS_BOT,
    NEEDS_HTTP,
    NEEDS_RUN,
    NEEDS_SOCKET,
    ConfigError,
    Settings,
    configure_logging,
    database_label,
    load_dotenv_file,
    load_settings,
)
from bot.startup import CantStart, database_problem

if TYPE_CHECKING:
    from apscheduler.schedulers.base import BaseScheduler
    from slack_bolt import App

    from bot.services import Services
    from bot.startup import SlackWatch

log = logging.getLogger("sprout")


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="python -m bot",
        description="Sprout: coaching nudges inside Slack. Settings come from the environment or .env.",  # noqa: E501
    )
    verbs = root.add_subparsers(dest="verb", metavar="VERB", required=True)
    serve = verbs.add_parser(
        "serve", help="HTTP mode: POST /slack/events and GET /healthz on $PORT"
    )
    serve.add_argument("--host", default="0.0.0.0", help="interface to listen on (default 0.0.0.0)")
    socket = verbs.add_parser(
        "socket",
        help="Socket Mode (no public URL needed; needs SLACK_APP_TOKEN); /healthz and /metrics on $PORT",  # noqa: E501
    )
    socket.add_argument(
        "--host", default="0.0.0.0", help="interface for /healthz and /metrics (default 0.0.0.0)"
    )
    run = verbs.add_parser(
        "run",
        help="development all-in-one: Socket Mode if SLACK_APP_TOKEN is set, else HTTP; plus the scheduler",  # noqa: E501,
    )
    run.add_argument(
        "--host", default="127.0.0.1", help="interface for HTTP mode (default 127.0.0.1)"
    )
    verbs.add_parser("scheduler", help="the scheduler process (the Procfile's clock:)")
    tick = verbs.add_parser(
        "tick", help="run one scheduler pass as if it were --at, and print what was sent"
    )
    tick.add_argument(
        "--at", required=True, help="an ISO instant with a zone, e.g. 2026-12-01T14:30:00Z"
    )
    tick.add_argument(
        "--dry-run", action="store_true", help="print what would be sent; send and write nothing"
    )
    db = verbs.add_parser("db", help="database tasks")
    db_verbs = db.add_subparsers(dest="db_verb", metavar="TASK", required=True)
    db_verbs.add_parser("upgrade", help="apply migrations (also done automatically on start)")
    for name, text in (
        ("forget-user", "erase what Sprout holds about one person, and print what was removed"),
        ("export-user", "write everything Sprout holds about one person to one JSON file"),
    ):
        person = verbs.add_parser(name, help=text)
        person.add_argument("--team", required=True, help="the workspace id (T...)")
        person.add_argument("--user", required=True, help="the person's Slack id (U... or W...)")
        if name == "export-user":
            person.add_argument(
                "--out", default=None, help="file to write (default sprout-export-TEAM-USER.json)"
            )
    manifest = verbs.add_parser(
        "manifest",
        help="print the Slack app manifest, with SPROUT_COMMAND_PREFIX's command names",
    )
    manifest.add_argument(
        "--host",
        default="",
        help="your public host (e.g. sprout.example.org): every request URL on it, Socket Mode off",
    )
    demo = verbs.add_parser(
        "demo", help="play three scripted weeks against a local Slack; no workspace needed"
    )
    demo.add_argument("--html", default=None, help="also write the transcript as an HTML page here")
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    load_dotenv_file()
    try:
        return _dispatch(args)
    except ConfigError as error:
        print("Sprout can't start yet:", file=sys.stderr)
        for problem in error.problems:
            print(f"  - {problem}", file=sys.stderr)
        return 2
    except BoltError as error:
        print(f"Sprout can't start: Slack said {error}", file=sys.stderr)
        return 2
    except CantStart as reason:
        print(f"Sprout can't start: {reason}", file=sys.stderr)
        return 2


def _settings(require: tuple[str, ...]) -> Settings:
    settings = load_settings(require=require)
    configure_logging(settings)
    return settings


def _demo(html: str | None) -> int:
    """A thin launcher: the demo and the local Slack live in a checkout's `devtools/`."""
    try:
        from devtools.demo import main as demo_main
    except ModuleNotFoundError as error:
        if error.name is None or not error.name.startswith("devtools"):
            raise
        print(
            "The demo runs from a checkout of Sprout: clone it and run `make demo` there.",
            file=sys.stderr,
        )
        return 2
    return demo_main(html)


def _dispatch(args: argparse.Namespace) -> int:
    verb = args.verb
    if verb == "demo":
        return _demo(args.html)
    if verb == "db":
        from bot.db import make_engine, upgrade

        settings = _settings(())
        try:
            upgrade(make_engine(settings.database_url))
        except DBAPIError as error:
            raise CantStart(database_problem(error, settings.database_url)) from error
        print(f"Database {database_label(settings.database_url)} is up to date.")
        return 0
    if verb == "manifest":
        return _manifest(args.host)
    if verb in ("tick", "forget-user", "export-user"):
        return _data_verb(args)
    if verb == "scheduler":
        return _scheduler()
    if verb == "serve":
        return _serve(_settings(NEEDS_HTTP), args.host, with_scheduler=False)
    if verb == "socket":
        return _socket(_settings(NEEDS_SOCKET), args.host, with_scheduler=False)
    # run: Socket Mode when an app token is set, else HTTP; the scheduler alongside.
    settings = load_settings(require=NEEDS_RUN)
    if settings.socket_mode:
        return _socket(_settings(NEEDS_SOCKET), args.host, with_scheduler=True)
    return _serve(_settings(NEEDS_HTTP), args.host, with_scheduler=True)


def _data_verb(args: argparse.Namespace) -> int:
    """Verbs that read or change data: a database that does not answer is one line too."""
    from bot import privacy
    from bot.clock import parse_instant

    if args.verb == "tick":
        try:
            args.now = parse_instant(args.at)
        except ValueError:
            print(
                f"--at wants an ISO instant with a zone, like 2026-12-01T14:30:00Z (got {args.at!r})",  # noqa: E501
                file=sys.stderr,
            )
            return 2
    settings = _existing_database(
        _settings(() if args.verb != "tick" or args.dry_run else NEEDS_BOT)
    )
    try:
        if args.verb == "tick":
            return _tick(args, settings)
        return privacy.main(args.verb, args, settings)
    except DBAPIError as error:
        raise CantStart(database_problem(error, settings.database_url)) from error


def _manifest(host: str) -> int:
    from bot.manifest import render, valid_host

    host = host.strip().removeprefix("https://").removeprefix("http://").rstrip("/")
    if host and not valid_host(host):
        print(f"--host wants a host name like sprout.example.org, got {host!r}", file=sys.stderr)
        return 2
    settings = load_settings()  # only SPROUT_COMMAND_PREFIX matters here
    print(render(settings.command_prefix, host), end="")
    return 0


def _existing_database(settings: Settings) -> Settings:
    """Verbs that read or change data use the database that exists, never a new empty one."""
    from sqlalchemy.engine import make_url

    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        from pathlib import Path

        if not Path(url.database).exists():
            raise CantStart(
                f"there is no database at {database_label(settings.database_url)};"
                " set DATABASE_URL to the one Sprout runs on"
            )
    print(f"Using database {database_label(settings.database_url)}.", file=sys.stderr)
    return settings


def _start(settings: Settings, *, role: str) -> Services:
    """Connect to the database and Slack, or raise CantStart saying which did not answer."""
    from bot.services import build_services
    from bot.startup import check_slack, ready_line, sqlite_warning, workspaces_installed

    try:
        services = build_services(settings)
        workspaces = workspaces_installed(services.engine)
    except DBAPIError as error:
        raise CantStart(database_problem(error, settings.database_url)) from error
    identity = check_slack(services.client, settings)
    warning = sqlite_warning(settings.database_url, role)
    if warning:
        log.warning("%s", warning)
    log.info("%s", ready_line(identity, settings, workspaces), extra={"role": role})
    return services


def _tick(args: argparse.Namespace, settings: Settings) -> int:
    from bot.scheduler import run_pass
    from bot.services import build_services

    services = build_services(settings)
    result = run_pass(services, args.now, dry_run=args.dry_run)
    lines = result.lines(args.dry_run)
    for line in lines:
        print(line)
    if not lines:
        print("nothing due" if not args.dry_run else "nothing would be sent")
    return 0


def _scheduler() -> int:
    from bot.scheduler import build_scheduler, stop_on_sigterm

    services = _start(_settings(NEEDS_BOT), role="scheduler")
    scheduler = build_scheduler(services, blocking=True)
    _housekeeping(scheduler, services)
    stop_on_sigterm(scheduler)
    log.info("scheduler started: a pass every minute")
    scheduler.start()
    return 0


def _serve(settings: Settings, host: str, *, with_scheduler: bool) -> int:
    from bot.app import create_app

    services = _start(settings, role="web+scheduler" if with_scheduler else "web")
    app = create_app(settings, services)
    log.info("listening on http://%s:%s/slack/events", host, settings.port)
    _serve_http(app, services, host, with_scheduler=with_scheduler)
    return 0


def _socket(settings: Settings, host: str, *, with_scheduler: bool) -> int:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.app import create_app
    from bot.services import make_client
    from bot.startup import open_socket_url

    url = open_socket_url(make_client(settings), settings)  # a bad xapp- token stops here
    services = _start(settings, role="socket+scheduler" if with_scheduler else "socket")
    handler = SocketModeHandler(create_app(settings, services), settings.slack_app_token)
    handler.client.wss_uri = url
    try:
        handler.connect()
    except OSError as error:
        raise CantStart(f"Slack's Socket Mode connection failed ({error})") from error
    # Socket Mode needs no public URL, but platforms still probe /healthz on $PORT.
    log.info("Socket Mode connected; /healthz and /metrics on http://%s:%s", host, settings.port)
    _serve_http(None, services, host, with_scheduler=with_scheduler)
    handler.close()
    return 0


def _serve_http(app: App | None, services: Services, host: str, *, with_scheduler: bool) -> None:
    """Serve HTTP on $PORT (Slack's requests when `app` is given, /healthz and /metrics
    always) until interrupted; the scheduler and METRICS_PORT alongside."""
    from bot.web import SproutWSGI, make_http_server

    if with_scheduler:
        _background_scheduler(services)
    _metrics_port(services)
    wsgi_app = SproutWSGI(app, services, slack=_connected(services))
    server = make_http_server(wsgi_app, host, services.settings.port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        log.info("stopping")


def _connected(services: Services) -> SlackWatch:
    """The Slack status /healthz reports: connected (it was checked before starting)."""
    from bot.startup import SlackWatch

    watch = SlackWatch(services.client, services.settings)
    watch.connected = True
    return watch


def _metrics_port(services: Services) -> None:
    """METRICS_PORT: /metrics alone, on its own port (keep it off the public network)."""
    from bot.web import SproutWSGI, serve_in_thread

    port = services.settings.metrics_port
    if port:
        serve_in_thread(SproutWSGI(None, services, metrics_only=True), "0.0.0.0", port)
        log.info("metrics on http://0.0.0.0:%s/metrics", port)


def _housekeeping(scheduler: BaseScheduler, services: Services) -> None:
    from bot import retention

    retention.attach(scheduler, services)


def _background_scheduler(services: Services) -> None:
    from bot.scheduler import build_scheduler

    scheduler = build_scheduler(services, blocking=False)
    _housekeeping(scheduler, services)
    scheduler.start()
    log.info("scheduler running in this process")
