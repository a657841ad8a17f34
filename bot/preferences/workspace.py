"""The defaults a workspace's people follow until they choose their own.

Each starts at its built-in value; a workspace admin may change it (stored on the workspace
row, in its `settings` column).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.models import Workspace

BUILT_IN_DEFAULTS: dict[str, Any] = {
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
    "company_days_off": [],  # ISO dates everyone in the workspace has off
    "team_consent": "ask",  # ask | admins_confirm | trust (see bot.config.TEAM_CONSENT_MODES)
    "pulse": False,  # the monthly upward pulse for every team (bot.pulse); a manager may opt in
    "baseline_review_months": 3,  # how often a manager is asked if a baseline still holds
    "pulse_min_answers": 5,  # answers before pulse results show; never below 5 (bot.pulse.rules)
}


def workspace_defaults(session: Session, team_id: str) -> dict[str, Any]:
    """The built-in defaults with this workspace's changes applied."""
    workspace = session.get(Workspace, team_id)
    changed = workspace.settings if workspace is not None else {}
    return {
        **BUILT_IN_DEFAULTS,
        **{k: v for k, v in (changed or {}).items() if k in BUILT_IN_DEFAULTS},
    }


def change_defaults(session: Session, team_id: str, wanted: dict[str, Any], now: datetime) -> bool:
    """Store the defaults in `wanted` that differ from today's; True if any did.

    Whether the person asking may do this is their use case's to check (admins only).
    """
    current = workspace_defaults(session, team_id)
    changes = {key: value for key, value in wanted.items() if current.get(key) != value}
    if not changes:
        return False
    workspace = session.get(Workspace, team_id)
    if workspace is None:
        workspace = Workspace(team_id=team_id, created_at=now, settings={})
        session.add(workspace)
    kept = {k: v for k, v in (workspace.settings or {}).items() if k in BUILT_IN_DEFAULTS}
    workspace.settings = {**kept, **changes}  # a new dict, so the JSON column sees the change
    return True
