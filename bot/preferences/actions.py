"""What people do with their preferences: open the form, save it, and snooze nudges.

Each is a use case (`bot.usecase`): it takes the session, the actor and `now`, checks what
the actor may do, writes, and says what to show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from bot import days_off, teams
from bot.models import Member, PersonSettings
from bot.preferences import form
from bot.preferences.person import (
    ensure,
    refresh_next_digest,
    reschedule,
    reschedule_everyone,
    schedule_of,
    snooze_last_day_of,
    store_choices,
)
from bot.preferences.views import form_view, saved_view
from bot.preferences.workspace import change_defaults, workspace_defaults
from bot.prompts import render
from bot.refusal import Refusal
from bot.usecase import Actor, Outcome

RESUME_WORDS = ("off", "stop", "resume", "end")


@dataclass(frozen=True)
class FormAnswer:
    """What Slack is told about a submitted form: per-field `errors`, or the `view` it
    becomes; `workspace_changed` when everyone's schedule must follow new defaults."""

    errors: dict[str, str]
    view: dict[str, Any] | None = None
    workspace_changed: bool = False


def open_form(session: Session, actor: Actor, *, now: datetime) -> Outcome:
    """The preferences form, prefilled (workspace defaults too, for an admin): the view."""
    row = session.get(PersonSettings, (actor.team_id, actor.user_id))
    member = session.get(Member, (actor.team_id, actor.user_id))
    shown = form.Prefill(
        schedule=schedule_of(session, actor.team_id, actor.user_id),
        tz_override=row.tz_override if row is not None else None,
        slack_tz=member.tz if member is not None else "UTC",
        workspace=workspace_defaults(session, actor.team_id) if _is_admin(member) else None,
        now=now,
        holiday_choice=row.holiday_country if row is not None else None,
        zone_country=days_off.country_of(member.tz if member is not None else "UTC"),
    )
    return Outcome(value=form_view(shown))


def save_form(session: Session, actor: Actor, values: dict[str, Any], *, now: datetime) -> Outcome:
    """Store what the actor chose (`values`: the form's submitted state); value: a FormAnswer.

    Workspace defaults are taken from admins only; anyone else who sends them (a forged
    form, or someone who stopped being an admin) gets an error on each such field, and
    nothing at all is saved.
    """
    is_admin = _is_admin(session.get(Member, (actor.team_id, actor.user_id)))
    manages = bool(teams.reports_of(session, actor.team_id, actor.user_id))
    submission = form.read(values, is_admin=is_admin, manages=manages)
    if submission.errors or submission.person is None:
        return Outcome(refused=True, value=FormAnswer(errors=submission.errors))
    team_id, user_id = actor.team_id, actor.user_id
    store_choices(session, team_id, user_id, submission.person, now)
    changed = submission.workspace is not None and change_defaults(
        session, team_id, submission.workspace, now
    )
    row = reschedule(session, team_id, user_id, now)
    view = saved_view(
        schedule_of(session, team_id, user_id),
        row.next_checkin_at,
        has_manager=teams.manager_of(session, team_id, user_id) is not None,
        workspace_changed=changed,
    )
    return Outcome(value=FormAnswer({}, view, changed), homes=[user_id])


def follow_new_defaults(session: Session, actor: Actor, *, now: datetime) -> Outcome:
    """After an admin saved new workspace defaults: everyone's next check-in and digest
    move to follow them. Run after the form has its answer (it may touch many people)."""
    if not _is_admin(session.get(Member, (actor.team_id, actor.user_id))):
        raise Refusal("settings.errors.admin_only")
    reschedule_everyone(session, actor.team_id, now)
    return Outcome()


def snooze_nudges(session: Session, actor: Actor, text: str, *, now: datetime) -> Outcome:
    """`/coach snooze 1w`: no nudges to the actor for a while; `/coach snooze off` ends it."""
    team_id, user_id = actor.team_id, actor.user_id
    schedule = schedule_of(session, team_id, user_id)
    row = ensure(session, team_id, user_id, now)
    if text.lower() in RESUME_WORDS:
        row.nudges_snoozed_until = None
        reply = render("coach.resumed")
    else:
        back = snooze_last_day_of(text, schedule, now, "coach") + timedelta(days=1)
        row.nudges_snoozed_until = schedule.at(back, time(0, 0))
        reply = render("coach.snoozed", until=back.strftime("%a %-d %b"))
    row.updated_at = now
    session.flush()
    refresh_next_digest(session, team_id, user_id, now)
    return Outcome(text=reply, homes=[user_id])


def _is_admin(member: Member | None) -> bool:
    return member is not None and member.is_admin
