"""A manager's own feedback loop over a span (a week for the summary and Home, four weeks
for the summary's look back): how soon their praise and redirects reached
people after the moment that earned them, how much of what they saved reached anyone,
their praise to redirect balance, and their open action plans; each read in plain words,
and the reflection question the numbers suggest.

Only the manager's own records and plans are read: nothing they could not see.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot import events, visibility
from bot.feedback.rules import read_permalink
from bot.feedback.stats import HEARD_KINDS
from bot.models import ActionPlan, CoachingEvent, Feedback
from bot.plans.rules import OPEN
from bot.prompts import Safe, render

MOMENTS = (events.PRIORITY_DONE, events.BLOCKER, events.AT_RISK)
MOMENT_WINDOW = timedelta(days=7)  # a moment older than this earned something else
SOON = timedelta(days=1)  # reached within a day of the moment: while it still matters
SLOW = timedelta(days=3)
MOSTLY_REDIRECTS = 4  # redirects to each praise from which the balance asks a question


@dataclass(frozen=True)
class Loop:
    """A manager's loop over a span of time."""

    given: int = 0  # praise and redirects saved in the span
    reached: int = 0  # of those, how many have reached the person (sent or told)
    praise: int = 0
    redirects: int = 0
    median_delay: timedelta | None = None  # moment to reaching the person; None: no moment
    open_plans: int = 0  # open at the end of the span (or now)


def measure(
    session: Session, team_id: str, manager_id: str, start: datetime, end: datetime
) -> Loop:
    """The loop of the praise and redirects saved from `start` to `end` (now, for a span
    under way)."""
    rows = list(
        session.scalars(
            select(Feedback).where(
                Feedback.team_id == team_id,
                Feedback.giver_id == manager_id,
                Feedback.kind.in_(HEARD_KINDS),
                Feedback.created_at >= start,
                Feedback.created_at < end,
            )
        )
    )
    reached = [row for row in rows if visibility.has_reached(row)]
    delays = [delay for delay in _delays(session, team_id, reached) if delay >= timedelta()]
    praise = sum(row.kind == "praise" for row in rows)
    return Loop(
        given=len(rows),
        reached=len(reached),
        praise=praise,
        redirects=len(rows) - praise,
        median_delay=statistics.median(delays) if delays else None,
        open_plans=_open_plans(session, team_id, manager_id, end),
    )


def _reached_at(row: Feedback) -> datetime:
    return min(_aware(when) for when in (row.delivered_at, row.told_at) if when is not None)


def _delays(session: Session, team_id: str, rows: list[Feedback]) -> list[timedelta]:
    """For each record with a known moment, the time from it to reaching the person: the
    message it was given on, else the person's latest moment (a priority done, a blocker,
    an at-risk) in the week before it was saved."""
    if not rows:
        return []
    earliest = min(_aware(row.created_at) for row in rows) - MOMENT_WINDOW
    moments: dict[str, list[datetime]] = {}
    for user_id, at in session.execute(
        select(CoachingEvent.user_id, CoachingEvent.occurred_at).where(
            CoachingEvent.team_id == team_id,
            CoachingEvent.user_id.in_({row.about_id for row in rows}),
            CoachingEvent.kind.in_(MOMENTS),
            CoachingEvent.occurred_at >= earliest,
        )
    ):
        moments.setdefault(user_id, []).append(_aware(at))
    delays = []
    for row in rows:
        moment = _message_time(row.source_link)
        if moment is None:
            created = _aware(row.created_at)
            before = [
                at
                for at in moments.get(row.about_id, [])
                if created - MOMENT_WINDOW <= at <= created
            ]
            moment = max(before, default=None)
        if moment is not None:
            delays.append(_reached_at(row) - moment)
    return delays


def _message_time(link: str | None) -> datetime | None:
    """When the message a record was given on was posted (its permalink names its ts)."""
    read = read_permalink(link)
    if read is None or len(read.ts) <= 6:
        return None
    return datetime.fromtimestamp(int(read.ts[:-6]), UTC)


def _open_plans(session: Session, team_id: str, manager_id: str, at: datetime) -> int:
    """The manager's plans open at `at`: drafted by then and not closed by then."""
    return len(
        session.scalars(
            select(ActionPlan.id).where(
                ActionPlan.team_id == team_id,
                ActionPlan.manager_id == manager_id,
                ActionPlan.created_at < at,
                or_(
                    ActionPlan.status.in_(OPEN),
                    ActionPlan.closed_at.is_not(None) & (ActionPlan.closed_at >= at),
                ),
            )
        ).all()
    )


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


# --- in words ---------------------------------------------------------------------------------


def delay_words(delay: timedelta | None) -> str:
    if delay is None:
        return render("loop.none")
    hours = delay.total_seconds() / 3600
    if hours < 1:
        return render("loop.under_an_hour")
    if hours < 48:
        return render("loop.hours", count=round(hours))
    return render("loop.days", count=round(hours / 24))


def share_words(loop: Loop) -> str:
    if not loop.given:
        return render("loop.none")
    return render("loop.share", reached=loop.reached, given=loop.given)


def lines(this: Loop, last: Loop | None) -> list[str]:
    """Each figure with a plain reading of it, and last week's unless `last` is None (last
    week began before Sprout, so there is nothing fair to compare with)."""

    def before(figure: str) -> Safe:
        return Safe(render("loop.last_week", last=Safe(figure)) if last is not None else "")

    return [
        render(
            "loop.delay",
            value=delay_words(this.median_delay),
            before=before(delay_words(last.median_delay) if last else ""),
            reading=render(f"loop.reading.delay_{_delay_reading(this)}"),
        ),
        render(
            "loop.reached",
            value=share_words(this),
            before=before(share_words(last) if last else ""),
            reading=render(f"loop.reading.reached_{_reached_reading(this)}"),
        ),
        render(
            "loop.balance",
            praise=this.praise,
            redirects=this.redirects,
            before=before(f"{last.praise}:{last.redirects}" if last else ""),
            reading=render(f"loop.reading.balance_{_balance_reading(this)}"),
        ),
        render(
            "loop.plans",
            count=this.open_plans,
            before=before(str(last.open_plans) if last else ""),
            reading=render("loop.reading.plans_" + ("open" if this.open_plans else "none")),
        ),
    ]


def _delay_reading(loop: Loop) -> str:
    if loop.median_delay is None:
        return "none"
    if loop.median_delay <= SOON:
        return "soon"
    return "slow" if loop.median_delay > SLOW else "days"


def _reached_reading(loop: Loop) -> str:
    if not loop.given:
        return "none"
    if loop.reached * 2 < loop.given:
        return "low"
    return "all" if loop.reached == loop.given else "most"


def _balance_reading(loop: Loop) -> str:
    if not loop.given:
        return "none"
    if loop.redirects >= MOSTLY_REDIRECTS * max(loop.praise, 1) or not loop.praise:
        return "negative"
    return "positive" if loop.praise >= loop.redirects else "mixed"


def question(this: Loop) -> str | None:
    """The reflection the numbers suggest, most telling first; None when nothing stands out."""
    if _balance_reading(this) == "negative":
        return render("loop.question.balance")
    if _reached_reading(this) == "low":
        return render("loop.question.unsaid")
    if _delay_reading(this) == "slow":
        return render("loop.question.slow")
    if this.open_plans:
        return render("loop.question.plans")
    return None
