"""The yardstick for the slash-command benchmark: a Bolt app whose /feedback only acks.

Same Bolt, same adapter, same server settings as Sprout; no database, no reply.

    gunicorn 'bench.bare_app:wsgi()'            # as production runs Sprout
    python -m bench.bare_app --port 3000         # the threaded development server
"""

from __future__ import annotations

import argparse
import os
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

from bot.web import EVENTS_PATH, make_http_server


def create_app() -> App:
    token = os.environ["SLACK_BOT_TOKEN"]
    app = App(
        name="bare",
        client=WebClient(token=token, base_url=os.environ["SLACK_API_URL"]),
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        process_before_response=False,  # as Sprout: ack, then the listener runs on
    )

    @app.command("/feedback")
    def only_ack(ack: Any) -> None:
        ack()

    return app


def wsgi() -> SlackRequestHandler:
    return SlackRequestHandler(create_app(), path=EVENTS_PATH)


def main() -> int:
    parser = argparse.ArgumentParser(description="the bare Bolt app on the threaded server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    server = make_http_server(wsgi(), args.host, args.port)  # type: ignore[arg-type]
    server.serve_forever()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
