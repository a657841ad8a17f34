"""`/checkin` and the buttons and note modal on the daily check-in DM."""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from slack_bolt import App
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import (
    blocks,
    checkins,
    events,
    home,
    outbox,
    priorities,
)
from bot.dates import DateError, snooze_last_day
from bot.db import transaction
from bot.models import Checkin, Priority
from bot.preferences import person as person_settings
from bot.preferences.workspace import workspace_defaults
from bot.prompts import Safe, render
from bot.refusal import Refusal
from bot.schedule import describe_days, hhmm, parse_days, parse_time
from bot.services import Services
from handlers.common import (
    actor_of,
    clicked_message,
    know_actor,
    now_of,
    services_of,
    update_message,
)

COMMAND = "/checkin"
NOTE_MODAL = "checkin_note_modal"
NOTE_LIMIT = 1000


def register(app: App) -> None:
    app.command(COMMAND)(checkin_command)
    app.action(re.compile(f"^{checkins.ANSWER}"))(on_answer)
    app.action(checkins.NO_CHANGES)(on_no_changes)
    app.action(checkins.NOTE)(on_note_button)
    app.view(NOTE_MODAL)(on_note_submit)


def _reply(text: str) -> dict[str, Any]:
    return blocks.message(text, [blocks.section(text)])


def _render(key: str, **values: Any) -> str:
    return render(f"checkin.{key}", **values)


# --- /checkin ---------------------------------------------------------------------------------


def checkin_command(ack: Any, command: dict[str, Any], respond: Any, context: Any) -> None:
    ack()
    services = services_of(context)
    team_id, user_id = command["team_id"], command["user_id"]
    now = now_of(context)
    know_actor(services, actor_of(context), now)
    verb, _, rest = command.get("text", "").strip().partition(" ")
    verb, rest = verb.lower(), rest.strip()
    try:
        if verb == "":
            text = send_now(services, team_id, user_id, now)
        elif verb in ("help", "settings", "?"):
            text = _render("command.usage", settings=describe(services, team_id, user_id, now))
        elif verb in ("time", "days", "snooze", "off", "on"):
            text = change_settings(services, team_id, user_id, verb, rest, now)
        else:
            text = (
                _render("command.unknown", word=verb[:30])
                + "\n\n"
                + _render("command.usage", settings=describe(services, team_id, user_id, now))
            )
    except Refusal as refusal:
        text = refusal.render()
    respond(response_type="ephemeral", replace_original=False, **_reply(text))


def describe(services: Services, team_id: str, user_id: str, now: datetime) -> str:
    with services.sessions() as session:
        schedule = person_settings.schedule_of(session, team_id, user_id)
    today = schedule.local_date(now)
    if schedule.checkins_off:
        state = _render("command.state_off")
    elif schedule.snoozed_until is not None and schedule.snoozed_until >= today:
        state = _render("command.state_snoozed", date=schedule.snoozed_until.isoformat())
    else:
        state = _render("command.state_on")
    return Safe(
        _render(
            "command.settings",
            state=state,
            time=hhmm(schedule.checkin_time),
            tz=schedule.tz,
            days=describe_days(schedule.work_days),
        )
    )


def send_now(services: Services, team_id: str, user_id: str, now: datetime) -> str:
    with transaction(services.sessions) as session:
        schedule = person_settings.schedule_of(session, team_id, user_id)
        checkin = checkins.create_now(session, team_id, user_id, schedule, now)
        if checkin is None:
            return _render("command.already_today")
        items = priorities.active(session, team_id, user_id)
        planned = outbox.Planned(
            team_id=team_id,
            recipient_id=user_id,
            kind=checkins.CHECKIN,
            subject="",
            period=checkin.local_date.isoformat(),
            body=checkins.checkin_message(checkin, items),
            not_before=now,
            reason="asked for with /checkin",
        )
        row_id = outbox.enqueue(session, planned, now)
        person_settings.refresh_next_checkin(session, team_id, user_id, now)
    if row_id is not None:
        services.deliverer.send_now([row_id])
    return _render("command.sent_now")


def change_settings(
    services: Services, team_id: str, user_id: str, verb: str, rest: str, now: datetime
) -> str:
    with transaction(services.sessions) as session:
        row = person_settings.ensure(session, team_id, user_id, now)
        schedule = person_settings.schedule_of(session, team_id, user_id)
        if verb == "time":
            value = parse_time(rest)
            if value is None:
                raise Refusal("checkin.command.bad_time", text=rest)
            row.checkin_time = hhmm(value)
            reply = _render("command.time_set", time=hhmm(value), tz=schedule.tz)
        elif verb == "days":
            mask = parse_days(rest)
            if mask is None:
                raise Refusal("checkin.command.bad_days", text=rest)
            if "1" not in mask:
                raise Refusal("checkin.command.no_days")
            row.work_days = mask
            reply = _render("command.days_set", days=describe_days(mask))
        elif verb == "snooze":
            until = snooze_last_day(rest, schedule.local_date(now), schedule.work_days)
            if isinstance(until, DateError):
                raise snooze_refusal(until, "checkin.command")
            row.snoozed_until = until
            reply = _render("command.snoozed", date=until.strftime("%a %-d %b %Y"))
        elif verb == "off":
            row.checkins_off = True
            reply = _render("command.off")
        else:
            row.checkins_off = False
            row.snoozed_until = None
            reply = _render(
                "command.on",
                time=hhmm(schedule.checkin_time),
                days=describe_days(schedule.work_days),
            )
        row.updated_at = now
        person_settings.refresh_next_checkin(session, team_id, user_id, now, from_now=True)
    home.refresh(services, team_id, [user_id], now)
    return reply


def snooze_refusal(error: DateError, prefix: str) -> Refusal:
    """A snooze that could not be read, in the words of the command that asked."""
    own = {"snooze_unreadable": "bad_snooze", "snooze_long": "long_snooze"}.get(error.key)
    if own:
        return Refusal(f"{prefix}.{own}")
    return Refusal("priority.date_refused", reason=Safe(error.render()))


# --- answering the check-in -------------------------------------------------------------------


def _items(session: Session, checkin: Checkin) -> list[Priority]:
    """What the check-in shows: active priorities, plus those it already closed."""
    answered = [int(k) for k in (checkin.answers or {}) if k.isdigit()]
    rows = session.scalars(
        select(Priority)
        .where(
            Priority.team_id == checkin.team_id,
            Priority.owner_id == checkin.user_id,
            (Priority.state == priorities.ACTIVE) | Priority.id.in_(answered or [-1]),
        )
        .order_by(Priority.created_at, Priority.id)
    )
    return list(rows)


def _current(session: Session, checkin: Checkin, now: datetime) -> dict[str, Any]:
    """The check-in message as it should look now, stale flags included."""
    items = _items(session, checkin)
    schedule = person_settings.schedule_of(session, checkin.team_id, checkin.user_id)
    after = workspace_defaults(session, checkin.team_id)["stale_after_working_days"]
    return checkins.checkin_message(
        checkin, items, checkins.stale_flags(items, schedule, now, after)
    )


def _own_checkin(session: Session, body: dict[str, Any], checkin_id: str) -> Checkin | None:
    checkin = session.get(Checkin, int(checkin_id)) if checkin_id.isdigit() else None
    if checkin is None or checkin.user_id != body["user"]["id"]:
        return None
    return checkin


def on_answer(
    ack: Any, body: dict[str, Any], action: dict[str, Any], client: Any, context: Any
) -> None:
    ack()
    services = services_of(context)
    now = now_of(context)
    checkin_id, _, rest = action.get("value", "").partition(":")
    priority_id, _, answer = rest.partition(":")
    if answer not in checkins.ANSWERS or not priority_id.isdigit():
        return
    with transaction(services.sessions) as session:
        checkin = _own_checkin(session, body, checkin_id)
        if checkin is None:
            return
        priority = session.get(Priority, int(priority_id))
        if priority is not None and priority.owner_id != checkin.user_id:
            priority = None
        if not checkins.record_answer(session, checkin, priority, answer, now):
            return  # a stale button on an old copy: the message already shows the answer
        message = _current(session, checkin, now)
    update_message(client, *clicked_message(body), message)
    home.refresh_with_manager(services, checkin.team_id, checkin.user_id, now)


def on_no_changes(
    ack: Any, body: dict[str, Any], action: dict[str, Any], client: Any, context: Any
) -> None:
    ack()
    services = services_of(context)
    now = now_of(context)
    with transaction(services.sessions) as session:
        checkin = _own_checkin(session, body, action.get("value", ""))
        if checkin is None:
            return
        active = priorities.active(session, checkin.team_id, checkin.user_id)
        checkins.record_no_changes(session, checkin, active, now)
        message = _current(session, checkin, now)
    update_message(client, *clicked_message(body), message)
    home.refresh_with_manager(services, checkin.team_id, checkin.user_id, now)


def on_note_button(
    ack: Any, body: dict[str, Any], action: dict[str, Any], client: Any, context: Any
) -> None:
    """Open the note modal first (the trigger_id expires in seconds), then nothing slow."""
    ack()
    services = services_of(context)
    with services.sessions() as session:
        checkin = _own_checkin(session, body, action.get("value", ""))
        if checkin is None:
            return
        active = priorities.active(session, checkin.team_id, checkin.user_id)
    channel, ts = clicked_message(body)
    client.views_open(
        trigger_id=body["trigger_id"], view=note_modal(checkin.id, active, channel, ts)
    )


def note_modal(
    checkin_id: int, active: list[Priority], channel: str | None, ts: str | None
) -> dict[str, Any]:
    options = [
        {"text": blocks.plain(f"{n}. {p.title}", 75), "value": str(p.id)}
        for n, p in enumerate(active[:100], start=1)
    ]
    inputs: list[dict[str, Any]] = []
    if options:
        inputs.append(
            {
                "type": "input",
                "block_id": "priority",
                "optional": True,
                "label": blocks.plain(_render("modal.priority_label")),
                "element": {
                    "type": "static_select",
                    "action_id": "value",
                    "placeholder": blocks.plain(_render("modal.priority_placeholder")),
                    "options": options,
                },
            }
        )
    inputs.append(
        {
            "type": "input",
            "block_id": "note",
            "label": blocks.plain(_render("modal.note_label")),
            "element": {
                "type": "plain_text_input",
                "action_id": "value",
                "multiline": True,
                "max_length": NOTE_LIMIT,
                "placeholder": blocks.plain(_render("modal.note_placeholder")),
            },
        }
    )
    inputs.append(
        {
            "type": "input",
            "block_id": "blocker",
            "optional": True,
            "label": blocks.plain(_render("modal.blocker_label")),
            "element": {
                "type": "checkboxes",
                "action_id": "value",
                "options": [
                    {"text": blocks.plain(_render("modal.blocker_label")), "value": "blocker"}
                ],
            },
        }
    )
    return {
        "type": "modal",
        "callback_id": NOTE_MODAL,
        "title": blocks.plain(_render("modal.title"), 24),
        "submit": blocks.plain(_render("modal.submit"), 24),
        "close": blocks.plain(_render("modal.close"), 24),
        "private_metadata": json.dumps({"checkin": checkin_id, "channel": channel, "ts": ts}),
        "blocks": inputs,
    }


def on_note_submit(
    ack: Any, body: dict[str, Any], view: dict[str, Any], client: Any, context: Any
) -> None:
    values = view.get("state", {}).get("values", {})
    note = ((values.get("note", {}).get("value", {}) or {}).get("value") or "").strip()
    if not note:
        ack(response_action="errors", errors={"note": _render("modal.empty_note")})
        return
    if len(note) > NOTE_LIMIT:
        ack(response_action="errors", errors={"note": _render("modal.long_note", limit=NOTE_LIMIT)})
        return
    ack()
    services = services_of(context)
    now = now_of(context)
    meta = json.loads(view.get("private_metadata") or "{}")
    chosen = (values.get("priority", {}).get("value", {}).get("selected_option") or {}).get("value")
    blocker = bool(values.get("blocker", {}).get("value", {}).get("selected_options"))
    with transaction(services.sessions) as session:
        checkin = _own_checkin(session, body, str(meta.get("checkin", "")))
        if checkin is None:
            return
        priority = session.get(Priority, int(chosen)) if chosen and chosen.isdigit() else None
        if priority is not None and (
            priority.owner_id != checkin.user_id or priority.state != priorities.ACTIVE
        ):
            priority = None
        apply_note(session, checkin, priority, note, blocker, now)
        message = _current(session, checkin, now)
    update_message(client, meta.get("channel"), meta.get("ts"), message)
    home.refresh_with_manager(services, checkin.team_id, checkin.user_id, now)


def apply_note(
    session: Session,
    checkin: Checkin,
    priority: Priority | None,
    note: str,
    blocker: bool,
    now: Any,
) -> None:
    """A note on a priority (blocked, if so ticked), or on the day when none was picked."""
    user = checkin.user_id
    if priority is not None and blocker:
        priorities.set_health(
            session, priority, priorities.BLOCKED, user, now, "checkin", note=note
        )
        answers = {**(checkin.answers or {}), str(priority.id): priorities.BLOCKED}
        checkin.answers = answers
    elif priority is not None:
        priorities.set_note(session, priority, note, user, now, "checkin")
    elif blocker:
        events.record(
            session,
            team_id=checkin.team_id,
            kind=events.BLOCKER,
            user_id=user,
            actor_id=user,
            now=now,
            detail={"note": note},
        )
    checkins.record_note(checkin, note, now)
