"""The preferences form ("Sprout settings" in Slack): its fields, and reading a submission
into choices or per-field errors.

Personal fields are for everyone; workspace defaults are shown to, and accepted from,
workspace admins only. Every field is checked before anything is saved: one bad field
means nothing is saved and Slack shows each problem next to its field. The layout is in
`bot.preferences.views`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot import days_off
from bot.preferences.person import Choices
from bot.prompts import render
from bot.schedule import Schedule, hhmm, parse_time

CALLBACK_ID = "settings_form"  # Slack knows the form by this: forms already open keep working
ACTION = "value"  # every input's action_id; blocks are told apart by block_id
TZ_LIMIT = 64  # PersonSettings.tz_override
COUNTRY_LIMIT = 8  # PersonSettings.holiday_country
DAYS_OFF_LIMIT = 3000  # characters in the company days off field
MOST_DAYS_OFF = 100  # company days off a workspace lists

# Personal fields (block ids).
CHECKIN_TIME = "checkin_time"
WORK_DAYS = "work_days"
WORK_START = "work_start"
WORK_END = "work_end"
TZ = "tz_override"
NUDGE_TIME = "nudge_time"
SUMMARY_DAY = "summary_day"
SUMMARY_TIME = "summary_time"
HOLIDAY_COUNTRY = "holiday_country"
NO_HOLIDAYS = "no_public_holidays"  # one checkbox: no public holidays off at all

# Workspace defaults: block id = WORKSPACE_PREFIX + the key in BUILT_IN_DEFAULTS.
WORKSPACE_PREFIX = "ws_"
WORKSPACE_NUMBERS: dict[str, tuple[int, int]] = {
    "feedback_gap_days": (1, 60),
    "stale_after_working_days": (1, 60),
    "daily_nudge_cap": (1, 20),
    "max_active_priorities": (1, 20),
    "baseline_review_months": (1, 12),
}
WORKSPACE_TIMES = ("checkin_time", "nudge_time", "summary_time")
WORKSPACE_DAYS = ("summary_day",)
WORKSPACE_SWITCHES = ("pulse",)  # on when its one checkbox is ticked
WORKSPACE_DATES = ("company_days_off",)  # ISO dates, one a line
SWITCH_ON = "on"
WORKSPACE_KEYS = (
    *WORKSPACE_NUMBERS,
    *WORKSPACE_TIMES,
    *WORKSPACE_DAYS,
    *WORKSPACE_SWITCHES,
    *WORKSPACE_DATES,
)


def workspace_field(key: str) -> str:
    """The block id of a workspace default."""
    return WORKSPACE_PREFIX + key


@dataclass(frozen=True)
class Prefill:
    """Everything the form opens with."""

    schedule: Schedule  # the person's choices, resolved against the workspace defaults
    tz_override: str | None
    slack_tz: str
    workspace: dict[str, Any] | None  # the workspace defaults; None unless an admin
    now: datetime
    holiday_choice: str | None = None  # their own: a country code, "none", or None
    zone_country: str | None = None  # the country of their time zone, if `holidays` knows it


@dataclass(frozen=True)
class Submission:
    person: Choices | None  # None when any field has an error
    workspace: dict[str, Any] | None  # only from an admin, only known keys
    errors: dict[str, str]  # block id -> what to fix


def canonical_zone(text: str) -> str | None:
    """An IANA zone name as typed ('europe/berlin' is forgiven), or None if unknown."""
    name = text.strip()
    if not name or len(name) > TZ_LIMIT:
        return None
    zones = available_timezones()
    found = name if name in zones else {z.lower(): z for z in zones}.get(name.lower())
    if found is None:
        return None
    try:
        ZoneInfo(found)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return found


def _iso_date(word: str) -> date | None:
    """`2026-12-24` as a date; None for anything else (`24/12`, `2026-02-30`)."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", word):
        return None
    try:
        return date.fromisoformat(word)
    except ValueError:
        return None


class _Reader:
    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values
        self.errors: dict[str, str] = {}

    def field(self, block_id: str) -> dict[str, Any]:
        return (self.values.get(block_id) or {}).get(ACTION) or {}

    def time(self, block_id: str) -> str:
        field = self.field(block_id)
        raw = field.get("selected_time") or field.get("value") or ""
        parsed = parse_time(str(raw)) if raw else None
        if parsed is None:
            self.errors[block_id] = render("settings.errors.time")
            return ""
        return hhmm(parsed)

    def day(self, block_id: str) -> int:
        raw = str((self.field(block_id).get("selected_option") or {}).get("value", ""))
        if raw not in {str(i) for i in range(7)}:
            self.errors[block_id] = render("settings.errors.day")
            return 0
        return int(raw)

    def days(self, block_id: str) -> str:
        picked = {
            str(option.get("value", ""))
            for option in self.field(block_id).get("selected_options") or []
        }
        valid = {str(i) for i in range(7)}
        if not picked or not picked <= valid:
            self.errors[block_id] = render("settings.errors.no_days")
            return ""
        return "".join("1" if str(i) in picked else "0" for i in range(7))

    def switch(self, block_id: str) -> bool:
        picked = self.field(block_id).get("selected_options") or []
        return any(str(option.get("value", "")) == SWITCH_ON for option in picked)

    def zone(self, block_id: str) -> str | None:
        raw = str(self.field(block_id).get("value") or "").strip()
        if not raw:
            return None
        name = canonical_zone(raw)
        if name is None:
            self.errors[block_id] = render("settings.errors.zone")
        return name

    def country(self, block_id: str, none_id: str) -> str | None:
        """Whose public holidays: None for the time zone's, `days_off.NONE` for nobody's."""
        if self.switch(none_id):
            return days_off.NONE
        raw = str(self.field(block_id).get("value") or "").strip()
        if not raw:
            return None
        if len(raw) > COUNTRY_LIMIT or not days_off.supported(raw):
            self.errors[block_id] = render("settings.errors.country", text=raw[:COUNTRY_LIMIT])
            return None
        return raw.upper()

    def dates(self, block_id: str) -> list[str]:
        """ISO dates, one a line (commas too), sorted, each once."""
        raw = str(self.field(block_id).get("value") or "")
        found: set[date] = set()
        for word in re.split(r"[\s,;]+", raw.strip()):
            day = _iso_date(word)
            if word and day is None:
                self.errors[block_id] = render("settings.errors.date", text=word[:20])
                return []
            if day is not None:
                found.add(day)
        if len(found) > MOST_DAYS_OFF:
            self.errors[block_id] = render("settings.errors.too_many_dates", most=MOST_DAYS_OFF)
            return []
        return [day.isoformat() for day in sorted(found)]

    def number(self, block_id: str, low: int, high: int) -> int:
        raw = str(self.field(block_id).get("value") or "").strip()
        value = int(raw) if raw.lstrip("-").isdigit() else None
        if value is None or not low <= value <= high:
            self.errors[block_id] = render("settings.errors.number", low=low, high=high)
            return low
        return value


def read(values: dict[str, Any], *, is_admin: bool, manages: bool = False) -> Submission:
    """The submitted state (`view.state.values`) as choices, or what to fix.

    Workspace fields are read only from an admin: from anyone else they are refused.
    Someone who `manages` anyone also has their digest and summary times held to the
    working hours beside them, as everyone's check-in time is.
    """
    reader = _Reader(values)
    person = Choices(
        checkin_time=reader.time(CHECKIN_TIME),
        work_days=reader.days(WORK_DAYS),
        work_start=reader.time(WORK_START),
        work_end=reader.time(WORK_END),
        tz_override=reader.zone(TZ),
        nudge_time=reader.time(NUDGE_TIME),
        summary_day=reader.day(SUMMARY_DAY),
        summary_time=reader.time(SUMMARY_TIME),
        holiday_country=reader.country(HOLIDAY_COUNTRY, NO_HOLIDAYS),
    )
    if (
        person.work_start
        and person.work_end
        and person.work_end <= person.work_start  # "HH:MM" compares as times do
    ):
        reader.errors[WORK_END] = render("settings.errors.end_before_start")
    else:
        _check_in_hours(reader, person, manages)
    workspace = _read_workspace(reader, is_admin)
    if reader.errors:
        return Submission(None, None, reader.errors)
    return Submission(person, workspace, {})


# Each time of day Sprout writes at, with the error that says it must be within hours.
IN_HOURS = {
    CHECKIN_TIME: "settings.errors.checkin_outside_hours",
    NUDGE_TIME: "settings.errors.digest_outside_hours",
    SUMMARY_TIME: "settings.errors.summary_outside_hours",
}
MANAGERS_ONLY = (NUDGE_TIME, SUMMARY_TIME)


def _check_in_hours(reader: _Reader, person: Choices, manages: bool) -> None:
    """A time Sprout writes at, outside the working hours chosen beside it, is refused:
    nothing comes from Sprout outside them. Digest and summary times only for a manager:
    nobody else gets either, and is not made to move them."""
    start, end = parse_time(person.work_start or ""), parse_time(person.work_end or "")
    if start is None or end is None:
        return
    hours = Schedule(work_start=start, work_end=end)
    for block_id, error in IN_HOURS.items():
        chosen = parse_time(getattr(person, block_id) or "")
        if chosen is None or (block_id in MANAGERS_ONLY and not manages):
            continue
        if not hours.within_hours(chosen):
            reader.errors[block_id] = render(error, start=hhmm(start), end=hhmm(end))


def _read_workspace(reader: _Reader, is_admin: bool) -> dict[str, Any] | None:
    sent = [key for key in WORKSPACE_KEYS if workspace_field(key) in reader.values]
    if not sent:
        return None
    if not is_admin:  # a forged payload, or someone who stopped being an admin
        for key in sent:
            reader.errors[workspace_field(key)] = render("settings.errors.admin_only")
        return None
    result: dict[str, Any] = {}
    for key, (low, high) in WORKSPACE_NUMBERS.items():
        result[key] = reader.number(workspace_field(key), low, high)
    for key in WORKSPACE_TIMES:
        result[key] = reader.time(workspace_field(key))
    hours = Schedule()  # the working hours everyone has until they choose their own
    for block_id, error in IN_HOURS.items():
        chosen = parse_time(result[block_id] or "")
        if chosen is not None and not hours.within_hours(chosen):
            reader.errors[workspace_field(block_id)] = render(
                error, start=hhmm(hours.work_start), end=hhmm(hours.work_end)
            )
    for key in WORKSPACE_DAYS:
        result[key] = reader.day(workspace_field(key))
    for key in WORKSPACE_SWITCHES:
        result[key] = reader.switch(workspace_field(key))
    for key in WORKSPACE_DATES:
        result[key] = reader.dates(workspace_field(key))
    return result
