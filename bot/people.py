"""Showing people and their local time in messages."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.models import Member


def local(now: datetime, tz: str) -> datetime:
    return now.astimezone(ZoneInfo(tz))


def short_date(moment: datetime, tz: str) -> str:
    """'Mon 30 Nov' in the reader's zone."""
    return local(moment, tz).strftime("%a %-d %b")


def clock_time(moment: datetime, tz: str) -> str:
    return local(moment, tz).strftime("%H:%M")


def tz_of(member: Member | None) -> str:
    return member.tz if member is not None else "UTC"
