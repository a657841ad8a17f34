"""What people do with one-on-ones: set them up, add items, wrap them up.

Each is a use case (`bot.usecase`): it checks the actor is one of the pair (a manager and
a report whose reporting line was accepted), decides, and says what to show and send.
What a button or form carries back ("manager:report@occurrence") is a claim: checked
against the actor and the reporting lines before anything is read or written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import outbox, priorities
from bot.dates import DateError, parse_due
from bot.models import Agreement, Member, OneOnOne, OutboxMessage, WrapUp
from bot.oneonones import gather, views
from bot.oneonones.agenda import Pair, add_item, cover_items, pair_from_claim, pair_of
from bot.oneonones.cadence import (
    BIWEEKLY,
    NOW,
    OFF,
    ONCE,
    WEEKLY,
    next_meeting,
    read,
    read_lead,
)
from bot.oneonones.planning import AGENDA_KIND, meeting_messages
from bot.preferences.person import schedule_of
from bot.preferences.workspace import workspace_defaults
from bot.prompts import Safe, mention, plural, render
from bot.refusal import Refusal
from bot.schedule import describe_days, hhmm
from bot.usecase import Actor, Outcome

LEAD = timedelta(minutes=60)  # the agenda's lead time until a manager sets another
FRESH_FOR = timedelta(hours=12)  # an agenda posted this long ago is still the one to update
_DUE = re.compile(r"^(?P<title>.*?)\s+due\s+(?P<due>\S+)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Refresh:
    """A posted agenda to show again: where it is, and what it says now."""

    channel: str
    ts: str
    message: dict[str, Any]


# --- /coach 1on1 ------------------------------------------------------------------------------


def _one(people: list[str], verb: str) -> str:
    if len(people) != 1:
        raise Refusal("oneonone.refuse.needs_mention", verb=verb)
    return people[0]


def set_up(
    session: Session, actor: Actor, people: list[str], text: str, *, now: datetime
) -> Outcome:
    """`/coach 1on1 @ana every tue 14:00 | every other ... | once fri 11:30 | off | (now)`."""
    person = _one(people, "1on1")
    pair = pair_of(session, actor.team_id, actor.user_id, person)
    if pair.manager_id != actor.user_id:
        raise Refusal(
            "oneonone.refuse.manager_only",
            person=mention(pair.manager_id),
            person_plain=mention(pair.manager_id),
        )
    zone = schedule_of(session, actor.team_id, actor.user_id).zone
    text, lead = read_lead(text)
    who = mention(person)
    row = session.get(OneOnOne, (actor.team_id, actor.user_id, person))
    if lead is not None and not text:
        return _change_lead(row, actor, who, lead, now)
    cadence = read(text, now.astimezone(zone).date())
    lead = lead or (timedelta(minutes=row.lead_minutes) if row is not None else LEAD)
    if cadence.kind == NOW:
        meeting = now.replace(second=0, microsecond=0)
        outcome = Outcome(text=render("oneonone.set.now", person=who))
        for planned in meeting_messages(session, pair, meeting, zone.key, now):
            outcome.queue(outbox.enqueue(session, planned, now))
        return outcome
    if cadence.kind == OFF:
        if row is None or row.cadence == OFF:
            return Outcome(text=render("oneonone.set.off_already", person=who))
        row.cadence, row.next_at, row.agenda_due_at = OFF, None, None
        row.updated_by, row.updated_at = actor.user_id, now
        return Outcome(text=render("oneonone.set.off", person=who))
    first = next_meeting(cadence, zone, now)
    if first is None and cadence.kind == ONCE and cadence.anchor is not None:
        cadence = replace(cadence, anchor=cadence.anchor + timedelta(days=7))  # today's passed
        first = next_meeting(cadence, zone, now)
    assert first is not None and cadence.anchor is not None
    if row is None:
        row = OneOnOne(team_id=actor.team_id, manager_id=actor.user_id, report_id=person)
        session.add(row)
    row.cadence, row.days, row.at_time, row.anchor = (
        cadence.kind, cadence.days, hhmm(cadence.at), cadence.anchor,
    )  # fmt: skip
    row.lead_minutes = int(lead.total_seconds() // 60)
    row.next_at, row.agenda_due_at = first, first - lead
    row.updated_by, row.updated_at = actor.user_id, now
    key = {WEEKLY: "weekly", BIWEEKLY: "biweekly", ONCE: "once"}[cadence.kind]
    return Outcome(
        text=render(
            f"oneonone.set.{key}",
            person=who,
            days=describe_days(cadence.days),
            time=hhmm(cadence.at),
            first=views.when(first),
            lead=views.lead_words(row.lead_minutes),
        )
    )


def _change_lead(
    row: OneOnOne | None, actor: Actor, who: str, lead: timedelta, now: datetime
) -> Outcome:
    """`/coach 1on1 @ana lead 2h`: how long before each meeting its agenda comes."""
    if row is None or row.cadence == OFF or row.next_at is None:
        raise Refusal("oneonone.refuse.lead_needs_schedule", person=who)
    row.lead_minutes = int(lead.total_seconds() // 60)
    row.agenda_due_at = row.next_at - lead
    row.updated_by, row.updated_at = actor.user_id, now
    return Outcome(
        text=render(
            "oneonone.set.lead",
            person=who,
            lead=views.lead_words(row.lead_minutes),
            first=views.when(row.next_at),
        )
    )


# --- items -------------------------------------------------------------------------------------


def add_to_agenda(
    session: Session, actor: Actor, people: list[str], text: str, *, now: datetime
) -> Outcome:
    """`/coach agenda @ana <item>`, from the manager or the report; the agenda already posted
    for their coming meeting shows it too (`value`: a `Refresh`)."""
    person = _one(people, "agenda")
    pair = pair_of(session, actor.team_id, actor.user_id, person)
    add_item(session, pair, actor.user_id, text, now)
    shown = " ".join(text.split())
    return Outcome(
        text=render("oneonone.item.added", person=mention(person), text=shown),
        value=_refresh(session, pair, None, now),
    )


def add_from_form(
    session: Session, actor: Actor, claim: str, text: str, *, now: datetime
) -> Outcome:
    """*Add an item* on an agenda: the item, and that agenda again (`value`)."""
    pair_key, occurrence = views.read_claim(claim)
    pair = pair_from_claim(session, actor.team_id, actor.user_id, pair_key)
    add_item(session, pair, actor.user_id, text, now)
    return Outcome(value=_refresh(session, pair, occurrence, now))


def _refresh(session: Session, pair: Pair, occurrence: str | None, now: datetime) -> Refresh | None:
    """The pair's posted agenda (that meeting's, or their latest), as it reads now; None
    when none was posted lately or it was wrapped up."""
    row = _posted_agenda(session, pair, occurrence, since=now - FRESH_FOR)
    if row is None or not row.channel or not row.ts or _wrapped(session, pair, row.period):
        return None
    at = (row.payload.get("extra") or {}).get("at")
    meeting = datetime.fromisoformat(at) if isinstance(at, str) else now
    content = gather.agenda(session, pair, row.period, now)
    return Refresh(row.channel, row.ts, views.agenda_message(content, meeting.astimezone(UTC)))


def _posted_agenda(
    session: Session, pair: Pair, occurrence: str | None, since: datetime | None = None
) -> OutboxMessage | None:
    """The agenda posted for that meeting (None: the pair's latest), if it was sent."""
    query = select(OutboxMessage).where(
        OutboxMessage.team_id == pair.team_id,
        OutboxMessage.recipient_id == pair.group,
        OutboxMessage.kind == AGENDA_KIND,
        OutboxMessage.subject == pair.key,
        OutboxMessage.status == outbox.SENT,
        OutboxMessage.channel.is_not(None),
    )
    if occurrence is not None:
        query = query.where(OutboxMessage.period == occurrence)
    if since is not None:
        query = query.where(OutboxMessage.sent_at >= since)
    return session.scalar(query.order_by(OutboxMessage.sent_at.desc()).limit(1))


def _wrapped(session: Session, pair: Pair, occurrence: str) -> bool:
    return (
        session.scalar(
            select(func.count())
            .select_from(WrapUp)
            .where(*pair.rows_of(WrapUp), WrapUp.occurrence == occurrence)
        )
        or 0
    ) > 0


# --- wrap-up -----------------------------------------------------------------------------------


def open_wrap_up(session: Session, actor: Actor, claim: str, *, now: datetime) -> Outcome:
    """The wrap-up form for one of the pair (`value`: the view)."""
    pair_key, _ = views.read_claim(claim)
    pair = pair_from_claim(session, actor.team_id, actor.user_id, pair_key)
    return Outcome(
        value=views.wrap_up_form(
            claim,
            _name(session, pair.team_id, pair.manager_id),
            _name(session, pair.team_id, pair.report_id),
        )
    )


def _name(session: Session, team_id: str, user_id: str) -> str:
    member = session.get(Member, (team_id, user_id))
    return member.display if member is not None else user_id


@dataclass(frozen=True)
class Line:
    owner_id: str
    title: str
    due_on: date | None


def wrap_up(
    session: Session, actor: Actor, claim: str, values: dict[str, Any], *, now: datetime
) -> Outcome:
    """The wrap-up form: each agreed line a priority for its owner, the actor's private note,
    the items covered, and a note to both in their group DM. Refused with per-field errors
    (`value`) and nothing written when a line cannot be read or an owner is at their cap."""
    pair_key, occurrence = views.read_claim(claim)
    pair = pair_from_claim(session, actor.team_id, actor.user_id, pair_key)
    if not occurrence or session.get(
        WrapUp, (pair.team_id, pair.manager_id, pair.report_id, occurrence, actor.user_id)
    ):
        raise Refusal("oneonone.refuse.wrapped_already")
    lines: list[Line] = []
    errors: dict[str, str] = {}
    cap = int(workspace_defaults(session, pair.team_id)["max_active_priorities"])
    for block_id, owner in (
        (views.REPORT_WILL, pair.report_id),
        (views.MANAGER_WILL, pair.manager_id),
    ):
        read_lines, problem = _read_lines(
            session, pair.team_id, owner, _field(values, block_id), now
        )
        active = len(priorities.active(session, pair.team_id, owner))
        if problem is None and active + len(read_lines) > cap:
            problem = render(
                "oneonone.wrap.over_cap", name=_name(session, pair.team_id, owner), cap=cap
            )
        if problem is not None:
            errors[block_id] = problem
        lines.extend(read_lines)
    if errors:
        return Outcome(refused=True, value=errors)
    for line in lines:
        priority = priorities.add(
            session,
            team_id=pair.team_id,
            owner_id=line.owner_id,
            actor_id=actor.user_id,
            title=line.title,
            due_on=line.due_on,
            now=now,
            cap=cap,
        )
        session.add(
            Agreement(
                **pair.columns(),
                occurrence=occurrence,
                owner_id=line.owner_id,
                text=priority.title,
                due_on=line.due_on,
                priority_id=priority.id,
                created_by=actor.user_id,
                created_at=now,
            )
        )
    session.add(
        WrapUp(
            **pair.columns(),
            occurrence=occurrence,
            author_id=actor.user_id,
            note=_field(values, views.NOTE).strip()[:3000],
            at=now,
        )
    )
    posted = _posted_agenda(session, pair, occurrence)
    cover_items(session, pair, now)
    post = views.wrap_up_post(actor.user_id, [(x.owner_id, x.title, x.due_on) for x in lines])
    outcome = Outcome(
        text=plural("oneonone.form.saved", len(lines))
        if lines
        else render("oneonone.form.saved_none"),
        homes=[pair.manager_id, pair.report_id],
        value=posted
        and Refresh(
            posted.channel or "",
            posted.ts or "",
            views.wrapped_agenda(posted.payload, actor.user_id),
        ),
    )
    outcome.queue(
        outbox.enqueue(
            session,
            outbox.Planned(
                team_id=pair.team_id,
                recipient_id=pair.group,
                kind="oneonone_wrap_up",
                subject=f"{pair.key}:{actor.user_id}",
                period=occurrence,
                body=post,
                not_before=now,
            ),
            now,
        )
    )
    return outcome


def _field(values: dict[str, Any], block_id: str) -> str:
    """A form field's text; anything else Slack (or someone) sent reads as empty."""
    field = (values.get(block_id) or {}).get(views.FIELD) or {}
    value = field.get("value") if isinstance(field, dict) else None
    return value if isinstance(value, str) else ""


def _read_lines(
    session: Session, team_id: str, owner: str, text: str, now: datetime
) -> tuple[list[Line], str | None]:
    """Lines of `title [due <date>]`, dates read in the owner's zone; or why not."""
    schedule = schedule_of(session, team_id, owner)
    today = schedule.local_date(now)
    lines = []
    for raw in text.splitlines():
        raw = " ".join(raw.split()).lstrip("•-* ").strip()
        if not raw:
            continue
        match = _DUE.match(raw)
        title, due = (match.group("title"), match.group("due")) if match else (raw, None)
        due_on = None
        if due is not None:
            result = parse_due(due, today, schedule.work_days)
            if isinstance(result, DateError):
                return [], render("oneonone.wrap.bad_date", line=raw, reason=Safe(result.render()))
            due_on = result
        try:
            title = priorities.clean_title(title)
        except Refusal as refusal:
            return [], render("oneonone.wrap.bad_date", line=raw, reason=Safe(refusal.render()))
        lines.append(Line(owner, title, due_on))
    return lines, None
