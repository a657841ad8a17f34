"""`/coach`: help for every command, the settings modal, and snoozing nudges."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from slack_bolt import App

from bot import blocks, home, outbox, person_settings, summary, teams
from bot.dates import DateError, snooze_last_day
from bot.db import transaction
from bot.prompts import render
from bot.refusal import Refusal
from bot.services import Services
from handlers.checkin import snooze_refusal
from handlers.common import actor_of, know_actor, now_of, services_of
from handlers.settings import open_modal

COMMAND = "/coach"


def register(app: App) -> None:
    app.command(COMMAND)(coach_command)


def coach_command(
    ack: Any, command: dict[str, Any], respond: Any, client: Any, context: Any
) -> None:
    ack()
    services = services_of(context)
    team_id, user_id = command["team_id"], command["user_id"]
    verb, _, rest = command.get("text", "").strip().partition(" ")
    verb = verb.lower()
    if verb == "settings":  # the modal first, while the trigger_id is fresh
        open_modal(services, client, team_id, user_id, command["trigger_id"], now_of(context))
        return
    now = now_of(context)
    know_actor(services, actor_of(context), now)
    try:
        if verb in ("", "help", "?"):
            text = render("coach.usage")
        elif verb == "summary":
            text = send_summary(services, team_id, user_id, now)
        elif verb == "snooze":
            text = snooze(services, team_id, user_id, rest.strip(), now)
        else:
            text = render("coach.unknown", word=verb[:30]) + "\n\n" + render("coach.usage")
    except Refusal as refusal:
        text = refusal.render()
    respond(
        response_type="ephemeral",
        replace_original=False,
        **blocks.message(text, [blocks.section(text)]),
    )


def snooze(services: Services, team_id: str, user_id: str, text: str, now: datetime) -> str:
    with transaction(services.sessions) as session:
        row = person_settings.ensure(session, team_id, user_id, now)
        schedule = person_settings.schedule_of(session, team_id, user_id)
        if text.lower() in ("off", "stop", "resume", "end"):
            row.nudges_snoozed_until = None
            reply = render("coach.resumed")
        else:
            last = snooze_last_day(text, schedule.local_date(now), schedule.work_days)
            if isinstance(last, DateError):
                raise snooze_refusal(last, "coach")
            row.nudges_snoozed_until = schedule.at(last + timedelta(days=1), time(0, 0))
            reply = render("coach.snoozed", until=(last + timedelta(days=1)).strftime("%a %-d %b"))
        row.updated_at = now
        session.flush()
        person_settings.refresh_next_digest(session, team_id, user_id, now)
    home.refresh(services, team_id, [user_id], now)
    return reply


def send_summary(services: Services, team_id: str, user_id: str, now: datetime) -> str:
    """A preview of this week's summary, now; the scheduled one still comes."""
    with transaction(services.sessions) as session:
        if not teams.reports_of(session, team_id, user_id):
            return render("coach.summary_no_team")
        row_id = outbox.enqueue(session, summary.preview(session, team_id, user_id, now), now)
    if row_id is not None:
        services.deliverer.send_now([row_id])
    return render("coach.summary_sent")
