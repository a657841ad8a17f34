"""`make demo` plays its whole script against the real app, and the transcript tells the story."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from bot import prompts
from bot.models import OutboxMessage
from bot.preferences.person import schedule_of
from devtools.demo import START, TEAM_CONSENT, Transcript, play
from devtools.harness import Sprout
from devtools.local_slack import LocalSlack


@pytest.fixture
def demo(slack: LocalSlack, database_url: str) -> Iterator[Sprout]:
    running = Sprout(slack, database_url, START, team_consent=TEAM_CONSENT)
    yield running
    running.close()


def test_the_demo_plays_the_whole_week_and_the_transcript_tells_it(demo: Sprout):
    lines: list[str] = []
    play(demo, Transcript(demo, out=lines.append))
    text = "\n".join(lines)

    # Consent first: each person is asked, says yes (or no), and only then joins.
    assert "I've asked @Ravi, @Ana, @Leo" in text and "Waiting for their yes* (" in text
    assert 'Leo: (presses "No, not my manager")' in text
    # A one-on-one: the agenda to both, the prep to Maya alone, a wrap-up into priorities.
    assert "One-on-one: @Maya and @Ana" in text and "Your prep for the one-on-one with @Ana" in text
    assert "@Ana: Write the handoff notes before each release · due Fri 11 Dec" in text
    assert "<!date" not in text
    # ...and the next agenda follows up what they agreed.
    scene = text[text.index("== Thursday 17 December") :]
    assert (
        "Last time you agreed" in scene and "Ask finance about the Q1 budget · still open" in scene
    )
    # A baseline written down by Maya and agreed by Ana, then on Home and in the prep.
    assert 'Ana: (reads it, presses "Agree")' in text
    assert "@Ana agreed the baseline you wrote down" in text
    assert "*Your baseline* (agreed 1 Dec)" in scene
    # A focus proposed, accepted, practised in the check-in, noticed in the digest, praised.
    assert "@Ana accepted the focus" in text
    assert "Noted: you practised *write the handoff notes before each release* today." in text
    assert "@Ana practised *write the handoff notes before each release* once this week" in text
    assert "They've been practising *write the handoff notes before each release*" in text
    assert "You marked *write the handoff notes before each release* done with @Ana" in text
    assert "@Leo says they don't report to you" in text

    scene = text[text.index("== Thursday: Maya gives feedback") :]
    assert "Saved praise for @Ravi" in scene
    assert "Sprout -> Ravi" in scene and "Some praise from @Maya" in scene
    assert "Saved a redirect for @Ana on #handoffs" in scene
    assert "That's the 2nd redirect about @Ana on #handoffs in the last 90 days." in scene
    assert any(variant in scene for variant in prompts.variants("feedback.guide.curious"))
    assert "Sprout (shows a form):" in scene and "Who is it about?: @Ana" in scene
    assert "Sprout -> Ana" in scene and "The message it's about (https://" in scene
    assert "*Feedback about @Ana that you can see* (3)" in scene
    assert "<@" not in text and "&lt;" not in text  # the transcript reads like Slack looks

    # Check-ins at local times, nudges, one folded into the digest, the weekly summary.
    assert "Sprout -> Ravi [Tue 01 Dec 09:30 Kolkata] (DM):" in text
    assert "Sprout -> Ana [Tue 01 Dec 09:30 Berlin] (DM):" in text
    # Sam has no priorities: one prompt a week to set some (Mondays), not a daily check-in.
    assert "Sprout -> Sam [Tue 01 Dec 09:15 New York] (DM):" not in text
    assert "Sprout -> Sam [Mon 07 Dec 09:15 New York] (DM):" in text
    # A fresh install: one word on baselines, not "just joined" for people of years.
    assert "If you haven't agreed a baseline with your team, here's how" in text
    assert "just joined your team" not in text
    # A finished priority earns a praise nudge, or a line in the digest once the day's cap
    # is used (this week's baseline nudges for eight new reports use it up).
    assert "[Give praise]" in text or "finished *Hire a designer*. Praise is still welcome" in text
    assert "*Today's coaching digest*\n      Earlier: @" in text or "Earlier: @" in text
    summary = text[text.index("== Friday 15:00 in New York") :]
    assert "Sprout -> Maya [Fri 04 Dec 15:00 New York] (DM):" in summary
    assert "Something to reflect on" in summary

    # Week two: the digest, a third redirect (action plan), a nudge answered, a second summary.
    assert "That's the 3rd redirect about @Ana on #handoffs" in text
    assert "They're blocked on *Hire two support engineers*." in text
    second = "Sprout -> Maya [Fri 11 Dec 15:00 New York] (DM):\n      Your team, week of 7 Dec"
    assert text.count(second) == 1

    # Maya answers two reflections; the fourth week's summary looks back at her rating.
    assert 'Maya: (presses "Answer" under the question to reflect on)' in text
    assert text.count("[ Your reflection ]") == 2
    assert "*Four weeks in the mirror*\n      Your own rating, your latest answer: 2" in text
    # A month's pulse for her team of six: five answer, Lin once reminded, then the results.
    pulse = text[text.index("== Five of Maya's six answer the pulse") :]
    assert pulse.count("sends anonymously)") == 6
    assert re.search(r"Sprout -> Lin \[Mon 14 Dec \d\d:\d\d Singapore\] \(DM\):\n +A gentle", pulse)
    assert text.count("A gentle reminder") == 1
    results = pulse[pulse.index("Your team's pulse for December 2026") :]
    assert "6 people answered" in results and "Median" in results
    assert "*What people added* (in random order)" in results
    assert "Quick to notice good work." in results

    # The loop: a redirect kept, reminded once, then told; an answer; a request; a plan.
    assert "1 thing for @Tom they haven't heard yet" in text
    assert 'Maya: (talks to Tom, then presses "I told them")' in text
    assert 'Ana: (presses "Let\'s talk about it")' in text
    assert "Talk about Maya's redirect" in text  # on their one-on-one's agenda
    assert "@Ravi would like your feedback on #releases" in text
    assert "This answers the feedback you asked for." in text
    plan = text[text.index("== Tuesday: the same redirect a third time") :]
    assert "[Draft an action plan]" in plan and "drafted an action plan with you" in plan
    assert 'Ana: (reads it, presses "Agree")' in plan
    assert "action-plan step is due today" in plan and "*Action-plan steps due*" in plan
    assert "Today is the check-in on @Ana's action plan" in plan
    assert 'Maya: (presses "Resolved")' in plan and "What improved?" in plan
    assert "Every release this week came with handoff notes" in plan
    assert "*Your feedback loop this week*" in summary

    # The fortnight ends with the Home tab of a manager and of a member.
    maya = text.index("Maya: (opens Sprout's Home tab)")
    ravi = text.index("Ravi: (opens Sprout's Home tab)")
    ana = text.index("Ana: (opens Sprout's Home tab)")
    maya_home, ravi_home, ana_home = text[maya:ravi], text[ravi:ana], text[ana:]
    assert "What you and @Maya agreed" in ana_home and "*Your focus*" in ana_home
    assert "*Baselines agreed*" in maya_home
    assert "(Home tab):" in maya_home and "Your team (6)" in maya_home
    assert "[Give feedback]" in maya_home
    assert "Your priorities" in ravi_home and "Ship the billing page" in ravi_home
    assert "Your team" not in ravi_home
    assert "Your reflection journal" in maya_home and "how you did: 4/5" in maya_home
    assert maya_home.index("how you did: 4/5") < maya_home.index("how you did: 2/5")
    assert "journal" not in ravi_home and "I went quiet" not in ravi_home

    # Trust: a blocker while Maya paused Sprout waits, the report told when; a public
    # holiday with nothing sent; check-in reminders that back off.
    wednesday = text[text.index("== Wednesday: Ana is on vacation") :]
    wednesday = wednesday[: wednesday.index("== Thursday 09:00")]
    assert "Jules: (presses Blocked on “Launch the partner API docs”)" in wednesday
    assert "@Maya has paused Sprout for now, so they'll see this tomorrow at 15:00" in wednesday
    assert "Sprout -> Maya" not in wednesday
    thursday = text[text.index("== Thursday 09:00") : text.index("== Thursday: Maya gives")]
    assert "Sprout -> Maya [Thu 03 Dec 09:00 New York] (DM):\n      @Jules marked" in thursday
    assert "Jules: (types IT under “Public holidays of”, saves)" in text
    assert "Sprout -> Jules [Mon 07 Dec" in text and "Sprout -> Jules [Wed 09 Dec" in text
    assert "Sprout -> Jules [Tue 08 Dec" not in text
    lin = [line for line in text.splitlines() if line.startswith("    Sprout -> Lin [")]
    reminders = [line for line in lin if "11:30 Singapore" in line]
    days = [line.split("[", 1)[1][4:10] for line in reminders]
    assert days == ["01 Dec", "02 Dec", "03 Dec"]  # three unanswered, then no more
    assert "How often would you like them?" in text

    # The same run (the demo is the suite's longest test; it plays once per database).
    assert_no_dm_lands_outside_its_recipients_working_hours(demo)


def assert_no_dm_lands_outside_its_recipients_working_hours(demo: Sprout) -> None:
    with demo.services.sessions() as session:
        sent = list(session.scalars(select(OutboxMessage).where(OutboxMessage.status == "sent")))
        outside = [
            (row.kind, row.recipient_id, row.sent_at)
            for row in sent
            if row.recipient_id.startswith(("U", "W"))
            and not schedule_of(session, row.team_id, row.recipient_id).in_working_hours(
                row.sent_at
            )
        ]
    assert len(sent) > 100
    assert outside == [], outside
