"""Each person's week in their own time zone: working days, hours, check-in windows.

Everything here is a pure function of settings and an aware UTC `now`. Local wall
times are turned into instants per date with zoneinfo, so DST changes, half-hour
zones and a person who moves zones all come out right.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from bot import days_off

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_ALIASES = {
    "monday": 0, "tues": 1, "tuesday": 1, "weds": 2, "wednesday": 2, "thur": 3, "thurs": 3,
    "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
    **{name: index for index, name in enumerate(DAY_NAMES)},
}  # fmt: skip
DEFAULT_CHECKIN_TIME = time(9, 30)
DEFAULT_WORK_DAYS = "1111100"
DEFAULT_WORK_START = time(9, 0)
DEFAULT_WORK_END = time(18, 0)
DEFAULT_NUDGE_TIME = time(10, 0)
DEFAULT_SUMMARY_DAY = 4  # Friday
DEFAULT_SUMMARY_TIME = time(15, 0)
REMINDER_AFTER = timedelta(hours=2)
LOOKAHEAD_DAYS = 15  # two weeks covers any set of working days


def day_index(word: str) -> int | None:
    return _ALIASES.get(word.strip().lower().rstrip("."))


def parse_days(text: str) -> str | None:
    """'sun-thu', 'mon,wed,fri', 'weekdays', 'every day' -> a Mon..Sun mask like '1111100'."""
    words = text.strip().lower()
    if words in ("weekdays", "workdays"):
        return DEFAULT_WORK_DAYS
    if words in ("every day", "everyday", "daily", "all"):
        return "1111111"
    chosen = [False] * 7
    parts = [p for p in re.split(r"[,\s]+", words) if p]
    if not parts:
        return None
    for part in parts:
        first, dash, last = part.partition("-")
        start, end = day_index(first), day_index(last) if dash else day_index(first)
        if start is None or end is None:
            return None
        index = start
        while True:  # ranges may wrap around the weekend: fri-mon
            chosen[index] = True
            if index == end:
                break
            index = (index + 1) % 7
    return "".join("1" if c else "0" for c in chosen)


def describe_days(mask: str) -> str:
    """'1111100' -> 'Mon-Fri'; '1000101' -> 'Mon, Fri, Sun'."""
    days = [i for i, c in enumerate(mask) if c == "1"]
    if not days:
        return "no days"
    # A run that wraps the week (Sun-Thu) reads best starting where it starts.
    start = next((d for d in days if (d - 1) % 7 not in days), days[0])
    ordered = [(start + k) % 7 for k in range(7) if (start + k) % 7 in days]
    if len(ordered) > 2 and all((b - a) % 7 == 1 for a, b in pairwise(ordered)):
        return f"{DAY_NAMES[ordered[0]].title()}-{DAY_NAMES[ordered[-1]].title()}"
    return ", ".join(DAY_NAMES[d].title() for d in ordered)


_TIME = re.compile(r"^(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$")


def parse_time(text: str) -> time | None:
    """'08:45', '8:45', '9', '9am', '5:30pm' -> a time; None if it is not one."""
    match = _TIME.match(text.strip().lower())
    if not match:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def hhmm(value: time) -> str:
    return value.strftime("%H:%M")


@dataclass(frozen=True)
class Schedule:
    """One person's resolved settings (their own, else the workspace defaults)."""

    tz: str = "UTC"
    checkin_time: time = DEFAULT_CHECKIN_TIME
    work_days: str = DEFAULT_WORK_DAYS
    work_start: time = DEFAULT_WORK_START
    work_end: time = DEFAULT_WORK_END
    checkins_off: bool = False
    snoozed_until: date | None = None
    nudge_time: time = DEFAULT_NUDGE_TIME
    nudges_snoozed_until: datetime | None = None
    summary_day: int = DEFAULT_SUMMARY_DAY
    summary_time: time = DEFAULT_SUMMARY_TIME
    # Days off on top of the weekly pattern: the public holidays of this country (None:
    # none) and the workspace's own company days off.
    holiday_country: str | None = None
    company_days_off: frozenset[date] = frozenset()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    def local_date(self, now: datetime) -> date:
        return now.astimezone(self.zone).date()

    def works_on(self, day: date) -> bool:
        """A working day: one of their days of the week, and not a day off."""
        return self.work_days[day.weekday()] == "1" and not self.day_off(day)

    def day_off(self, day: date) -> bool:
        """A public holiday they keep, or one of the workspace's company days off."""
        return day in self.company_days_off or days_off.is_public_holiday(self.holiday_country, day)

    def at(self, day: date, wall: time) -> datetime:
        """The UTC instant of a local wall time on a local date.

        A wall time skipped by a spring-forward change maps to the first moment after it.
        """
        return datetime.combine(day, wall, tzinfo=self.zone).astimezone(UTC)

    def window(self, day: date, start_time: time) -> tuple[datetime, datetime]:
        """From `start_time` on `day` to the end of that working day."""
        start = self.at(day, start_time)
        end = self.at(day, self.work_end)
        if end <= start:  # a time set after working hours still gets its evening
            end = self.at(day + timedelta(days=1), time(0, 0))
        return start, end

    def within_hours(self, wall: time) -> bool:
        """Whether a local wall time falls in their working hours (the end is not in them)."""
        return self.work_start <= wall < self.work_end

    @property
    def checkin_start(self) -> time:
        """When their check-ins come: the chosen time, or the start of their working day when
        that time lies outside their hours (chosen before the hours changed, or a default)."""
        return self.checkin_time if self.within_hours(self.checkin_time) else self.work_start

    def checkin_window(self, day: date) -> tuple[datetime, datetime]:
        """When a check-in may go out on `day`: from the check-in start to the end of work."""
        return self.window(day, self.checkin_start)

    def checkin_day(self, day: date) -> bool:
        """Whether `day` gets a check-in at all (working day, not snoozed, not off)."""
        if self.checkins_off or not self.works_on(day):
            return False
        return self.snoozed_until is None or day > self.snoozed_until

    def checkin_due(self, now: datetime) -> date | None:
        """The local date whose check-in is due at `now`, if any (missed minutes included)."""
        day = self.local_date(now)
        if not self.checkin_day(day):
            return None
        start, end = self.checkin_window(day)
        return day if start <= now < end else None

    def _next_start(
        self, after: datetime, start_time: time, done: date | None, day_ok: Callable[[date], bool]
    ) -> datetime | None:
        """The start of the next window (from `start_time`) still open after `after`.

        Days on or before `done` are done already.
        """
        if "1" not in self.work_days:
            return None
        day = self.local_date(after) - timedelta(days=1)
        for _ in range(LOOKAHEAD_DAYS + 400):  # a long snooze can push far ahead
            day += timedelta(days=1)
            if (done is not None and day <= done) or not day_ok(day):
                continue
            start, end = self.window(day, start_time)
            if end > after:
                return start
        return None

    def next_checkin(self, after: datetime, last_sent: date | None = None) -> datetime | None:
        """When the next check-in may go out; None when check-ins are off."""
        if self.checkins_off:
            return None
        return self._next_start(after, self.checkin_start, last_sent, self.checkin_day)

    def digest_due(self, now: datetime) -> date | None:
        """The local date whose nudge digest is due at `now` (working days only)."""
        day = self.local_date(now)
        if not self.works_on(day) or self.nudges_snoozed(now):
            return None
        start, end = self.window(day, self.nudge_time)
        return day if start <= now < end else None

    def next_digest(self, after: datetime, last_sent: date | None = None) -> datetime | None:
        """When the next digest may go out (a snooze only delays it)."""
        after = max(after, self.nudges_snoozed_until or after)
        return self._next_start(after, self.nudge_time, last_sent, self.works_on)

    def nudges_snoozed(self, now: datetime) -> bool:
        return self.nudges_snoozed_until is not None and now < self.nudges_snoozed_until

    def reminder_at(self, sent_at: datetime, day: date) -> datetime | None:
        """When to remind about an unanswered check-in; None if that would be after work."""
        remind = sent_at + REMINDER_AFTER
        _, end = self.checkin_window(day)
        return remind if remind < end else None

    def in_working_hours(self, now: datetime) -> bool:
        day = self.local_date(now)
        return self.works_on(day) and self.at(day, self.work_start) <= now < self.at(
            day, self.work_end
        )

    def next_working_start(self, after: datetime) -> datetime | None:
        """`after` itself if it is within working hours, else when they next begin."""
        if self.in_working_hours(after):
            return after
        return self._next_start(after, self.work_start, None, self.works_on)

    def iso_week(self, now: datetime) -> str:
        """The person's local ISO week, e.g. '2026-W49': the weekly summary's period."""
        year, week, _ = self.local_date(now).isocalendar()
        return f"{year}-W{week:02d}"

    def week_start(self, now: datetime) -> datetime:
        """Monday 00:00 local of the week containing `now`, as a UTC instant."""
        today = self.local_date(now)
        return self.at(today - timedelta(days=today.weekday()), time(0, 0))

    def summary_moment(self, now: datetime) -> datetime:
        """When this week's summary is due (the chosen day and time, local)."""
        today = self.local_date(now)
        monday = today - timedelta(days=today.weekday())
        return self.at(monday + timedelta(days=self.summary_day), self.summary_time)

    def next_summary(self, after: datetime, sent_week: str | None) -> datetime:
        """This week's summary moment (even if past: it is caught up) unless this week's
        went out already; then next week's."""
        if sent_week != self.iso_week(after):
            return self.summary_moment(after)
        return self.summary_moment(self.week_start(after) + timedelta(days=7, hours=12))

    def working_days_between(self, earlier: datetime, later: datetime) -> int:
        """Working days after `earlier`'s local date, up to and including `later`'s."""
        first, last = self.local_date(earlier), self.local_date(later)
        if last <= first:
            return 0
        span = (last - first).days
        weeks, rest = divmod(span, 7)
        count = weeks * self.work_days.count("1")
        for offset in range(1, rest + 1):
            if self.work_days[(first + timedelta(days=offset + weeks * 7)).weekday()] == "1":
                count += 1
        start = first + timedelta(days=1)
        off = set(days_off.between(self.holiday_country, start, last))
        off |= {d for d in self.company_days_off if start <= d <= last}
        return count - sum(1 for d in off if self.work_days[d.weekday()] == "1")


AWAY_WORDS = ("vacation", "holiday", "ooo", "out of office", "out of the office", "sick", "pto",
              "on leave", "parental leave", "off today", "day off")  # fmt: skip
AWAY_EMOJI = (":palm_tree:", ":desert_island:", ":beach_with_umbrella:", ":face_with_thermometer:",
              ":thermometer:", ":sick:", ":mask:", ":airplane:", ":baby:")  # fmt: skip


def is_away(status_text: str, status_emoji: str, status_expiration: int, now: datetime) -> bool:
    """Does a Slack status say the person is away (vacation, out of office, sick)?"""
    if status_expiration and status_expiration <= now.timestamp():
        return False
    text = f" {status_text.lower()} "
    if any(re.search(rf"\b{re.escape(word)}\b", text) for word in AWAY_WORDS):
        return True
    return status_emoji in AWAY_EMOJI
