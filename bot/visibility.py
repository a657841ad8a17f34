"""Who may see a piece of feedback, or a check-in note. Every surface that shows feedback
goes through here.

The rule, and nothing else:
- the giver, always;
- the person it is about, once it was delivered to them;
- that person's current manager, when the giver shared it with them (a manager who
  gave it is the giver), and only once the person has heard it (it was delivered, or the
  giver told them in person): no secret files. A note is never shared. Sharing names one
  manager: if the person later moves to another manager, the new one does not inherit
  it, and the old one loses it.

Not other managers, not peers, not workspace admins. `may_see` is the rule;
`visible_filter` is the same rule as SQL, used only to narrow a query, and every
row a query returns is checked with `may_see` again before anyone is shown it.

Acting on a record (sending, undoing, sharing it, marking its kind) is for its giver
alone: `may_act`. Whoever may act on a record may see it.

A check-in note (the note form on the daily check-in) is read by its author and their
manager, unless the author ticked "Just for me": then by its author alone, on no manager's
surface (digest, Home, summary, one-on-one agenda, `/priority list`): `may_read_checkin_note`.

Answering a record (*Thanks*, *Let's talk*, *I see it differently*) is for the person it
is about alone, once it was delivered to them: `may_answer`. The answer goes to the
giver only.

A manager's reflection journal is theirs alone: `may_read_journal`. Not their manager,
not their reports, not workspace admins; every surface that shows an entry (Home, the
answer form, an export of their own data) checks it.

An action plan is seen by its manager and its report, nobody else (not peers, other
managers or admins), and only while that manager still manages the report (someone who
moves on takes no plan with them to a new manager, and leaves none with the old one):
`may_see_plan`, and `plan_filter` as SQL. Its manager changes it (`may_run_plan`); its
report agrees to it or suggests a change, and marks steps done (`may_follow_plan`).

What a pair agreed (a baseline, a focus to practise) is for that manager and that report
alone, while the reporting line between them holds: `may_see_pair`. Not the next manager,
not peers, not admins.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from bot.models import ActionPlan, Feedback, ReportingLine
from bot.teams import managers_of

NOTE = "note"  # the kind of record that stays its author's alone


class Visible(Protocol):
    giver_id: str
    about_id: str
    kind: str
    delivered_at: object
    told_at: object
    shared_with_id: str | None


def has_reached(record: Visible) -> bool:
    """Whether the person has heard it: Sprout delivered it, or the giver told them."""
    return record.delivered_at is not None or record.told_at is not None


def reached_filter() -> ColumnElement[bool]:
    """`has_reached` as a WHERE clause on Feedback."""
    return or_(Feedback.delivered_at.is_not(None), Feedback.told_at.is_not(None))


def may_see(viewer_id: str, record: Visible, subject_manager_id: str | None) -> bool:
    """Whether `viewer_id` may see `record`, given who manages its subject right now."""
    if not viewer_id:
        return False
    return (
        viewer_id == record.giver_id
        or (viewer_id == record.about_id and record.delivered_at is not None)
        or (
            record.shared_with_id == viewer_id
            and subject_manager_id == viewer_id
            and record.kind != NOTE
            and has_reached(record)
        )
    )


def may_read_checkin_note(
    viewer_id: str, author_id: str, *, private: bool, author_manager_id: str | None = None
) -> bool:
    """Whether `viewer_id` may read a check-in note by `author_id`: the author always, their
    current manager only when it was not kept just for the author."""
    if not viewer_id:
        return False
    return viewer_id == author_id or (not private and viewer_id == author_manager_id)


class PairRecord(Protocol):
    manager_id: str
    report_id: str


def may_see_pair(viewer_id: str, record: PairRecord, subject_manager_id: str | None) -> bool:
    """Whether `viewer_id` may see what a manager and a report agreed (`record`), given who
    manages the report right now: one of the two, while the one still manages the other."""
    return (
        bool(viewer_id)
        and viewer_id in (record.manager_id, record.report_id)
        and subject_manager_id == record.manager_id
    )


def may_act(actor_id: str, record: Visible) -> bool:
    """Whether `actor_id` may act on `record`, and see it wherever it offers those actions."""
    return bool(actor_id) and actor_id == record.giver_id


def may_answer(actor_id: str, record: Visible) -> bool:
    """Whether `actor_id` may answer `record`: they are its subject and it reached them in
    Sprout's DM."""
    return bool(actor_id) and actor_id == record.about_id and record.delivered_at is not None


class Journaled(Protocol):
    team_id: str
    manager_id: str


def may_read_journal(team_id: str, viewer_id: str, entry: Journaled) -> bool:
    """Whether `viewer_id` (in `team_id`) may read or change a reflection: its author only."""
    return bool(viewer_id) and entry.team_id == team_id and entry.manager_id == viewer_id


def _current_manager():  # type: ignore[no-untyped-def]
    return (
        select(ReportingLine.manager_id)
        .where(
            ReportingLine.team_id == Feedback.team_id,
            ReportingLine.report_id == Feedback.about_id,
        )
        .correlate(Feedback)
        .scalar_subquery()
    )


def visible_filter(viewer_id: str) -> ColumnElement[bool]:
    """`may_see` as a WHERE clause on Feedback."""
    return or_(
        Feedback.giver_id == viewer_id,
        and_(Feedback.about_id == viewer_id, Feedback.delivered_at.is_not(None)),
        and_(
            Feedback.shared_with_id == viewer_id,
            _current_manager() == viewer_id,
            Feedback.kind != NOTE,
            reached_filter(),
        ),
    )


def _checked(
    session: Session, team_id: str, viewer_id: str, rows: Sequence[Feedback]
) -> list[Feedback]:
    managers = managers_of(session, team_id, sorted({r.about_id for r in rows}))
    return [r for r in rows if may_see(viewer_id, r, managers.get(r.about_id))]


def visible(
    session: Session,
    team_id: str,
    viewer_id: str,
    *,
    about_id: str | None = None,
    limit: int | None = None,
) -> list[Feedback]:
    """The feedback `viewer_id` may see (optionally only about one person), newest first."""
    query = select(Feedback).where(Feedback.team_id == team_id, visible_filter(viewer_id))
    if about_id is not None:
        query = query.where(Feedback.about_id == about_id)
    query = query.order_by(Feedback.created_at.desc(), Feedback.id.desc())
    if limit is not None:
        query = query.limit(limit)
    return _checked(session, team_id, viewer_id, list(session.scalars(query)))


def count_visible(session: Session, team_id: str, viewer_id: str, about_id: str) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(Feedback)
            .where(
                Feedback.team_id == team_id,
                Feedback.about_id == about_id,
                visible_filter(viewer_id),
            )
        )
        or 0
    )


def get_visible(session: Session, team_id: str, viewer_id: str, record_id: int) -> Feedback | None:
    """One record by id, or None when it does not exist or the viewer may not see it."""
    record = session.get(Feedback, record_id)
    if record is None or record.team_id != team_id:
        return None
    return record if _checked(session, team_id, viewer_id, [record]) else None


# --- action plans ---------------------------------------------------------------------------


class PlanSeen(Protocol):
    manager_id: str
    report_id: str


def may_see_plan(viewer_id: str, plan: PlanSeen, current_manager_id: str | None) -> bool:
    """Whether `viewer_id` may see `plan`, given who manages its report right now: its
    manager or its report, while that manager still manages them; nobody else."""
    return (
        bool(viewer_id)
        and viewer_id in (plan.manager_id, plan.report_id)
        and current_manager_id == plan.manager_id
    )


def may_run_plan(actor_id: str, plan: PlanSeen) -> bool:
    """Whether `actor_id` may change `plan` (send, close, new dates): its manager."""
    return bool(actor_id) and actor_id == plan.manager_id


def may_follow_plan(actor_id: str, plan: PlanSeen) -> bool:
    """Whether `actor_id` may agree to `plan`, suggest a change, or mark its steps done."""
    return bool(actor_id) and actor_id == plan.report_id


def plan_line_filter() -> ColumnElement[bool]:
    """WHERE clause on ActionPlan: its manager still manages its report."""
    current = (
        select(ReportingLine.manager_id)
        .where(
            ReportingLine.team_id == ActionPlan.team_id,
            ReportingLine.report_id == ActionPlan.report_id,
        )
        .correlate(ActionPlan)
        .scalar_subquery()
    )
    return current == ActionPlan.manager_id


def plan_filter(viewer_id: str) -> ColumnElement[bool]:
    """`may_see_plan` as a WHERE clause on ActionPlan."""
    return and_(
        or_(ActionPlan.manager_id == viewer_id, ActionPlan.report_id == viewer_id),
        plan_line_filter(),
    )
