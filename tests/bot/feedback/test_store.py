"""Saving, finding and changing records, inside one transaction, without Slack."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot import outbox
from bot.db import transaction
from bot.feedback import rules, store
from bot.feedback.rules import Kind, Origin, Response, Standing, new_token
from bot.models import Feedback, OutboxMessage
from bot.refusal import Refusal
from devtools.cast import LEO, MAYA, RAVI
from tests.bot.feedback.conftest import NOW, T, manage, save


def refusal(find, *args: object) -> str:  # type: ignore[no-untyped-def]
    """Which refusal `find(*args)` raises."""
    with pytest.raises(Refusal) as refused:
        find(*args)
    return refused.value.key


def test_only_the_giver_may_act_on_a_record(sessions):
    record_id = save(sessions).id
    with sessions() as session:
        assert store.owned(session, T, MAYA.user_id, record_id).id == record_id
        assert refusal(store.owned, session, T, RAVI.user_id, record_id) == store.NOT_YOURS
        assert refusal(store.owned, session, T, "", record_id) == store.NOT_YOURS


def test_a_record_that_is_gone_or_in_another_workspace_is_gone(sessions):
    record_id = save(sessions).id
    with sessions() as session:
        assert refusal(store.owned, session, "T0OTHER", MAYA.user_id, record_id) == (store.GONE)
        for unknown in (record_id + 99, 0, -1, 2**63):
            assert refusal(store.owned, session, T, MAYA.user_id, unknown) == store.GONE


def test_many_records_are_the_actors_own_or_refused_together(sessions):
    mine, theirs = save(sessions).id, save(sessions, LEO.user_id).id
    with sessions() as session:
        rows = store.owned_many(session, T, MAYA.user_id, [mine, mine + 99, mine, 2**63, -1])
        assert [row.id for row in rows] == [mine]
        assert refusal(store.owned_many, session, T, MAYA.user_id, [mine, theirs]) == (
            store.NOT_YOURS
        )
        assert store.owned_many(session, "T0OTHER", MAYA.user_id, [theirs]) == []


def test_a_send_is_requested_once(sessions):
    record_id = save(sessions).id
    with transaction(sessions) as session:
        row = store.owned(session, T, MAYA.user_id, record_id)
        assert store.request_send(session, row, NOW)
        assert not store.request_send(session, row, NOW + timedelta(minutes=1))
        assert row.send_requested_at == NOW


def test_undo_deletes_an_unsent_record_once(sessions):
    record_id = save(sessions).id
    with transaction(sessions) as session:
        assert store.undo(session, store.owned(session, T, MAYA.user_id, record_id))
    with sessions() as session:
        assert refusal(store.owned, session, T, MAYA.user_id, record_id) == store.GONE


def test_undo_after_send_keeps_the_record(sessions):
    record_id = save(sessions).id
    with transaction(sessions) as session:
        row = store.owned(session, T, MAYA.user_id, record_id)
        store.request_send(session, row, NOW)
        assert not store.undo(session, row)
    with sessions() as session:
        assert session.get(Feedback, record_id) is not None


def test_marking_a_note_sets_its_kind_once(sessions):
    record_id = save(sessions).id
    with transaction(sessions) as session:
        row = store.owned(session, T, MAYA.user_id, record_id)
        assert store.set_kind(session, row, Kind.REDIRECT)
        assert not store.set_kind(session, row, Kind.PRAISE)
        assert row.kind == "redirect"


def test_sharing_names_one_manager_once(sessions):
    record_id = save(sessions, LEO.user_id).id
    with transaction(sessions) as session:
        row = store.owned(session, T, LEO.user_id, record_id)
        assert store.share(session, row, MAYA.user_id, NOW)
        assert not store.share(session, row, MAYA.user_id, NOW)
        assert (row.shared_with_id, row.shared_at) == (MAYA.user_id, NOW)


def test_a_message_link_is_noted_once(sessions):
    record_id = save(sessions).id
    link = "https://sprout-demo.slack.com/archives/C0LAUNCH/p1700000000000100"
    with transaction(sessions) as session:
        row = store.owned(session, T, MAYA.user_id, record_id)
        assert store.attach_link(session, row, link)
        assert not store.attach_link(session, row, link + "?thread_ts=1")
        assert row.source_link == link


def test_delivery_is_recorded_when_the_outbox_sends_the_dm(sessions):
    record_id = save(sessions).id
    planned = outbox.note(T, RAVI.user_id, "feedback", str(record_id), "hi", NOW)
    later = NOW + timedelta(minutes=5)
    with transaction(sessions) as session:
        row = session.get(OutboxMessage, outbox.enqueue(session, planned, NOW))
        store.mark_delivered(session, row, later)
        store.mark_delivered(session, row, later + timedelta(hours=1))  # first time wins
    with sessions() as session:
        assert session.get(Feedback, record_id).delivered_at == later


def test_a_hook_for_some_other_outbox_row_changes_nothing(sessions):
    record_id = save(sessions).id
    with transaction(sessions) as session:
        planned = outbox.note(T, RAVI.user_id, "team_welcome", MAYA.user_id, "hi", NOW)
        row = session.get(OutboxMessage, outbox.enqueue(session, planned, NOW))
        store.mark_delivered(session, row, NOW)
    with sessions() as session:
        assert session.get(Feedback, record_id).delivered_at is None


def test_a_repeated_token_is_refused_by_the_database(sessions):
    token = new_token()
    save(sessions, token=token)
    with pytest.raises(IntegrityError):
        save(sessions, token=token)
    with sessions() as session:
        assert len(session.scalars(select(Feedback)).all()) == 1


def test_a_token_finds_the_givers_own_record_and_refuses_anyone_elses(sessions):
    token = new_token()
    record_id = save(sessions, token=token).id
    with sessions() as session:
        assert store.by_token(session, T, MAYA.user_id, token).id == record_id
        assert store.by_token(session, T, MAYA.user_id, new_token()) is None
        assert store.by_token(session, "T0OTHER", MAYA.user_id, token) is None
        assert refusal(store.by_token, session, T, LEO.user_id, token) == store.NOT_YOURS


def test_only_the_person_it_reached_may_answer_and_only_once(sessions):
    record_id = save(sessions, kind=Kind.REDIRECT).id
    with transaction(sessions) as session:
        # Not delivered yet: not even its subject may answer.
        assert refusal(store.answerable, session, T, RAVI.user_id, record_id) == store.NOT_TO_YOU
        session.get(Feedback, record_id).delivered_at = NOW
    with transaction(sessions) as session:
        for other in (MAYA.user_id, LEO.user_id, ""):
            assert refusal(store.answerable, session, T, other, record_id) == store.NOT_TO_YOU
        row = store.answerable(session, T, RAVI.user_id, record_id)
        assert store.respond(session, row, Response.DIFFER, "  not how I saw it ", NOW)
        assert not store.respond(session, row, Response.THANKS, "", NOW)
        assert (row.response, row.response_text, row.discussed_at) == (
            "differ",
            "not how I saw it",
            None,
        )


def test_thanks_closes_a_record_and_a_one_on_one_closes_a_talk(sessions):
    thanked, talked = save(sessions).id, save(sessions).id
    with transaction(sessions) as session:
        for record_id in (thanked, talked):
            session.get(Feedback, record_id).delivered_at = NOW
    with transaction(sessions) as session:
        store.respond(session, session.get(Feedback, thanked), Response.THANKS, "", NOW)
        store.respond(session, session.get(Feedback, talked), Response.TALK, "", NOW)
        assert session.get(Feedback, thanked).discussed_at is not None
        assert session.get(Feedback, talked).discussed_at is None
        store.mark_discussed(session, T, [talked], NOW + timedelta(days=2))
        assert session.get(Feedback, talked, populate_existing=True).discussed_at is not None


def test_a_saved_record_comes_back_with_where_it_stands(sessions):
    manage(sessions, MAYA.user_id, RAVI.user_id)
    save(sessions, kind=Kind.PRAISE)
    save(sessions, kind=Kind.PRAISE)
    save(sessions, kind=Kind.REDIRECT)
    save(sessions, giver=LEO.user_id, kind=Kind.PRAISE)

    with transaction(sessions) as session:
        row, standing = store.record(
            session,
            team_id=T,
            giver_id=MAYA.user_id,
            about_id=RAVI.user_id,
            kind=Kind.PRAISE,
            topic="",
            text="third praise of hers",
            origin=Origin.COMMAND,
            now=NOW,
        )
        read_again = rules.guidance(session, row, NOW)

    assert standing == Standing(manager_id=MAYA.user_id, before=2)  # not itself, nor Leo's
    assert (read_again.manager_id, read_again.rotate) == (MAYA.user_id, 2)
    with sessions() as session:
        stored = session.get(Feedback, row.id)
        assert (stored.text, stored.nth) == ("third praise of hers", 2)
