"""The outbox sender against the local Slack: once each, never lost, polite under 429."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk import WebClient
from sqlalchemy import select

from bot import outbox
from bot.db import transaction
from bot.delivery import (
    CHANNEL_BURST,
    CLAIM_TTL,
    DUE_SOON,
    Deliverer,
    backoff,
    rank_of,
    send_order,
)
from bot.metrics import Metrics
from bot.models import Member, OutboxMessage
from devtools.cast import ANA, GONE, LEO, MAYA, RAVI, SAM, Person, seed
from devtools.harness import Sprout, same_moment
from devtools.local_slack import LocalSlack


def queue(sprout: Sprout, recipient: str, subject: str = "s") -> int:
    now = sprout.now()
    planned = outbox.note(sprout.team_id, recipient, "test", subject, f"hello {subject}", now)
    with transaction(sprout.services.sessions) as session:
        row_id = outbox.enqueue(session, planned, now)
    assert row_id is not None
    return row_id


def row(sprout: Sprout, row_id: int) -> OutboxMessage:
    with sprout.services.sessions() as session:
        return session.get(OutboxMessage, row_id)


def test_the_same_key_is_written_once(sprout: Sprout):
    now = sprout.now()
    planned = outbox.note(sprout.team_id, RAVI.user_id, "test", "s", "hi", now)
    with transaction(sprout.services.sessions) as session:
        assert outbox.enqueue(session, planned, now) is not None
        assert outbox.enqueue(session, planned, now) is None
        assert len(session.scalars(select(OutboxMessage)).all()) == 1


def test_a_sent_row_keeps_channel_and_ts_and_is_never_sent_again(sprout: Sprout, slack: LocalSlack):
    row_id = queue(sprout, RAVI.user_id)

    first = sprout.services.deliverer.deliver([row_id], sprout.now())
    again = sprout.services.deliverer.deliver_due(sprout.now() + timedelta(hours=1))

    assert len(first.sent) == 1 and again.sent == []
    [message] = slack.dms_to(RAVI.user_id)
    stored = row(sprout, row_id)
    assert stored.status == outbox.SENT
    assert (stored.channel, stored.ts) == (message.channel, message.ts)
    assert slack.calls_to("conversations.open") == []


def test_a_short_retry_after_is_waited_out_and_the_message_still_goes(
    sprout: Sprout, slack: LocalSlack
):
    row_id = queue(sprout, RAVI.user_id)
    slack.fail("chat.postMessage", status=429, retry_after=2, times=2)

    report = sprout.services.deliverer.deliver([row_id], sprout.now())

    assert len(report.sent) == 1 and report.rate_limited == 2
    assert sprout.sleeps == [pytest.approx(2.0, abs=0.05)] * 2  # less the pass's own time
    assert row(sprout, row_id).attempts == 1  # rate limits do not use up attempts
    assert len(slack.dms_to(RAVI.user_id)) == 1


def test_a_long_retry_after_defers_the_rest_of_the_pass(sprout: Sprout, slack: LocalSlack):
    ids = [queue(sprout, RAVI.user_id, subject=str(i)) for i in range(3)]
    slack.fail("chat.postMessage", status=429, retry_after=30)
    now = sprout.now()

    report = sprout.services.deliverer.deliver(ids, now)

    assert report.sent == [] and len(report.deferred) == 3
    assert same_moment(row(sprout, ids[0]).not_before, now + timedelta(seconds=30))
    later = sprout.services.deliverer.deliver_due(now + timedelta(seconds=31))
    assert len(later.sent) == 3 and len(slack.dms_to(RAVI.user_id)) == 3


def test_a_long_outage_loses_nothing_the_row_is_retried_until_slack_is_back(
    sprout: Sprout, slack: LocalSlack
):
    row_id = queue(sprout, RAVI.user_id)
    slack.fail("chat.postMessage", status=503, times=10)  # well past the old six attempts
    now = sprout.now()
    for _ in range(11):
        sprout.services.deliverer.deliver_due(now)
        now = max(now, row(sprout, row_id).not_before)

    stored = row(sprout, row_id)
    assert stored.status == outbox.SENT and stored.attempts == 11
    assert len(slack.dms_to(RAVI.user_id)) == 1


def test_a_deactivated_recipient_stops_retries_and_is_marked_unreachable(
    sprout: Sprout, slack: LocalSlack
):
    with transaction(sprout.services.sessions) as session:
        session.add(Member(team_id=sprout.team_id, user_id=GONE.user_id, fetched_at=sprout.now()))
    row_id = queue(sprout, GONE.user_id)

    report = sprout.services.deliverer.deliver([row_id], sprout.now())

    assert len(report.failed) == 1
    assert row(sprout, row_id).status == outbox.DEAD
    with sprout.services.sessions() as session:
        assert session.get(Member, (sprout.team_id, GONE.user_id)).unreachable
    assert sprout.services.deliverer.deliver_due(sprout.now() + timedelta(days=1)).sent == []


def test_a_claim_left_by_a_crashed_sender_is_picked_up_after_its_ttl(
    sprout: Sprout, slack: LocalSlack
):
    row_id = queue(sprout, RAVI.user_id)
    now = sprout.now()
    deliverer = sprout.services.deliverer
    assert deliverer._claim(row_id, now) is not None  # claimed, then the process "dies"

    assert deliverer.deliver_due(now + CLAIM_TTL - timedelta(seconds=1)).sent == []
    assert len(deliverer.deliver_due(now + CLAIM_TTL + timedelta(seconds=1)).sent) == 1
    assert len(slack.dms_to(RAVI.user_id)) == 1


def test_backoff_grows_and_is_capped():
    low = [backoff(n, rng=lambda: 0.0) for n in (1, 2, 3)]
    assert low[0] < low[1] < low[2]
    assert backoff(50, rng=lambda: 1.0) == timedelta(minutes=15)


def test_after_a_429_the_method_rests_until_retry_after_even_across_passes(
    sprout: Sprout, slack: LocalSlack
):
    ids = [queue(sprout, RAVI.user_id, subject=str(i)) for i in range(2)]
    slack.fail("chat.postMessage", status=429, retry_after=30)
    now = sprout.now()
    sprout.services.deliverer.deliver(ids, now)
    calls = len(slack.calls_to("chat.postMessage"))

    early = sprout.services.deliverer.deliver_due(now + timedelta(seconds=10))

    assert early.sent == [] and len(slack.calls_to("chat.postMessage")) == calls
    assert len(sprout.services.deliverer.deliver_due(now + timedelta(seconds=31)).sent) == 2


def test_send_now_sends_a_row_queued_at_an_earlier_reading_of_the_clock(
    sprout: Sprout, slack: LocalSlack
):
    row_id = queue(sprout, RAVI.user_id)
    sprout.advance(seconds=2)  # the request went on after queueing it

    report = sprout.services.deliverer.send_now([row_id])

    assert len(report.sent) == 1 and len(slack.dms_to(RAVI.user_id)) == 1


def test_send_now_leaves_a_row_held_for_later_to_the_scheduler(sprout: Sprout, slack: LocalSlack):
    later = sprout.now() + timedelta(hours=9)
    planned = outbox.note(sprout.team_id, RAVI.user_id, "test", "held", "morning", later)
    with transaction(sprout.services.sessions) as session:
        row_id = outbox.enqueue(session, planned, sprout.now())

    report = sprout.services.deliverer.send_now([row_id])

    assert report.sent == [] and slack.dms_to(RAVI.user_id) == []
    assert row(sprout, row_id).status == outbox.PENDING


def test_send_now_never_takes_a_claim_another_sender_holds(sprout: Sprout, slack: LocalSlack):
    row_id = queue(sprout, RAVI.user_id)
    deliverer = sprout.services.deliverer
    assert deliverer._claim(row_id, sprout.now()) is not None
    sprout.advance(minutes=30)  # even a claim old enough to look abandoned to a scheduler

    assert deliverer.send_now([row_id]).sent == []
    assert slack.dms_to(RAVI.user_id) == []


def test_a_slow_pass_stamps_its_claims_with_the_time_it_makes_them(
    sprout: Sprout, slack: LocalSlack
):
    first, second = queue(sprout, RAVI.user_id, "a"), queue(sprout, RAVI.user_id, "b")
    pass_started = sprout.now()
    deliverer = sprout.services.deliverer
    assert deliverer._claim(first, pass_started) is not None
    sprout.advance(minutes=10)  # the pass is slow: its next claim comes long after it began
    assert deliverer._claim(second, pass_started) is not None

    claimed_at = row(sprout, second).claimed_at
    assert claimed_at >= pass_started + timedelta(minutes=10)
    # A second scheduler now sees the first claim as abandoned, never the live one.
    other_pass = sprout.now() + timedelta(seconds=1)
    assert deliverer.due_ids(other_pass) == [first]


# --- nothing lost: retried until the message's own expiry, then marked expired ---------------


def queue_expiring(
    sprout: Sprout, recipient: str, expires_in: timedelta, subject: str = "x"
) -> int:
    now = sprout.now()
    planned = replace(
        outbox.note(sprout.team_id, recipient, "test", subject, f"hi {subject}", now),
        expires_at=now + expires_in,
    )
    with transaction(sprout.services.sessions) as session:
        row_id = outbox.enqueue(session, planned, now)
    assert row_id is not None
    return row_id


def test_a_message_without_its_own_expiry_is_worth_sending_for_a_few_days(sprout: Sprout):
    stored = row(sprout, queue(sprout, RAVI.user_id))
    assert stored.expires_at == stored.not_before + outbox.DEFAULT_EXPIRY


def test_slack_trouble_answered_with_200_is_retried_not_given_up(sprout: Sprout, slack: LocalSlack):
    row_id = queue(sprout, RAVI.user_id)
    slack.fail("chat.postMessage", error="service_unavailable")
    now = sprout.now()

    first = sprout.services.deliverer.deliver_due(now)
    later = sprout.services.deliverer.deliver_due(row(sprout, row_id).not_before)

    assert first.failed == [] and len(first.deferred) == 1 and len(later.sent) == 1
    assert len(slack.dms_to(RAVI.user_id)) == 1


def test_a_refusal_of_the_message_itself_fails_at_once(sprout: Sprout, slack: LocalSlack):
    row_id = queue(sprout, RAVI.user_id)
    slack.fail("chat.postMessage", error="invalid_blocks")

    report = sprout.services.deliverer.deliver_due(sprout.now())

    assert len(report.failed) == 1 and row(sprout, row_id).status == outbox.FAILED


def test_a_message_still_failing_at_its_expiry_is_marked_expired_logged_and_counted(
    sprout: Sprout, slack: LocalSlack, caplog: pytest.LogCaptureFixture
):
    row_id = queue_expiring(sprout, RAVI.user_id, timedelta(minutes=20))
    slack.fail("chat.postMessage", status=500, times=1000)
    now, passes = sprout.now(), 0
    while row(sprout, row_id).status == outbox.PENDING and passes < 50:
        sprout.services.deliverer.deliver_due(now)
        now = max(now + timedelta(minutes=1), row(sprout, row_id).not_before)
        passes += 1

    stored = row(sprout, row_id)
    assert stored.status == outbox.EXPIRED and "http 500" in stored.last_error
    assert stored.attempts > 1 and slack.dms_to(RAVI.user_id) == []
    assert any(
        "expired" in r.getMessage() and str(row_id) in r.getMessage() for r in caplog.records
    )
    metrics = Metrics().render(sprout.services.engine).decode()
    assert "sprout_outbox_expired_total 1" in metrics


def test_a_row_still_queued_past_its_expiry_is_expired_by_the_pass_not_sent_late(
    sprout: Sprout, slack: LocalSlack
):
    row_id = queue_expiring(sprout, RAVI.user_id, timedelta(hours=1))

    report = sprout.services.deliverer.deliver_due(sprout.now() + timedelta(hours=2))

    assert [r.id for r in report.expired] == [row_id] and report.sent == []
    assert row(sprout, row_id).status == outbox.EXPIRED
    assert slack.calls_to("chat.postMessage") == []
    assert sprout.services.deliverer.send_now([row_id]).sent == []


def test_planners_state_when_their_messages_stop_being_useful(sprout: Sprout):
    """A check-in lasts the recipient's working day; a digest until the next digest; a
    summary until the end of its week."""
    utc = lambda *a: datetime(*a, tzinfo=UTC)  # noqa: E731
    team = " ".join(f"<@{p.user_id}>" for p in (RAVI, ANA, SAM, LEO))
    sprout.command(MAYA.user_id, "/team", f"add {team}")
    for person in (RAVI, ANA, SAM, LEO):  # more than a day's nudges: one folds into the digest
        sprout.command(person.user_id, "/priority", "add Finish the thing")
        sprout.command(person.user_id, "/priority", "done 1")
    sprout.command(RAVI.user_id, "/priority", "add Ship the billing page")
    sprout.tick(utc(2026, 11, 30, 15, 1))
    sprout.tick(utc(2026, 12, 1, 4, 0))  # Ravi's 09:30 in Kolkata
    sprout.tick(utc(2026, 12, 1, 15, 0))  # Maya's digest, 10:00 in New York
    sprout.tick(utc(2026, 12, 4, 20, 0))  # Maya's summary, Friday 15:00 in New York

    with sprout.services.sessions() as session:
        expiry = {
            (r.recipient_id, r.kind, r.period): r.expires_at
            for r in session.scalars(select(OutboxMessage))
        }
    assert expiry[(RAVI.user_id, "checkin", "2026-12-01")] == utc(2026, 12, 1, 12, 30)  # 18:00
    assert expiry[(MAYA.user_id, "digest", "2026-11-30")] == utc(2026, 12, 1, 15, 0)  # Tuesday's
    assert expiry[(MAYA.user_id, "summary", "2026-W49")] == utc(2026, 12, 7, 5, 0)  # Mon 00:00


# --- nothing doubled: a post of unknown outcome is looked for before it is sent again --------


class Killed(BaseException):
    """The process dies (SIGKILL): nothing after this line of the sender runs."""


class DiesAfterPosting:
    """A client whose process is killed right after Slack accepted the post."""

    def __init__(self, client: WebClient) -> None:
        self.client = client

    def __getattr__(self, name: str):
        return getattr(self.client, name)

    def chat_postMessage(self, **kwargs):
        self.client.chat_postMessage(**kwargs)
        raise Killed


class TimesOutBeforePosting(DiesAfterPosting):
    def chat_postMessage(self, **kwargs):
        raise TimeoutError("timed out")


def deliverer_with(sprout: Sprout, client) -> Deliverer:
    return Deliverer(sprout.services.sessions, lambda _team: client, clock=sprout.clock)


def test_every_post_carries_its_outbox_row_in_the_message_metadata(
    sprout: Sprout, slack: LocalSlack
):
    row_id = queue(sprout, RAVI.user_id)
    sprout.services.deliverer.deliver([row_id], sprout.now())

    [message] = slack.dms_to(RAVI.user_id)
    assert message.metadata == {
        "event_type": "sprout_outbox",
        "event_payload": {"outbox_id": row_id},
    }


def test_a_sender_killed_after_slack_posted_is_not_sent_again_when_its_claim_goes_stale(
    sprout: Sprout, slack: LocalSlack
):
    row_id = queue(sprout, RAVI.user_id)
    now = sprout.now()
    with pytest.raises(Killed):
        deliverer_with(sprout, DiesAfterPosting(sprout.services.client)).deliver([row_id], now)
    assert row(sprout, row_id).status == outbox.SENDING

    sprout.advance(minutes=6)
    report = sprout.services.deliverer.deliver_due(now + CLAIM_TTL + timedelta(minutes=1))

    [message] = slack.dms_to(RAVI.user_id)
    stored = row(sprout, row_id)
    assert [r.id for r in report.sent] == [row_id]
    assert (stored.status, stored.channel, stored.ts) == (outbox.SENT, message.channel, message.ts)
    [look] = slack.calls_to("conversations.history")
    assert look.args["channel"] == message.channel and look.args["include_all_metadata"]


def test_a_timeout_after_slack_posted_is_recorded_as_sent_not_sent_twice(
    sprout: Sprout, slack: LocalSlack
):
    row_id = queue(sprout, RAVI.user_id)
    impatient = WebClient(token=slack.bot_token, base_url=slack.base_url, timeout=0.3)
    slack.hang("chat.postMessage")  # Slack posts it, but answers after the client gave up

    first = deliverer_with(sprout, impatient).deliver([row_id], sprout.now())
    assert len(first.deferred) == 1 and row(sprout, row_id).unsure_since is not None
    retry_at = row(sprout, row_id).not_before
    later = sprout.services.deliverer.deliver_due(retry_at)

    [message] = slack.dms_to(RAVI.user_id)
    assert len(later.sent) == 1 and row(sprout, row_id).ts == message.ts
    assert len(slack.calls_to("chat.postMessage")) == 1


def test_a_timeout_before_slack_posted_is_looked_for_then_sent_once(
    sprout: Sprout, slack: LocalSlack
):
    row_id = queue(sprout, RAVI.user_id)
    deliverer_with(sprout, TimesOutBeforePosting(sprout.services.client)).deliver(
        [row_id], sprout.now()
    )

    later = sprout.services.deliverer.deliver_due(row(sprout, row_id).not_before)

    assert len(later.sent) == 1 and len(slack.dms_to(RAVI.user_id)) == 1
    assert len(slack.calls_to("conversations.history")) == 1
    assert row(sprout, row_id).unsure_since is None


def test_an_expired_row_of_unknown_outcome_is_looked_for_before_it_is_called_expired(
    sprout: Sprout, slack: LocalSlack
):
    row_id = queue_expiring(sprout, RAVI.user_id, timedelta(minutes=30))
    impatient = WebClient(token=slack.bot_token, base_url=slack.base_url, timeout=0.3)
    slack.hang("chat.postMessage")
    deliverer_with(sprout, impatient).deliver([row_id], sprout.now())

    report = sprout.services.deliverer.deliver_due(sprout.now() + timedelta(hours=1))

    assert [r.id for r in report.sent] == [row_id] and report.expired == []
    assert len(slack.dms_to(RAVI.user_id)) == 1


# --- one busy person's 429 pauses only them; a workspace's pauses only it ---------------------


class Waits:
    """Sleeping moves the test's clock, which the local Slack's limits follow too."""

    def __init__(self, sprout: Sprout) -> None:
        self.clock = sprout.clock
        self.sleeps: list[float] = []

    def slack_time(self) -> float:
        return self.clock.peek().timestamp()

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.clock.advance(timedelta(seconds=seconds))


def posted_to(sprout: Sprout, *people: Person) -> None:
    """Each of them got a message just now (their channel's allowance is used)."""
    ids = [queue(sprout, p.user_id, subject="earlier") for p in people]
    assert len(sprout.services.deliverer.deliver(ids, sprout.now()).sent) == len(people)


def test_one_persons_429_pauses_them_and_the_others_go_on(sprout: Sprout, slack: LocalSlack):
    waits = Waits(sprout)
    slack.rate_limit("chat.postMessage", 60, burst=1, per_channel=True, clock=waits.slack_time)
    deliverer = Deliverer(
        sprout.services.sessions, sprout.services.client_for, clock=sprout.clock, sleep=waits.sleep
    )
    busy = [queue(sprout, RAVI.user_id, subject=str(i)) for i in range(2)]
    other = queue(sprout, MAYA.user_id)

    report = deliverer.deliver([other, *busy], sprout.now())

    assert len(report.sent) == 3 and report.rate_limited == 1
    assert waits.sleeps == [pytest.approx(1.0, abs=0.05)]  # only once nothing else could go
    ravi, maya = slack.dm_channel(RAVI.user_id), slack.dm_channel(MAYA.user_id)
    assert [m.channel for m in slack.messages()] == [ravi, maya, ravi]  # the busiest first


def test_a_long_per_person_pause_defers_only_that_person(sprout: Sprout, slack: LocalSlack):
    posted_to(sprout, RAVI)
    busy = queue(sprout, RAVI.user_id)
    others = [queue(sprout, p.user_id) for p in (MAYA, ANA)]
    slack.fail("chat.postMessage", status=429, retry_after=30)  # Ravi's channel

    report = sprout.services.deliverer.deliver([busy, *others], sprout.now())

    assert [r.id for r in report.sent] == others and [r.id for r in report.deferred] == [busy]


def test_429s_for_two_people_in_a_row_pause_the_whole_workspace(sprout: Sprout, slack: LocalSlack):
    posted_to(sprout, RAVI, MAYA)
    ids = [queue(sprout, p.user_id) for p in (RAVI, MAYA, ANA)]
    slack.fail("chat.postMessage", status=429, retry_after=30, times=2)
    now = sprout.now()

    report = sprout.services.deliverer.deliver(ids, now)

    assert report.sent == [] and len(report.deferred) == 3
    assert len(slack.calls_to("chat.postMessage")) == 2 + 2  # Ana's was not even tried
    assert sprout.services.deliverer.deliver_due(now + timedelta(seconds=10)).sent == []
    assert len(sprout.services.deliverer.deliver_due(now + timedelta(seconds=31)).sent) == 3


def test_a_429_for_someone_not_posted_to_lately_pauses_the_workspace_at_once(
    sprout: Sprout, slack: LocalSlack
):
    ids = [queue(sprout, p.user_id) for p in (RAVI, MAYA)]
    slack.fail("chat.postMessage", status=429, retry_after=30)  # Ravi's allowance was whole

    report = sprout.services.deliverer.deliver(ids, sprout.now())

    assert len(report.deferred) == 2 and len(slack.calls_to("chat.postMessage")) == 1


def test_a_workspace_wide_pause_does_not_hold_up_another_workspace(
    sprout: Sprout, slack: LocalSlack
):
    with LocalSlack(team_id="T0OTHER", team_name="Other", bot_token="xoxb-other") as other:
        seed(other)
        clients = {
            sprout.team_id: sprout.services.client,
            "T0OTHER": WebClient(token=other.bot_token, base_url=other.base_url),
        }
        deliverer = Deliverer(sprout.services.sessions, clients.__getitem__, clock=sprout.clock)
        now = sprout.now()
        ours = [queue(sprout, p.user_id) for p in (RAVI, MAYA)]
        theirs = []
        with transaction(sprout.services.sessions) as session:
            for person in (RAVI, MAYA):
                planned = outbox.note("T0OTHER", person.user_id, "test", "s", "hello", now)
                theirs.append(outbox.enqueue(session, planned, now))
        slack.fail("chat.postMessage", status=429, retry_after=30)

        report = deliverer.deliver([*ours, *theirs], now)

        assert sorted(r.id for r in report.sent) == sorted(theirs)
        assert sorted(r.id for r in report.deferred) == sorted(ours)
        assert len(other.messages()) == 2 and other.internal_errors == []


def test_a_connection_dropped_after_slack_posted_is_not_posted_again_by_the_client(
    sprout: Sprout, slack: LocalSlack
):
    """slack-sdk's connection-error retry would post again at once, unseen by the outbox."""
    row_id = queue(sprout, RAVI.user_id)
    slack.drop("chat.postMessage")  # Slack posts it, and the connection closes unanswered

    first = sprout.services.deliverer.deliver([row_id], sprout.now())

    assert len(slack.calls_to("chat.postMessage")) == 1
    assert len(first.deferred) == 1 and row(sprout, row_id).unsure_since is not None
    later = sprout.services.deliverer.deliver_due(row(sprout, row_id).not_before)
    [message] = slack.dms_to(RAVI.user_id)
    assert len(later.sent) == 1 and row(sprout, row_id).ts == message.ts
    assert len(slack.calls_to("chat.postMessage")) == 1


def test_other_calls_still_try_a_dropped_connection_once_more(sprout: Sprout, slack: LocalSlack):
    slack.drop("users.info")

    assert sprout.services.client.users_info(user=RAVI.user_id)["user"]["id"] == RAVI.user_id
    assert len(slack.calls_to("users.info")) == 2


# --- a pass keeps the rate limits' budget busy until the next pass is due ---------------------


def test_a_pass_waits_out_pauses_until_its_end_not_a_fixed_budget(
    sprout: Sprout, slack: LocalSlack
):
    waits = Waits(sprout)
    slack.rate_limit("chat.postMessage", 60, burst=1, per_channel=True, clock=waits.slack_time)
    deliverer = Deliverer(
        sprout.services.sessions, sprout.services.client_for, clock=sprout.clock, sleep=waits.sleep
    )
    ids = [queue(sprout, RAVI.user_id, subject=str(i)) for i in range(4)]
    now = sprout.now()

    short = deliverer.deliver_due(now, until=now + timedelta(seconds=1, milliseconds=500))
    later = now + timedelta(seconds=10)
    rest = deliverer.deliver_due(later, until=later + timedelta(minutes=1))

    assert len(short.sent) == 2 and len(short.deferred) == 2  # one a second, then its end
    assert sorted(r.id for r in short.sent + rest.sent) == ids
    assert len(slack.dms_to(RAVI.user_id)) == 4


def test_a_full_batch_sent_in_time_is_followed_by_the_next(sprout: Sprout, slack: LocalSlack):
    ids = [queue(sprout, p.user_id) for p in (RAVI, MAYA, ANA, SAM, LEO)]

    report = sprout.services.deliverer.deliver_due(sprout.now(), limit=2)

    assert sorted(r.id for r in report.sent) == ids and report.deferred == []


def test_check_ins_go_first_and_digests_and_summaries_last():
    targets = {1: ("T", "UBOSS"), 2: ("T", "UA"), 3: ("T", "UB"), 4: ("T", "UBOSS")}
    ranks = {1: rank_of("summary"), 2: rank_of("nudge_praise"), 3: rank_of("checkin")}
    ranks[4] = rank_of("digest")

    assert send_order(targets, ranks) == [3, 2, 1, 4]


def test_a_person_owed_more_than_a_burst_starts_their_run_before_other_check_ins():
    burst = [("T", "UBUSY")] * (CHANNEL_BURST + 1)
    targets = dict(enumerate([("T", "UA"), ("T", "UB"), *burst, ("T", "UBOSS")]))
    ranks = {i: rank_of("checkin") for i in (0, 1)}
    ranks |= {i: rank_of("nudge_check_in") for i in range(2, 2 + len(burst))}
    ranks[len(targets) - 1] = rank_of("summary")

    order = send_order(targets, ranks)

    assert order == [*range(2, 2 + len(burst)), 0, 1, len(targets) - 1]


def test_a_run_of_digests_and_summaries_never_goes_before_check_ins():
    targets = {0: ("T", "UA")} | {i: ("T", "UBOSS") for i in range(1, CHANNEL_BURST + 3)}
    ranks = {0: rank_of("checkin")} | {i: rank_of("summary") for i in range(1, len(targets))}

    assert send_order(targets, ranks)[0] == 0


def test_a_person_owed_only_a_burst_keeps_their_rank():
    targets = {0: ("T", "UA")} | {i: ("T", "UBUSY") for i in range(1, CHANNEL_BURST + 1)}
    ranks = {0: rank_of("checkin")} | {i: rank_of("nudge_check_in") for i in range(1, 4)}

    assert send_order(targets, ranks) == [0, 1, 2, 3]


def waiting_deliverer(sprout: Sprout, waits: Waits) -> Deliverer:
    """A second sender on the same outbox (another scheduler), sleeping on the test's clock."""
    return Deliverer(
        sprout.services.sessions, sprout.services.client_for, clock=sprout.clock, sleep=waits.sleep
    )


def test_a_row_given_back_a_moment_ago_is_sent_by_the_pass_when_it_is_due(
    sprout: Sprout, slack: LocalSlack
):
    waits = Waits(sprout)
    soon, later = queue(sprout, RAVI.user_id, "soon"), queue(sprout, MAYA.user_id, "later")
    now = sprout.now()
    with transaction(sprout.services.sessions) as session:
        session.get(OutboxMessage, soon).not_before = now + timedelta(seconds=1)
        session.get(OutboxMessage, later).not_before = now + DUE_SOON + timedelta(seconds=1)

    report = waiting_deliverer(sprout, waits).deliver_due(now)

    assert [r.id for r in report.sent] == [soon] and report.deferred == []
    assert waits.sleeps == [pytest.approx(1.0, abs=0.05)]
    assert row(sprout, later).status == outbox.PENDING and slack.dms_to(MAYA.user_id) == []


def test_a_429_for_someone_another_scheduler_posted_to_lately_pauses_only_them(
    sprout: Sprout, slack: LocalSlack
):
    posted_to(sprout, RAVI)  # by the first scheduler
    ids = [queue(sprout, p.user_id) for p in (RAVI, MAYA)]
    slack.fail("chat.postMessage", status=429, retry_after=30)  # Ravi's channel

    report = waiting_deliverer(sprout, Waits(sprout)).deliver(ids, sprout.now())

    assert [r.id for r in report.sent] == ids[1:] and [r.id for r in report.deferred] == ids[:1]


def test_after_a_workspace_pause_a_429_for_someone_posted_to_lately_pauses_only_them(
    sprout: Sprout, slack: LocalSlack
):
    waits = Waits(sprout)
    deliverer = waiting_deliverer(sprout, waits)
    people = (RAVI, MAYA, ANA)
    earlier = [queue(sprout, p.user_id, subject="earlier") for p in people]
    assert len(deliverer.deliver(earlier, sprout.now()).sent) == 3
    ids = [queue(sprout, p.user_id) for p in people]
    # Ravi's and Maya's: the workspace's pause; after it, Ravi's again: his channel's.
    slack.fail("chat.postMessage", status=429, retry_after=1, times=3)

    report = deliverer.deliver(ids, sprout.now())

    assert len(report.sent) == 3 and report.rate_limited == 3
    assert waits.sleeps == [pytest.approx(1.0, abs=0.05)] * 2
    after_the_pause = [m.channel for m in slack.messages()][3:]
    assert after_the_pause == [slack.dm_channel(p.user_id) for p in (MAYA, ANA, RAVI)]
