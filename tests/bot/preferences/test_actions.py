"""Opening and saving the preferences form, following new defaults, snoozing nudges."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.models import PersonSettings, Workspace
from bot.preferences import actions
from bot.preferences.actions import FormAnswer
from bot.refusal import Refusal
from devtools.cast import MAYA, RAVI
from devtools.forms import form_values
from devtools.harness import block_texts


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def field_ids(view: dict) -> list[str]:
    return [b["block_id"] for b in view["blocks"] if b["type"] == "input"]


def saved(act, person, **fields) -> FormAnswer:
    """`person` opens the form, changes `fields` and saves it."""
    view = act(actions.open_form, person).value
    return act(actions.save_form, person, form_values(view, **fields)).value


def own_row(cast_sessions, person) -> PersonSettings | None:
    with cast_sessions() as session:
        return session.get(PersonSettings, ("T0SPROUT", person.user_id))


def workspace_changes(cast_sessions) -> dict | None:
    """What admins changed in the workspace's defaults (beyond how it was set up)."""
    with cast_sessions() as session:
        workspace = session.get(Workspace, "T0SPROUT")
        changed = dict(workspace.settings or {}) if workspace is not None else {}
    changed.pop("team_consent", None)  # the cast's workspace starts with trust
    return changed or None


def test_the_form_shows_workspace_defaults_to_admins_only(act):
    assert not any(f.startswith("ws_") for f in field_ids(act(actions.open_form, RAVI).value))
    assert "ws_daily_nudge_cap" in field_ids(act(actions.open_form, MAYA).value)


def test_saving_keeps_only_what_changed_and_names_the_next_check_in(act, build_team, cast_sessions):
    build_team(MAYA, RAVI)
    answer = saved(act, RAVI, checkin_time="11:15")

    assert answer.errors == {} and not answer.workspace_changed
    assert "Your next check-in: Tue 1 Dec, 11:15 (Asia/Kolkata)" in " ".join(
        block_texts(answer.view["blocks"])
    )
    row = own_row(cast_sessions, RAVI)
    assert (row.checkin_time, row.work_days, row.nudge_time) == ("11:15", None, None)
    assert row.next_checkin_at == utc(2026, 12, 1, 5, 45)


def test_workspace_fields_from_someone_not_an_admin_are_refused_and_nothing_is_saved(
    act, cast_sessions
):
    admins_form = act(actions.open_form, MAYA).value
    forged = form_values(admins_form, ws_daily_nudge_cap="20", checkin_time="07:00")
    outcome = act(actions.save_form, RAVI, forged)

    assert outcome.refused
    assert "Only workspace admins" in outcome.value.errors["ws_daily_nudge_cap"]
    assert workspace_changes(cast_sessions) is None
    assert own_row(cast_sessions, RAVI) is None


def test_an_admins_new_defaults_are_kept_and_everyone_follows_them(act, build_team, cast_sessions):
    build_team(MAYA, RAVI)
    answer = saved(act, MAYA, ws_checkin_time="10:30")
    assert answer.workspace_changed
    assert workspace_changes(cast_sessions) == {"checkin_time": "10:30"}

    act(actions.follow_new_defaults, MAYA)
    assert own_row(cast_sessions, RAVI).next_checkin_at == utc(2026, 12, 1, 5, 0)  # 10:30 Kolkata


def test_only_an_admin_moves_everyone_to_new_defaults(act):
    with pytest.raises(Refusal) as refused:
        act(actions.follow_new_defaults, RAVI)
    assert "Only workspace admins" in refused.value.render()


def test_snoozing_nudges_pauses_them_until_the_day_after_and_off_brings_them_back(
    act, cast_sessions
):
    assert "Nudges paused until Thu 3 Dec" in act(actions.snooze_nudges, MAYA, "3d").text
    assert own_row(cast_sessions, MAYA).nudges_snoozed_until == utc(2026, 12, 3, 5, 0)

    assert act(actions.snooze_nudges, MAYA, "off").text == "Nudges are back on."
    assert own_row(cast_sessions, MAYA).nudges_snoozed_until is None


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("forever", "`/coach snooze 1w`"),
        ("900d", "over a year"),
        ("until someday", "couldn't read “someday”"),
    ],
)
def test_a_snooze_that_cannot_be_read_is_refused_in_coachs_words(act, text, says):
    with pytest.raises(Refusal) as refused:
        act(actions.snooze_nudges, MAYA, text)
    assert says in refused.value.render()
