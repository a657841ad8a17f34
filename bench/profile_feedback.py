"""Where one `/feedback` goes, in one process: statements and a CPU profile.

Not a benchmark (no load, no server): it builds Sprout's WSGI app as gunicorn does,
calls it directly with signed `/feedback @person praise ...` requests whose people are
in the directory (answered in the ack), and prints the SQL statements of one request
and the functions that took the most CPU over `--requests` of them.

    python -m bench.profile_feedback [--requests 2000] [--database URL] [--top 40] [--save FILE]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from collections.abc import Iterable
from concurrent.futures import Executor, Future
from dataclasses import replace
from typing import Any

from sqlalchemy import event

from bench.common import Target, fresh_database, postgres_url, sqlite_target
from bench.slash import SECRET, feedback_body, seed
from devtools import slack_requests as sr
from devtools.local_slack import LocalSlack


class Inline(Executor):
    """Runs what is submitted at once, in the caller's thread."""

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def environ_of(slack: LocalSlack, giver: str, about: str, i: int) -> dict[str, Any]:
    body = feedback_body(slack, giver, about, i)
    headers = sr.sign(body, SECRET, int(time.time()))
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/slack/events",
        "QUERY_STRING": "",
        "CONTENT_TYPE": sr.FORM,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "3000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
    }
    for name, value in headers.items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    return environ


def call(wsgi: Any, environ: dict[str, Any]) -> bytes:
    status: list[str] = []

    def start_response(code: str, headers: Iterable[Any], *rest: Any) -> None:
        status.append(code)

    body = b"".join(wsgi(environ, start_response))
    assert status[0].startswith("200"), (status, body)
    return body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--database", default="")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--save", default="", help="also write the profile here (pstats)")
    args = parser.parse_args(argv)
    url = args.database or postgres_url()
    target = Target("postgresql", url) if url else sqlite_target("profile")
    fresh_database(target).dispose()
    with LocalSlack(team_id="T0SLASH01", team_name="Slash") as slack:
        pairs = seed(slack)
        os.environ.update(
            SLACK_BOT_TOKEN=slack.bot_token,
            SLACK_SIGNING_SECRET=SECRET,
            SLACK_API_URL=slack.base_url,
            DATABASE_URL=target.url,
            LOG_LEVEL="WARNING",
        )
        from bot.app import create_app
        from bot.config import NEEDS_HTTP, load_settings
        from bot.services import build_services
        from bot.web import SproutWSGI

        settings = replace(load_settings(require=NEEDS_HTTP), verify_token_on_start=False)
        services = build_services(settings)
        # The listener in this thread, so that the profile sees it.
        wsgi = SproutWSGI(create_app(settings, services, listener_executor=Inline()), services)
        engine = wsgi.services.engine
        for i, (giver, about) in enumerate(pairs * 2):  # the directory learns everyone
            call(wsgi, environ_of(slack, giver, about, i))
        statements: list[str] = []

        @event.listens_for(engine, "before_cursor_execute")
        def count(conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
            statements.append(" ".join(statement.split())[:160])

        giver, about = pairs[0]
        print(call(wsgi, environ_of(slack, giver, about, -1))[:300].decode(errors="replace"))
        print(f"\n{len(statements)} statements in one /feedback:")
        for statement in statements:
            print("  ", statement)
        event.remove(engine, "before_cursor_execute", count)
        environs = [environ_of(slack, *pairs[i % len(pairs)], i) for i in range(args.requests)]
        started = time.process_time()
        for environ in environs[: len(environs) // 2]:
            call(wsgi, environ)
        plain = (time.process_time() - started) / (len(environs) // 2)
        print(f"\n{len(environs) // 2} requests: {plain * 1000:.2f} ms CPU each (no profiler)")
        environs = environs[len(environs) // 2 :]
        profile = cProfile.Profile(time.process_time)
        started = time.process_time()
        profile.enable()
        for environ in environs:
            call(wsgi, environ)
        profile.disable()
        cpu = time.process_time() - started
        print(
            f"\n{len(environs)} requests: {cpu * 1000 / len(environs):.2f} ms CPU each"
            " (profiler on)"
        )
        if args.save:
            profile.dump_stats(args.save)
        stats = pstats.Stats(profile, stream=sys.stdout)
        stats.sort_stats("cumulative").print_stats(args.top)
        stats.sort_stats("tottime").print_stats(args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
