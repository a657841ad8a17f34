"""The monthly pulse end to end: a manager opts in, the reports answer anonymously, the
manager gets results only once enough people answered."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.models import OutboxMessage, PulseAnswer, Workspace
from bot.preferences.person import schedules_of
from devtools.cast import ANA, JULES, LEO, MAYA, NOOR, OMAR, RAVI, SAM
from devtools.forms import form_values
from devtools.harness import Sprout, block_texts
from devtools.local_slack import LocalSlack

TEAM = (RAVI, ANA, LEO, NOOR, SAM, JULES)


def m(person) -> str:
    return f"<@{person.user_id}|{person.name.lower()}>"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def text_of(message) -> str:
    return "\n".join(block_texts(message.blocks))


def pulse_dms(slack: LocalSlack, person) -> list:
    return [x for x in slack.dms_to(person.user_id) if "monthly pulse" in x.text]


def results_dms(slack: LocalSlack, person) -> list:
    return [x for x in slack.dms_to(person.user_id) if "team's pulse for" in x.text]


def omar_opts_in(sprout: Sprout, people=TEAM) -> str:
    """Omar (London, not an admin) builds a team on Monday 30 Nov and turns the pulse on."""
    sprout.command(OMAR.user_id, "/team", "add " + " ".join(m(p) for p in people))
    return sprout.command(OMAR.user_id, "/coach", "pulse on").text


def days_pass(sprout: Sprout, start: datetime, days: int) -> None:
    """Scheduler passes every three hours, so everyone's working hours come round."""
    at = start
    while at < start + timedelta(days=days):
        sprout.tick(at)
        at += timedelta(hours=3)


def answer(sprout: Sprout, slack: LocalSlack, person, score: str, comment: str = "") -> dict:
    [dm] = pulse_dms(slack, person)
    sprout.click(person.user_id, dm, "pulse_answer")
    view = slack.views[-1].view
    assert view["callback_id"] == "pulse_form"
    fields = {
        block["block_id"]: (score if block["block_id"].startswith("q_") else comment or None)
        for block in view["blocks"]
        if block["type"] == "input"
    }
    reply = sprout.submit(person.user_id, view, form_values(view, **fields))
    assert reply.status == 200
    return json.loads(reply.body or b"{}")


def test_an_opted_in_manager_gets_questions_to_reports_and_results_once_five_answered(
    sprout: Sprout, slack: LocalSlack
):
    said = omar_opts_in(sprout)
    assert "first one goes to your reports on Tue 1 Dec" in said
    days_pass(sprout, utc(2026, 11, 30, 16, 0), 3)
    for person in TEAM:
        [dm] = pulse_dms(slack, person)
        assert f"<@{OMAR.user_id}>" in dm.text and "anonymous" in text_of(dm).lower()
    assert pulse_dms(slack, OMAR) == [] and pulse_dms(slack, MAYA) == []
    for person, score in zip(TEAM, "435342", strict=True):
        done = answer(sprout, slack, person, score, comment=f"note from someone {score}")
        assert done["response_action"] == "update" and "Thanks" in json.dumps(done["view"])
    days_pass(sprout, utc(2026, 12, 3, 16, 0), 6)
    [results] = results_dms(slack, OMAR)
    shown = text_of(results)
    assert "6 people answered" in shown
    assert "My manager explains why, not just what" in shown or "Median" in shown
    assert "answers from 2 to 5" in shown
    assert "note from someone" in shown
    assert not any(person.user_id in shown for person in TEAM)


def test_fewer_than_five_answers_reveal_nothing(sprout: Sprout, slack: LocalSlack):
    omar_opts_in(sprout)
    days_pass(sprout, utc(2026, 11, 30, 16, 0), 3)
    for person in TEAM[:4]:
        answer(sprout, slack, person, "1", comment="something only I would say")
    days_pass(sprout, utc(2026, 12, 3, 16, 0), 6)
    [results] = results_dms(slack, OMAR)
    shown = text_of(results)
    assert "Not enough answers to keep them anonymous" in shown
    assert "Median" not in shown and "something only I would say" not in shown
    assert "4" not in shown.replace("2026", "")  # not even how many answered
    status = sprout.command(OMAR.user_id, "/coach", "pulse").text
    assert "Not enough answers" in status and "Median" not in status


def test_a_second_answer_is_not_stored(sprout: Sprout, slack: LocalSlack):
    omar_opts_in(sprout)
    days_pass(sprout, utc(2026, 11, 30, 16, 0), 3)
    answer(sprout, slack, RAVI, "5")
    again = answer(sprout, slack, RAVI, "1")  # the DM's button refuses; an old form too
    assert "answered this month's pulse already" in json.dumps(again)


def test_someone_not_on_the_team_cannot_answer_with_a_forged_claim(
    sprout: Sprout, slack: LocalSlack
):
    omar_opts_in(sprout)
    days_pass(sprout, utc(2026, 11, 30, 16, 0), 3)
    [dm] = pulse_dms(slack, RAVI)
    reply = sprout.click(MAYA.user_id, dm, "pulse_answer")
    assert "you're not on it now" in reply.text
    assert not any(v.view.get("callback_id") == "pulse_form" for v in slack.views)


def test_the_pulse_is_off_by_default_and_an_admin_turns_it_on_for_the_workspace(
    sprout: Sprout, slack: LocalSlack
):
    sprout.command(OMAR.user_id, "/team", "add " + " ".join(m(p) for p in TEAM))
    days_pass(sprout, utc(2026, 11, 30, 16, 0), 2)
    assert all(pulse_dms(slack, person) == [] for person in TEAM)
    sprout.command(MAYA.user_id, "/coach", "help")  # Sprout learns she is an admin
    sprout.command(MAYA.user_id, "/coach", "settings")
    view = slack.views[-1].view
    reply = sprout.submit(MAYA.user_id, view, form_values(view, ws_pulse=["on"]))
    assert reply.status == 200
    days_pass(sprout, utc(2026, 12, 2, 16, 0), 2)
    assert all(len(pulse_dms(slack, person)) == 1 for person in TEAM)


def test_coach_pulse_off_means_no_pulse_next_month(sprout: Sprout, slack: LocalSlack):
    omar_opts_in(sprout)
    days_pass(sprout, utc(2026, 11, 30, 16, 0), 2)
    assert "off" in sprout.command(OMAR.user_id, "/coach", "pulse off").text
    days_pass(sprout, utc(2027, 1, 4, 0, 0), 4)  # January's first working Tuesday is the 5th
    assert all(len(pulse_dms(slack, person)) == 1 for person in TEAM)


def test_the_next_pulse_comes_on_the_first_working_tuesday_of_the_month(
    sprout: Sprout, slack: LocalSlack
):
    omar_opts_in(sprout)
    days_pass(sprout, utc(2026, 11, 30, 16, 0), 2)
    days_pass(sprout, utc(2027, 1, 4, 0, 0), 1)  # Monday 4 January
    assert all(len(pulse_dms(slack, person)) == 1 for person in TEAM)
    days_pass(sprout, utc(2027, 1, 5, 0, 0), 2)
    assert all(len(pulse_dms(slack, person)) == 2 for person in TEAM)


def test_a_pulse_waits_for_working_hours(sprout: Sprout, slack: LocalSlack):
    omar_opts_in(sprout, people=(NOOR,))  # Riyadh, works Sunday to Thursday
    sprout.tick(utc(2026, 12, 1, 3, 0))  # 06:00 in Riyadh: before work
    assert pulse_dms(slack, NOOR) == []
    sprout.tick(utc(2026, 12, 1, 6, 0))  # 09:00 in Riyadh
    assert len(pulse_dms(slack, NOOR)) == 1


def test_coach_pulse_needs_a_team_and_a_clear_word(sprout: Sprout):
    assert "nobody reports to you yet" in sprout.command(OMAR.user_id, "/coach", "pulse on").text
    sprout.command(OMAR.user_id, "/team", f"add {m(RAVI)}")
    assert "`/coach pulse on` or `/coach pulse off`" in (
        sprout.command(OMAR.user_id, "/coach", "pulse maybe").text
    )


def test_someone_away_gets_the_pulse_once_they_are_back(sprout: Sprout, slack: LocalSlack):
    omar_opts_in(sprout, people=(ANA,))
    user = slack.update_user(ANA.user_id, status_text="On vacation", status_emoji=":palm_tree:")
    sprout.event({"type": "user_change", "user": {**user, "team_id": sprout.team_id}})
    days_pass(sprout, utc(2026, 12, 1, 0, 0), 1)
    assert pulse_dms(slack, ANA) == []
    user = slack.update_user(ANA.user_id, status_text="", status_emoji="")
    sprout.event({"type": "user_change", "user": {**user, "team_id": sprout.team_id}})
    sprout.tick(utc(2026, 12, 2, 9, 0))  # 10:00 in Berlin
    assert len(pulse_dms(slack, ANA)) == 1


def test_the_results_wait_for_a_day_with_room_under_the_nudge_cap(
    sprout: Sprout, slack: LocalSlack
):
    omar_opts_in(sprout)
    days_pass(sprout, utc(2026, 11, 30, 16, 0), 3)
    for person in TEAM[:5]:
        answer(sprout, slack, person, "4")
    sprout.set_time(utc(2026, 12, 8, 9, 0))  # Tuesday, Omar's 09:00: three nudges today
    for person in TEAM[:3]:
        sprout.command(person.user_id, "/priority", "add Something to finish")
        sprout.command(person.user_id, "/priority", "done 1")
    sprout.tick(utc(2026, 12, 8, 9, 30))
    days_pass(sprout, utc(2026, 12, 8, 10, 0), 0.5)
    assert results_dms(slack, OMAR) == []
    days_pass(sprout, utc(2026, 12, 9, 0, 0), 1)
    assert len(results_dms(slack, OMAR)) == 1


def test_the_weekly_reflection_follows_the_pulse(sprout: Sprout, slack: LocalSlack):
    omar_opts_in(sprout)
    days_pass(sprout, utc(2026, 11, 30, 16, 0), 3)
    for person in TEAM:
        answer(sprout, slack, person, "3")
    days_pass(sprout, utc(2026, 12, 3, 16, 0), 9)  # results on the 8th, summary Friday the 11th
    [summary] = [x for x in slack.dms_to(OMAR.user_id) if "weekly summary" in x.text][-1:]
    assert "Your team's pulse points to" in text_of(summary)


ONE_DAY = timedelta(days=1)


def reminders(slack: LocalSlack, person) -> list:
    return [x for x in slack.dms_to(person.user_id) if x.text.startswith("Still time for")]


def reminder_rows(sprout: Sprout, kind: str = "pulse_reminder") -> list[OutboxMessage]:
    with sprout.services.sessions() as session:
        return list(session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)))


def assert_two_working_days_after_the_ask(sprout: Sprout, rows: list[OutboxMessage]) -> None:
    """Each reminder came in its person's working hours, on their second working day
    after the DM reached them."""
    asked = {r.recipient_id: r.sent_at for r in reminder_rows(sprout, "pulse")}
    with sprout.services.sessions() as session:
        schedules = schedules_of(session, {(sprout.team_id, r.recipient_id) for r in rows})
    for row in rows:
        schedule = schedules[(sprout.team_id, row.recipient_id)][0]
        assert schedule.in_working_hours(row.sent_at)
        assert schedule.working_days_between(asked[row.recipient_id], row.sent_at) == 2
        assert schedule.working_days_between(asked[row.recipient_id], row.sent_at - ONE_DAY) < 2


def test_one_reminder_reaches_only_those_who_have_not_answered_two_working_days_on(
    sprout: Sprout, slack: LocalSlack
):
    omar_opts_in(sprout)
    days_pass(sprout, utc(2026, 11, 30, 16, 0), 1)  # the DMs go out on Tuesday 1 Dec
    for person in TEAM[:4]:
        answer(sprout, slack, person, "4")
    days_pass(sprout, utc(2026, 12, 1, 16, 0), 1)  # Wednesday: one working day on
    assert reminder_rows(sprout) == []
    days_pass(sprout, utc(2026, 12, 2, 16, 0), 8)  # to past the close

    for person in TEAM[:4]:
        assert reminders(slack, person) == []
    for person in TEAM[4:]:
        [dm] = reminders(slack, person)
        assert f"<@{OMAR.user_id}>" in dm.text and "anonymous" in text_of(dm).lower()
    assert reminders(slack, OMAR) == [] and results_dms(slack, OMAR)
    assert_two_working_days_after_the_ask(sprout, reminder_rows(sprout))
    # Answers stay as they were stored: no respondent, no time.
    assert {c.name for c in PulseAnswer.__table__.columns} == {
        "slot", "team_id", "manager_id", "month", "question", "score", "comment",
    }  # fmt: skip


def test_the_reminder_skips_days_off_and_snoozes(sprout: Sprout, slack: LocalSlack):
    omar_opts_in(sprout)
    with sprout.services.sessions.begin() as session:
        workspace = session.get(Workspace, sprout.team_id)
        workspace.settings = {**(workspace.settings or {}), "company_days_off": ["2026-12-03"]}
    sprout.command(SAM.user_id, "/coach", "snooze 2w")
    days_pass(sprout, utc(2026, 11, 30, 16, 0), 4)  # through Friday 4 Dec
    rows = reminder_rows(sprout)
    assert SAM.user_id not in {r.recipient_id for r in rows}  # snoozed: no reminder
    assert {r.recipient_id for r in rows} == {p.user_id for p in TEAM if p != SAM}
    assert_two_working_days_after_the_ask(sprout, rows)  # Thursday 3 Dec was a day off


def test_the_reminder_waits_for_a_day_with_room_under_the_nudge_cap(
    sprout: Sprout, slack: LocalSlack
):
    """Maya reports to Omar and manages a team of her own: a day her three nudges are used,
    the pulse reminder waits for the next."""
    omar_opts_in(sprout, people=(MAYA,))
    days_pass(sprout, utc(2026, 11, 30, 16, 0), 2)  # the DM reaches her on Tuesday 1 Dec
    at = utc(2026, 12, 3, 14, 0)  # Thursday, 09:00 in New York: her second working day on
    with sprout.services.sessions.begin() as session:
        for n in range(3):
            session.add(
                OutboxMessage(
                    team_id=sprout.team_id, recipient_id=MAYA.user_id, kind="nudge_praise",
                    subject=f"U{n}", period="2026-12-03", payload={"text": "nudge"},
                    status="sent", not_before=at, sent_at=at, attempts=1, created_at=at,
                    expires_at=at,
                )
            )  # fmt: skip
    days_pass(sprout, at, 0.5)
    assert reminder_rows(sprout) == []
    days_pass(sprout, utc(2026, 12, 4, 14, 0), 0.5)
    [row] = reminder_rows(sprout)
    assert row.recipient_id == MAYA.user_id
