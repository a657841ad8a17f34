"""The feedback form is answered within Slack's 3 seconds even when Slack is slow to say who
the person picked is: a "checking" view first, then the confirmation (or the form again)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select

from bot.models import Feedback
from devtools import slack_requests as sr
from devtools.cast import ANA, DEPLOYBOT, MAYA
from devtools.forms import form_values
from devtools.harness import FORM, SIGNING_SECRET, Sprout
from devtools.local_slack import LocalSlack
from devtools.local_slack.records import texts_in


def open_form(sprout: Sprout, slack: LocalSlack) -> dict[str, Any]:
    sprout.command(MAYA.user_id, "/feedback")
    [opened] = [v for v in slack.views if v.kind == "open"]
    return opened.view


def answer_to(sprout: Sprout, slack: LocalSlack, view: dict[str, Any], **fields: Any) -> dict:
    """Submit the form and return Slack's answer to it (the ack), without waiting for what
    the listener goes on to do."""
    body = sr.view_submission_body(
        user_id=MAYA.user_id,
        team_id=sprout.team_id,
        view=view,
        values=form_values(view, **fields),
        trigger_id=slack.new_trigger_id(),
    )
    try:
        # Today's Slack client would wait 10 s; an answer needs to come well before that.
        reply = sr.post(sprout.url, body, content_type=FORM, secret=SIGNING_SECRET, timeout=8)
    finally:
        slack.release()  # Slack answers now, whatever happened
    assert reply.status == 200
    return json.loads(reply.body)


def saved(sprout: Sprout) -> int:
    with sprout.services.sessions() as session:
        return session.scalar(select(func.count()).select_from(Feedback)) or 0


def updates_of(slack: LocalSlack, view_id: str) -> list[dict[str, Any]]:
    return [v.view for v in slack.views if v.kind == "update" and v.id == view_id]


def test_a_person_never_seen_is_checked_after_the_answer_when_slack_is_slow(
    sprout: Sprout, slack: LocalSlack
):
    view = open_form(sprout, slack)
    slack.hold("users.info", times=2)  # answered only once the form has been

    answer = answer_to(sprout, slack, view, person=ANA.user_id, kind="praise", text="great call")
    checking = answer["view"]
    sprout.executor.wait_idle()

    assert answer["response_action"] == "update" and "submit" not in checking
    assert f"Checking with Slack who <@{ANA.user_id}> is" in " ".join(texts_in(checking["blocks"]))
    [done] = updates_of(slack, view["id"])
    assert done["title"]["text"] == "Feedback saved" and saved(sprout) == 1


def test_someone_unsuitable_found_after_the_answer_gets_the_form_back_as_typed(
    sprout: Sprout, slack: LocalSlack
):
    view = open_form(sprout, slack)
    slack.hold("users.info", times=2)

    answer = answer_to(
        sprout, slack, view, person=DEPLOYBOT.user_id, topic="deploys", text="fast rollbacks"
    )
    sprout.executor.wait_idle()

    assert answer["view"]["callback_id"] == "feedback_checking"
    [again] = updates_of(slack, view["id"])
    assert again["callback_id"] == "feedback_form" and again["submit"]
    assert "Not saved yet: That's a bot. Pick a person." in again["blocks"][0]["text"]["text"]
    typed = {b["block_id"]: b["element"].get("initial_value") for b in again["blocks"][1:]}
    assert (typed["topic"], typed["text"]) == ("deploys", "fast rollbacks")
    assert json.loads(again["private_metadata"]) == json.loads(view["private_metadata"])
    assert saved(sprout) == 0


def test_when_slack_fails_to_say_who_it_is_the_form_comes_back_and_nothing_is_saved(
    sprout: Sprout, slack: LocalSlack
):
    view = open_form(sprout, slack)
    slack.fail("users.info", status=500, times=2)

    answer = answer_to(sprout, slack, view, person=ANA.user_id, text="great call")
    sprout.executor.wait_idle()

    assert answer["view"]["callback_id"] == "feedback_checking"
    [again] = updates_of(slack, view["id"])
    assert "Slack didn't say who that is in time" in again["blocks"][0]["text"]["text"]
    assert saved(sprout) == 0


def test_problems_of_the_form_itself_are_answered_next_to_their_field_at_once(
    sprout: Sprout, slack: LocalSlack
):
    view = open_form(sprout, slack)
    slack.fail("users.info", status=500)

    answer = answer_to(sprout, slack, view, person=ANA.user_id, text="")

    assert answer == {
        "response_action": "errors",
        "errors": {"text": "Add a few words about what happened."},
    }
