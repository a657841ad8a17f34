"""Coach one thing: a focus proposed by either side and accepted by the other, one per
pair; the report's check-in tap, the manager's digest, Home, the 1:1 prep, and *Done*."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.models import FocusPractice
from devtools.cast import ANA, MAYA, OMAR, RAVI
from devtools.harness import Sprout, block_texts, buttons
from devtools.local_slack import LocalSlack, Message

# Tue 1 Dec 2026, 10:00 in New York (Maya), 16:00 in Berlin (Ana): both at work.
MORNING = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
FOCUS = "run meetings to time"


def at(person) -> str:
    return f"<@{person.user_id}>"


def shown(message: Message) -> str:
    return "\n".join(block_texts(message.blocks))


def home_text(slack: LocalSlack, person) -> str:
    view = slack.home_of(person.user_id)
    return " ".join(block_texts(view["blocks"])) if view else ""


def open_home(sprout: Sprout, person) -> None:
    sprout.event({"type": "app_home_opened", "user": person.user_id, "tab": "home"})


def last_dm(slack: LocalSlack, person, containing: str) -> Message:
    return [m for m in slack.dms_to(person.user_id) if containing in shown(m)][-1]


@pytest.fixture
def team(sprout: Sprout, slack: LocalSlack) -> Sprout:
    """Maya manages Ana and Ravi; Ana has a priority; everyone opened Home."""
    sprout.set_time(MORNING)
    sprout.command(MAYA.user_id, "/team", f"add {at(ANA)} {at(RAVI)}")
    sprout.command(ANA.user_id, "/priority", "add Launch invoicing")
    for person in (MAYA, ANA, RAVI, OMAR):
        open_home(sprout, person)
    slack.reset_records()
    return sprout


@pytest.fixture
def agreed(team: Sprout, slack: LocalSlack) -> Sprout:
    team.command(MAYA.user_id, "/coach", f"focus {at(ANA)} {FOCUS}")
    team.click(ANA.user_id, last_dm(slack, ANA, FOCUS), "focus_accept")
    return team


def test_a_focus_starts_once_the_other_accepts_and_then_shows_on_both_home_tabs(
    team: Sprout, slack: LocalSlack
):
    reply = team.command(MAYA.user_id, "/coach", f"focus {at(ANA)} {FOCUS}")
    assert "It starts once they accept" in reply.text
    assert FOCUS not in home_text(slack, ANA) and FOCUS not in home_text(slack, MAYA)

    proposal = last_dm(slack, ANA, FOCUS)
    team.click(ANA.user_id, proposal, "focus_accept")

    assert FOCUS in home_text(slack, ANA) and FOCUS in home_text(slack, MAYA)
    assert "accepted the focus" in slack.dms_to(MAYA.user_id)[-1].text
    shown_now = team.command(ANA.user_id, "/coach", f"focus {at(MAYA)}")
    assert f"Current focus with <@{MAYA.user_id}>: *{FOCUS}*" in shown_now.text


def test_a_report_proposes_to_their_manager_who_may_say_not_now(team: Sprout, slack: LocalSlack):
    team.command(ANA.user_id, "/coach", f"focus {at(MAYA)} say no to side projects")
    proposal = last_dm(slack, MAYA, "say no to side projects")
    assert "would like to practise" in proposal.text

    refused = team.click(ANA.user_id, proposal, "focus_accept")  # not her own proposal
    assert "changed since" in refused.text
    team.click(MAYA.user_id, proposal, "focus_not_now")
    assert "said not now" in slack.dms_to(ANA.user_id)[-1].text
    assert "side projects" not in home_text(slack, ANA)


def test_one_focus_per_pair_at_a_time(agreed: Sprout, slack: LocalSlack):
    again = agreed.command(MAYA.user_id, "/coach", f"focus {at(ANA)} write shorter emails")
    assert "One thing at a time" in again.text
    assert not any("shorter emails" in m.text for m in slack.dms_to(ANA.user_id))


def test_a_peer_or_another_manager_neither_sees_nor_answers_it(team: Sprout, slack: LocalSlack):
    team.command(MAYA.user_id, "/coach", f"focus {at(ANA)} {FOCUS}")
    proposal = last_dm(slack, ANA, FOCUS)
    for outsider in (RAVI, OMAR):
        assert "changed since" in team.click(outsider.user_id, proposal, "focus_accept").text
        reply = team.command(outsider.user_id, "/coach", f"focus {at(ANA)}")
        assert "aren't that" in reply.text and FOCUS not in reply.text
    team.click(ANA.user_id, proposal, "focus_accept")
    for outsider in (RAVI, OMAR):
        open_home(team, outsider)
        assert FOCUS not in home_text(slack, outsider)


def test_practised_it_today_is_one_tap_a_day_and_reaches_the_managers_digest(
    agreed: Sprout, slack: LocalSlack
):
    agreed.set_time(MORNING + timedelta(hours=1))
    agreed.command(ANA.user_id, "/checkin")
    checkin = last_dm(slack, ANA, "*Your focus*")
    first = agreed.click(ANA.user_id, checkin, "focus_practised")
    assert "Noted" in first.text
    again = agreed.click(ANA.user_id, checkin, "focus_practised")
    assert "Already noted" in again.text
    with agreed.services.sessions() as session:
        assert len(session.scalars(select(FocusPractice)).all()) == 1
    redrawn = next(m for m in slack.dms_to(ANA.user_id) if m.ts == checkin.ts)
    assert "Practised today" in shown(redrawn)

    agreed.tick(datetime(2026, 12, 2, 15, 0, tzinfo=UTC))  # Maya's digest, 10:00 her time
    digest = last_dm(slack, MAYA, "practised")
    assert f"<@{ANA.user_id}> practised *{FOCUS}* once this week; notice it." in shown(digest)
    [praise] = [e for _, e in buttons(digest.blocks) if e.get("value", "").startswith("{")]
    assert json.loads(praise["value"]) == {
        "person": ANA.user_id, "kind": "praise", "why": "focus", "title": FOCUS,
    }  # fmt: skip
    agreed.click(MAYA.user_id, digest, "nudge_give_feedback")
    assert FOCUS in json.dumps(slack.views[-1].view)


def test_a_tap_on_yesterdays_check_in_counts_today_and_redraws_yesterdays(
    agreed: Sprout, slack: LocalSlack
):
    agreed.set_time(MORNING + timedelta(hours=1))
    agreed.command(ANA.user_id, "/checkin")
    yesterdays = last_dm(slack, ANA, "*Your focus*")
    agreed.set_time(MORNING + timedelta(days=1, hours=1))
    agreed.command(ANA.user_id, "/checkin")
    todays = last_dm(slack, ANA, "*Your focus*")
    sent = {yesterdays.ts: shown(yesterdays), todays.ts: shown(todays)}
    assert sent[yesterdays.ts].splitlines()[0] != sent[todays.ts].splitlines()[0]

    assert "Noted" in agreed.click(ANA.user_id, yesterdays, "focus_practised").text

    with agreed.services.sessions() as session:
        [practice] = session.scalars(select(FocusPractice)).all()
        assert practice.day.isoformat() == "2026-12-02"  # the day of the tap, Ana's today
    now_shown = {m.ts: shown(m) for m in slack.dms_to(ANA.user_id)}
    opening = now_shown[yesterdays.ts].splitlines()[0]
    assert opening == sent[yesterdays.ts].splitlines()[0]  # still yesterday's, not today's
    assert now_shown[todays.ts] == sent[todays.ts]


def test_the_prep_names_the_current_focus(agreed: Sprout, slack: LocalSlack):
    agreed.command(MAYA.user_id, "/coach", f"1on1 {at(ANA)}")
    prep = last_dm(slack, MAYA, "Your prep")
    assert f"*Current focus*: {FOCUS}" in shown(prep)


def test_done_prompts_praise_and_offers_a_next_one(agreed: Sprout, slack: LocalSlack):
    reply = agreed.command(MAYA.user_id, "/coach", f"focus {at(ANA)} done")
    assert f"Done: *{FOCUS}*" in reply.text and "pick the next one" in reply.text
    [response] = reply.responses
    assert any(e["action_id"] == "nudge_give_feedback" for _, e in buttons(response.blocks))
    assert FOCUS not in home_text(slack, ANA)
    assert "no focus" in agreed.command(MAYA.user_id, "/coach", f"focus {at(ANA)}").text.lower()
    nxt = agreed.command(MAYA.user_id, "/coach", f"focus {at(ANA)} write shorter emails")
    assert "It starts once they accept" in nxt.text


def test_a_report_marking_it_done_tells_the_manager_with_give_praise(
    agreed: Sprout, slack: LocalSlack
):
    agreed.command(ANA.user_id, "/coach", f"focus {at(MAYA)} done")
    notice = last_dm(slack, MAYA, "marked their focus done")
    assert any(e["action_id"] == "nudge_give_feedback" for _, e in buttons(notice.blocks))


def test_done_on_either_home_tab_ends_it_as_the_command_does(agreed: Sprout, slack: LocalSlack):
    agreed.click_in_view(ANA.user_id, slack.home_of(ANA.user_id), "focus_done")
    assert f"Done: *{FOCUS}*" in home_text(slack, ANA)
    notice = last_dm(slack, MAYA, "marked their focus done")
    assert any(e["action_id"] == "nudge_give_feedback" for _, e in buttons(notice.blocks))
    assert "no focus" in agreed.command(ANA.user_id, "/coach", f"focus {at(MAYA)}").text.lower()

    agreed.command(MAYA.user_id, "/coach", f"focus {at(ANA)} write shorter emails")
    agreed.click(ANA.user_id, last_dm(slack, ANA, "shorter emails"), "focus_accept")
    open_home(agreed, MAYA)
    maya_home = slack.home_of(MAYA.user_id)
    for outsider in (RAVI, OMAR):  # a button from someone else's Home does nothing
        agreed.click_in_view(outsider.user_id, maya_home, "focus_done")
    assert "shorter emails" in home_text(slack, MAYA)
    agreed.click_in_view(MAYA.user_id, maya_home, "focus_done")
    assert "Done: *write shorter emails*" in home_text(slack, MAYA)
    prompt = last_dm(slack, MAYA, "You marked")
    assert any(e["action_id"] == "nudge_give_feedback" for _, e in buttons(prompt.blocks))
    assert "shorter emails" not in home_text(slack, ANA)


def test_with_no_priorities_the_check_in_still_brings_the_focus_and_its_tap(
    team: Sprout, slack: LocalSlack
):
    team.command(MAYA.user_id, "/coach", f"focus {at(RAVI)} {FOCUS}")
    team.tick(datetime(2026, 12, 2, 3, 45, tzinfo=UTC))  # Wed 09:15 in Kolkata: at work
    team.click(RAVI.user_id, last_dm(slack, RAVI, FOCUS), "focus_accept")
    team.tick(datetime(2026, 12, 2, 4, 0, tzinfo=UTC))  # 09:30: his check-in

    [checkin] = [m for m in slack.dms_to(RAVI.user_id) if "Your focus" in shown(m)]
    assert "Practised it today" in json.dumps(checkin.blocks)
    assert "/priority add" not in shown(checkin)
    assert not any("/priority add" in m.text for m in slack.dms_to(RAVI.user_id))
    team.click(RAVI.user_id, checkin, "focus_practised")
    redrawn = next(m for m in slack.dms_to(RAVI.user_id) if m.ts == checkin.ts)
    assert "Practised today" in shown(redrawn)
    assert not any("check-in is waiting" in m.text for m in slack.dms_to(RAVI.user_id))
