"""Recording feedback, the redirect ladder, and the giver's next steps, without Slack."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot import feedback, outbox
from bot.db import make_engine, make_sessionmaker, transaction
from bot.feedback import (
    LADDER_WINDOW,
    Kind,
    Outcome,
    Refusal,
    Rung,
    Source,
    counts_toward_ladder,
    judge_people,
    normalize_topic,
    rung_for,
)
from bot.feedback_blocks import guidance_lines, ordinal
from bot.models import Feedback, Member, OutboxMessage, ReportingLine
from devtools.cast import ANA, LEO, MAYA, OMAR, RAVI

NOW = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
T = "T0SPROUT"


# --- pure rules ------------------------------------------------------------------------------


def test_the_rungs_are_supportive_then_curious_then_a_written_plan():
    assert [rung_for(n) for n in (1, 2, 3, 4, 12)] == [
        Rung.SUPPORTIVE,
        Rung.CURIOUS,
        Rung.ACTION_PLAN,
        Rung.ACTION_PLAN,
        Rung.ACTION_PLAN,
    ]


@dataclass
class Past:
    about_id: str = ANA.user_id
    kind: str = "redirect"
    topic: str = "handoffs"
    created_at: datetime = NOW


def test_only_recent_redirects_about_the_same_person_on_the_same_topic_count():
    def counts(**change: object) -> bool:
        return counts_toward_ladder(Past(**change), ANA.user_id, "handoffs", NOW)  # type: ignore[arg-type]

    assert counts()
    assert counts(created_at=NOW - LADDER_WINDOW)
    assert not counts(created_at=NOW - LADDER_WINDOW - timedelta(seconds=1))
    assert not counts(topic="estimates")
    assert not counts(about_id=RAVI.user_id)
    assert not counts(kind="praise")
    assert not counts(kind="note")


def test_redirects_without_a_topic_never_group_together():
    assert not counts_toward_ladder(Past(topic=""), ANA.user_id, "", NOW)


def test_topics_are_one_word_compared_without_case():
    assert normalize_topic("#Handoffs") == "handoffs"
    assert normalize_topic("code-review") == "code-review"
    assert normalize_topic("") == ""
    assert normalize_topic("   ") == ""
    assert normalize_topic("#") is None
    assert normalize_topic("two words") is None
    assert normalize_topic("#a/b") is None
    assert normalize_topic("x" * 41) is None


def member(user_id: str, **flags: bool) -> Member:
    return Member(team_id=T, user_id=user_id, fetched_at=NOW, **flags)


def test_yourself_bots_deactivated_and_unknown_people_cannot_get_feedback():
    members = {
        MAYA.user_id: member(MAYA.user_id),
        "UBOT": member("UBOT", is_bot=True),
        "UOLD": member("UOLD", deleted=True),
        "UNONE": None,
        RAVI.user_id: member(RAVI.user_id),
    }
    people = [MAYA.user_id, "UBOT", "UOLD", "UNONE", RAVI.user_id]
    assert judge_people(MAYA.user_id, people, members) == {
        MAYA.user_id: Refusal.SELF,
        "UBOT": Refusal.BOT,
        "UOLD": Refusal.DELETED,
        "UNONE": Refusal.UNKNOWN,
    }


def test_ordinals_read_naturally():
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "101st",
        "111th",
    ]


def test_praise_gets_a_tip_and_a_topicless_redirect_a_hint_to_add_one():
    [tip] = guidance_lines(feedback.Guidance(Kind.PRAISE), ANA.user_id, rotate=0)
    assert "specific" in tip or "fresh" in tip
    lines = guidance_lines(feedback.Guidance(Kind.REDIRECT, Rung.SUPPORTIVE, 1), ANA.user_id, 0)
    assert "#topic" in lines[-1]
    assert guidance_lines(feedback.Guidance(Kind.NOTE), ANA.user_id, 0) == []


def test_the_rung_texts_rotate_between_variants():
    first = guidance_lines(feedback.Guidance(Kind.REDIRECT, Rung.CURIOUS, 2, "x"), "U1", 0)
    second = guidance_lines(feedback.Guidance(Kind.REDIRECT, Rung.CURIOUS, 2, "x"), "U1", 1)
    assert first[0] == second[0] and "2nd" in first[0]
    assert first[1] != second[1]


# --- with a database ---------------------------------------------------------------------------


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(database_url)
    yield make_sessionmaker(engine)
    engine.dispose()


def redirect(
    sessions: sessionmaker[Session],
    about: str = ANA.user_id,
    topic: str = "handoffs",
    *,
    giver: str = MAYA.user_id,
    at: datetime = NOW,
    kind: Kind = Kind.REDIRECT,
) -> feedback.Guidance:
    """Record one and return what the giver is told: the ladder counted at that moment."""
    with transaction(sessions) as session:
        row = feedback.record(
            session,
            team_id=T,
            giver_id=giver,
            about_id=about,
            kind=kind,
            topic=topic,
            text="the handoff notes were missing",
            source=Source.COMMAND,
            now=at,
        )
        return feedback.guidance(session, row, at)


def test_redirect_for_the_first_time_is_supportive(sessions):
    advice = redirect(sessions)
    assert (advice.rung, advice.count) == (Rung.SUPPORTIVE, 1)


def test_redirect_for_the_second_time_on_a_topic_gets_curious(sessions):
    redirect(sessions)
    advice = redirect(sessions, at=NOW + timedelta(days=3))
    assert (advice.rung, advice.count) == (Rung.CURIOUS, 2)


def test_redirect_for_the_third_time_suggests_an_action_plan(sessions):
    redirect(sessions)
    redirect(sessions, at=NOW + timedelta(days=3))
    advice = redirect(sessions, at=NOW + timedelta(days=9))
    assert (advice.rung, advice.count) == (Rung.ACTION_PLAN, 3)
    assert redirect(sessions, at=NOW + timedelta(days=10)).rung is Rung.ACTION_PLAN


def test_the_ladder_does_not_climb_across_topics_or_people(sessions):
    redirect(sessions, topic="handoffs")
    redirect(sessions, topic="estimates")
    redirect(sessions, about=RAVI.user_id, topic="handoffs")
    assert redirect(sessions, topic="reviews").rung is Rung.SUPPORTIVE
    assert redirect(sessions, about=LEO.user_id, topic="handoffs").rung is Rung.SUPPORTIVE
    assert redirect(sessions, topic="handoffs").rung is Rung.CURIOUS


def test_the_same_topic_in_another_case_is_the_same_topic(sessions):
    redirect(sessions, topic=normalize_topic("#Handoffs") or "")
    assert redirect(sessions, topic=normalize_topic("HANDOFFS") or "").count == 2


def test_redirects_older_than_ninety_days_no_longer_count(sessions):
    redirect(sessions, at=NOW)
    later = NOW + LADDER_WINDOW + timedelta(minutes=1)
    assert redirect(sessions, at=later).rung is Rung.SUPPORTIVE
    assert redirect(sessions, at=later + timedelta(days=1)).rung is Rung.CURIOUS


def test_praise_and_notes_on_the_topic_do_not_count_as_redirects(sessions):
    redirect(sessions, kind=Kind.PRAISE)
    redirect(sessions, kind=Kind.NOTE)
    assert redirect(sessions).rung is Rung.SUPPORTIVE


def test_redirects_without_a_topic_each_stay_on_the_first_rung(sessions):
    for _ in range(3):
        advice = redirect(sessions, topic="")
        assert (advice.rung, advice.count) == (Rung.SUPPORTIVE, 1)


def test_the_ladder_only_counts_redirects_the_giver_may_see(sessions):
    redirect(sessions, giver=LEO.user_id)  # a peer's private redirect: Maya must not learn of it
    redirect(sessions, giver=OMAR.user_id)
    assert redirect(sessions).rung is Rung.SUPPORTIVE
    with transaction(sessions) as session:
        session.add(
            ReportingLine(
                team_id=T,
                report_id=ANA.user_id,
                manager_id=MAYA.user_id,
                added_by=MAYA.user_id,
                since=NOW,
            )
        )
        leo = session.scalars(select(Feedback).where(Feedback.giver_id == LEO.user_id)).one()
        assert feedback.share(session, T, LEO.user_id, leo.id, NOW).outcome is Outcome.DONE
    assert redirect(sessions).count == 3  # two of hers, and the one Leo shared with her


# --- the giver's next steps ------------------------------------------------------------------


def saved(sessions: sessionmaker[Session], giver: str = MAYA.user_id, about: str = RAVI.user_id):
    with transaction(sessions) as session:
        return feedback.record(
            session,
            team_id=T,
            giver_id=giver,
            about_id=about,
            kind=Kind.NOTE,
            topic="",
            text="shipped the fix",
            source=Source.COMMAND,
            now=NOW,
        ).id


def act(sessions, fn, *args):
    with transaction(sessions) as session:
        return fn(session, T, *args)


def test_send_queues_one_dm_however_often_it_is_pressed(sessions):
    record_id = saved(sessions)
    first = act(sessions, feedback.request_send, MAYA.user_id, record_id, NOW)
    second = act(sessions, feedback.request_send, MAYA.user_id, record_id, NOW)
    assert first.outcome is Outcome.DONE and first.outbox_id is not None
    assert second.outcome is Outcome.ALREADY and second.outbox_id is None
    with sessions() as session:
        [row] = session.scalars(select(OutboxMessage)).all()
        record = session.get(Feedback, record_id)
    assert (row.recipient_id, row.kind, row.subject) == (RAVI.user_id, "feedback", str(record_id))
    assert f"<@{MAYA.user_id}>" in row.payload["text"]
    assert record.send_requested_at == NOW and record.delivered_at is None


def test_only_the_giver_can_act_on_a_record(sessions):
    record_id = saved(sessions)
    for fn, args in (
        (feedback.request_send, (record_id, NOW)),
        (feedback.undo, (record_id,)),
        (feedback.share, (record_id, NOW)),
        (feedback.set_kind, (record_id, Kind.PRAISE)),
    ):
        assert act(sessions, fn, RAVI.user_id, *args).outcome is Outcome.NOT_YOURS
    with sessions() as session:
        record = session.get(Feedback, record_id)
        assert session.scalars(select(OutboxMessage)).all() == []
    assert (record.kind, record.send_requested_at, record.shared_with_id) == ("note", None, None)


def test_undo_deletes_once_and_then_finds_nothing(sessions):
    record_id = saved(sessions)
    assert act(sessions, feedback.undo, MAYA.user_id, record_id).outcome is Outcome.DONE
    assert act(sessions, feedback.undo, MAYA.user_id, record_id).outcome is Outcome.GONE
    assert (
        act(sessions, feedback.request_send, MAYA.user_id, record_id, NOW).outcome is Outcome.GONE
    )


def test_undo_after_send_keeps_the_record(sessions):
    record_id = saved(sessions)
    act(sessions, feedback.request_send, MAYA.user_id, record_id, NOW)
    assert act(sessions, feedback.undo, MAYA.user_id, record_id).outcome is Outcome.TOO_LATE
    with sessions() as session:
        assert session.get(Feedback, record_id) is not None


def test_marking_a_note_sets_its_kind_once(sessions):
    record_id = saved(sessions)
    assert (
        act(sessions, feedback.set_kind, MAYA.user_id, record_id, Kind.REDIRECT).outcome
        is Outcome.DONE
    )
    again = act(sessions, feedback.set_kind, MAYA.user_id, record_id, Kind.PRAISE)
    assert again.outcome is Outcome.ALREADY and again.record.kind == "redirect"


def test_sharing_needs_a_manager_who_is_not_the_giver(sessions):
    record_id = saved(sessions, giver=LEO.user_id)
    assert act(sessions, feedback.share, LEO.user_id, record_id, NOW).outcome is Outcome.NO_MANAGER
    with transaction(sessions) as session:
        session.add(
            ReportingLine(
                team_id=T,
                report_id=RAVI.user_id,
                manager_id=MAYA.user_id,
                added_by=MAYA.user_id,
                since=NOW,
            )
        )
    done = act(sessions, feedback.share, LEO.user_id, record_id, NOW)
    assert done.outcome is Outcome.DONE and done.manager_id == MAYA.user_id
    assert act(sessions, feedback.share, LEO.user_id, record_id, NOW).outcome is Outcome.ALREADY
    own = saved(sessions, giver=MAYA.user_id)
    assert act(sessions, feedback.share, MAYA.user_id, own, NOW).outcome is Outcome.IS_MANAGER


def test_delivery_is_recorded_when_the_outbox_sends_the_dm(sessions):
    record_id = saved(sessions)
    act(sessions, feedback.request_send, MAYA.user_id, record_id, NOW)
    later = NOW + timedelta(minutes=5)
    with transaction(sessions) as session:
        row = session.scalars(select(OutboxMessage)).one()
        feedback.mark_delivered(session, row, later)
        feedback.mark_delivered(session, row, later + timedelta(hours=1))  # first time wins
    with sessions() as session:
        assert session.get(Feedback, record_id).delivered_at == later


def test_a_hook_for_some_other_outbox_row_changes_nothing(sessions):
    record_id = saved(sessions)
    with transaction(sessions) as session:
        planned = outbox.note(T, RAVI.user_id, "team_welcome", MAYA.user_id, "hi", NOW)
        row = session.get(OutboxMessage, outbox.enqueue(session, planned, NOW))
        feedback.mark_delivered(session, row, NOW)
    with sessions() as session:
        assert session.get(Feedback, record_id).delivered_at is None


def test_a_repeated_token_is_refused_by_the_database(sessions):
    from sqlalchemy.exc import IntegrityError

    def once():
        with transaction(sessions) as session:
            feedback.record(
                session,
                team_id=T,
                giver_id=MAYA.user_id,
                about_id=RAVI.user_id,
                kind=Kind.PRAISE,
                topic="",
                text="x",
                source=Source.MODAL,
                now=NOW,
                token="same-token",
            )

    once()
    with pytest.raises(IntegrityError):
        once()
    with sessions() as session:
        assert feedback.by_token(session, T, "same-token") is not None
        assert len(session.scalars(select(Feedback)).all()) == 1


def test_the_wording_moves_on_with_each_record_of_the_same_kind_from_the_same_giver(sessions):
    first = redirect(sessions, kind=Kind.PRAISE)
    second = redirect(sessions, kind=Kind.PRAISE)
    other_giver = redirect(sessions, kind=Kind.PRAISE, giver=LEO.user_id)
    assert (first.rotate, second.rotate, other_giver.rotate) == (0, 1, 0)
    assert guidance_lines(first, ANA.user_id) != guidance_lines(second, ANA.user_id)
