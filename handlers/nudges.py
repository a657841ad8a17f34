"""Buttons on nudges and digests: baseline held, remind me later, ask about a priority."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from slack_bolt import App

from bot import blocks, home, nudges, outbox, priorities, teams
from bot.db import transaction
from bot.feedback.form import Meta
from bot.feedback.views import form_modal
from bot.models import NudgeSnooze, Priority, ReportingLine
from bot.person_settings import schedule_of
from bot.prompts import mention, render
from bot.refusal import Refusal
from handlers.common import clicked_message, now_of, services_of, update_message

STATUS_REQUEST = "status_request_"


def register(app: App) -> None:
    app.action(nudges.BASELINE_HELD)(on_baseline_held)
    app.action(nudges.REMIND_LATER)(on_remind_later)
    app.action(re.compile(f"^{nudges.ASK_ABOUT}"))(on_ask_about)
    app.action(re.compile(f"^{STATUS_REQUEST}"))(on_status_answer)
    app.action(re.compile(f"^{nudges.GIVE_FEEDBACK}"))(on_give_feedback)


def _who(body: dict[str, Any]) -> tuple[str, str]:
    return body["user"].get("team_id") or body["team"]["id"], body["user"]["id"]


def _say(respond: Any, text: str) -> None:
    respond(
        response_type="ephemeral",
        replace_original=False,
        **blocks.message(text, [blocks.section(text)]),
    )


def _update(client: Any, body: dict[str, Any], text: str) -> None:
    update_message(client, *clicked_message(body), blocks.message(text, [blocks.section(text)]))


def on_baseline_held(
    ack: Any, body: dict[str, Any], action: dict[str, Any], client: Any, context: Any
) -> None:
    ack()
    services = services_of(context)
    team_id, manager_id = _who(body)
    report_id = action.get("value", "")
    with transaction(services.sessions) as session:
        line = session.get(ReportingLine, (team_id, report_id))
        if line is None or line.manager_id != manager_id:
            return
        line.baseline_held_at = line.baseline_held_at or now_of(context)
    _update(client, body, render("nudge.baseline_held", person=mention(report_id)))


def on_remind_later(
    ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any, context: Any
) -> None:
    ack()
    services = services_of(context)
    team_id, manager_id = _who(body)
    reason, _, user_id = action.get("value", "").partition(":")
    now = now_of(context)
    with transaction(services.sessions) as session:
        snooze = session.get(NudgeSnooze, (team_id, manager_id, user_id, reason))
        if snooze is None:
            session.add(
                NudgeSnooze(
                    team_id=team_id,
                    manager_id=manager_id,
                    user_id=user_id,
                    reason=reason,
                    until=now + nudges.REMIND_AFTER,
                )
            )
        else:
            snooze.until = now + nudges.REMIND_AFTER
    _say(respond, render("nudge.digest.reminded", person=mention(user_id)))


def on_ask_about(
    ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any, context: Any
) -> None:
    ack()
    services = services_of(context)
    team_id, manager_id = _who(body)
    now = now_of(context)
    value = action.get("value", "")
    row_id = None
    try:
        with transaction(services.sessions) as session:
            priority = session.get(Priority, int(value)) if value.isdigit() else None
            if priority is None or priority.team_id != team_id:
                raise Refusal("nudge.ask.gone")
            if teams.manager_of(session, team_id, priority.owner_id) != manager_id:
                raise Refusal("priority.refuse.not_your_report", person=mention(priority.owner_id))
            if priority.state != priorities.ACTIVE:
                raise Refusal("nudge.ask.gone")
            day = schedule_of(session, team_id, priority.owner_id).local_date(now)
            row_id = outbox.enqueue(
                session, nudges.status_request(priority, manager_id, now, day), now
            )
            text = render("nudge.ask.sent", person=mention(priority.owner_id), title=priority.title)
    except Refusal as refusal:
        text = refusal.render()
    if row_id is not None:
        services.deliverer.send_now([row_id])
    _say(respond, text)


def on_status_answer(
    ack: Any, body: dict[str, Any], action: dict[str, Any], client: Any, context: Any
) -> None:
    """The owner's one-tap answer to 'how is it going?'."""
    ack()
    services = services_of(context)
    team_id, user_id = _who(body)
    answer = action["action_id"].removeprefix(STATUS_REQUEST)
    value = action.get("value", "")
    now: datetime = now_of(context)
    with transaction(services.sessions) as session:
        priority = session.get(Priority, int(value)) if value.isdigit() else None
        if priority is None or priority.owner_id != user_id or priority.team_id != team_id:
            return
        if priority.state != priorities.ACTIVE:
            text = render("nudge.ask.gone")
        else:
            if answer == priorities.DONE:
                priorities.finish(
                    session, priority, priorities.DONE, user_id, now, "status_request"
                )
            elif answer in priorities.HEALTHS:
                priorities.set_health(session, priority, answer, user_id, now, "status_request")
            else:
                return
            text = render(
                "nudge.ask.answered",
                title=priority.title,
                answer=render(f"checkin.answered.{answer}"),
            )
    _update(client, body, text)
    home.refresh_with_manager(services, team_id, user_id, now)


def on_give_feedback(ack: Any, body: dict[str, Any], action: dict[str, Any], client: Any) -> None:
    """Open the feedback form prefilled from the nudge: first, before the trigger expires."""
    ack()
    try:
        data = json.loads(action.get("value") or "{}")
    except json.JSONDecodeError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    view = form_modal(
        Meta(),
        person=str(data.get("person") or "") or None,
        kind=str(data.get("kind") or "") or None,
        why=str(data.get("why") or "") or None,
        title=str(data.get("title") or ""),
    )
    client.views_open(trigger_id=body["trigger_id"], view=view)
