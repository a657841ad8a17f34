"""Feedback: recording it, the redirect ladder, and what the giver can do next.

Functions that take a Session work inside the caller's transaction; the rest are
plain functions of their arguments (and `now`).

The redirect ladder counts the redirects about the same person on the same topic
within `LADDER_WINDOW` of now, this one included, among those the giver may see
(so the count never reveals feedback hidden from them). A redirect without a topic
is not grouped with anything: unrelated issues must not climb the ladder together,
so it always gets the first, supportive rung, with a hint to add a #topic.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, update
from sqlalchemy.orm import Session

from bot import blocks, outbox, user_text, visibility
from bot.models import Feedback, Member, OutboxMessage
from bot.prompts import mention, render
from bot.teams import manager_of

MAX_TEXT = 3000
MAX_PEOPLE = 10
LADDER_WINDOW = timedelta(days=90)
DM_KIND = "feedback"  # outbox kind of the DM that delivers a record to its subject
TOPIC = re.compile(r"[\w-]{1,40}")


class Kind(StrEnum):
    PRAISE = "praise"
    REDIRECT = "redirect"
    NOTE = "note"


KIND_WORDS: dict[str, Kind] = {
    "praise": Kind.PRAISE,
    "+": Kind.PRAISE,
    "kudos": Kind.PRAISE,
    "redirect": Kind.REDIRECT,
    "-": Kind.REDIRECT,
    "improve": Kind.REDIRECT,
    "note": Kind.NOTE,
}


class Source(StrEnum):
    COMMAND = "command"
    MODAL = "modal"
    SHORTCUT = "shortcut"


def kind_from_word(word: str) -> Kind | None:
    return KIND_WORDS.get(word.lower().rstrip(":,"))


def normalize_topic(raw: str) -> str | None:
    """`#Handoffs` -> `handoffs`; "" for no topic; None when it is not one word."""
    word = raw.strip().removeprefix("#")
    if not word:
        return "" if not raw.strip() else None
    return word.lower() if TOPIC.fullmatch(word) else None


def new_token() -> str:
    return uuid.uuid4().hex


# --- who feedback can be about -----------------------------------------------------------


class Refusal(StrEnum):
    SELF = "self"
    BOT = "bot"
    DELETED = "deleted"
    UNKNOWN = "unknown"


def judge_people(
    giver_id: str, people: Sequence[str], members: Mapping[str, Member | None]
) -> dict[str, Refusal]:
    """Why each unsuitable person cannot receive feedback; absent means fine."""
    refused: dict[str, Refusal] = {}
    for user_id in people:
        member = members.get(user_id)
        if user_id == giver_id:
            refused[user_id] = Refusal.SELF
        elif member is None:
            refused[user_id] = Refusal.UNKNOWN
        elif member.is_bot:
            refused[user_id] = Refusal.BOT
        elif member.deleted:
            refused[user_id] = Refusal.DELETED
    return refused


# --- recording ----------------------------------------------------------------------------


def record(
    session: Session,
    *,
    team_id: str,
    giver_id: str,
    about_id: str,
    kind: Kind,
    topic: str,
    text: str,
    source: Source,
    now: datetime,
    token: str | None = None,
    source_link: str | None = None,
) -> Feedback:
    """Store one record in the caller's transaction (flushed, so it has an id)."""
    row = Feedback(
        team_id=team_id,
        giver_id=giver_id,
        about_id=about_id,
        kind=kind.value,
        topic=topic,
        text=text,
        source=source.value,
        source_link=source_link,
        token=token or new_token(),
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row


def by_token(session: Session, team_id: str, token: str) -> Feedback | None:
    return session.scalar(
        select(Feedback).where(Feedback.team_id == team_id, Feedback.token == token)
    )


# --- the redirect ladder ------------------------------------------------------------------


class Rung(StrEnum):
    SUPPORTIVE = "supportive"
    CURIOUS = "curious"
    ACTION_PLAN = "action_plan"


def rung_for(count: int) -> Rung:
    """1st redirect on a topic: supportive; 2nd: curious; 3rd and later: a written plan."""
    if count <= 1:
        return Rung.SUPPORTIVE
    if count == 2:
        return Rung.CURIOUS
    return Rung.ACTION_PLAN


class Countable(Protocol):
    about_id: str
    kind: str
    topic: str
    created_at: datetime


def counts_toward_ladder(candidate: Countable, about_id: str, topic: str, now: datetime) -> bool:
    """Whether `candidate` is a redirect on the same issue: same person, same topic, recent."""
    return (
        bool(topic)
        and candidate.kind == Kind.REDIRECT
        and candidate.about_id == about_id
        and candidate.topic == topic
        and candidate.created_at >= now - LADDER_WINDOW
    )


def ladder_filter(about_id: str, topic: str, now: datetime) -> ColumnElement[bool]:
    """`counts_toward_ladder` as a WHERE clause on Feedback."""
    return and_(
        Feedback.kind == Kind.REDIRECT.value,
        Feedback.about_id == about_id,
        Feedback.topic == topic,
        Feedback.created_at >= now - LADDER_WINDOW,
    )


def redirect_count(session: Session, row: Feedback, now: datetime) -> int:
    """How many redirects on this one's topic its giver has seen within the window, itself
    included. A redirect without a topic stands alone: always 1."""
    if not row.topic:
        return 1
    counted = session.scalar(
        select(func.count())
        .select_from(Feedback)
        .where(
            Feedback.team_id == row.team_id,
            ladder_filter(row.about_id, row.topic, now),
            visibility.visible_filter(row.giver_id),
        )
    )
    return max(1, int(counted or 0))


@dataclass(frozen=True)
class Guidance:
    """What to tell the giver after recording: a ladder rung, a praise tip, or a question."""

    kind: Kind
    rung: Rung | None = None
    count: int = 0
    topic: str = ""
    rotate: int = 0  # which variant of the wording: moves on with each record of this kind


def guidance(session: Session, row: Feedback, now: datetime) -> Guidance:
    """What to suggest to the giver; the wording rotates through the giver's own records,
    so someone who gives praise often does not read the same tip every time."""
    kind = Kind(row.kind)
    rotate = int(
        session.scalar(
            select(func.count())
            .select_from(Feedback)
            .where(
                Feedback.team_id == row.team_id,
                Feedback.giver_id == row.giver_id,
                Feedback.kind == row.kind,
                Feedback.id < row.id,
            )
        )
        or 0
    )
    if kind is Kind.REDIRECT:
        count = redirect_count(session, row, now)
        return Guidance(kind, rung_for(count), count, row.topic, rotate)
    return Guidance(kind, rotate=rotate)


# --- what the giver can do next -----------------------------------------------------------


class Outcome(StrEnum):
    DONE = "done"
    ALREADY = "already"  # it was done before: a double click, or a second try
    GONE = "gone"  # undone, or never existed
    NOT_YOURS = "not_yours"  # only the giver can act on a record
    TOO_LATE = "too_late"  # undo after it was sent
    NO_MANAGER = "no_manager"
    IS_MANAGER = "is_manager"  # the giver is the manager: nothing to share


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    record: Feedback | None = None
    outbox_id: int | None = None
    manager_id: str | None = None


def _own(session: Session, team_id: str, user_id: str, record_id: int) -> Result | None:
    """A Result to stop with when the record is gone or not the clicker's; else None."""
    row = session.get(Feedback, record_id, populate_existing=True)
    if row is None or row.team_id != team_id:
        return Result(Outcome.GONE)
    if row.giver_id != user_id:
        return Result(Outcome.NOT_YOURS)
    return None


def request_send(
    session: Session, team_id: str, user_id: str, record_id: int, now: datetime
) -> Result:
    """Queue the DM that delivers a record to its subject, once."""
    stop = _own(session, team_id, user_id, record_id)
    if stop is not None:
        return stop
    claimed = session.execute(
        update(Feedback)
        .where(Feedback.id == record_id, Feedback.send_requested_at.is_(None))
        .values(send_requested_at=now)
        .execution_options(synchronize_session=False)
    )
    row = session.get(Feedback, record_id, populate_existing=True)
    if row is None:
        return Result(Outcome.GONE)
    if claimed.rowcount != 1:
        return Result(Outcome.ALREADY, row)
    row_id = outbox.enqueue(session, delivery_dm(row, now), now)
    return Result(Outcome.DONE, row, row_id)


def delivery_dm(row: Feedback, now: datetime) -> outbox.Planned:
    """The DM to the person the feedback is about, naming who gave it."""
    giver = mention(row.giver_id)
    lead = render(f"feedback.dm.{row.kind}", rotate=row.id, giver=giver)
    body = [blocks.section(lead), *_quoted_sections(row.text)]
    if row.source_link:
        body.append(blocks.context(render("feedback.dm.source", url=row.source_link)))
    return outbox.Planned(
        team_id=row.team_id,
        recipient_id=row.about_id,
        kind=DM_KIND,
        subject=str(row.id),
        period="",  # one delivery per record, however often "Send" is pressed
        body=blocks.message(render("feedback.dm.fallback", giver=giver), body),
        not_before=now,
        reason=f"{row.giver_id} sent feedback {row.id}",
    )


def _quoted_sections(text: str) -> list[blocks.Block]:
    lines = str(user_text.quote(text)).split("\n")
    return blocks.sections_from_lines(lines)


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


def undo(session: Session, team_id: str, user_id: str, record_id: int) -> Result:
    """Delete a record its giver has not sent; a second undo finds nothing."""
    stop = _own(session, team_id, user_id, record_id)
    if stop is not None:
        return stop
    row = session.get(Feedback, record_id)
    if row is None:
        return Result(Outcome.GONE)
    if row.send_requested_at is not None:
        return Result(Outcome.TOO_LATE, row)
    gone = session.execute(
        delete(Feedback)
        .where(Feedback.id == record_id, Feedback.send_requested_at.is_(None))
        .execution_options(synchronize_session=False)
    )
    if gone.rowcount != 1:
        return Result(Outcome.TOO_LATE, row)
    session.expunge(row)
    return Result(Outcome.DONE, row)


def share(session: Session, team_id: str, user_id: str, record_id: int, now: datetime) -> Result:
    """Let the subject's current manager see a record."""
    stop = _own(session, team_id, user_id, record_id)
    if stop is not None:
        return stop
    row = session.get(Feedback, record_id)
    if row is None:
        return Result(Outcome.GONE)
    manager_id = manager_of(session, team_id, row.about_id)
    if manager_id is None:
        return Result(Outcome.NO_MANAGER, row)
    if manager_id == user_id:
        return Result(Outcome.IS_MANAGER, row, manager_id=manager_id)
    changed = session.execute(
        update(Feedback)
        .where(
            Feedback.id == record_id,
            or_(Feedback.shared_with_id.is_(None), Feedback.shared_with_id != manager_id),
        )
        .values(shared_with_id=manager_id, shared_at=now)
        .execution_options(synchronize_session=False)
    )
    session.refresh(row)
    outcome = Outcome.DONE if changed.rowcount == 1 else Outcome.ALREADY
    return Result(outcome, row, manager_id=manager_id)


def set_kind(session: Session, team_id: str, user_id: str, record_id: int, kind: Kind) -> Result:
    """Mark a note as praise or a redirect; a record that already has a kind keeps it."""
    stop = _own(session, team_id, user_id, record_id)
    if stop is not None:
        return stop
    changed = session.execute(
        update(Feedback)
        .where(Feedback.id == record_id, Feedback.kind == Kind.NOTE.value)
        .values(kind=kind.value)
        .execution_options(synchronize_session=False)
    )
    row = session.get(Feedback, record_id, populate_existing=True)
    if row is None:
        return Result(Outcome.GONE)
    return Result(Outcome.DONE if changed.rowcount == 1 else Outcome.ALREADY, row)


def offers_share(row: Feedback, manager_id: str | None) -> bool:
    """Offer "Share with their manager" only when someone else manages the subject."""
    return (
        manager_id is not None and manager_id != row.giver_id and row.shared_with_id != manager_id
    )
