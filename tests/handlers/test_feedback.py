"""`/feedback`, its modal, the "Give feedback" shortcut and the buttons, through signed
requests against the local Slack."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from bot import prompts
from bot.db import transaction
from bot.models import AgendaItem, Feedback, FeedbackAsk, Workspace
from bot.oneonones.agenda import Pair, cover_items
from devtools.cast import ANA, DEPLOYBOT, GONE, LEO, MAYA, NOOR, OMAR, RAVI, SAM, TOM, Person
from devtools.forms import form_values
from devtools.harness import Reply, Sprout, block_texts, buttons, same_moment
from devtools.local_slack import LocalSlack, Message, Response

MODAL = "feedback_form"
# Feedback DMs reach people in their working hours: the tests that send one start then.
RAVIS_MORNING = datetime(2026, 12, 1, 4, 0, tzinfo=UTC)  # Tuesday 09:30 in Kolkata
MAYAS_MORNING = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)  # Tuesday 09:00 in New York
LEOS_MORNING = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)  # Monday 09:00 in Los Angeles
SHORTCUT = "give_feedback"


def m(person: Person) -> str:
    return f"<@{person.user_id}|{person.name.lower()}>"


def at(person: Person) -> str:
    return f"<@{person.user_id}>"


def records(sprout: Sprout) -> list[Feedback]:
    with sprout.services.sessions() as session:
        return list(session.scalars(select(Feedback).order_by(Feedback.id)))


def feedback(sprout: Sprout, giver: Person, text: str) -> Reply:
    return sprout.command(giver.user_id, "/feedback", text)


def confirmation(reply: Reply) -> Response:
    [response] = reply.responses
    assert response.response_type == "ephemeral"
    return response


def labels(blocks: list[dict[str, Any]]) -> list[str]:
    """The buttons' labels (the date picker next to "I told them" is not a button)."""
    return [e["text"]["text"] for _, e in buttons(blocks) if e.get("type", "button") == "button"]


def team(sprout: Sprout, manager: Person, *reports: Person) -> None:
    sprout.command(manager.user_id, "/team", "add " + " ".join(m(r) for r in reports))


# --- /feedback @person ...  --------------------------------------------------------------------


def test_praise_is_saved_and_confirmed_only_to_the_giver(sprout: Sprout, slack: LocalSlack):
    team(sprout, MAYA, RAVI)
    reply = feedback(sprout, MAYA, f"{m(RAVI)} praise clear release notes for the 2.4 launch")

    response = confirmation(reply)
    assert f"Saved praise for {at(RAVI)}" in reply.text
    assert "clear release notes for the 2.4 launch" in reply.text
    assert "Only you can see it" in reply.text
    # She is his manager: nobody to share with.
    assert labels(response.blocks) == ["Send it to Ravi", "I told them", "Undo"]
    [record] = records(sprout)
    assert (record.giver_id, record.about_id, record.kind, record.source) == (
        MAYA.user_id,
        RAVI.user_id,
        "praise",
        "command",
    )
    assert slack.dms_to(RAVI.user_id)[1:] == []  # only the /team welcome: nothing was sent


def test_praise_comes_with_a_reinforcement_tip(sprout: Sprout):
    reply = feedback(sprout, MAYA, f"{m(RAVI)} kudos calm handling of the outage")
    assert "Saved praise" in reply.text
    assert any(tip in reply.text for tip in prompts.variants("feedback.guide.praise"))
    assert rung(reply) == "none"


def test_send_delivers_a_dm_naming_the_giver_and_a_second_press_sends_nothing(
    sprout: Sprout, slack: LocalSlack
):
    sprout.set_time(RAVIS_MORNING)
    response = confirmation(feedback(sprout, MAYA, f"{m(RAVI)} + clear release notes"))
    pressed = sprout.now()

    sent = sprout.click_response(MAYA.user_id, response, "feedback_send")
    assert f"Sent to {at(RAVI)}, with your name on it." in sent.text
    [dm] = slack.dms_to(RAVI.user_id)
    assert at(MAYA) in dm.text and not dm.missing_text_fallback
    assert "clear release notes" in "\n".join(block_texts(dm.blocks))
    [record] = records(sprout)
    assert same_moment(record.delivered_at, pressed)

    again = sprout.click_response(MAYA.user_id, response, "feedback_send")
    assert "already sent this" in again.text
    assert len(slack.dms_to(RAVI.user_id)) == 1


def test_undo_deletes_the_record_and_a_second_undo_says_it_is_gone(sprout: Sprout):
    response = confirmation(feedback(sprout, MAYA, f"{m(RAVI)} praise nice demo"))

    assert "Undone" in sprout.click_response(MAYA.user_id, response, "feedback_undo").text
    assert records(sprout) == []
    again = sprout.click_response(MAYA.user_id, response, "feedback_undo")
    assert "That feedback was undone, so there's nothing left to do with it." in again.text
    assert "nothing left" in sprout.click_response(MAYA.user_id, response, "feedback_send").text


def test_undo_after_send_keeps_it_and_explains(sprout: Sprout):
    response = confirmation(feedback(sprout, MAYA, f"{m(RAVI)} praise nice demo"))
    sprout.click_response(MAYA.user_id, response, "feedback_send")

    reply = sprout.click_response(MAYA.user_id, response, "feedback_undo")

    assert "already gone to" in reply.text and "can't be undone" in reply.text
    assert len(records(sprout)) == 1


def test_several_people_get_one_record_and_one_set_of_buttons_each(sprout: Sprout):
    reply = feedback(sprout, MAYA, f"{m(RAVI)} {m(ANA)} {m(RAVI)} praise smooth launch")

    assert [r.about_id for r in records(sprout)] == [RAVI.user_id, ANA.user_id]
    names = labels(confirmation(reply).blocks)
    assert names.count("Undo") == 2 and "Send it to Ravi" in names and "Send it to Ana" in names


def test_without_a_kind_it_is_a_note_with_buttons_to_mark_it(sprout: Sprout):
    team(sprout, MAYA, ANA)
    response = confirmation(feedback(sprout, MAYA, f"{m(ANA)} #handoffs no notes again"))
    assert "Saved a note about" in response.text
    assert labels(response.blocks) == ["Send it to Ana", "Praise", "Redirect", "Undo"]

    marked = sprout.click_response(MAYA.user_id, response, "feedback_mark_redirect")

    assert "Marked as a redirect." in marked.text and rung(marked) == "supportive"
    assert records(sprout)[0].kind == "redirect"
    again = sprout.click_response(MAYA.user_id, response, "feedback_mark_praise")
    assert "already marked as redirect" in again.text
    assert records(sprout)[0].kind == "redirect"


def test_an_explicit_note_does_not_ask_for_a_kind(sprout: Sprout):
    response = confirmation(feedback(sprout, MAYA, f"{m(ANA)} note took the on-call swap"))
    assert "Praise" not in labels(response.blocks)


def rung(reply: Reply) -> str:
    """Which ladder rung (any of its variants) the reply suggests."""
    for name in ("supportive", "curious", "action_plan"):
        if any(variant in reply.text for variant in prompts.variants(f"feedback.guide.{name}")):
            return name
    return "none"


def sent(sprout: Sprout, giver: Person, text: str) -> Reply:
    """Feedback saved and then sent to the person: the confirmation it got."""
    reply = feedback(sprout, giver, text)
    sprout.click_response(giver.user_id, confirmation(reply), "feedback_send")
    return reply


def test_the_ladder_picks_the_rung_for_the_first_second_and_third_redirect(sprout: Sprout):
    team(sprout, MAYA, ANA)
    first = sent(sprout, MAYA, f"{m(ANA)} redirect #handoffs no notes for the night shift")
    sprout.advance(days=4)
    second = sent(sprout, MAYA, f"{m(ANA)} - #Handoffs notes missing again")
    sprout.advance(days=4)
    third = sent(sprout, MAYA, f"{m(ANA)} improve #HANDOFFS third time this month")

    assert [rung(first), rung(second), rung(third)] == ["supportive", "curious", "action_plan"]
    assert f"2nd redirect about {at(ANA)} on #handoffs in the last 90 days" in second.text
    assert "3rd redirect" in third.text


def test_the_ladder_does_not_climb_across_topics_or_people(sprout: Sprout):
    team(sprout, MAYA, ANA, RAVI)
    sent(sprout, MAYA, f"{m(ANA)} redirect #handoffs no notes")
    sent(sprout, MAYA, f"{m(ANA)} redirect #handoffs no notes again")
    other_topic = feedback(sprout, MAYA, f"{m(ANA)} redirect #estimates way over")
    other_person = feedback(sprout, MAYA, f"{m(RAVI)} redirect #handoffs no notes")

    assert rung(other_topic) == "supportive" and rung(other_person) == "supportive"


def test_a_redirect_without_a_topic_suggests_adding_one(sprout: Sprout):
    team(sprout, MAYA, ANA)
    sent(sprout, MAYA, f"{m(ANA)} redirect late to standup")
    reply = feedback(sprout, MAYA, f"{m(ANA)} redirect late to standup")
    assert rung(reply) == "supportive" and "#topic" in reply.text


def test_three_kept_redirects_stay_on_the_first_rung_and_are_shown_as_not_yet_told(
    sprout: Sprout,
):
    team(sprout, MAYA, ANA)
    for n in range(3):
        kept = feedback(sprout, MAYA, f"{m(ANA)} redirect #handoffs no notes, take {n}")
        assert rung(kept) == "supportive"
    fourth = sent(sprout, MAYA, f"{m(ANA)} redirect #handoffs no notes again")

    assert rung(fourth) == "supportive" and "2nd redirect" not in fourth.text
    assert f"You have 3 more on #handoffs that {at(ANA)} hasn't heard yet" in fourth.text
    assert feedback(sprout, MAYA, f"list {m(ANA)}").text.count("not yet told") == 3


def test_i_told_them_marks_it_told_and_the_next_redirect_climbs(sprout: Sprout, slack: LocalSlack):
    team(sprout, MAYA, ANA)
    response = confirmation(feedback(sprout, MAYA, f"{m(ANA)} redirect #handoffs no notes"))

    told = sprout.click_response(MAYA.user_id, response, "feedback_told")

    assert f"Noted: {at(ANA)} heard it from you in person." in told.text
    assert slack.dms_to(ANA.user_id)[1:] == []  # nothing sent: she heard it from Maya
    assert "told in person" in feedback(sprout, MAYA, f"list {m(ANA)}").text
    assert "no notes" not in feedback(sprout, ANA, f"list {m(ANA)}").text  # not sent to her
    again = feedback(sprout, MAYA, f"{m(ANA)} redirect #handoffs no notes again")
    assert rung(again) == "curious"
    assert "already heard" in sprout.click_response(MAYA.user_id, response, "feedback_told").text


def test_i_told_them_on_a_picked_day_and_a_day_to_come_is_refused(sprout: Sprout):
    team(sprout, MAYA, ANA)
    response = confirmation(feedback(sprout, MAYA, f"{m(ANA)} praise calm in the incident"))
    tomorrow = (sprout.now() + timedelta(days=1)).date().isoformat()

    refused = pick_told_day(sprout, response, tomorrow)
    assert "Pick a day from the last 90 days" in refused.text and records(sprout)[0].told_at is None

    day = (sprout.now() - timedelta(days=2)).date()
    assert "heard it from you" in pick_told_day(sprout, response, day.isoformat()).text
    assert records(sprout)[0].told_at.date() == day
    assert f"told in person {day.strftime('%a')}" in feedback(sprout, MAYA, f"list {m(ANA)}").text


def pick_told_day(sprout: Sprout, response: Response, day: str) -> Reply:
    return sprout.click_response(
        MAYA.user_id, response, "feedback_told_on", selected={"selected_date": day}
    )


def test_a_colleague_is_never_told_to_write_an_action_plan(sprout: Sprout):
    team(sprout, MAYA, ANA)
    for n in range(2):
        sent(sprout, LEO, f"{m(ANA)} redirect #handoffs no notes, take {n}")
    third = sent(sprout, LEO, f"{m(ANA)} redirect #handoffs no notes again")

    assert "3rd redirect" in third.text and rung(third) == "none"
    assert any(p in third.text for p in prompts.variants("feedback.guide.peer_action_plan"))


# --- the reminder of what is still unsaid -------------------------------------------------------

MONDAY_10_NY = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
WEDNESDAY_16_NY = datetime(2026, 12, 2, 21, 1, tzinfo=UTC)  # just past 24 of her working hours


def unsent_reminders(slack: LocalSlack) -> list[Message]:
    return [dm for dm in slack.dms_to(MAYA.user_id) if "haven't heard yet" in dm.text]


def test_unsent_feedback_is_nudged_once_after_24_working_hours(sprout: Sprout, slack: LocalSlack):
    sprout.set_time(MONDAY_10_NY)
    feedback(sprout, MAYA, f"{m(RAVI)} redirect #handoffs no notes for the night shift")
    feedback(sprout, MAYA, f"{m(RAVI)} praise calm on the incident call")
    feedback(sprout, MAYA, f"{m(RAVI)} note seemed tired")  # a note is not for sending

    sprout.tick(WEDNESDAY_16_NY - timedelta(minutes=6))
    assert unsent_reminders(slack) == []
    sprout.tick(WEDNESDAY_16_NY)
    [reminder] = unsent_reminders(slack)
    assert f"2 things for {at(RAVI)} they haven't heard yet" in reminder.text
    assert labels(reminder.blocks) == ["Send", "I told them", "Keep to myself"]
    assert "seemed tired" not in json.dumps(reminder.blocks)
    sprout.tick(WEDNESDAY_16_NY + timedelta(days=1))
    assert len(unsent_reminders(slack)) == 1

    sprout.click(MAYA.user_id, reminder, "feedback_unsent_send")
    sprout.tick(datetime(2026, 12, 4, 3, 30, tzinfo=UTC))  # Ravi's Friday, 09:00 in Kolkata

    assert len(slack.dms_to(RAVI.user_id)) == 2
    [edited] = [dm for dm in slack.dms_to(MAYA.user_id) if dm.ts == reminder.ts]
    assert f"Sent all 2 to {at(RAVI)}" in edited.text and labels(edited.blocks) == []


def test_keep_to_myself_stops_the_asking_and_i_told_them_counts_it_heard(
    sprout: Sprout, slack: LocalSlack
):
    sprout.set_time(MONDAY_10_NY)
    feedback(sprout, MAYA, f"{m(RAVI)} redirect #handoffs no notes")
    feedback(sprout, MAYA, f"{m(ANA)} praise crisp launch notes")
    sprout.tick(WEDNESDAY_16_NY)
    ravi, ana = sorted(unsent_reminders(slack), key=lambda dm: RAVI.user_id not in dm.text)

    sprout.click(MAYA.user_id, ravi, "feedback_unsent_keep")
    sprout.click(MAYA.user_id, ana, "feedback_unsent_told")

    kept, told = records(sprout)
    assert kept.kept_at is not None and kept.told_at is None and kept.delivered_at is None
    assert told.told_at is not None
    answered = next(dm for dm in slack.dms_to(MAYA.user_id) if dm.ts == ravi.ts)
    assert "Kept to yourself" in answered.text
    sprout.tick(WEDNESDAY_16_NY + timedelta(days=7))
    assert len(slack.dms_to(MAYA.user_id)) == 2 and slack.dms_to(RAVI.user_id) == []
    assert "not yet told" in feedback(sprout, MAYA, f"list {m(RAVI)}").text


def test_an_answer_updates_the_reminder_that_sent_it_as_well_as_the_short_dm(
    sprout: Sprout, slack: LocalSlack
):
    sprout.set_time(MONDAY_10_NY)
    feedback(sprout, MAYA, f"{m(RAVI)} redirect #handoffs no notes for the night shift")
    feedback(sprout, MAYA, f"{m(RAVI)} praise calm on the incident call")
    sprout.tick(WEDNESDAY_16_NY)
    [reminder] = unsent_reminders(slack)
    sprout.click(MAYA.user_id, reminder, "feedback_unsent_send")
    sprout.tick(datetime(2026, 12, 4, 3, 30, tzinfo=UTC))  # Ravi's Friday, 09:00 in Kolkata
    praise = next(
        dm for dm in slack.dms_to(RAVI.user_id) if "calm on the incident" in str(dm.blocks)
    )

    sprout.click(RAVI.user_id, praise, "feedback_answer_thanks")

    [updated] = [dm for dm in slack.dms_to(MAYA.user_id) if dm.ts == reminder.ts]
    shown = "\n".join(block_texts(updated.blocks))
    assert f"Sent all 2 to {at(RAVI)}" in shown
    assert f"{at(RAVI)} said thanks for your praise." in shown
    assert "no notes for the night shift" not in shown  # not answered: nothing to say
    sprout.tick(datetime(2026, 12, 4, 14, 0, tzinfo=UTC))  # Maya's Friday, 09:00
    short = [dm for dm in slack.dms_to(MAYA.user_id) if "said thanks" in dm.text]
    assert len(short) == 2  # the reminder as updated, and the short DM in her hours


def test_nobody_but_the_giver_can_answer_the_reminder(sprout: Sprout, slack: LocalSlack):
    sprout.set_time(MONDAY_10_NY)
    feedback(sprout, MAYA, f"{m(RAVI)} redirect #handoffs no notes")
    sprout.tick(WEDNESDAY_16_NY)
    [reminder] = unsent_reminders(slack)
    reply = sprout.click(OMAR.user_id, reminder, "feedback_unsent_send")
    assert "Only the person who saved this feedback" in reply.text
    assert slack.dms_to(RAVI.user_id) == []


def test_a_peer_shares_with_the_manager_only_by_sending_it_too(sprout: Sprout, slack: LocalSlack):
    team(sprout, MAYA, ANA)
    response = confirmation(feedback(sprout, LEO, f"{m(ANA)} praise unblocked my deploy"))
    assert labels(response.blocks) == [
        "Send it to Ana",
        "I told them",
        "Send it to them and share",
        "Undo",
    ]
    assert "no feedback" in feedback(sprout, MAYA, f"list {m(ANA)}").text

    shared = sprout.click_response(LEO.user_id, response, "feedback_send_and_share")

    assert f"Sent to {at(ANA)}, with your name on it." in shared.text
    assert f"Shared with {at(MAYA)}, {at(ANA)}'s manager" in shared.text
    assert "unblocked my deploy" in slack.dms_to(ANA.user_id)[-1].text + json.dumps(
        slack.dms_to(ANA.user_id)[-1].blocks
    )
    listing = feedback(sprout, MAYA, f"list {m(ANA)}")
    assert "unblocked my deploy" in listing.text and "shared with you" in listing.text
    again = sprout.click_response(LEO.user_id, response, "feedback_send_and_share")
    assert "already shared" in again.text and "Sent to" not in again.text


def test_a_share_waiting_on_delivery_reaches_the_manager_with_the_dm(
    sprout: Sprout, slack: LocalSlack
):
    team(sprout, MAYA, ANA)
    response = confirmation(
        feedback(sprout, LEO, f"{m(ANA)} redirect #deploys skipped the checklist")
    )
    slack.fail("chat.postMessage", status=429, retry_after=60)

    reply = sprout.click_response(LEO.user_id, response, "feedback_send_and_share")

    assert "as soon as it reaches" in reply.text
    assert "skipped the checklist" not in feedback(sprout, MAYA, f"list {m(ANA)}").text
    sprout.tick(sprout.now() + timedelta(minutes=2))
    assert "skipped the checklist" in feedback(sprout, MAYA, f"list {m(ANA)}").text


def test_a_note_offers_no_share_and_a_forged_share_is_refused(sprout: Sprout):
    team(sprout, MAYA, RAVI)
    response = confirmation(feedback(sprout, LEO, f"{m(RAVI)} note seemed tired in standup"))
    assert labels(response.blocks) == ["Send it to Ravi", "Undo"]
    forged = forge(response, "feedback_share", records(sprout)[0].id)
    reply = sprout.click_response(LEO.user_id, forged, "feedback_share")
    assert "Notes stay yours" in reply.text
    assert "seemed tired" not in feedback(sprout, MAYA, f"list {m(RAVI)}").text


def forge(response: Response, action_id: str, record_id: int) -> Response:
    """The reply with a button it never had, as a compromised client could send."""
    forged = {**response.body, "blocks": [*response.blocks]}
    forged["blocks"].append(
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "text": {"type": "plain_text", "text": "Forged"},
                    "action_id": action_id,
                    "value": str(record_id),
                }
            ],
        }
    )
    return Response("x", forged)


def test_share_without_a_manager_explains(sprout: Sprout):
    response = confirmation(feedback(sprout, LEO, f"{m(SAM)} praise great pairing"))
    assert "Share with their manager" not in labels(response.blocks)
    forged = forge(response, "feedback_share", records(sprout)[0].id)
    reply = sprout.click_response(LEO.user_id, forged, "feedback_share")
    assert "no manager on Sprout" in reply.text


def test_buttons_refuse_anyone_but_the_giver(sprout: Sprout, slack: LocalSlack):
    response = confirmation(feedback(sprout, MAYA, f"{m(RAVI)} praise nice demo"))
    for action in ("feedback_send", "feedback_undo"):
        reply = sprout.click_response(OMAR.user_id, response, action)
        assert "Only the person who saved this feedback" in reply.text
    assert len(records(sprout)) == 1 and slack.dms_to(RAVI.user_id) == []


# --- /feedback list ---------------------------------------------------------------------------


def test_list_shows_what_you_may_see_newest_first(sprout: Sprout):
    team(sprout, MAYA, RAVI)
    feedback(sprout, MAYA, f"{m(RAVI)} praise first one")
    sprout.advance(days=1)
    feedback(sprout, MAYA, f"{m(RAVI)} redirect #reviews second one")

    listing = feedback(sprout, MAYA, f"list {m(RAVI)}")

    assert f"Feedback about {at(RAVI)} that you can see* (2)" in listing.text
    assert listing.text.index("second one") < listing.text.index("first one")
    assert "#reviews" in listing.text and "not yet told" in listing.text


def test_nobody_else_sees_feedback_until_it_is_delivered_or_shared(sprout: Sprout):
    sprout.set_time(LEOS_MORNING)
    team(sprout, MAYA, RAVI)
    team(sprout, OMAR, LEO)
    response = confirmation(feedback(sprout, OMAR, f"{m(LEO)} redirect #estimates way over"))

    for viewer in (MAYA, RAVI, SAM, LEO):  # an admin and other manager, peers, the subject
        listing = feedback(sprout, viewer, f"list {m(LEO)}")
        assert "way over" not in listing.text, viewer.name
        assert ("no feedback" in listing.text) or ("Nobody has sent you" in listing.text)

    sprout.click_response(OMAR.user_id, response, "feedback_send")

    assert "way over" in feedback(sprout, LEO, f"list {m(LEO)}").text
    assert "#estimates" not in feedback(sprout, LEO, f"list {m(LEO)}").text  # the giver's label
    assert "way over" not in feedback(sprout, MAYA, f"list {m(LEO)}").text


def test_the_person_sees_it_only_once_the_dm_actually_went_out(sprout: Sprout, slack: LocalSlack):
    sprout.set_time(RAVIS_MORNING)
    response = confirmation(feedback(sprout, MAYA, f"{m(RAVI)} praise great demo"))
    slack.fail("chat.postMessage", status=429, retry_after=60)

    reply = sprout.click_response(MAYA.user_id, response, "feedback_send")

    assert "I'll send it to" in reply.text
    assert "great demo" not in feedback(sprout, RAVI, f"list {m(RAVI)}").text
    sprout.tick(sprout.now() + timedelta(minutes=2))
    assert len(slack.dms_to(RAVI.user_id)) == 1
    assert "great demo" in feedback(sprout, RAVI, f"list {m(RAVI)}").text


def test_list_needs_one_person(sprout: Sprout):
    assert "/feedback list @name" in feedback(sprout, MAYA, "list").text
    assert "One person at a time" in feedback(sprout, MAYA, f"list {m(RAVI)} {m(ANA)}").text


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (f"{m(GONE)} praise great work", "has been deactivated"),
        ("<@UNOBODY01> praise great work", "couldn't find <@UNOBODY01>"),
        (f"{m(DEPLOYBOT)} praise great deploy", "is a bot"),
        (f"{m(MAYA)} praise I was great", "Feedback is for other people"),
        ("praise great work", "Start with who it's about"),
        ("@ravi praise great work", "Pick people from Slack's @ autocomplete"),
        ("<!here> praise great work", "is a group"),
        (f"{m(RAVI)} praise", "Add what happened"),
        (f"{m(RAVI)} praise " + "x" * 3001, "That's 3001 characters"),
        (" ".join(f"<@U{n:08d}>" for n in range(11)) + " praise teamwork", "That's 11 people"),
        (f"{m(RAVI)} redirect #handoffs", "I have the topic #handoffs but nothing"),
        (f"{m(RAVI)} redirect #hand/offs late", "a topic is one word"),
    ],
)
def test_bad_input_gets_a_one_line_reason_and_saves_nothing(
    sprout: Sprout, slack: LocalSlack, text: str, reason: str
):
    reply = feedback(sprout, MAYA, text)
    response = confirmation(reply)
    assert reason in response.text
    assert "\n" not in response.text
    assert buttons(response.blocks) == []
    assert records(sprout) == []


def test_unknown_subcommands_get_usage(sprout: Sprout):
    reply = feedback(sprout, MAYA, "frobnicate")
    assert "I didn't catch that." in reply.text and "/feedback list @name" in reply.text
    assert "/feedback @name praise" in feedback(sprout, MAYA, "help").text


def test_one_unsuitable_person_means_nothing_is_saved_for_anyone(sprout: Sprout):
    reply = feedback(sprout, MAYA, f"{m(RAVI)} {m(DEPLOYBOT)} {m(ANA)} praise smooth launch")
    assert "is a bot" in reply.text and "didn't save anything" in reply.text
    assert records(sprout) == []


def test_slack_markup_in_the_text_is_escaped_wherever_it_is_echoed(
    sprout: Sprout, slack: LocalSlack
):
    sprout.set_time(RAVIS_MORNING)
    typed = "fixed &lt;b&gt;bold&lt;/b&gt; &amp; <!channel> <https://evil.example|docs>"
    response = confirmation(feedback(sprout, MAYA, f"{m(RAVI)} praise {typed}"))
    echoed = response.blocks[0]["text"]["text"]
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; @channel https://evil.example" in echoed
    assert "<!channel>" not in echoed and "|docs" not in echoed

    sprout.click_response(MAYA.user_id, response, "feedback_send")
    [dm] = slack.dms_to(RAVI.user_id)
    quoted = dm.blocks[1]["text"]["text"]
    assert quoted == ">fixed &lt;b&gt;bold&lt;/b&gt; &amp; @channel https://evil.example"
    listing = feedback(sprout, RAVI, f"list {m(RAVI)}").text
    assert "&lt;b&gt;bold" in listing and "<!channel>" not in listing


# --- the modal --------------------------------------------------------------------------------


def open_form(sprout: Sprout, slack: LocalSlack, person: Person = MAYA) -> dict[str, Any]:
    before = len(slack.calls)
    reply = feedback(sprout, person, "")
    assert reply.status == 200 and reply.responses == []
    assert slack.calls[before].method == "views.open"  # the trigger is used before anything else
    [opened] = [v for v in slack.views if v.kind == "open"][-1:]
    assert opened.trigger_id is not None
    return opened.view


def submit(sprout: Sprout, view: dict[str, Any], giver: Person = MAYA, **fields: Any) -> dict:
    reply = sprout.submit(giver.user_id, view, form_values(view, **fields))
    assert reply.status == 200
    return json.loads(reply.body) if reply.body else {}


def test_feedback_alone_opens_the_form_with_the_trigger(sprout: Sprout, slack: LocalSlack):
    view = open_form(sprout, slack)
    assert view["callback_id"] == MODAL and view["title"]["text"] == "Give feedback"
    assert [b["block_id"] for b in view["blocks"]] == [
        "person",
        "kind",
        "topic",
        "text",
        "delivery",
    ]
    assert json.loads(view["private_metadata"])["token"]


def test_submitting_the_form_saves_and_shows_the_confirmation_in_place(
    sprout: Sprout, slack: LocalSlack
):
    view = open_form(sprout, slack)
    answer = submit(
        sprout, view, person=ANA.user_id, kind="redirect", topic="#Handoffs", text="no notes"
    )

    assert answer["response_action"] == "update"
    done = answer["view"]
    assert done["title"]["text"] == "Feedback saved" and "submit" not in done
    texts = json.dumps(done["blocks"])
    assert "Saved a redirect for" in texts and "#handoffs" in texts
    [record] = records(sprout)
    assert (record.kind, record.topic, record.source, record.token) == (
        "redirect",
        "handoffs",
        "modal",
        json.loads(view["private_metadata"])["token"],
    )


def test_a_resubmitted_form_does_not_create_a_second_record(sprout: Sprout, slack: LocalSlack):
    view = open_form(sprout, slack)
    first = submit(
        sprout, view, person=ANA.user_id, kind="praise", text="great call", delivery="yes"
    )
    second = submit(
        sprout, view, person=ANA.user_id, kind="praise", text="great call", delivery="yes"
    )

    assert len(records(sprout)) == 1
    assert second["response_action"] == "update"
    assert first["view"]["private_metadata"] == second["view"]["private_metadata"]
    assert len(slack.dms_to(ANA.user_id)) == 1


@pytest.mark.parametrize(
    ("fields", "block", "message"),
    [
        ({"text": "x"}, "person", "Pick the person"),
        ({"person": MAYA.user_id, "text": "x"}, "person", "pick someone else"),
        ({"person": DEPLOYBOT.user_id, "text": "x"}, "person", "That's a bot"),
        ({"person": GONE.user_id, "text": "x"}, "person", "deactivated"),
        ({"person": "UNOBODY01", "text": "x"}, "person", "couldn't find"),
        ({"person": ANA.user_id, "text": "   "}, "text", "Add a few words"),
        ({"person": ANA.user_id, "text": "y" * 3001}, "text", "3001 characters"),
        ({"person": ANA.user_id, "text": "x", "topic": "two words"}, "topic", "one word"),
    ],
)
def test_form_problems_come_back_next_to_their_field_and_save_nothing(
    sprout: Sprout, slack: LocalSlack, fields: dict, block: str, message: str
):
    answer = submit(sprout, open_form(sprout, slack), **fields)
    assert answer["response_action"] == "errors"
    assert message in answer["errors"][block]
    assert records(sprout) == []


def test_send_now_in_the_form_delivers_and_updates_the_confirmation(
    sprout: Sprout, slack: LocalSlack
):
    sprout.set_time(RAVIS_MORNING)
    view = open_form(sprout, slack)
    submit(sprout, view, person=RAVI.user_id, kind="praise", text="great call", delivery="yes")

    [dm] = slack.dms_to(RAVI.user_id)
    assert at(MAYA) in dm.text
    updated = slack.views[-1]
    assert updated.kind == "update" and updated.id == view["id"]
    assert f"Sent to {at(RAVI)}" in json.dumps(updated.view["blocks"])
    assert records(sprout)[0].delivered_at is not None


def test_buttons_in_the_saved_form_work_in_place(sprout: Sprout, slack: LocalSlack):
    view = open_form(sprout, slack)
    done = submit(sprout, view, person=ANA.user_id, text="covered the on-call gap")["view"]
    assert labels(done["blocks"]) == ["Send it to Ana", "Praise", "Redirect", "Undo"]

    sprout.click_in_view(MAYA.user_id, {**done, "id": view["id"]}, "feedback_mark_praise")

    after = slack.views[-1].view
    assert "Marked as praise." in json.dumps(after["blocks"])
    assert labels(after["blocks"]) == ["Send it to Ana", "I told them", "Undo"]
    assert records(sprout)[0].kind == "praise"

    sprout.click_in_view(MAYA.user_id, after, "feedback_undo")
    assert "Undone" in json.dumps(slack.views[-1].view["blocks"])
    assert records(sprout) == []


# --- the message shortcut -----------------------------------------------------------------------


def as_payload(message: Message) -> dict[str, Any]:
    return {"type": "message", "user": message.user, "text": message.text, "ts": message.ts}


def test_give_feedback_on_a_message_prefills_its_author_and_links_the_message(
    sprout: Sprout, slack: LocalSlack
):
    posted = slack.post_as(ANA.user_id, "C0LAUNCH", "Handoff notes for tonight &lt;draft&gt;")

    before = len(slack.calls)
    reply = sprout.message_shortcut(MAYA.user_id, SHORTCUT, as_payload(posted), "C0LAUNCH")

    assert reply.status == 200
    assert [c.method for c in slack.calls[before:]] == [
        "views.open",  # first, while the trigger is fresh
        "chat.getPermalink",
        "views.update",
    ]
    opened, updated = slack.views[-2:]
    assert (opened.kind, updated.kind, updated.id) == ("open", "update", opened.id)
    picker = next(b for b in updated.view["blocks"] if b.get("block_id") == "person")
    assert picker["element"]["initial_user"] == ANA.user_id
    about = updated.view["blocks"][0]["elements"]
    assert "Handoff notes for tonight &lt;draft&gt;" in about[0]["text"]
    link = f"https://{slack.team_domain}.slack.com/archives/C0LAUNCH/p{posted.ts.replace('.', '')}"
    assert f"<{link}|" in about[1]["text"]

    form = {**updated.view, "id": opened.id}
    submit(sprout, form, person=ANA.user_id, kind="praise", text="clear handoff", delivery="yes")

    [record] = records(sprout)
    assert (record.about_id, record.source, record.source_link) == (ANA.user_id, "shortcut", link)
    [dm] = slack.dms_to(ANA.user_id)
    assert link in json.dumps(dm.blocks)


def test_a_form_submitted_before_its_link_arrived_gets_the_link_on_save(
    sprout: Sprout, slack: LocalSlack
):
    posted = slack.post_as(ANA.user_id, "C0LAUNCH", "shipped")
    slack.fail("chat.getPermalink", error="internal_error")
    sprout.message_shortcut(MAYA.user_id, SHORTCUT, as_payload(posted), "C0LAUNCH")
    [opened] = [v for v in slack.views if v.kind == "open"]
    assert "link" not in json.loads(opened.view["private_metadata"])

    submit(sprout, opened.view, person=ANA.user_id, kind="praise", text="nice")

    assert records(sprout)[0].source_link.endswith(posted.ts.replace(".", ""))


def test_the_shortcut_on_a_bot_message_or_your_own_picks_nobody(sprout: Sprout, slack: LocalSlack):
    own = slack.post_as(MAYA.user_id, "C0LAUNCH", "my own message")
    sprout.message_shortcut(MAYA.user_id, SHORTCUT, as_payload(own), "C0LAUNCH")
    bot = {"type": "message", "bot_id": "B1", "user": NOOR.user_id, "text": "build ok", "ts": "1.5"}
    sprout.message_shortcut(MAYA.user_id, SHORTCUT, bot, "C0LAUNCH")

    opened = [v.view for v in slack.views if v.kind == "open"]
    for view in opened:
        picker = next(b for b in view["blocks"] if b.get("block_id") == "person")
        assert "initial_user" not in picker["element"]


def test_a_person_the_directory_knows_is_checked_without_asking_slack(
    sprout: Sprout, slack: LocalSlack
):
    feedback(sprout, MAYA, f"{m(ANA)} praise warm-up")  # Ana is now in the directory
    view = open_form(sprout, slack)
    before = len(slack.calls)
    submit(sprout, view, person=ANA.user_id, kind="praise", text="great call")
    assert [c.method for c in slack.calls[before:]] == []


def test_ten_people_with_long_feedback_still_make_a_valid_message(sprout: Sprout):
    people = [RAVI, ANA, LEO, NOOR, SAM, OMAR]
    for n in range(4):
        slack_id = f"UEXTRA{n:04d}"
        sprout.slack.add_user(slack_id, f"extra{n}", real_name="X" * 80)
        people.append(Person(slack_id, f"extra{n}", "UTC"))
    text = f"{' '.join(m(p) for p in people)} redirect #handoffs " + "&lt;late&gt; " * 400

    reply = feedback(sprout, MAYA, text)

    assert len(records(sprout)) == 10
    assert len(confirmation(reply).blocks) <= 50  # and the local Slack accepted it


def test_a_long_list_shows_the_newest_twenty(sprout: Sprout):
    from bot.db import transaction
    from bot.feedback.rules import Kind, Origin
    from bot.feedback.store import record

    with transaction(sprout.services.sessions) as session:
        for n in range(23):
            record(
                session,
                team_id=sprout.team_id,
                giver_id=MAYA.user_id,
                about_id=RAVI.user_id,
                kind=Kind.PRAISE,
                topic="",
                text=f"thing number {n} " + "x" * 400,
                origin=Origin.COMMAND,
                now=sprout.now() + timedelta(minutes=n),
            )

    listing = feedback(sprout, MAYA, f"list {m(RAVI)}")

    assert "(23)" in listing.text and "Showing the newest 20 of 23." in listing.text
    assert "thing number 22" in listing.text and "thing number 2 " not in listing.text


# --- what comes back from Slack is a claim ----------------------------------------------------


def saved_form(sprout: Sprout, slack: LocalSlack, giver: Person, **fields: Any) -> dict[str, Any]:
    """The confirmation modal after `giver` saved the form (with its view id)."""
    view = open_form(sprout, slack, giver)
    return {**submit(sprout, view, giver, **fields)["view"], "id": view["id"]}


def test_a_modal_naming_someone_elses_feedback_shows_none_of_it(sprout: Sprout, slack: LocalSlack):
    feedback(sprout, MAYA, f"{m(RAVI)} redirect #reviews private words about Ravi")
    [mayas] = records(sprout)
    done = saved_form(sprout, slack, OMAR, person=LEO.user_id, text="covered the on-call gap")
    omars = records(sprout)[-1]
    forged = {**done, "private_metadata": json.dumps({"ids": [mayas.id, omars.id], "ask": True})}
    on_hers = json.loads(
        json.dumps(forged).replace(f'"value": "{omars.id}"', f'"value": "{mayas.id}"')
    )

    for view, action in ((forged, "feedback_mark_praise"), (on_hers, "feedback_send")):
        sprout.click_in_view(OMAR.user_id, view, action)
        shown = json.dumps(slack.views[-1].view)
        assert "private words" not in shown and "#reviews" not in shown
        assert "Only the person who saved this feedback can do that." in shown

    assert records(sprout)[0].send_requested_at is None and slack.dms_to(RAVI.user_id) == []


def test_a_form_carrying_someone_elses_token_shows_nothing_of_theirs(
    sprout: Sprout, slack: LocalSlack
):
    view = open_form(sprout, slack, MAYA)
    submit(sprout, view, MAYA, person=RAVI.user_id, kind="redirect", text="private words")
    theirs = open_form(sprout, slack, OMAR)
    forged = {**theirs, "private_metadata": view["private_metadata"]}

    answer = submit(sprout, forged, OMAR, person=LEO.user_id, kind="praise", text="nice pairing")

    assert "private words" not in json.dumps(answer)
    assert answer["response_action"] == "errors"
    assert "Only the person who saved this feedback" in answer["errors"]["text"]
    assert [r.giver_id for r in records(sprout)] == [MAYA.user_id]


def test_a_link_planted_in_the_forms_metadata_never_reaches_the_dm(
    sprout: Sprout, slack: LocalSlack
):
    posted = slack.post_as(ANA.user_id, "C0LAUNCH", "Rollback plan is in the doc")
    sprout.message_shortcut(MAYA.user_id, SHORTCUT, as_payload(posted), "C0LAUNCH")
    form = slack.views[-1]
    planted = {
        **json.loads(form.view["private_metadata"]),
        "link": "https://evil.example/login|Your review is ready",
    }
    forged = {**form.view, "id": form.id, "private_metadata": json.dumps(planted)}

    submit(sprout, forged, person=ANA.user_id, kind="praise", text="clear plan", delivery="yes")

    real = f"https://{slack.team_domain}.slack.com/archives/C0LAUNCH/p{posted.ts.replace('.', '')}"
    [record] = records(sprout)
    assert record.source_link == real
    [dm] = slack.dms_to(ANA.user_id)
    assert "evil" not in json.dumps(dm.blocks) and f"<{real}|" in json.dumps(dm.blocks)
    assert "evil" not in feedback(sprout, MAYA, f"list {m(ANA)}").text


def test_a_permalink_to_another_workspace_is_not_kept(sprout: Sprout, slack: LocalSlack):
    posted = slack.post_as(ANA.user_id, "C0LAUNCH", "Rollback plan is in the doc")
    sprout.message_shortcut(MAYA.user_id, SHORTCUT, as_payload(posted), "C0LAUNCH")
    form = slack.views[-1]
    slack.team_domain = "someone-else"  # chat.getPermalink now answers with another address

    submit(sprout, {**form.view, "id": form.id}, person=ANA.user_id, text="clear", delivery="yes")

    assert records(sprout)[0].source_link is None
    [dm] = slack.dms_to(ANA.user_id)
    assert "someone-else" not in json.dumps(dm.blocks)


def test_a_stored_link_that_is_not_a_slack_permalink_is_never_shown(
    sprout: Sprout, slack: LocalSlack
):
    sprout.set_time(RAVIS_MORNING)
    response = confirmation(feedback(sprout, MAYA, f"{m(RAVI)} praise nice demo"))
    with sprout.services.sessions.begin() as session:
        session.execute(update(Feedback).values(source_link="https://evil.example/x|Open it"))

    sprout.click_response(MAYA.user_id, response, "feedback_send")

    [dm] = slack.dms_to(RAVI.user_id)
    assert "evil" not in json.dumps(dm.blocks)
    for viewer in (MAYA, RAVI):
        assert "evil" not in feedback(sprout, viewer, f"list {m(RAVI)}").text


# --- answered in the ack, or after it (issue 17) ---------------------------------------------


def test_feedback_about_someone_in_the_directory_is_answered_in_the_ack(
    sprout: Sprout, slack: LocalSlack
):
    first = feedback(sprout, MAYA, f"{m(RAVI)} praise clear release notes")  # Ravi is new
    again = feedback(sprout, MAYA, f"{m(RAVI)} praise a calm incident review")

    assert first.body == b""  # acked at once; users.info, then the reply to the response URL
    assert json.loads(again.body)["response_type"] == "ephemeral"
    assert confirmation(again).blocks == json.loads(again.body)["blocks"]
    assert "calm incident review" in again.text
    assert len(records(sprout)) == 2


def test_a_user_change_reaches_the_next_command_at_once(sprout: Sprout, slack: LocalSlack):
    feedback(sprout, MAYA, f"{m(RAVI)} praise clear release notes")
    user = slack.update_user(RAVI.user_id, deleted=True)
    sprout.event({"type": "user_change", "user": {**user, "team_id": sprout.team_id}})

    reply = feedback(sprout, MAYA, f"{m(RAVI)} praise one more")

    assert len(records(sprout)) == 1  # refused: the cache did not keep the old entry
    assert reply.responses


# --- the person answers the DM ------------------------------------------------------------------


def delivered(
    sprout: Sprout, slack: LocalSlack, giver: Person, person: Person, text: str
) -> Message:
    """Feedback from `giver` sent to `person` in their morning: the DM. The clock then
    moves to Maya's morning, so what she is sent reaches her at once."""
    sprout.set_time(RAVIS_MORNING)
    response = confirmation(feedback(sprout, giver, f"{m(person)} {text}"))
    sprout.click_response(giver.user_id, response, "feedback_send")
    sprout.set_time(MAYAS_MORNING)
    return slack.dms_to(person.user_id)[-1]


def test_the_dm_offers_three_answers_and_thanks_reaches_only_the_giver(
    sprout: Sprout, slack: LocalSlack
):
    dm = delivered(sprout, slack, MAYA, RAVI, "praise clear release notes")
    assert labels(dm.blocks) == ["Thanks", "Let's talk about it", "I see it differently"]
    before = len(slack.messages())
    pressed = sprout.now()

    sprout.click(RAVI.user_id, dm, "feedback_answer_thanks")

    new = slack.messages()[before:]
    [told] = [message for message in new if message.updates == 0]
    assert told.channel == slack.dm_channel(MAYA.user_id)
    assert f"{at(RAVI)} said thanks for your praise." in told.text
    [record] = records(sprout)
    assert (record.response, record.response_text) == ("thanks", None)
    assert same_moment(record.responded_at, pressed)
    assert same_moment(record.discussed_at, pressed)  # thanks closes it
    [answered] = slack.dms_to(RAVI.user_id)
    assert labels(answered.blocks) == []
    assert "You answered *Thanks*" in "\n".join(block_texts(answered.blocks))


def test_a_second_answer_says_it_is_answered_and_changes_nothing(sprout: Sprout, slack: LocalSlack):
    dm = delivered(sprout, slack, MAYA, RAVI, "praise clear release notes")
    sprout.click(RAVI.user_id, dm, "feedback_answer_thanks")
    before = len(slack.dms_to(MAYA.user_id))

    again = sprout.click(RAVI.user_id, dm, "feedback_answer_talk")
    assert "already answered" in again.text
    differ = sprout.click(RAVI.user_id, dm, "feedback_answer_differ")
    assert "already answered" in differ.text
    assert not [v for v in slack.views if v.kind == "open"]
    [record] = records(sprout)
    assert record.response == "thanks"
    assert len(slack.dms_to(MAYA.user_id)) == before


@pytest.mark.parametrize("forger", [NOOR, MAYA])
def test_a_forged_answer_by_anyone_else_is_refused(
    sprout: Sprout, slack: LocalSlack, forger: Person
):
    dm = delivered(sprout, slack, MAYA, RAVI, "redirect #handoffs missed the handoff")
    before = len(slack.messages())

    for action_id in ("feedback_answer_thanks", "feedback_answer_talk", "feedback_answer_differ"):
        reply = sprout.click(forger.user_id, dm, action_id)
        assert "Only the person this feedback was sent to can answer it." in reply.text

    assert len(slack.messages()) == before
    assert not [v for v in slack.views if v.kind == "open"]
    [record] = records(sprout)
    assert (record.response, record.responded_at, record.discussed_at) == (None, None, None)


def test_an_answer_to_feedback_not_yet_delivered_is_refused(sprout: Sprout, slack: LocalSlack):
    dm = delivered(sprout, slack, MAYA, RAVI, "praise clear release notes")
    confirmation(feedback(sprout, MAYA, f"{m(RAVI)} praise kept to myself"))
    _, kept = records(sprout)
    reply = sprout.click(
        RAVI.user_id, dm, "feedback_answer_thanks", tampered={"value": str(kept.id)}
    )
    assert "Only the person this feedback was sent to can answer it." in reply.text
    assert [r.response for r in records(sprout)] == [None, None]


def test_i_see_it_differently_takes_a_comment_that_only_the_giver_gets(
    sprout: Sprout, slack: LocalSlack
):
    dm = delivered(sprout, slack, MAYA, RAVI, "redirect #handoffs missed the handoff")
    sprout.click(RAVI.user_id, dm, "feedback_answer_differ")
    [opened] = [v for v in slack.views if v.kind == "open"]
    before = len(slack.messages())

    # Someone else submitting the same form is refused in it.
    forged = sprout.submit(NOOR.user_id, opened.view, comment_values("it was mine"))
    assert "Only the person this feedback was sent to" in forged.body.decode()
    sprout.submit(RAVI.user_id, opened.view, comment_values("The handoff doc was late to me"))

    [record] = records(sprout)
    assert (record.response, record.response_text) == ("differ", "The handoff doc was late to me")
    assert record.discussed_at is None  # they have more to say to each other
    new = [message for message in slack.messages()[before:] if message.updates == 0]
    assert [message.channel for message in new] == [slack.dm_channel(MAYA.user_id)]
    assert f"{at(RAVI)} sees your redirect differently." in new[0].text
    assert "The handoff doc was late to me" in "\n".join(block_texts(new[0].blocks))
    again = sprout.submit(RAVI.user_id, opened.view, comment_values("again"))
    assert "already answered" in again.body.decode()


def comment_values(text: str) -> dict[str, Any]:
    return {"comment": {"comment": {"type": "plain_text_input", "value": text}}}


def agenda_items(sprout: Sprout) -> list[AgendaItem]:
    with sprout.services.sessions() as session:
        return list(session.scalars(select(AgendaItem)))


def test_lets_talk_goes_on_their_next_one_on_one_and_a_wrap_up_makes_it_discussed(
    sprout: Sprout, slack: LocalSlack
):
    team(sprout, MAYA, RAVI)
    dm = delivered(sprout, slack, MAYA, RAVI, "redirect #handoffs missed the handoff")

    sprout.click(RAVI.user_id, dm, "feedback_answer_talk")

    [record] = records(sprout)
    assert (record.response, record.discussed_at) == ("talk", None)
    [item] = agenda_items(sprout)
    assert (item.manager_id, item.report_id, item.author_id) == (
        MAYA.user_id,
        RAVI.user_id,
        RAVI.user_id,
    )
    assert (item.source, item.source_ref) == ("feedback", str(record.id))
    told = slack.dms_to(MAYA.user_id)[-1]
    assert f"{at(RAVI)} would like to talk about your redirect." in told.text
    assert "on the agenda of your next 1:1" in "\n".join(block_texts(told.blocks))

    with transaction(sprout.services.sessions) as session:
        cover_items(session, Pair(sprout.team_id, MAYA.user_id, RAVI.user_id), sprout.now())
    [record] = records(sprout)
    assert record.discussed_at is not None


def test_lets_talk_between_colleagues_is_told_to_the_giver_without_an_agenda(
    sprout: Sprout, slack: LocalSlack
):
    dm = delivered(sprout, slack, NOOR, RAVI, "praise calm handling of the outage")
    sprout.click(RAVI.user_id, dm, "feedback_answer_talk")
    assert agenda_items(sprout) == []
    [record] = records(sprout)
    assert record.response == "talk"


# --- /feedback ask ------------------------------------------------------------------------------

MAYA_AND_SAMS_MORNING = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)  # 10:00 in New York


def test_asking_several_people_dms_each_with_give_feedback_and_the_answer_reaches_the_asker(
    sprout: Sprout, slack: LocalSlack
):
    sprout.set_time(MAYA_AND_SAMS_MORNING)
    reply = feedback(sprout, SAM, f"ask {m(MAYA)} {m(TOM)} #launch how did the launch review go?")
    assert f"Asked {at(MAYA)}, {at(TOM)}." in reply.text
    [to_maya] = slack.dms_to(MAYA.user_id)
    [to_tom] = slack.dms_to(TOM.user_id)
    for dm in (to_maya, to_tom):
        assert f"{at(SAM)} would like your feedback on #launch:" in dm.text
        assert labels(dm.blocks) == ["Give feedback"]

    # Someone else pressing Maya's button gets nothing.
    forged = sprout.click(NOOR.user_id, to_maya, "feedback_ask_give")
    assert "Only the person who was asked can answer this request." in forged.text
    assert not [v for v in slack.views if v.kind == "open"]

    sprout.click(MAYA.user_id, to_maya, "feedback_ask_give")
    [opened] = [v for v in slack.views if v.kind == "open"]
    form = opened.view
    person = next(b for b in form["blocks"] if b.get("block_id") == "person")
    topic = next(b for b in form["blocks"] if b.get("block_id") == "topic")
    assert person["element"]["initial_user"] == SAM.user_id
    assert topic["element"]["initial_value"] == "launch"
    assert "how did the launch review go?" in json.dumps(form["blocks"])

    submit(sprout, form, MAYA, kind="praise", text="Calm and clear answers", delivery=["yes"])

    [record] = records(sprout)
    assert (record.giver_id, record.about_id, record.topic) == (MAYA.user_id, SAM.user_id, "launch")
    with sprout.services.sessions() as session:
        asks = {a.asked_id: a for a in session.scalars(select(FeedbackAsk))}
    assert record.ask_id == asks[MAYA.user_id].id
    assert asks[MAYA.user_id].answered_at is not None and asks[TOM.user_id].answered_at is None
    [answer] = [dm for dm in slack.dms_to(SAM.user_id) if "Calm and clear" in json.dumps(dm.blocks)]
    assert "This answers the feedback you asked for." in "\n".join(block_texts(answer.blocks))
    assert slack.dms_to(NOOR.user_id) == []


def test_asking_without_a_question_says_how(sprout: Sprout):
    reply = feedback(sprout, SAM, f"ask {m(MAYA)}")
    assert "Add your question after the name" in reply.text


def test_an_unanswered_request_is_reminded_once_after_two_working_days(
    sprout: Sprout, slack: LocalSlack
):
    sprout.set_time(MAYA_AND_SAMS_MORNING)  # Tuesday
    feedback(sprout, SAM, f"ask {m(MAYA)} how did my demo land?")
    sprout.tick(MAYA_AND_SAMS_MORNING + timedelta(days=1))  # Wednesday: one working day
    assert len(slack.dms_to(MAYA.user_id)) == 1
    sprout.tick(MAYA_AND_SAMS_MORNING + timedelta(days=2))  # Thursday: two
    _, reminder = slack.dms_to(MAYA.user_id)
    assert reminder.text.startswith(f"A gentle reminder: {at(SAM)} would like your feedback")
    assert labels(reminder.blocks) == ["Give feedback"]
    sprout.tick(MAYA_AND_SAMS_MORNING + timedelta(days=3))
    assert len(slack.dms_to(MAYA.user_id)) == 2


def ask_reminders(slack: LocalSlack) -> list[Message]:
    return [dm for dm in slack.dms_to(MAYA.user_id) if dm.text.startswith("A gentle reminder")]


def test_the_reminder_of_a_request_waits_for_the_end_of_a_snooze(sprout: Sprout, slack: LocalSlack):
    sprout.set_time(MAYA_AND_SAMS_MORNING)  # Tuesday
    feedback(sprout, SAM, f"ask {m(MAYA)} how did my demo land?")
    sprout.command(MAYA.user_id, "/coach", "snooze 1w")
    sprout.tick(MAYA_AND_SAMS_MORNING + timedelta(days=2))  # Thursday: due, but she paused
    assert ask_reminders(slack) == []
    sprout.command(MAYA.user_id, "/coach", "snooze off")
    sprout.tick(MAYA_AND_SAMS_MORNING + timedelta(days=3))
    assert len(ask_reminders(slack)) == 1


def test_the_reminder_of_a_request_counts_toward_the_daily_cap(sprout: Sprout, slack: LocalSlack):
    sprout.set_time(MAYA_AND_SAMS_MORNING)  # Tuesday
    for asker in (SAM, TOM):
        feedback(sprout, asker, f"ask {m(MAYA)} how did my demo land?")
    with transaction(sprout.services.sessions) as session:
        session.get(Workspace, sprout.team_id).settings = {"daily_nudge_cap": 1}
    thursday = MAYA_AND_SAMS_MORNING + timedelta(days=2)
    sprout.tick(thursday)
    sprout.tick(thursday + timedelta(minutes=30))
    assert len(ask_reminders(slack)) == 1  # the cap is one a day: the other waits
    sprout.tick(thursday + timedelta(days=1))
    assert len(ask_reminders(slack)) == 2
