"""`/priority` through signed requests against the local Slack."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.models import CoachingEvent, Priority, PriorityChange
from devtools.cast import ANA, MAYA, OMAR, RAVI
from devtools.harness import Sprout, buttons
from devtools.local_slack import LocalSlack


def m(person) -> str:
    return f"<@{person.user_id}|{person.name.lower()}>"


@pytest.fixture
def team(sprout: Sprout) -> Sprout:
    sprout.command(MAYA.user_id, "/team", f"add {m(RAVI)} {m(ANA)}")
    return sprout


def stored(sprout: Sprout, owner: str) -> list[Priority]:
    with sprout.services.sessions() as session:
        return session.query(Priority).filter_by(owner_id=owner).order_by(Priority.id).all()


def test_adding_priorities_numbers_them_and_reads_the_due_date_in_my_zone(team: Sprout):
    first = team.command(RAVI.user_id, "/priority", "add Ship the billing page due fri")
    second = team.command(RAVI.user_id, "/priority", "add Hire a designer")

    assert "Added *Ship the billing page* · due Fri 4 Dec as number 1." in first.text
    assert "as number 2" in second.text
    listing = team.command(RAVI.user_id, "/priority")
    assert "*1. Ship the billing page* · due Fri 4 Dec" in listing.text
    assert "*2. Hire a designer*" in listing.text
    [due] = [p.due_on.isoformat() for p in stored(team, RAVI.user_id) if p.due_on]
    assert due == "2026-12-04"


def test_a_manager_delegates_a_priority_and_the_report_hears_who_set_it(
    team: Sprout, slack: LocalSlack
):
    reply = team.command(MAYA.user_id, "/priority", f"add Draft the Q1 plan due eow for {m(ANA)}")

    assert f"for <@{ANA.user_id}>; I've let them know" in reply.text
    dm = slack.dms_to(ANA.user_id)[-1]
    assert (
        f"<@{MAYA.user_id}> set a priority for you: *Draft the Q1 plan* · due Fri 4 Dec"
        in dm.blocks[0]["text"]["text"]
    )
    [priority] = stored(team, ANA.user_id)
    assert priority.created_by == MAYA.user_id


def test_only_your_own_reports_can_be_given_or_shown_priorities(team: Sprout):
    team.command(RAVI.user_id, "/priority", "add Ship it")

    assert (
        "isn't on your team"
        in team.command(OMAR.user_id, "/priority", f"add Spy for {m(RAVI)}").text
    )
    assert "isn't on your team" in team.command(ANA.user_id, "/priority", f"list {m(RAVI)}").text
    shown = team.command(MAYA.user_id, "/priority", f"list {m(RAVI)}")
    assert "*1. Ship it*" in shown.text and f"by <@{RAVI.user_id}>" in shown.text
    assert stored(team, OMAR.user_id) == [] and len(stored(team, RAVI.user_id)) == 1


def test_done_drop_status_edit_and_due_change_the_right_priority_and_keep_history(team: Sprout):
    for title in ("One", "Two", "Three", "Four"):
        team.command(RAVI.user_id, "/priority", f"add {title}")

    finished = team.command(RAVI.user_id, "/priority", "done 1").text
    assert "*One*" in finished and "done" in finished.lower()
    team.command(RAVI.user_id, "/priority", "drop 1")  # "Two" is number 1 now
    team.command(RAVI.user_id, "/priority", "status 1 blocked waiting on legal")
    team.command(RAVI.user_id, "/priority", "edit 2 Four, renamed")
    team.command(RAVI.user_id, "/priority", "due 1 +2w")

    states = {p.title: (p.state, p.health, p.note) for p in stored(team, RAVI.user_id)}
    assert states["One"][0] == "done" and states["Two"][0] == "dropped"
    assert states["Three"] == ("active", "blocked", "waiting on legal")
    assert "Four, renamed" in states
    with team.services.sessions() as session:
        fields = [c.field for c in session.query(PriorityChange).order_by(PriorityChange.id)]
        kinds = {e.kind for e in session.query(CoachingEvent)}
    assert fields.count("created") == 4 and {"state", "health", "note", "title", "due"} <= set(
        fields
    )
    assert {"priority_done", "blocker"} <= kinds


def test_the_sixth_active_priority_is_refused_with_a_way_forward(team: Sprout):
    for n in range(5):
        team.command(RAVI.user_id, "/priority", f"add Thing {n}")
    reply = team.command(RAVI.user_id, "/priority", "add One too many")

    assert "already have 5 active priorities" in reply.text and "/priority drop N" in reply.text
    assert len(stored(team, RAVI.user_id)) == 5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("done 7", "There's no priority 7: you have 1."),
        ("done ²", "Which one?"),
        ("add Launch due someday", "couldn't read “someday” as a date"),
        ("add Launch due 2026-01-01", "is in the past"),
        ("add", "Give the priority a title"),
        ("add " + "x" * 201, "201 characters; keep it under 200"),
        ("edit 1", "Give the priority a title"),
        ("due 1 yesterday-ish", "couldn't read"),
        ("status 1 sideways", "Say how it stands"),
        ("launch everything", "I don't know `/priority launch`"),
    ],
)
def test_bad_input_gets_a_one_line_reason_and_changes_nothing(
    team: Sprout, text: str, expected: str
):
    team.command(RAVI.user_id, "/priority", "add Keep me")
    before = [(p.title, p.state, p.due_on, p.health) for p in stored(team, RAVI.user_id)]

    reply = team.command(RAVI.user_id, "/priority", text)

    assert expected in reply.text
    assert [(p.title, p.state, p.due_on, p.health) for p in stored(team, RAVI.user_id)] == before


def test_the_buttons_on_the_list_finish_and_set_status(team: Sprout):
    team.command(RAVI.user_id, "/priority", "add Ship it")
    team.command(RAVI.user_id, "/priority", "add Hire")
    listing = team.command(RAVI.user_id, "/priority").responses[-1]
    ids = [e.get("value") for _, e in buttons(listing.blocks) if e["action_id"] == "priority_done"]

    team.click_response(RAVI.user_id, listing, "priority_done", value=ids[0])
    status = {
        "selected_option": {
            "value": f"{ids[1]}:at_risk",
            "text": {"type": "plain_text", "text": "At risk"},
        }
    }
    after = team.click_response(RAVI.user_id, listing, "priority_status", selected=status)
    again = team.click_response(
        RAVI.user_id, listing, "priority_done", value=ids[0]
    )  # stale button

    states = {p.title: (p.state, p.health) for p in stored(team, RAVI.user_id)}
    assert states == {"Ship it": ("done", None), "Hire": ("active", "at_risk")}
    assert "*Hire* is At risk" in after.text and "already closed" in again.text
    assert after.responses[-1].replace_original


def test_someone_elses_button_does_nothing(team: Sprout):
    team.command(RAVI.user_id, "/priority", "add Ship it")
    listing = team.command(RAVI.user_id, "/priority").responses[-1]

    reply = team.click_response(ANA.user_id, listing, "priority_done")

    assert "isn't yours" in reply.text
    assert stored(team, RAVI.user_id)[0].state == "active"


@pytest.mark.parametrize(
    ("action_id", "forged"),
    [
        ("priority_done", lambda anas: {"value": str(anas)}),
        ("priority_drop", lambda anas: {"value": str(anas)}),
        ("priority_status", lambda anas: {"selected_option": {"value": f"{anas}:blocked"}}),
    ],
)
def test_a_button_whose_value_names_someone_elses_priority_changes_nothing_and_says_so(
    team: Sprout, action_id: str, forged
):
    team.command(ANA.user_id, "/priority", "add Ana's own")
    team.command(RAVI.user_id, "/priority", "add Ship it")
    [anas] = stored(team, ANA.user_id)
    listing = team.command(RAVI.user_id, "/priority").responses[-1]

    reply = team.click_response(RAVI.user_id, listing, action_id, selected=forged(anas.id))

    assert "That priority isn't yours, so I left it alone." in reply.text
    assert "*1. Ship it*" in reply.text  # his list, as it stands
    [after] = stored(team, ANA.user_id)
    assert (after.state, after.health, after.updated_at) == ("active", None, anas.updated_at)
    assert stored(team, RAVI.user_id)[0].state == "active"


@pytest.mark.parametrize("value", ["", "ship-it", "12abc", "99999999999999999999"])
def test_a_button_value_that_names_no_priority_gets_a_clear_answer(team: Sprout, value: str):
    team.command(RAVI.user_id, "/priority", "add Ship it")
    listing = team.command(RAVI.user_id, "/priority").responses[-1]

    reply = team.click_response(RAVI.user_id, listing, "priority_done", selected={"value": value})

    assert reply.status == 200 and "isn't yours" in reply.text
    assert stored(team, RAVI.user_id)[0].state == "active"


def test_a_title_is_stored_as_typed_and_escaped_once_when_shown(team: Sprout):
    team.command(RAVI.user_id, "/priority", "add Make a &lt; b &amp; c faster")

    with team.services.sessions() as session:
        assert session.query(Priority).one().title == "Make a < b & c faster"
    assert "Make a &lt; b &amp; c faster" in team.command(RAVI.user_id, "/priority").text


def test_control_characters_are_dropped_the_same_on_every_database(team: Sprout):
    reply = team.command(RAVI.user_id, "/priority", "add Ship\x00 the\x07 page")

    assert reply.status == 200
    with team.services.sessions() as session:
        assert session.query(Priority).one().title == "Ship the page"


def test_a_manager_sees_a_reports_priority_overdue_as_of_the_reports_own_day(team: Sprout):
    team.set_time(datetime(2026, 12, 1, 12, 0, tzinfo=UTC))  # Tue 17:30 in Kolkata
    team.command(RAVI.user_id, "/priority", "add Ship the billing page due today")
    # Wed 01:30 in Kolkata, still Tue 15:00 in New York: overdue for Ravi, so for Maya too.
    team.set_time(datetime(2026, 12, 1, 20, 0, tzinfo=UTC))

    listing = team.command(MAYA.user_id, "/priority", f"list {m(RAVI)}").text

    assert "was due Tue 1 Dec" in listing
