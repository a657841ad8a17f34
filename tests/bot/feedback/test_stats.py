"""Counts about feedback a manager gave: a gap closes only when the person heard something."""

from __future__ import annotations

from datetime import timedelta

from bot.db import transaction
from bot.feedback import stats, store
from bot.feedback.rules import Kind
from bot.models import Feedback
from devtools.cast import ANA, MAYA, RAVI
from tests.bot.feedback.conftest import NOW, T, save


def last(sessions) -> dict:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return stats.last_given(session, T, MAYA.user_id, [RAVI.user_id, ANA.user_id])


def test_a_note_or_feedback_kept_to_oneself_does_not_close_a_gap(sessions):
    save(sessions, kind=Kind.NOTE)
    save(sessions, kind=Kind.PRAISE)
    save(sessions, kind=Kind.REDIRECT, topic="handoffs")
    assert last(sessions) == {}


def test_praise_sent_or_a_redirect_told_in_person_closes_it_when_it_reached_them(sessions):
    sent = save(sessions, kind=Kind.PRAISE)
    told = save(sessions, about=ANA.user_id, kind=Kind.REDIRECT)
    later = NOW + timedelta(days=2)
    with transaction(sessions) as session:
        session.get(Feedback, sent.id).delivered_at = later
        assert store.mark_told(session, session.get(Feedback, told.id), NOW)
    assert last(sessions) == {RAVI.user_id: later, ANA.user_id: NOW}


def test_a_note_sent_to_the_person_still_does_not_count(sessions):
    note = save(sessions, kind=Kind.NOTE)
    with transaction(sessions) as session:
        session.get(Feedback, note.id).delivered_at = NOW
    assert last(sessions) == {}
