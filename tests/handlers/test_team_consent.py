"""Consent-first teams: nobody becomes someone's report without their yes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from bot.models import ReportingLine, TeamRequest
from devtools.cast import ANA, JULES, MAYA, OMAR
from devtools.harness import Sprout
from devtools.local_slack import LocalSlack, Message


def m(person) -> str:
    return f"<@{person.user_id}|{person.name.lower()}>"


@pytest.fixture
def asking(slack: LocalSlack, database_url: str) -> Iterator[Sprout]:
    """A deployment with the default rule: each person is asked first."""
    running = Sprout(
        slack, database_url, datetime(2026, 11, 30, 15, 0, tzinfo=UTC), team_consent="ask"
    )
    yield running
    running.close()


def line_of(sprout: Sprout, person) -> ReportingLine | None:
    with sprout.services.sessions() as session:
        return session.get(ReportingLine, (sprout.team_id, person.user_id))


def request_to(slack: LocalSlack, person) -> Message:
    [request] = [dm for dm in slack.dms_to(person.user_id) if "says you report to them" in dm.text]
    return request


def test_adding_someone_asks_them_and_makes_no_line_until_they_say_yes(
    asking: Sprout, slack: LocalSlack
):
    reply = asking.command(MAYA.user_id, "/team", f"add {m(JULES)}")

    assert f"asked <@{JULES.user_id}> to confirm" in reply.text
    assert line_of(asking, JULES) is None
    request = request_to(slack, JULES)
    assert "Colleagues who give you feedback" in " ".join(
        b["text"]["text"] for b in request.blocks if "text" in b
    )
    listing = asking.command(MAYA.user_id, "/team").text
    assert "Waiting for their yes* (1)" in listing and "Nobody reports to you" in listing

    answer = asking.click(JULES.user_id, request, "team_request_yes")

    assert answer.status == 200
    line = line_of(asking, JULES)
    assert line is not None and line.manager_id == MAYA.user_id
    assert "confirmed they report to you" in slack.dms_to(MAYA.user_id)[-1].text
    assert "You're on" in slack.dms_to(JULES.user_id)[-1].text  # the request, edited in place
    assert "Your team* (1)" in asking.command(MAYA.user_id, "/team").text


def test_no_not_my_manager_leaves_no_line_and_tells_the_manager(asking: Sprout, slack: LocalSlack):
    asking.command(MAYA.user_id, "/team", f"add {m(JULES)}")

    asking.click(JULES.user_id, request_to(slack, JULES), "team_request_no")

    assert line_of(asking, JULES) is None
    assert "says they don't report to you" in slack.dms_to(MAYA.user_id)[-1].text


def test_nobody_else_can_answer_someone_elses_request(asking: Sprout, slack: LocalSlack):
    asking.command(MAYA.user_id, "/team", f"add {m(JULES)}")

    reply = asking.click(ANA.user_id, request_to(slack, JULES), "team_request_yes")

    assert reply.status == 200 and "isn't open" in reply.text
    assert line_of(asking, JULES) is None and line_of(asking, ANA) is None
    assert "Is that right?" in request_to(slack, JULES).text  # Jules's question is untouched


def test_a_person_not_yet_confirmed_gets_no_check_in(asking: Sprout, slack: LocalSlack):
    asking.command(MAYA.user_id, "/team", f"add {m(JULES)}")

    asking.tick(datetime(2026, 12, 1, 4, 0, tzinfo=UTC))  # 09:30 in Kolkata

    assert [dm.text for dm in slack.dms_to(JULES.user_id)] == [request_to(slack, JULES).text]


def test_an_unanswered_request_lapses_after_14_days_and_the_manager_is_told_once(
    asking: Sprout, slack: LocalSlack
):
    asking.command(MAYA.user_id, "/team", f"add {m(JULES)}")
    request = request_to(slack, JULES)

    asking.tick(datetime(2026, 12, 14, 15, 1, tzinfo=UTC))
    asking.tick(datetime(2026, 12, 14, 15, 2, tzinfo=UTC))

    lapsed = [dm for dm in slack.dms_to(MAYA.user_id) if "has lapsed" in dm.text]
    assert len(lapsed) == 1
    asking.click(JULES.user_id, request, "team_request_yes")
    assert line_of(asking, JULES) is None


def test_removing_someone_still_asked_withdraws_the_request(asking: Sprout, slack: LocalSlack):
    asking.command(MAYA.user_id, "/team", f"add {m(JULES)}")

    reply = asking.command(MAYA.user_id, "/team", f"remove {m(JULES)}")

    assert "withdrawn your request" in reply.text
    asking.click(JULES.user_id, request_to(slack, JULES), "team_request_yes")
    assert line_of(asking, JULES) is None
    with asking.services.sessions() as session:
        assert session.query(TeamRequest).one().answer == "withdrawn"


def test_asking_twice_says_the_first_request_is_still_open(asking: Sprout, slack: LocalSlack):
    asking.command(MAYA.user_id, "/team", f"add {m(JULES)}")

    reply = asking.command(MAYA.user_id, "/team", f"add {m(JULES)}")

    assert "hasn't answered your earlier request" in reply.text
    assert len(slack.dms_to(JULES.user_id)) == 1


def test_where_admins_confirm_an_admins_word_makes_the_line_and_names_who_set_it(
    slack: LocalSlack, database_url: str
):
    running = Sprout(
        slack,
        database_url,
        datetime(2026, 11, 30, 15, 0, tzinfo=UTC),
        team_consent="admins_confirm",
    )
    try:
        running.command(MAYA.user_id, "/team", f"add {m(JULES)}")  # Maya is an admin
        running.command(OMAR.user_id, "/team", f"add {m(ANA)}")  # Omar is not

        assert line_of(running, JULES) is not None
        assert f"<@{MAYA.user_id}> added you to their team" in slack.dms_to(JULES.user_id)[0].text
        assert line_of(running, ANA) is None
        assert "says you report to them" in slack.dms_to(ANA.user_id)[0].text
    finally:
        running.close()
