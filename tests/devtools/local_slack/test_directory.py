"""users.info, users.list, team.info and conversations.open describe the workspace like Slack."""

from __future__ import annotations

from datetime import UTC, datetime

from slack_sdk import WebClient

from devtools.local_slack import LocalSlack
from tests.devtools.local_slack.helpers import api_error

JULY = datetime(2025, 7, 1, 12, tzinfo=UTC).timestamp()
JANUARY = datetime(2025, 1, 15, 12, tzinfo=UTC).timestamp()


def test_users_info_includes_profile_status_and_timezone() -> None:
    with LocalSlack(wall_clock=lambda: JULY) as slack:
        slack.add_user(
            "U001",
            "ana",
            real_name="Ana Diaz",
            status_text="Vacationing",
            status_emoji=":palm_tree:",
            status_expiration=int(JULY) + 3600,
        )
        client = WebClient(token=slack.bot_token, base_url=slack.base_url)
        user = client.users_info(user="U001")["user"]
    assert user["tz"] == "America/New_York"
    assert user["tz_offset"] == -4 * 3600  # daylight time in July
    assert user["profile"]["real_name"] == "Ana Diaz"
    assert user["profile"]["display_name"] == "ana"
    assert user["profile"]["status_text"] == "Vacationing"
    assert user["profile"]["status_emoji"] == ":palm_tree:"
    assert user["profile"]["status_expiration"] == int(JULY) + 3600


def test_tz_offset_follows_the_current_date_in_winter() -> None:
    with LocalSlack(wall_clock=lambda: JANUARY) as slack:
        assert slack.add_user("U001", "ana")["tz_offset"] == -5 * 3600


def test_an_expired_status_reads_as_cleared() -> None:
    with LocalSlack(wall_clock=lambda: JULY) as slack:
        user = slack.add_user("U001", "ana", status_text="Lunch", status_expiration=int(JULY) - 1)
    assert user["profile"]["status_text"] == ""
    assert user["profile"]["status_expiration"] == 0


def test_update_user_changes_only_the_given_fields(client: WebClient, slack: LocalSlack) -> None:
    slack.update_user("U001", status_text="Out sick", deleted=True)
    user = client.users_info(user="U001")["user"]
    assert user["profile"]["status_text"] == "Out sick"
    assert user["deleted"] is True
    assert user["real_name"] == "Ana Diaz"


def test_users_info_for_an_unknown_user_is_user_not_found(client: WebClient) -> None:
    assert api_error(client.users_info, user="U404").response["error"] == "user_not_found"


def test_users_info_without_user_is_missing_argument(client: WebClient) -> None:
    err = api_error(client.api_call, "users.info", params={})
    assert err.response["error"] == "missing_argument"


def test_users_list_pages_with_a_cursor_and_includes_slackbot_and_the_bot(
    client: WebClient, slack: LocalSlack
) -> None:
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        page = client.users_list(limit=2, cursor=cursor)
        pages += 1
        seen += [member["id"] for member in page["members"]]
        cursor = page["response_metadata"]["next_cursor"]
        if not cursor:
            break
    assert pages == 3
    assert seen[:2] == ["USLACKBOT", slack.bot_user_id]
    assert {"U001", "U002", "UBOT2", "UGONE"} <= set(seen)
    assert len(seen) == len(set(seen)) == 6


def test_team_info_names_the_workspace(client: WebClient) -> None:
    team = client.team_info()["team"]
    assert (team["id"], team["name"], team["domain"]) == ("T0SPROUT", "Sprout Demo", "sprout-demo")


def test_conversations_open_returns_the_users_dm_channel(
    client: WebClient, slack: LocalSlack
) -> None:
    answer = client.conversations_open(users="U001")
    assert answer["channel"]["id"] == slack.dm_channel("U001") == "D001"


def test_conversations_open_refuses_unknown_users_and_bots(client: WebClient) -> None:
    assert api_error(client.conversations_open, users="U404").response["error"] == "user_not_found"
    assert api_error(client.conversations_open, users="UBOT2").response["error"] == "cannot_dm_bot"


def test_conversations_open_with_several_users_opens_their_group_dm_to_post_in(
    client: WebClient, slack: LocalSlack
) -> None:
    answer = client.conversations_open(users="U002,U001")
    channel = answer["channel"]["id"]
    assert channel == slack.group_dm("U001", "U002") and channel.startswith("G")
    assert slack.group_dm_members(channel) == ["U001", "U002"]
    posted = client.chat_postMessage(channel=channel, text="agenda")
    assert posted["channel"] == channel
    assert [m.text for m in slack.messages(channel)] == ["agenda"]
    assert slack.dms_to("U001") == []  # not in either person's own DM
