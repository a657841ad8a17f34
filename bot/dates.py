"""Reading due dates the way people type them, in the speaker's own time zone, and saying
dates the way people say them, in the reader's."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.schedule import DEFAULT_WORK_DAYS, Schedule, day_index

_RELATIVE = re.compile(r"^\+(\d{1,3})([dw])$")
HINT = "2026-12-04, today, tomorrow, fri, eow, +3d or +2w"


@dataclass(frozen=True)
class DateError:
    """Why a date was refused: a prompt key under `dates.` and its values."""

    key: str
    text: str

    def render(self) -> str:
        from bot.prompts import render

        return render(f"dates.{self.key}", text=self.text, hint=HINT)


def parse_due(text: str, today: date, work_days: str = DEFAULT_WORK_DAYS) -> date | DateError:
    """A due date from `text`, relative to the speaker's local `today`.

    Weekday names mean the next such day after today; `eow` is the last working day of
    this week (of the person's own working days), or of next week once this one's is past.
    """
    word = text.strip().lower()
    result: date | None = None
    if word == "today":
        result = today
    elif word == "tomorrow":
        result = today + timedelta(days=1)
    elif word == "eow":
        result = end_of_week(today, work_days)
    elif (relative := _RELATIVE.match(word)) is not None:
        count, unit = int(relative.group(1)), relative.group(2)
        result = today + timedelta(days=count * (7 if unit == "w" else 1))
    elif (weekday := day_index(word)) is not None:
        result = today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)
    else:
        try:
            result = date.fromisoformat(word)
        except ValueError:
            return DateError("unreadable", text.strip())
    if result < today:
        return DateError("past", result.isoformat())
    return result


def end_of_week(today: date, work_days: str) -> date:
    """The last day of the run of working days that today is in (or the next run).

    Sunday-to-Thursday people get Thursday, Monday-to-Friday people Friday.
    """
    if "1" not in work_days:
        work_days = DEFAULT_WORK_DAYS
    day = today
    while work_days[day.weekday()] != "1":
        day += timedelta(days=1)
    for _ in range(6):
        following = day + timedelta(days=1)
        if work_days[following.weekday()] != "1":
            break
        day = following
    return day


_SNOOZE = re.compile(r"^(\d{1,3})\s*([dw])$")
MAX_SNOOZE_DAYS = 366


def snooze_last_day(text: str, today: date, work_days: str = DEFAULT_WORK_DAYS) -> date | DateError:
    """The last local date a snooze covers: `3d` is today and the next two days;
    `until X` means things start again on X."""
    words = text.strip().lower()
    match = _SNOOZE.match(words)
    if match:
        days = int(match.group(1)) * (7 if match.group(2) == "w" else 1)
        if days < 1:
            return DateError("snooze_unreadable", text.strip())
        if days > MAX_SNOOZE_DAYS:
            return DateError("snooze_long", text.strip())
        return today + timedelta(days=days - 1)
    if words.startswith("until "):
        resume = parse_due(words.removeprefix("until ").strip(), today, work_days)
        if isinstance(resume, DateError):
            return resume
        if (resume - today).days > MAX_SNOOZE_DAYS:
            return DateError("snooze_long", text.strip())
        return resume - timedelta(days=1)
    return DateError("snooze_unreadable", text.strip())


HALF_A_YEAR = 183  # days: further from today than this, a date says its year


@dataclass(frozen=True)
class Reader:
    """Whoever reads a date: their time zone and their local today."""

    zone: ZoneInfo
    today: date

    @classmethod
    def of(cls, schedule: Schedule, now: datetime) -> Reader:
        return cls(schedule.zone, schedule.local_date(now))

    def day(self, day: date) -> str:
        """A date as people say it: '31 Mar'; '31 Mar 2028' when over half a year away."""
        if abs((day - self.today).days) > HALF_A_YEAR:
            return f"{day.day} {day:%b %Y}"
        return f"{day.day} {day:%b}"

    def moment(self, moment: datetime) -> str:
        """The date of an instant in the reader's zone, as `day` says it."""
        return self.day(moment.astimezone(self.zone).date())
