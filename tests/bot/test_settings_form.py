"""The settings modal: what it shows, and how a submission is read or refused."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from bot import settings_form, workspace_settings
from bot.schedule import Schedule
from bot.settings_form import Current, Personal, canonical_zone, read, ws
from devtools.forms import form_values
from devtools.harness import block_texts
from devtools.local_slack import validate_view

NOW = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
SCHEDULE = Schedule(
    tz="Asia/Kolkata",
    checkin_time=time(8, 45),
    work_days="0111110",
    work_start=time(8, 0),
    work_end=time(17, 0),
    nudge_time=time(9, 15),
    summary_day=3,
    summary_time=time(16, 0),
)


def shown(admin: bool = False, **kw) -> Current:
    defaults = workspace_settings.DEFAULTS if admin else None
    values = {
        "schedule": SCHEDULE,
        "tz_override": None,
        "slack_tz": "Asia/Kolkata",
        "workspace": defaults,
        "now": NOW,
        **kw,
    }
    return Current(**values)


def block_ids(view: dict) -> list[str]:
    return [b["block_id"] for b in view["blocks"] if b["type"] == "input"]


def submitted(admin: bool = False, **fields) -> dict:
    """The form as opened, with `fields` changed."""
    return form_values(settings_form.modal(shown(admin)), **fields)


# --- the form --------------------------------------------------------------------------------


def test_the_form_is_valid_and_prefilled_with_the_current_values():
    view = settings_form.modal(shown())
    assert validate_view(view) == []
    assert view["callback_id"] == settings_form.CALLBACK_ID
    values = read(submitted(), is_admin=False)
    assert values.errors == {}
    assert values.personal == Personal(
        checkin_time="08:45",
        work_days="0111110",
        work_start="08:00",
        work_end="17:00",
        tz_override=None,
        nudge_time="09:15",
        summary_day=3,
        summary_time="16:00",
    )
    assert values.workspace is None


def test_an_empty_time_zone_says_which_one_slack_gives_and_an_override_is_shown():
    [empty] = [
        b for b in settings_form.modal(shown())["blocks"] if b.get("block_id") == "tz_override"
    ]
    assert "your Slack time zone (Asia/Kolkata)" in empty["hint"]["text"]
    assert "initial_value" not in empty["element"]
    view = settings_form.modal(shown(tz_override="Europe/Berlin"))
    [tz] = [b for b in view["blocks"] if b.get("block_id") == settings_form.TZ]
    assert tz["element"]["initial_value"] == "Europe/Berlin"


def test_workspace_defaults_are_shown_to_admins_only():
    assert not any(b.startswith("ws_") for b in block_ids(settings_form.modal(shown())))
    admin_view = settings_form.modal(shown(admin=True))
    assert validate_view(admin_view) == []
    assert {ws(key) for key in settings_form.WORKSPACE_KEYS} <= set(block_ids(admin_view))
    assert len(admin_view["blocks"]) <= 100


def test_every_workspace_field_is_a_known_workspace_setting():
    assert set(settings_form.WORKSPACE_KEYS) <= set(workspace_settings.DEFAULTS)


def test_titles_and_buttons_fit_without_being_cut():
    for view in (
        settings_form.modal(shown()),
        settings_form.saved_view(SCHEDULE, NOW, has_manager=True, workspace_changed=True),
    ):
        for key in ("title", "submit", "close"):
            if key in view:
                assert not view[key]["text"].endswith("…"), view[key]


def test_a_snooze_is_mentioned():
    snoozed = Schedule(tz="UTC", nudges_snoozed_until=datetime(2026, 12, 7, tzinfo=UTC))
    view = settings_form.modal(shown(schedule=snoozed))
    assert "Nudges are paused until Mon 7 Dec" in " ".join(block_texts(view["blocks"]))


# --- reading a submission ------------------------------------------------------------------


def test_changed_values_are_read():
    values = read(
        submitted(
            checkin_time="10:15",
            work_days=["6", "0", "1", "2", "3"],
            tz_override="  europe/berlin ",
            summary_day="0",
        ),
        is_admin=False,
    )
    assert values.errors == {}
    assert values.personal is not None
    assert values.personal.checkin_time == "10:15"
    assert values.personal.work_days == "1111001"
    assert values.personal.tz_override == "Europe/Berlin"
    assert values.personal.summary_day == 0


@pytest.mark.parametrize(
    ("fields", "block", "says"),
    [
        ({"checkin_time": "25:00"}, "checkin_time", "Pick a time"),
        ({"nudge_time": None}, "nudge_time", "Pick a time"),
        ({"summary_time": "noonish"}, "summary_time", "Pick a time"),
        ({"work_days": []}, "work_days", "at least one working day"),
        ({"work_start": "18:00", "work_end": "09:00"}, "work_end", "end after it starts"),
        ({"work_start": "09:00", "work_end": "09:00"}, "work_end", "end after it starts"),
        ({"tz_override": "Mars/Olympus_Mons"}, "tz_override", "don't know that time zone"),
        ({"tz_override": "../../etc/passwd"}, "tz_override", "don't know that time zone"),
    ],
)
def test_each_bad_personal_field_gets_its_own_error_and_nothing_is_read(fields, block, says):
    values = read(submitted(**fields), is_admin=False)
    assert says in values.errors[block]
    assert values.personal is None and values.workspace is None


def test_a_forged_day_is_refused():
    values = submitted()
    values["summary_day"]["value"]["selected_option"] = {"value": "9"}
    values["work_days"]["value"]["selected_options"] = [{"value": "7"}]
    errors = read(values, is_admin=False).errors
    assert set(errors) == {"summary_day", "work_days"}


def test_all_errors_come_at_once():
    errors = read(
        submitted(checkin_time="nope", work_days=[], tz_override="Nowhere"), is_admin=False
    ).errors
    assert set(errors) == {"checkin_time", "work_days", "tz_override"}


def test_an_admin_sends_workspace_defaults():
    values = read(
        submitted(
            admin=True,
            ws_feedback_gap_days="10",
            ws_daily_nudge_cap="2",
            ws_checkin_time="10:00",
            ws_summary_day="0",
        ),
        is_admin=True,
    )
    assert values.errors == {}
    assert values.workspace == {
        **{key: workspace_settings.DEFAULTS[key] for key in settings_form.WORKSPACE_KEYS},
        "feedback_gap_days": 10,
        "daily_nudge_cap": 2,
        "checkin_time": "10:00",
        "summary_day": 0,
    }


@pytest.mark.parametrize(
    ("block", "value", "says"),
    [
        ("ws_feedback_gap_days", "0", "from 1 to 60"),
        ("ws_feedback_gap_days", "61", "from 1 to 60"),
        ("ws_stale_after_working_days", "1.5", "from 1 to 60"),
        ("ws_daily_nudge_cap", "21", "from 1 to 20"),
        ("ws_max_active_priorities", "-3", "from 1 to 20"),
        ("ws_max_active_priorities", None, "from 1 to 20"),
        ("ws_nudge_time", "7pm-ish", "Pick a time"),
    ],
)
def test_out_of_range_workspace_numbers_and_bad_times_are_refused(block, value, says):
    values = read(submitted(admin=True, **{block: value}), is_admin=True)
    assert says in values.errors[block]
    assert values.workspace is None and values.personal is None


def test_workspace_fields_from_someone_who_is_not_an_admin_are_refused():
    forged = submitted(admin=True, ws_daily_nudge_cap="20")
    values = read(forged, is_admin=False)
    assert values.personal is None and values.workspace is None
    assert set(values.errors) == {ws(key) for key in settings_form.WORKSPACE_KEYS}
    assert "Only workspace admins" in values.errors["ws_daily_nudge_cap"]


def test_time_zone_names_are_checked_with_zoneinfo():
    assert canonical_zone("America/New_York") == "America/New_York"
    assert canonical_zone("asia/KOLKATA") == "Asia/Kolkata"
    assert canonical_zone("UTC") == "UTC"
    assert canonical_zone("") is None
    assert canonical_zone("Europe/Atlantis") is None
    assert canonical_zone("x" * 100) is None


def test_the_saved_view_names_the_next_check_in_in_local_time():
    view = settings_form.saved_view(
        SCHEDULE,
        datetime(2026, 12, 1, 3, 15, tzinfo=UTC),
        has_manager=True,
        workspace_changed=False,
    )
    assert validate_view(view) == []
    text = " ".join(block_texts(view["blocks"]))
    assert "Your next check-in: Tue 1 Dec, 08:45 (Asia/Kolkata)" in text
    assert "Workspace defaults" not in text
    alone = settings_form.saved_view(SCHEDULE, None, has_manager=False, workspace_changed=True)
    assert "once your manager adds you" in " ".join(block_texts(alone["blocks"]))
    assert "Workspace defaults updated" in " ".join(block_texts(alone["blocks"]))
