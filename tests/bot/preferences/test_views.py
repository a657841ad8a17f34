"""The preferences form as Slack shows it: prefilled, valid, admins' part, and once saved."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.preferences import form
from bot.preferences.form import workspace_field
from bot.preferences.person import Choices
from bot.preferences.views import form_view, saved_view
from bot.preferences.workspace import BUILT_IN_DEFAULTS
from bot.schedule import Schedule
from devtools.forms import form_values
from devtools.harness import block_texts
from devtools.local_slack import validate_view
from tests.bot.preferences.sample import NOW, SCHEDULE, prefill


def block_ids(view: dict) -> list[str]:
    return [b["block_id"] for b in view["blocks"] if b["type"] == "input"]


def test_the_form_is_valid_and_prefilled_with_the_current_values():
    view = form_view(prefill())
    assert validate_view(view) == []
    assert view["callback_id"] == form.CALLBACK_ID
    values = form.read(form_values(view), is_admin=False)
    assert values.errors == {}
    assert values.person == Choices(
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


def test_an_empty_time_zone_says_which_one_slack_gives_and_an_override_is_prefill():
    [empty] = [b for b in form_view(prefill())["blocks"] if b.get("block_id") == "tz_override"]
    assert "your Slack time zone (Asia/Kolkata)" in empty["hint"]["text"]
    assert "initial_value" not in empty["element"]
    view = form_view(prefill(tz_override="Europe/Berlin"))
    [tz] = [b for b in view["blocks"] if b.get("block_id") == form.TZ]
    assert tz["element"]["initial_value"] == "Europe/Berlin"


def test_workspace_defaults_are_shown_to_admins_only():
    assert not any(b.startswith("ws_") for b in block_ids(form_view(prefill())))
    admin_view = form_view(prefill(admin=True))
    assert validate_view(admin_view) == []
    assert {workspace_field(key) for key in form.WORKSPACE_KEYS} <= set(block_ids(admin_view))
    assert len(admin_view["blocks"]) <= 100


def test_every_workspace_field_is_a_known_workspace_setting():
    assert set(form.WORKSPACE_KEYS) <= set(BUILT_IN_DEFAULTS)


def test_titles_and_buttons_fit_without_being_cut():
    for view in (
        form_view(prefill()),
        saved_view(SCHEDULE, NOW, has_manager=True, workspace_changed=True),
    ):
        for key in ("title", "submit", "close"):
            if key in view:
                assert not view[key]["text"].endswith("…"), view[key]


def test_a_snooze_is_mentioned():
    snoozed = Schedule(tz="UTC", nudges_snoozed_until=datetime(2026, 12, 7, tzinfo=UTC))
    view = form_view(prefill(schedule=snoozed))
    assert "Nudges are paused until Mon 7 Dec" in " ".join(block_texts(view["blocks"]))


def test_the_saved_view_names_the_next_check_in_in_local_time():
    view = saved_view(
        SCHEDULE,
        datetime(2026, 12, 1, 3, 15, tzinfo=UTC),
        has_manager=True,
        workspace_changed=False,
    )
    assert validate_view(view) == []
    text = " ".join(block_texts(view["blocks"]))
    assert "Your next check-in: Tue 1 Dec, 08:45 (Asia/Kolkata)" in text
    assert "Workspace defaults" not in text
    alone = saved_view(SCHEDULE, None, has_manager=False, workspace_changed=True)
    assert "once your manager adds you" in " ".join(block_texts(alone["blocks"]))
    assert "Workspace defaults updated" in " ".join(block_texts(alone["blocks"]))
