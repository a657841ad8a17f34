"""The manifest people create the app from lists every command and shortcut the app handles."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.manifest import COMMANDS, as_typed_in
from devtools.cast import MAYA, RAVI
from devtools.forms import form_values
from devtools.harness import Sprout, block_texts
from devtools.local_slack import LocalSlack
from handlers import MODULES
from tests.conftest import MONDAY

MANIFEST = (Path(__file__).resolve().parents[2] / "manifest.yml").read_text(encoding="utf-8")


def test_every_slash_command_and_shortcut_is_in_the_manifest():
    for module in MODULES:
        command = getattr(module, "COMMAND", None)
        if command:
            assert f"- command: {command}\n" in MANIFEST, command
        shortcut = getattr(module, "SHORTCUT", None)
        if shortcut:
            assert f"callback_id: {shortcut}\n" in MANIFEST, shortcut


def test_the_manifest_asks_only_for_scopes_the_code_uses():
    from bot.installs import SCOPES

    scopes = MANIFEST.split("    bot:\n", 1)[1].split("settings:", 1)[0]
    assert [line.strip("- ") for line in scopes.splitlines() if line.strip()] == SCOPES
    assert "- im:write\n" not in MANIFEST  # a user id posts into their DM: no opening it
    assert "- mpim:write\n" in MANIFEST  # one-on-one agendas open the pair's group DM
    assert "messages_tab_read_only_enabled: true" in MANIFEST  # nobody writes to Sprout


def test_the_manifest_verb_names_commands_with_the_prefix_and_urls_on_the_host():
    from tests.bot.test_cli import run

    result = run(
        "manifest", "--host", "https://sprout.acme.org/", env={"SPROUT_COMMAND_PREFIX": "sprout-"}
    )

    assert result.returncode == 0, result.stderr
    text = result.stdout
    for module in MODULES:
        command = getattr(module, "COMMAND", None)
        if command:
            assert f"- command: /sprout-{command[1:]}\n" in text
    assert "sprout.example.com" not in text
    assert text.count("https://sprout.acme.org/slack/events") == 7  # 5 commands, events, actions
    assert "socket_mode_enabled: false" in text


def test_a_bad_host_gets_a_clear_answer():
    from tests.bot.test_cli import run

    result = run("manifest", "--host", "not a host")
    assert result.returncode == 2 and "--host wants a host name" in result.stderr


def test_with_a_prefix_the_app_answers_the_prefixed_commands(sprout):
    import dataclasses

    from bot.app import create_app
    from bot.web import SproutWSGI
    from devtools.cast import MAYA

    settings = dataclasses.replace(sprout.settings, command_prefix="sprout-")
    app = create_app(settings, sprout.services, listener_executor=sprout.executor)
    sprout.server.set_app(SproutWSGI(app, sprout.services))

    reply = sprout.command(MAYA.user_id, "/sprout-coach", "help")

    assert reply.status == 200 and "`/sprout-priority add" in reply.text
    assert "`/priority" not in reply.text  # the help names the commands as people type them
    reply = sprout.command(MAYA.user_id, "/sprout-team", "")
    assert "`/sprout-team add @name" in reply.text


def test_the_commands_sprout_names_are_the_ones_it_answers():
    answered = [getattr(module, "COMMAND", None) for module in MODULES]
    assert sorted(f"/{name}" for name in COMMANDS) == sorted(c for c in answered if c)


def test_under_a_prefix_copy_names_the_commands_as_typed_and_data_stays_as_it_was():
    said = "`/team` was down"  # what a person typed, shown back in the form
    view = {
        "private_metadata": '{"quote": "`/team`"}',
        "blocks": [
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": "Try `/team add`."},
                "accessory": {"type": "button", "text": {"text": "`/coach`"}, "value": "`/team`"},
            },
            {
                "type": "input",
                "element": {"type": "plain_text_input", "initial_value": said},
                "hint": {"type": "plain_text", "text": "Or `/checkin off`."},
            },
        ],
    }

    typed = as_typed_in(view, "sprout-")

    section, field = typed["blocks"]
    assert section["text"]["text"] == "Try `/sprout-team add`."
    assert section["accessory"]["text"]["text"] == "`/sprout-coach`"
    assert field["hint"]["text"] == "Or `/sprout-checkin off`."
    assert section["accessory"]["value"] == "`/team`"  # a claim Sprout reads back
    assert typed["private_metadata"] == view["private_metadata"]
    assert field["element"]["initial_value"] == said
    assert as_typed_in(view, "") is view


@pytest.fixture
def prefixed(slack: LocalSlack, database_url: str) -> Iterator[Sprout]:
    """Sprout deployed with `SPROUT_COMMAND_PREFIX=sprout-`; Maya manages Ravi."""
    sprout = Sprout(slack, database_url, MONDAY, command_prefix="sprout-")
    try:
        sprout.command(MAYA.user_id, "/sprout-team", f"add <@{RAVI.user_id}|ravi>")
        yield sprout
    finally:
        sprout.close()


def names_only_prefixed_commands(said: str) -> bool:
    """Some command is named, and each as typed under the prefix."""
    return "`/sprout-" in said and not any(f"`/{name}" in said for name in COMMANDS)


def test_with_a_prefix_dms_and_home_name_the_prefixed_commands(prefixed: Sprout, slack: LocalSlack):
    prefixed.event({"type": "app_home_opened", "user": RAVI.user_id, "tab": "home"})
    prefixed.tick(MONDAY + timedelta(hours=14))  # Ravi's morning in Kolkata: his welcome
    sent = [" ".join(block_texts(dm.blocks)) for dm in slack.dms_to(RAVI.user_id)]
    home = " ".join(block_texts(slack.home_of(RAVI.user_id)["blocks"]))

    assert "`/sprout-priority add" in home and "`/sprout-" in " ".join(sent)
    assert names_only_prefixed_commands(" ".join([*sent, home]))


def test_with_a_prefix_a_message_redrawn_after_a_click_names_the_prefixed_commands(
    prefixed: Sprout, slack: LocalSlack
):
    prefixed.command(RAVI.user_id, "/sprout-priority", "add Ship the billing page")
    for day in (1, 2, 3, 4, 7, 8):  # 09:30 in Kolkata on six working days, none answered
        prefixed.tick(datetime(2026, 12, day, 4, 0, tzinfo=UTC))
    [question] = [dm for dm in slack.dms_to(RAVI.user_id) if "How often" in dm.text]

    prefixed.click(RAVI.user_id, question, "checkin_cadence_paused")

    [redrawn] = [dm for dm in slack.dms_to(RAVI.user_id) if dm.ts == question.ts]
    said = " ".join([redrawn.text, *block_texts(redrawn.blocks)])
    assert "`/sprout-checkin on`" in said and names_only_prefixed_commands(said)


def test_with_a_prefix_a_modal_names_the_prefixed_commands_as_it_opens_and_once_saved(
    prefixed: Sprout, slack: LocalSlack
):
    prefixed.command(RAVI.user_id, "/sprout-checkin", "off")
    prefixed.command(RAVI.user_id, "/sprout-coach", "snooze 1w")
    prefixed.command(RAVI.user_id, "/sprout-coach", "settings")
    [opened] = [v.view for v in slack.views if v.kind == "open"]
    said = " ".join(block_texts(opened["blocks"]))
    assert "`/sprout-coach snooze off`" in said and names_only_prefixed_commands(said)

    reply = prefixed.submit(RAVI.user_id, opened, form_values(opened))

    saved = json.loads(reply.body)["view"]  # the form becomes what was saved, in the ack
    said = " ".join(block_texts(saved["blocks"]))
    assert "`/sprout-checkin on`" in said and names_only_prefixed_commands(said)


def test_with_a_prefix_a_reply_replacing_the_clicked_one_names_the_prefixed_commands(
    prefixed: Sprout,
):
    prefixed.command(RAVI.user_id, "/sprout-priority", "add Ship the billing page")
    [listing] = prefixed.command(RAVI.user_id, "/sprout-priority").responses

    after = prefixed.click_response(RAVI.user_id, listing, "priority_drop")

    assert "`/sprout-priority add" in after.text and names_only_prefixed_commands(after.text)
