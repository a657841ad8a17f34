"""The settings modal end to end: open, submit, reopen, and the schedule that follows."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.models import PersonSettings, Workspace
from devtools.cast import MAYA, RAVI, SAM
from devtools.forms import form_values
from devtools.harness import Sprout, block_texts
from devtools.local_slack import LocalSlack


def m(person) -> str:
    return f"<@{person.user_id}|{person.name.lower()}>"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def open_settings(sprout: Sprout, slack: LocalSlack, person) -> dict:
    sprout.command(person.user_id, "/coach", "settings")
    opened = slack.views[-1]
    assert opened.kind == "open" and opened.view["callback_id"] == "settings_form"
    return opened.view


def submit(sprout: Sprout, slack: LocalSlack, person, **fields) -> dict:
    """Open the settings, change `fields`, submit; returns Bolt's answer to Slack."""
    view = open_settings(sprout, slack, person)
    reply = sprout.submit(person.user_id, view, form_values(view, **fields))
    assert reply.status == 200
    return json.loads(reply.body or b"{}")


def initial(view: dict, block_id: str):
    [block] = [b for b in view["blocks"] if b.get("block_id") == block_id]
    element = block["element"]
    return (
        element.get("initial_time")
        or element.get("initial_value")
        or element.get("initial_option", {}).get("value")
        or [o["value"] for o in element.get("initial_options", [])]
    )


def own_settings(sprout: Sprout, person) -> PersonSettings | None:
    with sprout.services.sessions() as session:
        return session.get(PersonSettings, (sprout.team_id, person.user_id))


def checkins_sent(result, person) -> int:
    return sum(
        r.recipient_id == person.user_id and r.kind == "checkin" for r in result.delivery.sent
    )


@pytest.fixture
def team(sprout: Sprout) -> Sprout:
    """Maya (New York, a workspace admin) added Ravi (Kolkata) on Monday 30 November; he
    has a priority, so he gets daily check-ins."""
    sprout.command(MAYA.user_id, "/team", f"add {m(RAVI)}")
    sprout.command(RAVI.user_id, "/priority", "add Ship the billing page")
    return sprout


def test_coach_settings_opens_the_form_prefilled_with_the_current_values(team, slack):
    view = open_settings(team, slack, RAVI)
    assert initial(view, "checkin_time") == "09:30"
    assert initial(view, "work_days") == ["0", "1", "2", "3", "4"]
    assert (initial(view, "work_start"), initial(view, "work_end")) == ("09:00", "18:00")
    assert initial(view, "summary_day") == "4"
    assert "Times are your local time (Asia/Kolkata)" in " ".join(block_texts(view["blocks"]))


def test_settings_round_trip_and_the_schedule_uses_them(team: Sprout, slack: LocalSlack):
    answer = submit(team, slack, RAVI, checkin_time="11:15", work_days=[str(d) for d in range(7)])

    assert answer["response_action"] == "update"
    saved = " ".join(block_texts(answer["view"]["blocks"]))
    assert "Your next check-in: Tue 1 Dec, 11:15 (Asia/Kolkata)" in saved
    reopened = open_settings(team, slack, RAVI)
    assert initial(reopened, "checkin_time") == "11:15"
    assert initial(reopened, "work_days") == [str(d) for d in range(7)]
    assert checkins_sent(team.tick(utc(2026, 12, 1, 4, 0)), RAVI) == 0  # the old 09:30
    assert checkins_sent(team.tick(utc(2026, 12, 1, 5, 44)), RAVI) == 0  # 11:14
    assert checkins_sent(team.tick(utc(2026, 12, 1, 5, 45)), RAVI) == 1  # 11:15
    assert checkins_sent(team.tick(utc(2026, 12, 5, 5, 45)), RAVI) == 1  # and on Saturday


def test_untouched_fields_keep_following_the_workspace_defaults(team, slack):
    submit(team, slack, RAVI, checkin_time="10:00")
    row = own_settings(team, RAVI)
    assert row is not None and row.checkin_time == "10:00"
    assert (row.work_days, row.work_start, row.nudge_time, row.tz_override) == (
        None,
        None,
        None,
        None,
    )


def test_a_time_zone_override_moves_the_check_in_and_empty_goes_back_to_slacks(team, slack):
    answer = submit(team, slack, RAVI, tz_override="Europe/Berlin")
    assert "09:30 (Europe/Berlin)" in " ".join(block_texts(answer["view"]["blocks"]))
    assert checkins_sent(team.tick(utc(2026, 12, 1, 4, 0)), RAVI) == 0  # 09:30 in Kolkata
    assert checkins_sent(team.tick(utc(2026, 12, 1, 8, 30)), RAVI) == 1  # 09:30 in Berlin
    assert initial(open_settings(team, slack, RAVI), "tz_override") == "Europe/Berlin"

    submit(team, slack, RAVI, tz_override=None)
    assert own_settings(team, RAVI).tz_override is None


@pytest.mark.parametrize(
    ("fields", "block"),
    [
        ({"checkin_time": "24:30"}, "checkin_time"),
        ({"work_days": []}, "work_days"),
        ({"work_start": "17:00", "work_end": "08:00"}, "work_end"),
        ({"tz_override": "Moon/Tranquility_Base"}, "tz_override"),
    ],
)
def test_a_bad_field_answers_with_an_inline_error_and_nothing_is_saved(team, slack, fields, block):
    answer = submit(team, slack, RAVI, summary_time="11:00", **fields)
    assert answer["response_action"] == "errors"
    assert list(answer["errors"]) == [block]
    row = own_settings(team, RAVI)
    assert row is None or (row.summary_time, row.tz_override) == (None, None)


def test_only_admins_see_workspace_defaults(team, slack):
    ravi = [b.get("block_id", "") for b in open_settings(team, slack, RAVI)["blocks"]]
    maya = [b.get("block_id", "") for b in open_settings(team, slack, MAYA)["blocks"]]
    assert not any(b.startswith("ws_") for b in ravi)
    assert "ws_feedback_gap_days" in maya and "ws_checkin_time" in maya


def test_an_admin_changes_workspace_defaults_and_everyone_following_them_moves(team, slack):
    answer = submit(team, slack, MAYA, ws_feedback_gap_days="10", ws_checkin_time="10:30")

    assert answer["response_action"] == "update"
    assert "Workspace defaults updated" in " ".join(block_texts(answer["view"]["blocks"]))
    with team.services.sessions() as session:
        workspace = session.get(Workspace, team.team_id)
        assert workspace.settings == {
            "team_consent": "trust",  # where the test deployment starts each workspace
            "feedback_gap_days": 10,
            "checkin_time": "10:30",
        }
    assert own_settings(team, MAYA).checkin_time is None  # she still follows the default
    assert initial(open_settings(team, slack, RAVI), "checkin_time") == "10:30"
    assert checkins_sent(team.tick(utc(2026, 12, 1, 4, 0)), RAVI) == 0  # the old 09:30
    assert checkins_sent(team.tick(utc(2026, 12, 1, 5, 0)), RAVI) == 1  # 10:30 in Kolkata


def test_an_admin_gets_errors_for_out_of_range_defaults(team, slack):
    answer = submit(team, slack, MAYA, ws_daily_nudge_cap="50", ws_max_active_priorities="0")
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"ws_daily_nudge_cap", "ws_max_active_priorities"}
    with team.services.sessions() as session:
        assert session.get(Workspace, team.team_id).settings == {"team_consent": "trust"}


def test_a_forged_workspace_field_from_a_non_admin_is_refused(team, slack):
    admin_view = open_settings(team, slack, MAYA)
    forged = form_values(admin_view, ws_daily_nudge_cap="20", checkin_time="07:00")
    reply = team.submit(RAVI.user_id, admin_view, forged)

    answer = json.loads(reply.body)
    assert answer["response_action"] == "errors"
    assert "Only workspace admins" in answer["errors"]["ws_daily_nudge_cap"]
    with team.services.sessions() as session:
        assert session.get(Workspace, team.team_id).settings == {"team_consent": "trust"}
    assert own_settings(team, RAVI) is None or own_settings(team, RAVI).checkin_time is None


def test_the_form_opens_from_home_and_saving_refreshes_home(team, slack):
    team.event({"type": "app_home_opened", "user": RAVI.user_id, "tab": "home"})
    team.click_in_view(RAVI.user_id, slack.home_of(RAVI.user_id), "home_open_settings")
    view = slack.views[-1].view
    assert view["callback_id"] == "settings_form"

    team.submit(RAVI.user_id, view, form_values(view, checkin_time="10:45"))
    home = " ".join(block_texts(slack.home_of(RAVI.user_id)["blocks"]))
    assert "Daily check-in: 10:45 on Mon-Fri" in home


def test_a_check_in_time_outside_working_hours_gets_an_inline_error(team, slack):
    answer = submit(team, slack, RAVI, checkin_time="08:45")  # his day is 09:00-18:00
    assert answer["response_action"] == "errors"
    assert list(answer["errors"]) == ["checkin_time"]
    assert "from 09:00 to before 18:00" in answer["errors"]["checkin_time"]
    assert submit(team, slack, RAVI, checkin_time="18:00")["response_action"] == "errors"
    row = own_settings(team, RAVI)
    assert row is None or row.checkin_time is None  # nothing saved

    answer = submit(team, slack, RAVI, checkin_time="08:45", work_start="08:30")
    assert answer["response_action"] == "update"  # an earlier day makes room for it
    assert own_settings(team, RAVI).checkin_time == "08:45"
    assert checkins_sent(team.tick(utc(2026, 12, 1, 3, 15)), RAVI) == 1  # 08:45 in Kolkata


def test_a_manager_moving_their_digest_time_gets_it_then(team, slack):
    team.set_time(utc(2026, 12, 7, 12, 0))  # a week on: Ravi is due some feedback
    submit(team, slack, MAYA, nudge_time="11:30")
    with team.services.sessions() as session:
        row = session.get(PersonSettings, (team.team_id, MAYA.user_id))
        assert row.next_digest_at == utc(2026, 12, 7, 16, 30)  # 11:30 in New York


def test_a_manager_gets_an_inline_error_for_a_summary_after_their_working_day(team, slack):
    answer = submit(team, slack, MAYA, summary_time="18:30")  # her day is 09:00-18:00
    assert answer["response_action"] == "errors"
    assert list(answer["errors"]) == ["summary_time"]
    assert "weekly summary comes within your working hours" in answer["errors"]["summary_time"]

    # Ravi manages nobody: the same time is his to keep, and he gets no summary anyway.
    assert submit(team, slack, RAVI, summary_time="18:30")["response_action"] == "update"


def test_someone_without_a_team_is_told_when_check_ins_start(sprout, slack):
    answer = submit(sprout, slack, SAM, checkin_time="10:00")
    assert "once your manager adds you" in " ".join(block_texts(answer["view"]["blocks"]))


def test_a_person_picks_whose_public_holidays_they_keep_or_none(team, slack):
    form = open_settings(team, slack, RAVI)
    [hint] = [b["hint"]["text"] for b in form["blocks"] if b.get("block_id") == "holiday_country"]
    assert "those of IN (from your time zone)" in hint

    submit(team, slack, RAVI, no_public_holidays=["on"])
    assert own_settings(team, RAVI).holiday_country == "none"
    assert initial(open_settings(team, slack, RAVI), "no_public_holidays") == ["on"]
    assert checkins_sent(team.tick(utc(2026, 12, 25, 4, 0)), RAVI) == 1  # Christmas, working

    submit(team, slack, RAVI, holiday_country=" gb ", no_public_holidays=[])
    assert own_settings(team, RAVI).holiday_country == "GB"
    assert initial(open_settings(team, slack, RAVI), "holiday_country") == "GB"
    assert checkins_sent(team.tick(utc(2026, 12, 28, 4, 0)), RAVI) == 0  # Boxing Day (observed)
    assert checkins_sent(team.tick(utc(2026, 12, 29, 4, 0)), RAVI) == 1

    submit(team, slack, RAVI, holiday_country=None)
    assert own_settings(team, RAVI).holiday_country is None  # his time zone's again


def test_an_unknown_holiday_country_gets_an_inline_error_and_nothing_is_saved(team, slack):
    answer = submit(team, slack, RAVI, holiday_country="Narnia", checkin_time="10:00")
    assert answer["response_action"] == "errors"
    assert list(answer["errors"]) == ["holiday_country"]
    assert "public holidays of “Narnia”" in answer["errors"]["holiday_country"]
    row = own_settings(team, RAVI)
    assert row is None or (row.checkin_time, row.holiday_country) == (None, None)


def test_an_admin_lists_company_days_off_and_nothing_comes_on_them(team, slack):
    assert "ws_company_days_off" not in [
        b.get("block_id") for b in open_settings(team, slack, RAVI)["blocks"]
    ]
    answer = submit(team, slack, MAYA, ws_company_days_off="2026-12-24\n2026-12-02, 2026-12-02")
    assert answer["response_action"] == "update"
    with team.services.sessions() as session:
        days = session.get(Workspace, team.team_id).settings["company_days_off"]
    assert days == ["2026-12-02", "2026-12-24"]
    assert initial(open_settings(team, slack, MAYA), "ws_company_days_off") == (
        "2026-12-02\n2026-12-24"
    )
    assert checkins_sent(team.tick(utc(2026, 12, 2, 4, 0)), RAVI) == 0
    assert checkins_sent(team.tick(utc(2026, 12, 3, 4, 0)), RAVI) == 1


@pytest.mark.parametrize("text", ["24/12/2026", "2026-02-30", "2026-12-24 tomorrow"])
def test_a_bad_company_day_off_gets_an_inline_error_and_nothing_is_saved(team, slack, text):
    answer = submit(team, slack, MAYA, ws_company_days_off=text, ws_feedback_gap_days="10")
    assert answer["response_action"] == "errors"
    assert list(answer["errors"]) == ["ws_company_days_off"]
    assert "as a date" in answer["errors"]["ws_company_days_off"]
    with team.services.sessions() as session:
        assert session.get(Workspace, team.team_id).settings == {"team_consent": "trust"}
