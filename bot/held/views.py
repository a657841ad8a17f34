"""How a held DM is shown to the person who caused it."""

from __future__ import annotations

from datetime import datetime

from bot import blocks
from bot.blocks import Block
from bot.people import clock_time, local
from bot.prompts import mention, render
from bot.usecase import Held

SEND_ANYWAY = "held_send_anyway"


def wait(at: datetime, now: datetime) -> str:
    """'in 11 h', 'in 40 min', 'in 2 days': how long until `at`."""
    minutes = max(1, round((at - now).total_seconds() / 60))
    if minutes < 60:
        return render("common.held.in_minutes", count=minutes)
    hours = round(minutes / 60)
    if hours < 48:
        return render("common.held.in_hours", count=hours)
    return render("common.held.in_days", count=round(hours / 24))


def notice(held: Held) -> str:
    """'It reaches @ravi at 09:00 their time (Tue), in 11 h: ...'"""
    return render(
        "common.held.notice",
        person=mention(held.recipient_id),
        time=clock_time(held.at, held.tz),
        day=local(held.at, held.tz).strftime("%a"),
        wait=wait(held.at, held.now),
    )


def notice_blocks(held: list[Held]) -> list[Block]:
    """One line per held DM, each with *Send now anyway*."""
    return [
        blocks.section(
            notice(one),
            accessory=blocks.button(
                render("common.held.send_anyway"), SEND_ANYWAY, str(one.outbox_id)
            ),
        )
        for one in held
    ]
