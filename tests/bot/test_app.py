"""The app's request middleware: one clock reading, and each request acted on once."""

from __future__ import annotations

import time

from sqlalchemy import func, select

from bot.models import Feedback
from bot.teams import actions as team_actions
from devtools import slack_requests as sr
from devtools.cast import MAYA, RAVI
from devtools.harness import FORM, SIGNING_SECRET, Sprout
from devtools.local_slack import LocalSlack


def feedback_count(sprout: Sprout) -> int:
    with sprout.services.sessions() as session:
        return session.scalar(select(func.count()).select_from(Feedback)) or 0


def test_a_replayed_signed_command_is_answered_without_acting_again(
    sprout: Sprout, slack: LocalSlack
):
    response_url = slack.new_response_url()
    body = sr.command_body(
        command="/feedback",
        text=f"<@{RAVI.user_id}|ravi> + clear release notes",
        user_id=MAYA.user_id,
        team_id=sprout.team_id,
        channel_id="C0GENERAL",
        response_url=response_url,
        trigger_id=slack.new_trigger_id(),
    )
    signed_at = int(time.time())

    first = sr.post(sprout.url, body, content_type=FORM, secret=SIGNING_SECRET, timestamp=signed_at)
    sprout.executor.wait_idle()
    replay = sr.post(
        sprout.url, body, content_type=FORM, secret=SIGNING_SECRET, timestamp=signed_at
    )
    sprout.executor.wait_idle()

    assert first.status == replay.status == 200
    assert replay.body == first.body
    assert feedback_count(sprout) == 1
    assert len(slack.responses_to(response_url)) == 1


def test_the_same_command_typed_again_is_a_new_request(sprout: Sprout):
    sprout.command(MAYA.user_id, "/feedback", f"<@{RAVI.user_id}|ravi> + clear release notes")
    sprout.command(MAYA.user_id, "/feedback", f"<@{RAVI.user_id}|ravi> + clear release notes")

    assert feedback_count(sprout) == 2


def test_a_listener_that_fails_after_its_ack_still_answers_200_and_apologises(
    sprout: Sprout, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(team_actions, "show_team", broken)

    reply = sprout.command(MAYA.user_id, "/team")

    assert reply.status == 200
    assert "something went wrong on my side" in reply.text
