"""The listener executor answers a request as soon as its listener acks (`bot.acks`)."""

from __future__ import annotations

import threading

from bot.acks import AckWaiting, SignallingAck


def test_submit_returns_once_the_listener_acked_while_it_goes_on():
    executor = AckWaiting(threads=1)
    release = threading.Event()
    ack = SignallingAck()  # made by the request middleware, in the request's thread

    def listener() -> str:
        ack(text="saved")
        release.wait(10)  # the work after the ack
        return "done"

    future = executor.submit(listener)
    assert ack.response is not None and ack.response.status == 200
    assert not future.done()  # the request's thread did not wait for the rest
    release.set()
    assert future.result(timeout=10) == "done"
    executor.shutdown()


def test_a_listener_that_ends_without_acking_releases_the_request():
    executor = AckWaiting(threads=1)
    ack = SignallingAck()
    future = executor.submit(lambda: "no ack")
    assert ack.called.is_set() and ack.response is None
    assert future.result(timeout=10) == "no ack"
    executor.shutdown()


def test_only_the_first_submit_after_a_request_waits():
    executor = AckWaiting(threads=2)
    ack = SignallingAck()
    executor.submit(lambda: None).result(timeout=10)
    release = threading.Event()
    later = executor.submit(release.wait, 10)  # e.g. a lazy listener: not waited for
    assert not later.done()
    release.set()
    assert later.result(timeout=10) is True
    assert ack.called.is_set()
    executor.shutdown()


def test_with_a_prefix_what_the_ack_answers_names_the_commands_as_people_type_them():
    view = {"type": "modal", "blocks": [{"type": "section", "text": {"text": "Try `/team`."}}]}
    ack = SignallingAck("sprout-")

    ack(response_action="update", view=view)

    assert ack.response is not None and "Try `/sprout-team`." in ack.response.body
    assert view["blocks"][0]["text"]["text"] == "Try `/team`."  # what it was given is left as is
