"""When a pair meets: reading `/coach 1on1 @ana every tue 14:00` and finding the next meeting.

Meetings are wall times in the manager's zone: each instant is worked out per date with
zoneinfo, so "every tue 14:00" stays at 14:00 for the manager across DST changes. An
occurrence is named by its local date and time ("2026-12-01T14:00"), which is what the
outbox key and the wrap-up remember.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.refusal import Refusal
from bot.schedule import day_index, parse_days, parse_time

WEEKLY, BIWEEKLY, ONCE, OFF, NOW = "weekly", "biweekly", "once", "off", "now"
LOOKAHEAD_DAYS = 22  # three weeks: any weekly or every-other-week cadence meets within it


@dataclass(frozen=True)
class Cadence:
    """How often a pair meets. `days` is a Mon..Sun mask; `anchor` a day of an "on" week
    (every other week) or the one day (once)."""

    kind: str
    days: str = "0000000"
    at: time = time(0, 0)
    anchor: date | None = None


LEAD_WORD = re.compile(
    r"(?:^|\s)lead\s+(?P<n>\d{1,4})\s*(?P<unit>m|min|mins|minutes?|h|hr|hrs|hours?|d|days?)\s*$",
    re.IGNORECASE,
)
LEAD_RANGE = (timedelta(minutes=10), timedelta(days=7))
UNITS = {"m": "minutes", "h": "hours", "d": "days"}


def read_lead(text: str) -> tuple[str, timedelta | None]:
    """`... lead 2h` (or `90m`, `1d`) at the end: the rest of the text, and how long before
    each meeting its agenda comes (None: not said)."""
    match = LEAD_WORD.search(text)
    if match is None:
        if re.search(r"(?:^|\s)lead(?:\s|$)", text, re.IGNORECASE):
            raise Refusal("oneonone.refuse.bad_lead")
        return text, None
    unit = match.group("unit").lower()[0]
    lead = timedelta(**{UNITS[unit]: int(match.group("n"))})
    if not LEAD_RANGE[0] <= lead <= LEAD_RANGE[1]:
        raise Refusal("oneonone.refuse.bad_lead")
    return text[: match.start()].strip(), lead


def read(text: str, today: date) -> Cadence:
    """`every tue 14:00`, `every other mon,thu 9:30`, `once fri 11:30`, `off`, or nothing.

    `today` is the manager's local date: `once fri` is the next Friday (today, if it is
    Friday: the time says whether it has passed), and an every-other-week cadence starts
    this week.
    """
    words = text.lower().split()
    if not words:
        return Cadence(NOW)
    if words == ["off"]:
        return Cadence(OFF)
    head, rest = words[0], words[1:]
    if head == "every":
        kind = WEEKLY
        if rest[:1] == ["other"]:
            kind, rest = BIWEEKLY, rest[1:]
        days, at = _days_and_time(rest)
        return Cadence(kind, days, at, today)
    if head == "once":
        if len(rest) != 2 or (weekday := _one_day(rest[0])) is None:
            raise Refusal("oneonone.refuse.bad_cadence")
        at = _time(rest[1])
        return Cadence(
            ONCE, _mask([weekday]), at, today + timedelta((weekday - today.weekday()) % 7)
        )
    raise Refusal("oneonone.refuse.bad_cadence")


def _days_and_time(words: list[str]) -> tuple[str, time]:
    if len(words) < 2:
        raise Refusal("oneonone.refuse.bad_cadence")
    days = parse_days(" ".join(words[:-1]))
    if days is None or days == "0000000":
        raise Refusal("oneonone.refuse.bad_days", days=" ".join(words[:-1]))
    return days, _time(words[-1])


def _one_day(word: str) -> int | None:
    return day_index(word)


def _time(word: str) -> time:
    at = parse_time(word)
    if at is None:
        raise Refusal("oneonone.refuse.bad_time", time=word)
    return at


def _mask(weekdays: list[int]) -> str:
    return "".join("1" if d in weekdays else "0" for d in range(7))


def occurrence_name(moment: datetime, zone: ZoneInfo) -> str:
    """The meeting at `moment`, named in the manager's zone: '2026-12-01T14:00'."""
    return moment.astimezone(zone).strftime("%Y-%m-%dT%H:%M")


def next_meeting(cadence: Cadence, zone: ZoneInfo, after: datetime) -> datetime | None:
    """The first meeting strictly after `after` (UTC), or None when none is left."""
    if cadence.kind not in (WEEKLY, BIWEEKLY, ONCE) or cadence.anchor is None:
        return None
    start = after.astimezone(zone).date()
    for offset in range(LOOKAHEAD_DAYS):
        day = start + timedelta(days=offset)
        if not _meets_on(cadence, day):
            continue
        moment = datetime.combine(day, cadence.at, tzinfo=zone).astimezone(UTC)
        if moment > after:
            return moment
    return None


def _meets_on(cadence: Cadence, day: date) -> bool:
    assert cadence.anchor is not None
    if cadence.days[day.weekday()] != "1":
        return False
    if cadence.kind == ONCE:
        return day == cadence.anchor
    if cadence.kind == BIWEEKLY:
        weeks = (_monday(day) - _monday(cadence.anchor)).days // 7
        return weeks % 2 == 0
    return True


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())
