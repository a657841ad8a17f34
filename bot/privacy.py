"""People's data: export everything Sprout holds about a person, or erase it.

Erasure (`forget`) removes a person's words and settings and keeps only what other
people's numbers rely on: a feedback record still counts in its giver's weekly summary,
a priority still counts as finished, a check-in as answered, but none of them says
anything any more. `forget_workspace` removes a whole workspace's rows.
See docs/OPERATIONS.md, "Personal data".
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, Table, delete, or_, select, update
from sqlalchemy.orm import Session

from bot import outbox
from bot.models import (
    ActionPlan,
    ActionPlanStep,
    AgendaItem,
    Agreement,
    Base,
    Baseline,
    Checkin,
    CoachingEvent,
    Feedback,
    FeedbackAsk,
    Focus,
    FocusPractice,
    Member,
    NudgeSnooze,
    OneOnOne,
    OutboxMessage,
    PendingErasure,
    PersonSettings,
    Priority,
    PriorityChange,
    PulseAnswer,
    PulseChoice,
    PulseRound,
    Reflection,
    ReportingLine,
    TeamRequest,
    WrapUp,
)

ERASED = "erased"  # the outbox's last_error for a message whose content was erased
# What takes a forgotten person's place in a pulse round's `answered`: the round still
# counts them (its results were shown with them), and nobody can tell who it was.
ERASED_RESPONDENT = "erased:"
# What takes a forgotten manager's place on their team's pulse rounds and answers.
ERASED_MANAGER = "erased:"


@dataclass
class Removed:
    """What an erasure removed, counted per kind, for the operator."""

    counts: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, count: int | None) -> None:
        self.counts[what] = self.counts.get(what, 0) + (count or 0)

    def lines(self) -> list[str]:
        return [f"{what}: {count}" for what, count in self.counts.items()]


def _rowcount(session: Session, statement: Any) -> int:
    return session.execute(statement.execution_options(synchronize_session=False)).rowcount or 0


def _person_texts(session: Session, team_id: str, user_id: str) -> set[str]:
    """Every piece of free text the person wrote or that was written about them."""
    texts: set[str] = set()
    for text, topic, link, response in session.execute(
        select(Feedback.text, Feedback.topic, Feedback.source_link, Feedback.response_text).where(
            Feedback.team_id == team_id,
            or_(Feedback.giver_id == user_id, Feedback.about_id == user_id),
        )
    ):
        texts.update(t for t in (text, topic, link, response) if t)
    for question, topic in session.execute(
        select(FeedbackAsk.question, FeedbackAsk.topic).where(
            FeedbackAsk.team_id == team_id,
            or_(FeedbackAsk.asker_id == user_id, FeedbackAsk.asked_id == user_id),
        )
    ):
        texts.update(t for t in (question, topic) if t)
    for model, column in ((AgendaItem, AgendaItem.text), (Agreement, Agreement.text)):
        texts.update(
            session.scalars(
                select(column).where(model.team_id == team_id, _in_pair(model, user_id))
            )
        )
    texts.update(
        session.scalars(
            select(WrapUp.note).where(WrapUp.team_id == team_id, _in_pair(WrapUp, user_id))
        )
    )
    texts.update(
        session.scalars(
            select(ActionPlanStep.text).where(
                ActionPlanStep.plan_id.in_(_their_plans(team_id, user_id))
            )
        )
    )
    texts.update(
        c
        for c in session.scalars(
            select(ActionPlan.comment).where(
                ActionPlan.team_id == team_id, _in_pair(ActionPlan, user_id)
            )
        )
        if c
    )
    texts.update(
        session.scalars(
            select(Focus.text).where(Focus.team_id == team_id, _in_pair(Focus, user_id))
        )
    )
    for baseline in session.scalars(
        select(Baseline).where(Baseline.team_id == team_id, _in_pair(Baseline, user_id))
    ):
        for content in (baseline.proposal, baseline.agreed or {}):
            texts.update(str(text) for text in content.values())
        texts.add(baseline.comment)
    for title, note in session.execute(
        select(Priority.title, Priority.note).where(
            Priority.team_id == team_id, Priority.owner_id == user_id
        )
    ):
        texts.update(t for t in (title, note) if t)
    for (answers,) in session.execute(
        select(Checkin.answers).where(Checkin.team_id == team_id, Checkin.user_id == user_id)
    ):
        for key in ("note", "own_note"):  # bot.checkins.views.OWN_NOTE: a note just for them
            if (answers or {}).get(key):
                texts.add(str(answers[key]))
    member = session.get(Member, (team_id, user_id))
    if member is not None:
        texts.update(t for t in (member.name, member.real_name) if t)
    return {t for t in texts if len(t.strip()) >= 3}  # "a" would match every payload


def _their_plans(team_id: str, user_id: str) -> Any:
    """The ids of the action plans the person is in, as a subquery."""
    return select(ActionPlan.id).where(ActionPlan.team_id == team_id, _in_pair(ActionPlan, user_id))


def _in_pair(model: Any, user_id: str) -> Any:
    """WHERE clause: `model`'s one-on-one rows of a pair the person is one side of."""
    return or_(model.manager_id == user_id, model.report_id == user_id)


def _to(user_id: str) -> Any:
    """WHERE clause: outbox rows to the person, alone or in a group DM ("U1,U2")."""
    return or_(
        OutboxMessage.recipient_id == user_id,
        OutboxMessage.recipient_id.like(f"{user_id},%"),
        OutboxMessage.recipient_id.like(f"%,{user_id}"),
        OutboxMessage.recipient_id.like(f"%,{user_id},%"),
    )


def _mentions(payload: Any, needles: Iterable[str]) -> bool:
    """Whether a JSON payload carries any of the needles, however JSON encoded them."""
    encoded = json.dumps(payload)
    plain = json.dumps(payload, ensure_ascii=False)
    return any(
        needle in plain or json.dumps(needle)[1:-1] in encoded or needle in encoded
        for needle in needles
    )


def forget(session: Session, team_id: str, user_id: str) -> Removed:
    """Erase one person's personal data in a workspace (see the module's docstring)."""
    removed = Removed()
    needles = _person_texts(session, team_id, user_id) | {user_id}

    # Outbox first, while we still know the person's words: empty every payload that
    # carried them (to them, about them, or quoting them); cancel what was not sent.
    for message in session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.team_id == team_id)
        .execution_options(yield_per=500)
    ):
        to_them = user_id in message.recipient_id.split(",")
        if not to_them and not _mentions(message.payload, needles):
            continue
        if message.payload or message.last_error:
            removed.add("outbox messages emptied", 1)
        message.payload = {}
        message.last_error = ERASED
        if message.status in (outbox.PENDING, outbox.SENDING):
            message.status = outbox.CANCELLED

    removed.add(
        "feedback they wrote, emptied",
        _rowcount(
            session,
            update(Feedback)
            .where(Feedback.team_id == team_id, Feedback.giver_id == user_id)
            .values(text="", topic="", source_link=None, response_text=None),
        ),
    )
    removed.add(
        "feedback about them, emptied",
        _rowcount(
            session,
            update(Feedback)
            .where(Feedback.team_id == team_id, Feedback.about_id == user_id)
            .values(text="", topic="", source_link=None, response_text=None),
        ),
    )
    removed.add(
        "feedback requests emptied",
        _rowcount(
            session,
            update(FeedbackAsk)
            .where(
                FeedbackAsk.team_id == team_id,
                or_(FeedbackAsk.asker_id == user_id, FeedbackAsk.asked_id == user_id),
            )
            .values(question="", topic=""),
        ),
    )
    removed.add(
        "one-on-one agreements emptied",
        _rowcount(
            session,
            update(Agreement)
            .where(Agreement.team_id == team_id, _in_pair(Agreement, user_id))
            .values(text=""),
        ),
    )
    removed.add(
        "one-on-one wrap-up notes emptied",
        _rowcount(
            session,
            update(WrapUp)
            .where(WrapUp.team_id == team_id, _in_pair(WrapUp, user_id), WrapUp.note != "")
            .values(note=""),
        ),
    )
    for pulse in session.scalars(select(PulseRound).where(PulseRound.team_id == team_id)):
        if user_id in (pulse.answered or []):
            stand_in = ERASED_RESPONDENT + uuid.uuid4().hex[:12]
            pulse.answered = sorted({*pulse.answered, stand_in} - {user_id})
            removed.add("pulse rounds no longer naming them", 1)
    _forget_pulse_manager(session, team_id, user_id, removed)
    owned = select(Priority.id).where(Priority.team_id == team_id, Priority.owner_id == user_id)
    removed.add(
        "priority histories emptied",
        _rowcount(
            session,
            update(PriorityChange)
            .where(PriorityChange.team_id == team_id, PriorityChange.priority_id.in_(owned))
            .values(old=None, new=None),
        ),
    )
    removed.add(
        "priorities emptied",
        _rowcount(
            session,
            update(Priority)
            .where(Priority.team_id == team_id, Priority.owner_id == user_id)
            .values(title="", note=None),
        ),
    )
    for checkin in session.scalars(
        select(Checkin).where(Checkin.team_id == team_id, Checkin.user_id == user_id)
    ):
        if "note" in (checkin.answers or {}):
            checkin.answers = {k: v for k, v in checkin.answers.items() if k != "note"}
            removed.add("check-in notes", 1)
    removed.add(
        "coaching events emptied",
        _rowcount(
            session,
            update(CoachingEvent)
            .where(
                CoachingEvent.team_id == team_id,
                or_(CoachingEvent.user_id == user_id, CoachingEvent.actor_id == user_id),
            )
            .values(detail={}),
        ),
    )
    removed.add(
        "action-plan steps",
        _rowcount(
            session,
            delete(ActionPlanStep).where(
                ActionPlanStep.team_id == team_id,
                ActionPlanStep.plan_id.in_(_their_plans(team_id, user_id)),
            ),
        ),
    )
    for what, model, where in (
        ("action plans", ActionPlan, _in_pair(ActionPlan, user_id)),
        ("settings", PersonSettings, PersonSettings.user_id == user_id),
        ("directory entries", Member, Member.user_id == user_id),
        (
            "team lines",
            ReportingLine,
            or_(ReportingLine.report_id == user_id, ReportingLine.manager_id == user_id),
        ),
        (
            "nudge snoozes",
            NudgeSnooze,
            or_(NudgeSnooze.user_id == user_id, NudgeSnooze.manager_id == user_id),
        ),
        ("pending erasures", PendingErasure, PendingErasure.user_id == user_id),
        (
            "team requests",
            TeamRequest,
            or_(TeamRequest.report_id == user_id, TeamRequest.manager_id == user_id),
        ),
        ("one-on-one schedules", OneOnOne, _in_pair(OneOnOne, user_id)),
        ("one-on-one agenda items", AgendaItem, _in_pair(AgendaItem, user_id)),
        (
            "focus practice",
            FocusPractice,
            FocusPractice.focus_id.in_(
                select(Focus.id).where(Focus.team_id == team_id, _in_pair(Focus, user_id))
            ),
        ),
        ("focuses", Focus, _in_pair(Focus, user_id)),
        ("baselines", Baseline, _in_pair(Baseline, user_id)),
        ("pulse choices", PulseChoice, PulseChoice.manager_id == user_id),
        ("reflection journal entries", Reflection, Reflection.manager_id == user_id),
    ):
        removed.add(what, _rowcount(session, delete(model).where(model.team_id == team_id, where)))
    return removed


def _forget_pulse_manager(session: Session, team_id: str, user_id: str, removed: Removed) -> None:
    """A forgotten manager's team pulse: their id gives way to one stand-in on its rounds
    and answers, and the comments (words about them) are emptied; the scores stay."""
    stand_in = ERASED_MANAGER + uuid.uuid4().hex[:12]
    removed.add(
        "pulse comments about them, emptied",
        _rowcount(
            session,
            update(PulseAnswer)
            .where(
                PulseAnswer.team_id == team_id,
                PulseAnswer.manager_id == user_id,
                PulseAnswer.comment.is_not(None),
            )
            .values(comment=None),
        ),
    )
    for model in (PulseAnswer, PulseRound):
        removed.add(
            f"{model.__tablename__.replace('_', ' ')} no longer naming them",
            _rowcount(
                session,
                update(model)
                .where(model.team_id == team_id, model.manager_id == user_id)
                .values(manager_id=stand_in),
            ),
        )


def slack_store_tables() -> list[Table]:
    """slack-sdk's installation tables (migration 0008), which hold tokens per workspace."""
    from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

    metadata = MetaData()
    return [
        SQLAlchemyInstallationStore.build_installations_table(metadata, "slack_installations"),
        SQLAlchemyInstallationStore.build_bots_table(metadata, "slack_bots"),
    ]


def forget_workspace(session: Session, team_id: str) -> Removed:
    """Every row of one workspace, in every table (its installation too)."""
    removed = Removed()
    tables = [*reversed(Base.metadata.sorted_tables), *slack_store_tables()]
    for table in tables:
        if "team_id" in table.c:
            count = _rowcount(session, delete(table).where(table.c.team_id == team_id))
            if count:
                removed.add(table.name, count)
    return removed


# --- export -------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _row(row: Any, skip: Iterable[str] = ()) -> dict[str, Any]:
    skipped = {"team_id", *skip}
    return {
        column.key: _plain(getattr(row, column.key))
        for column in row.__table__.columns
        if column.key not in skipped
    }


def _rows(
    session: Session,
    model: Any,
    team_id: str,
    where: Any,
    order: tuple[Any, ...] = (),
    skip: Iterable[str] = (),
) -> list[dict[str, Any]]:
    """One export section: `model`'s rows of this workspace that `where` picks, in `order`."""
    statement = select(model).where(model.team_id == team_id, where).order_by(*order)
    return [_row(row, skip=skip) for row in session.scalars(statement)]


_OUTBOX_CONTENT = ("payload", "last_error", "claim_token", "claimed_at", "channel", "ts")


def export(session: Session, team_id: str, user_id: str, now: datetime) -> dict[str, Any]:
    """Everything Sprout holds about one person, as JSON-ready data.

    Feedback about them is what `bot.visibility` lets them see (delivered to them), and
    without its #topic, which is the giver's own label: the same as their Home tab.
    """
    from bot import visibility

    member = session.get(Member, (team_id, user_id))
    settings = session.get(PersonSettings, (team_id, user_id))
    manager = session.get(ReportingLine, (team_id, user_id))
    priorities = session.scalars(
        select(Priority)
        .where(Priority.team_id == team_id, Priority.owner_id == user_id)
        .order_by(Priority.id)
    ).all()
    ids = [p.id for p in priorities]
    changes = session.scalars(
        select(PriorityChange)
        .where(PriorityChange.team_id == team_id, PriorityChange.priority_id.in_(ids))
        .order_by(PriorityChange.id)
    ).all()
    seen = visibility.visible(session, team_id, user_id)
    return {
        "exported_at": now.isoformat(),
        "team_id": team_id,
        "user_id": user_id,
        "profile": _row(member, skip=("user_id",)) if member else None,
        "settings": _row(settings, skip=("user_id",)) if settings else None,
        "manager": _row(manager, skip=("report_id",)) if manager else None,
        "reports": _rows(
            session,
            ReportingLine,
            team_id,
            ReportingLine.manager_id == user_id,
            order=(ReportingLine.report_id,),
            skip=("manager_id",),
        ),
        "priorities": [
            {
                **_row(p, skip=("owner_id",)),
                "history": [
                    _row(c, skip=("priority_id",)) for c in changes if c.priority_id == p.id
                ],
            }
            for p in priorities
        ],
        "checkins": _rows(
            session,
            Checkin,
            team_id,
            Checkin.user_id == user_id,
            order=(Checkin.local_date,),
            skip=("user_id",),
        ),
        "feedback_given": _rows(
            session,
            Feedback,
            team_id,
            Feedback.giver_id == user_id,
            order=(Feedback.id,),
            skip=("giver_id", "token"),
        ),
        "feedback_received": [
            _row(f, skip=("about_id", "token", "topic", "shared_with_id", "shared_at"))
            for f in seen
            if f.about_id == user_id and f.giver_id != user_id
        ],
        "feedback_shared_with_them": [
            _row(f, skip=("token", "topic"))
            for f in seen
            if f.about_id != user_id and f.giver_id != user_id
        ],
        "coaching_events": _rows(
            session,
            CoachingEvent,
            team_id,
            or_(CoachingEvent.user_id == user_id, CoachingEvent.actor_id == user_id),
            order=(CoachingEvent.id,),
        ),
        "baselines": _rows(
            session,
            Baseline,
            team_id,
            _in_pair(Baseline, user_id),
        ),
        "focuses": _rows(
            session,
            Focus,
            team_id,
            _in_pair(Focus, user_id),
            order=(Focus.id,),
        ),
        "nudge_snoozes": _rows(
            session,
            NudgeSnooze,
            team_id,
            or_(NudgeSnooze.user_id == user_id, NudgeSnooze.manager_id == user_id),
        ),
        "messages_to_them": _rows(
            session,
            OutboxMessage,
            team_id,
            _to(user_id),
            order=(OutboxMessage.id,),
            skip=("claim_token", "claimed_at"),
        ),
        # DMs to others that something they did caused (held for the recipient's working
        # hours, say): that it exists, not what it says, which is the recipient's.
        "messages_they_caused": [
            _row(m, skip=_OUTBOX_CONTENT)
            for m in session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.team_id == team_id, ~_to(user_id))
                .order_by(OutboxMessage.id)
                .execution_options(yield_per=500)
            )
            if ((m.payload or {}).get("extra") or {}).get(outbox.SENDER) == user_id
        ],
        "team_requests": _rows(
            session,
            TeamRequest,
            team_id,
            or_(TeamRequest.report_id == user_id, TeamRequest.manager_id == user_id),
            order=(TeamRequest.id,),
        ),
        "feedback_requests_made": _rows(
            session,
            FeedbackAsk,
            team_id,
            FeedbackAsk.asker_id == user_id,
            order=(FeedbackAsk.id,),
            skip=("asker_id",),
        ),
        "feedback_requests_to_them": _rows(
            session,
            FeedbackAsk,
            team_id,
            FeedbackAsk.asked_id == user_id,
            order=(FeedbackAsk.id,),
            skip=("asked_id",),
        ),
        "one_on_ones": _rows(
            session,
            OneOnOne,
            team_id,
            _in_pair(OneOnOne, user_id),
            order=(OneOnOne.manager_id, OneOnOne.report_id),
        ),
        # The pair's shared agenda and agreements: both sides see them.
        "agenda_items": _rows(
            session,
            AgendaItem,
            team_id,
            _in_pair(AgendaItem, user_id),
            order=(AgendaItem.id,),
        ),
        "agreements": _rows(
            session,
            Agreement,
            team_id,
            _in_pair(Agreement, user_id),
            order=(Agreement.id,),
        ),
        # Their own wrap-ups only: the other side's note is private to its author.
        "wrap_ups": _rows(
            session,
            WrapUp,
            team_id,
            WrapUp.author_id == user_id,
            order=(WrapUp.occurrence,),
            skip=("author_id",),
        ),
        "pulse_choices": _rows(
            session,
            PulseChoice,
            team_id,
            PulseChoice.manager_id == user_id,
            skip=("manager_id",),
        ),
        "reflections": _rows(
            session,
            Reflection,
            team_id,
            Reflection.manager_id == user_id,
            order=(Reflection.week,),
            skip=("manager_id",),
        ),
        # That they answered a month's pulse, never what: answers are anonymous by design.
        "pulse_rounds_answered": [
            {"manager_id": p.manager_id, "month": p.month}
            for p in session.scalars(
                select(PulseRound)
                .where(PulseRound.team_id == team_id)
                .order_by(PulseRound.month, PulseRound.manager_id)
            )
            if user_id in (p.answered or [])
        ],
        # Action plans they are in, as manager or report: both sides see them.
        "action_plans": [
            {
                **_row(plan),
                "steps": [
                    _row(step, skip=("team_id", "plan_id"))
                    for step in session.scalars(
                        select(ActionPlanStep)
                        .where(ActionPlanStep.plan_id == plan.id)
                        .order_by(ActionPlanStep.position)
                    )
                ],
            }
            for plan in session.scalars(
                select(ActionPlan)
                .where(ActionPlan.team_id == team_id, _in_pair(ActionPlan, user_id))
                .order_by(ActionPlan.id)
            )
        ],
    }


# --- the CLI verbs ------------------------------------------------------------------------


def _valid_id(value: str, prefixes: str) -> bool:
    return len(value) <= 32 and value[:1] in prefixes and value[1:].isalnum() and len(value) > 1


def main(verb: str, args: argparse.Namespace, settings: Any) -> int:
    """`forget-user` and `export-user` (settings: the database to use, already checked)."""
    from bot.clock import utcnow
    from bot.db import make_engine, make_sessionmaker, transaction, upgrade

    team_id, user_id = args.team.strip().upper(), args.user.strip().upper()
    if not _valid_id(team_id, "TE"):
        print(f"--team wants a workspace id like T0123ABCD, got {args.team!r}", file=sys.stderr)
        return 2
    if not _valid_id(user_id, "UW"):
        print(f"--user wants a Slack user id like U0123ABCD, got {args.user!r}", file=sys.stderr)
        return 2
    engine = make_engine(settings.database_url)
    upgrade(engine)
    sessions = make_sessionmaker(engine)
    try:
        if verb == "export-user":
            with sessions() as session:
                data = export(session, team_id, user_id, utcnow())
            out = Path(args.out or f"sprout-export-{team_id}-{user_id}.json")
            out.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", "utf-8")
            counts = ", ".join(
                f"{len(v)} {k.replace('_', ' ')}" for k, v in data.items() if isinstance(v, list)
            )
            print(f"Wrote {out}: {counts}.")
            return 0
        with transaction(sessions) as session:
            removed = forget(session, team_id, user_id)
        lines = [line for line in removed.lines() if not line.endswith(": 0")]
        if not lines:
            print(f"Sprout holds nothing about {user_id} in {team_id}.")
            return 0
        print(f"Erased {user_id}'s personal data in {team_id}:")
        for line in lines:
            print(f"  {line}")
        return 0
    finally:
        engine.dispose()
