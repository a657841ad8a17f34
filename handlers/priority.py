"""`/priority` and the buttons on its list."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from slack_bolt import App
from sqlalchemy.orm import Session

from bot import blocks, home, outbox, priorities, teams
from bot.checkins import due_label, priority_line
from bot.dates import DateError, parse_due
from bot.db import transaction
from bot.models import Priority
from bot.preferences.person import schedule_of
from bot.preferences.workspace import workspace_defaults
from bot.priority_text import Request, parse
from bot.prompts import Safe, mention, render
from bot.refusal import Refusal
from bot.services import Services
from handlers.common import actor_of, know_actor, now_of, services_of

COMMAND = "/priority"
DONE, STATUS, DROP = "priority_done", "priority_status", "priority_drop"
READ_ONLY = ("", "help", "list")


def register(app: App) -> None:
    app.command(COMMAND)(priority_command)
    app.action(DONE)(on_done)
    app.action(DROP)(on_drop)
    app.action(STATUS)(on_status)


def _reply(text: str, with_usage: bool = False) -> dict[str, Any]:
    full = f"{text}\n\n{render('priority.usage')}" if with_usage else text
    return blocks.message(full, [blocks.section(full)])


def priority_command(ack: Any, command: dict[str, Any], respond: Any, context: Any) -> None:
    ack()
    services = services_of(context)
    team_id, user_id = command["team_id"], command["user_id"]
    now = now_of(context)
    know_actor(services, actor_of(context), now)
    try:
        request = parse(command.get("text", ""))
        reply = handle(services, team_id, user_id, request, now)
        if request.verb not in READ_ONLY:
            home.refresh_with_manager(services, team_id, request.owner or user_id, now)
    except Refusal as refusal:
        reply = _reply(refusal.render(), with_usage=refusal.key.startswith("priority.unknown"))
    respond(response_type="ephemeral", replace_original=False, **reply)


def handle(
    services: Services, team_id: str, user_id: str, request: Request, now: datetime
) -> dict[str, Any]:
    if request.verb == "help":
        return _reply(render("priority.usage"))
    if request.verb == "":
        return own_list(services, team_id, user_id, now)
    if request.verb == "list":
        return report_list(services, team_id, user_id, request.owner or "", now)
    if request.verb == "add":
        return add(services, team_id, user_id, request, now)
    return change(services, team_id, user_id, request, now)


def _today(session: Session, team_id: str, user_id: str, now: datetime) -> tuple[date, str]:
    schedule = schedule_of(session, team_id, user_id)
    return schedule.local_date(now), schedule.work_days


def _read_date(text: str, today: date, work_days: str) -> date:
    result = parse_due(text, today, work_days)
    if isinstance(result, DateError):
        raise Refusal("priority.date_refused", reason=Safe(result.render()))
    return result


def add(
    services: Services, team_id: str, user_id: str, request: Request, now: datetime
) -> dict[str, Any]:
    owner = request.owner or user_id
    with transaction(services.sessions) as session:
        if owner != user_id and teams.manager_of(session, team_id, owner) != user_id:
            raise Refusal("priority.refuse.not_your_report", person=mention(owner))
        today, work_days = _today(session, team_id, user_id, now)
        due = _read_date(request.due, today, work_days) if request.due else None
        cap = workspace_defaults(session, team_id)["max_active_priorities"]
        priority = priorities.add(
            session,
            team_id=team_id,
            owner_id=owner,
            actor_id=user_id,
            title=request.title,
            due_on=due,
            now=now,
            cap=cap,
        )
        number = len(priorities.active(session, team_id, owner))
        label = due_label(priority, today)
        row_id = None
        if owner != user_id:
            row_id = outbox.enqueue(session, delegated(priority, label, now), now)
    if row_id is not None:
        services.deliverer.send_now([row_id])
    if owner != user_id:
        return _reply(
            render("priority.done.added_for", title=priority.title, due=label, owner=mention(owner))
        )
    return _reply(render("priority.done.added", title=priority.title, due=label, number=number))


def delegated(priority: Priority, due: str, now: datetime) -> outbox.Planned:
    manager = mention(priority.created_by)
    body = render("priority.delegated.body", manager=manager, title=priority.title, due=due)
    return outbox.Planned(
        team_id=priority.team_id,
        recipient_id=priority.owner_id,
        kind="priority_delegated",
        subject=str(priority.id),
        period="",
        body=blocks.message(
            render("priority.delegated.text", manager=manager, title=priority.title),
            [blocks.section(body)],
        ),
        not_before=now,
        reason=f"{priority.created_by} set a priority for {priority.owner_id}",
    )


def change(
    services: Services, team_id: str, user_id: str, request: Request, now: datetime
) -> dict[str, Any]:
    with transaction(services.sessions) as session:
        priority = priorities.numbered(session, team_id, user_id, request.number or 0)
        title = priority.title
        if request.verb == "done":
            priorities.finish(session, priority, priorities.DONE, user_id, now, "command")
            return _reply(render("priority.done.finished", rotate=priority.id, title=title))
        if request.verb == "drop":
            priorities.finish(session, priority, priorities.DROPPED, user_id, now, "command")
            return _reply(render("priority.done.dropped", title=title))
        if request.verb == "edit":
            priorities.rename(session, priority, request.title, user_id, now)
            return _reply(render("priority.done.renamed", title=priority.title))
        if request.verb == "due":
            if request.word.lower() in ("none", "clear", "-"):
                priorities.set_due(session, priority, None, user_id, now)
                return _reply(render("priority.done.due_cleared", title=title))
            if not request.word:
                raise Refusal("priority.date_refused", reason=Safe(render("dates.missing")))
            today, work_days = _today(session, team_id, user_id, now)
            due = _read_date(request.word, today, work_days)
            priorities.set_due(session, priority, due, user_id, now)
            return _reply(
                render("priority.done.due_set", title=title, date=due.strftime("%a %-d %b"))
            )
        health = priorities.health_from_word(request.word)
        if health is None:
            raise Refusal("priority.needs_status", number=request.number)
        priorities.set_health(
            session, priority, health, user_id, now, "command", note=request.note or None
        )
        return _reply(
            render(
                "priority.done.status_set", title=title, status=render(f"priority.status.{health}")
            )
        )


# --- lists ------------------------------------------------------------------------------------


def own_list(services: Services, team_id: str, user_id: str, now: datetime) -> dict[str, Any]:
    with services.sessions() as session:
        items = priorities.active(session, team_id, user_id)
        limit = workspace_defaults(session, team_id)["max_active_priorities"]
        today, _ = _today(session, team_id, user_id, now)
    if not items:
        return _reply(render("priority.list.empty"))
    heading = render("priority.list.heading", count=len(items), limit=limit)
    body: list[blocks.Block] = [blocks.section(heading)]
    for number, priority in enumerate(items[:24], start=1):
        body.append(blocks.section(priority_line(number, priority, today)))
        body.append(_buttons(priority))
    return blocks.message(heading, body)


def report_list(
    services: Services, team_id: str, user_id: str, owner: str, now: datetime
) -> dict[str, Any]:
    with services.sessions() as session:
        if teams.manager_of(session, team_id, owner) != user_id:
            raise Refusal("priority.refuse.not_your_report", person=mention(owner))
        items = priorities.active(session, team_id, owner)
        limit = workspace_defaults(session, team_id)["max_active_priorities"]
        viewer = schedule_of(session, team_id, user_id)
    if not items:
        return _reply(render("priority.list.their_empty", owner=mention(owner)))
    heading = render(
        "priority.list.their_heading", owner=mention(owner), count=len(items), limit=limit
    )
    body: list[blocks.Block] = [blocks.section(heading)]
    for number, priority in enumerate(items[:40], start=1):
        body.append(blocks.section(priority_line(number, priority, viewer.local_date(now))))
        when = priority.touched_at.astimezone(viewer.zone).strftime("%a %-d %b %H:%M")
        body.append(
            blocks.context(
                render("priority.list.updated", when=when, who=mention(priority.updated_by))
            )
        )
    return blocks.message(heading, body)


def _buttons(priority: Priority) -> blocks.Block:
    value = str(priority.id)
    status = {
        "type": "static_select",
        "action_id": STATUS,
        "placeholder": blocks.plain(render("priority.list.status_placeholder")),
        "options": [
            {"text": blocks.plain(render(f"priority.status.{h}")), "value": f"{value}:{h}"}
            for h in priorities.HEALTHS
        ],
    }
    drop = blocks.button(render("priority.list.drop_button"), DROP, value, style="danger")
    drop["confirm"] = {
        "title": blocks.plain(render("priority.list.drop_confirm_title"), 100),
        "text": blocks.plain(render("priority.list.drop_confirm_text", title=priority.title), 300),
        "confirm": blocks.plain(render("priority.list.drop_confirm_yes"), 30),
        "deny": blocks.plain(render("priority.list.drop_confirm_no"), 30),
    }
    return blocks.actions(
        blocks.button(render("priority.list.done_button"), DONE, value, style="primary"),
        status,
        drop,
        block_id=f"priority_{value}",
    )


# --- buttons on the list ----------------------------------------------------------------------


def apply_to_own_priority(
    services: Services, body: dict[str, Any], apply: Any, now: datetime
) -> tuple[str, str, str]:
    """Run `apply` on the priority a button names, if it is the presser's and still active.

    Shared by the buttons on `/priority` and on the Home tab; returns (team, user, what to say).
    """
    user_id = body["user"]["id"]
    team_id = body["user"].get("team_id") or body["team"]["id"]
    action = body["actions"][0]
    raw = action.get("value") or (action.get("selected_option") or {}).get("value", "")
    priority_id, _, extra = raw.partition(":")
    try:
        with transaction(services.sessions) as session:
            priority = session.get(Priority, int(priority_id)) if priority_id.isdigit() else None
            if priority is None or priority.team_id != team_id or priority.owner_id != user_id:
                raise Refusal("priority.refuse.not_yours")
            if priority.state != priorities.ACTIVE:
                raise Refusal("priority.refuse.gone")
            note = apply(session, priority, user_id, now, extra)
    except Refusal as refusal:
        note = refusal.render()
    return team_id, user_id, note


def _on_button(body: dict[str, Any], context: Any, respond: Any, apply: Any) -> None:
    services, now = services_of(context), now_of(context)
    team_id, user_id, note = apply_to_own_priority(services, body, apply, now)
    home.refresh_with_manager(services, team_id, user_id, now)
    listing = own_list(services, team_id, user_id, now)
    text = f"{note}\n\n{listing['text']}"
    respond(
        replace_original=True,
        text=text,
        blocks=[blocks.context(note), *listing.get("blocks", [blocks.section(listing["text"])])][
            :50
        ],
    )


def on_done(ack: Any, body: dict[str, Any], context: Any, respond: Any) -> None:
    ack()

    def apply(session: Session, p: Priority, user: str, now: datetime, _: str) -> str:
        priorities.finish(session, p, priorities.DONE, user, now, "button")
        return render("priority.done.finished", rotate=p.id, title=p.title)

    _on_button(body, context, respond, apply)


def on_drop(ack: Any, body: dict[str, Any], context: Any, respond: Any) -> None:
    ack()

    def apply(session: Session, p: Priority, user: str, now: datetime, _: str) -> str:
        priorities.finish(session, p, priorities.DROPPED, user, now, "button")
        return render("priority.done.dropped", title=p.title)

    _on_button(body, context, respond, apply)


def on_status(ack: Any, body: dict[str, Any], context: Any, respond: Any) -> None:
    ack()

    def apply(session: Session, p: Priority, user: str, now: datetime, health: str) -> str:
        if health not in priorities.HEALTHS:
            raise Refusal("priority.refuse.gone")
        priorities.set_health(session, p, health, user, now, "button")
        return render(
            "priority.done.status_set", title=p.title, status=render(f"priority.status.{health}")
        )

    _on_button(body, context, respond, apply)
