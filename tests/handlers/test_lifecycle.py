"""Many workspaces: "Add to Slack" installs, data kept apart, and uninstalls that stop sending."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from devtools.cast import JULES, MAYA
from devtools.harness import Sprout
from devtools.local_slack import LocalSlack
from tests.conftest import MONDAY

SECOND = "T0SECOND"
ZED, QUINN = "UZED00001", "UQUINN002"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def installed(slack: LocalSlack, database_url: str) -> Iterator[Sprout]:
    """Sprout in OAuth mode, installed into the demo workspace and a second one."""
    slack.add_workspace(SECOND, "Second Co", bot_user_id="USPROUT002")
    slack.add_user(ZED, "zed", tz="Europe/Paris")
    slack.add_user(QUINN, "quinn", tz="Europe/Paris")
    running = Sprout(slack, database_url, MONDAY, oauth=True)
    assert running.install(slack.team_id, MAYA.user_id) == 200
    assert running.install(SECOND, ZED) == 200
    yield running
    running.close()


def dm_calls(slack: LocalSlack, team_id: str, user_id: str) -> list:
    return [
        c for c in slack.calls_by_team(team_id, "chat.postMessage") if c.args["channel"] == user_id
    ]


def test_each_workspace_is_served_with_its_own_token_and_sees_only_its_own_data(
    installed: Sprout, slack: LocalSlack
):
    installed.command(MAYA.user_id, "/team", f"add <@{JULES.user_id}>")
    installed.command(ZED, "/team", f"add <@{QUINN}>", team_id=SECOND)

    assert len(dm_calls(slack, slack.team_id, JULES.user_id)) == 1
    assert len(dm_calls(slack, SECOND, QUINN)) == 1
    assert (
        dm_calls(slack, SECOND, JULES.user_id) == [] and dm_calls(slack, slack.team_id, QUINN) == []
    )
    maya = installed.command(MAYA.user_id, "/team").text
    zed = installed.command(ZED, "/team", team_id=SECOND).text
    assert f"<@{JULES.user_id}>" in maya and QUINN not in maya
    assert f"<@{QUINN}>" in zed and JULES.user_id not in zed
    # The same person id in another workspace is another person: no crossover in priorities.
    installed.command(JULES.user_id, "/priority", "add Ship it")
    assert (
        "no active priorities" in installed.command(JULES.user_id, "/priority", team_id=SECOND).text
    )


def test_an_uninstalled_workspace_gets_nothing_more(installed: Sprout, slack: LocalSlack):
    installed.command(MAYA.user_id, "/team", f"add <@{JULES.user_id}>")
    installed.command(ZED, "/team", f"add <@{QUINN}>", team_id=SECOND)
    slack.revoke_tokens(SECOND)
    installed.event({"type": "app_uninstalled"}, team_id=SECOND)

    paris, kolkata = utc(2026, 12, 1, 8, 30), utc(2026, 12, 1, 4, 0)
    installed.tick(kolkata)
    result = installed.tick(paris)

    assert not any(r.team_id == SECOND for r in result.delivery.sent + result.delivery.failed)
    assert len(dm_calls(slack, SECOND, QUINN)) == 1  # the welcome, before the uninstall
    assert any("priorities" in m.text for m in slack.dms_to(JULES.user_id))


def test_a_reinstall_brings_the_workspace_back(installed: Sprout, slack: LocalSlack):
    installed.command(ZED, "/team", f"add <@{QUINN}>", team_id=SECOND)
    slack.revoke_tokens(SECOND)
    installed.event({"type": "app_uninstalled"}, team_id=SECOND)
    assert installed.install(SECOND, ZED) == 200

    installed.tick(utc(2026, 12, 1, 8, 30))  # 09:30 in Paris

    assert any("priorities" in m.text for m in slack.dms_to(QUINN))


def test_with_one_bot_token_an_uninstall_stops_sending_and_a_new_request_revives_it(
    sprout: Sprout, slack: LocalSlack
):
    sprout.command(MAYA.user_id, "/team", f"add <@{JULES.user_id}>")
    sprout.command(JULES.user_id, "/priority", "add Launch the partner API docs")
    sprout.event({"type": "app_uninstalled"})
    assert sprout.tick(utc(2026, 12, 1, 8, 30)).delivery.sent == []

    sprout.command(MAYA.user_id, "/team")  # reinstalled: Slack talks to us again
    assert [r.kind for r in sprout.tick(utc(2026, 12, 2, 8, 30)).delivery.sent] == ["checkin"]
