"""Bolt listeners: one module per command or surface, each with `register(app)`.

Every listener is registered through `Guarded`, so one that fails after it acked still
leaves Slack a 200 and the person a short apology. (Bolt's thread runner, when a listener
raises right after `ack()`, can reset the ack and make Slack see a 404 three seconds later.)
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App

from bot import prompts
from handlers import (
    baseline,
    checkin,
    coach,
    directory_events,
    feedback,
    focus,
    held,
    home,
    lifecycle,
    nudges,
    oneonone,
    plans,
    priority,
    reflection,
    settings,
    team,
)

log = logging.getLogger("sprout")

MODULES = (  # no two register the same id: their order decides only whom Bolt tries first
    feedback,  # the command typed most
    team,
    priority,
    checkin,
    coach,
    settings,
    nudges,
    oneonone,
    reflection,
    plans,
    baseline,
    focus,
    held,
    home,
    directory_events,
    lifecycle,
)
# Bolt tries listeners in the order they were registered, building each matcher's arguments
# on the way: the commands first (the most frequent requests, and those answered in the
# ack), then buttons, forms, shortcuts, menus and events. A payload of one kind matches no
# listener of another, so only the order within a kind decides which one runs.
LISTENER_KINDS = ("command", "action", "view", "shortcut", "options", "event")


def register_all(app: App) -> None:
    guarded = Guarded(app)
    for module in MODULES:
        module.register(guarded)  # type: ignore[arg-type]  # an App whose listeners are guarded
    guarded.register()


class Guarded:
    """Stands in for the App while handlers register: each listener comes out guarded, and
    is registered with the app, kind by kind, by `register`."""

    def __init__(self, app: App) -> None:
        self._app = app
        self._listeners: list[tuple[str, tuple[Any, ...], dict[str, Any], Callable[..., Any]]] = []

    def __getattr__(self, name: str) -> Any:
        if name not in LISTENER_KINDS:
            return getattr(self._app, name)

        def registering(*args: Any, **kwargs: Any) -> Callable[[Callable[..., Any]], Any]:
            def keep(listener: Callable[..., Any]) -> Callable[..., Any]:
                self._listeners.append((name, args, kwargs, listener))
                return listener

            return keep

        return registering

    def register(self) -> None:
        for kind in LISTENER_KINDS:
            for name, args, kwargs, listener in self._listeners:
                if name == kind:
                    getattr(self._app, kind)(*args, **kwargs)(guard(listener))


def guard(listener: Callable[..., Any]) -> Callable[..., Any]:
    """Run `listener`; if it fails, ack if it had not, log the traceback, apologise.

    Bolt reads the listener's parameters through `functools.wraps`, so it passes the
    guard exactly what the listener asks for.
    """

    @functools.wraps(listener)
    def guarded(**kwargs: Any) -> Any:
        try:
            return listener(**kwargs)
        except Exception as error:  # not hidden: logged with its traceback, then answered
            ack = kwargs.get("ack")
            if ack is not None and ack.response is None:
                ack()
            log.error("%s failed: %s", listener.__name__, error, exc_info=error)
            context = kwargs.get("context")
            respond = context.respond if context is not None else None
            if respond is not None:
                respond(text=prompts.render("common.error"), response_type="ephemeral")
            return None

    return guarded
