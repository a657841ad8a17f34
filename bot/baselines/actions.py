"""What a manager and a report do with a baseline: write it down, agree it or suggest a
change, and say every few months whether it still holds.

Each is a use case (`bot.usecase`). What a button or form carries back (a report's id,
"manager:report@version") is a claim: the writer must manage that report now, the one
agreeing must be that report, and the version must be the one last sent.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot import blocks, outbox, teams
from bot.baselines import store, views
from bot.baselines.content import read
from bot.baselines.planning import review_after
from bot.dates import Reader
from bot.models import Baseline, ReportingLine
from bot.preferences.person import schedule_of
from bot.preferences.workspace import workspace_defaults
from bot.prompts import mention, render
from bot.refusal import Refusal
from bot.usecase import Actor, Outcome, queue_in_hours
from bot.visibility import may_see_pair

SENT, AGREED, CHANGES = "sent", "agreed", "changes"
PROPOSED_KIND = "baseline"  # the outbox kind of the DM the report agrees to


def _subject(row: Baseline) -> str:
    """The outbox subject of the pair's baseline DMs to the report."""
    return f"{row.manager_id}:{row.report_id}"


def _reader(session: Session, team_id: str, user_id: str, now: datetime) -> Reader:
    """How `user_id` reads dates: their zone and their today."""
    return Reader.of(schedule_of(session, team_id, user_id), now)


def _managed(session: Session, actor: Actor, report_id: str) -> Baseline | None:
    """The actor's baseline with `report_id`, refused unless the actor manages them now."""
    if not report_id or teams.manager_of(session, actor.team_id, report_id) != actor.user_id:
        raise Refusal("baseline.refuse.not_yours", person=mention(report_id or "nobody"))
    return session.get(Baseline, (actor.team_id, actor.user_id, report_id))


def open_form(session: Session, actor: Actor, report_id: str, *, now: datetime) -> Outcome:
    """*Write it down* or *Revise*: the form, filled with what was last written (`value`)."""
    row = _managed(session, actor, report_id)
    return Outcome(value=views.form(report_id, dict(row.proposal) if row else {}))


def write(
    session: Session, actor: Actor, report_id: str, values: dict[str, Any], *, now: datetime
) -> Outcome:
    """The form, sent: the report gets it to agree (in their working hours). Refused with
    per-part errors (`value`) when a part is too long or every part is empty."""
    row = _managed(session, actor, report_id)
    content, errors = read(values)
    if errors:
        return Outcome(refused=True, value=errors)
    if row is None:
        row = Baseline(
            team_id=actor.team_id, manager_id=actor.user_id, report_id=report_id, version=0
        )
        session.add(row)
    row.proposal, row.state, row.comment = content, SENT, ""
    row.version = (row.version or 0) + 1
    row.updated_at = now
    session.flush()
    planned = outbox.Planned(
        team_id=actor.team_id,
        recipient_id=report_id,
        kind=PROPOSED_KIND,
        subject=_subject(row),
        period=f"v{row.version}",
        body=views.proposed_message(row, _reader(session, row.team_id, report_id, now)),
        not_before=now,
        reason="a baseline to agree",
    )
    outcome = Outcome(
        text=render("baseline.form.sent", person=mention(report_id)),
        homes=[actor.user_id, report_id],
    )
    outcome.queue(queue_in_hours(session, planned, actor.user_id, now))
    return outcome


def _offered(session: Session, actor: Actor, claim: str) -> Baseline:
    """The baseline a report's button names, if it is theirs and still the latest."""
    manager_id, report_id, version = views.read_claim(claim)
    row = session.get(Baseline, (actor.team_id, manager_id, report_id)) if manager_id else None
    current = teams.manager_of(session, actor.team_id, actor.user_id)
    if (
        row is None
        or actor.user_id != row.report_id
        or not may_see_pair(actor.user_id, row, current)
        or version != str(row.version)
        or row.state == AGREED
    ):
        raise Refusal("baseline.refuse.gone")
    return row


def agree(session: Session, actor: Actor, claim: str, *, now: datetime) -> Outcome:
    """*Agree*: it becomes the pair's baseline, on both Home tabs; the manager hears."""
    row = _offered(session, actor, claim)
    row.state, row.agreed, row.agreed_at = AGREED, dict(row.proposal), now
    row.review_at = now + review_after(session, actor.team_id)
    row.updated_at = now
    line = session.get(ReportingLine, (actor.team_id, actor.user_id))
    if line is not None:
        line.baseline_held_at = line.baseline_held_at or now
    reader = _reader(session, row.team_id, row.report_id, now)
    outcome = Outcome(message=views.agreed_copy(row, reader), homes=[row.manager_id, row.report_id])
    planned = outbox.Planned(
        team_id=actor.team_id,
        recipient_id=row.manager_id,
        kind="baseline_agreed",
        subject=row.report_id,
        period=f"v{row.version}",
        body=views.agreed_notice(row),
        not_before=now,
        reason="a baseline agreed",
    )
    outcome.queue(queue_in_hours(session, planned, actor.user_id, now))
    return outcome


def open_suggest(session: Session, actor: Actor, claim: str, *, now: datetime) -> Outcome:
    """*Suggest a change*: the comment form (`value`)."""
    _offered(session, actor, claim)
    return Outcome(value=views.comment_form(claim))


def suggest(
    session: Session, actor: Actor, claim: str, values: dict[str, Any], *, now: datetime
) -> Outcome:
    """The report's suggested change, to the manager with *Revise*. `message`: the
    baseline's DM as it reads now, without its buttons; `value`: where that DM is (channel,
    ts), as the outbox noted it."""
    row = _offered(session, actor, claim)
    field = (values.get(views.COMMENT) or {}).get(views.FIELD) or {}
    comment = field.get("value") if isinstance(field, dict) else None
    comment = " ".join(comment.split()) if isinstance(comment, str) else ""
    if not comment:
        return Outcome(refused=True, value={views.COMMENT: render("baseline.form.comment_empty")})
    row.state, row.comment, row.updated_at = CHANGES, comment[:2000], now
    outcome = Outcome(
        text=render("baseline.dm.change_sent", person=mention(row.manager_id)),
        message=views.suggested_copy(row, _reader(session, row.team_id, row.report_id, now)),
        value=outbox.where_sent(
            session, row.team_id, row.report_id, PROPOSED_KIND, _subject(row), f"v{row.version}"
        ),
        homes=[row.manager_id],
    )
    planned = outbox.Planned(
        team_id=actor.team_id,
        recipient_id=row.manager_id,
        kind="baseline_change",
        subject=row.report_id,
        period=f"v{row.version}",
        body=views.change_message(row),
        not_before=now,
        reason="a change to a baseline suggested",
    )
    outcome.queue(queue_in_hours(session, planned, actor.user_id, now))
    return outcome


def still_holds(session: Session, actor: Actor, report_id: str, *, now: datetime) -> Outcome:
    """*Still holds*: asked again after the same while."""
    row = _managed(session, actor, report_id)
    if row is None or not row.agreed:
        raise Refusal("baseline.refuse.gone")
    row.review_at = now + review_after(session, actor.team_id)
    months = workspace_defaults(session, actor.team_id)["baseline_review_months"]
    return Outcome(text=render("baseline.review.noted", person=mention(report_id), months=months))


def show(
    session: Session, actor: Actor, people: list[str], words: str, *, now: datetime
) -> Outcome:
    """`/coach baseline @name`: the pair's baseline as the actor reads it (`message`)."""
    del words  # nothing follows the name
    if len(people) != 1:
        raise Refusal("baseline.refuse.needs_mention")
    other = people[0]
    is_manager = teams.manager_of(session, actor.team_id, other) == actor.user_id
    if not is_manager and (
        other == actor.user_id or teams.manager_of(session, actor.team_id, actor.user_id) != other
    ):
        raise Refusal("baseline.refuse.not_a_pair", person=mention(other))
    report_id = other if is_manager else actor.user_id
    row = store.current(session, actor.team_id, actor.user_id, report_id)
    body = views.shown_to(
        row, is_manager, other, _reader(session, actor.team_id, actor.user_id, now)
    )
    return Outcome(
        message=blocks.message(render("baseline.show.fallback", person=mention(other)), body)
    )
