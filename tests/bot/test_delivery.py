"""The outbox sender against the local Slack: once each, never lost, polite under 429."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot import outbox
from bot.db import transaction
from bot.delivery import CLAIM_TTL, MAX_ATTEMPTS, backoff
from bot.models import Member, OutboxMessage
from devtools.cast import GONE, RAVI
from devtools.harness import Sprout
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
    assert sprout.sleeps == [2.0, 2.0]
    assert row(sprout, row_id).attempts == 1  # rate limits do not use up attempts
    assert len(slack.dms_to(RAVI.user_id)) == 1


def test_a_long_retry_after_defers_the_rest_of_the_pass(sprout: Sprout, slack: LocalSlack):
    ids = [queue(sprout, RAVI.user_id, subject=str(i)) for i in range(3)]
    slack.fail("chat.postMessage", status=429, retry_after=30)
    now = sprout.now()

    report = sprout.services.deliverer.deliver(ids, now)

    assert report.sent == [] and len(report.deferred) == 2
    assert row(sprout, ids[0]).not_before == now + timedelta(seconds=30)
    later = sprout.services.deliverer.deliver_due(now + timedelta(seconds=30))
    assert len(later.sent) == 3 and len(slack.dms_to(RAVI.user_id)) == 3


def test_server_errors_are_retried_with_backoff_then_given_up(sprout: Sprout, slack: LocalSlack):
    row_id = queue(sprout, RAVI.user_id)
    slack.fail("chat.postMessage", status=503, times=MAX_ATTEMPTS)
    now = sprout.now()
    for _ in range(MAX_ATTEMPTS):
        sprout.services.deliverer.deliver_due(now)
        stored = row(sprout, row_id)
        now = max(now, stored.not_before)
    stored = row(sprout, row_id)
    assert stored.status == outbox.FAILED and "gave up" in stored.last_error
    assert slack.dms_to(RAVI.user_id) == []


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
    assert len(sprout.services.deliverer.deliver_due(now + timedelta(seconds=30)).sent) == 2


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
