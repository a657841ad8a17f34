"""The settings modal (`/coach settings`, or "Change settings" on Home): building it,
and reading a submission into values or per-field errors.

Personal fields are for everyone; workspace defaults are shown to, and accepted from,
workspace admins only. Every field is checked before anything is saved: one bad field
means nothing is saved and Slack shows each problem next to its field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlalchemy.orm import Session

from bot import blocks, workspace_settings
from bot.models import Member, PersonSettings
from bot.person_settings import schedule_of
from bot.prompts import render
from bot.schedule import DAY_NAMES, Schedule, hhmm, parse_time

CALLBACK_ID = "settings_form"
ACTION = "value"  # every input's action_id; blocks are told apart by block_id
TITLE_LIMIT = 24
TZ_LIMIT = 64  # PersonSettings.tz_override

# Personal fields (block ids).
CHECKIN_TIME = "checkin_time"
WORK_DAYS = "work_days"
WORK_START = "work_start"
WORK_END = "work_end"
TZ = "tz_override"
NUDGE_TIME = "nudge_time"
SUMMARY_DAY = "summary_day"
SUMMARY_TIME = "summary_time"

# Workspace defaults: block id = WORKSPACE_PREFIX + the key in workspace_settings.DEFAULTS.
WORKSPACE_PREFIX = "ws_"
WORKSPACE_NUMBERS: dict[str, tuple[int, int]] = {
    "feedback_gap_days": (1, 60),
    "stale_after_working_days": (1, 60),
    "daily_nudge_cap": (1, 20),
    "max_active_priorities": (1, 20),
}
WORKSPACE_TIMES = ("checkin_time", "nudge_time", "summary_time")
WORKSPACE_DAYS = ("summary_day",)
WORKSPACE_KEYS = (*WORKSPACE_NUMBERS, *WORKSPACE_TIMES, *WORKSPACE_DAYS)


def ws(key: str) -> str:
    """The block id of a workspace default."""
    return WORKSPACE_PREFIX + key


# --- what the form shows ----------------------------------------------------------------------


@dataclass(frozen=True)
class Current:
    """Everything the modal is prefilled with."""

    schedule: Schedule  # the person's settings, resolved against the workspace defaults
    tz_override: str | None
    slack_tz: str
    workspace: dict[str, Any] | None  # the workspace defaults; None unless an admin
    now: datetime


def current(session: Session, team_id: str, user_id: str, now: datetime) -> Current:
    row = session.get(PersonSettings, (team_id, user_id))
    member = session.get(Member, (team_id, user_id))
    admin = member is not None and member.is_admin
    return Current(
        schedule=schedule_of(session, team_id, user_id),
        tz_override=row.tz_override if row is not None else None,
        slack_tz=member.tz if member is not None else "UTC",
        workspace=workspace_settings.get(session, team_id) if admin else None,
        now=now,
    )


def _plain(key: str, limit: int = 2000, **values: Any) -> dict[str, Any]:
    return blocks.plain(render(key, **values), limit)


def _input(
    block_id: str, label: str, element: dict[str, Any], *, hint: str | None = None, **values: Any
) -> blocks.Block:
    block: blocks.Block = {
        "type": "input",
        "block_id": block_id,
        "label": _plain(f"settings.label.{label}"),
        "element": {"action_id": ACTION, **element},
    }
    if element["type"] in ("checkboxes", "plain_text_input"):
        block["optional"] = True  # our own message explains an empty one
    if hint:
        block["hint"] = _plain(f"settings.hint.{hint}", **values)
    return block


def _time(block_id: str, label: str, value: str, hint: str | None = None) -> blocks.Block:
    return _input(block_id, label, {"type": "timepicker", "initial_time": value}, hint=hint)


def _day_options() -> list[dict[str, Any]]:
    return [
        {"text": _plain(f"settings.day.{name}", 75), "value": str(index)}
        for index, name in enumerate(DAY_NAMES)
    ]


def _day(block_id: str, label: str, day: int) -> blocks.Block:
    options = _day_options()
    element = {"type": "static_select", "options": options, "initial_option": options[day]}
    return _input(block_id, label, element)


def _days(mask: str) -> blocks.Block:
    options = _day_options()
    element: dict[str, Any] = {"type": "checkboxes", "options": options}
    chosen = [option for option, on in zip(options, mask, strict=True) if on == "1"]
    if chosen:
        element["initial_options"] = chosen
    return _input(WORK_DAYS, "work_days", element, hint="work_days")


def _number(key: str, value: int) -> blocks.Block:
    low, high = WORKSPACE_NUMBERS[key]
    element = {
        "type": "number_input",
        "is_decimal_allowed": False,
        "initial_value": str(value),
        "min_value": str(low),
        "max_value": str(high),
    }
    return _input(ws(key), key, element, hint="range", low=low, high=high)


def modal(shown: Current) -> dict[str, Any]:
    """The settings form, prefilled with the current values."""
    s = shown.schedule
    notes = [render("settings.local_times", tz=s.tz)]
    if s.nudges_snoozed(shown.now):
        until = s.nudges_snoozed_until.astimezone(s.zone)  # type: ignore[union-attr]
        notes.append(render("settings.snoozed", until=until.strftime("%a %-d %b")))
    tz_element: dict[str, Any] = {
        "type": "plain_text_input",
        "max_length": TZ_LIMIT,
        "placeholder": _plain("settings.tz_placeholder", 150),
    }
    if shown.tz_override:
        tz_element["initial_value"] = shown.tz_override
    body: list[blocks.Block] = [
        blocks.header(render("settings.personal_heading")),
        blocks.context(*notes),
        _time(CHECKIN_TIME, "checkin_time", hhmm(s.checkin_time)),
        _days(s.work_days),
        _time(WORK_START, "work_start", hhmm(s.work_start)),
        _time(WORK_END, "work_end", hhmm(s.work_end), hint="work_hours"),
        _input(TZ, "tz", tz_element, hint="tz", slack_tz=shown.slack_tz),
        _time(NUDGE_TIME, "nudge_time", hhmm(s.nudge_time), hint="managers"),
        _day(SUMMARY_DAY, "summary_day", s.summary_day),
        _time(SUMMARY_TIME, "summary_time", hhmm(s.summary_time), hint="managers"),
    ]
    if shown.workspace is not None:
        defaults = shown.workspace
        body += [
            blocks.divider(),
            blocks.header(render("settings.workspace_heading")),
            blocks.context(render("settings.workspace_note")),
            *[_number(key, int(defaults[key])) for key in WORKSPACE_NUMBERS],
            _time(ws("checkin_time"), "default_checkin_time", defaults["checkin_time"]),
            _time(ws("nudge_time"), "default_nudge_time", defaults["nudge_time"]),
            _day(ws("summary_day"), "default_summary_day", int(defaults["summary_day"])),
            _time(ws("summary_time"), "default_summary_time", defaults["summary_time"]),
        ]
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "title": _plain("settings.title", TITLE_LIMIT),
        "submit": _plain("settings.submit", TITLE_LIMIT),
        "close": _plain("settings.close", TITLE_LIMIT),
        "blocks": body,
    }


# --- reading a submission ---------------------------------------------------------------------


@dataclass(frozen=True)
class Personal:
    checkin_time: str  # "HH:MM"
    work_days: str  # Mon..Sun mask, at least one day
    work_start: str
    work_end: str
    tz_override: str | None  # None: use Slack's
    nudge_time: str
    summary_day: int  # 0 = Monday
    summary_time: str


@dataclass(frozen=True)
class Submission:
    personal: Personal | None  # None when any field has an error
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

    def zone(self, block_id: str) -> str | None:
        raw = str(self.field(block_id).get("value") or "").strip()
        if not raw:
            return None
        name = canonical_zone(raw)
        if name is None:
            self.errors[block_id] = render("settings.errors.zone")
        return name

    def number(self, block_id: str, low: int, high: int) -> int:
        raw = str(self.field(block_id).get("value") or "").strip()
        value = int(raw) if raw.lstrip("-").isdigit() else None
        if value is None or not low <= value <= high:
            self.errors[block_id] = render("settings.errors.number", low=low, high=high)
            return low
        return value


def read(values: dict[str, Any], *, is_admin: bool) -> Submission:
    """The submitted state (`view.state.values`) as settings, or what to fix."""
    reader = _Reader(values)
    personal = Personal(
        checkin_time=reader.time(CHECKIN_TIME),
        work_days=reader.days(WORK_DAYS),
        work_start=reader.time(WORK_START),
        work_end=reader.time(WORK_END),
        tz_override=reader.zone(TZ),
        nudge_time=reader.time(NUDGE_TIME),
        summary_day=reader.day(SUMMARY_DAY),
        summary_time=reader.time(SUMMARY_TIME),
    )
    if (
        personal.work_start
        and personal.work_end
        and personal.work_end <= personal.work_start  # "HH:MM" compares as times do
    ):
        reader.errors[WORK_END] = render("settings.errors.end_before_start")
    workspace = _read_workspace(reader, is_admin)
    if reader.errors:
        return Submission(None, None, reader.errors)
    return Submission(personal, workspace, {})


def _read_workspace(reader: _Reader, is_admin: bool) -> dict[str, Any] | None:
    sent = [key for key in WORKSPACE_KEYS if ws(key) in reader.values]
    if not sent:
        return None
    if not is_admin:  # a forged payload, or someone who stopped being an admin
        for key in sent:
            reader.errors[ws(key)] = render("settings.errors.admin_only")
        return None
    result: dict[str, Any] = {}
    for key, (low, high) in WORKSPACE_NUMBERS.items():
        result[key] = reader.number(ws(key), low, high)
    for key in WORKSPACE_TIMES:
        result[key] = reader.time(ws(key))
    for key in WORKSPACE_DAYS:
        result[key] = reader.day(ws(key))
    return result


# --- after saving -----------------------------------------------------------------------------


def saved_view(
    schedule: Schedule,
    next_checkin: datetime | None,
    *,
    has_manager: bool,
    workspace_changed: bool,
) -> dict[str, Any]:
    """What the modal turns into once saved: the new schedule in a few words."""
    if not has_manager:
        checkin = render("settings.saved.no_manager")
    elif schedule.checkins_off or next_checkin is None:
        checkin = render("settings.saved.checkins_off")
    else:
        local = next_checkin.astimezone(schedule.zone)
        checkin = render(
            "settings.saved.next_checkin", when=local.strftime("%a %-d %b, %H:%M"), tz=schedule.tz
        )
    lines = [render("settings.saved.done"), checkin]
    if workspace_changed:
        lines.append(render("settings.saved.workspace"))
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID + "_saved",
        "title": _plain("settings.saved.title", TITLE_LIMIT),
        "close": _plain("settings.saved.close", TITLE_LIMIT),
        "blocks": [blocks.section("\n".join(lines))],
    }
