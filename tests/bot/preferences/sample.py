"""The form as one person opens it, for the form and view tests."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from bot.preferences.form import Prefill
from bot.preferences.workspace import BUILT_IN_DEFAULTS
from bot.schedule import Schedule

NOW = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
SCHEDULE = Schedule(
    tz="Asia/Kolkata",
    checkin_time=time(8, 45),
    work_days="0111110",
    work_start=time(8, 0),
    work_end=time(17, 0),
    nudge_time=time(9, 15),
    summary_day=3,
    summary_time=time(16, 0),
)


def prefill(admin: bool = False, **changes: Any) -> Prefill:
    """What the form opens with: SCHEDULE in Kolkata; the workspace part for an admin."""
    values: dict[str, Any] = {
        "schedule": SCHEDULE,
        "tz_override": None,
        "slack_tz": "Asia/Kolkata",
        "workspace": BUILT_IN_DEFAULTS if admin else None,
        "now": NOW,
        **changes,
    }
    return Prefill(**values)
