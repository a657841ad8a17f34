"""Manager nudges end to end: events, digests, caps, snoozes, working hours."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.models import CoachingEvent, NudgeSnooze, Priority, ReportingLine, Workspace
from devtools.cast import ANA, LEO, MAYA, OMAR, RAVI, SAM
from devtools.harness import Sprout, block_texts, buttons
from devtools.local_slack import LocalSlack, Message


def m(person) -> str:
    return f"<@{person.user_id}|{person.name.lower()}>"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def nudges_to(result, person, kind: str | None = None) -> list:
    return [
        r
        for r in result.delivery.sent
        if r.recipient_id == person.user_id
        and r.kind.startswith("nudge_" if kind is None else kind)
    ]


def text_of(message: Message) -> str:
    return " ".join(block_texts(message.blocks))


def text_of_view(view: dict) -> str:
    return " ".join(block_texts(view["blocks"]))


def last_text(slack: LocalSlack, person) -> str:
    dms = slack.dms_to(person.user_id)
    return text_of(dms[-1]) if dms else ""


@pytest.fixture
def team(sprout: Sprout) -> Sprout:
    """Maya (New York) added Ravi, Ana, Sam and Leo on Monday 30 November, 10:00 her time."""
    sprout.set_time(utc(2026, 11, 30, 15, 0))
    sprout.command(MAYA.user_id, "/team", f"add {m(RAVI)} {m(ANA)} {m(SAM)} {m(LEO)}")
    # Baseline nudges for the four new reports: hold them all so each test starts clean.
    with sprout.services.sessions.begin() as session:
        for line in session.query(ReportingLine):
            line.baseline_held_at = sprout.now()
    sprout.tick(utc(2026, 11, 30, 15, 0))
    return sprout


def installed_a_month_ago(sprout: Sprout) -> None:
    """Sprout has been in the workspace for a month: a line made today is news."""
    with sprout.services.sessions.begin() as session:
        session.get(Workspace, sprout.team_id).created_at = sprout.now() - timedelta(days=30)


def test_a_new_report_brings_a_baseline_nudge_whose_button_opens_the_baseline_form(
    sprout: Sprout, slack: LocalSlack
):
    sprout.command(MAYA.user_id, "/team", f"add {m(RAVI)}")
    installed_a_month_ago(sprout)
    result = sprout.tick(utc(2026, 11, 30, 15, 1))

    [_sent] = nudges_to(result, MAYA, "nudge_baseline")
    nudge = slack.dms_to(MAYA.user_id)[-1]
    assert "just joined your team" in text_of(nudge) and "how good work will be judged" in text_of(
        nudge
    )
    sprout.click(MAYA.user_id, nudge, "baseline_write")
    form = slack.views[-1].view
    assert form["callback_id"] == "baseline_form" and form["private_metadata"] == RAVI.user_id

    # *Mark it held* on a nudge already in Slack opens the same form.
    sprout.click(
        MAYA.user_id, nudge, "baseline_write", tampered={"action_id": "nudge_baseline_held"}
    )
    assert slack.views[-1].view["callback_id"] == "baseline_form"


def test_a_finished_priority_nudges_the_manager_to_praise_within_one_pass(
    team: Sprout, slack: LocalSlack
):
    team.command(RAVI.user_id, "/priority", "add Ship the billing page")
    team.command(RAVI.user_id, "/priority", "done 1")

    [_sent] = nudges_to(team.tick(utc(2026, 11, 30, 15, 1)), MAYA, "nudge_praise")
    nudge = slack.dms_to(MAYA.user_id)[-1]
    assert f"<@{RAVI.user_id}>" in text_of(nudge) and "*Ship the billing page*" in text_of(nudge)
    [(_, button)] = buttons(nudge.blocks)
    assert button["action_id"] == "nudge_give_feedback"
    assert json.loads(button["value"]) == {
        "person": RAVI.user_id,
        "kind": "praise",
        "why": "finished",
        "title": "Ship the billing page",
    }
    team.click(MAYA.user_id, nudge, "nudge_give_feedback")
    form = slack.views[-1].view
    assert slack.calls[-1].method == "views.open"
    assert "They just finished *Ship the billing page*." in text_of_view(form)
    person = next(b for b in form["blocks"] if b.get("block_id") == "person")
    kind = next(b for b in form["blocks"] if b.get("block_id") == "kind")
    assert person["element"]["initial_user"] == RAVI.user_id
    assert kind["element"]["initial_option"]["value"] == "praise"


def test_a_blocker_or_at_risk_priority_nudges_a_check_in(team: Sprout, slack: LocalSlack):
    team.command(ANA.user_id, "/priority", "add Draft the plan")
    team.command(ANA.user_id, "/priority", "status 1 blocked waiting on finance")
    team.command(SAM.user_id, "/priority", "add Migrate billing")
    team.command(SAM.user_id, "/priority", "status 1 at-risk")

    result = team.tick(utc(2026, 11, 30, 15, 1))

    assert len(nudges_to(result, MAYA, "nudge_urgent")) == 1  # a blocker is urgent
    assert len(nudges_to(result, MAYA, "nudge_check_in")) == 1
    texts = [text_of(m) for m in slack.dms_to(MAYA.user_id)[-2:]]
    assert any(
        "*Draft the plan*" in t and "blocked" in t and "waiting on finance" in t for t in texts
    )
    assert any(
        "*Migrate billing* is at risk" in t or "marked *Migrate billing* at risk" in t
        for t in texts
    )
    at_risk = [m for m in slack.dms_to(MAYA.user_id) if "Migrate billing" in text_of(m)][-1]
    team.click(MAYA.user_id, at_risk, "nudge_give_feedback")
    assert slack.views[-1].view["title"]["text"] == "Note a check-in"  # as its button says


def test_an_event_outside_working_hours_waits_for_the_next_working_start(team: Sprout):
    team.set_time(utc(2026, 12, 1, 4, 0))  # Tuesday 23:00 for Maya
    team.command(RAVI.user_id, "/priority", "add Ship it")
    team.command(RAVI.user_id, "/priority", "done 1")

    assert nudges_to(team.tick(utc(2026, 12, 1, 4, 1)), MAYA) == []
    assert nudges_to(team.tick(utc(2026, 12, 1, 13, 59)), MAYA) == []  # 08:59
    assert len(nudges_to(team.tick(utc(2026, 12, 1, 14, 0)), MAYA)) == 1  # 09:00


def test_nothing_on_a_weekend(team: Sprout):
    team.set_time(utc(2026, 12, 5, 16, 0))  # Saturday
    team.command(RAVI.user_id, "/priority", "add Ship it")
    team.command(RAVI.user_id, "/priority", "done 1")
    assert team.tick(utc(2026, 12, 5, 16, 1)).delivery.sent == []
    assert team.tick(utc(2026, 12, 6, 16, 1)).delivery.sent == []
    assert len(nudges_to(team.tick(utc(2026, 12, 7, 14, 0)), MAYA)) == 1  # Monday 09:00


def test_the_same_person_and_reason_is_nudged_once_a_day(team: Sprout):
    team.command(RAVI.user_id, "/priority", "add One")
    team.command(RAVI.user_id, "/priority", "add Two")
    team.command(RAVI.user_id, "/priority", "done 1")
    team.tick(utc(2026, 11, 30, 15, 1))
    team.command(RAVI.user_id, "/priority", "done 1")

    assert nudges_to(team.tick(utc(2026, 11, 30, 15, 2)), MAYA) == []
    with team.services.sessions() as session:
        assert [
            e.outcome for e in session.query(CoachingEvent).filter_by(kind="priority_done")
        ] == [
            "nudged",
            "duplicate",
        ]


def test_past_the_daily_cap_nudges_fold_into_the_next_digest(team: Sprout, slack: LocalSlack):
    for person in (RAVI, ANA, SAM, LEO):
        team.command(person.user_id, "/priority", "add Finish the thing")
        team.command(person.user_id, "/priority", "done 1")

    result = team.tick(utc(2026, 11, 30, 15, 1))

    assert len(nudges_to(result, MAYA)) == 3 and result.folded == 1
    digest = team.tick(utc(2026, 12, 1, 15, 0))  # Tuesday 10:00 New York
    [_sent] = nudges_to(digest, MAYA, "digest")
    assert f"Earlier: <@{LEO.user_id}> finished *Finish the thing*" in text_of(
        slack.dms_to(MAYA.user_id)[-1]
    )


def test_snoozed_nudges_stay_quiet_until_the_snooze_ends(team: Sprout, slack: LocalSlack):
    reply = team.command(MAYA.user_id, "/coach", "snooze 1w")
    assert "paused until Mon 7 Dec" in reply.text
    team.command(RAVI.user_id, "/priority", "add Ship it")
    team.command(RAVI.user_id, "/priority", "done 1")

    assert nudges_to(team.tick(utc(2026, 11, 30, 15, 1)), MAYA) == []
    assert nudges_to(team.tick(utc(2026, 12, 4, 15, 0)), MAYA, "digest") == []
    team.command(MAYA.user_id, "/coach", "settings")
    assert "paused until" in " ".join(block_texts(slack.views[-1].view["blocks"]))
    assert len(nudges_to(team.tick(utc(2026, 12, 7, 15, 0)), MAYA, "digest")) == 1


def test_the_feedback_gap_digest_lists_people_at_the_threshold_longest_gap_first(
    sprout: Sprout, slack: LocalSlack
):
    sprout.set_time(utc(2026, 11, 23, 15, 0))  # Monday a week earlier
    sprout.command(MAYA.user_id, "/team", f"add {m(RAVI)}")
    sprout.set_time(utc(2026, 11, 25, 15, 0))  # Wednesday
    sprout.command(MAYA.user_id, "/team", f"add {m(ANA)}")
    sprout.set_time(utc(2026, 11, 27, 15, 0))
    with sprout.services.sessions.begin() as session:
        for line in session.query(ReportingLine):
            line.baseline_held_at = sprout.now()

    sixth_day = sprout.tick(utc(2026, 11, 27, 15, 0))  # Friday: Ravi 4 days
    assert nudges_to(sixth_day, MAYA, "digest") == []
    monday = sprout.tick(utc(2026, 11, 30, 15, 0))  # Ravi 7 days, Ana 5
    [_sent] = nudges_to(monday, MAYA, "digest")
    text = text_of(slack.dms_to(MAYA.user_id)[-1])
    assert f"<@{RAVI.user_id}> hasn't heard feedback from you in 7 days" in text
    assert f"<@{ANA.user_id}>" not in text
    wednesday = sprout.tick(utc(2026, 12, 2, 15, 0))  # Ravi 9, Ana 7
    texts = text_of(slack.dms_to(MAYA.user_id)[-1])
    assert len(nudges_to(wednesday, MAYA, "digest")) == 1
    assert texts.index(f"<@{RAVI.user_id}>") < texts.index(f"<@{ANA.user_id}>")


def test_remind_me_in_three_days_hides_a_person_from_the_digest(team: Sprout, slack: LocalSlack):
    team.tick(utc(2026, 12, 7, 15, 0))  # Monday after: everyone at 7 days
    digest = slack.dms_to(MAYA.user_id)[-1]
    team.click(MAYA.user_id, digest, "nudge_remind_later", value=f"gap:{RAVI.user_id}")

    team.tick(utc(2026, 12, 8, 15, 0))
    assert f"<@{RAVI.user_id}>" not in text_of(slack.dms_to(MAYA.user_id)[-1])
    team.tick(utc(2026, 12, 10, 15, 1))
    assert f"<@{RAVI.user_id}>" in text_of(slack.dms_to(MAYA.user_id)[-1])


def test_a_stale_priority_is_in_the_digest_and_flagged_in_the_owners_check_in(
    team: Sprout, slack: LocalSlack
):
    team.command(RAVI.user_id, "/priority", "add Ship the billing page")  # Monday 30 Nov
    # Four working days later it is not stale yet; five, it is.
    team.tick(utc(2026, 12, 4, 15, 0))
    assert "Ship the billing page" not in last_text(slack, MAYA)
    team.tick(utc(2026, 12, 7, 15, 0))
    digest = slack.dms_to(MAYA.user_id)[-1]
    assert "*Ship the billing page*, no update in 5 working days" in text_of(digest)
    team.tick(utc(2026, 12, 8, 4, 0))  # Ravi's check-in, 09:30 Kolkata
    checkin = [x for x in slack.dms_to(RAVI.user_id) if "priorities" in x.text][-1]
    assert "still the right priority?" in text_of(checkin)


def test_ask_about_it_sends_the_owner_a_one_tap_status_request(team: Sprout, slack: LocalSlack):
    team.command(RAVI.user_id, "/priority", "add Ship it due tomorrow")
    team.tick(utc(2026, 12, 2, 15, 0))  # Wednesday: overdue since Tuesday
    digest = slack.dms_to(MAYA.user_id)[-1]
    assert "*Ship it* was due Tue 1 Dec" in text_of(digest)

    reply = team.click(MAYA.user_id, digest, "nudge_ask_about")
    assert f"Asked <@{RAVI.user_id}> about *Ship it*" in reply.text
    assert f"reaches <@{RAVI.user_id}> at 09:00 their time (Thu)" in reply.text  # 20:30 for him
    team.tick(utc(2026, 12, 3, 3, 30))
    request = slack.dms_to(RAVI.user_id)[-1]
    team.click(RAVI.user_id, request, "status_request_at_risk")

    with team.services.sessions() as session:
        assert session.query(Priority).one().health == "at_risk"
    assert "At risk" in slack.dms_to(RAVI.user_id)[-1].text
    assert "isn't on your team" in team.click(SAM.user_id, digest, "nudge_ask_about").text


def test_tick_dry_run_lists_each_nudge_with_its_reason(team: Sprout):
    team.command(RAVI.user_id, "/priority", "add Ship it")
    team.command(RAVI.user_id, "/priority", "done 1")
    lines = team.tick(utc(2026, 11, 30, 15, 1), dry_run=True).lines(dry_run=True)
    assert any(
        f"would send {MAYA.user_id} nudge_praise {RAVI.user_id}" in line and "priority_done" in line
        for line in lines
    )
    assert len(nudges_to(team.tick(utc(2026, 11, 30, 15, 1)), MAYA)) == 1


def test_a_429_storm_delays_but_loses_and_repeats_nothing(team: Sprout, slack: LocalSlack):
    fake = [0.0]
    slack.rate_limit("chat.postMessage", per_minute=20, burst=2, clock=lambda: fake[0])
    team.services.deliverer.sleep = lambda seconds: fake.__setitem__(0, fake[0] + seconds)
    people = [f"UX{n:07d}" for n in range(30)]
    for user_id in people:
        slack.add_user(user_id, user_id.lower(), tz="Europe/London")
    team.command(OMAR.user_id, "/team", "add " + " ".join(f"<@{u}>" for u in people[:25]))
    team.command(RAVI.user_id, "/team", "add " + " ".join(f"<@{u}>" for u in people[25:]))
    at = utc(2026, 12, 1, 9, 30)  # 09:30 in London: thirty check-ins at once
    for minute in range(20):
        team.tick(at + timedelta(minutes=minute))
        fake[0] += 60

    assert slack.rate_limited_count > 0
    counts = [len([x for x in slack.dms_to(u) if "priorities" in x.text]) for u in people]
    assert counts == [1] * len(people)


def test_feedback_resets_the_gap_and_only_redirects_gets_a_kind_word(
    team: Sprout, slack: LocalSlack
):
    team.set_time(utc(2026, 12, 4, 9, 0))  # Friday, in Ravi's working hours (Kolkata)
    sent = team.command(
        MAYA.user_id, "/feedback", f"{m(RAVI)} redirect #handoffs notes were missing again"
    )
    team.click_response(MAYA.user_id, sent.responses[-1], "feedback_send")  # he heard it
    team.tick(utc(2026, 12, 7, 15, 0))  # a week after the team was built

    text = last_text(slack, MAYA)
    heard = "hasn't heard feedback from you"
    assert f"<@{RAVI.user_id}> {heard}" not in text and f"<@{ANA.user_id}> {heard}" in text
    assert "all been redirects" in text

    praise = team.command(
        MAYA.user_id, "/feedback", f"{m(ANA)} praise the launch notes were superb"
    )
    team.click_response(MAYA.user_id, praise.responses[-1], "feedback_send")
    team.tick(utc(2026, 12, 8, 15, 0))
    assert "all been redirects" not in last_text(slack, MAYA)


def test_before_the_digest_one_place_in_the_cap_is_kept_for_it(team: Sprout, slack: LocalSlack):
    team.set_time(utc(2026, 12, 1, 14, 0))  # Tuesday 09:00 New York, before the 10:00 digest
    for person in (RAVI, ANA, SAM):
        team.command(person.user_id, "/priority", "add Finish the thing")
        team.command(person.user_id, "/priority", "done 1")

    early = team.tick(utc(2026, 12, 1, 14, 0))
    digest = team.tick(utc(2026, 12, 1, 15, 0))

    assert len(nudges_to(early, MAYA)) == 2 and early.folded == 1
    assert len(nudges_to(digest, MAYA, "digest")) == 1
    assert "Earlier:" in last_text(slack, MAYA)


def test_a_reminder_the_digest_never_offered_changes_nothing(team: Sprout, slack: LocalSlack):
    team.tick(utc(2026, 12, 7, 15, 0))  # Monday after: everyone at 7 days
    digest = slack.dms_to(MAYA.user_id)[-1]

    for forged in ("", "gap:", f"gap:{OMAR.user_id}", f"stale:{RAVI.user_id}"):
        reply = team.click(
            MAYA.user_id, digest, "nudge_remind_later", index=0, tampered={"value": forged}
        )
        assert "can't find that reminder" in reply.text
    with team.services.sessions() as session:
        assert session.query(NudgeSnooze).count() == 0


def test_only_the_manager_can_write_a_baseline_down(sprout: Sprout, slack: LocalSlack):
    sprout.command(MAYA.user_id, "/team", f"add {m(RAVI)}")
    installed_a_month_ago(sprout)
    sprout.tick(utc(2026, 11, 30, 15, 1))
    nudge = slack.dms_to(MAYA.user_id)[-1]

    opened = len(slack.views)
    reply = sprout.click(OMAR.user_id, nudge, "baseline_write")

    assert "isn't on your team" in reply.text
    assert len(slack.views) == opened


# --- a blocker reaches the manager ------------------------------------------------------------


def blocked_in_checkin(team: Sprout, slack: LocalSlack, person, at: datetime) -> str:
    """`person` answers today's check-in (sent at `at`): their first priority is blocked.
    What the check-in says afterwards."""
    team.tick(at)
    [dm] = [x for x in slack.dms_to(person.user_id) if "priorities" in x.text]
    team.click(person.user_id, dm, "checkin_answer_blocked", index=0)
    [dm] = [x for x in slack.dms_to(person.user_id) if "priorities" in x.text]
    return text_of(dm)


def test_a_blocker_is_never_capped_folded_or_deduped(team: Sprout, slack: LocalSlack):
    for person in (ANA, SAM, LEO):  # three praise nudges fill Maya's day
        team.command(person.user_id, "/priority", "add Finish the thing")
        team.command(person.user_id, "/priority", "done 1")
    team.tick(utc(2026, 11, 30, 15, 1))
    team.command(RAVI.user_id, "/priority", "add One")
    team.command(RAVI.user_id, "/priority", "add Two")
    team.command(RAVI.user_id, "/priority", "status 1 blocked waiting on legal")
    team.command(RAVI.user_id, "/priority", "status 2 at-risk the vendor is late")

    result = team.tick(utc(2026, 11, 30, 15, 2))

    urgent = nudges_to(result, MAYA, "nudge_urgent")
    assert len(urgent) == 2 and result.folded == 0
    texts = [text_of(x) for x in slack.dms_to(MAYA.user_id)[-2:]]
    assert any("waiting on legal" in t for t in texts)
    assert any("the vendor is late" in t for t in texts)
    assert all(
        [b["action_id"] for _, b in buttons(x.blocks)] == ["nudge_give_feedback"]
        for x in slack.dms_to(MAYA.user_id)[-2:]
    )


def test_a_blocker_after_hours_comes_first_thing_and_the_report_is_told_when(
    team: Sprout, slack: LocalSlack
):
    team.command(RAVI.user_id, "/priority", "add Ship the billing page")
    # Ravi's check-in at 09:30 Kolkata is 23:00 the evening before in New York.
    said = blocked_in_checkin(team, slack, RAVI, utc(2026, 12, 1, 4, 0))

    assert f"<@{MAYA.user_id}> will hear about it today at 19:30 your time" in said
    assert nudges_to(team.tick(utc(2026, 12, 1, 4, 1)), MAYA) == []
    assert nudges_to(team.tick(utc(2026, 12, 1, 13, 59)), MAYA) == []
    [_urgent] = nudges_to(team.tick(utc(2026, 12, 1, 14, 0)), MAYA, "nudge_urgent")  # 09:00


def test_a_blocker_in_working_hours_reaches_the_manager_now(team: Sprout, slack: LocalSlack):
    team.command(SAM.user_id, "/priority", "add Migrate billing")
    said = blocked_in_checkin(team, slack, SAM, utc(2026, 12, 1, 14, 30))  # 09:30 New York

    assert f"<@{MAYA.user_id}> will hear about it now" in said
    [_urgent] = nudges_to(team.tick(utc(2026, 12, 1, 14, 31)), MAYA, "nudge_urgent")


def test_a_blocker_waits_for_the_managers_snooze_and_the_report_knows(
    team: Sprout, slack: LocalSlack
):
    team.set_time(utc(2026, 12, 1, 14, 0))  # Tuesday
    team.command(MAYA.user_id, "/coach", "snooze 3d")  # back on Friday
    team.command(RAVI.user_id, "/priority", "add Ship the billing page")
    team.set_time(utc(2026, 12, 2, 5, 0))  # Wednesday 10:30 in Kolkata
    reply = team.command(RAVI.user_id, "/priority", "status 1 blocked waiting on legal")

    assert f"<@{MAYA.user_id}> has paused Sprout" in reply.text
    assert "on Fri 4 Dec at 19:30 your time" in reply.text
    assert "reach them, or someone else who can help, directly" in reply.text
    assert nudges_to(team.tick(utc(2026, 12, 3, 15, 0)), MAYA) == []  # Thursday: still paused
    [_urgent] = nudges_to(team.tick(utc(2026, 12, 4, 14, 0)), MAYA, "nudge_urgent")
    assert "waiting on legal" in last_text(slack, MAYA)


# --- at most three nudge DMs a day, digest included ------------------------------------------


def finish_something(team: Sprout, *people) -> None:
    for person in people:
        team.command(person.user_id, "/priority", "add Finish the thing")
        team.command(person.user_id, "/priority", "done 1")


def test_at_the_digest_minute_the_digest_still_counts_toward_the_cap(
    team: Sprout, slack: LocalSlack
):
    team.set_time(utc(2026, 12, 1, 15, 0))  # Tuesday 10:00 New York: the digest minute
    finish_something(team, RAVI, ANA, SAM, LEO)

    result = team.tick(utc(2026, 12, 1, 15, 0))

    assert len(nudges_to(result, MAYA, "nudge_")) == 2
    assert len(nudges_to(result, MAYA, "digest")) == 1


def test_a_folded_nudge_keeps_its_button_and_the_digest_says_what_it_holds(
    team: Sprout, slack: LocalSlack
):
    team.set_time(utc(2026, 12, 1, 15, 0))
    finish_something(team, RAVI, ANA, SAM, LEO)
    team.tick(utc(2026, 12, 1, 15, 0))

    digest = slack.dms_to(MAYA.user_id)[-1]
    assert digest.text == "Your coaching digest: 2 finished priorities to praise."
    assert "0 people" not in digest.text
    praise = [b for _, b in buttons(digest.blocks) if b["action_id"] == "nudge_give_feedback"]
    assert [json.loads(b["value"])["why"] for b in praise] == ["finished", "finished"]
    team.click(MAYA.user_id, digest, "nudge_give_feedback")
    assert "They just finished *Finish the thing*." in text_of_view(slack.views[-1].view)


def test_the_least_severe_fold_first(team: Sprout, slack: LocalSlack):
    team.set_time(utc(2026, 12, 1, 16, 0))  # after today's digest was considered
    team.tick(utc(2026, 12, 1, 15, 0))
    finish_something(team, RAVI, ANA, SAM)
    team.command(LEO.user_id, "/priority", "add Migrate billing")
    team.command(LEO.user_id, "/priority", "status 1 at-risk")  # last, but the most severe

    result = team.tick(utc(2026, 12, 1, 16, 1))

    assert [r.kind for r in nudges_to(result, MAYA)].count("nudge_check_in") == 1
    assert result.folded == 1


def test_remind_me_in_three_days_brings_them_back_at_the_digest_three_days_on(
    team: Sprout, slack: LocalSlack
):
    team.tick(utc(2026, 12, 7, 15, 0))  # Monday 10:00: everyone at 7 days
    digest = slack.dms_to(MAYA.user_id)[-1]
    team.click(MAYA.user_id, digest, "nudge_remind_later", value=f"gap:{RAVI.user_id}")

    team.tick(utc(2026, 12, 9, 15, 0))  # Wednesday: still hidden
    assert f"<@{RAVI.user_id}>" not in text_of(slack.dms_to(MAYA.user_id)[-1])
    team.tick(utc(2026, 12, 10, 15, 0))  # Thursday's digest, at its own minute
    assert f"<@{RAVI.user_id}>" in text_of(slack.dms_to(MAYA.user_id)[-1])


def test_the_weeks_first_digest_names_reports_with_no_priorities_once(
    team: Sprout, slack: LocalSlack
):
    team.command(RAVI.user_id, "/priority", "add Ship the billing page")
    team.command(ANA.user_id, "/priority", "add Plan the offsite")
    team.command(LEO.user_id, "/priority", "add Fix the build")
    none = f"<@{SAM.user_id}> has no priorities on Sprout yet"

    team.tick(utc(2026, 12, 7, 15, 0))  # Monday, a week after the team was built
    monday = [text_of(msg) for msg in slack.dms_to(MAYA.user_id) if "digest" in msg.text]
    assert any(none in text for text in monday)
    assert not any(f"<@{RAVI.user_id}> has no priorities" in text for text in monday)
    for day in (8, 9, 10, 11):
        team.tick(utc(2026, 12, day, 15, 0))
    week = [text_of(msg) for msg in slack.dms_to(MAYA.user_id)]
    assert sum(none in text for text in week) == 1


def test_several_new_reports_the_same_day_make_one_baseline_nudge(
    sprout: Sprout, slack: LocalSlack
):
    sprout.command(MAYA.user_id, "/team", f"add {m(RAVI)} {m(ANA)} {m(SAM)}")
    installed_a_month_ago(sprout)
    result = sprout.tick(utc(2026, 11, 30, 15, 1))

    [_sent] = nudges_to(result, MAYA, "nudge_baseline")
    nudge = slack.dms_to(MAYA.user_id)[-1]
    text = text_of(nudge)
    assert "just joined your team" in text
    assert all(f"<@{p.user_id}>" in text for p in (RAVI, ANA, SAM))
    assert len([e for _, e in buttons(nudge.blocks) if e["action_id"] == "baseline_write"]) == 3
    sprout.click(MAYA.user_id, nudge, "baseline_write", index=1)
    assert slack.views[-1].view["private_metadata"] == ANA.user_id

    # Leo joins later the same day: no second message today, the digest says it.
    sprout.command(MAYA.user_id, "/team", f"add {m(LEO)}")
    assert nudges_to(sprout.tick(utc(2026, 11, 30, 18, 0)), MAYA, "nudge_baseline") == []
    sprout.tick(utc(2026, 12, 1, 15, 0))
    assert f"<@{LEO.user_id}> joined your team" in last_text(slack, MAYA)


def test_on_a_fresh_install_the_manager_gets_one_word_on_baselines_not_one_per_person(
    sprout: Sprout, slack: LocalSlack
):
    sprout.command(MAYA.user_id, "/team", f"add {m(RAVI)} {m(ANA)}")
    [_sent] = nudges_to(sprout.tick(utc(2026, 11, 30, 15, 1)), MAYA, "nudge_baseline")
    sprout.command(MAYA.user_id, "/team", f"add {m(SAM)}")  # still Sprout's first day
    assert nudges_to(sprout.tick(utc(2026, 12, 1, 15, 1)), MAYA, "nudge_baseline") == []

    texts = [text_of(msg) for msg in slack.dms_to(MAYA.user_id)]
    assert (
        sum("If you haven't agreed a baseline with your team, here's how" in t for t in texts) == 1
    )
    assert not any("just joined your team" in t for t in texts)


def test_new_reports_while_the_manager_snoozed_wait_and_arrive_in_one_message(
    sprout: Sprout, slack: LocalSlack
):
    sprout.command(MAYA.user_id, "/coach", "snooze 3d")  # through Wed 2 Dec, her time
    installed_a_month_ago(sprout)
    sprout.command(MAYA.user_id, "/team", f"add {m(RAVI)} {m(ANA)}")
    assert nudges_to(sprout.tick(utc(2026, 11, 30, 15, 1)), MAYA, "nudge_baseline") == []
    sprout.set_time(utc(2026, 12, 2, 16, 0))
    sprout.command(MAYA.user_id, "/team", f"add {m(SAM)}")  # two days later, still snoozed
    assert nudges_to(sprout.tick(utc(2026, 12, 2, 16, 1)), MAYA, "nudge_baseline") == []

    [_sent] = nudges_to(sprout.tick(utc(2026, 12, 3, 14, 0)), MAYA, "nudge_baseline")  # 09:00
    text = last_text(slack, MAYA)
    assert "just joined your team" in text
    assert all(f"<@{p.user_id}>" in text for p in (RAVI, ANA, SAM))
    assert nudges_to(sprout.tick(utc(2026, 12, 3, 18, 0)), MAYA, "nudge_baseline") == []


def test_acceptances_hours_apart_make_one_message_and_the_later_one_is_in_the_next_digest(
    sprout: Sprout, slack: LocalSlack
):
    sprout.set_time(utc(2026, 11, 30, 14, 30))  # 09:30 in New York, before her 10:00 digest
    sprout.command(MAYA.user_id, "/team", f"add {m(RAVI)}")
    installed_a_month_ago(sprout)
    assert len(nudges_to(sprout.tick(utc(2026, 11, 30, 14, 31)), MAYA, "nudge_baseline")) == 1
    sprout.set_time(utc(2026, 11, 30, 14, 45))
    sprout.command(MAYA.user_id, "/team", f"add {m(ANA)}")  # before today's digest
    sprout.tick(utc(2026, 11, 30, 14, 46))
    sprout.tick(utc(2026, 11, 30, 15, 0))  # her 10:00 digest
    sprout.set_time(utc(2026, 11, 30, 19, 0))
    sprout.command(MAYA.user_id, "/team", f"add {m(SAM)}")  # after today's digest
    sprout.tick(utc(2026, 11, 30, 19, 1))

    texts = [text_of(x) for x in slack.dms_to(MAYA.user_id)]
    assert sum("just joined your team" in t for t in texts) == 1  # one baseline message
    assert any(f"<@{ANA.user_id}> joined your team" in t for t in texts)  # today's digest
    assert not any(f"<@{SAM.user_id}> joined" in t for t in texts)
    sprout.tick(utc(2026, 12, 1, 15, 0))  # Tuesday's digest: Sam is there, not lost
    assert f"<@{SAM.user_id}> joined your team" in last_text(slack, MAYA)
