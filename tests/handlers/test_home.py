"""The Home tab end to end: published on open, kept fresh after changes, its buttons."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.models import CoachingEvent, PersonSettings, Priority
from devtools.cast import ANA, MAYA, OMAR, RAVI, SAM
from devtools.harness import Sprout, block_texts, buttons, same_moment
from devtools.local_slack import LocalSlack


def m(person) -> str:
    return f"<@{person.user_id}|{person.name.lower()}>"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def open_home(sprout: Sprout, person, tab: str = "home") -> None:
    sprout.event({"type": "app_home_opened", "user": person.user_id, "tab": tab})


def home_text(slack: LocalSlack, person) -> str:
    view = slack.home_of(person.user_id)
    return " ".join(block_texts(view["blocks"])) if view else ""


def publishes_for(slack: LocalSlack, person) -> int:
    return sum(v.kind == "publish" and v.user_id == person.user_id for v in slack.views)


@pytest.fixture
def team(sprout: Sprout) -> Sprout:
    """Maya manages Ravi and Ana; Ravi has a priority; Maya and Ravi have opened Home."""
    sprout.command(MAYA.user_id, "/team", f"add {m(RAVI)} {m(ANA)}")
    sprout.command(RAVI.user_id, "/priority", "add Ship the billing page")
    open_home(sprout, MAYA)
    open_home(sprout, RAVI)
    return sprout


# --- publishing -------------------------------------------------------------------------------


def test_opening_home_publishes_it_and_remembers_it_was_opened(sprout: Sprout, slack):
    opened = sprout.now()
    open_home(sprout, SAM)

    assert "Welcome to Sprout" in home_text(slack, SAM)
    with sprout.services.sessions() as session:
        row = session.get(PersonSettings, (sprout.team_id, SAM.user_id))
        assert same_moment(row.home_opened_at, opened)


def test_the_messages_tab_publishes_nothing(sprout: Sprout, slack):
    open_home(sprout, SAM, tab="messages")
    assert slack.home_of(SAM.user_id) is None


def test_the_home_tab_renders_for_manager_member_and_newcomer(team: Sprout, slack):
    open_home(team, SAM)
    maya, ravi, sam = home_text(slack, MAYA), home_text(slack, RAVI), home_text(slack, SAM)

    assert "Your team (2)" in maya and f"<@{RAVI.user_id}> · no feedback from you yet" in maya
    assert "Your priorities" in ravi and "*1. Ship the billing page*" in ravi
    assert "Your team" not in ravi
    assert "Welcome to Sprout" in sam and "/team add @name" in sam


def test_the_managers_home_offers_feedback_prefilled_with_the_person(team: Sprout, slack):
    view = slack.home_of(MAYA.user_id)
    values = [
        json.loads(e["value"]) for _, e in buttons(view["blocks"]) if "person" in e.get("value", "")
    ]
    assert {v["person"] for v in values} == {RAVI.user_id, ANA.user_id}
    assert {e["action_id"] for _, e in buttons(view["blocks"])} >= {"nudge_give_feedback"}


def test_someone_who_never_opened_home_gets_nothing_published(sprout: Sprout, slack):
    sprout.command(MAYA.user_id, "/team", f"add {m(RAVI)}")
    sprout.command(RAVI.user_id, "/priority", "add Ship it")
    assert slack.calls_to("views.publish") == []


# --- kept fresh -------------------------------------------------------------------------------


def test_home_follows_team_changes_for_the_manager_and_the_report(team: Sprout, slack):
    open_home(team, SAM)
    team.command(MAYA.user_id, "/team", f"add {m(SAM)}")
    assert "Your team (3)" in home_text(slack, MAYA)
    assert "Welcome to Sprout" not in home_text(slack, SAM)

    welcome = [x for x in slack.dms_to(SAM.user_id) if "added you" in x.text][-1]
    team.click(SAM.user_id, welcome, "team_not_right")
    assert "Your team (2)" in home_text(slack, MAYA)
    assert "Welcome to Sprout" in home_text(slack, SAM)

    team.command(MAYA.user_id, "/team", f"remove {m(ANA)}")
    assert "Your team (1)" in home_text(slack, MAYA)


def test_done_on_home_finishes_the_priority_and_refreshes_both_homes(team: Sprout, slack):
    team.click_in_view(RAVI.user_id, slack.home_of(RAVI.user_id), "home_priority_done")

    with team.services.sessions() as session:
        assert session.query(Priority).one().state == "done"
    ravi = slack.home_of(RAVI.user_id)
    assert "Ship the billing page" in ravi["blocks"][0]["elements"][0]["text"]  # the notice
    assert "*1. Ship the billing page*" not in home_text(slack, RAVI)
    assert f"<@{RAVI.user_id}> · no feedback from you yet · no priorities yet" in home_text(
        slack, MAYA
    )


def test_status_on_home_sets_the_health_and_tells_the_manager(team: Sprout, slack):
    home = slack.home_of(RAVI.user_id)
    [(_, select)] = [
        (b, e) for b, e in buttons(home["blocks"]) if e["action_id"] == "home_priority_status"
    ]
    blocked = next(o for o in select["options"] if o["value"].endswith(":blocked"))
    team.click_in_view(
        RAVI.user_id, home, "home_priority_status", selected={"selected_option": blocked}
    )

    with team.services.sessions() as session:
        assert session.query(Priority).one().health == "blocked"
        assert session.query(CoachingEvent).filter_by(kind="blocker").count() == 1
    assert ":no_entry: blocked" in home_text(slack, RAVI)
    assert "1 active, 1 blocked" in home_text(slack, MAYA)


def test_a_click_on_someone_elses_priority_changes_nothing(team: Sprout, slack):
    open_home(team, SAM)
    team.click_in_view(SAM.user_id, slack.home_of(RAVI.user_id), "home_priority_done")

    with team.services.sessions() as session:
        assert session.query(Priority).one().state == "active"
    assert "isn't yours" in home_text(slack, SAM)


def test_a_home_button_whose_value_names_someone_elses_priority_changes_nothing(
    team: Sprout, slack
):
    team.command(ANA.user_id, "/priority", "add Ana's own")
    home = slack.home_of(RAVI.user_id)
    with team.services.sessions() as session:
        anas = session.query(Priority).filter_by(owner_id=ANA.user_id).one()
    blocked = {"selected_option": {"value": f"{anas.id}:blocked"}}

    team.click_in_view(RAVI.user_id, home, "home_priority_done", selected={"value": str(anas.id)})
    assert "isn't yours" in slack.home_of(RAVI.user_id)["blocks"][0]["elements"][0]["text"]
    team.click_in_view(RAVI.user_id, home, "home_priority_status", selected=blocked)

    with team.services.sessions() as session:
        states = {p.title: (p.state, p.health) for p in session.query(Priority)}
        events = session.query(CoachingEvent).filter_by(kind="blocker").count()
    assert states == {"Ship the billing page": ("active", None), "Ana's own": ("active", None)}
    assert events == 0
    ravi = home_text(slack, RAVI)
    assert "isn't yours" in ravi and "*1. Ship the billing page*" in ravi


def test_priority_commands_and_list_buttons_refresh_home(team: Sprout, slack):
    team.command(RAVI.user_id, "/priority", "add Hire a designer")
    assert "*2. Hire a designer*" in home_text(slack, RAVI)
    assert "2 active" in home_text(slack, MAYA)

    listing = team.command(RAVI.user_id, "/priority").responses[-1]
    team.click_response(RAVI.user_id, listing, "priority_done", value=None)
    assert "*2. Hire a designer*" not in home_text(slack, RAVI)
    assert "1 active" in home_text(slack, MAYA)

    team.command(MAYA.user_id, "/priority", f"add Write the plan for {m(RAVI)}")
    assert "Write the plan" in home_text(slack, RAVI)


def test_check_in_answers_refresh_the_owner_and_the_manager(team: Sprout, slack):
    team.tick(utc(2026, 12, 1, 4, 0))  # 09:30 in Kolkata
    [checkin] = [x for x in slack.dms_to(RAVI.user_id) if "priorities" in x.text]
    team.click(RAVI.user_id, checkin, "checkin_answer_at_risk")

    assert ":warning: at risk" in home_text(slack, RAVI)
    assert "priorities updated today" in home_text(slack, MAYA)
    assert "Check-ins answered by the team in the last 14 days: 1 of 1." in home_text(slack, MAYA)


def test_a_status_request_answer_refreshes_both_homes(team: Sprout, slack):
    team.command(RAVI.user_id, "/priority", "due 1 tomorrow")
    team.tick(utc(2026, 12, 2, 15, 0))  # Wednesday: overdue, in Maya's digest
    digest = slack.dms_to(MAYA.user_id)[-1]
    team.click(MAYA.user_id, digest, "nudge_ask_about")
    team.tick(utc(2026, 12, 3, 3, 30))  # held for Ravi's 09:00
    team.click(RAVI.user_id, slack.dms_to(RAVI.user_id)[-1], "status_request_done")

    assert "Ship the billing page" not in home_text(slack, RAVI).split("Your priorities")[-1]
    assert "no priorities yet" in home_text(slack, MAYA)


def test_settings_commands_show_on_home(team: Sprout, slack):
    team.command(RAVI.user_id, "/checkin", "time 09:45")
    assert "Daily check-in: 09:45" in home_text(slack, RAVI)
    team.command(RAVI.user_id, "/checkin", "off")
    assert "Daily check-in: off" in home_text(slack, RAVI)
    team.command(MAYA.user_id, "/coach", "snooze 1w")
    assert "Nudges paused until Mon 7 Dec" in home_text(slack, MAYA)


# --- feedback on Home: only what the visibility rule allows ----------------------------------


RAVIS_TUESDAY_MORNING = datetime(2026, 12, 1, 4, 0, tzinfo=UTC)  # 09:30 in Kolkata


def save_feedback(sprout: Sprout, giver, about, text: str):
    reply = sprout.command(giver.user_id, "/feedback", f"{m(about)} praise {text}")
    return reply.responses[-1]


def test_feedback_shows_on_the_subjects_home_only_once_delivered(team: Sprout, slack):
    team.set_time(RAVIS_TUESDAY_MORNING)
    confirmation = save_feedback(team, MAYA, RAVI, "the demo was crisp")
    assert "the demo was crisp" not in home_text(slack, RAVI)

    team.click_response(MAYA.user_id, confirmation, "feedback_send")
    assert "Feedback you've received" in home_text(slack, RAVI)
    assert "the demo was crisp" in home_text(slack, RAVI)
    assert "the demo was crisp" not in home_text(slack, MAYA)  # her Home lists no records


def test_feedback_delivered_later_by_the_scheduler_shows_then(team: Sprout, slack):
    team.set_time(RAVIS_TUESDAY_MORNING)
    confirmation = save_feedback(team, MAYA, RAVI, "thanks for covering")
    team.services.deliverer.pause_workspace(team.team_id, team.now() + timedelta(minutes=5))
    team.click_response(MAYA.user_id, confirmation, "feedback_send")
    assert "thanks for covering" not in home_text(slack, RAVI)

    team.tick(team.now() + timedelta(minutes=6))
    assert "thanks for covering" in home_text(slack, RAVI)


def test_shared_feedback_shows_on_the_managers_home_and_nothing_else_does(team: Sprout, slack):
    team.set_time(RAVIS_TUESDAY_MORNING)  # the DM reaches Ravi at once, in his working hours
    open_home(team, OMAR)
    shared = save_feedback(team, OMAR, RAVI, "great pairing session")
    save_feedback(team, ANA, RAVI, "a private note from a peer")
    save_feedback(team, OMAR, ANA, "omar keeps this one")

    assert "great pairing session" not in home_text(slack, MAYA)
    # A manager sees shared feedback once the person has heard it: sent and shared at once.
    team.click_response(OMAR.user_id, shared, "feedback_send_and_share")

    maya = home_text(slack, MAYA)
    assert "Shared with you" in maya and "great pairing session" in maya
    for hidden in ("a private note from a peer", "omar keeps this one"):
        assert hidden not in maya
        assert hidden not in home_text(slack, RAVI)
        assert hidden not in home_text(slack, OMAR)
    assert "great pairing session" in home_text(slack, RAVI)  # he heard it first


def test_the_manifest_subscribes_to_home_opened_and_lists_coach():
    manifest = (Path(__file__).resolve().parents[2] / "manifest.yml").read_text(encoding="utf-8")
    assert "      - app_home_opened\n" in manifest
    assert "- command: /coach\n" in manifest
    assert "home_tab_enabled: true" in manifest
