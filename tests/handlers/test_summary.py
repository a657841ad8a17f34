"""The weekly summary: once per ISO week, at the manager's local time, with the right numbers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.db import transaction
from bot.models import Member, ReportingLine
from devtools.cast import ANA, MAYA, OMAR, RAVI
from devtools.harness import Sprout, block_texts
from devtools.local_slack import LocalSlack


def m(person) -> str:
    return f"<@{person.user_id}|{person.name.lower()}>"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def summaries(slack: LocalSlack, person) -> list:
    return [x for x in slack.dms_to(person.user_id) if "weekly summary" in x.text]


def text_of(message) -> str:
    return "\n".join(block_texts(message.blocks))


def answer_no_changes(sprout: Sprout, slack: LocalSlack, person) -> None:
    checkin = [x for x in slack.dms_to(person.user_id) if "priorities" in x.text][-1]
    sprout.click(person.user_id, checkin, "checkin_no_changes")


def sent(sprout: Sprout, giver, text: str) -> None:
    """Feedback saved and sent to the person: what closes a feedback gap."""
    reply = sprout.command(giver.user_id, "/feedback", text)
    sprout.click_response(giver.user_id, reply.responses[-1], "feedback_send")


@pytest.fixture
def week(sprout: Sprout, slack: LocalSlack) -> Sprout:
    """A scripted fortnight for Maya (New York) with Ravi (Kolkata) and Ana (Berlin), a
    team made in Sprout the Friday before (so week 48 is one to compare with)."""
    sprout.set_time(utc(2026, 11, 20, 15, 0))  # Friday of ISO week 47
    sprout.command(MAYA.user_id, "/team", f"add {m(RAVI)} {m(ANA)}")
    sprout.set_time(utc(2026, 11, 25, 15, 0))
    sent(sprout, MAYA, f"{m(RAVI)} praise great demo prep")  # last week
    sprout.set_time(utc(2026, 11, 30, 3, 0))  # Monday of week 49
    sprout.command(RAVI.user_id, "/priority", "add Ship the billing page")
    sprout.command(RAVI.user_id, "/priority", "add Hire a designer")
    sprout.command(ANA.user_id, "/priority", "add Draft the Q1 plan")
    for day in (30, 1, 2, 3, 4):
        month = 11 if day == 30 else 12
        sprout.tick(utc(2026, month, day, 4, 0))  # Ravi's 09:30
        if day in (30, 1, 2):
            answer_no_changes(sprout, slack, RAVI)
        sprout.tick(utc(2026, month, day, 8, 30))  # Ana's 09:30
        if day == 1:
            sprout.set_time(utc(2026, 12, 1, 9, 0))  # in Ravi's and Ana's working hours
            sent(sprout, MAYA, f"{m(RAVI)} praise clear handover notes")
            sent(sprout, MAYA, f"{m(ANA)} redirect #docs the spec was late")
            sprout.command(OMAR.user_id, "/feedback", f"{m(RAVI)} redirect #noise peers only")
        if day == 2:
            sprout.set_time(utc(2026, 12, 2, 15, 0))
            sent(sprout, MAYA, f"{m(ANA)} praise a calm incident call")
            sprout.command(RAVI.user_id, "/priority", "done 2")
        if day == 3:
            sprout.set_time(utc(2026, 12, 3, 15, 0))
            sprout.command(ANA.user_id, "/priority", "status 1 blocked waiting on finance")
    return sprout


def test_the_summary_comes_once_at_friday_1500_local_with_the_weeks_numbers(
    week: Sprout, slack: LocalSlack, database_url: str
):
    assert not any(r.kind == "summary" for r in week.tick(utc(2026, 12, 4, 19, 59)).delivery.sent)
    assert any(r.kind == "summary" for r in week.tick(utc(2026, 12, 4, 20, 0)).delivery.sent)
    week.tick(utc(2026, 12, 4, 20, 1))
    restarted = Sprout(slack, database_url, utc(2026, 12, 4, 21, 0))
    try:
        restarted.tick()
    finally:
        restarted.close()
    [summary] = summaries(slack, MAYA)
    text = text_of(summary)

    # Computed by hand from the script above.
    assert summary.text == "Your weekly summary for the week of 30 Nov: 2 people on your team."
    assert "Your team, week of 30 Nov" in text and "2026-W49" not in text
    assert "*Feedback given*\n3 (2 praise, 1 redirect) ▲ 2 vs last week" in text
    assert "*Priorities finished*\n1 ▲ 1 vs last week" in text
    assert "*Check-ins answered*\n3 of 10 ▲ 3 vs last week" in text  # the team's rate stays
    assert "*Blockers raised*\n1 ▲ 1 vs last week" in text
    assert (
        f"*<@{RAVI.user_id}>*\nFeedback this week: 1 praise · your last was 3 days ago"
        " · last 30 days 2:0 praise to redirects" in text
    )
    assert "Priorities: 1 finished, 1 active\npriorities updated 2 days ago" in text
    assert (
        "Feedback this week: 1 praise, 1 redirect · your last was 2 days ago · last 30 days 1:1"
        in text
    )
    assert (
        "Priorities: 1 active, 1 blocked\npriorities updated yesterday"
        " · blocked on *Draft the Q1 plan*" in text
    )
    assert "Check-ins: " not in text and "0 at risk" not in text  # no scores, no rows of zeros
    assert f"<@{ANA.user_id}> is blocked on *Draft the Q1 plan*" in text
    assert "Something to reflect on:" in text


def test_the_first_summary_never_compares_with_a_week_before_sprout(
    sprout: Sprout, slack: LocalSlack
):
    sprout.set_time(utc(2026, 12, 2, 15, 0))  # installed on Wednesday of week 49
    sprout.command(MAYA.user_id, "/team", f"add {m(RAVI)}")
    sent(sprout, MAYA, f"{m(RAVI)} praise great demo prep")
    sprout.tick(utc(2026, 12, 4, 20, 0))
    sprout.tick(utc(2026, 12, 11, 20, 0))  # week 49 began before Sprout: still no figures
    sprout.set_time(utc(2026, 12, 16, 15, 0))
    sent(sprout, MAYA, f"{m(RAVI)} praise a calm incident call")
    sent(sprout, MAYA, f"{m(RAVI)} praise the launch notes")
    sprout.tick(utc(2026, 12, 18, 20, 0))

    first, second, third = (text_of(x) for x in summaries(slack, MAYA))
    assert "*Feedback given*\n1 (1 praise)" in first
    assert "last week" not in first and "last week" not in second
    assert "*Feedback given*\n2 (2 praise) ▲ 2 vs last week" in third


def test_a_team_made_mid_week_is_compared_only_from_its_first_whole_week(
    sprout: Sprout, slack: LocalSlack
):
    sprout.set_time(utc(2026, 11, 2, 15, 0))  # Sprout has been here a month
    sprout.command(OMAR.user_id, "/team", f"add {m(ANA)}")
    sprout.set_time(utc(2026, 12, 1, 15, 0))  # Maya's first report, on a Tuesday
    sprout.command(MAYA.user_id, "/team", f"add {m(RAVI)}")
    sprout.tick(utc(2026, 12, 4, 20, 0))
    [first] = summaries(slack, MAYA)
    assert "last week" not in text_of(first)


def test_the_next_week_brings_the_next_summary_and_a_different_question(
    week: Sprout, slack: LocalSlack
):
    week.tick(utc(2026, 12, 4, 20, 0))
    week.tick(utc(2026, 12, 11, 20, 0))
    first, second = summaries(slack, MAYA)
    question = [t for t in block_texts(first.blocks) if "reflect on" in t]
    assert question and question != [t for t in block_texts(second.blocks) if "reflect on" in t]


def test_a_peers_feedback_never_shows_in_the_managers_summary(week: Sprout, slack: LocalSlack):
    week.tick(utc(2026, 12, 4, 20, 0))
    text = text_of(summaries(slack, MAYA)[0])
    assert "peers only" not in text and "#noise" not in text
    assert "Feedback this week: 1 praise ·" in text  # Omar's redirect about Ravi is not Maya's


def test_coach_summary_sends_a_preview_that_does_not_count_as_the_week(
    week: Sprout, slack: LocalSlack
):
    week.set_time(utc(2026, 12, 3, 16, 0))
    reply = week.command(MAYA.user_id, "/coach", "summary")

    assert "preview" in reply.text
    assert [x for x in slack.dms_to(MAYA.user_id) if "a preview" in text_of(x)]
    assert any(r.kind == "summary" for r in week.tick(utc(2026, 12, 4, 20, 0)).delivery.sent)
    assert "nobody reports to you yet" in week.command(RAVI.user_id, "/coach", "summary").text


def test_a_manager_with_forty_reports_gets_a_compact_valid_summary(
    sprout: Sprout, slack: LocalSlack
):
    now = sprout.now()
    ids = [f"UF{n:07d}" for n in range(40)]
    with transaction(sprout.services.sessions) as session:
        for n, user_id in enumerate(ids):
            slack.add_user(user_id, f"person{n}", tz="UTC")
            session.add(
                Member(
                    team_id=sprout.team_id, user_id=user_id, real_name=f"Person {n}", fetched_at=now
                )
            )
            session.add(
                ReportingLine(team_id=sprout.team_id, report_id=user_id, manager_id=MAYA.user_id,
                              added_by=MAYA.user_id, since=now)
            )  # fmt: skip
    sprout.command(MAYA.user_id, "/coach", "summary")

    [summary] = [x for x in slack.dms_to(MAYA.user_id) if "a preview" in text_of(x)]
    assert len(summary.blocks) <= 50
    assert "*Your 40 reports*" in text_of(summary)
    assert all(f"<@{user_id}>" in text_of(summary) for user_id in ids)


def test_the_next_step_buttons_work(week: Sprout, slack: LocalSlack):
    week.tick(utc(2026, 12, 4, 20, 0))
    [summary] = summaries(slack, MAYA)

    reply = week.click(MAYA.user_id, summary, "nudge_ask_about.0")

    assert f"Asked <@{ANA.user_id}> about *Draft the Q1 plan*" in reply.text
    assert f"reaches <@{ANA.user_id}> at 09:00 their time (Mon)" in reply.text  # Friday night
    week.tick(utc(2026, 12, 7, 8, 0))
    assert "how *Draft the Q1 plan* is going" in slack.dms_to(ANA.user_id)[-1].text


def test_a_summary_moved_by_settings_comes_at_the_new_time_and_still_once(
    week: Sprout, slack: LocalSlack
):
    from bot.db import transaction
    from bot.models import PersonSettings
    from bot.preferences.person import reschedule

    week.set_time(utc(2026, 12, 3, 15, 0))  # Thursday: move the summary to Thursday 16:00
    with transaction(week.services.sessions) as session:
        row = session.get(PersonSettings, (week.team_id, MAYA.user_id))
        row.summary_day, row.summary_time = 3, "16:00"
        reschedule(session, week.team_id, MAYA.user_id, week.now())

    assert any(r.kind == "summary" for r in week.tick(utc(2026, 12, 3, 21, 0)).delivery.sent)
    assert not any(r.kind == "summary" for r in week.tick(utc(2026, 12, 4, 20, 0)).delivery.sent)
