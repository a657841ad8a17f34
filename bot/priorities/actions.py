"""What people do with priorities: add, change, list, and press the buttons on them.

Each is a use case (`bot.usecase`): it takes the session, the actor and `now`, checks
that the actor may do it, decides, and returns what to show, the DMs to send and the
Home tabs to refresh. Who may touch which priority is decided here, once: a person
changes their own, and sets or reads those of the people who report to them.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from bot import nudges, teams
from bot.models import Priority
from bot.preferences.person import schedule_of
from bot.preferences.workspace import workspace_defaults
from bot.priorities import rules, views
from bot.priorities.text import Request, day_label, due_label, read_date, status_word
from bot.prompts import mention, render
from bot.refusal import Refusal
from bot.usecase import Actor, Outcome, queue_in_hours

CLEARS_DUE = ("none", "clear", "-")


class Press(StrEnum):
    """What a button on a priority asks for."""

    DONE = "done"
    DROP = "drop"
    STATUS = "status"


class Surface(StrEnum):
    """Where a button was pressed, as the priority's history records it."""

    LIST = "button"  # the `/priority` list
    HOME = "home"


# --- commands ---------------------------------------------------------------------------------


def add_priority(session: Session, actor: Actor, request: Request, *, now: datetime) -> Outcome:
    """`/priority add`: one for the actor, or for someone who reports to them (told by DM)."""
    owner = request.owner or actor.user_id
    if owner != actor.user_id:
        _check_manages(session, actor, owner)
    today, work_days = _today(session, actor, now)
    priority = rules.add(
        session,
        team_id=actor.team_id,
        owner_id=owner,
        actor_id=actor.user_id,
        title=request.title,
        due_on=read_date(request.due, today, work_days) if request.due else None,
        now=now,
        cap=_cap(session, actor),
    )
    due = due_label(priority, today)
    outcome = Outcome(homes=_owner_and_manager(session, priority))
    if owner == actor.user_id:
        number = len(rules.active(session, actor.team_id, owner))
        outcome.text = render("priority.done.added", title=priority.title, due=due, number=number)
    else:
        delegated = views.delegated(priority, due, now)  # held for the owner's working hours
        outcome.queue(queue_in_hours(session, delegated, actor.user_id, now))
        outcome.text = render(
            "priority.done.added_for", title=priority.title, due=due, owner=mention(owner)
        )
    return outcome


def change_priority(session: Session, actor: Actor, request: Request, *, now: datetime) -> Outcome:
    """`/priority done|drop|edit|due|status N ...`: the actor's own priority number N."""
    priority = rules.numbered(session, actor.team_id, actor.user_id, request.number or 0)
    title, user = priority.title, actor.user_id
    if request.verb == "done":
        rules.finish(session, priority, rules.DONE, user, now, "command")
        text = render("priority.done.finished", rotate=priority.id, title=title)
    elif request.verb == "drop":
        rules.finish(session, priority, rules.DROPPED, user, now, "command")
        text = render("priority.done.dropped", title=title)
    elif request.verb == "edit":
        rules.rename(session, priority, request.title, user, now)
        text = render("priority.done.renamed", title=priority.title)
    elif request.verb == "due" and request.word.lower() in CLEARS_DUE:
        rules.set_due(session, priority, None, user, now)
        text = render("priority.done.due_cleared", title=title)
    elif request.verb == "due":
        today, work_days = _today(session, actor, now)
        due = read_date(request.word, today, work_days)
        rules.set_due(session, priority, due, user, now)
        text = render("priority.done.due_set", title=title, date=day_label(due))
    else:
        health = rules.health_from_word(request.word)
        if health is None:
            raise Refusal("priority.needs_status", number=request.number)
        note = request.note or None
        heard = nudges.raises_urgent(priority, health, note)  # wave2-a: the report hears when
        rules.set_health(session, priority, health, user, now, "command", note=note)
        text = render("priority.done.status_set", title=title, status=status_word(health))
        text += "\n" + nudges.manager_hears(session, actor.team_id, user, now) if heard else ""
    return Outcome(text=text, homes=_owner_and_manager(session, priority))


def show_mine(session: Session, actor: Actor, *, now: datetime) -> Outcome:
    """`/priority`: the actor's active priorities, with buttons."""
    return Outcome(message=_own_list(session, actor, now))


def show_report(session: Session, actor: Actor, owner: str, *, now: datetime) -> Outcome:
    """`/priority list @name`: a report's priorities, for their manager only."""
    _check_manages(session, actor, owner)
    items = rules.active(session, actor.team_id, owner)
    viewer = schedule_of(session, actor.team_id, actor.user_id)
    owner_today = schedule_of(session, actor.team_id, owner).local_date(now)
    listing = views.report_list(owner, items, _cap(session, actor), viewer, owner_today, now)
    return Outcome(message=listing)


# --- buttons ----------------------------------------------------------------------------------


def press_on_list(
    session: Session, actor: Actor, press: Press, claim: str, *, now: datetime
) -> Outcome:
    """A button on the `/priority` list: what it did, above the list as it now stands.

    A press that cannot be done still answers with the list, with the reason on top.
    """
    try:
        priority, health = _claimed(session, actor, press, claim)
    except Refusal as refusal:  # judged before anything was written
        outcome = Outcome(text=refusal.render(), refused=True)
    else:
        outcome = _press(session, actor, press, priority, health, Surface.LIST, now)
    outcome.message = views.after_press(outcome.text, _own_list(session, actor, now))
    return outcome


def press_on_home(
    session: Session, actor: Actor, press: Press, claim: str, *, now: datetime
) -> Outcome:
    """A button on the actor's Home tab (perform it `at_home`: Home shows the outcome)."""
    priority, health = _claimed(session, actor, press, claim)
    return _press(session, actor, press, priority, health, Surface.HOME, now)


def _claimed(session: Session, actor: Actor, press: Press, claim: str) -> tuple[Priority, str]:
    """The priority a button's value names, and the health it picks (for a status menu).

    The value came back from Slack, so it is a claim: it must name the actor's own
    priority in this workspace, still active, and a health we know.
    """
    priority_id, _, health = claim.partition(":")
    priority = rules.named(session, actor.team_id, priority_id)
    if priority is None or priority.owner_id != actor.user_id:
        raise Refusal("priority.refuse.not_yours")
    if priority.state != rules.ACTIVE:
        raise Refusal("priority.refuse.gone")
    if press is Press.STATUS and health not in rules.HEALTHS:
        raise Refusal("priority.refuse.gone")
    return priority, health


def _press(
    session: Session,
    actor: Actor,
    press: Press,
    priority: Priority,
    health: str,
    surface: Surface,
    now: datetime,
) -> Outcome:
    user, title = actor.user_id, priority.title
    if press is Press.DONE:
        rules.finish(session, priority, rules.DONE, user, now, surface.value)
        text = render("priority.done.finished", rotate=priority.id, title=title)
    elif press is Press.DROP:
        rules.finish(session, priority, rules.DROPPED, user, now, surface.value)
        text = render("priority.done.dropped", title=title)
    else:
        heard = nudges.raises_urgent(priority, health)  # wave2-a: the report hears when
        rules.set_health(session, priority, health, user, now, surface.value)
        text = render("priority.done.status_set", title=title, status=status_word(health))
        text += "\n" + nudges.manager_hears(session, actor.team_id, user, now) if heard else ""
    return Outcome(text=text, homes=_owner_and_manager(session, priority))


# --- shared -----------------------------------------------------------------------------------


def _check_manages(session: Session, actor: Actor, owner: str) -> None:
    """Only a person's own manager sets or reads their priorities."""
    if teams.manager_of(session, actor.team_id, owner) != actor.user_id:
        raise Refusal("priority.refuse.not_your_report", person=mention(owner))


def _own_list(session: Session, actor: Actor, now: datetime) -> dict[str, Any]:
    items = rules.active(session, actor.team_id, actor.user_id)
    today, _ = _today(session, actor, now)
    return views.own_list(items, _cap(session, actor), today)


def _today(session: Session, actor: Actor, now: datetime) -> tuple[date, str]:
    """The actor's local date and working days: dates they type are read in their zone."""
    schedule = schedule_of(session, actor.team_id, actor.user_id)
    return schedule.local_date(now), schedule.work_days


def _cap(session: Session, actor: Actor) -> int:
    return workspace_defaults(session, actor.team_id)["max_active_priorities"]


def _owner_and_manager(session: Session, priority: Priority) -> list[str | None]:
    """Whose Home shows this priority: its owner's, and their manager's team view."""
    return [priority.owner_id, teams.manager_of(session, priority.team_id, priority.owner_id)]
