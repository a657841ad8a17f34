"""views.open, views.push, views.update and views.publish behave like Slack's."""

from __future__ import annotations

from slack_sdk import WebClient

from devtools.local_slack import LocalSlack
from tests.devtools.local_slack.helpers import api_error, modal, section


def test_views_open_returns_an_id_and_hash_and_is_recorded(
    client: WebClient, slack: LocalSlack
) -> None:
    trigger = slack.new_trigger_id()
    answer = client.views_open(
        trigger_id=trigger, view=modal(callback_id="give_feedback", private_metadata="42")
    )
    view = answer["view"]
    assert view["id"].startswith("V")
    assert view["hash"]
    assert (view["callback_id"], view["private_metadata"]) == ("give_feedback", "42")
    [record] = slack.views
    assert (record.kind, record.id, record.trigger_id) == ("open", view["id"], trigger)


def test_views_open_refuses_a_trigger_id_it_never_issued(client: WebClient) -> None:
    err = api_error(client.views_open, trigger_id="123.456.abc", view=modal())
    assert err.response["error"] == "invalid_trigger_id"


def test_views_open_refuses_a_title_longer_than_24_characters(
    client: WebClient, slack: LocalSlack
) -> None:
    err = api_error(client.views_open, trigger_id=slack.new_trigger_id(), view=modal("t" * 25))
    assert err.response["error"] == "invalid_arguments"
    assert err.response["response_metadata"]["messages"] == [
        "[ERROR] must be less than 25 characters [json-pointer:/view/title]"
    ]


def test_views_push_and_update_by_id_and_external_id(client: WebClient, slack: LocalSlack) -> None:
    opened = client.views_open(trigger_id=slack.new_trigger_id(), view=modal(external_id="fb-1"))[
        "view"
    ]
    pushed = client.views_push(trigger_id=slack.new_trigger_id(), view=modal("Step 2"))["view"]
    assert pushed["id"] != opened["id"]
    updated = client.views_update(view_id=opened["id"], view=modal("Saved"))["view"]
    assert updated["id"] == opened["id"]
    assert updated["hash"] != opened["hash"]
    again = client.views_update(external_id="fb-1", view=modal("Again", external_id="fb-1"))
    assert again["view"]["id"] == opened["id"]
    assert [v.kind for v in slack.views] == ["open", "push", "update", "update"]
    assert slack.view_by_id(opened["id"])["title"]["text"] == "Again"


def test_views_update_with_a_stale_hash_is_hash_conflict(
    client: WebClient, slack: LocalSlack
) -> None:
    opened = client.views_open(trigger_id=slack.new_trigger_id(), view=modal())["view"]
    client.views_update(view_id=opened["id"], hash=opened["hash"], view=modal("First"))
    err = api_error(client.views_update, view_id=opened["id"], hash=opened["hash"], view=modal())
    assert err.response["error"] == "hash_conflict"
    assert api_error(client.views_update, view_id="V404", view=modal()).response["error"] == (
        "not_found"
    )


def test_views_publish_sets_the_home_tab(client: WebClient, slack: LocalSlack) -> None:
    assert slack.home_of("U001") is None
    first = client.views_publish(user_id="U001", view={"type": "home", "blocks": [section("a")]})
    client.views_publish(user_id="U001", view={"type": "home", "blocks": [section("b")]})
    home = slack.home_of("U001")
    assert home is not None
    assert home["blocks"] == [section("b")]
    assert home["id"] == first["view"]["id"]
    assert [(v.kind, v.user_id) for v in slack.views] == [("publish", "U001")] * 2


def test_views_publish_refuses_a_modal_and_unknown_users(client: WebClient) -> None:
    err = api_error(client.views_publish, user_id="U001", view=modal())
    assert err.response["error"] == "invalid_arguments"
    err = api_error(client.views_publish, user_id="U404", view={"type": "home", "blocks": []})
    assert err.response["error"] == "user_not_found"


def test_a_modal_with_inputs_but_no_submit_is_refused(client: WebClient, slack: LocalSlack) -> None:
    field = {
        "type": "input",
        "label": {"type": "plain_text", "text": "What went well?"},
        "element": {"type": "plain_text_input", "action_id": "went_well"},
    }
    err = api_error(
        client.views_open, trigger_id=slack.new_trigger_id(), view=modal(blocks=[field])
    )
    assert err.response["response_metadata"]["messages"] == [
        "[ERROR] must provide a submit property when using input blocks [json-pointer:/view]"
    ]
    submit = {"type": "plain_text", "text": "Send"}
    assert client.views_open(
        trigger_id=slack.new_trigger_id(), view=modal(blocks=[field], submit=submit)
    )
