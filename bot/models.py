"""Database tables. Every row belongs to one Slack workspace (`team_id`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Boolean, Date, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.db import UTCDateTime

ID = String(32)  # Slack ids (T..., U..., W..., D...) are short


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime()}


class Workspace(Base):
    __tablename__ = "workspaces"

    team_id: Mapped[str] = mapped_column(ID, primary_key=True)
    enterprise_id: Mapped[str | None] = mapped_column(ID)
    name: Mapped[str] = mapped_column(String(200), default="")
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime]
    uninstalled_at: Mapped[datetime | None]


class Member(Base):
    """What Slack told us about a person, cached from users.info."""

    __tablename__ = "members"

    team_id: Mapped[str] = mapped_column(ID, primary_key=True)
    user_id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    real_name: Mapped[str] = mapped_column(String(200), default="")
    tz: Mapped[str] = mapped_column(String(64), default="UTC")
    is_bot: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    is_restricted: Mapped[bool] = mapped_column(Boolean, default=False)
    is_ultra_restricted: Mapped[bool] = mapped_column(Boolean, default=False)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    # Until when a Slack status said they are away (vacation, sick...); the status text
    # itself is not kept. None: not away.
    away_until: Mapped[datetime | None]
    # Set when Slack refuses to deliver to this person (deactivated, ...): stop trying.
    unreachable: Mapped[bool] = mapped_column(Boolean, default=False)
    fetched_at: Mapped[datetime]

    @property
    def display(self) -> str:
        return self.real_name or self.name or self.user_id


class ReportingLine(Base):
    """Who reports to whom. The primary key makes 'one manager per person' a fact."""

    __tablename__ = "reporting_lines"
    __table_args__ = (Index("ix_reporting_lines_manager", "team_id", "manager_id"),)

    team_id: Mapped[str] = mapped_column(ID, primary_key=True)
    report_id: Mapped[str] = mapped_column(ID, primary_key=True)
    manager_id: Mapped[str] = mapped_column(ID)
    added_by: Mapped[str] = mapped_column(ID)
    since: Mapped[datetime]
    baseline_held_at: Mapped[datetime | None]  # the expectations talk happened


class TeamRequest(Base):
    """A manager's "you report to me", waiting for the person's yes.

    Nothing of the person reaches the manager until they accept: only then is a
    `ReportingLine` written, so every rule that reads reporting lines waits with it.
    """

    __tablename__ = "team_requests"
    __table_args__ = (
        Index("ix_team_requests_open", "answer", "expires_at"),
        Index("ix_team_requests_manager", "team_id", "manager_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ID)
    report_id: Mapped[str] = mapped_column(ID)
    manager_id: Mapped[str] = mapped_column(ID)
    requested_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    # None while open; then accepted, declined, expired or withdrawn.
    answer: Mapped[str | None] = mapped_column(String(16))
    answered_at: Mapped[datetime | None]


class ProcessedEvent(Base):
    """Event ids already handled, so Slack's retries never act twice."""

    __tablename__ = "processed_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    team_id: Mapped[str] = mapped_column(ID)
    received_at: Mapped[datetime] = mapped_column(index=True)


class OutboxMessage(Base):
    """A message we owe someone. Written before it is sent; claimed before sending.

    The unique key (team, recipient, kind, subject, period) is what makes a replayed
    scheduler pass, a restart or a second scheduler process harmless.
    """

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint(
            "team_id", "recipient_id", "kind", "subject", "period", name="uq_outbox_key"
        ),
        Index("ix_outbox_due", "status", "not_before"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ID)
    recipient_id: Mapped[str] = mapped_column(ID)
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(100), default="")
    period: Mapped[str] = mapped_column(String(40), default="")
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    not_before: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    rate_limited: Mapped[int] = mapped_column(Integer, default=0)  # 429s met on the way
    claim_token: Mapped[str | None] = mapped_column(String(40))
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    channel: Mapped[str | None] = mapped_column(ID)
    ts: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime]
    # When the message stops being worth sending: still pending then, it is marked expired.
    expires_at: Mapped[datetime]
    # Set when an attempt's outcome is unknown (a timeout, a claim abandoned mid-send): the
    # first such attempt's claim time. Slack may have posted it, so the DM's history is
    # looked at (from this instant) before the row is sent again or given up.
    unsure_since: Mapped[datetime | None]


class CoachingEvent(Base):
    """Something a manager may want to act on (a report finished a priority, raised a
    blocker, joined the team). Stored when it happens; the nudge engine consumes it."""

    __tablename__ = "coaching_events"
    __table_args__ = (
        Index("ix_coaching_events_open", "handled_at", "occurred_at"),
        Index("ix_coaching_events_person", "team_id", "user_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ID)
    kind: Mapped[str] = mapped_column(String(40))  # e.g. report_added, priority_done, blocker
    user_id: Mapped[str] = mapped_column(ID)  # the person the event is about
    actor_id: Mapped[str] = mapped_column(ID)  # who caused it
    subject: Mapped[str] = mapped_column(String(100), default="")  # e.g. a priority id
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    occurred_at: Mapped[datetime]
    handled_at: Mapped[datetime | None]
    # What the nudge engine did with it: nudged, folded (into the digest), duplicate,
    # snoozed, no_manager. Folded events are shown by the next digest, then `digested`.
    outcome: Mapped[str | None] = mapped_column(String(16))
    digested_at: Mapped[datetime | None]


class PersonSettings(Base):
    """A person's own schedule. Empty columns fall back to the workspace defaults.

    `next_checkin_at` is the next instant a check-in may be due, kept up to date when
    anything it depends on changes; the scheduler scans only rows whose time has come.
    """

    __tablename__ = "person_settings"
    __table_args__ = (Index("ix_person_settings_next_checkin", "next_checkin_at"),)

    team_id: Mapped[str] = mapped_column(ID, primary_key=True)
    user_id: Mapped[str] = mapped_column(ID, primary_key=True)
    checkin_time: Mapped[str | None] = mapped_column(String(5))  # "HH:MM" local
    work_days: Mapped[str | None] = mapped_column(String(7))  # Mon..Sun as "1111100"
    work_start: Mapped[str | None] = mapped_column(String(5))
    work_end: Mapped[str | None] = mapped_column(String(5))
    checkins_off: Mapped[bool] = mapped_column(Boolean, default=False)
    snoozed_until: Mapped[date | None] = mapped_column(Date)  # local date, inclusive
    next_checkin_at: Mapped[datetime | None]
    nudge_time: Mapped[str | None] = mapped_column(String(5))  # the manager's digest, local
    nudges_snoozed_until: Mapped[datetime | None]  # `/coach snooze`: no nudges before this
    next_digest_at: Mapped[datetime | None] = mapped_column(index=True)
    summary_day: Mapped[int | None] = mapped_column(Integer)  # 0 = Monday ... 6 = Sunday
    summary_time: Mapped[str | None] = mapped_column(String(5))  # "HH:MM" local
    next_summary_at: Mapped[datetime | None] = mapped_column(index=True)
    tz_override: Mapped[str | None] = mapped_column(String(64))  # wins over Slack's tz
    home_opened_at: Mapped[datetime | None]  # published once: keep the Home tab fresh
    # Whose public holidays they keep: None their time zone's country, "none" nobody's.
    holiday_country: Mapped[str | None] = mapped_column(String(8))
    # daily | weekly | paused, once they chose after unanswered check-ins (None: daily).
    checkin_cadence: Mapped[str | None] = mapped_column(String(8))
    cadence_asked_at: Mapped[datetime | None]  # asked once which cadence they want
    updated_at: Mapped[datetime]


class Priority(Base):
    """One of a person's few priorities. `touched_at` moves on every change or check-in
    answer: staleness is measured from it."""

    __tablename__ = "priorities"
    __table_args__ = (Index("ix_priorities_owner", "team_id", "owner_id", "state"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ID)
    owner_id: Mapped[str] = mapped_column(ID)
    title: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(16), default="active")  # active|done|dropped
    health: Mapped[str | None] = mapped_column(String(16))  # on_track|at_risk|blocked
    note: Mapped[str | None] = mapped_column(Text)
    due_on: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(ID)
    created_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(ID)
    updated_at: Mapped[datetime]
    touched_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]


class PriorityChange(Base):
    """The history of a priority: what changed, when, and by whom."""

    __tablename__ = "priority_changes"
    __table_args__ = (Index("ix_priority_changes_priority", "priority_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ID)
    priority_id: Mapped[int] = mapped_column(Integer)
    by: Mapped[str] = mapped_column(ID)
    at: Mapped[datetime]
    field: Mapped[str] = mapped_column(String(16))  # created|title|due|health|state|note|checkin
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16), default="command")  # command|button|checkin


class Checkin(Base):
    """One daily check-in for one person on one of their local dates (never two)."""

    __tablename__ = "checkins"
    __table_args__ = (
        UniqueConstraint("team_id", "user_id", "local_date", name="uq_checkin_day"),
        Index("ix_checkins_open", "answered_at", "reminder_due_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ID)
    user_id: Mapped[str] = mapped_column(ID)
    local_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="sent")  # sent|skipped
    skip_reason: Mapped[str | None] = mapped_column(String(40))
    planned_at: Mapped[datetime]
    reminder_due_at: Mapped[datetime | None]
    window_ends_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # priority id -> answer


class NudgeSnooze(Base):
    """'Remind me in 3 days' about one person, for one reason, from one manager."""

    __tablename__ = "nudge_snoozes"

    team_id: Mapped[str] = mapped_column(ID, primary_key=True)
    manager_id: Mapped[str] = mapped_column(ID, primary_key=True)
    user_id: Mapped[str] = mapped_column(ID, primary_key=True)
    reason: Mapped[str] = mapped_column(String(24), primary_key=True)
    until: Mapped[datetime]


# A record nobody has heard yet, kept on purpose or been reminded of.
UNHEARD = text(
    "unsent_nudged_at IS NULL AND kept_at IS NULL AND send_requested_at IS NULL"
    " AND delivered_at IS NULL AND told_at IS NULL"
)


class Feedback(Base):
    """One piece of feedback: what `giver_id` recorded about `about_id`.

    Who may read a row is decided by `bot.visibility` alone. `token` makes a
    re-submitted form or a repeated click land on the same row instead of a new one.
    """

    __tablename__ = "feedback"
    __table_args__ = (
        UniqueConstraint("team_id", "token", name="uq_feedback_token"),
        Index("ix_feedback_about", "team_id", "about_id", "created_at"),
        Index("ix_feedback_ladder", "team_id", "about_id", "kind", "topic", "created_at"),
        Index("ix_feedback_giver", "team_id", "giver_id", "created_at"),
        Index("ix_feedback_giver_kind", "team_id", "giver_id", "kind", "id"),
        # What the reminder of what is unsaid reads each pass (`bot.feedback.planning`).
        Index("ix_feedback_unheard", "created_at", sqlite_where=UNHEARD, postgresql_where=UNHEARD),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ID)
    giver_id: Mapped[str] = mapped_column(ID)
    about_id: Mapped[str] = mapped_column(ID)
    kind: Mapped[str] = mapped_column(String(16))  # praise, redirect, note
    topic: Mapped[str] = mapped_column(String(40), default="")  # lower case; "" for none
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16))  # command, modal, shortcut
    source_link: Mapped[str | None] = mapped_column(String(500))  # permalink to a message
    token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    send_requested_at: Mapped[datetime | None]  # the giver pressed "Send it to ..."
    delivered_at: Mapped[datetime | None]  # the DM reached them: from now on they may see it
    shared_with_id: Mapped[str | None] = mapped_column(ID)  # the manager it was shared with
    shared_at: Mapped[datetime | None]
    # The giver said they told the person themselves ("I told them"): when, as they said.
    told_at: Mapped[datetime | None]
    kept_at: Mapped[datetime | None]  # "Keep to myself": never ask about delivering it again
    unsent_nudged_at: Mapped[datetime | None]  # the one reminder that it is still unsaid
    # The person's answer to the DM (thanks, talk, differ), with an optional comment.
    response: Mapped[str | None] = mapped_column(String(16))
    response_text: Mapped[str | None] = mapped_column(Text)
    responded_at: Mapped[datetime | None]
    discussed_at: Mapped[datetime | None]  # a response (or a 1:1) closed it
    ask_id: Mapped[int | None] = mapped_column(Integer)  # the request for feedback it answers
    # How many records of this kind the giver saved before this one (which wording of the
    # tip it gets): set as it is saved, from their latest one (`rules.nth_of_new`).
    nth: Mapped[int | None] = mapped_column(Integer)


class FeedbackAsk(Base):
    """Someone asked a person for feedback (`/feedback ask`); answered with a Feedback row.

    Its question is seen by the two of them only.
    """

    __tablename__ = "feedback_asks"
    __table_args__ = (
        Index("ix_feedback_asks_asked", "team_id", "asked_id", "created_at"),
        Index("ix_feedback_asks_open", "answered_at", "reminded_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ID)
    asker_id: Mapped[str] = mapped_column(ID)
    asked_id: Mapped[str] = mapped_column(ID)
    topic: Mapped[str] = mapped_column(String(40), default="")
    question: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
    reminded_at: Mapped[datetime | None]
    answered_at: Mapped[datetime | None]


class SchedulerState(Base):
    """What the scheduler process last did, readable by any process (e.g. /metrics)."""

    __tablename__ = "scheduler_state"

    LAST_PASS: ClassVar[str] = "last_pass"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    at: Mapped[datetime]


class PendingErasure(Base):
    """A person Slack deactivated: their data is erased at `due_at` unless they come back."""

    __tablename__ = "pending_erasures"

    team_id: Mapped[str] = mapped_column(ID, primary_key=True)
    user_id: Mapped[str] = mapped_column(ID, primary_key=True)
    due_at: Mapped[datetime] = mapped_column(index=True)
    created_at: Mapped[datetime]


class PulseChoice(Base):
    """A manager's own word on their team's monthly pulse (`/coach pulse on|off`); without
    one, the workspace's switch decides."""

    __tablename__ = "pulse_choices"

    team_id: Mapped[str] = mapped_column(ID, primary_key=True)
    manager_id: Mapped[str] = mapped_column(ID, primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime]


class PulseRound(Base):
    """One month's pulse for one manager's team.

    `answered` is who has answered (sorted ids, no times): it stops a second answer and
    the DM to someone who answered already, and says nothing about what anyone said.
    """

    __tablename__ = "pulse_rounds"

    team_id: Mapped[str] = mapped_column(ID, primary_key=True)
    manager_id: Mapped[str] = mapped_column(ID, primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # "2026-12"
    questions: Mapped[str] = mapped_column(String(200))  # question keys, comma-separated
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime] = mapped_column(index=True)
    answered: Mapped[list[str]] = mapped_column(JSON, default=list)
    results_at: Mapped[datetime | None]  # the results message was planned


class PulseAnswer(Base):
    """One anonymous answer to one pulse question.

    Structurally anonymous: no respondent, no time finer than the month, and a random key
    (in SQLite the table is stored in key order, so rows come back in no order of answering).
    """

    __tablename__ = "pulse_answers"
    __table_args__ = (
        Index("ix_pulse_answers_round", "team_id", "manager_id", "month"),
        {"sqlite_with_rowid": False},
    )

    slot: Mapped[str] = mapped_column(String(32), primary_key=True)  # random, says nothing
    team_id: Mapped[str] = mapped_column(ID)
    manager_id: Mapped[str] = mapped_column(ID)
    month: Mapped[str] = mapped_column(String(7))
    question: Mapped[str] = mapped_column(String(24))
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)


class OneOnOne(Base):
    """A manager's regular one-on-one with one report, in the manager's own time zone.

    `next_at` is the next meeting's instant and `agenda_due_at` when its agenda goes out
    (`lead_minutes` before); the scheduler scans only rows whose agenda time has come.
    """

    __tablename__ = "one_on_ones"

    team_id: Mapped[str] = mapped_column(ID, primary_key=True)
    manager_id: Mapped[str] = mapped_column(ID, primary_key=True)
    report_id: Mapped[str] = mapped_column(ID, primary_key=True)
    cadence: Mapped[str] = mapped_column(String(8))  # weekly | biweekly | once | off
    days: Mapped[str] = mapped_column(String(7), default="0000000")  # Mon..Sun mask
    at_time: Mapped[str] = mapped_column(String(5))  # "HH:MM", the manager's local time
    anchor: Mapped[date] = mapped_column(Date)  # biweekly: a day of an "on" week; once: the day
    lead_minutes: Mapped[int] = mapped_column(Integer, default=60)
    next_at: Mapped[datetime | None]
    agenda_due_at: Mapped[datetime | None] = mapped_column(index=True)
    updated_by: Mapped[str] = mapped_column(ID)
    updated_at: Mapped[datetime]


class AgendaItem(Base):
    """Something to talk about at a pair's next one-on-one, until a wrap-up covers it.

    `source` says where it came from (`person`: typed by the manager or the report; other
    features add their own, with `source_ref` naming their record, once).
    """

    __tablename__ = "agenda_items"
    __table_args__ = (
        Index("ix_agenda_items_pair", "team_id", "manager_id", "report_id", "covered_at"),
        UniqueConstraint(
            "team_id", "manager_id", "report_id", "source", "source_ref", name="uq_agenda_source"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ID)
    manager_id: Mapped[str] = mapped_column(ID)
    report_id: Mapped[str] = mapped_column(ID)
    author_id: Mapped[str] = mapped_column(ID)
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16), default="person")
    source_ref: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]
    covered_at: Mapped[datetime | None]  # a wrap-up after it was added


class Agreement(Base):
    """A line agreed at a one-on-one's wrap-up, with who owns it; a priority tracks it."""

    __tablename__ = "oneonone_agreements"
    __table_args__ = (
        Index("ix_oneonone_agreements_pair", "team_id", "manager_id", "report_id", "occurrence"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ID)
    manager_id: Mapped[str] = mapped_column(ID)
    report_id: Mapped[str] = mapped_column(ID)
    occurrence: Mapped[str] = mapped_column(String(20))  # the meeting, "2026-12-01T14:00"
    owner_id: Mapped[str] = mapped_column(ID)
    text: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date | None] = mapped_column(Date)
    priority_id: Mapped[int | None] = mapped_column(Integer)
    created_by: Mapped[str] = mapped_column(ID)
    created_at: Mapped[datetime]


class WrapUp(Base):
    """One side's wrap-up of a one-on-one, with their private note (only they see it)."""

    __tablename__ = "oneonone_wrapups"

    team_id: Mapped[str] = mapped_column(ID, primary_key=True)
    manager_id: Mapped[str] = mapped_column(ID, primary_key=True)
    report_id: Mapped[str] = mapped_column(ID, primary_key=True)
    occurrence: Mapped[str] = mapped_column(String(20), primary_key=True)
    author_id: Mapped[str] = mapped_column(ID, primary_key=True)
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime]


class Reflection(Base):
    """A manager's answer to one week's reflection question: their private journal.

    One row per manager and week (`week`, "2026-W49"), made when the question is asked;
    answering again updates it. `figures` is that week's numbers as the summary showed
    them, taken again when the answer comes in the same week. Only its author reads it
    (`bot.visibility.may_read_journal`).
    """

    __tablename__ = "reflections"
    __table_args__ = (
        UniqueConstraint("team_id", "manager_id", "week", name="uq_reflection_week"),
        Index("ix_reflections_journal", "team_id", "manager_id", "answered_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ID)
    manager_id: Mapped[str] = mapped_column(ID)
    week: Mapped[str] = mapped_column(String(8))
    question: Mapped[str] = mapped_column(Text)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    asked_at: Mapped[datetime]
    answer: Mapped[str | None] = mapped_column(Text)
    rating: Mapped[int | None] = mapped_column(Integer)  # 1-5, "how did I do"
    answered_at: Mapped[datetime | None]
    skipped_at: Mapped[datetime | None]


class ActionPlan(Base):
    """A written plan a manager drafts on the third rung of the redirect ladder and the
    report agrees to: steps with dates and a check-in date.

    Seen by its manager and its report only (`bot.visibility.may_see_plan`). `status`:
    proposed (sent to the report), changes (the report suggested a change), agreed,
    resolved.
    """

    __tablename__ = "action_plans"
    __table_args__ = (
        Index("ix_action_plans_manager", "team_id", "manager_id", "status"),
        Index("ix_action_plans_report", "team_id", "report_id", "status"),
        UniqueConstraint("team_id", "token", name="uq_action_plans_token"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ID)
    manager_id: Mapped[str] = mapped_column(ID)
    report_id: Mapped[str] = mapped_column(ID)
    feedback_id: Mapped[int] = mapped_column(Integer)  # the redirect that reached the rung
    topic: Mapped[str] = mapped_column(String(40), default="")
    status: Mapped[str] = mapped_column(String(16))
    check_in_on: Mapped[date] = mapped_column(Date)
    token: Mapped[str] = mapped_column(String(64))  # one plan per submitted form
    comment: Mapped[str | None] = mapped_column(Text)  # the report's suggested change
    created_at: Mapped[datetime]
    agreed_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    check_in_nudged_on: Mapped[date | None] = mapped_column(Date)  # the check-in nudge went


class ActionPlanStep(Base):
    """One step of an action plan, with its date; done once the report says so."""

    __tablename__ = "action_plan_steps"
    __table_args__ = (Index("ix_action_plan_steps_plan", "plan_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ID)
    plan_id: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(300))
    due_on: Mapped[date] = mapped_column(Date)
    done_at: Mapped[datetime | None]
    nudged_on: Mapped[date | None] = mapped_column(Date)  # the manager's nudge on its date


class Baseline(Base):
    """What a manager and a report expect of the report's work, written down by the manager
    and agreed by the report. One per pair: `proposal` is what was last sent (`version`
    counts the sendings, so an old message's *Agree* cannot agree to a newer text) and
    `agreed` what the report last agreed to, kept while a revision waits.
    """

    __tablename__ = "baselines"

    team_id: Mapped[str] = mapped_column(ID, primary_key=True)
    manager_id: Mapped[str] = mapped_column(ID, primary_key=True)
    report_id: Mapped[str] = mapped_column(ID, primary_key=True)
    proposal: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    version: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(8))  # sent | agreed | changes
    comment: Mapped[str] = mapped_column(Text, default="")  # the report's suggested change
    agreed: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    agreed_at: Mapped[datetime | None]
    review_at: Mapped[datetime | None] = mapped_column(index=True)  # "does it still hold?"
    updated_at: Mapped[datetime]


class Focus(Base):
    """The one thing a report practises, proposed by one of the pair and accepted by the
    other. A pair has at most one `active` (or `proposed`) focus at a time."""

    __tablename__ = "focuses"
    __table_args__ = (Index("ix_focuses_pair", "team_id", "manager_id", "report_id", "state"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    team_id: Mapped[str] = mapped_column(ID)
    manager_id: Mapped[str] = mapped_column(ID)
    report_id: Mapped[str] = mapped_column(ID)
    text: Mapped[str] = mapped_column(String(200))
    proposed_by: Mapped[str] = mapped_column(ID)
    state: Mapped[str] = mapped_column(String(8))  # proposed | active | done | declined
    created_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]


class FocusPractice(Base):
    """A day the report said they practised their focus (one row a day, however many taps)."""

    __tablename__ = "focus_practice"

    focus_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)  # the report's local date
    team_id: Mapped[str] = mapped_column(ID)
    at: Mapped[datetime]
