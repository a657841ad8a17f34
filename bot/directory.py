"""The member directory: what Slack says about each person, cached.

Slack is asked (users.info) only for people we do not know or whose entry is stale,
and never while a database transaction is open, so a slow Slack never holds a lock.

Each process also keeps the entries it read in a `MemberCache` (on `Services`), so a
command about people it has seen lately reads nothing: a `user_change` event replaces an
entry, and every entry is read from the database again after `CACHE_TTL` (another process
may have handled the event).
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session, sessionmaker

from bot.db import insert_ignoring_duplicates, transaction
from bot.models import Member, PersonSettings
from bot.preferences import person
from bot.schedule import is_away

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(hours=24)
CACHE_TTL = timedelta(minutes=1)  # how long this process trusts an entry without reading it
CACHE_SIZE = 50_000  # entries kept per process; the least recently stored go first
SLACKBOT = "USLACKBOT"
_GONE = {"user_not_found", "users_not_found"}


def fields_from_slack(user: dict[str, Any]) -> dict[str, Any]:
    """Map a users.info / user_change user object onto Member columns."""
    profile = user.get("profile") or {}
    return {
        "name": (profile.get("display_name") or user.get("name") or "")[:200],
        "real_name": (user.get("real_name") or profile.get("real_name") or "")[:200],
        "tz": valid_tz(user.get("tz")),
        "is_bot": bool(user.get("is_bot")) or user.get("id") == SLACKBOT,
        "deleted": bool(user.get("deleted")),
        "is_restricted": bool(user.get("is_restricted")),
        "is_ultra_restricted": bool(user.get("is_ultra_restricted")),
        "is_admin": bool(user.get("is_admin") or user.get("is_owner")),
        "away_until": away_until(profile),
    }


AWAY_INDEFINITELY = datetime(9999, 12, 31, tzinfo=UTC)  # a status with no expiry


def away_until(profile: dict[str, Any]) -> datetime | None:
    """Until when a Slack status says someone is away; the status text itself is not kept."""
    text, emoji = profile.get("status_text") or "", profile.get("status_emoji") or ""
    if not is_away(text, emoji, 0, AWAY_INDEFINITELY):
        return None
    expiration = int(profile.get("status_expiration") or 0)
    return datetime.fromtimestamp(expiration, UTC) if expiration else AWAY_INDEFINITELY


def valid_tz(name: str | None) -> str:
    """Slack's tz, or UTC when it is missing or unknown to this machine."""
    if not name:
        return "UTC"
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        log.warning("unknown time zone %r from Slack; using UTC", name)
        return "UTC"
    return name


def upsert(session: Session, team_id: str, user: dict[str, Any], now: datetime) -> Member:
    """Store what Slack said about one person.

    Insert-or-ignore first, then update: two first requests from a new workspace racing
    to add the same person both succeed.
    """
    insert_ignoring_duplicates(
        session,
        Member,
        {"team_id": team_id, "user_id": user["id"], "fetched_at": now},
        ["team_id", "user_id"],
        Member.user_id,
    )
    member = session.get(Member, (team_id, user["id"]), populate_existing=True)
    assert member is not None  # inserted just now, or by whoever won the race
    for key, value in fields_from_slack(user).items():
        setattr(member, key, value)
    member.fetched_at = now
    if not member.deleted:
        member.unreachable = False
    return member


def cached(session: Session, team_id: str, user_ids: Iterable[str]) -> dict[str, Member]:
    ids = list(dict.fromkeys(user_ids))
    if not ids:
        return {}
    rows = session.scalars(
        select(Member).where(Member.team_id == team_id, Member.user_id.in_(ids))
    ).all()
    return {m.user_id: m for m in rows}


class MemberCache:
    """The members this process read lately, each with the instant it was read.

    Entries are detached copies, never attached to a session, so any thread may read
    them; nobody writes to them. An entry serves until `ttl` after it was read (by the
    request clock, `now`), or until `forget` (a `user_change` here).
    """

    def __init__(self, ttl: timedelta = CACHE_TTL, size: int = CACHE_SIZE) -> None:
        self._ttl = ttl
        self._size = size
        self._entries: OrderedDict[tuple[str, str], tuple[Member, datetime]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, team_id: str, user_ids: Iterable[str], now: datetime) -> dict[str, Member]:
        """The entries still trusted at `now`; ids not in the result must be read."""
        found: dict[str, Member] = {}
        with self._lock:
            for user_id in user_ids:
                entry = self._entries.get((team_id, user_id))
                if entry is not None and timedelta(0) <= now - entry[1] < self._ttl:
                    found[user_id] = entry[0]
        return found

    def put(self, team_id: str, members: Iterable[Member], now: datetime) -> None:
        copies = [_detached(member) for member in members]
        with self._lock:
            for member in copies:
                key = (team_id, member.user_id)
                self._entries.pop(key, None)
                self._entries[key] = (member, now)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)

    def forget(self, team_id: str, user_id: str) -> None:
        with self._lock:
            self._entries.pop((team_id, user_id), None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_COLUMNS = [attr.key for attr in inspect(Member).column_attrs]


def _detached(member: Member) -> Member:
    """A copy of `member` that belongs to no session (reading it never queries)."""
    return Member(**{key: getattr(member, key) for key in _COLUMNS})


def _known(
    sessions: sessionmaker[Session],
    cache: MemberCache | None,
    team_id: str,
    ids: list[str],
    now: datetime,
) -> dict[str, Member]:
    """What the directory holds of `ids`: from the cache, the rest from the database."""
    found = cache.get(team_id, ids, now) if cache is not None else {}
    missing = [user_id for user_id in ids if user_id not in found]
    if missing:
        with sessions() as session:
            read = cached(session, team_id, missing)
            if cache is not None:
                cache.put(team_id, read.values(), now)
                read = cache.get(team_id, read, now)
        found.update(read)
    return found


def local(
    sessions: sessionmaker[Session],
    cache: MemberCache | None,
    team_id: str,
    user_ids: Iterable[str],
    now: datetime,
    *,
    max_age: timedelta = STALE_AFTER,
) -> Mapping[str, Member] | None:
    """The members, when the directory knows every one of them and none is older than
    `max_age` (so `lookup_many` would not call Slack); else None."""
    ids = list(dict.fromkeys(user_ids))
    known = _known(sessions, cache, team_id, ids, now)
    if all(u in known and now - known[u].fetched_at < max_age for u in ids):
        return known
    return None


def lookup_many(
    sessions: sessionmaker[Session],
    client: WebClient,
    team_id: str,
    user_ids: Iterable[str],
    now: datetime,
    *,
    max_age: timedelta = STALE_AFTER,
    cache: MemberCache | None = None,
) -> dict[str, Member | None]:
    """Members by id, refreshed from Slack when unknown or older than `max_age`; None if
    Slack has no such user. `max_age=timedelta.max`: Slack is asked only about strangers.
    With a `cache`, people read lately are not read again."""
    ids = list(dict.fromkeys(user_ids))
    known = _known(sessions, cache, team_id, ids, now)
    fresh: dict[str, dict[str, Any] | None] = {}
    for user_id in ids:
        member = known.get(user_id)
        if member is not None and now - member.fetched_at < max_age:
            continue
        try:
            fresh[user_id] = client.users_info(user=user_id)["user"]
        except SlackApiError as error:
            if error.response.get("error") not in _GONE:
                if member is not None:  # Slack hiccup: a day-old entry beats failing the command
                    log.warning("users.info failed for %s: %s", user_id, error)
                    continue
                raise
            fresh[user_id] = None
    stored = [user for user in fresh.values() if user is not None]
    if stored:
        with transaction(sessions) as session:
            for user in stored:
                upsert(session, team_id, user, now)
        with sessions() as session:
            known.update(cached(session, team_id, [user["id"] for user in stored]))
            if cache is not None:
                cache.put(team_id, known.values(), now)
    gone = {user_id for user_id, user in fresh.items() if user is None}
    return {user_id: None if user_id in gone else known.get(user_id) for user_id in ids}


def user_changed(session: Session, team_id: str, user: dict[str, Any], now: datetime) -> None:
    """Slack says a person changed (name, zone, status, deactivation): keep their entry.

    `team_id` is the workspace the event was signed for; the user object's own `team_id`
    is only a claim and never picks another workspace's directory. A person who moved
    zones gets their check-ins at their new local time.
    """
    before = session.get(Member, (team_id, user["id"]))
    old_tz = before.tz if before is not None else None
    member = upsert(session, team_id, user, now)
    if old_tz != member.tz and session.get(PersonSettings, (team_id, user["id"])):
        person.refresh_next_checkin(session, team_id, user["id"], now)
