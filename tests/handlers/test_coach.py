"""`/coach`: help that covers every command, and settings as a modal."""

from __future__ import annotations

import pytest

from devtools.cast import RAVI
from devtools.harness import Sprout
from devtools.local_slack import LocalSlack

COMMANDS = (
    "/team",
    "/feedback",
    "/priority",
    "/checkin",
    "/coach settings",
    "/coach snooze",
    "/coach summary",
    "/coach 1on1",
    "/coach agenda",
    "/coach baseline",
    "/coach focus",
)


@pytest.mark.parametrize("text", ["", "help"])
def test_coach_alone_and_coach_help_explain_every_command_in_a_few_lines(sprout: Sprout, text):
    reply = sprout.command(RAVI.user_id, "/coach", text)
    [response] = reply.responses
    for command in COMMANDS:
        assert f"`{command}" in response.text, command
    assert len(response.text.splitlines()) <= 10
    assert "Home tab" in response.text


def test_an_unknown_word_gets_the_help_too(sprout: Sprout):
    reply = sprout.command(RAVI.user_id, "/coach", "sumary")
    assert "I don't know `/coach sumary`" in reply.text and "`/coach settings`" in reply.text


def test_coach_settings_opens_a_modal_instead_of_answering_in_text(
    sprout: Sprout, slack: LocalSlack
):
    reply = sprout.command(RAVI.user_id, "/coach", "settings")
    assert reply.responses == []
    [opened] = slack.views
    assert opened.kind == "open" and opened.view["callback_id"] == "settings_form"
