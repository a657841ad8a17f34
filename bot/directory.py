"""The member directory: what Slack says about each person, cached.

Slack is asked (users.info) only for people we do not know or whose entry is stale,
and never while a database transaction is open, so a slow Slack never holds a lock.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.db import insert_ignoring_duplicates, transaction
from bot.models import Member, PersonSettings
from bot.preferences import person
from bot.schedule import is_away

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(hours=24)
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


def lookup_many(
    sessions: sessionmaker[Session],
    client: WebClient,
    team_id: str,
    user_ids: Iterable[str],
    now: datetime,
    *,
    max_age: timedelta = STALE_AFTER,
) -> dict[str, Member | None]:
    """Members by id, refreshed from Slack when unknown or older than `max_age`; None if
    Slack has no such user. `max_age=timedelta.max`: Slack is asked only about strangers."""
    ids = list(dict.fromkeys(user_ids))
    with sessions() as session:
        known = cached(session, team_id, ids)
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
    if fresh:
        with transaction(sessions) as session:
            for user in fresh.values():
                if user is not None:
                    upsert(session, team_id, user, now)
    with sessions() as session:
        result = cached(session, team_id, ids)
    gone = {user_id for user_id, user in fresh.items() if user is None}
    return {user_id: None if user_id in gone else result.get(user_id) for user_id in ids}


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
