"""The app's request middleware: one clock reading, and each request acted on once."""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from bot.models import Feedback, Member, PersonSettings, ReportingLine, Workspace
from bot.teams import actions as team_actions
from devtools import slack_requests as sr
from devtools.cast import MAYA, RAVI, Person
from devtools.harness import FORM, SIGNING_SECRET, Sprout
from devtools.local_slack import LocalSlack, Message
from tests.conftest import MONDAY


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


def signed_command(sprout: Sprout, slack: LocalSlack, text: str) -> tuple[str, bytes, int]:
    response_url = slack.new_response_url()
    body = sr.command_body(
        command="/feedback",
        text=text,
        user_id=MAYA.user_id,
        team_id=sprout.team_id,
        channel_id="C0GENERAL",
        response_url=response_url,
        trigger_id=slack.new_trigger_id(),
    )
    return response_url, body, int(time.time())


def test_a_replayed_command_answered_in_its_ack_is_acked_empty_and_writes_nothing(
    sprout: Sprout, slack: LocalSlack
):
    sprout.command(MAYA.user_id, "/feedback", f"<@{RAVI.user_id}|ravi> + first")  # known now
    response_url, body, signed_at = signed_command(
        sprout, slack, f"<@{RAVI.user_id}|ravi> + clear release notes"
    )

    first = sr.post(sprout.url, body, content_type=FORM, secret=SIGNING_SECRET, timestamp=signed_at)
    replay = sr.post(
        sprout.url, body, content_type=FORM, secret=SIGNING_SECRET, timestamp=signed_at
    )
    sprout.executor.wait_idle()

    assert "Saved praise" in first.body.decode()
    assert (replay.status, replay.body) == (200, b"")
    assert feedback_count(sprout) == 2
    assert slack.responses_to(response_url) == []


def test_twins_of_a_command_arriving_at_once_save_one_record_and_one_answer(
    sprout: Sprout, slack: LocalSlack
):
    sprout.command(MAYA.user_id, "/feedback", f"<@{RAVI.user_id}|ravi> + first")  # known now
    response_url, body, signed_at = signed_command(
        sprout, slack, f"<@{RAVI.user_id}|ravi> + clear release notes"
    )
    start = threading.Barrier(TWINS)

    def send() -> sr.HttpResult:
        start.wait()
        return sr.post(
            sprout.url, body, content_type=FORM, secret=SIGNING_SECRET, timestamp=signed_at
        )

    with ThreadPoolExecutor(TWINS) as pool:
        answers = list(pool.map(lambda _: send(), range(TWINS)))
    sprout.executor.wait_idle()

    assert [a.status for a in answers] == [200] * TWINS
    assert sorted(bool(a.body) for a in answers) == [False] * (TWINS - 1) + [True]
    assert feedback_count(sprout) == 2
    assert slack.responses_to(response_url) == []


TWINS = 4


def test_a_replayed_command_that_was_refused_is_not_answered_again(
    sprout: Sprout, slack: LocalSlack
):
    sprout.command(MAYA.user_id, "/feedback", f"<@{RAVI.user_id}|ravi> + first")
    _, body, signed_at = signed_command(sprout, slack, f"<@{MAYA.user_id}|maya> + me, myself")

    first = sr.post(sprout.url, body, content_type=FORM, secret=SIGNING_SECRET, timestamp=signed_at)
    replay = sr.post(
        sprout.url, body, content_type=FORM, secret=SIGNING_SECRET, timestamp=signed_at
    )

    assert first.body and replay.body == b""
    assert feedback_count(sprout) == 1


def test_a_replayed_command_that_opens_a_form_opens_it_once(sprout: Sprout, slack: LocalSlack):
    _, body, signed_at = signed_command(sprout, slack, "")  # `/feedback` alone: the form

    for _ in range(2):
        sr.post(sprout.url, body, content_type=FORM, secret=SIGNING_SECRET, timestamp=signed_at)
        sprout.executor.wait_idle()

    assert len(slack.calls_to("views.open")) == 1


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


# --- a new workspace's first requests, all at once ----------------------------------------

NEWCOMERS = [Person(f"UNEW{i:05d}", f"Newcomer {i}", "Europe/Berlin") for i in range(26)]


def join_slack(slack: LocalSlack, people: list[Person]) -> None:
    for person in people:
        slack.add_user(person.user_id, person.name.lower().replace(" ", "."), tz=person.tz)


def count(sprout: Sprout, model: type) -> int:
    with sprout.services.sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_twenty_six_first_requests_at_once_from_a_new_workspace_are_each_answered(
    sprout: Sprout, slack: LocalSlack, caplog
):
    join_slack(slack, NEWCOMERS)
    assert count(sprout, Workspace) == 0  # Sprout has never heard of this workspace

    replies = sprout.at_once(
        [sprout.command_body(p.user_id, "/checkin", "time 09:45") for p in NEWCOMERS]
    )

    assert [reply.status for reply in replies] == [200] * len(NEWCOMERS)
    assert all("09:45" in reply.text for reply in replies), [r.text for r in replies]
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    assert (count(sprout, Workspace), count(sprout, Member)) == (1, len(NEWCOMERS))
    assert count(sprout, PersonSettings) == len(NEWCOMERS)


def test_twenty_six_people_saying_yes_at_once_to_a_new_manager_are_each_answered(
    slack: LocalSlack, database_url: str, caplog
):
    """Each yes schedules the manager's digest and summary: one settings row, made once."""
    join_slack(slack, NEWCOMERS)
    asking = Sprout(slack, database_url, MONDAY, team_consent="ask")
    try:
        for group in (NEWCOMERS[:13], NEWCOMERS[13:]):
            mentions = " ".join(f"<@{p.user_id}|{p.name}>" for p in group)
            assert asking.command(MAYA.user_id, "/team", f"add {mentions}").status == 200
        requests = [
            asking.click_body(p.user_id, request_to(slack, p), "team_request_yes")
            for p in NEWCOMERS
        ]
        with asking.services.sessions() as session:
            assert session.get(PersonSettings, (slack.team_id, MAYA.user_id)) is None

        replies = asking.at_once(requests)

        assert [reply.status for reply in replies] == [200] * len(NEWCOMERS)
        assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
        with asking.services.sessions() as session:
            lines = session.scalars(select(ReportingLine.report_id)).all()
            assert sorted(lines) == sorted(p.user_id for p in NEWCOMERS)
            manager = session.get(PersonSettings, (slack.team_id, MAYA.user_id))
            assert manager is not None and manager.next_digest_at is not None
        confirmed = [dm for dm in slack.dms_to(MAYA.user_id) if "confirmed" in dm.text]
        assert len(confirmed) == len(NEWCOMERS)
    finally:
        asking.close()


def request_to(slack: LocalSlack, person: Person) -> Message:
    [request] = [dm for dm in slack.dms_to(person.user_id) if "says you report to them" in dm.text]
    return request
