"""What a pair brings to their one-on-one: items either of them adds, items other features
bring up, the agreements of last time, and the report's priorities worth a word.

`bring_up` is the hook for other features (a "Let's talk" answer to feedback, an action-plan
step coming due): each adds its item once, named by its own `source` and `source_ref`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session

from bot import teams
from bot.db import insert_ignoring_duplicates
from bot.feedback import store as feedback_store
from bot.feedback.rules import FEEDBACK_SOURCE
from bot.models import AgendaItem, Agreement, Priority, WrapUp
from bot.prompts import mention
from bot.refusal import Refusal

PERSON = "person"  # an item typed by the manager or the report
ITEM_LIMIT = 300


@dataclass(frozen=True)
class Pair:
    """A manager and one report whose reporting line was accepted."""

    team_id: str
    manager_id: str
    report_id: str

    @property
    def group(self) -> str:
        """The outbox recipient of what both see: their group DM with Sprout."""
        return f"{self.manager_id},{self.report_id}"

    @property
    def key(self) -> str:
        return f"{self.manager_id}:{self.report_id}"

    def has(self, user_id: str) -> bool:
        return user_id in (self.manager_id, self.report_id)

    def columns(self) -> dict[str, str]:
        """The pair as the columns every one-on-one table keys on."""
        return {"team_id": self.team_id, "manager_id": self.manager_id, "report_id": self.report_id}

    def rows_of(self, model: Any) -> tuple[ColumnElement[bool], ...]:
        """WHERE clauses: `model`'s rows of this pair."""
        return tuple(getattr(model, name) == value for name, value in self.columns().items())


def pair_of(session: Session, team_id: str, actor_id: str, other_id: str) -> Pair:
    """The pair of `actor_id` and `other_id`, whichever of them manages the other."""
    if other_id == actor_id:
        raise Refusal("oneonone.refuse.self")
    if teams.manager_of(session, team_id, other_id) == actor_id:
        return Pair(team_id, actor_id, other_id)
    if teams.manager_of(session, team_id, actor_id) == other_id:
        return Pair(team_id, other_id, actor_id)
    raise Refusal("oneonone.refuse.not_a_pair", person=mention(other_id))


def pair_from_claim(session: Session, team_id: str, actor_id: str, claim: str) -> Pair:
    """The pair a button or form names ("manager:report"), if the actor is in it and the
    reporting line still holds."""
    manager_id, _, report_id = claim.partition(":")
    if not manager_id or not report_id or actor_id not in (manager_id, report_id):
        raise Refusal("oneonone.refuse.not_yours")
    if teams.manager_of(session, team_id, report_id) != manager_id:
        raise Refusal("oneonone.refuse.not_yours")
    return Pair(team_id, manager_id, report_id)


def clean_item(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        raise Refusal("oneonone.refuse.empty_item")
    if len(text) > ITEM_LIMIT:
        raise Refusal("oneonone.refuse.long_item", length=len(text), limit=ITEM_LIMIT)
    return text


def add_item(session: Session, pair: Pair, author_id: str, text: str, now: datetime) -> None:
    """An item typed by one of the pair, for their next one-on-one."""
    session.add(
        AgendaItem(
            **pair.columns(),
            author_id=author_id,
            text=clean_item(text),
            source=PERSON,
            created_at=now,
        )
    )
    session.flush()


def bring_up(
    session: Session,
    team_id: str,
    report_id: str,
    *,
    author_id: str,
    text: str,
    source: str,
    source_ref: str,
    now: datetime,
) -> bool:
    """For other features: put `text` on the agenda of `report_id`'s next one-on-one with
    their current manager, once per (`source`, `source_ref`). False when they have no
    manager or it was brought up already."""
    manager_id = teams.manager_of(session, team_id, report_id)
    if manager_id is None:
        return False
    values = {
        "team_id": team_id,
        "manager_id": manager_id,
        "report_id": report_id,
        "author_id": author_id,
        "text": " ".join(text.split())[:ITEM_LIMIT],
        "source": source,
        "source_ref": source_ref,
        "created_at": now,
    }
    keys = ["team_id", "manager_id", "report_id", "source", "source_ref"]
    return insert_ignoring_duplicates(session, AgendaItem, values, keys, AgendaItem.id) is not None


def open_items(session: Session, pair: Pair) -> list[AgendaItem]:
    """Items not yet covered by a wrap-up, oldest first."""
    return list(
        session.scalars(
            select(AgendaItem)
            .where(*pair.rows_of(AgendaItem), AgendaItem.covered_at.is_(None))
            .order_by(AgendaItem.created_at, AgendaItem.id)
        )
    )


def cover_items(session: Session, pair: Pair, now: datetime) -> None:
    """A wrap-up: what was open has been talked about (feedback someone wanted to talk
    about is discussed from now on)."""
    feedback_refs = session.scalars(
        select(AgendaItem.source_ref).where(
            *pair.rows_of(AgendaItem),
            AgendaItem.covered_at.is_(None),
            AgendaItem.source == FEEDBACK_SOURCE,
        )
    ).all()
    ids = [int(ref) for ref in feedback_refs if ref and ref.isascii() and ref.isdigit()]
    feedback_store.mark_discussed(session, pair.team_id, ids, now)
    session.execute(
        update(AgendaItem)
        .where(*pair.rows_of(AgendaItem), AgendaItem.covered_at.is_(None))
        .values(covered_at=now)
        .execution_options(synchronize_session=False)
    )


def last_agreements(
    session: Session, pair: Pair, before: str
) -> list[tuple[Agreement, Priority | None]]:
    """The agreements of the latest wrapped-up meeting before occurrence `before`, each with
    the priority that tracks it (None when it was erased)."""
    latest = session.scalar(
        select(Agreement.occurrence)
        .where(*pair.rows_of(Agreement), Agreement.occurrence < before)
        .order_by(Agreement.occurrence.desc())
        .limit(1)
    )
    if latest is None:
        return []
    rows = session.scalars(
        select(Agreement)
        .where(*pair.rows_of(Agreement), Agreement.occurrence == latest)
        .order_by(Agreement.id)
    )
    return [
        (row, session.get(Priority, row.priority_id) if row.priority_id else None) for row in rows
    ]


def last_note(session: Session, pair: Pair, author_id: str, before: str) -> WrapUp | None:
    """`author_id`'s own note from their latest wrap-up before occurrence `before`."""
    return session.scalar(
        select(WrapUp)
        .where(
            *pair.rows_of(WrapUp),
            WrapUp.author_id == author_id,
            WrapUp.occurrence < before,
            WrapUp.note != "",
        )
        .order_by(WrapUp.occurrence.desc())
        .limit(1)
    )
