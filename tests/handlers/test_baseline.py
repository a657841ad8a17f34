"""A baseline both can read: the manager writes it down, the report agrees or suggests a
change, it shows on both Home tabs and in the 1:1 prep, and every few months the manager
is asked whether it still holds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.db import transaction
from bot.models import Baseline, ReportingLine
from bot.preferences.workspace import change_defaults
from devtools.cast import ANA, MAYA, OMAR, RAVI
from devtools.harness import Sprout, block_texts
from devtools.local_slack import LocalSlack, Message

# Tue 1 Dec 2026, 10:00 in New York (Maya), 16:00 in Berlin (Ana): both at work.
MORNING = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)


def at(person) -> str:
    return f"<@{person.user_id}>"


def shown(message: Message) -> str:
    return "\n".join(block_texts(message.blocks))


def home_text(slack: LocalSlack, person) -> str:
    view = slack.home_of(person.user_id)
    return " ".join(block_texts(view["blocks"])) if view else ""


def open_home(sprout: Sprout, person) -> None:
    sprout.event({"type": "app_home_opened", "user": person.user_id, "tab": "home"})


def text_input(value: str) -> dict:
    return {"value": {"type": "plain_text_input", "value": value}}


@pytest.fixture
def team(sprout: Sprout, slack: LocalSlack) -> Sprout:
    """Maya manages Ana and Ravi; Omar manages nobody here; everyone opened Home."""
    sprout.set_time(MORNING)
    sprout.command(MAYA.user_id, "/team", f"add {at(ANA)} {at(RAVI)}")
    for person in (MAYA, ANA, RAVI, OMAR):
        open_home(sprout, person)
    slack.reset_records()
    return sprout


def write(sprout: Sprout, slack: LocalSlack, **parts: str):
    """Maya opens the form for Ana (`/coach baseline @ana`, *Write it down*) and sends it."""
    reply = sprout.command(MAYA.user_id, "/coach", f"baseline {at(ANA)}")
    [response] = reply.responses
    sprout.click_response(MAYA.user_id, response, "baseline_write")
    form = slack.views[-1].view
    values = {part: text_input(text) for part, text in parts.items() if part != "by_when"}
    if "by_when" in parts:
        values["by_when"] = {"value": {"type": "datepicker", "selected_date": parts["by_when"]}}
    return sprout.submit(MAYA.user_id, form, values)


def proposal(slack: LocalSlack) -> Message:
    return [m for m in slack.dms_to(ANA.user_id) if "wrote down what you two expect" in m.text][-1]


def agree(sprout: Sprout, slack: LocalSlack) -> None:
    write(
        sprout, slack,
        results="Launch invoicing by March", growth="Lead one design review",
        ground_rules="Say early when something slips", judged_by="Customers stop asking",
        by_when="2027-03-31",
    )  # fmt: skip
    sprout.click(ANA.user_id, proposal(slack), "baseline_agree")


def test_a_baseline_needs_the_reports_agreement_and_then_shows_on_both_home_tabs(
    team: Sprout, slack: LocalSlack
):
    write(team, slack, results="Launch invoicing by March", by_when="2027-03-31")

    dm = proposal(slack)
    assert "Launch invoicing by March" in shown(dm) and "31 Mar" in shown(dm)
    assert "2027" not in shown(dm)  # said as people say it: no year for a date this near
    assert "Launch invoicing" not in home_text(slack, ANA)  # not agreed yet
    assert "Launch invoicing" not in home_text(slack, MAYA)

    team.click(ANA.user_id, dm, "baseline_agree")

    assert "Launch invoicing by March" in home_text(slack, ANA)
    assert "Launch invoicing by March" in home_text(slack, MAYA)
    assert "agreed the baseline you wrote down" in slack.dms_to(MAYA.user_id)[-1].text
    edited = next(m for m in slack.dms_to(ANA.user_id) if m.ts == dm.ts)
    assert "You agreed this" in shown(edited)
    assert not any(b["type"] == "actions" for b in edited.blocks)
    with team.services.sessions() as session:
        line = session.get(ReportingLine, (team.team_id, ANA.user_id))
        assert line.baseline_held_at is not None


def test_a_suggested_change_reaches_the_manager_who_revises_and_sends_it_again(
    team: Sprout, slack: LocalSlack
):
    write(team, slack, results="Launch invoicing by March")
    first = proposal(slack)
    team.click(ANA.user_id, first, "baseline_suggest")
    team.submit(ANA.user_id, slack.views[-1].view, {"comment": text_input("April is more honest")})

    change = slack.dms_to(MAYA.user_id)[-1]
    assert "April is more honest" in change.text
    clicked_in = next(m for m in slack.dms_to(ANA.user_id) if m.ts == first.ts)
    assert "You suggested a change" in shown(clicked_in)
    assert "Launch invoicing by March" in shown(clicked_in)
    assert not any(b["type"] == "actions" for b in clicked_in.blocks)
    team.click(MAYA.user_id, change, "baseline_write")  # *Revise*
    form = slack.views[-1].view
    results = next(b for b in form["blocks"] if b.get("block_id") == "results")
    assert results["element"]["initial_value"] == "Launch invoicing by March"
    team.submit(MAYA.user_id, form, {"results": text_input("Launch invoicing by April")})

    # The first version's *Agree* no longer agrees to anything.
    stale = team.click(ANA.user_id, first, "baseline_agree")
    assert "changed since" in stale.text
    team.click(ANA.user_id, proposal(slack), "baseline_agree")
    assert "by April" in home_text(slack, ANA) and "by March" not in home_text(slack, ANA)


def test_an_empty_form_is_refused_and_sends_nothing(team: Sprout, slack: LocalSlack):
    reply = write(team, slack)
    assert b"at least one part" in reply.body
    assert slack.dms_to(ANA.user_id) == []


def test_only_the_report_agrees_and_only_their_manager_writes(team: Sprout, slack: LocalSlack):
    write(team, slack, results="Launch invoicing by March")
    refused = team.click(RAVI.user_id, proposal(slack), "baseline_agree")
    assert "changed since" in refused.text
    with team.services.sessions() as session:
        assert session.get(Baseline, (team.team_id, MAYA.user_id, ANA.user_id)).state == "sent"
    # Omar pressing *Revise* with Ana's id (a forged value) opens nothing.
    opened = len(slack.views)
    forged = team.click(OMAR.user_id, proposal(slack), "baseline_agree",
                        tampered={"action_id": "baseline_write", "value": ANA.user_id})  # fmt: skip
    assert "isn't on your team" in forged.text and len(slack.views) == opened


def test_a_peer_or_another_manager_cannot_see_it(team: Sprout, slack: LocalSlack):
    agree(team, slack)
    for outsider in (RAVI, OMAR):
        reply = team.command(outsider.user_id, "/coach", f"baseline {at(ANA)}")
        assert "aren't that" in reply.text
        assert "Launch invoicing" not in reply.text
        open_home(team, outsider)
        assert "Launch invoicing" not in home_text(slack, outsider)
    # Ana moves to Omar's team: her new manager does not inherit what she agreed with Maya.
    team.command(MAYA.user_id, "/team", f"remove {at(ANA)}")
    team.command(OMAR.user_id, "/team", f"add {at(ANA)}")
    with team.services.sessions() as session:
        assert session.get(Baseline, (team.team_id, MAYA.user_id, ANA.user_id)) is not None
    open_home(team, MAYA)
    assert "Launch invoicing" not in home_text(slack, MAYA)


def test_both_read_it_with_coach_baseline_and_the_prep_brings_it(team: Sprout, slack: LocalSlack):
    agree(team, slack)
    mine = team.command(ANA.user_id, "/coach", f"baseline {at(MAYA)}")
    assert "Say early when something slips" in mine.text
    theirs = team.command(MAYA.user_id, "/coach", f"baseline {at(ANA)}")
    assert "Customers stop asking" in theirs.text

    team.command(MAYA.user_id, "/coach", f"1on1 {at(ANA)}")
    prep = [m for m in slack.dms_to(MAYA.user_id) if "prep" in m.text.lower()][-1]
    assert "Your baseline" in shown(prep) and "Launch invoicing" in shown(prep)


def test_every_quarter_the_manager_is_asked_whether_it_still_holds(team: Sprout, slack: LocalSlack):
    agree(team, slack)
    team.tick(MORNING + timedelta(days=80))
    assert not any("still hold" in m.text for m in slack.dms_to(MAYA.user_id))

    team.tick(MORNING + timedelta(days=92))
    [ask] = [m for m in slack.dms_to(MAYA.user_id) if "still hold" in m.text]
    assert "Launch invoicing" in shown(ask)
    reply = team.click(MAYA.user_id, ask, "baseline_still_holds")
    assert "I'll ask again in 3 months" in reply.text

    team.tick(MORNING + timedelta(days=93))  # the same ask never comes twice
    assert len([m for m in slack.dms_to(MAYA.user_id) if "still hold" in m.text]) == 1
    assert not any("still hold" in m.text for m in slack.dms_to(ANA.user_id))


def test_a_workspace_may_ask_more_often(team: Sprout, slack: LocalSlack):
    with transaction(team.services.sessions) as session:
        change_defaults(session, team.team_id, {"baseline_review_months": 1}, team.now())
    agree(team, slack)
    team.tick(MORNING + timedelta(days=34))  # Mon 4 Jan: 1 Jan is a holiday
    assert any("still hold" in m.text for m in slack.dms_to(MAYA.user_id))


def still_hold_asks(slack: LocalSlack) -> list[Message]:
    return [m for m in slack.dms_to(MAYA.user_id) if "still hold" in m.text]


def test_the_quarterly_ask_waits_for_the_end_of_a_snooze(team: Sprout, slack: LocalSlack):
    agree(team, slack)
    team.set_time(MORNING + timedelta(days=90))  # Mon 1 Mar
    team.command(MAYA.user_id, "/coach", "snooze 2d")  # Monday and Tuesday
    team.tick(MORNING + timedelta(days=91, hours=1))  # due, and she's at work: snoozed
    assert still_hold_asks(slack) == []
    team.tick(MORNING + timedelta(days=92))  # Wednesday: back from the snooze
    assert len(still_hold_asks(slack)) == 1


def test_the_quarterly_ask_counts_toward_the_daily_nudge_cap(team: Sprout, slack: LocalSlack):
    with transaction(team.services.sessions) as session:
        change_defaults(session, team.team_id, {"daily_nudge_cap": 1}, team.now())
    agree(team, slack)
    due_day = MORNING + timedelta(days=91, hours=1)  # Tue 2 Mar, 11:00 in New York
    team.set_time(due_day)
    team.command(ANA.user_id, "/priority", "add Ship the invoice export")
    team.command(ANA.user_id, "/priority", "done 1")
    before = len(slack.dms_to(MAYA.user_id))
    team.tick(due_day)
    assert len(slack.dms_to(MAYA.user_id)) == before + 1  # the nudge about Ana's done priority
    assert still_hold_asks(slack) == []
    team.tick(due_day + timedelta(days=1, hours=-2))  # 09:00 the next day, before the digest
    assert len(still_hold_asks(slack)) == 1


def test_the_day_it_was_agreed_reads_in_each_readers_own_zone(team: Sprout, slack: LocalSlack):
    write(team, slack, results="Launch invoicing by March", by_when="2028-03-31")
    assert "31 Mar 2028" in shown(proposal(slack))  # over half a year away: with its year
    team.set_time(datetime(2026, 12, 1, 23, 30, tzinfo=UTC))  # 00:30 Wed in Berlin
    dm = proposal(slack)
    team.click(ANA.user_id, dm, "baseline_agree")
    edited = next(m for m in slack.dms_to(ANA.user_id) if m.ts == dm.ts)
    assert "on 2 Dec." in shown(edited)
    open_home(team, MAYA)  # 18:30 Tue in New York
    assert f"<@{ANA.user_id}> · 1 Dec:" in home_text(slack, MAYA)
