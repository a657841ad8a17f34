"""What people do with feedback: one use case each (`bot.usecase`).

Each takes the session, the actor and `now`, checks that the actor may do it (record ids
that came back from Slack go through `store.owned`, which asks `bot.visibility`), decides,
and returns what to show and the DMs to send.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot import directory, oneonones, outbox, repeats, teams, user_text, visibility
from bot.feedback import rules, store, views
from bot.feedback.form import PERSON, Meta, Shown, Submission, errors
from bot.feedback.parse import AskFor, Give
from bot.feedback.rules import FEEDBACK_SOURCE, Kind, Origin, Response
from bot.held import views as held_views
from bot.models import Feedback, Member
from bot.people import tz_of
from bot.preferences.person import schedule_of
from bot.prompts import Safe, mention, render
from bot.usecase import Actor, Outcome, queue_in_hours


def told(outcome: Outcome) -> str:
    """What to tell the actor once `outcome` was performed: its text, or, when it sent the
    DM of a record (`value` is whom it is to), what became of that DM."""
    if outcome.send and isinstance(outcome.value, str):
        held = outcome.is_held(outcome.send[0])
        if held is not None:
            return " ".join(part for part in (held_views.notice(held), outcome.text) if part)
        notice = views.delivery_notice(outcome.value, outcome.send[0], outcome.delivery)
        return " ".join(part for part in (notice, outcome.text) if part)
    return outcome.text


def _items(
    session: Session,
    actor: Actor,
    rows: Sequence[Feedback],
    now: datetime,
    *,
    ask_kind: bool,
    known: Mapping[str, Member | None] | None = None,
    standings: Mapping[int, rules.Standing] | None = None,
) -> list[views.Item]:
    """The records as the actor's confirmation shows them: only those they may act on.
    `known`: members the caller has already looked up; `standings`: what saving the
    records returned (`store.record`), by record id (neither is read again)."""
    rows = [row for row in rows if visibility.may_act(actor.user_id, row)]
    about = [row.about_id for row in rows]
    names = {user_id: m for user_id, m in (known or {}).items() if m is not None}
    names.update(directory.cached(session, actor.team_id, [a for a in about if a not in names]))
    items = []
    for row in rows:
        standing = (standings or {}).get(row.id)
        advice = rules.guidance(session, row, now, standing)  # with the person's manager
        items.append(
            views.Item(
                record=row,
                name=names[row.about_id].display if row.about_id in names else row.about_id,
                manager_id=advice.manager_id,
                advice=advice,
                ask_kind=ask_kind,
            )
        )
    return items


def _deliver(outcome: Outcome, row: Feedback, outbox_id: int | None) -> None:
    """Have `outcome` send the queued DM `outbox_id` that delivers `row` to its subject."""
    if outbox_id is None:
        return
    outcome.queue(outbox_id)
    outcome.homes.append(row.about_id)  # once it is delivered, their Home shows it
    outcome.value = row.about_id


# --- /feedback ---------------------------------------------------------------------------


@repeats.carries_the_key
def give(
    session: Session,
    actor: Actor,
    request: Give,
    members: Mapping[str, Member | None],
    *,
    now: datetime,
) -> Outcome:
    """One record per person, or nothing at all if anyone is unsuitable.

    `members` is what the directory knows of each person (None: not in the workspace).
    """
    unsuitable = rules.judge_people(actor.user_id, request.people, members)
    if unsuitable:
        return Outcome(text=views.unsuitable_text(unsuitable, len(request.people)), refused=True)
    saved = [
        store.record(
            session,
            team_id=actor.team_id,
            giver_id=actor.user_id,
            about_id=person,
            kind=request.kind or Kind.NOTE,
            topic=request.topic,
            text=request.text,
            origin=Origin.COMMAND,
            now=now,
        )
        for person in request.people
    ]
    rows = [row for row, _ in saved]
    standings = {row.id: standing for row, standing in saved}
    items = _items(
        session,
        actor,
        rows,
        now,
        ask_kind=request.kind is None,
        known=members,
        standings=standings,
    )
    return Outcome(message=views.confirmation_message(items))


def list_about(session: Session, actor: Actor, about_id: str, *, now: datetime) -> Outcome:
    """The feedback about someone that the actor may see, newest first."""
    viewer_tz = tz_of(session.get(Member, (actor.team_id, actor.user_id)))
    rows = visibility.visible(
        session, actor.team_id, actor.user_id, about_id=about_id, limit=views.LIST_LIMIT
    )
    total = visibility.count_visible(session, actor.team_id, actor.user_id, about_id)
    return Outcome(message=views.listing(rows, actor.user_id, about_id, total, viewer_tz))


# --- /feedback ask ------------------------------------------------------------------------


def ask(
    session: Session,
    actor: Actor,
    request: AskFor,
    members: Mapping[str, Member | None],
    *,
    now: datetime,
) -> Outcome:
    """Ask each person for feedback on yourself: a DM with *Give feedback*, in their working
    hours; nobody is asked if anyone is unsuitable."""
    unsuitable = rules.judge_people(actor.user_id, request.people, members)
    if unsuitable:
        return Outcome(text=views.unsuitable_text(unsuitable, len(request.people)), refused=True)
    outcome = Outcome()
    for person in request.people:
        row = store.ask(
            session,
            team_id=actor.team_id,
            asker_id=actor.user_id,
            asked_id=person,
            topic=request.topic,
            question=request.question,
            now=now,
        )
        outcome.queue(queue_in_hours(session, views.ask_dm(row, now), actor.user_id, now))
    people = Safe(", ".join(mention(person) for person in request.people))
    outcome.text = render("feedback.ask.sent", people=people)
    return outcome


def open_ask(session: Session, actor: Actor, ask_id: int, *, now: datetime) -> Outcome:
    """ "Give feedback" on a request: the form, the asker, topic and question filled in
    (`value`); only for the person who was asked."""
    request = store.asked_of(session, actor.team_id, actor.user_id, ask_id)
    meta = Meta(ask=str(request.id))
    view = views.form_modal(
        meta, person=request.asker_id, topic=request.topic, question=request.question
    )
    return Outcome(value=view)


# --- the form ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SavedForm:
    """A saved form: the confirmation it turns into, and whether `finish_form` has work
    left once the form is answered (a message link to add, a DM to send)."""

    view: dict[str, Any]
    record_id: int
    follow_up: bool


def strangers(sessions: sessionmaker[Session], team_id: str, people: list[str]) -> list[str]:
    """Those of `people` the directory has never seen: Slack must be asked who they are."""
    with sessions() as session:
        known = directory.cached(session, team_id, people)
    return [person for person in people if person not in known]


def submit_form(
    session: Session,
    actor: Actor,
    submission: Submission,
    meta: Meta,
    members: Mapping[str, Member | None],
    *,
    now: datetime,
) -> Outcome:
    """Save the form (`value`: a `SavedForm`), or refuse it with the problems to show next
    to each field (`value`: {block id: problem}). A form submitted again finds what it
    saved the first time; a form whose token someone else saved with is refused.

    A DM "Send it to them now" asks for is queued, and sent by `finish_form`: the form
    must be answered first.
    """
    ask_kind = submission.kind is None
    saved = store.by_token(session, actor.team_id, actor.user_id, meta.token)
    if saved is not None:
        view = views.done_view(_items(session, actor, [saved], now, ask_kind=ask_kind), ask_kind)
        return Outcome(value=SavedForm(view, saved.id, follow_up=False))
    problems = errors(submission, actor.user_id)
    person = submission.person
    if person and PERSON not in problems:
        unsuitable = rules.judge_people(actor.user_id, [person], members)
        if person in unsuitable:
            problems[PERSON] = render(f"feedback.modal.errors.{unsuitable[person].value}")
    if problems:
        return Outcome(refused=True, value=problems)
    assert person is not None and submission.topic is not None
    request = (
        store.asked_of(session, actor.team_id, actor.user_id, int(meta.ask)) if meta.ask else None
    )
    row, standing = store.record(
        session,
        team_id=actor.team_id,
        giver_id=actor.user_id,
        about_id=person,
        kind=submission.kind or Kind.NOTE,
        topic=submission.topic,
        text=submission.text,
        origin=Origin.SHORTCUT if meta.from_message else Origin.MODAL,
        now=now,
        token=meta.token,
    )
    if request is not None and request.asker_id == person:
        store.answer_ask(session, request, row, now)
    if submission.send_now and store.request_send(session, row, now):
        # Queued now, so it goes out (with the scheduler) even if sending at once fails.
        queue_in_hours(session, views.delivery_dm(row, now), actor.user_id, now)
    items = _items(session, actor, [row], now, ask_kind=ask_kind, standings={row.id: standing})
    view = views.done_view(items, ask_kind)
    follow_up = submission.send_now or meta.from_message
    return Outcome(value=SavedForm(view, row.id, follow_up))


def finish_form(
    session: Session,
    actor: Actor,
    record_id: int,
    meta: Meta,
    permalink: str | None,
    workspace_url: str | None,
    *,
    now: datetime,
) -> Outcome:
    """After answering a saved form: note the link to the message it was opened on, and
    send the DM it queued (with that link).

    `permalink` is what Slack gave for the message `meta` names; it is kept only when it
    is the link to that message in the actor's own workspace (`workspace_url`).
    """
    row = store.owned(session, actor.team_id, actor.user_id, record_id)
    if meta.from_message:
        link = rules.message_link(permalink, workspace_url, meta.channel, meta.ts)
        if link is not None:
            store.attach_link(session, row, link)
    outcome = Outcome()
    if row.send_requested_at is not None and row.delivered_at is None:
        planned = outbox.caused_by(views.delivery_dm(row, now), actor.user_id)
        _deliver(outcome, row, outbox.replan(session, planned))
    return outcome


def show_saved(
    session: Session, actor: Actor, shown: Shown, notice: str, *, now: datetime
) -> Outcome:
    """The confirmation modal again (`value`), as its records are now, with `notice` on top.

    `shown` came back from Slack: records that are gone are left out, and a modal naming
    any record the actor may not act on is refused.
    """
    rows = store.owned_many(session, actor.team_id, actor.user_id, shown.ids)
    items = _items(session, actor, rows, now, ask_kind=shown.ask_kind)
    return Outcome(value=views.done_view(items, shown.ask_kind, notice or None))


# --- the buttons on a confirmation ---------------------------------------------------------


def press_send(session: Session, actor: Actor, record_id: int, *, now: datetime) -> Outcome:
    """ "Send it to ...": the DM that delivers the record to its subject, once."""
    row = store.owned(session, actor.team_id, actor.user_id, record_id)
    if not store.request_send(session, row, now):
        return Outcome(text=render("feedback.send.already", person=mention(row.about_id)))
    return _send(session, row, now)


def _send(session: Session, row: Feedback, now: datetime) -> Outcome:
    """Queue the DM that delivers `row` (its sending already requested): at once, or at the
    start of the person's next working hours, its giver told when."""
    outcome = Outcome()
    _deliver(outcome, row, queue_in_hours(session, views.delivery_dm(row, now), row.giver_id, now))
    if not outcome.send:
        outcome.text = render("feedback.send.deferred", person=mention(row.about_id))
    return outcome


def press_undo(session: Session, actor: Actor, record_id: int, *, now: datetime) -> Outcome:
    """Undo: delete a record that was not sent."""
    row = store.owned(session, actor.team_id, actor.user_id, record_id)
    key = "feedback.undo.done" if store.undo(session, row) else "feedback.undo.too_late"
    return Outcome(text=render(key, person=mention(row.about_id)))


def press_share(session: Session, actor: Actor, record_id: int, *, now: datetime) -> Outcome:
    """ "Share with their manager": the subject's manager right now may see the record, once
    the person has heard it. A note is never shared; feedback they have not heard is
    shared only together with sending it (`press_send_and_share`)."""
    row = store.owned(session, actor.team_id, actor.user_id, record_id)
    return _share(session, row, teams.manager_of(session, actor.team_id, row.about_id), now)


def press_send_and_share(
    session: Session, actor: Actor, record_id: int, *, now: datetime
) -> Outcome:
    """ "Send it to them and share": the DM to the person, and the share with their manager,
    who sees it once the DM has reached them."""
    row = store.owned(session, actor.team_id, actor.user_id, record_id)
    manager_id = teams.manager_of(session, actor.team_id, row.about_id)
    if row.kind == Kind.NOTE or manager_id in (None, actor.user_id):
        return _share(session, row, manager_id, now)
    sending = Outcome()
    if store.request_send(session, row, now):
        sending = _send(session, row, now)
    shared = _share(session, row, manager_id, now)
    sending.text = " ".join(part for part in (sending.text, shared.text) if part)
    sending.homes.extend(shared.homes)
    return sending


def _share(session: Session, row: Feedback, manager_id: str | None, now: datetime) -> Outcome:
    outcome = Outcome()
    if row.kind == Kind.NOTE:
        result = "note"
    elif manager_id is None:
        result = "no_manager"
    elif manager_id == row.giver_id:
        result = "is_manager"
    elif not visibility.has_reached(row) and row.send_requested_at is None:
        result = "unsaid"
    elif store.share(session, row, manager_id, now):
        result = "done" if visibility.has_reached(row) else "on_delivery"
        outcome.homes.append(manager_id)
    else:
        result = "already"
    outcome.text = render(
        f"feedback.share.{result}",
        person=mention(row.about_id),
        manager=mention(manager_id or ""),
    )
    return outcome


def press_told(session: Session, actor: Actor, record_id: int, *, now: datetime) -> Outcome:
    """ "I told them": the giver told the person in person, today."""
    row = store.owned(session, actor.team_id, actor.user_id, record_id)
    return _told(session, row, now, now)


def pick_told_date(
    session: Session, actor: Actor, record_id: int, picked: str, *, now: datetime
) -> Outcome:
    """ "I told them on ...": a date the giver picked (a claim: not in the future, nor
    before the ladder's window), read in their time zone."""
    row = store.owned(session, actor.team_id, actor.user_id, record_id)
    schedule = schedule_of(session, actor.team_id, actor.user_id)
    day = rules.told_day(picked, schedule.local_date(now))
    if day is None:
        return Outcome(text=render("feedback.told.bad_date", days=rules.LADDER_WINDOW.days))
    return _told(session, row, min(now, schedule.at(day, rules.TOLD_WALL_TIME)), now)


def _told(session: Session, row: Feedback, at: datetime, now: datetime) -> Outcome:
    person = mention(row.about_id)
    if row.kind == Kind.NOTE:
        return Outcome(text=render("feedback.told.note", person=person))
    if not store.mark_told(session, row, at):
        return Outcome(text=render("feedback.told.already", person=person))
    outcome = Outcome(text=render("feedback.told.done", person=person))
    if row.shared_with_id:  # a share waiting for them to hear it shows now
        outcome.homes.append(row.shared_with_id)
    return outcome


def _mark(session: Session, actor: Actor, record_id: int, kind: Kind, now: datetime) -> Outcome:
    """Mark a note as `kind`, with the advice for it; a record with a kind keeps it."""
    row = store.owned(session, actor.team_id, actor.user_id, record_id)
    if not store.set_kind(session, row, kind):
        label = render(f"feedback.kind_label.{row.kind}").lower()
        return Outcome(text=render("feedback.mark.already", kind=label))
    advice = views.guidance_lines(rules.guidance(session, row, now), row.about_id)
    return Outcome(text="\n".join([render(f"feedback.mark.{row.kind}"), *advice]))


def press_praise(session: Session, actor: Actor, record_id: int, *, now: datetime) -> Outcome:
    """ "Praise" on a note."""
    return _mark(session, actor, record_id, Kind.PRAISE, now)


def press_redirect(session: Session, actor: Actor, record_id: int, *, now: datetime) -> Outcome:
    """ "Redirect" on a note."""
    return _mark(session, actor, record_id, Kind.REDIRECT, now)


# --- the reminder of what is still unsaid ---------------------------------------------------


def _unsent(session: Session, actor: Actor, value: str) -> list[Feedback]:
    """The records a reminder's button names (`value`, ids joined by commas: a claim),
    those still there, all the actor's; praise and redirects only."""
    ids = [int(part) for part in value.split(",")[:50] if part.isascii() and part.isdigit()]
    rows = store.owned_many(session, actor.team_id, actor.user_id, ids)
    return [row for row in rows if row.kind != Kind.NOTE]


def press_unsent_send(session: Session, actor: Actor, value: str, *, now: datetime) -> Outcome:
    """ "Send" on the reminder: each record the person has not heard goes to them."""
    outcome = Outcome()
    rows = [
        row
        for row in _unsent(session, actor, value)
        if not visibility.has_reached(row) and store.request_send(session, row, now)
    ]
    for row in rows:
        _deliver(
            outcome, row, queue_in_hours(session, views.delivery_dm(row, now), row.giver_id, now)
        )
    if not rows:
        outcome.text = render("feedback.unsent.nothing")
        return outcome
    count = len(rows)
    key = "feedback.unsent.sent_" + ("one" if count == 1 else "many")
    outcome.text = render(key, count=count, person=mention(rows[0].about_id))
    outcome.value = None  # several DMs: the text says it
    return outcome


def press_unsent_told(session: Session, actor: Actor, value: str, *, now: datetime) -> Outcome:
    """ "I told them" on the reminder: each one counts as heard, from now."""
    rows = [row for row in _unsent(session, actor, value) if store.mark_told(session, row, now)]
    if not rows:
        return Outcome(text=render("feedback.unsent.nothing"))
    outcome = Outcome(text=render("feedback.unsent.told_done", person=mention(rows[0].about_id)))
    outcome.homes.extend({row.shared_with_id for row in rows if row.shared_with_id})
    return outcome


def press_unsent_keep(session: Session, actor: Actor, value: str, *, now: datetime) -> Outcome:
    """ "Keep to myself": never asked about again (they stay kept, and private)."""
    rows = [row for row in _unsent(session, actor, value) if store.keep(session, row, now)]
    return Outcome(text=render("feedback.unsent.kept" if rows else "feedback.unsent.nothing"))


# --- the person's answer on the DM that delivered it ------------------------------------------


def may_answer(session: Session, actor: Actor, record_id: int, *, now: datetime) -> Outcome:
    """Before the "I see it differently" form opens: refused unless the actor may answer
    the record (it was delivered to them) and has not yet."""
    row = store.answerable(session, actor.team_id, actor.user_id, record_id)
    if row.response is not None:
        return Outcome(text=render("feedback.answer.already"), refused=True)
    return Outcome()


def answer(
    session: Session,
    actor: Actor,
    record_id: int,
    response: Response,
    comment: str = "",
    *,
    now: datetime,
) -> Outcome:
    """Thanks / Let's talk about it / I see it differently, once, by the person the record
    was delivered to. It goes to the giver alone (a short DM); *Let's talk* also goes on the
    agenda of their next 1:1 when one of them manages the other.

    `message` is the person's DM as it reads once answered; `value` (an `Answered`) says
    where that DM is in Slack, and the giver's message that sent it when Sprout posted one
    (the reminder of what was unsaid) with how it reads now: both as the outbox noted
    them, never as the click claimed.
    """
    row = store.answerable(session, actor.team_id, actor.user_id, record_id)
    if not store.respond(session, row, response, comment, now):
        return Outcome(text=render("feedback.answer.already"), refused=True)
    on_agenda = response is Response.TALK and _bring_up(session, row, now)
    answered = Answered(store.delivered_message(session, row))
    reminder = store.sending_reminder(session, row)
    if reminder is not None:
        message, ids = reminder
        rows = store.owned_many(session, row.team_id, row.giver_id, ids)
        answered = Answered(
            answered.person_dm,
            (message.channel, message.ts),
            views.answered_reminder(row.about_id, rows, row, on_agenda),
        )
    outcome = Outcome(message=views.answered_dm(row), value=answered)
    outcome.queue(queue_in_hours(session, views.answer_dm(row, on_agenda, now), actor.user_id, now))
    return outcome


@dataclass(frozen=True)
class Answered:
    """Where the messages an answer changes are in Slack (channel, ts): the person's DM,
    and the giver's message that sent it (when Sprout posted one) with how it reads now."""

    person_dm: tuple[str | None, str | None]
    giver_message: tuple[str | None, str | None] = (None, None)
    giver_update: dict[str, Any] | None = None


def _bring_up(session: Session, row: Feedback, now: datetime) -> bool:
    """Put a *Let's talk* on the agenda of the giver and the person's next 1:1, when one of
    them manages the other; False when they have no 1:1 together."""
    if teams.manager_of(session, row.team_id, row.about_id) == row.giver_id:
        report_id = row.about_id
    elif teams.manager_of(session, row.team_id, row.giver_id) == row.about_id:
        report_id = row.giver_id
    else:
        return False
    kind = render(f"feedback.kind_label.{row.kind}").lower()
    # The item is text like any typed one: the giver by name, not a mention (shown escaped).
    giver = directory.cached(session, row.team_id, [row.giver_id]).get(row.giver_id)
    text = render(
        "feedback.answer.agenda_item",
        kind=kind,
        giver=giver.display if giver is not None else row.giver_id,
        excerpt=user_text.excerpt(row.text, views.EXCERPT),
    )
    oneonones.bring_up(
        session,
        row.team_id,
        report_id,
        author_id=row.about_id,
        text=text,
        source=FEEDBACK_SOURCE,
        source_ref=str(row.id),
        now=now,
    )
    return True
