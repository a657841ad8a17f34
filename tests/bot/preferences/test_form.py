"""The preferences form: how a submission is read, or refused field by field."""

from __future__ import annotations

import pytest

from bot.preferences.form import WORKSPACE_KEYS, canonical_zone, read, workspace_field
from bot.preferences.views import form_view
from bot.preferences.workspace import BUILT_IN_DEFAULTS
from devtools.forms import form_values
from tests.bot.preferences.sample import prefill


def submitted(admin: bool = False, **fields) -> dict:
    """The form as opened, with `fields` changed."""
    return form_values(form_view(prefill(admin)), **fields)


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
    assert values.person is not None
    assert values.person.checkin_time == "10:15"
    assert values.person.work_days == "1111001"
    assert values.person.tz_override == "Europe/Berlin"
    assert values.person.summary_day == 0


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
    assert values.person is None and values.workspace is None


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


def test_a_check_in_time_outside_the_working_hours_beside_it_is_refused():
    late = read(submitted(checkin_time="17:00", work_end="17:00"), is_admin=False)
    assert "from 08:00 to before 17:00" in late.errors["checkin_time"]
    assert late.person is None
    early = read(submitted(checkin_time="07:59"), is_admin=False)
    assert set(early.errors) == {"checkin_time"}
    assert read(submitted(checkin_time="08:00"), is_admin=False).errors == {}


def test_a_managers_digest_and_summary_outside_their_working_hours_are_refused():
    late = read(
        submitted(nudge_time="07:30", summary_time="17:00", work_end="17:00"),
        is_admin=False,
        manages=True,
    )
    assert set(late.errors) == {"nudge_time", "summary_time"}
    assert "digest comes within your working hours" in late.errors["nudge_time"]
    assert "from 08:00 to before 17:00" in late.errors["summary_time"]
    assert late.person is None
    within = read(submitted(nudge_time="08:00", summary_time="16:59"), is_admin=False, manages=True)
    assert within.errors == {}


def test_someone_who_manages_nobody_is_not_made_to_move_a_digest_they_never_get():
    read_back = read(submitted(nudge_time="07:30", summary_time="19:00"), is_admin=False)
    assert read_back.errors == {}
    assert read_back.person is not None and read_back.person.summary_time == "19:00"


def test_workspace_defaults_outside_the_default_working_hours_are_refused():
    values = read(
        submitted(admin=True, ws_nudge_time="08:30", ws_summary_time="18:00"), is_admin=True
    )
    assert set(values.errors) == {"ws_nudge_time", "ws_summary_time"}
    assert "from 09:00 to before 18:00" in values.errors["ws_summary_time"]


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
        **{key: BUILT_IN_DEFAULTS[key] for key in WORKSPACE_KEYS},
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
        ("ws_checkin_time", "08:30", "from 09:00 to before 18:00"),  # the default hours
    ],
)
def test_out_of_range_workspace_numbers_and_bad_times_are_refused(block, value, says):
    values = read(submitted(admin=True, **{block: value}), is_admin=True)
    assert says in values.errors[block]
    assert values.workspace is None and values.person is None


def test_workspace_fields_from_someone_who_is_not_an_admin_are_refused():
    forged = submitted(admin=True, ws_daily_nudge_cap="20")
    values = read(forged, is_admin=False)
    assert values.person is None and values.workspace is None
    assert set(values.errors) == {workspace_field(key) for key in WORKSPACE_KEYS}
    assert "Only workspace admins" in values.errors["ws_daily_nudge_cap"]


def test_time_zone_names_are_checked_with_zoneinfo():
    assert canonical_zone("America/New_York") == "America/New_York"
    assert canonical_zone("asia/KOLKATA") == "Asia/Kolkata"
    assert canonical_zone("UTC") == "UTC"
    assert canonical_zone("") is None
    assert canonical_zone("Europe/Atlantis") is None
    assert canonical_zone("x" * 100) is None


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, None),
        ({"holiday_country": "de"}, "DE"),
        ({"holiday_country": "DE", "no_public_holidays": ["on"]}, "none"),
    ],
)
def test_whose_public_holidays_is_read(fields, expected):
    values = read(submitted(**fields), is_admin=False)
    assert values.errors == {}
    assert values.person is not None and values.person.holiday_country == expected


@pytest.mark.parametrize("text", ["XX", "Germany", "D E"])
def test_an_unknown_country_is_refused(text):
    values = read(submitted(holiday_country=text), is_admin=False)
    assert "public holidays of" in values.errors["holiday_country"]
    assert values.person is None


def test_company_days_off_are_read_sorted_once_and_bad_dates_refused():
    good = read(
        submitted(admin=True, ws_company_days_off="2026-12-31, 2026-01-01\n"), is_admin=True
    )
    assert good.workspace is not None
    assert good.workspace["company_days_off"] == ["2026-01-01", "2026-12-31"]
    bad = read(submitted(admin=True, ws_company_days_off="2026-13-01"), is_admin=True)
    assert "“2026-13-01” as a date" in bad.errors["ws_company_days_off"]
