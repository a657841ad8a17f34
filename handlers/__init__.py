"""Bolt listeners: one module per command or surface, each with `register(app)`."""

from __future__ import annotations

from slack_bolt import App

from handlers import (
    checkin,
    coach,
    directory_events,
    feedback,
    home,
    lifecycle,
    nudges,
    priority,
    settings,
    team,
)

MODULES = (
    team,
    feedback,
    priority,
    checkin,
    coach,
    settings,
    nudges,
    home,
    directory_events,
    lifecycle,
)


def register_all(app: App) -> None:
    for module in MODULES:
        module.register(app)
