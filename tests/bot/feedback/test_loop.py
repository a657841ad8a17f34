"""A manager's own feedback loop, as the weekly summary and their Home show it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.db import transaction
from bot.models import ActionPlan
from bot.prompts import render
from devtools.cast import ANA, MAYA, RAVI
from devtools.harness import Sprout, block_texts
from devtools.local_slack import LocalSlack

TUESDAY = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # Ravi's and Ana's working hours


def at(person) -> str:
    return f"<@{person.user_id}>"


def sent(sprout: Sprout, text: str) -> None:
    reply = sprout.command(MAYA.user_id, "/feedback", text)
    sprout.click_response(MAYA.user_id, reply.responses[-1], "feedback_send")


def preview(sprout: Sprout, slack: LocalSlack) -> str:
    sprout.command(MAYA.user_id, "/coach", "summary")
    [summary] = [m for m in slack.dms_to(MAYA.user_id) if "weekly summary" in m.text][-1:]
    return "\n".join(block_texts(summary.blocks))


def home(sprout: Sprout, slack: LocalSlack) -> str:
    sprout.event({"type": "app_home_opened", "user": MAYA.user_id, "tab": "home"})
    return "\n".join(block_texts((slack.home_of(MAYA.user_id) or {})["blocks"]))


def team(sprout: Sprout) -> None:
    sprout.set_time(TUESDAY - timedelta(days=7))
    sprout.command(MAYA.user_id, "/team", f"add {at(RAVI)} {at(ANA)}")
    sprout.set_time(TUESDAY)


def test_the_loop_says_how_soon_feedback_reached_people_after_the_moment(
    sprout: Sprout, slack: LocalSlack
):
    team(sprout)
    sprout.command(RAVI.user_id, "/priority", "add Ship the billing page")
    sprout.command(RAVI.user_id, "/priority", "done 1")
    sprout.advance(hours=2)
    sent(sprout, f"{at(RAVI)} praise the billing page shipped clean")
    sprout.command(MAYA.user_id, "/feedback", f"{at(ANA)} redirect #docs late spec")  # kept

    text = preview(sprout, slack)  # Sprout's first week: nothing before it to compare with
    assert "Your feedback loop this week" in text
    assert "From the moment to feedback they heard: 2 h. " in text
    assert "Reached the person: 1 of 2. " in text
    assert "Praise to redirects: 1:1. " in text
    mine = home(sprout, slack)
    assert "Your feedback loop this week" in mine
    assert "Praise to redirects: 1:1 (last week 0:0)" in mine


def test_a_one_to_four_balance_asks_the_positive_bias_question(sprout: Sprout, slack: LocalSlack):
    team(sprout)
    sent(sprout, f"{at(RAVI)} praise calm on the call")
    for topic in ("docs", "handoffs", "tests", "reviews"):
        sent(sprout, f"{at(ANA)} redirect #{topic} needs care")
    text = preview(sprout, slack)
    assert "Mostly redirects: people need to hear what's working too." in text
    assert render("loop.question.balance") in text


def test_feedback_kept_unsaid_is_read_as_such_and_asks_about_it(sprout: Sprout, slack: LocalSlack):
    team(sprout)
    sprout.command(MAYA.user_id, "/feedback", f"{at(RAVI)} praise good demo")
    sprout.command(MAYA.user_id, "/feedback", f"{at(ANA)} praise tidy notes")
    text = preview(sprout, slack)
    assert "Reached the person: 0 of 2" in text and "hasn't reached them yet" in text
    assert render("loop.question.unsaid") in text


def test_open_plans_are_counted(sprout: Sprout, slack: LocalSlack):
    team(sprout)
    with transaction(sprout.services.sessions) as session:
        session.add(
            ActionPlan(
                team_id=sprout.team_id, manager_id=MAYA.user_id, report_id=ANA.user_id,
                feedback_id=1, topic="docs", status="agreed", check_in_on=date(2026, 12, 11),
                token="t1", created_at=TUESDAY - timedelta(hours=1),
            )
        )  # fmt: skip
    text = preview(sprout, slack)
    assert "Open action plans: 1. " in text
    assert render("loop.question.plans") in text


def test_the_four_weekly_review_times_feedback_from_the_moment_as_the_week_does(
    sprout: Sprout, slack: LocalSlack
):
    team(sprout)
    sprout.command(RAVI.user_id, "/priority", "add Ship the billing page")
    sprout.command(RAVI.user_id, "/priority", "done 1")  # the moment, Tuesday
    sprout.set_time(TUESDAY + timedelta(days=2))
    sent(sprout, f"{at(RAVI)} praise the billing page shipped clean")  # saved and sent at once
    with transaction(sprout.services.sessions) as session:
        session.add(
            ActionPlan(
                team_id=sprout.team_id, manager_id=MAYA.user_id, report_id=ANA.user_id,
                feedback_id=1, topic="docs", status="agreed", check_in_on=date(2026, 12, 11),
                token="t1", created_at=TUESDAY,
            )
        )  # fmt: skip
    sprout.set_time(TUESDAY + timedelta(days=7))  # the week of 7 Dec looks back four weeks
    text = preview(sprout, slack)
    assert "Four weeks in the mirror" in text
    assert "1:0 praise to redirects · 1 of 1 reached the person" in text
    assert "from the moment to feedback they heard: 2 days" in text
    assert "1 action plan open" in text
