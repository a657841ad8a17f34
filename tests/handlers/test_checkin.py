"""Daily check-ins end to end: scheduled with `tick`, answered with signed clicks."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.db import transaction
from bot.models import Checkin, CoachingEvent, Priority
from bot.preferences.person import ensure
from devtools.cast import ANA, LEO, MAYA, NOOR, RAVI, SAM
from devtools.harness import Sprout, block_texts, buttons, same_moment
from devtools.local_slack import LocalSlack


def m(person) -> str:
    return f"<@{person.user_id}|{person.name.lower()}>"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def sent_to(result, person) -> bool:
    return any(
        r.recipient_id == person.user_id and r.kind == "checkin" for r in result.delivery.sent
    )


def checkin_dm(slack: LocalSlack, person):
    [message] = [m for m in slack.dms_to(person.user_id) if "priorities" in m.text]
    return message


@pytest.fixture
def team(sprout: Sprout) -> Sprout:
    """Maya's team, added on Monday 30 November at 15:00 UTC."""
    sprout.command(MAYA.user_id, "/team", f"add {m(RAVI)} {m(ANA)} {m(SAM)}")
    sprout.command(RAVI.user_id, "/priority", "add Ship the billing page due fri")
    sprout.command(RAVI.user_id, "/priority", "add Hire a designer")
    sprout.command(ANA.user_id, "/priority", "add Plan the offsite")
    sprout.command(SAM.user_id, "/priority", "add Close the Q4 books")
    return sprout


def test_check_ins_arrive_at_each_persons_own_0930(team: Sprout, slack: LocalSlack):
    early = team.tick(utc(2026, 12, 1, 3, 59))  # only Ravi's welcome, held for his 09:00
    assert [r.kind for r in early.delivery.sent] == ["team_welcome"]
    assert sent_to(team.tick(utc(2026, 12, 1, 4, 0)), RAVI)  # 09:30 in Kolkata
    berlin = team.tick(utc(2026, 12, 1, 8, 30))
    assert sent_to(berlin, ANA) and not sent_to(berlin, RAVI)
    assert sent_to(team.tick(utc(2026, 12, 1, 14, 30)), SAM)  # 09:30 in New York

    dm = checkin_dm(slack, RAVI)
    texts = " ".join(block_texts(dm.blocks))
    assert "1. Ship the billing page" in texts and "due Fri 4 Dec" in texts
    assert [e["text"]["text"] for _, e in buttons(dm.blocks)][:4] == [
        "On track",
        "At risk",
        "Blocked",
        "Done",
    ]
    assert "Add a note or blocker" in [e["text"]["text"] for _, e in buttons(dm.blocks)]


def test_someone_without_priorities_is_asked_once_a_week_not_every_day(
    team: Sprout, slack: LocalSlack
):
    team.command(MAYA.user_id, "/team", f"add {m(NOOR)}")  # Riyadh, no priorities
    kinds = []
    for day in range(1, 11):  # Tuesday 1 December to Thursday 10 December, 09:30 Riyadh
        sent = team.tick(utc(2026, 12, day, 6, 30)).delivery.sent
        kinds += [(day, r.kind) for r in sent if r.recipient_id == NOOR.user_id]
    # Once in the week she joined, once on the Monday after (Riyadh works Mon-Fri here).
    assert [k for k in kinds if k[1] != "team_welcome"] == [
        (1, "priorities_prompt"),
        (7, "priorities_prompt"),
    ]
    [prompt, _] = [m for m in slack.dms_to(NOOR.user_id) if "/priority add" in m.text]
    assert "don't have any priorities" in prompt.text


def test_a_replayed_pass_a_restart_or_a_second_process_never_sends_twice(
    team: Sprout, slack: LocalSlack, database_url: str
):
    team.tick(utc(2026, 12, 1, 4, 0))
    team.tick(utc(2026, 12, 1, 4, 0))
    team.tick(utc(2026, 12, 1, 9, 0))
    restarted = Sprout(slack, database_url, utc(2026, 12, 1, 10, 0))
    try:
        restarted.tick()
    finally:
        restarted.close()
    assert len([m for m in slack.dms_to(RAVI.user_id) if "priorities" in m.text]) == 1


def test_a_missed_window_is_caught_up_later_the_same_day_but_not_after_work(team: Sprout):
    # The scheduler was down all morning: the first pass at 14:00 Berlin still sends.
    assert sent_to(team.tick(utc(2026, 12, 1, 13, 0)), ANA)
    # Sam's check-in was never sent on Tuesday and the day ended: Wednesday brings one.
    assert not sent_to(team.tick(utc(2026, 12, 1, 23, 30)), SAM)
    assert sent_to(team.tick(utc(2026, 12, 2, 14, 30)), SAM)


def test_dst_change_days_keep_the_local_time(sprout: Sprout):
    sprout.set_time(utc(2026, 10, 23, 12, 0))  # Friday before Berlin's change
    sprout.command(MAYA.user_id, "/team", f"add {m(ANA)} {m(SAM)}")
    sprout.command(ANA.user_id, "/checkin", "days every day")
    sprout.command(SAM.user_id, "/checkin", "days every day")
    sprout.command(ANA.user_id, "/priority", "add Plan the offsite")
    sprout.command(SAM.user_id, "/priority", "add Close the Q4 books")

    assert sent_to(sprout.tick(utc(2026, 10, 24, 7, 30)), ANA)  # Sat 09:30 CEST
    assert not sent_to(sprout.tick(utc(2026, 10, 25, 7, 30)), ANA)  # Sun: 08:30 CET, too early
    assert sent_to(sprout.tick(utc(2026, 10, 25, 8, 30)), ANA)  # Sun 09:30 CET
    assert sent_to(sprout.tick(utc(2026, 10, 31, 13, 30)), SAM)  # Sat 09:30 EDT
    assert not sent_to(sprout.tick(utc(2026, 11, 1, 13, 30)), SAM)  # Sun: 08:30 EST
    assert sent_to(sprout.tick(utc(2026, 11, 1, 14, 30)), SAM)  # Sun 09:30 EST


def test_a_sunday_to_thursday_week(sprout: Sprout):
    sprout.set_time(utc(2026, 12, 3, 12, 0))  # Thursday
    sprout.command(MAYA.user_id, "/team", f"add {m(NOOR)}")
    reply = sprout.command(NOOR.user_id, "/checkin", "days sun-thu")
    sprout.command(NOOR.user_id, "/priority", "add Open the Riyadh office")

    assert "Sun-Thu" in reply.text
    assert not sent_to(sprout.tick(utc(2026, 12, 4, 6, 30)), NOOR)  # Friday 09:30 Riyadh
    assert not sent_to(sprout.tick(utc(2026, 12, 5, 6, 30)), NOOR)  # Saturday
    assert sent_to(sprout.tick(utc(2026, 12, 6, 6, 30)), NOOR)  # Sunday


def test_answers_update_priorities_and_the_message_in_place(team: Sprout, slack: LocalSlack):
    team.tick(utc(2026, 12, 1, 4, 0))
    team.advance(minutes=5)
    dm = checkin_dm(slack, RAVI)

    team.click(RAVI.user_id, dm, "checkin_answer_on_track", index=0)  # first priority
    updated = checkin_dm(slack, RAVI)
    team.click(RAVI.user_id, dm, "checkin_answer_blocked", index=0)  # the stale copy, again
    team.click(RAVI.user_id, updated, "checkin_answer_done", index=0)  # second priority

    with team.services.sessions() as session:
        ravis = session.query(Priority).filter_by(owner_id=RAVI.user_id)
        states = {p.title: (p.state, p.health) for p in ravis}
        checkin = session.query(Checkin).one()
        events = [e.kind for e in session.query(CoachingEvent)]
    assert states == {
        "Ship the billing page": ("active", "on_track"),
        "Hire a designer": ("done", None),
    }
    assert same_moment(checkin.answered_at, utc(2026, 12, 1, 4, 5))
    final = checkin_dm(slack, RAVI)
    assert final.updates == 2 and buttons(final.blocks) == []
    assert (
        "that's everything" in " ".join(block_texts(final.blocks)).lower()
        or "all set" in " ".join(block_texts(final.blocks)).lower()
        or "good day" in " ".join(block_texts(final.blocks)).lower()
    )
    assert "priority_done" in events


def test_no_changes_today_touches_every_priority(team: Sprout, slack: LocalSlack):
    team.tick(utc(2026, 12, 1, 4, 0))
    at = team.advance(hours=1)
    team.click(RAVI.user_id, checkin_dm(slack, RAVI), "checkin_no_changes")

    with team.services.sessions() as session:
        [touched] = {p.touched_at for p in session.query(Priority).filter_by(owner_id=RAVI.user_id)}
    assert same_moment(touched, at)
    assert "No change" in " ".join(block_texts(checkin_dm(slack, RAVI).blocks))


def test_a_blocker_from_the_note_modal_marks_the_priority_and_is_kept_for_the_manager(
    team: Sprout, slack: LocalSlack
):
    team.tick(utc(2026, 12, 1, 4, 0))
    team.click(RAVI.user_id, checkin_dm(slack, RAVI), "checkin_note")
    modal = slack.views[-1].view
    option = modal["blocks"][0]["element"]["options"][0]

    empty = team.submit(
        RAVI.user_id, modal, {"note": {"value": {"type": "plain_text_input", "value": " "}}}
    )
    assert json.loads(empty.body)["response_action"] == "errors"
    team.submit(
        RAVI.user_id,
        modal,
        {
            "priority": {"value": {"type": "static_select", "selected_option": option}},
            "note": {
                "value": {"type": "plain_text_input", "value": "Waiting on <legal> & finance"}
            },
            "blocker": {
                "value": {"type": "checkboxes", "selected_options": [{"value": "blocker"}]}
            },
        },
    )

    with team.services.sessions() as session:
        first = session.query(Priority).order_by(Priority.id).first()
        [event] = session.query(CoachingEvent).filter_by(kind="blocker").all()
    assert (first.health, first.note) == ("blocked", "Waiting on <legal> & finance")
    assert event.user_id == RAVI.user_id
    texts = " ".join(block_texts(checkin_dm(slack, RAVI).blocks))
    assert "Waiting on &lt;legal&gt; &amp; finance" in texts


def test_one_reminder_two_hours_later_and_never_after_work(team: Sprout, slack: LocalSlack):
    team.tick(utc(2026, 12, 1, 4, 0))  # Ravi, 09:30 Kolkata
    assert team.tick(utc(2026, 12, 1, 5, 59)).delivery.sent == []
    reminded = team.tick(utc(2026, 12, 1, 6, 0))
    assert [r.kind for r in reminded.delivery.sent] == ["checkin_reminder"]
    later = team.tick(utc(2026, 12, 1, 9, 0)).delivery.sent
    assert not any(r.kind == "checkin_reminder" and r.recipient_id == RAVI.user_id for r in later)

    # Sam's check-in only went out at 16:30 New York: no reminder at 18:30.
    team.tick(utc(2026, 12, 1, 21, 30))
    late = team.tick(utc(2026, 12, 1, 23, 30))
    assert not any(r.recipient_id == SAM.user_id for r in late.delivery.sent)


def test_a_reminder_missed_while_the_scheduler_was_down_never_comes_days_later(team: Sprout):
    team.tick(utc(2026, 12, 1, 4, 0))  # Ravi's check-in; its reminder falls due at 06:00
    later = team.tick(utc(2026, 12, 4, 3, 0))  # the next pass only on Friday
    assert not any(r.kind == "checkin_reminder" for r in later.delivery.sent)


def test_an_answered_check_in_gets_no_reminder(team: Sprout, slack: LocalSlack):
    team.tick(utc(2026, 12, 1, 4, 0))
    team.click(RAVI.user_id, checkin_dm(slack, RAVI), "checkin_no_changes")
    assert team.tick(utc(2026, 12, 1, 6, 30)).delivery.sent == []


def test_checkin_time_off_on_and_snooze_are_honoured(team: Sprout):
    assert (
        "09:45 your time (Europe/Berlin)"
        in team.command(ANA.user_id, "/checkin", "time 09:45").text
    )
    assert sent_to(team.tick(utc(2026, 12, 1, 8, 45)), ANA)

    assert "off" in team.command(ANA.user_id, "/checkin", "off").text
    assert not sent_to(team.tick(utc(2026, 12, 2, 8, 45)), ANA)
    team.command(ANA.user_id, "/checkin", "on")
    assert sent_to(team.tick(utc(2026, 12, 3, 8, 45)), ANA)

    assert "through Sat 5 Dec" in team.command(ANA.user_id, "/checkin", "snooze 3d").text
    assert not sent_to(team.tick(utc(2026, 12, 4, 8, 45)), ANA)
    assert sent_to(team.tick(utc(2026, 12, 7, 8, 45)), ANA)
    assert (
        "through Wed 9 Dec" in team.command(ANA.user_id, "/checkin", "snooze until 2026-12-10").text
    )


def test_a_check_in_time_outside_working_hours_is_refused_and_a_stored_one_waits_for_the_start(
    team: Sprout, slack: LocalSlack
):
    refused = team.command(ANA.user_id, "/checkin", "time 08:45").text
    assert "within your working hours, 09:00 to 18:00" in refused
    with transaction(team.services.sessions) as session:  # chosen before the rule
        row = ensure(session, team.team_id, ANA.user_id, team.now())
        row.checkin_time, row.next_checkin_at = "08:45", utc(2026, 12, 1, 7, 45)
    assert not sent_to(team.tick(utc(2026, 12, 1, 7, 45)), ANA)  # 08:45 in Berlin
    assert sent_to(team.tick(utc(2026, 12, 1, 8, 0)), ANA)  # 09:00, her working day begins
    team.event({"type": "app_home_opened", "user": ANA.user_id, "tab": "home"})
    home = " ".join(block_texts(slack.home_of(ANA.user_id)["blocks"]))
    assert "Daily check-in: 09:00 on Mon-Fri" in home


def test_an_away_status_skips_the_day(team: Sprout, slack: LocalSlack):
    user = slack.update_user(ANA.user_id, status_text="On vacation", status_emoji=":palm_tree:")
    team.event({"type": "user_change", "user": {**user, "team_id": team.team_id}})

    assert not sent_to(team.tick(utc(2026, 12, 1, 8, 30)), ANA)
    user = slack.update_user(ANA.user_id, status_text="", status_emoji="")
    team.event({"type": "user_change", "user": {**user, "team_id": team.team_id}})
    assert sent_to(team.tick(utc(2026, 12, 2, 8, 30)), ANA)


def test_someone_who_moves_zones_gets_check_ins_at_their_new_local_time(
    team: Sprout, slack: LocalSlack
):
    user = slack.update_user(ANA.user_id, tz="America/Los_Angeles")
    team.event({"type": "user_change", "user": {**user, "team_id": team.team_id}})

    assert not sent_to(team.tick(utc(2026, 12, 1, 8, 30)), ANA)
    assert sent_to(team.tick(utc(2026, 12, 1, 17, 30)), ANA)  # 09:30 in Los Angeles


def test_checkin_now_sends_today_and_only_once(team: Sprout, slack: LocalSlack):
    assert "in your DMs" in team.command(LEO.user_id, "/checkin").text
    assert "already" in team.command(LEO.user_id, "/checkin").text
    assert len(slack.dms_to(LEO.user_id)) == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("time 25:00", "couldn't read “25:00” as a time"),
        ("days funday", "couldn't read “funday” as days"),
        ("snooze forever", "Say how long"),
        ("snooze 900d", "over a year"),
        ("snooze until someday", "couldn't read “someday”"),
        ("dance", "I don't know `/checkin dance`"),
        ("help", "`/checkin time 09:45`"),
    ],
)
def test_bad_checkin_input_gets_a_reason(team: Sprout, text: str, expected: str):
    assert expected in team.command(ANA.user_id, "/checkin", text).text


def test_tick_dry_run_lists_check_ins_without_sending(team: Sprout, slack: LocalSlack):
    preview = team.tick(utc(2026, 12, 1, 4, 0), dry_run=True)
    assert [p.recipient_id for p in preview.planned] == [RAVI.user_id]
    assert "check-in for 2026-12-01" in preview.lines(dry_run=True)[0]
    assert [m for m in slack.dms_to(RAVI.user_id) if "priorities" in m.text] == []
    assert sent_to(team.tick(utc(2026, 12, 1, 4, 0)), RAVI)


def test_a_prompt_to_set_priorities_gets_no_reminder(team: Sprout):
    team.command(MAYA.user_id, "/team", f"add {m(NOOR)}")  # no priorities yet
    team.tick(utc(2026, 12, 1, 6, 30))
    later = team.tick(utc(2026, 12, 1, 8, 30)).delivery.sent
    assert not any(r.recipient_id == NOOR.user_id for r in later)


# --- what comes back from Slack is only a claim ----------------------------------------------


@pytest.fixture
def two_check_ins(team: Sprout, slack: LocalSlack) -> Sprout:
    """Ravi's and Ana's check-ins for Tuesday 1 December, each with a priority to answer."""
    team.command(ANA.user_id, "/priority", "add Plan the offsite")
    team.tick(utc(2026, 12, 1, 4, 0))  # 09:30 in Kolkata
    team.tick(utc(2026, 12, 1, 8, 30))  # 09:30 in Berlin
    return team


def values_of(dm, action_id: str) -> list[str]:
    return [e["value"] for _, e in buttons(dm.blocks) if e["action_id"] == action_id]


def checkin_id(dm) -> str:
    [value] = values_of(dm, "checkin_note")
    return value


def with_values(dm, action_id: str, value: str):
    """The same DM, its `action_id` buttons carrying `value` instead (a forged payload)."""
    for _, element in buttons(dm.blocks):
        if element["action_id"] == action_id:
            element["value"] = value
    return dm


def note(text: str) -> dict:
    return {"note": {"value": {"type": "plain_text_input", "value": text}}}


def test_the_note_form_edits_the_check_in_it_belongs_to_whatever_its_metadata_says(
    two_check_ins: Sprout, slack: LocalSlack
):
    ravis = checkin_dm(slack, RAVI)
    two_check_ins.click(ANA.user_id, checkin_dm(slack, ANA), "checkin_note")
    form = slack.views[-1].view
    metadata = json.loads(form["private_metadata"])
    form["private_metadata"] = json.dumps({**metadata, "channel": ravis.channel, "ts": ravis.ts})

    two_check_ins.submit(ANA.user_id, form, note("Venue booked"))

    assert checkin_dm(slack, RAVI).updates == 0
    assert checkin_dm(slack, RAVI).blocks == ravis.blocks
    assert "Venue booked" in " ".join(block_texts(checkin_dm(slack, ANA).blocks))


def test_a_note_form_naming_someone_elses_check_in_is_refused_on_the_form(
    two_check_ins: Sprout, slack: LocalSlack
):
    ravis = checkin_id(checkin_dm(slack, RAVI))
    two_check_ins.click(ANA.user_id, checkin_dm(slack, ANA), "checkin_note")
    form = slack.views[-1].view
    form["private_metadata"] = json.dumps({"checkin": int(ravis)})

    reply = two_check_ins.submit(ANA.user_id, form, note("Sneaky"))

    answer = json.loads(reply.body)
    assert answer["response_action"] == "errors"
    assert "couldn't find that among your check-ins" in answer["errors"]["note"]
    with two_check_ins.services.sessions() as session:
        assert "note" not in session.get(Checkin, int(ravis)).answers
    assert checkin_dm(slack, RAVI).updates == 0


def test_buttons_naming_someone_elses_check_in_or_priority_change_nothing_and_say_so(
    two_check_ins: Sprout, slack: LocalSlack
):
    ravis = checkin_id(checkin_dm(slack, RAVI))
    ravis_priority = values_of(checkin_dm(slack, RAVI), "checkin_answer_done")[0].split(":")[1]
    anas = checkin_id(checkin_dm(slack, ANA))
    forged = [
        ("checkin_no_changes", ravis),
        ("checkin_note", ravis),
        ("checkin_answer_done", f"{ravis}:{ravis_priority}:done"),
        ("checkin_answer_done", f"{anas}:{ravis_priority}:done"),
        ("checkin_answer_done", f"{anas}:{ravis_priority}:dance"),
        ("checkin_no_changes", "²"),  # digits to `isdigit`, not to `int`
        ("checkin_no_changes", "9" * 12),  # past the id column's range
    ]
    for action_id, value in forged:
        dm = with_values(checkin_dm(slack, ANA), action_id, value)
        reply = two_check_ins.click(ANA.user_id, dm, action_id)
        assert "couldn't find that among your check-ins" in reply.text, (action_id, value)

    assert [v.kind for v in slack.views] == []
    with two_check_ins.services.sessions() as session:
        assert session.get(Checkin, int(ravis)).answers == {}
        assert session.get(Priority, int(ravis_priority)).state == "active"
    assert checkin_dm(slack, RAVI).updates == 0 and checkin_dm(slack, ANA).updates == 0


# --- reminders back off ------------------------------------------------------------------------


def ravi_dms(result, kind: str) -> list:
    return [r for r in result.delivery.sent if r.recipient_id == RAVI.user_id and r.kind == kind]


def working_days(start: int, count: int) -> list[int]:
    """December dates of `count` weekdays from `start` on."""
    days, day = [], start
    while len(days) < count:
        if datetime(2026, 12, day).weekday() < 5:
            days.append(day)
        day += 1
    return days


def test_reminders_stop_after_three_unanswered_and_the_fifth_asks_daily_weekly_or_pause(
    team: Sprout, slack: LocalSlack
):
    reminded, checkins = [], []
    for day in working_days(1, 6):  # Tue 1 to Tue 8 December, none answered
        checkins.append((day, ravi_dms(team.tick(utc(2026, 12, day, 4, 0)), "checkin")))
        reminded.append((day, ravi_dms(team.tick(utc(2026, 12, day, 6, 0)), "checkin_reminder")))
    # Three reminders, then none.
    assert [bool(r) for _, r in reminded] == [True, True, True, False, False, False]
    # Five check-ins unanswered: the sixth day brings the question instead of a check-in.
    assert [bool(c) for _, c in checkins] == [True, True, True, True, True, False]
    [question] = [msg for msg in slack.dms_to(RAVI.user_id) if "How often" in msg.text]
    labels = [e["text"]["text"] for _, e in buttons(question.blocks)]
    assert labels == ["Daily", "Weekly", "Pause"]
    # Maya hears nothing about it.
    assert not any("check-in" in msg.text.lower() for msg in slack.dms_to(MAYA.user_id))

    # Until he answers, weekly: nothing more this week, one on Monday, and asked only once.
    later = [team.tick(utc(2026, 12, day, 4, 0)) for day in (9, 10, 11, 14, 15)]
    assert [bool(ravi_dms(r, "checkin")) for r in later] == [False, False, False, True, False]
    assert not any(ravi_dms(r, "checkin_cadence") for r in later)

    team.click(RAVI.user_id, question, "checkin_cadence_daily")
    assert "Daily it is" in slack.dms_to(RAVI.user_id)[-1].text or any(
        "Daily it is" in msg.text for msg in slack.dms_to(RAVI.user_id)
    )
    assert ravi_dms(team.tick(utc(2026, 12, 16, 4, 0)), "checkin")


def test_pause_on_the_question_turns_check_ins_off(team: Sprout, slack: LocalSlack):
    for day in working_days(1, 6):
        team.tick(utc(2026, 12, day, 4, 0))
    [question] = [msg for msg in slack.dms_to(RAVI.user_id) if "How often" in msg.text]
    team.click(RAVI.user_id, question, "checkin_cadence_paused")
    assert not ravi_dms(team.tick(utc(2026, 12, 14, 4, 0)), "checkin")
    assert "off" in team.command(RAVI.user_id, "/checkin", "help").text


def just_for_me(text: str, option: dict | None = None) -> dict:
    values = {
        **note(text),
        "private": {"value": {"type": "checkboxes", "selected_options": [{"value": "private"}]}},
    }
    if option is not None:
        values["priority"] = {"value": {"type": "static_select", "selected_option": option}}
    return values


def test_the_note_form_says_who_reads_it_and_a_note_just_for_me_reaches_no_manager_surface(
    team: Sprout, slack: LocalSlack
):
    secret = "I am interviewing elsewhere"
    team.command(MAYA.user_id, "/coach", f"1on1 {m(RAVI)} every wed 14:00")
    team.tick(utc(2026, 12, 1, 4, 0))  # Ravi's check-in, 09:30 in Kolkata
    team.click(RAVI.user_id, checkin_dm(slack, RAVI), "checkin_note")
    form = slack.views[-1].view
    assert f"<@{MAYA.user_id}> will see this note" in " ".join(block_texts(form["blocks"]))
    option = form["blocks"][0]["element"]["options"][0]
    team.submit(RAVI.user_id, form, just_for_me(secret, option))
    assert f"Note, just for you: {secret}" in " ".join(block_texts(checkin_dm(slack, RAVI).blocks))

    team.tick(utc(2026, 12, 1, 15, 0))  # Maya's digest
    team.tick(utc(2026, 12, 2, 18, 0))  # the one-on-one agenda and prep, an hour before
    team.tick(utc(2026, 12, 4, 20, 0))  # the weekly summary
    team.set_time(utc(2026, 12, 4, 20, 5))
    team.event({"type": "app_home_opened", "user": MAYA.user_id, "tab": "home"})
    listed = team.command(MAYA.user_id, "/priority", f"list {m(RAVI)}").text
    preview = team.command(MAYA.user_id, "/coach", "summary").text

    seen = [" ".join(block_texts(x.blocks)) + x.text for x in slack.dms_to(MAYA.user_id)]
    seen += [
        " ".join(block_texts(x.blocks))
        for x in slack.messages(slack.group_dm(MAYA.user_id, RAVI.user_id))
    ]
    seen += [json.dumps(slack.home_of(MAYA.user_id)), listed, preview]
    assert any("Ship the billing page" in text for text in seen)  # the surfaces were there
    assert not any("interviewing" in text for text in seen)
    with team.services.sessions() as session:
        first = session.query(Priority).order_by(Priority.id).first()
        assert first.note is None and first.health != "blocked"
        kinds = [e.kind for e in session.query(CoachingEvent).filter_by(user_id=RAVI.user_id)]
    assert "blocker" not in kinds and "at_risk" not in kinds


def test_a_blocker_cannot_be_just_for_me(team: Sprout, slack: LocalSlack):
    team.tick(utc(2026, 12, 1, 4, 0))
    team.click(RAVI.user_id, checkin_dm(slack, RAVI), "checkin_note")
    values = just_for_me("Stuck on legal")
    values["blocker"] = {
        "value": {"type": "checkboxes", "selected_options": [{"value": "blocker"}]}
    }
    reply = team.submit(RAVI.user_id, slack.views[-1].view, values)
    assert "private" in json.loads(reply.body)["errors"]
    with team.services.sessions() as session:
        assert session.query(CoachingEvent).filter_by(kind="blocker").count() == 0
