"""The rules of feedback: its kinds and limits, who it can be about, the redirect ladder,
the advice after recording, and what a link to a message must look like.

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
from urllib.parse import urlsplit

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from bot import visibility
from bot.models import Feedback, Member

MAX_TEXT = 3000
MAX_PEOPLE = 10
MAX_LINK = 500  # the column's size; a permalink is far shorter
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
