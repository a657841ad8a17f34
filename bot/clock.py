"""Time as an input: every decision takes `now`; only the edges ask the clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    """The real current instant, aware and in UTC."""
    return datetime.now(UTC)


def require_aware(now: datetime) -> datetime:
    """Reject naive datetimes early: mixing them with aware ones is a classic crash."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError(f"expected an aware datetime, got naive {now!r}")
    return now.astimezone(UTC)


def parse_instant(text: str) -> datetime:
    """Parse an ISO 8601 instant such as 2026-12-01T14:30:00Z; a zone is required."""
    value = datetime.fromisoformat(text.strip().replace("z", "Z").replace("Z", "+00:00"))
    return require_aware(value)
