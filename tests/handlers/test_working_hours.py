"""Nothing from Sprout outside the recipient's working hours, even a DM someone caused:
it waits for their next working start, and the sender is told when it will arrive."""

from __future__ import annotations

from datetime import UTC, datetime

from devtools.cast import ANA, MAYA, RAVI
from devtools.harness import Sprout
from devtools.local_slack import LocalSlack

# Monday 15:00 UTC: 10:00 for Maya in New York, 16:00 for Ana in Berlin, 20:30 for Ravi.
RAVIS_TUESDAY_0900 = datetime(2026, 12, 1, 3, 30, tzinfo=UTC)


def m(person) -> str:
    return f"<@{person.user_id}|{person.name.lower()}>"


def test_a_welcome_after_the_recipients_working_day_waits_for_their_morning(
    sprout: Sprout, slack: LocalSlack
):
    reply = sprout.command(MAYA.user_id, "/team", f"add {m(RAVI)} {m(ANA)}")

    assert slack.dms_to(RAVI.user_id) == []
    assert len(slack.dms_to(ANA.user_id)) == 1  # 16:00 in Berlin: at once
    assert f"reaches <@{RAVI.user_id}> at 09:00 their time (Tue), in 12 h" in reply.text
    assert f"reaches <@{ANA.user_id}>" not in reply.text

    sprout.tick(RAVIS_TUESDAY_0900)

    [welcome] = slack.dms_to(RAVI.user_id)
    assert f"<@{MAYA.user_id}> added you to their team" in welcome.text


def test_the_sender_who_means_it_sends_it_now_anyway(sprout: Sprout, slack: LocalSlack):
    reply = sprout.command(MAYA.user_id, "/team", f"add {m(RAVI)}")

    answer = sprout.click_response(MAYA.user_id, reply.responses[0], "held_send_anyway")

    assert f"Sent to <@{RAVI.user_id}> now" in answer.text
    assert len(slack.dms_to(RAVI.user_id)) == 1
    sprout.tick(RAVIS_TUESDAY_0900)
    assert len(slack.dms_to(RAVI.user_id)) == 1  # never twice


def test_only_the_sender_can_send_a_held_dm_early(sprout: Sprout, slack: LocalSlack):
    reply = sprout.command(MAYA.user_id, "/team", f"add {m(RAVI)}")

    answer = sprout.click_response(ANA.user_id, reply.responses[0], "held_send_anyway")

    assert "isn't waiting any more" in answer.text
    assert slack.dms_to(RAVI.user_id) == []


def test_feedback_sent_at_2041_their_time_reaches_them_at_0900_and_the_giver_is_told(
    sprout: Sprout, slack: LocalSlack
):
    sprout.set_time(datetime(2026, 11, 30, 15, 11, tzinfo=UTC))  # 20:41 in Kolkata
    [response] = sprout.command(MAYA.user_id, "/feedback", f"{m(RAVI)} + clear notes").responses

    sent = sprout.click_response(MAYA.user_id, response, "feedback_send")

    assert f"reaches <@{RAVI.user_id}> at 09:00 their time (Tue), in 12 h" in sent.text
    assert slack.dms_to(RAVI.user_id) == []
    sprout.tick(RAVIS_TUESDAY_0900)
    [dm] = slack.dms_to(RAVI.user_id)
    assert "clear notes" in " ".join(b["text"]["text"] for b in dm.blocks if "text" in b)


def test_a_status_request_waits_for_the_owners_working_hours(sprout: Sprout, slack: LocalSlack):
    from bot.nudges.actions import ask_about
    from bot.usecase import Actor, perform

    sprout.command(MAYA.user_id, "/team", f"add {m(RAVI)}")
    sprout.tick(RAVIS_TUESDAY_0900)
    sprout.command(RAVI.user_id, "/priority", "add Ship the billing page")
    sprout.set_time(datetime(2026, 12, 1, 15, 0, tzinfo=UTC))  # 20:30 for Ravi again
    before = len(slack.dms_to(RAVI.user_id))

    outcome = perform(
        sprout.services, ask_about, Actor(sprout.team_id, MAYA.user_id), "1", now=sprout.now()
    )

    assert [held.recipient_id for held in outcome.held] == [RAVI.user_id]
    assert len(slack.dms_to(RAVI.user_id)) == before


def test_a_priority_set_for_a_report_after_their_day_waits_for_their_morning(
    sprout: Sprout, slack: LocalSlack
):
    sprout.command(MAYA.user_id, "/team", f"add {m(RAVI)}")
    sprout.tick(RAVIS_TUESDAY_0900)  # the welcome
    sprout.set_time(datetime(2026, 12, 1, 15, 0, tzinfo=UTC))  # 20:30 in Kolkata
    before = len(slack.dms_to(RAVI.user_id))

    reply = sprout.command(MAYA.user_id, "/priority", f"add Draft the plan due fri for {m(RAVI)}")

    assert len(slack.dms_to(RAVI.user_id)) == before
    assert f"reaches <@{RAVI.user_id}> at 09:00 their time (Wed)" in reply.text
    sprout.tick(datetime(2026, 12, 2, 3, 30, tzinfo=UTC))
    assert f"<@{MAYA.user_id}>" in slack.dms_to(RAVI.user_id)[-1].text
