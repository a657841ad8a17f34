"""`python -m bot ...`: every way to run Sprout."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from slack_bolt.error import BoltError

from bot.config import (
    NEEDS_BOT,
    NEEDS_HTTP,
    NEEDS_RUN,
    NEEDS_SOCKET,
    ConfigError,
    Settings,
    configure_logging,
    load_dotenv_file,
    load_settings,
)

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
    verbs.add_parser("socket", help="Socket Mode (no public URL needed; needs SLACK_APP_TOKEN)")
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
    demo = verbs.add_parser(
        "demo", help="play a scripted week against a local Slack; no workspace needed"
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
        upgrade(make_engine(settings.database_url))
        print(f"Database is up to date ({settings.database_url.split('@')[-1]}).")
        return 0
    if verb == "tick":
        return _tick(args)
    if verb == "scheduler":
        return _scheduler()
    if verb == "serve":
        return _serve(_settings(NEEDS_HTTP), args.host, with_scheduler=False)
    if verb == "socket":
        return _socket(_settings(NEEDS_SOCKET), with_scheduler=False)
    # run: Socket Mode when an app token is set, else HTTP; the scheduler alongside.
    settings = load_settings(require=NEEDS_RUN)
    if settings.socket_mode:
        return _socket(_settings(NEEDS_SOCKET), with_scheduler=True)
    return _serve(_settings(NEEDS_HTTP), args.host, with_scheduler=True)


def _tick(args: argparse.Namespace) -> int:
    from bot.clock import parse_instant
    from bot.scheduler import run_pass
    from bot.services import build_services

    try:
        now = parse_instant(args.at)
    except ValueError:
        print(
            f"--at wants an ISO instant with a zone, like 2026-12-01T14:30:00Z (got {args.at!r})",
            file=sys.stderr,
        )
        return 2
    settings = _settings(() if args.dry_run else NEEDS_BOT)
    services = build_services(settings)
    result = run_pass(services, now, dry_run=args.dry_run)
    lines = result.lines(args.dry_run)
    for line in lines:
        print(line)
    if not lines:
        print("nothing due" if not args.dry_run else "nothing would be sent")
    return 0


def _scheduler() -> int:
    from bot.scheduler import build_scheduler, stop_on_sigterm
    from bot.services import build_services

    services = build_services(_settings(NEEDS_BOT))
    scheduler = build_scheduler(services, blocking=True)
    stop_on_sigterm(scheduler)
    log.info("scheduler started: a pass every minute")
    scheduler.start()
    return 0


def _serve(settings: Settings, host: str, *, with_scheduler: bool) -> int:
    from bot.app import create_app
    from bot.services import build_services
    from bot.web import SproutWSGI, make_http_server

    services = build_services(settings)
    app = create_app(settings, services)
    if with_scheduler:
        _background_scheduler(services)
    server = make_http_server(SproutWSGI(app, services), host, settings.port)
    log.info("listening on http://%s:%s/slack/events", host, settings.port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        log.info("stopping")
    return 0


def _socket(settings: Settings, *, with_scheduler: bool) -> int:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.app import create_app
    from bot.services import build_services

    services = build_services(settings)
    app = create_app(settings, services)
    if with_scheduler:
        _background_scheduler(services)
    SocketModeHandler(app, settings.slack_app_token).start()
    return 0


def _background_scheduler(services: object) -> None:
    from bot.scheduler import build_scheduler

    build_scheduler(services, blocking=False).start()  # type: ignore[arg-type]
    log.info("scheduler running in this process")
