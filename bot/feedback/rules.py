"""The rules of feedback: its kinds and limits, who it can be about, the redirect ladder,
the advice after recording, and what a link to a message must look like.

The redirect ladder counts the redirects about the same person on the same topic
within `LADDER_WINDOW` of now that the person heard (sent, or told in person), this one
included, among those the giver may see (so the count never reveals feedback hidden
from them). One the person never heard is "not yet told" and does not climb it: a
pattern is a pattern only once it has been discussed. A redirect without a topic
is not grouped with anything: unrelated issues must not climb the ladder together,
so it always gets the first, supportive rung, with a hint to add a #topic.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import cache
from typing import Any, Protocol
from urllib.parse import urlsplit

from sqlalchemy import (
    ColumnElement,
    ScalarSelect,
    Select,
    and_,
    bindparam,
    func,
    literal_column,
    select,
)
from sqlalchemy.orm import Session

from bot import visibility
from bot.models import Feedback, Member, ReportingLine

MAX_TEXT = 3000
MAX_PEOPLE = 10
MAX_LINK = 500  # the column's size; a permalink is far shorter
LADDER_WINDOW = timedelta(days=90)
DM_KIND = "feedback"  # outbox kind of the DM that delivers a record to its subject
UNSENT_KIND = "feedback_unsent"  # outbox kind of the one reminder of what is still unsaid
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


class Response(StrEnum):
    """The person's answer to feedback Sprout delivered."""

    THANKS = "thanks"
    TALK = "talk"  # "Let's talk about it": an item for their next 1:1, when they have one
    DIFFER = "differ"  # "I see it differently", with an optional comment


MAX_COMMENT = 1000
FEEDBACK_SOURCE = "feedback"  # a *Let's talk* on a 1:1 agenda (`source_ref`: the record's id)
ASK_KIND = "feedback_ask"  # outbox kind of the DM asking someone for feedback
ASK_REMINDER_KIND = "feedback_ask_reminder"  # its one reminder: a nudge, capped
ANSWER_KIND = "feedback_answer"  # outbox kind of the DM that tells the giver the answer


class Origin(StrEnum):
    """Where a record was given: the command, the form, or the form opened on a message."""

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


class Unsuitable(StrEnum):
    """Why a person cannot receive feedback."""

    SELF = "self"
    BOT = "bot"
    DELETED = "deleted"
    UNKNOWN = "unknown"


def judge_people(
    giver_id: str, people: Sequence[str], members: Mapping[str, Member | None]
) -> dict[str, Unsuitable]:
    """Why each unsuitable person cannot receive feedback; absent means fine."""
    unsuitable: dict[str, Unsuitable] = {}
    for user_id in people:
        member = members.get(user_id)
        if user_id == giver_id:
            unsuitable[user_id] = Unsuitable.SELF
        elif member is None:
            unsuitable[user_id] = Unsuitable.UNKNOWN
        elif member.is_bot:
            unsuitable[user_id] = Unsuitable.BOT
        elif member.deleted:
            unsuitable[user_id] = Unsuitable.DELETED
    return unsuitable


class ShareOffer(StrEnum):
    """What the confirmation offers for the subject's manager."""

    SHARE = "share"  # they have heard it (or it is on its way): share it
    SEND_AND_SHARE = "send_and_share"  # not yet: send it to them, and share it


def share_offer(row: Feedback, manager_id: str | None) -> ShareOffer | None:
    """What to offer about the subject's manager: nothing when nobody else manages the
    subject, it is shared already, or it is a note (notes stay their author's)."""
    if (
        manager_id is None
        or manager_id == row.giver_id
        or row.shared_with_id == manager_id
        or row.kind == Kind.NOTE
    ):
        return None
    if visibility.has_reached(row) or row.send_requested_at is not None:
        return ShareOffer.SHARE
    return ShareOffer.SEND_AND_SHARE


# --- delivery: whether the person has heard it -------------------------------------------


class State(StrEnum):
    """Where a record stands with the person it is about."""

    KEPT = "kept"  # only the giver knows
    SENDING = "sending"  # the giver sent it; Slack has not taken it yet
    SENT = "sent"  # Sprout delivered it
    TOLD = "told"  # the giver told them in person
    DISCUSSED = "discussed"  # a response (or a 1:1) closed it


TOLD_WALL_TIME = time(12, 0)  # a day the giver picked is read as noon, their time


def told_day(picked: str, today: date) -> date | None:
    """The day a giver says they told the person (`YYYY-MM-DD`, from a date picker: a
    claim), when it is today or within the ladder's window before; else None."""
    try:
        day = date.fromisoformat(picked)
    except ValueError:
        return None
    return day if today - timedelta(days=LADDER_WINDOW.days) <= day <= today else None


def offers_told(row: Feedback) -> bool:
    """Offer "I told them" on praise and redirects the person has not heard yet."""
    return row.kind != Kind.NOTE and not visibility.has_reached(row)


def state_of(row: Feedback) -> State:
    if row.discussed_at is not None:
        return State.DISCUSSED
    if row.delivered_at is not None:
        return State.SENT
    if row.told_at is not None:
        return State.TOLD
    if row.send_requested_at is not None:
        return State.SENDING
    return State.KEPT


# --- the link to the message feedback is about -------------------------------------------

PERMALINK_PATH = re.compile(r"/archives/(?P<channel>[A-Z0-9]+)/p(?P<ts>\d{6,20})")
PERMALINK_QUERY = re.compile(r"[\w.=&%-]*")
SLACK_HOST = re.compile(r"[a-z0-9][a-z0-9-]*(?:\.[a-z0-9][a-z0-9-]*)*\.slack\.com")


@dataclass(frozen=True)
class Permalink:
    """Where a Slack message link points: the workspace's host, the channel, the ts."""

    host: str
    channel: str
    ts: str  # digits only, as in the link


def read_permalink(url: str | None) -> Permalink | None:
    """`https://<workspace>.slack.com/archives/<channel>/p<ts>` (a thread's query allowed),
    read; None for any other address."""
    if not url or len(url) > MAX_LINK:
        return None
    link = urlsplit(url)
    path = PERMALINK_PATH.fullmatch(link.path)
    if (
        link.scheme != "https"
        or not SLACK_HOST.fullmatch(link.netloc)  # no user, password or port either
        or path is None
        or not PERMALINK_QUERY.fullmatch(link.query)
        or link.fragment
    ):
        return None
    return Permalink(link.netloc, path["channel"], path["ts"])


def message_link(
    permalink: str | None, workspace_url: str | None, channel: str, ts: str
) -> str | None:
    """`permalink` when it is Slack's link to the message `channel`/`ts` in the actor's own
    workspace (whose address is `workspace_url`); None for anything else, which is then
    never stored nor shown."""
    read = read_permalink(permalink)
    home = urlsplit(workspace_url or "")
    if (
        read is None
        or home.scheme != "https"
        or read.host != home.netloc.lower()
        or read.channel != channel
        or read.ts != ts.replace(".", "")
    ):
        return None
    return permalink


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


@dataclass(frozen=True)
class LadderCount:
    """The redirects on one topic: those the person heard (this one included, as the one
    being given now) and the giver's others the person has not heard yet."""

    heard: int
    unsaid: int = 0


def redirect_count(session: Session, row: Feedback, now: datetime) -> LadderCount:
    """How many redirects on this one's topic the person has heard within the window, this
    one included, among those the giver may see; and how many more they have not heard.
    A redirect without a topic stands alone: always 1."""
    if not row.topic:
        return LadderCount(1)
    heard = visibility.reached_filter()
    counted = session.execute(
        select(heard, func.count())
        .select_from(Feedback)
        .where(
            Feedback.team_id == row.team_id,
            Feedback.id != row.id,
            ladder_filter(row.about_id, row.topic, now),
            visibility.visible_filter(row.giver_id),
        )
        .group_by(heard)
    )
    by_heard = {bool(key): int(count) for key, count in counted}
    return LadderCount(by_heard.get(True, 0) + 1, by_heard.get(False, 0))


@dataclass(frozen=True)
class Guidance:
    """What to tell the giver after recording: a ladder rung, a praise tip, or a question."""

    kind: Kind
    rung: Rung | None = None
    count: int = 0
    topic: str = ""
    rotate: int = 0  # which variant of the wording: moves on with each record of this kind
    unsaid: int = 0  # more redirects on the topic that the person has not heard yet
    peer: bool = False  # the giver does not manage the person: a colleague's advice
    manager_id: str | None = None  # the person's manager right now, read with the rest


@dataclass(frozen=True)
class Standing:
    """Where a record stands as it is saved: the person's manager right now, and how many
    records of this kind the giver saved before it (which wording of the tip comes next)."""

    manager_id: str | None
    before: int


def guidance(
    session: Session, row: Feedback, now: datetime, standing: Standing | None = None
) -> Guidance:
    """What to suggest to the giver; the wording rotates through the giver's own records,
    so someone who gives praise often does not read the same tip every time. The ladder
    climbs on what the person heard; a colleague never gets a manager's rungs.
    `standing`: as the record's insert returned it (else read here)."""
    kind = Kind(row.kind)
    if standing is None:
        manager_id, before = session.execute(_standing_of_one(), {"id": row.id}).one()
        standing = Standing(manager_id, before)
    manager_id, rotate = standing.manager_id, standing.before
    if kind is Kind.REDIRECT:
        count = redirect_count(session, row, now)
        peer = manager_id != row.giver_id
        rung = rung_for(count.heard)
        return Guidance(kind, rung, count.heard, row.topic, rotate, count.unsaid, peer, manager_id)
    return Guidance(kind, rotate=rotate, manager_id=manager_id)


def standing_columns() -> tuple[ScalarSelect[Any], ColumnElement[int]]:
    """`Standing` as two columns about the row named `feedback`: the one an INSERT just
    wrote, in its RETURNING (the record and its standing in one round trip), or the one
    a SELECT reads. On the tables, past the ORM: this runs on every saved record."""
    lines = ReportingLine.__table__.c
    row = {name: literal_column(f"feedback.{name}") for name in ("team_id", "about_id", "nth")}
    manager = select(lines.manager_id).where(
        lines.team_id == row["team_id"], lines.report_id == row["about_id"]
    )
    return manager.scalar_subquery(), func.coalesce(row["nth"], 0)


def nth_of_new() -> ColumnElement[int]:
    """`Feedback.nth` of a record being inserted, whose `team_id`, `giver_id` and `kind`
    are bound by those names: one more than the giver's latest record of the kind (0 for
    their first), read through `ix_feedback_giver_kind` rather than counted, so a save
    costs the same after a thousand records as after one. Two saved at the same moment
    may share a number: the same tip twice, nothing worse."""
    earlier = Feedback.__table__.alias("earlier").c
    latest = (
        select(earlier.nth + 1)
        .where(
            earlier.team_id == bindparam("team_id"),
            earlier.giver_id == bindparam("giver_id"),
            earlier.kind == bindparam("kind"),
        )
        .order_by(earlier.id.desc())
        .limit(1)
    )
    return func.coalesce(latest.scalar_subquery(), 0)


@cache
def _standing_of_one() -> Select[tuple[str | None, int]]:
    records = Feedback.__table__
    return select(*standing_columns()).select_from(records).where(records.c.id == bindparam("id"))
