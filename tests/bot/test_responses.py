"""Replies to response URLs reuse a kept-alive connection (`bot.responses`)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from bot.responses import ConnectionPool, PooledRespond


class _Hook(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keeps connections open
    received: ClassVar[list[dict]] = []
    peers: ClassVar[set[int]] = set()

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        _Hook.received.append(json.loads(self.rfile.read(length)))
        _Hook.peers.add(self.client_address[1])
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def hook() -> Iterator[str]:
    _Hook.received, _Hook.peers = [], set()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hooks/1"
    server.shutdown()
    server.server_close()


def test_replies_reuse_one_connection(hook: str):
    pool = ConnectionPool()
    respond = PooledRespond(response_url=hook, pool=pool)
    first = respond(text="saved", response_type="ephemeral", replace_original=False)
    second = respond({"text": "again", "blocks": [{"type": "divider"}]})
    assert (first.status_code, first.body, second.status_code) == (200, "ok", 200)
    assert _Hook.received == [
        {"text": "saved", "response_type": "ephemeral", "replace_original": False},
        {"text": "again", "blocks": [{"type": "divider"}]},
    ]
    assert pool.opened == 1 and len(_Hook.peers) == 1
    pool.close()


class _Dropping(_Hook):
    """Answers as if it kept the connection, then closes it."""

    def do_POST(self) -> None:
        super().do_POST()
        self.close_connection = True


def test_a_connection_the_server_closed_is_replaced():
    _Hook.received, _Hook.peers = [], set()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Dropping)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/hooks/2"
        pool = ConnectionPool()
        respond = PooledRespond(response_url=url, pool=pool)
        assert respond(text="one").status_code == 200
        assert respond(text="two").status_code == 200  # the kept one was gone: a new one
        assert [m["text"] for m in _Hook.received] == ["one", "two"]
        assert pool.opened == 2
        pool.close()
    finally:
        server.shutdown()
        server.server_close()
