"""The preferences form and what it turns into once saved: Block Kit layouts only.

Its fields and how a submission is read are in `bot.preferences.form`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot import blocks, days_off
from bot.preferences.form import (
    ACTION,
    CALLBACK_ID,
    CHECKIN_TIME,
    COUNTRY_LIMIT,
    DAYS_OFF_LIMIT,
    HOLIDAY_COUNTRY,
    NO_HOLIDAYS,
    NUDGE_TIME,
    SUMMARY_DAY,
    SUMMARY_TIME,
    SWITCH_ON,
    TZ,
    TZ_LIMIT,
    WORK_DAYS,
    WORK_END,
    WORK_START,
    WORKSPACE_NUMBERS,
    Prefill,
    workspace_field,
)
from bot.prompts import render
from bot.schedule import DAY_NAMES, Schedule, hhmm

TITLE_LIMIT = 24


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
    return _input(workspace_field(key), key, element, hint="range", low=low, high=high)


def _switch(key: str, on: bool) -> blocks.Block:
    option = {"text": _plain(f"settings.switch.{key}", 75), "value": SWITCH_ON}
    element: dict[str, Any] = {"type": "checkboxes", "options": [option]}
    if on:
        element["initial_options"] = [option]
    return _input(workspace_field(key), key, element, hint=key)


def _holidays(shown: Prefill) -> list[blocks.Block]:
    """Whose public holidays the person keeps: a country code, or none at all."""
    choice = shown.holiday_choice
    country: dict[str, Any] = {
        "type": "plain_text_input",
        "max_length": COUNTRY_LIMIT,
        "placeholder": _plain("settings.country_placeholder", 150),
    }
    if choice and choice != days_off.NONE:
        country["initial_value"] = choice
    hint = "country" if shown.zone_country else "country_unknown"
    option = {"text": _plain("settings.switch.no_public_holidays", 75), "value": SWITCH_ON}
    none: dict[str, Any] = {"type": "checkboxes", "options": [option]}
    if choice == days_off.NONE:
        none["initial_options"] = [option]
    return [
        _input(HOLIDAY_COUNTRY, "holiday_country", country, hint=hint, country=shown.zone_country),
        _input(NO_HOLIDAYS, "no_public_holidays", none),
    ]


def _company_days_off(days: list[str]) -> blocks.Block:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "multiline": True,
        "max_length": DAYS_OFF_LIMIT,
        "placeholder": _plain("settings.days_off_placeholder", 150),
    }
    if days:
        element["initial_value"] = "\n".join(sorted(str(day) for day in days))
    key = "company_days_off"
    return _input(workspace_field(key), key, element, hint=key)


def form_view(shown: Prefill) -> dict[str, Any]:
    """The preferences form, prefilled with what the person follows today."""
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
        *_holidays(shown),
    ]
    if shown.workspace is not None:
        defaults = shown.workspace
        body += [
            blocks.divider(),
            blocks.header(render("settings.workspace_heading")),
            blocks.context(render("settings.workspace_note")),
            *[_number(key, int(defaults[key])) for key in WORKSPACE_NUMBERS],
            _time(
                workspace_field("checkin_time"), "default_checkin_time", defaults["checkin_time"]
            ),
            _time(workspace_field("nudge_time"), "default_nudge_time", defaults["nudge_time"]),
            _day(
                workspace_field("summary_day"), "default_summary_day", int(defaults["summary_day"])
            ),
            _time(
                workspace_field("summary_time"), "default_summary_time", defaults["summary_time"]
            ),
            _switch("pulse", bool(defaults["pulse"])),
            _company_days_off(list(defaults["company_days_off"] or [])),
        ]
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "title": _plain("settings.title", TITLE_LIMIT),
        "submit": _plain("settings.submit", TITLE_LIMIT),
        "close": _plain("settings.close", TITLE_LIMIT),
        "blocks": body,
    }


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
