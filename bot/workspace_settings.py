"""Workspace-wide defaults, overridable per workspace (stored on the workspace row)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from bot.models import Workspace

DEFAULTS: dict[str, Any] = {
    "max_active_priorities": 5,
    "checkin_time": "09:30",
    "work_days": "1111100",
    "work_start": "09:00",
    "work_end": "18:00",
    "nudge_time": "10:00",
    "feedback_gap_days": 7,
    "stale_after_working_days": 5,
    "daily_nudge_cap": 3,
    "summary_day": 4,  # Friday
    "summary_time": "15:00",
    "team_consent": "ask",  # ask | admins_confirm | trust (see bot.config.TEAM_CONSENT_MODES)
}


def get(session: Session, team_id: str) -> dict[str, Any]:
    """The defaults with this workspace's overrides applied."""
    workspace = session.get(Workspace, team_id)
    overrides = workspace.settings if workspace is not None else {}
    return {**DEFAULTS, **{k: v for k, v in (overrides or {}).items() if k in DEFAULTS}}
