"""What people do with feedback, as use cases: each checks who acts, without Slack."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from bot.db import transaction
from bot.feedback import actions
from bot.feedback.form import PERSON, Meta, Shown, Submission
from bot.feedback.parse import Give
from bot.feedback.rules import Kind
from bot.models import Feedback, Member, OutboxMessage
from bot.refusal import Refusal
from bot.usecase import Actor, Outcome
from devtools.cast import ANA, LEO, MAYA, RAVI
from tests.bot.feedback.conftest import NOW, T, manage, save

AS_MAYA = Actor(T, MAYA.user_id)
AS_LEO = Actor(T, LEO.user_id)
LINK = "https://sprout-demo.slack.com/archives/C0LAUNCH/p1700000000000100"
HOME = "https://sprout-demo.slack.com/"


def do(sessions, use_case, actor: Actor, *args: Any) -> Outcome:  # type: ignore[no-untyped-def]
    with transaction(sessions) as session:
        return use_case(session, actor, *args, now=NOW)


def refused(sessions, use_case, actor: Actor, *args: Any) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(Refusal) as refusal:
        do(sessions, use_case, actor, *args)
    return refusal.value.render()


def records(sessions) -> list[Feedback]:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return list(session.scalars(select(Feedback).order_by(Feedback.id)))


def dms(sessions) -> list[OutboxMessage]:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return list(session.scalars(select(OutboxMessage)))


def people(*user_ids: str, **flags: bool) -> dict[str, Member | None]:
    return {u: Member(team_id=T, user_id=u, fetched_at=NOW, **flags) for u in user_ids}


# --- /feedback ---------------------------------------------------------------------------


def test_giving_to_several_people_saves_one_record_each(sessions):
    request = Give([RAVI.user_id, ANA.user_id], Kind.PRAISE, "", "smooth launch")
    outcome = do(sessions, actions.give, AS_MAYA, request, people(RAVI.user_id, ANA.user_id))
    assert not outcome.refused and outcome.message is not None
    assert [(r.giver_id, r.about_id, r.source) for r in records(sessions)] == [
        (MAYA.user_id, RAVI.user_id, "command"),
        (MAYA.user_id, ANA.user_id, "command"),
    ]


def test_one_unsuitable_person_means_nothing_is_saved_for_anyone(sessions):
    request = Give([RAVI.user_id, "UBOT"], Kind.PRAISE, "", "smooth launch")
    members = {**people(RAVI.user_id), **people("UBOT", is_bot=True)}
    outcome = do(sessions, actions.give, AS_MAYA, request, members)
    assert outcome.refused and "is a bot" in outcome.text and "didn't save" in outcome.text
    assert records(sessions) == []


def test_the_list_shows_only_what_the_viewer_may_see(sessions):
    save(sessions, LEO.user_id, RAVI.user_id, text="a private note from Leo")
    save(sessions, MAYA.user_id, RAVI.user_id, text="Maya's own")
    outcome = do(sessions, actions.list_about, AS_MAYA, RAVI.user_id)
    listing = json.dumps(outcome.message)
    assert "Maya's own" in listing and "Leo" not in listing


# --- the buttons -----------------------------------------------------------------------------


def test_send_queues_one_dm_however_often_it_is_pressed(sessions):
    record_id = save(sessions).id
    first = do(sessions, actions.press_send, AS_MAYA, record_id)
    second = do(sessions, actions.press_send, AS_MAYA, record_id)
    [dm] = dms(sessions)
    assert first.send == [dm.id] and first.value == RAVI.user_id and RAVI.user_id in first.homes
    assert second.send == [] and "already sent this" in actions.told(second)
    assert (dm.recipient_id, dm.kind, dm.subject) == (RAVI.user_id, "feedback", str(record_id))
    assert f"<@{MAYA.user_id}>" in dm.payload["text"]


def test_no_button_works_for_anyone_but_the_giver(sessions):
    record_id = save(sessions).id
    for press in (
        actions.press_send,
        actions.press_undo,
        actions.press_share,
        actions.press_praise,
        actions.press_redirect,
    ):
        assert "Only the person who saved" in refused(sessions, press, AS_LEO, record_id)
    [record] = records(sessions)
    assert (record.kind, record.send_requested_at, record.shared_with_id) == ("note", None, None)
    assert dms(sessions) == []


def test_undo_deletes_once_and_then_finds_nothing(sessions):
    record_id = save(sessions).id
    assert "Undone" in do(sessions, actions.press_undo, AS_MAYA, record_id).text
    assert "nothing left" in refused(sessions, actions.press_undo, AS_MAYA, record_id)
    assert "nothing left" in refused(sessions, actions.press_send, AS_MAYA, record_id)


def test_undo_after_send_keeps_the_record(sessions):
    record_id = save(sessions).id
    do(sessions, actions.press_send, AS_MAYA, record_id)
    assert "can't be undone" in do(sessions, actions.press_undo, AS_MAYA, record_id).text
    assert len(records(sessions)) == 1


def test_marking_a_note_gives_the_advice_for_its_kind_once(sessions):
    record_id = save(sessions, topic="handoffs").id
    marked = do(sessions, actions.press_redirect, AS_MAYA, record_id)
    assert marked.text.startswith("Marked as a redirect.") and "\n" in marked.text
    again = do(sessions, actions.press_praise, AS_MAYA, record_id)
    assert again.text == "It's already marked as redirect."


def test_sharing_needs_a_manager_who_is_not_the_giver(sessions):
    record_id = save(sessions, LEO.user_id, kind=Kind.PRAISE).id
    assert "no manager" in do(sessions, actions.press_share, AS_LEO, record_id).text
    own = save(sessions, MAYA.user_id, kind=Kind.PRAISE).id
    manage(sessions, MAYA.user_id, RAVI.user_id)
    assert "You're" in do(sessions, actions.press_share, AS_MAYA, own).text


def test_a_note_is_never_shared(sessions):
    manage(sessions, MAYA.user_id, RAVI.user_id)
    note = save(sessions, LEO.user_id, kind=Kind.NOTE).id
    for press in (actions.press_share, actions.press_send_and_share):
        assert "Notes stay yours" in do(sessions, press, AS_LEO, note).text
    assert [r.shared_with_id for r in records(sessions)] == [None] and dms(sessions) == []


def test_feedback_the_person_has_not_heard_is_not_shared_alone(sessions):
    manage(sessions, MAYA.user_id, RAVI.user_id)
    record_id = save(sessions, LEO.user_id, kind=Kind.PRAISE).id
    outcome = do(sessions, actions.press_share, AS_LEO, record_id)
    assert "hasn't heard this yet" in outcome.text and "Send it to them and share" in outcome.text
    assert records(sessions)[0].shared_with_id is None and outcome.homes == []


def test_send_and_share_queues_the_dm_and_shares_for_when_it_arrives(sessions):
    manage(sessions, MAYA.user_id, RAVI.user_id)
    record_id = save(sessions, LEO.user_id, kind=Kind.REDIRECT).id
    outcome = do(sessions, actions.press_send_and_share, AS_LEO, record_id)
    [dm] = dms(sessions)
    assert outcome.send == [dm.id] and dm.recipient_id == RAVI.user_id
    assert "as soon as it reaches" in outcome.text
    [record] = records(sessions)
    assert record.shared_with_id == MAYA.user_id and record.send_requested_at is not None
    again = do(sessions, actions.press_send_and_share, AS_LEO, record_id)
    assert "already shared" in again.text and again.send == []


def test_feedback_the_giver_told_in_person_is_shared_at_once(sessions):
    manage(sessions, MAYA.user_id, RAVI.user_id)
    record_id = save(sessions, LEO.user_id, kind=Kind.PRAISE).id
    with transaction(sessions) as session:
        session.get(Feedback, record_id).told_at = NOW
    done = do(sessions, actions.press_share, AS_LEO, record_id)
    assert done.text.startswith(f"Shared with <@{MAYA.user_id}>") and done.homes == [MAYA.user_id]
    assert "already shared" in do(sessions, actions.press_share, AS_LEO, record_id).text


# --- the confirmation modal ---------------------------------------------------------------


def test_a_confirmation_modal_shows_the_actors_records_and_leaves_out_undone_ones(sessions):
    record_id = save(sessions, text="covered the on-call gap").id
    outcome = do(sessions, actions.show_saved, AS_MAYA, Shown((record_id, 999)), "Done.")
    view = json.dumps(outcome.value)
    assert "covered the on-call gap" in view and "Done." in view
    assert Shown.load(outcome.value["private_metadata"]).ids == (record_id,)


def test_a_confirmation_modal_naming_someone_elses_record_is_refused(sessions):
    mine = save(sessions, text="mine").id
    theirs = save(sessions, LEO.user_id, text="Leo's private words").id
    reason = refused(sessions, actions.show_saved, AS_MAYA, Shown((mine, theirs)), "")
    assert "Only the person who saved" in reason and "Leo" not in reason


# --- the form ------------------------------------------------------------------------------


def submission(person: str | None = RAVI.user_id, **fields: Any) -> Submission:
    values: dict[str, Any] = {
        "person": person,
        "kind": Kind.PRAISE,
        "topic": "",
        "topic_raw": "",
        "text": "great call",
        "send_now": False,
    }
    return Submission(**{**values, **fields})


def submit(sessions, actor: Actor, form: Submission, meta: Meta) -> Outcome:  # type: ignore[no-untyped-def]
    return do(sessions, actions.submit_form, actor, form, meta, people(RAVI.user_id))


def test_a_form_submitted_twice_shows_what_the_first_one_saved(sessions):
    meta = Meta()
    first = submit(sessions, AS_MAYA, submission(), meta)
    second = submit(sessions, AS_MAYA, submission(text="changed my mind"), meta)
    assert first.value.record_id == second.value.record_id
    assert [r.text for r in records(sessions)] == ["great call"]
    assert not second.value.follow_up


def test_a_form_carrying_someone_elses_token_is_refused_and_shows_nothing_of_theirs(sessions):
    meta = Meta()
    submit(sessions, AS_MAYA, submission(text="Maya's private words"), meta)
    with pytest.raises(Refusal) as refusal:
        submit(sessions, AS_LEO, submission(), meta)
    assert "Maya's private words" not in refusal.value.render()
    assert len(records(sessions)) == 1


def test_form_problems_are_refused_field_by_field(sessions):
    outcome = do(
        sessions,
        actions.submit_form,
        AS_MAYA,
        submission("UBOT"),
        Meta(),
        people("UBOT", is_bot=True),
    )
    assert outcome.refused and "bot" in outcome.value[PERSON]
    assert records(sessions) == []


def test_send_it_now_queues_the_dm_and_finishing_sends_it_with_the_messages_link(sessions):
    meta = Meta(channel="C0LAUNCH", ts="1700000000.000100")
    saved = submit(sessions, AS_MAYA, submission(send_now=True), meta).value
    [queued] = dms(sessions)
    assert saved.follow_up and LINK not in json.dumps(queued.payload)

    finished = do(sessions, actions.finish_form, AS_MAYA, saved.record_id, meta, LINK, HOME)

    assert finished.send == [queued.id] and finished.value == RAVI.user_id
    [record] = records(sessions)
    [dm] = dms(sessions)
    assert record.source_link == LINK and f"<{LINK}|" in json.dumps(dm.payload)


@pytest.mark.parametrize(
    "link",
    [
        "https://evil.example/archives/C0LAUNCH/p1700000000000100",
        LINK.replace("sprout-demo", "someone-else"),
        LINK.replace("C0LAUNCH", "C0OTHER"),
        LINK + "|Open",
    ],
)
def test_finishing_keeps_only_the_link_to_that_message_in_the_actors_workspace(sessions, link):
    meta = Meta(channel="C0LAUNCH", ts="1700000000.000100")
    saved = submit(sessions, AS_MAYA, submission(), meta).value
    do(sessions, actions.finish_form, AS_MAYA, saved.record_id, meta, link, HOME)
    assert records(sessions)[0].source_link is None


def test_only_the_giver_can_finish_a_form(sessions):
    saved = submit(sessions, AS_MAYA, submission(send_now=True), Meta()).value
    assert "Only the person" in refused(
        sessions, actions.finish_form, AS_LEO, saved.record_id, Meta(), None, HOME
    )
