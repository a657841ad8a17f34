"""One-on-ones: set up with `/coach 1on1`, a shared agenda in the pair's group DM an hour
before, the manager's private prep, items from either side, and a wrap-up that turns what
they agreed into priorities the next agenda follows up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.db import transaction
from bot.models import OutboxMessage, Priority
from bot.oneonones import bring_up
from devtools.cast import ANA, LEO, MAYA, RAVI
from devtools.harness import Sprout, block_texts
from devtools.local_slack import LocalSlack, Message

# Tue 1 Dec 2026 14:00 in New York (Maya's zone) is 19:00 UTC: the agenda comes at 18:00.
AGENDA_TIME = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)
NEXT_WEEK = AGENDA_TIME + timedelta(days=7)


def at(person) -> str:
    return f"<@{person.user_id}>"


@pytest.fixture
def team(sprout: Sprout, slack: LocalSlack) -> Sprout:
    sprout.command(MAYA.user_id, "/team", f"add {at(ANA)} {at(RAVI)}")
    slack.reset_records()
    return sprout


@pytest.fixture
def weekly(team: Sprout) -> Sprout:
    team.command(MAYA.user_id, "/coach", f"1on1 {at(ANA)} every tue 14:00")
    return team


def agendas(slack: LocalSlack, *people) -> list[Message]:
    return slack.messages(slack.group_dm(*(p.user_id for p in people)))


def shown(message: Message) -> str:
    return "\n".join(block_texts(message.blocks))


def everything_to(slack: LocalSlack, person) -> str:
    return "\n".join(shown(m) for m in slack.dms_to(person.user_id))


def agenda_rows(sprout: Sprout) -> list[OutboxMessage]:
    with sprout.services.sessions() as session:
        return list(
            session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "oneonone_agenda"))
        )


def test_the_agenda_reaches_both_and_only_both_in_their_group_dm_an_hour_before(
    weekly: Sprout, slack: LocalSlack
):
    weekly.tick(AGENDA_TIME - timedelta(minutes=1))
    assert agendas(slack, MAYA, ANA) == []

    weekly.tick(AGENDA_TIME)

    [agenda] = agendas(slack, MAYA, ANA)
    assert slack.group_dm_members(agenda.channel) == [ANA.user_id, MAYA.user_id]
    assert "One-on-one" in shown(agenda) and "only you two and Sprout" in shown(agenda)
    assert "one-on-one" not in everything_to(slack, RAVI).lower()


def test_the_prep_reaches_only_the_manager(weekly: Sprout, slack: LocalSlack):
    weekly.command(MAYA.user_id, "/feedback", f"{at(ANA)} redirect #estimates missed the date")
    weekly.tick(AGENDA_TIME)

    prep = everything_to(slack, MAYA)
    assert "Your prep for the one-on-one" in prep and "Only you see this" in prep
    assert "missed the date" in prep  # kept, not told yet
    assert "#estimates" in prep and "supportive" in prep
    assert "One question to take in" in prep
    assert "prep" not in everything_to(slack, ANA).lower()
    assert "missed the date" not in "\n".join(shown(m) for m in agendas(slack, MAYA, ANA))


def test_the_setup_answers_in_words_and_the_report_cannot_set_it_up(team: Sprout):
    reply = team.command(MAYA.user_id, "/coach", f"1on1 {at(ANA)} every tue 14:00")
    assert "every Tue at 14:00 your time" in reply.text

    refused = team.command(ANA.user_id, "/coach", f"1on1 {at(MAYA)} every wed 10:00")
    assert "sets up your one-on-ones" in refused.text


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("1on1", "with one @-mention"),
        (f"1on1 {at(ANA)} every blursday 14:00", "couldn't read `blursday` as days"),
        (f"1on1 {at(ANA)} every tue 25:00", "couldn't read `25:00` as a time"),
        (f"1on1 {at(ANA)} sometimes", "Say when"),
        (f"1on1 {at(LEO)} every tue 14:00", "aren't that (yet)"),
        (f"1on1 {at(MAYA)}", "takes two"),
        (f"agenda {at(ANA)}", "What would you like to talk about"),
        (f"agenda {at(ANA)} " + "x" * 301, "That's 301 characters"),
    ],
)
def test_bad_input_gets_a_clear_answer(team: Sprout, text: str, answer: str):
    assert answer in team.command(MAYA.user_id, "/coach", text).text


def test_the_agenda_holds_every_kind_of_item(weekly: Sprout, slack: LocalSlack):
    ana = ANA.user_id
    weekly.command(ana, "/priority", "add Ship the billing page")
    weekly.command(ana, "/priority", "status 1 blocked waiting on legal")
    weekly.command(ana, "/priority", "add Hire a designer")
    weekly.command(ana, "/priority", "status 2 at-risk")
    weekly.command(ana, "/priority", "add Write the runbook due tue")
    weekly.command(ana, "/priority", "add Plan the offsite")
    weekly.command(MAYA.user_id, "/coach", f"agenda {at(ANA)} Conference budget")
    weekly.command(ana, "/coach", f"agenda {at(MAYA)} Moving to the platform team")
    with transaction(weekly.services.sessions) as session:
        brought = bring_up(
            session, weekly.team_id, ana, author_id=ana, text="Let's talk about the demo feedback",
            source="feedback", source_ref="41", now=weekly.now(),
        )  # fmt: skip
    assert brought
    weekly.tick(AGENDA_TIME)
    weekly.tick(NEXT_WEEK)  # a week on: the runbook is overdue, the offsite plan stale

    text = shown(agendas(slack, MAYA, ANA)[-1])
    assert "Ship the billing page · blocked" in text
    assert "Hire a designer · at risk" in text
    assert "Write the runbook · past its due date" in text
    assert "Plan the offsite · no update in a while" in text
    assert f"<@{MAYA.user_id}>: Conference budget" in text
    assert f"<@{ana}>: Moving to the platform team" in text
    assert "Let's talk about the demo feedback" in text


def test_another_feature_brings_an_item_up_once(team: Sprout):
    def bring() -> bool:
        with transaction(team.services.sessions) as session:
            return bring_up(
                session, team.team_id, ANA.user_id, author_id=ANA.user_id, text="Let's talk",
                source="feedback", source_ref="7", now=team.now(),
            )  # fmt: skip

    assert bring() is True
    assert bring() is False


def test_past_twenty_items_the_agenda_folds_the_rest(weekly: Sprout, slack: LocalSlack):
    for n in range(23):
        weekly.command(MAYA.user_id, "/coach", f"agenda {at(ANA)} Topic number {n + 1}")
    weekly.tick(AGENDA_TIME)

    [agenda] = agendas(slack, MAYA, ANA)
    text = shown(agenda)
    assert "Topic number 20" in text and "Topic number 21" not in text
    assert "…and 3 more" in text
    assert len(agenda.blocks) <= 50


def test_each_meeting_gets_one_agenda_across_restarts(
    weekly: Sprout, slack: LocalSlack, database_url: str
):
    weekly.tick(AGENDA_TIME)
    weekly.tick(AGENDA_TIME + timedelta(minutes=1))
    again = Sprout(  # a restarted process, on the same database
        slack, database_url, AGENDA_TIME + timedelta(minutes=2)
    )
    try:
        again.tick(AGENDA_TIME + timedelta(minutes=2))
        assert len(agendas(slack, MAYA, ANA)) == 1
        assert [r.period for r in agenda_rows(again)] == ["2026-12-01T14:00"]
        again.tick(NEXT_WEEK)
        assert [r.period for r in agenda_rows(again)] == ["2026-12-01T14:00", "2026-12-08T14:00"]
    finally:
        again.close()


def test_the_meeting_stays_at_the_managers_wall_time_across_dst(team: Sprout, slack: LocalSlack):
    team.set_time(datetime(2026, 10, 26, 15, 0, tzinfo=UTC))  # New York still on EDT
    team.command(MAYA.user_id, "/coach", f"1on1 {at(ANA)} every tue 14:00")

    team.tick(datetime(2026, 10, 27, 17, 0, tzinfo=UTC))  # 13:00 EDT
    team.tick(datetime(2026, 11, 3, 17, 0, tzinfo=UTC))  # 12:00 EST: not yet
    assert len(agendas(slack, MAYA, ANA)) == 1
    team.tick(datetime(2026, 11, 3, 18, 0, tzinfo=UTC))  # 13:00 EST

    assert [r.period for r in agenda_rows(team)] == ["2026-10-27T14:00", "2026-11-03T14:00"]


def test_every_other_week_skips_a_week_and_off_stops_them(team: Sprout, slack: LocalSlack):
    team.command(MAYA.user_id, "/coach", f"1on1 {at(ANA)} every other tue 14:00")
    team.tick(AGENDA_TIME)
    team.tick(NEXT_WEEK)
    team.tick(NEXT_WEEK + timedelta(days=7))
    assert [r.period for r in agenda_rows(team)] == ["2026-12-01T14:00", "2026-12-15T14:00"]

    reply = team.command(MAYA.user_id, "/coach", f"1on1 {at(ANA)} off")
    assert "No more scheduled one-on-ones" in reply.text
    team.tick(NEXT_WEEK + timedelta(days=21))
    assert len(agenda_rows(team)) == 2


def test_once_meets_on_the_next_such_day(team: Sprout):
    reply = team.command(MAYA.user_id, "/coach", f"1on1 {at(ANA)} once fri 11:30")
    assert "A one-on-one with" in reply.text
    team.tick(datetime(2026, 12, 4, 15, 30, tzinfo=UTC))  # Fri 10:30 in New York
    team.tick(datetime(2026, 12, 11, 15, 30, tzinfo=UTC))
    assert [r.period for r in agenda_rows(team)] == ["2026-12-04T11:30"]


def test_nothing_after_the_name_posts_an_agenda_now(team: Sprout, slack: LocalSlack):
    reply = team.command(MAYA.user_id, "/coach", f"1on1 {at(ANA)}")
    assert "is in your group DM" in reply.text
    assert len(agendas(slack, MAYA, ANA)) == 1
    assert "Your prep" in everything_to(slack, MAYA)


def test_an_item_added_after_the_agenda_went_out_shows_on_it(weekly: Sprout, slack: LocalSlack):
    weekly.tick(AGENDA_TIME)
    weekly.command(ANA.user_id, "/coach", f"agenda {at(MAYA)} Time off in March")
    [agenda] = agendas(slack, MAYA, ANA)
    assert "Time off in March" in shown(agenda) and agenda.updates == 1


def test_add_an_item_opens_a_form_and_the_agenda_shows_the_item(weekly: Sprout, slack: LocalSlack):
    weekly.tick(AGENDA_TIME)
    [agenda] = agendas(slack, MAYA, ANA)
    weekly.click(ANA.user_id, agenda, "oneonone_add_item")
    form = slack.views[-1].view
    weekly.submit(
        ANA.user_id, form, {"item": {"text": {"type": "plain_text_input", "value": "Career path"}}}
    )
    [agenda] = agendas(slack, MAYA, ANA)
    assert f"<@{ANA.user_id}>: Career path" in shown(agenda)


def wrap_up(sprout: Sprout, slack: LocalSlack, who, report_will: str, manager_will: str, note=""):
    agenda = agendas(slack, MAYA, ANA)[-1]
    sprout.click(who.user_id, agenda, "oneonone_wrap_up")
    form = slack.views[-1].view
    values = {
        "report_will": {"value": {"type": "plain_text_input", "value": report_will}},
        "manager_will": {"value": {"type": "plain_text_input", "value": manager_will}},
        "note": {"value": {"type": "plain_text_input", "value": note}},
    }
    return sprout.submit(who.user_id, form, values)


def test_wrap_up_turns_agreed_lines_into_priorities_with_owners_and_the_next_agenda_follows_them(
    weekly: Sprout, slack: LocalSlack
):
    weekly.command(MAYA.user_id, "/coach", f"agenda {at(ANA)} Conference budget")
    weekly.tick(AGENDA_TIME)
    wrap_up(
        weekly, slack, MAYA,
        "Draft the launch plan due fri\nPair with Ravi on estimates", "Approve the budget",
        note="Ana seemed tired; ask about workload",
    )  # fmt: skip

    with weekly.services.sessions() as session:
        made = {(p.owner_id, p.title, str(p.due_on)) for p in session.scalars(select(Priority))}
    assert made == {
        (ANA.user_id, "Draft the launch plan", "2026-12-04"),
        (ANA.user_id, "Pair with Ravi on estimates", "None"),
        (MAYA.user_id, "Approve the budget", "None"),
    }
    posted = [shown(m) for m in agendas(slack, MAYA, ANA)]
    assert any(
        "wrapped up the one-on-one" in text and "Approve the budget" in text for text in posted
    )
    assert "Wrapped up by" in shown(agendas(slack, MAYA, ANA)[0])

    weekly.command(ANA.user_id, "/priority", "done 1")
    weekly.tick(NEXT_WEEK)
    text = shown(agendas(slack, MAYA, ANA)[-1])
    assert "Last time you agreed" in text
    assert "Draft the launch plan · done" in text
    assert "Pair with Ravi on estimates · still open" in text
    assert "Conference budget" not in text  # talked about: covered by the wrap-up
    assert "ask about workload" in everything_to(slack, MAYA)  # her own note, in her prep
    assert "ask about workload" not in everything_to(slack, ANA)


def test_a_wrap_up_with_an_unreadable_date_says_which_line_and_saves_nothing(
    weekly: Sprout, slack: LocalSlack
):
    weekly.tick(AGENDA_TIME)
    reply = wrap_up(weekly, slack, ANA, "Draft the plan due someday", "")
    assert b"someday" in reply.body and b"report_will" in reply.body
    with weekly.services.sessions() as session:
        assert session.scalars(select(Priority)).all() == []


def test_someone_outside_the_pair_cannot_wrap_up_their_meeting(weekly: Sprout, slack: LocalSlack):
    weekly.tick(AGENDA_TIME)
    [agenda] = agendas(slack, MAYA, ANA)
    reply = weekly.click(LEO.user_id, agenda, "oneonone_wrap_up")
    assert "isn't yours" in reply.text
    assert slack.views == []


def test_the_manager_sets_how_long_before_the_agenda_comes(weekly: Sprout, slack: LocalSlack):
    reply = weekly.command(MAYA.user_id, "/coach", f"1on1 {at(ANA)} lead 2h")
    assert "comes 2 hours before" in reply.text

    weekly.tick(AGENDA_TIME - timedelta(minutes=61))
    assert agendas(slack, MAYA, ANA) == []
    weekly.tick(AGENDA_TIME - timedelta(minutes=60))  # two hours before the meeting
    assert len(agendas(slack, MAYA, ANA)) == 1

    # A new time keeps the lead; it can be said in the same line too.
    moved = weekly.command(MAYA.user_id, "/coach", f"1on1 {at(ANA)} every wed 9:00")
    assert "comes 2 hours before" in moved.text
    both = weekly.command(MAYA.user_id, "/coach", f"1on1 {at(ANA)} every thu 9:00 lead 30m")
    assert "comes 30 minutes before" in both.text


@pytest.mark.parametrize(
    ("who", "text", "answer"),
    [
        (MAYA, f"1on1 {at(ANA)} lead 3w", "from 10 minutes to 7 days"),
        (MAYA, f"1on1 {at(ANA)} lead soon", "from 10 minutes to 7 days"),
        (MAYA, f"1on1 {at(ANA)} lead 5m", "from 10 minutes to 7 days"),
        (MAYA, f"1on1 {at(RAVI)} lead 2h", "Set up the one-on-ones first"),
        (ANA, f"1on1 {at(MAYA)} lead 2h", "sets up your one-on-ones"),
    ],
)
def test_a_lead_time_that_cannot_be_read_or_set_says_why(weekly: Sprout, who, text, answer):
    assert answer in weekly.command(who.user_id, "/coach", text).text
