"""Requests that can't be from Slack as they are: a 400 and one log line, never a 500."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.models import Feedback
from bot.payloads import malformed
from devtools import slack_requests as sr
from devtools.cast import MAYA, RAVI
from devtools.forms import form_values
from devtools.harness import FORM, SIGNING_SECRET, Sprout
from devtools.local_slack import LocalSlack


def post(sprout: Sprout, body: bytes, **kw: Any) -> sr.HttpResult:
    result = sr.post(sprout.url, body, content_type=FORM, secret=SIGNING_SECRET, **kw)
    sprout.executor.wait_idle()
    return result


def refused_in_one_line(
    result: sr.HttpResult, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture
) -> None:
    assert result.status == 400
    loud = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(loud) == 1, [r.getMessage() for r in loud]
    assert loud[0].getMessage().startswith("refused a malformed request: ")
    assert loud[0].exc_info is None
    assert "Traceback" not in capfd.readouterr().err


def feedback_confirmation(sprout: Sprout, slack: LocalSlack) -> bytes:
    """A signed press of *Send it to Ravi* on Maya's confirmation, as Slack would post it."""
    reply = sprout.command(MAYA.user_id, "/feedback", f"<@{RAVI.user_id}|ravi> + clear notes")
    [response] = reply.responses
    send = next(
        (block, element)
        for block in response.blocks
        for element in block.get("elements") or []
        if element.get("action_id") == "feedback_send"
    )
    block, element = send
    return sr.block_actions_body(
        user_id=MAYA.user_id,
        team_id=sprout.team_id,
        actions=[
            {
                "type": "button",
                "action_id": "feedback_send",
                "block_id": block.get("block_id", "b"),
                "value": element["value"],
            }
        ],
        response_url=slack.new_response_url(),
        trigger_id=slack.new_trigger_id(),
        channel_id="C0GENERAL",
        is_ephemeral=True,
    )


def form_submission(sprout: Sprout, slack: LocalSlack) -> bytes:
    sprout.command(MAYA.user_id, "/feedback")
    [opened] = [v for v in slack.views if v.kind == "open"]
    values = form_values(opened.view, person=RAVI.user_id, kind="praise", text="great call")
    return sr.view_submission_body(
        user_id=MAYA.user_id,
        team_id=sprout.team_id,
        view=opened.view,
        values=values,
        trigger_id=slack.new_trigger_id(),
    )


def feedback_count(sprout: Sprout) -> int:
    with sprout.services.sessions() as session:
        return session.scalar(select(func.count()).select_from(Feedback)) or 0


def test_a_signed_payload_that_is_not_json_is_a_400(sprout: Sprout, caplog, capfd):
    result = post(sprout, sr.raw_payload_form('{"type": "block_actions", '))

    refused_in_one_line(result, caplog, capfd)


BUTTON, FORM_SUBMISSION = feedback_confirmation, form_submission


@pytest.mark.parametrize(
    ("request_of", "change"),
    [
        pytest.param(BUTTON, lambda p: p.update(actions=[]), id="actions-empty"),
        pytest.param(BUTTON, lambda p: p.update(actions=[{"value": "1"}]), id="no-action-id"),
        pytest.param(BUTTON, lambda p: p.pop("user"), id="without-user"),
        pytest.param(BUTTON, lambda p: p.update(user="UMAYA0001"), id="user-not-an-object"),
        pytest.param(BUTTON, lambda p: p.update(state={"values": "x"}), id="state-values-text"),
        pytest.param(
            FORM_SUBMISSION, lambda p: p["view"]["state"].update(values="x"), id="values-text"
        ),
        pytest.param(
            FORM_SUBMISSION, lambda p: p["view"]["state"].update(values=[]), id="values-list"
        ),
        pytest.param(
            FORM_SUBMISSION,
            lambda p: p["view"]["state"]["values"].update(kind=[]),
            id="block-list",
        ),
        pytest.param(
            FORM_SUBMISSION,
            lambda p: p["view"].update(private_metadata={"a": 1}),
            id="metadata-obj",
        ),
        pytest.param(FORM_SUBMISSION, lambda p: p.pop("view"), id="without-view"),
    ],
)
def test_a_signed_interaction_without_slacks_shape_is_a_400_and_does_nothing(
    sprout: Sprout,
    slack: LocalSlack,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture,
    request_of: Callable[[Sprout, LocalSlack], bytes],
    change: Callable[[dict[str, Any]], object],
):
    body = sr.rewritten(request_of(sprout, slack), change)
    saved = feedback_count(sprout)
    caplog.clear()

    result = post(sprout, body)

    refused_in_one_line(result, caplog, capfd)
    assert slack.dms_to(RAVI.user_id) == [] and feedback_count(sprout) == saved


def test_the_same_submission_with_slacks_shape_still_saves(sprout: Sprout, slack: LocalSlack):
    result = post(sprout, form_submission(sprout, slack))

    assert result.status == 200 and feedback_count(sprout) == 1


def test_a_request_whose_timestamp_is_not_a_number_is_a_400(sprout: Sprout, caplog, capfd):
    body = sr.raw_payload_form(json.dumps({"type": "block_actions"}))

    result = post(sprout, body, extra_headers={"X-Slack-Request-Timestamp": "soon"})

    refused_in_one_line(result, caplog, capfd)


def test_an_unsigned_request_is_still_refused_as_unsigned(sprout: Sprout, slack: LocalSlack):
    body = sr.rewritten(feedback_confirmation(sprout, slack), lambda p: p.update(actions=[]))

    assert post(sprout, body, bad_signature=True).status == 401


def test_slacks_own_shapes_pass():
    assert malformed({"type": "url_verification", "challenge": "x"}) is None
    assert malformed({"command": "/team", "user_id": "U1", "team_id": "T1", "text": ""}) is None
    assert malformed({"command": "/team", "team_id": "T1"}) == "a slash command without user_id"
    assert malformed(["not", "an", "object"]) == "the payload is not an object"
