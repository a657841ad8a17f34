"""Answering a request as soon as its listener acks, not at Bolt's next 10 ms poll.

Bolt (with `process_before_response=False`) runs each listener on its executor and has
the request's thread poll `ack.response` every 10 ms until the listener acks: an answer
ready after 3 ms leaves after 10, and every waiting request wakes 100 times a second.
Here the request middleware gives each request a `SignallingAck`, and `AckWaiting`, the
listener executor, makes the thread that submits the listener wait on that ack's event
(or the listener's end), so Bolt's poll finds the response already there.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import Any

from slack_bolt.context.ack import Ack
from slack_bolt.response import BoltResponse

from bot.manifest import as_typed_in

# Slack waits 3 s for an ack; Bolt's own wait is as long. Past it, Bolt's poll decides.
ACK_WAIT = 3.0
LISTENER_THREADS = 5  # Bolt's own default

_waiting = threading.local()


class SignallingAck(Ack):
    """Bolt's `ack`, which also wakes the request's thread the moment it is called, and
    names the commands in what it answers (a reply, a view) as people type them."""

    def __init__(self, command_prefix: str = "") -> None:
        super().__init__()
        self.called = threading.Event()
        self.command_prefix = command_prefix
        _waiting.ack = self  # the request's thread submits its listener next

    def __call__(self, *args: Any, **kwargs: Any) -> BoltResponse:
        try:
            if self.command_prefix:
                args = tuple(as_typed_in(list(args), self.command_prefix))
                kwargs = as_typed_in(kwargs, self.command_prefix)
            return super().__call__(*args, **kwargs)
        finally:
            self.called.set()


class AckWaiting(Executor):
    """Bolt's listener executor: a thread pool, whose `submit` from a request's thread
    returns once that request's listener has acked or ended (at most `ACK_WAIT`).

    Only the first submit after a request's `SignallingAck` was made waits (its
    listener); lazy listeners and anything else are submitted as to any pool.
    """

    def __init__(self, threads: int = LISTENER_THREADS) -> None:
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="listener")

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        ack: SignallingAck | None = getattr(_waiting, "ack", None)
        _waiting.ack = None
        future = self._pool.submit(fn, *args, **kwargs)
        if ack is not None:
            future.add_done_callback(lambda _: ack.called.set())
            ack.called.wait(ACK_WAIT)
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)
