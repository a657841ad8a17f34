from __future__ import annotations

from bot.mentions import leading, parse


def test_both_escaped_mention_forms_are_read():
    found = parse("add <@U123ABC|ravi> <@W999XYZ> and more")
    assert found.user_ids == ["U123ABC", "W999XYZ"]
    assert found.rest == "add and more"


def test_hand_typed_names_and_group_mentions_are_reported_not_guessed():
    found = parse("add @ravi <!here> <!subteam^S123|@devs> someone@example.com")
    assert found.user_ids == []
    assert found.hand_typed == ["@ravi"]
    assert found.group_mentions == ["<!here>", "<!subteam^S123|@devs>"]


def test_leading_mentions_stop_at_the_first_word():
    assert leading("<@U1AA|a>, <@U2BB> praise great demo <@U3CC>") == (
        ["U1AA", "U2BB"],
        "praise great demo <@U3CC>",
    )
