"""What a manager and a report do with a focus: propose one, accept it or not now, tap
*Practised it today*, mark it done.

Each is a use case (`bot.usecase`). A button's focus id is a claim: the focus must be in
the actor's workspace, the actor one of its pair (the right one for the button), and the
reporting line between them must still hold.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot import outbox, teams
from bot.checkins.actions import message_sent_as
from bot.claims import claimed_id
from bot.db import insert_ignoring_duplicates
from bot.focus import store, views
from bot.focus.store import ACTIVE, DECLINED, DONE, PROPOSED
from bot.models import Focus, FocusPractice
from bot.preferences.person import schedule_of
from bot.prompts import mention, render
from bot.refusal import Refusal
from bot.usecase import Actor, Outcome, queue_in_hours
from bot.visibility import may_see_pair


def _pair(session: Session, actor: Actor, people: list[str]) -> tuple[str, str, str]:
    """(manager, report, the other one) for `/coach focus @name`."""
    if len(people) != 1:
        raise Refusal("focus.refuse.needs_mention")
    other = people[0]
    if other != actor.user_id:
        if teams.manager_of(session, actor.team_id, other) == actor.user_id:
            return actor.user_id, other, other
        if teams.manager_of(session, actor.team_id, actor.user_id) == other:
            return other, actor.user_id, other
    raise Refusal("focus.refuse.not_a_pair", person=mention(other))


def command(
    session: Session, actor: Actor, people: list[str], words: str, *, now: datetime
) -> Outcome:
    """`/coach focus @name` (show), `... done`, or `... <what to practise>` (propose)."""
    manager_id, report_id, other = _pair(session, actor, people)
    words = " ".join(words.split())
    focus = store.open_focus(session, actor.team_id, manager_id, report_id)
    if not words:
        practised = store.this_week(session, focus, now) if focus else 0
        return Outcome(text=views.shown(focus, other, practised))
    if words.lower() == "done":
        return _done(session, actor, focus, other, now)
    return _propose(session, actor, manager_id, report_id, other, focus, words, now)


def _propose(
    session: Session,
    actor: Actor,
    manager_id: str,
    report_id: str,
    other: str,
    focus: Focus | None,
    text: str,
    now: datetime,
) -> Outcome:
    if len(text) > views.TEXT_LIMIT:
        raise Refusal("focus.refuse.long", length=len(text), limit=views.TEXT_LIMIT)
    if focus is not None and focus.state == ACTIVE:
        person = mention(other)
        raise Refusal("focus.refuse.one_at_a_time", text=focus.text, person_plain=person)
    said = render("focus.propose.sent", person=mention(other), text=text)
    if focus is not None:  # a proposal not yet answered gives way to this one
        focus.state, focus.ended_at = DECLINED, now
        said += " " + render("focus.propose.replaced")
    row = Focus(
        team_id=actor.team_id,
        manager_id=manager_id,
        report_id=report_id,
        text=text,
        proposed_by=actor.user_id,
        state=PROPOSED,
        created_at=now,
    )
    session.add(row)
    session.flush()
    outcome = Outcome(text=said)
    outcome.queue(_dm(session, row, other, "focus_proposal", views.proposal_message(row), now))
    return outcome


def _dm(
    session: Session, focus: Focus, to: str, kind: str, body: dict, now: datetime, by: str = ""
) -> int | None:
    """A DM about `focus` to one of its pair, in their working hours."""
    planned = outbox.Planned(
        team_id=focus.team_id,
        recipient_id=to,
        kind=kind,
        subject=str(focus.id),
        period=now.date().isoformat() if kind == "focus_done" else "",
        body=body,
        not_before=now,
        reason=kind.replace("_", " "),
    )
    sender = by or (focus.manager_id if to == focus.report_id else focus.report_id)
    return queue_in_hours(session, planned, sender, now)


def _claimed(session: Session, actor: Actor, claim: str) -> Focus:
    """The focus a button names, if the actor is one of its pair and the line holds."""
    number = claimed_id(claim)
    focus = session.get(Focus, number) if number is not None else None
    if focus is None or focus.team_id != actor.team_id:
        raise Refusal("focus.refuse.gone")
    manager = teams.manager_of(session, actor.team_id, focus.report_id)
    if not may_see_pair(actor.user_id, focus, manager):
        raise Refusal("focus.refuse.gone")
    return focus


def answer(session: Session, actor: Actor, claim: str, accepted: bool, *, now: datetime) -> Outcome:
    """*Accept* or *Not now*, by the one who did not propose it; the proposer hears."""
    focus = _claimed(session, actor, claim)
    if focus.state != PROPOSED or actor.user_id == focus.proposed_by:
        raise Refusal("focus.refuse.gone")
    who = mention(actor.user_id)
    if accepted:
        if store.open_focus(session, focus.team_id, focus.manager_id, focus.report_id) != focus:
            raise Refusal("focus.refuse.gone")  # another is being practised already
        focus.state, focus.accepted_at = ACTIVE, now
        text = render("focus.answer.accepted", text=focus.text)
        notice = render("focus.answer.accepted_notice", person=who, text=focus.text)
    else:
        focus.state, focus.ended_at = DECLINED, now
        text = render("focus.answer.declined", person=mention(focus.proposed_by))
        notice = render("focus.answer.declined_notice", person=who, text=focus.text)
    outcome = Outcome(text=text, homes=[focus.manager_id, focus.report_id])
    kind = "focus_accepted" if accepted else "focus_declined"
    body = views.text_message(notice)
    outcome.queue(_dm(session, focus, focus.proposed_by, kind, body, now, by=actor.user_id))
    return outcome


def practise(
    session: Session, actor: Actor, claim: str, in_message: str = "", *, now: datetime
) -> Outcome:
    """*Practised it today*: one a day, however many taps, from whichever check-in. Pressed
    in a check-in (`in_message`: the ts of the DM clicked in, a claim), `message` is that
    check-in as it reads now and `value` where it is, as the outbox noted it: a tap on
    yesterday's check-in redraws yesterday's, not today's in its place."""
    focus = _claimed(session, actor, claim)
    if focus.state != ACTIVE or actor.user_id != focus.report_id:
        raise Refusal("focus.refuse.gone")
    day = schedule_of(session, actor.team_id, actor.user_id).local_date(now)
    values = {"focus_id": focus.id, "day": day, "team_id": focus.team_id, "at": now}
    new = insert_ignoring_duplicates(
        session, FocusPractice, values, ["focus_id", "day"], FocusPractice.focus_id
    )
    if new is None:
        outcome = Outcome(text=render("focus.checkin.noted_already"))
    else:
        text = render("focus.checkin.noted", text=focus.text)
        outcome = Outcome(text=text, homes=[focus.manager_id, focus.report_id])
    redrawn = message_sent_as(session, actor.team_id, actor.user_id, in_message, now)
    if redrawn is not None:
        outcome.message, outcome.value = redrawn.message, redrawn.value
    return outcome


def finish(session: Session, actor: Actor, claim: str, *, now: datetime) -> Outcome:
    """*Done* on Home, by either of the pair: as `/coach focus @name done`. The manager's
    *Give praise* comes as a DM, Home having no room for it."""
    focus = _claimed(session, actor, claim)
    other = focus.report_id if actor.user_id == focus.manager_id else focus.manager_id
    outcome = _done(session, actor, focus, other, now)
    if actor.user_id == focus.manager_id:
        person = mention(other)
        text = render("focus.done.praise_dm", text=focus.text, person=person, person_plain=person)
        body = views.text_message(text, views.praise_button(focus, "focus.done.give_praise"))
        outcome.queue(
            _dm(session, focus, focus.manager_id, "focus_done", body, now, by=actor.user_id)
        )
    return outcome


def _done(
    session: Session, actor: Actor, focus: Focus | None, other: str, now: datetime
) -> Outcome:
    """Marked done by either: the manager is offered *Give praise*, and a next one."""
    if focus is None or focus.state != ACTIVE:
        raise Refusal("focus.refuse.nothing_active", person=mention(other))
    focus.state, focus.ended_at = DONE, now
    person = mention(other)
    homes: list[str | None] = [focus.manager_id, focus.report_id]
    if actor.user_id == focus.manager_id:
        text = render("focus.done.manager", text=focus.text, person=person, person_plain=person)
        message = views.text_message(text, views.praise_button(focus, "focus.done.give_praise"))
        return Outcome(text=text, message=message, homes=homes)
    text = render("focus.done.report", text=focus.text, person=person, person_plain=person)
    notice = render("focus.done.notice", person=mention(actor.user_id), text=focus.text)
    body = views.text_message(notice, views.praise_button(focus, "focus.done.give_praise"))
    outcome = Outcome(text=text, homes=homes)
    outcome.queue(_dm(session, focus, focus.manager_id, "focus_done", body, now))
    return outcome
