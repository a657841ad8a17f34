"""The settings modal: opened by `/coach settings` or "Change settings" on Home; saved here.

After a save the modal turns into a short confirmation (the next check-in time), Home is
republished, and the schedule is recomputed: the person's next check-in and digest, and,
when an admin changed the workspace defaults, everyone's in the workspace.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_bolt import App
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import home, person_settings, settings_form, teams, workspace_settings
from bot.db import transaction
from bot.models import Member, PersonSettings, ReportingLine, Workspace
from bot.schedule import hhmm
from bot.services import Services
from bot.settings_form import Personal
from handlers.common import now_of, services_of


def register(app: App) -> None:
    app.view(settings_form.CALLBACK_ID)(on_submit)
    app.action(home.OPEN_SETTINGS)(on_open_from_home)


def open_modal(
    services: Services, client: Any, team_id: str, user_id: str, trigger: str, now: datetime
) -> None:
    """Open the form; only database reads come before it (the trigger lasts about 3 s)."""
    with services.sessions() as session:
        shown = settings_form.current(session, team_id, user_id, now)
    client.views_open(trigger_id=trigger, view=settings_form.modal(shown))


def on_open_from_home(ack: Any, body: dict[str, Any], client: Any, context: Any) -> None:
    ack()
    team_id = body["user"].get("team_id") or body["team"]["id"]
    open_modal(
        services_of(context),
        client,
        team_id,
        body["user"]["id"],
        body["trigger_id"],
        now_of(context),
    )


def on_submit(ack: Any, body: dict[str, Any], view: dict[str, Any], context: Any) -> None:
    services = services_of(context)
    now = now_of(context)
    team_id = body["user"].get("team_id") or body["team"]["id"]
    user_id = body["user"]["id"]
    with services.sessions() as session:
        member = session.get(Member, (team_id, user_id))
        is_admin = member is not None and member.is_admin
    submission = settings_form.read(view.get("state", {}).get("values", {}), is_admin=is_admin)
    if submission.errors or submission.personal is None:
        ack(response_action="errors", errors=submission.errors)
        return
    with transaction(services.sessions) as session:
        changed = save(session, team_id, user_id, submission.personal, submission.workspace, now)
        row = reschedule(session, team_id, user_id, now)
        schedule = person_settings.schedule_of(session, team_id, user_id)
        has_manager = teams.manager_of(session, team_id, user_id) is not None
        saved = settings_form.saved_view(
            schedule, row.next_checkin_at, has_manager=has_manager, workspace_changed=changed
        )
    ack(response_action="update", view=saved)
    if changed:
        reschedule_workspace(services, team_id, now)
    home.refresh(services, team_id, [user_id], now)


def save(
    session: Session,
    team_id: str,
    user_id: str,
    personal: Personal,
    workspace: dict[str, Any] | None,
    now: datetime,
) -> bool:
    """Store what changed; True if the workspace defaults changed.

    A personal field is stored only when it differs from what the form showed (the
    person's own value or the workspace default), so untouched fields keep following
    the workspace defaults.
    """
    before = person_settings.schedule_of(session, team_id, user_id)
    row = person_settings.ensure(session, team_id, user_id, now)
    shown = {
        "checkin_time": hhmm(before.checkin_time),
        "work_days": before.work_days,
        "work_start": hhmm(before.work_start),
        "work_end": hhmm(before.work_end),
        "nudge_time": hhmm(before.nudge_time),
        "summary_day": before.summary_day,
        "summary_time": hhmm(before.summary_time),
    }
    for name, old in shown.items():
        new = getattr(personal, name)
        if new != old:
            setattr(row, name, new)
    row.tz_override = personal.tz_override
    row.updated_at = now
    if not workspace:
        return False
    current = workspace_settings.get(session, team_id)
    changes = {key: value for key, value in workspace.items() if current.get(key) != value}
    if not changes:
        return False
    ws = session.get(Workspace, team_id)
    if ws is None:
        ws = Workspace(team_id=team_id, created_at=now, settings={})
        session.add(ws)
    kept = {k: v for k, v in (ws.settings or {}).items() if k in workspace_settings.DEFAULTS}
    ws.settings = {**kept, **changes}  # a new dict, so the JSON column sees the change
    return True


def _is_manager(session: Session, team_id: str, user_id: str) -> bool:
    return (
        session.scalar(
            select(ReportingLine.report_id)
            .where(ReportingLine.team_id == team_id, ReportingLine.manager_id == user_id)
            .limit(1)
        )
        is not None
    )


def reschedule(session: Session, team_id: str, user_id: str, now: datetime) -> PersonSettings:
    """The person's next check-in, and their next digest and summary if they manage anyone.

    A changed time counts from now on: no catch-up of a check-in whose new time just passed.
    A summary already sent this week is not sent again at its new time (the outbox key).
    """
    session.flush()
    row = person_settings.refresh_next_checkin(session, team_id, user_id, now, from_now=True)
    if _is_manager(session, team_id, user_id):
        person_settings.refresh_next_digest(session, team_id, user_id, now)
        person_settings.refresh_next_summary(session, team_id, user_id, now)
    return row


def reschedule_workspace(services: Services, team_id: str, now: datetime) -> None:
    """New workspace defaults move everyone's next check-in and digest (after the ack)."""
    with transaction(services.sessions) as session:
        people = list(
            session.scalars(select(PersonSettings.user_id).where(PersonSettings.team_id == team_id))
        )
        for user_id in people:
            reschedule(session, team_id, user_id, now)
