"""Action plans end to end: drafted on the third rung, agreed by the report, followed in
check-ins, on Home, in the 1:1 agenda and by the manager's nudges, closed as resolved
(with a praise prompt) or not (new dates); seen by the manager and the report only."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.db import transaction
from bot.models import ActionPlan, Workspace
from devtools.cast import ANA, JULES, MAYA, OMAR, RAVI, SAM, Person
from devtools.forms import form_values
from devtools.harness import Reply, Sprout, block_texts, buttons
from devtools.local_slack import LocalSlack, Message

MONDAY = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)  # 10:00 in New York, 16:00 in Berlin
ANAS_WEDNESDAY_CHECKIN = datetime(2026, 12, 2, 8, 30, tzinfo=UTC)  # 09:30 in Berlin
WEDNESDAY = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)  # 10:00 in New York
THURSDAY = WEDNESDAY + timedelta(days=1)
FRIDAY = WEDNESDAY + timedelta(days=2)
STEP_ONE = "Write handoff notes before each night shift"
STEP_TWO = "Walk the night shift through the checklist"


def at(person: Person) -> str:
    return f"<@{person.user_id}>"


def text_of(message: Message | dict[str, Any] | None) -> str:
    if message is None:
        return ""
    found = message.blocks if isinstance(message, Message) else message.get("blocks", [])
    return "\n".join(block_texts(found))


def open_home(sprout: Sprout, person: Person) -> dict[str, Any]:
    sprout.event({"type": "app_home_opened", "user": person.user_id, "tab": "home"})
    return sprout.slack.home_of(person.user_id) or {}


def redirect(sprout: Sprout, text: str) -> Reply:
    """A redirect from Maya to Ana on #handoffs, sent to her: the confirmation."""
    reply = sprout.command(MAYA.user_id, "/feedback", f"{at(ANA)} redirect #handoffs {text}")
    [response] = reply.responses
    sprout.click_response(MAYA.user_id, response, "feedback_send")
    return reply


@pytest.fixture
def third_rung(sprout: Sprout) -> Reply:
    """Maya manages Ana and Ravi; Omar manages Jules; Ana heard three redirects."""
    sprout.set_time(MONDAY)
    sprout.command(MAYA.user_id, "/team", f"add {at(ANA)} {at(RAVI)}")
    sprout.command(OMAR.user_id, "/team", f"add {at(JULES)}")
    sprout.command(ANA.user_id, "/priority", "add Ship the rota tool")
    redirect(sprout, "no notes for the night shift")
    redirect(sprout, "notes missing again")
    return redirect(sprout, "third time this month")


def draft_form(sprout: Sprout, slack: LocalSlack, confirmation: Reply) -> dict[str, Any]:
    [response] = confirmation.responses
    sprout.click_response(MAYA.user_id, response, "plan_draft")
    return [v for v in slack.views if v.kind == "open"][-1].view


def submit_plan(sprout: Sprout, view: dict[str, Any], **fields: Any) -> Reply:
    values = {
        "step_1": STEP_ONE,
        "due_1": "2026-12-02",
        "step_2": STEP_TWO,
        "due_2": "2026-12-03",
        "check_in": "2026-12-04",
        **fields,
    }
    return sprout.submit(MAYA.user_id, view, form_values(view, **values))


def proposal(slack: LocalSlack) -> Message:
    [dm] = [dm for dm in slack.dms_to(ANA.user_id) if "drafted an action plan" in dm.text]
    return dm


def agreed_plan(sprout: Sprout, slack: LocalSlack, third_rung: Reply) -> Message:
    submit_plan(sprout, draft_form(sprout, slack, third_rung))
    dm = proposal(slack)
    sprout.click(ANA.user_id, dm, "plan_agree")
    return dm


def dm_texts(slack: LocalSlack, person: Person) -> str:
    return "\n".join(text_of(dm) for dm in slack.dms_to(person.user_id))


def test_the_third_rung_offers_a_plan_and_the_first_does_not(sprout: Sprout, third_rung: Reply):
    labels = [e.get("text", {}).get("text") for _, e in buttons(third_rung.responses[0].blocks)]
    assert "Draft an action plan" in labels
    first = sprout.command(MAYA.user_id, "/feedback", f"{at(RAVI)} redirect #handoffs late")
    assert "Draft an action plan" not in json.dumps(first.responses[0].blocks)


def test_a_plan_goes_draft_agreed_step_nudges_resolved_with_a_praise_prompt(
    sprout: Sprout, slack: LocalSlack, third_rung: Reply
):
    view = draft_form(sprout, slack, third_rung)
    assert view["title"]["text"] == "Action plan"
    submitted = submit_plan(sprout, view)
    assert "Plan sent to" in submitted.body.decode()
    dm = proposal(slack)
    assert STEP_ONE in text_of(dm) and "Fri 4 Dec" in text_of(dm)

    sprout.click(ANA.user_id, dm, "plan_agree")
    [edited] = [m for m in slack.dms_to(ANA.user_id) if m.ts == dm.ts]
    assert "You agreed" in text_of(edited) and buttons(edited.blocks) == []
    assert f"{at(ANA)} agreed to the action plan" in dm_texts(slack, MAYA)

    assert STEP_ONE in text_of(open_home(sprout, MAYA))
    assert STEP_ONE in text_of(open_home(sprout, ANA))

    sprout.tick(ANAS_WEDNESDAY_CHECKIN)
    [checkin] = [m for m in slack.dms_to(ANA.user_id) if "action-plan steps" in text_of(m)]
    assert STEP_ONE in text_of(checkin) and STEP_TWO in text_of(checkin)

    sprout.tick(WEDNESDAY)
    nudges = [m for m in slack.dms_to(MAYA.user_id) if "action-plan step is due" in m.text]
    assert [STEP_ONE in m.text for m in nudges] == [True]
    sprout.tick(WEDNESDAY + timedelta(minutes=30))
    sprout.tick(THURSDAY)
    nudges = [m for m in slack.dms_to(MAYA.user_id) if "action-plan step is due" in m.text]
    assert len(nudges) == 2 and STEP_TWO in nudges[1].text

    home = open_home(sprout, ANA)
    sprout.click_in_view(ANA.user_id, home, "plan_step_done_1")
    assert f"~{STEP_ONE}~" in text_of(slack.home_of(ANA.user_id))

    sprout.command(MAYA.user_id, "/coach", f"1on1 {at(ANA)}")
    [agenda] = slack.messages(slack.group_dm(MAYA.user_id, ANA.user_id))
    assert "Action-plan steps due" in text_of(agenda)
    assert STEP_TWO in text_of(agenda) and STEP_ONE not in text_of(agenda)

    sprout.tick(FRIDAY)
    [check_in] = [m for m in slack.dms_to(MAYA.user_id) if "check-in on" in m.text]
    sprout.click(MAYA.user_id, check_in, "plan_resolved")
    [closed] = [m for m in slack.dms_to(MAYA.user_id) if m.ts == check_in.ts]
    assert "closed as resolved" in closed.text
    [prompt] = [m for m in slack.dms_to(MAYA.user_id) if "What improved?" in m.text]
    [(_, praise)] = buttons(prompt.blocks)
    assert praise["text"]["text"] == "Give praise"
    assert json.loads(praise["value"])["person"] == ANA.user_id
    assert json.loads(praise["value"])["kind"] == "praise"
    assert STEP_TWO not in text_of(open_home(sprout, MAYA))
    assert STEP_TWO not in text_of(open_home(sprout, ANA))


def test_the_plan_is_seen_by_exactly_the_manager_and_the_report(
    sprout: Sprout, slack: LocalSlack, third_rung: Reply
):
    slack.update_user(SAM.user_id, is_admin=True)
    dm = agreed_plan(sprout, slack, third_rung)
    sprout.tick(WEDNESDAY)
    sprout.command(OMAR.user_id, "/coach", f"1on1 {at(JULES)}")
    sprout.command(MAYA.user_id, "/coach", f"1on1 {at(RAVI)}")
    for person in (MAYA, ANA, RAVI, OMAR, SAM, JULES):
        open_home(sprout, person)

    seen_by = set()
    for message in slack.messages():
        if STEP_ONE in text_of(message):
            seen_by.add(message.channel)
    for person in (MAYA, ANA, RAVI, OMAR, SAM, JULES):
        if STEP_ONE in text_of(slack.home_of(person.user_id)):
            seen_by.add(person.user_id)
    ours = {MAYA.user_id, ANA.user_id}
    channels = {slack.dm_channel(p) for p in ours} | {slack.group_dm(*ours)}
    assert seen_by <= ours | channels and {MAYA.user_id, ANA.user_id} <= seen_by

    with sprout.services.sessions() as session:
        [plan] = session.scalars(select(ActionPlan)).all()
    claim = {"value": str(plan.id)}
    maya_home = slack.home_of(MAYA.user_id) or {}
    for person in (RAVI, OMAR, SAM):
        reply = sprout.click(person.user_id, dm, "plan_agree", tampered=claim)
        assert "isn't yours" in reply.text
        sprout.click_in_view(person.user_id, maya_home, "plan_resolved")
        assert "isn't yours" in text_of(slack.home_of(person.user_id))
        assert STEP_ONE not in text_of(slack.home_of(person.user_id))
    with sprout.services.sessions() as session:
        assert session.get(ActionPlan, plan.id).status == "agreed"


def test_only_the_manager_who_gave_the_redirect_may_draft_a_plan(
    sprout: Sprout, slack: LocalSlack, third_rung: Reply
):
    [response] = third_rung.responses
    opened = len([v for v in slack.views if v.kind == "open"])
    reply = sprout.click_response(OMAR.user_id, response, "plan_draft")
    assert "Only the person who saved this feedback" in reply.text
    assert len([v for v in slack.views if v.kind == "open"]) == opened


def test_a_suggested_change_goes_back_to_the_manager_who_can_draft_again(
    sprout: Sprout, slack: LocalSlack, third_rung: Reply
):
    submit_plan(sprout, draft_form(sprout, slack, third_rung))
    dm = proposal(slack)
    sprout.click(ANA.user_id, dm, "plan_change")
    form = [v for v in slack.views if v.kind == "open"][-1].view
    sprout.submit(ANA.user_id, form, form_values(form, comment="Friday is too soon for me"))

    [answer] = [m for m in slack.dms_to(MAYA.user_id) if "suggested a change" in m.text]
    assert "Friday is too soon for me" in text_of(answer)
    [clicked_in] = [m for m in slack.dms_to(ANA.user_id) if m.ts == dm.ts]
    assert "You suggested a change" in text_of(clicked_in) and STEP_ONE in text_of(clicked_in)
    assert buttons(clicked_in.blocks) == []
    assert "isn't waiting" in sprout.click(ANA.user_id, dm, "plan_agree").text
    sprout.click(MAYA.user_id, answer, "plan_draft")
    again = [v for v in slack.views if v.kind == "open"][-1].view
    assert again["callback_id"] == "plan_draft_form"


def test_the_form_says_what_is_missing_and_saves_nothing(
    sprout: Sprout, slack: LocalSlack, third_rung: Reply
):
    view = draft_form(sprout, slack, third_rung)
    reply = submit_plan(sprout, view, due_1=None, step_2="", due_2=None, check_in="2026-11-01")
    errors = json.loads(reply.body)["errors"]
    assert errors == {"due_1": "Pick a date.", "check_in": "Pick today or a day to come."}
    with sprout.services.sessions() as session:
        assert session.scalars(select(ActionPlan)).all() == []


def test_not_resolved_keeps_it_open_with_new_dates(
    sprout: Sprout, slack: LocalSlack, third_rung: Reply
):
    agreed_plan(sprout, slack, third_rung)
    sprout.tick(FRIDAY)
    [check_in] = [m for m in slack.dms_to(MAYA.user_id) if "check-in on" in m.text]
    sprout.click(MAYA.user_id, check_in, "plan_not_resolved")
    form = [v for v in slack.views if v.kind == "open"][-1].view
    assert form["callback_id"] == "plan_redate_form"
    sprout.submit(
        MAYA.user_id,
        form,
        form_values(form, due_1="2026-12-08", due_2="2026-12-09", check_in="2026-12-11"),
    )
    assert "new dates" in dm_texts(slack, ANA)
    assert "Fri 11 Dec" in text_of(open_home(sprout, ANA))
    sprout.tick(datetime(2026, 12, 11, 15, 0, tzinfo=UTC))
    assert len([m for m in slack.dms_to(MAYA.user_id) if "check-in on" in m.text]) == 2


def cap_nudges_at(sprout: Sprout, cap: int) -> None:
    with transaction(sprout.services.sessions) as session:
        session.get(Workspace, sprout.team_id).settings = {"daily_nudge_cap": cap}


def plan_nudges(slack: LocalSlack) -> list[Message]:
    return [m for m in slack.dms_to(MAYA.user_id) if "action-plan step" in m.text]


def test_plan_nudges_wait_for_the_end_of_a_snooze(
    sprout: Sprout, slack: LocalSlack, third_rung: Reply
):
    agreed_plan(sprout, slack, third_rung)
    sprout.command(MAYA.user_id, "/coach", "snooze 1w")
    sprout.tick(WEDNESDAY)
    assert plan_nudges(slack) == []
    sprout.command(MAYA.user_id, "/coach", "snooze off")
    sprout.tick(THURSDAY)  # both steps are due by now: within the cap, both come
    assert len(plan_nudges(slack)) == 2


def test_plan_nudges_count_toward_the_daily_cap(
    sprout: Sprout, slack: LocalSlack, third_rung: Reply
):
    agreed_plan(sprout, slack, third_rung)
    cap_nudges_at(sprout, 1)
    sprout.tick(THURSDAY - timedelta(hours=1))  # 09:00: before the digest, one place left
    assert len(plan_nudges(slack)) == 1
    sprout.tick(THURSDAY + timedelta(hours=1))
    assert len(plan_nudges(slack)) == 1  # the cap is used: the other step waits a day
    sprout.tick(FRIDAY - timedelta(hours=1))  # the check-in day: its nudge comes first
    assert [m for m in slack.dms_to(MAYA.user_id) if "check-in on" in m.text]
    assert len(plan_nudges(slack)) == 1
    sprout.tick(FRIDAY + timedelta(days=3, hours=-1))  # Monday, 09:00
    assert len(plan_nudges(slack)) == 2


def test_a_plan_stays_with_the_line_it_was_made_in(
    sprout: Sprout, slack: LocalSlack, third_rung: Reply
):
    agreed_plan(sprout, slack, third_rung)
    sprout.command(MAYA.user_id, "/team", f"remove {at(ANA)}")
    sprout.command(OMAR.user_id, "/team", f"add {at(ANA)}")
    for person in (MAYA, ANA, OMAR):
        assert STEP_ONE not in text_of(open_home(sprout, person))
    sprout.tick(WEDNESDAY)
    assert plan_nudges(slack) == []


def test_a_form_submitted_twice_sends_one_plan(
    sprout: Sprout, slack: LocalSlack, third_rung: Reply
):
    view = draft_form(sprout, slack, third_rung)
    submit_plan(sprout, view)
    again = submit_plan(sprout, view)
    assert "Plan sent to" in again.body.decode()
    with sprout.services.sessions() as session:
        assert len(session.scalars(select(ActionPlan)).all()) == 1
    assert len([dm for dm in slack.dms_to(ANA.user_id) if "drafted an action plan" in dm.text]) == 1
    [response] = third_rung.responses
    assert "already a plan" in sprout.click_response(MAYA.user_id, response, "plan_draft").text


def test_done_on_a_step_in_the_check_in_redraws_that_check_in(
    sprout: Sprout, slack: LocalSlack, third_rung: Reply
):
    agreed_plan(sprout, slack, third_rung)
    sprout.tick(ANAS_WEDNESDAY_CHECKIN)
    [checkin] = [m for m in slack.dms_to(ANA.user_id) if "action-plan steps" in text_of(m)]
    sprout.click(ANA.user_id, checkin, "plan_step_done_1")

    [redrawn] = [m for m in slack.dms_to(ANA.user_id) if m.ts == checkin.ts]
    assert f"~{STEP_ONE}~" in text_of(redrawn) and "Ship the rota tool" in text_of(redrawn)
    labels = [e["text"]["text"] for _, e in buttons(redrawn.blocks) if "Done:" in e["text"]["text"]]
    assert labels == [f"Done: {STEP_TWO}"]
    with sprout.services.sessions() as session:
        [plan] = session.scalars(select(ActionPlan)).all()
    other_step = str(plan.id + 1000)
    reply = sprout.click(ANA.user_id, redrawn, "plan_step_done_1", tampered={"value": other_step})
    assert reply.text  # a step that isn't there is refused in a reply; the check-in stays


def test_the_managers_prep_names_the_open_plan_its_due_steps_and_check_in_date(
    sprout: Sprout, slack: LocalSlack, third_rung: Reply
):
    agreed_plan(sprout, slack, third_rung)
    sprout.set_time(WEDNESDAY)
    sprout.command(MAYA.user_id, "/coach", f"1on1 {at(ANA)}")
    [prep] = [m for m in slack.dms_to(MAYA.user_id) if "Your prep" in m.text]
    assert "Action plan on #handoffs:* check in Fri 4 Dec · 2 of 2 steps open" in text_of(prep)
    assert f"due by the meeting: {STEP_ONE} · Wed 2 Dec" in text_of(prep)
    assert STEP_TWO not in text_of(prep)  # due after the meeting's day
    assert not [m for m in slack.dms_to(ANA.user_id) if "Your prep" in m.text]

    sprout.command(MAYA.user_id, "/coach", f"1on1 {at(RAVI)}")
    [ravis] = [m for m in slack.dms_to(MAYA.user_id) if f"with {at(RAVI)}" in m.text]
    assert "Action plan" not in text_of(ravis)


def test_with_no_priorities_the_check_in_still_brings_the_open_steps(
    sprout: Sprout, slack: LocalSlack, third_rung: Reply
):
    agreed_plan(sprout, slack, third_rung)
    sprout.command(ANA.user_id, "/priority", "drop 1")
    sprout.tick(ANAS_WEDNESDAY_CHECKIN)
    [checkin] = [m for m in slack.dms_to(ANA.user_id) if "action-plan steps" in text_of(m)]
    assert STEP_ONE in text_of(checkin) and "/priority add" not in text_of(checkin)
    sprout.click(ANA.user_id, checkin, "plan_step_done_1")
    [redrawn] = [m for m in slack.dms_to(ANA.user_id) if m.ts == checkin.ts]
    assert f"~{STEP_ONE}~" in text_of(redrawn) and STEP_TWO in text_of(redrawn)
