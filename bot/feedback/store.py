"""Feedback records: saving them, finding them for the person acting, and changing them.

Everything here works inside the caller's transaction. `owned` (and `owned_many`,
`by_token`) is where a record id that came back from Slack meets the person acting:
a record that is gone, or that they may not act on (`bot.visibility.may_act`), is
refused with a `Refusal`. The changes after that are conditional updates, so a double
click or two racing requests change a record once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, delete, insert, or_, select, update
from sqlalchemy.orm import Session, make_transient_to_detached

from bot import repeats, visibility
from bot.feedback.rules import (
    DM_KIND,
    MAX_COMMENT,
    MAX_LINK,
    UNSENT_KIND,
    Kind,
    Origin,
    Response,
    Standing,
    new_token,
    nth_of_new,
    standing_columns,
)
from bot.feedback.views import UNSENT_SEND
from bot.models import Feedback, FeedbackAsk, OutboxMessage
from bot.refusal import Refusal

GONE = "feedback.action.gone"
NOT_YOURS = "feedback.action.not_yours"
NOT_TO_YOU = "feedback.answer.not_yours"
ASK_GONE = "feedback.ask.gone"
ASK_NOT_YOURS = "feedback.ask.not_yours"
MAX_ID = 2**31 - 1  # the id column's range: a number outside it names no record


def _in_range(record_id: int) -> bool:
    return 0 < record_id <= MAX_ID


def record(
    session: Session,
    *,
    team_id: str,
    giver_id: str,
    about_id: str,
    kind: Kind,
    topic: str,
    text: str,
    origin: Origin,
    now: datetime,
    token: str | None = None,
) -> tuple[Feedback, Standing]:
    """Store one record, and where it stands (`rules.Standing`), in one round trip; the
    record is then in the session like one it had loaded, so later changes to it are
    flushed as usual.

    One INSERT ... RETURNING on the table, past the unit of work: this runs on every
    `/feedback`, and the unit of work's bookkeeping cost more than the insert. It carries
    the command's repeat key where it can (`bot.repeats.carry`): none back is a repeat.
    """
    values: dict[str, Any] = {
        "team_id": team_id,
        "giver_id": giver_id,
        "about_id": about_id,
        "kind": kind.value,
        "topic": topic,
        "text": text,
        "source": origin.value,
        "token": token or new_token(),
        "created_at": now,
    }
    key = repeats.carry(session)
    if key is None:
        found = session.execute(_insert(tuple(values)), values).one()
    else:
        found = session.execute(_insert(tuple(values), carrying=True), values | key).one_or_none()
        if found is None:
            raise repeats.repeated(key)
    values["id"], manager_id, values["nth"] = found
    return _as_loaded(session, values), Standing(manager_id, values["nth"])


def _as_loaded(session: Session, values: dict[str, Any]) -> Feedback:
    """The record whose columns are `values` (the rest None), in `session` as if loaded.

    Built as a load builds it (its dict filled directly), not through `Feedback(...)`,
    whose attribute events for each column cost more than the insert's own execution.
    """
    row: Feedback = Feedback.__mapper__.class_manager.new_instance()
    row.__dict__.update(_NONE, **values)
    make_transient_to_detached(row)
    session.add(row)
    return row


_NONE = dict.fromkeys(column.key for column in Feedback.__table__.columns)


@cache
def _insert(names: tuple[str, ...], carrying: bool = False) -> Any:
    """The INSERT of a record whose `names` are bound by name, with its `nth` computed
    (`rules.nth_of_new`), returning its id and standing; `carrying` the repeat key."""
    table = Feedback.__table__
    row = {name: bindparam(name, type_=table.c[name].type) for name in names}
    row["nth"] = nth_of_new()
    statement = repeats.carrying(table, row) if carrying else insert(table).values(row)
    return statement.returning(table.c.id, *standing_columns())


def by_token(session: Session, team_id: str, user_id: str, token: str) -> Feedback | None:
    """The record a form with this token saved, when `user_id` saved it; None when no form
    with it was saved. Someone else's token is refused: it shows nothing of theirs."""
    row = session.scalar(
        select(Feedback).where(Feedback.team_id == team_id, Feedback.token == token)
    )
    if row is not None and not visibility.may_act(user_id, row):
        raise Refusal(NOT_YOURS)
    return row


def owned(session: Session, team_id: str, user_id: str, record_id: int) -> Feedback:
    """The record `user_id` wants to act on; refused when it is gone or not theirs."""
    row = session.get(Feedback, record_id, populate_existing=True) if _in_range(record_id) else None
    if row is None or row.team_id != team_id:
        raise Refusal(GONE)
    if not visibility.may_act(user_id, row):
        raise Refusal(NOT_YOURS)
    return row


def answerable(session: Session, team_id: str, user_id: str, record_id: int) -> Feedback:
    """The record `user_id` wants to answer; refused when it is gone or not theirs to answer
    (`bot.visibility.may_answer`)."""
    row = session.get(Feedback, record_id, populate_existing=True) if _in_range(record_id) else None
    if row is None or row.team_id != team_id:
        raise Refusal(GONE)
    if not visibility.may_answer(user_id, row):
        raise Refusal(NOT_TO_YOU)
    return row


def owned_many(
    session: Session, team_id: str, user_id: str, record_ids: Iterable[int]
) -> list[Feedback]:
    """The records among `record_ids` that still exist, in that order, when all are the
    actor's; any record they may not act on refuses the lot."""
    ids = [i for i in dict.fromkeys(record_ids) if _in_range(i)]
    found = {
        row.id: row
        for row in session.scalars(
            select(Feedback).where(Feedback.team_id == team_id, Feedback.id.in_(ids))
        )
    }
    rows = [found[i] for i in ids if i in found]
    if not all(visibility.may_act(user_id, row) for row in rows):
        raise Refusal(NOT_YOURS)
    return rows


def _change(
    session: Session, row: Feedback, unless_done: ColumnElement[bool], **values: Any
) -> bool:
    """Set `values` on `row` while `unless_done` holds; False when it no longer did (it was
    done before, or by a request racing this one). `row` is read again either way."""
    changed = session.execute(
        update(Feedback)
        .where(Feedback.id == row.id, unless_done)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    session.refresh(row)
    return changed.rowcount == 1


def request_send(session: Session, row: Feedback, now: datetime) -> bool:
    """Note that the giver asked for the record to be sent; False when they had already."""
    return _change(session, row, Feedback.send_requested_at.is_(None), send_requested_at=now)


def undo(session: Session, row: Feedback) -> bool:
    """Delete a record that was not sent; False when it was (it stays)."""
    if row.send_requested_at is not None:
        return False
    gone = session.execute(
        delete(Feedback)
        .where(Feedback.id == row.id, Feedback.send_requested_at.is_(None))
        .execution_options(synchronize_session=False)
    )
    if gone.rowcount != 1:
        return False
    session.expunge(row)
    return True


def mark_told(session: Session, row: Feedback, at: datetime) -> bool:
    """The giver told the person in person, `at`; False when they had heard it already."""
    unheard = and_(Feedback.told_at.is_(None), Feedback.delivered_at.is_(None))
    return _change(session, row, unheard, told_at=at)


def keep(session: Session, row: Feedback, now: datetime) -> bool:
    """ "Keep to myself": never ask about delivering it again; False when already kept."""
    return _change(session, row, Feedback.kept_at.is_(None), kept_at=now)


def share(session: Session, row: Feedback, manager_id: str, now: datetime) -> bool:
    """Let the subject's manager `manager_id` see the record; False when they already could."""
    not_yet = or_(Feedback.shared_with_id.is_(None), Feedback.shared_with_id != manager_id)
    return _change(session, row, not_yet, shared_with_id=manager_id, shared_at=now)


def set_kind(session: Session, row: Feedback, kind: Kind) -> bool:
    """Mark a note as praise or a redirect; False when it already had a kind (it keeps it)."""
    return _change(session, row, Feedback.kind == Kind.NOTE.value, kind=kind.value)


def respond(
    session: Session, row: Feedback, response: Response, comment: str, now: datetime
) -> bool:
    """Store the person's answer, once; False when they had answered already.

    *Thanks* closes the record (discussed): the person heard it and took it. *Let's talk*
    is discussed once a 1:1 wrap-up covers it (`mark_discussed`); *I see it differently*
    leaves it open: the two of them have more to say.
    """
    values: dict[str, Any] = {
        "response": response.value,
        "response_text": comment.strip()[:MAX_COMMENT] or None,
        "responded_at": now,
    }
    if response is Response.THANKS:
        values["discussed_at"] = now
    return _change(session, row, Feedback.response.is_(None), **values)


def mark_discussed(
    session: Session, team_id: str, record_ids: Iterable[int], now: datetime
) -> None:
    """A 1:1 covered these records (their *Let's talk* items): they are discussed."""
    ids = [i for i in record_ids if _in_range(i)]
    if not ids:
        return
    session.execute(
        update(Feedback)
        .where(Feedback.team_id == team_id, Feedback.id.in_(ids), Feedback.discussed_at.is_(None))
        .values(discussed_at=now)
        .execution_options(synchronize_session=False)
    )


def delivered_message(session: Session, row: Feedback) -> tuple[str | None, str | None]:
    """Where the DM that delivered `row` is in Slack (channel, ts), as the outbox noted."""
    sent = session.scalar(
        select(OutboxMessage).where(
            OutboxMessage.team_id == row.team_id,
            OutboxMessage.recipient_id == row.about_id,
            OutboxMessage.kind == DM_KIND,
            OutboxMessage.subject == str(row.id),
        )
    )
    return (sent.channel, sent.ts) if sent is not None else (None, None)


def sending_reminder(session: Session, row: Feedback) -> tuple[OutboxMessage, list[int]] | None:
    """The reminder of what was unsaid through which the giver sent `row` (a DM Sprout
    posted to them, as the outbox noted it), with the ids of the records its buttons named;
    None when `row` was sent another way (a confirmation only the giver saw, or a form)."""
    reminders = session.scalars(
        select(OutboxMessage)
        .where(
            OutboxMessage.team_id == row.team_id,
            OutboxMessage.recipient_id == row.giver_id,
            OutboxMessage.kind == UNSENT_KIND,
            OutboxMessage.subject == row.about_id,
            OutboxMessage.ts.is_not(None),
        )
        .order_by(OutboxMessage.id.desc())
    )
    for reminder in reminders:
        ids = _named(reminder.payload)
        if row.id in ids:
            return reminder, ids
    return None


def _named(payload: dict) -> list[int]:
    """The record ids a reminder's buttons name (written by us, in the outbox)."""
    for block in payload.get("blocks") or []:
        for element in block.get("elements") or []:
            if element.get("action_id") == UNSENT_SEND:
                value = str(element.get("value") or "")
                return [int(part) for part in value.split(",") if part.isdigit()]
    return []


def ask(
    session: Session,
    *,
    team_id: str,
    asker_id: str,
    asked_id: str,
    topic: str,
    question: str,
    now: datetime,
) -> FeedbackAsk:
    """Store one request for feedback (flushed, so it has an id)."""
    row = FeedbackAsk(
        team_id=team_id,
        asker_id=asker_id,
        asked_id=asked_id,
        topic=topic,
        question=question,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row


def asked_of(session: Session, team_id: str, user_id: str, ask_id: int) -> FeedbackAsk:
    """The request `user_id` was asked (a claim from a button or a form); refused when it
    is gone or was asked of someone else."""
    row = session.get(FeedbackAsk, ask_id) if _in_range(ask_id) else None
    if row is None or row.team_id != team_id:
        raise Refusal(ASK_GONE)
    if row.asked_id != user_id or not user_id:
        raise Refusal(ASK_NOT_YOURS)
    return row


def answer_ask(session: Session, request: FeedbackAsk, row: Feedback, now: datetime) -> None:
    """`row` answers `request`: its asker hears it's an answer once it reaches them."""
    row.ask_id = request.id
    if request.answered_at is None:
        request.answered_at = now
    session.flush()


def attach_link(session: Session, row: Feedback, link: str) -> bool:
    """Note the (checked) link to the message the record is about, unless it has one."""
    return _change(session, row, Feedback.source_link.is_(None), source_link=link[:MAX_LINK])


def mark_delivered(session: Session, row: OutboxMessage, sent_at: datetime) -> None:
    """Outbox hook: the DM went out, so from now on its subject may see the record."""
    if not row.subject.isdigit():
        return
    session.execute(
        update(Feedback)
        .where(
            Feedback.id == int(row.subject),
            Feedback.team_id == row.team_id,
            Feedback.delivered_at.is_(None),
        )
        .values(delivered_at=sent_at)
        .execution_options(synchronize_session=False)
    )
