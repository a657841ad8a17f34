"""The pulse's rules: who is asked when, which questions, and what may be shown.

Plain functions of data and `now`, plus the few reads and writes the use cases and the
planner share. Anonymity is structural: an answer row holds only the team, the month, the
question, the score and the comment (`store_answers`), and results are shown only when
enough people answered (`threshold`, `visible`).
"""

from __future__ import annotations

import secrets
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.db import insert_ignoring_duplicates
from bot.models import PulseAnswer, PulseChoice, PulseRound, ReportingLine
from bot.preferences.workspace import workspace_defaults
from bot.schedule import Schedule

# Statements a report rates 1-5, in rotation; each is a table in prompts/pulse.toml.
QUESTIONS = (
    "explains_why",
    "affirms",
    "hard_topics",
    "present",
    "asks_feedback",
    "other_views",
    "owns_share",
    "needs",
)
PER_ROUND = 3
MIN_ANSWERS = 5  # a workspace may raise it, never lower it
OPEN_WORKING_DAYS = 5
TUESDAY = 1
COMMENT_LIMIT = 500
SCORES = range(1, 6)
WORKSPACE_SWITCH = "pulse"  # the workspace default that turns it on for every team
WORKSPACE_THRESHOLD = "pulse_min_answers"


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def questions_for(month: str) -> list[str]:
    """Three statements a month, moving on by three each month, so all come round in turn."""
    year, number = (int(part) for part in month.split("-"))
    start = ((year * 12 + number) * PER_ROUND) % len(QUESTIONS)
    return [QUESTIONS[(start + k) % len(QUESTIONS)] for k in range(PER_ROUND)]


def threshold(settings: dict) -> int:
    """How many must answer before anything is shown: the workspace's number, at least 5."""
    try:
        wanted = int(settings.get(WORKSPACE_THRESHOLD, MIN_ANSWERS))
    except (TypeError, ValueError):
        wanted = MIN_ANSWERS
    return max(MIN_ANSWERS, wanted)


def first_working_tuesday(schedule: Schedule, month: str) -> date | None:
    """The month's first Tuesday the manager works; any working day from the first Tuesday
    on when they never work Tuesdays. None: no working day at all."""
    if "1" not in schedule.work_days:
        return None
    year, number = (int(part) for part in month.split("-"))
    day = date(year, number, 1)
    day += timedelta(days=(TUESDAY - day.weekday()) % 7)
    fallback = None
    while day.month == number:
        if schedule.works_on(day):
            if day.weekday() == TUESDAY:
                return day
            fallback = fallback or day
        day += timedelta(days=1)
    return fallback


def next_working_day(schedule: Schedule, today: date) -> date | None:
    if "1" not in schedule.work_days:
        return None
    day = today + timedelta(days=1)
    while not schedule.works_on(day):
        day += timedelta(days=1)
    return day


def closing(schedule: Schedule, opens_on: date) -> datetime:
    """The end of the fifth working day counting the opening day."""
    day, counted = opens_on, 0
    while True:
        if schedule.works_on(day):
            counted += 1
            if counted == OPEN_WORKING_DAYS:
                return schedule.at(day, schedule.work_end)
        day += timedelta(days=1)


def open_round(
    session: Session,
    team_id: str,
    manager_id: str,
    schedule: Schedule,
    opens_on: date,
    now: datetime,
) -> datetime | None:
    """Write the round of `opens_on`'s month unless it exists; when it opens, or None."""
    month = month_of(opens_on)
    opens_at = max(now, schedule.at(opens_on, time(0, 0)))
    values = {
        "team_id": team_id,
        "manager_id": manager_id,
        "month": month,
        "questions": ",".join(questions_for(month)),
        "opens_at": opens_at,
        "closes_at": closing(schedule, opens_on),
        "answered": [],
    }
    written = insert_ignoring_duplicates(
        session, PulseRound, values, ["team_id", "manager_id", "month"], PulseRound.month
    )
    return opens_at if written is not None else None


def latest_round(session: Session, team_id: str, manager_id: str) -> PulseRound | None:
    return session.scalar(
        select(PulseRound)
        .where(PulseRound.team_id == team_id, PulseRound.manager_id == manager_id)
        .order_by(PulseRound.month.desc())
        .limit(1)
    )


def enabled(choice: PulseChoice | None, workspace_on: bool) -> bool:
    """The manager's own word wins; without one, the workspace's switch."""
    return choice.enabled if choice is not None else workspace_on


def workspace_on(settings: dict) -> bool:
    return bool(settings.get(WORKSPACE_SWITCH, False))


def is_enabled(session: Session, team_id: str, manager_id: str) -> bool:
    choice = session.get(PulseChoice, (team_id, manager_id))
    return enabled(choice, workspace_on(workspace_defaults(session, team_id)))


def is_report(session: Session, team_id: str, manager_id: str, user_id: str) -> bool:
    """Only accepted reports are asked (a reporting line exists once they said yes)."""
    line = session.get(ReportingLine, (team_id, user_id))
    return line is not None and line.manager_id == manager_id


# --- answers ----------------------------------------------------------------------------------


def store_answers(
    session: Session, pulse: PulseRound, respondent: str, answers: dict[str, tuple[int, str]]
) -> None:
    """Write one person's answers without them, and note only that they answered.

    The round's answers so far are written again with the new ones, all in a random order
    under new random keys: however a database lays rows out (SQLite by key, PostgreSQL in
    the order written), the order says nothing about who answered when. `answered` stays
    sorted, with no times.
    """
    mine = {"team_id": pulse.team_id, "manager_id": pulse.manager_id, "month": pulse.month}
    kept = [
        (row.question, row.score, row.comment)
        for row in session.scalars(select(PulseAnswer).filter_by(**mine))
    ]
    session.execute(delete(PulseAnswer).filter_by(**mine))
    every = kept + [(q, score, comment or None) for q, (score, comment) in answers.items()]
    secrets.SystemRandom().shuffle(every)
    session.add_all(
        PulseAnswer(slot=secrets.token_hex(16), question=q, score=score, comment=comment, **mine)
        for q, score, comment in every
    )
    pulse.answered = sorted({*pulse.answered, respondent})  # a new list: the JSON column sees it


@dataclass
class QuestionResult:
    question: str
    median: float
    low: int
    high: int
    mean: float
    before: float | None = None  # the median last time it was asked, when it was shown


@dataclass
class Results:
    month: str
    respondents: int
    threshold: int
    questions: list[QuestionResult] = field(default_factory=list)
    comments: list[tuple[str, str]] = field(default_factory=list)  # (question, text), shuffled

    @property
    def visible(self) -> bool:
        return self.respondents >= self.threshold

    @property
    def comments_visible(self) -> bool:
        """Comments need more than the threshold: one comment alone must never stand out."""
        return self.respondents > self.threshold

    def lowest(self) -> QuestionResult | None:
        if not self.visible or not self.questions:
            return None
        return min(self.questions, key=lambda q: (q.median, q.mean))


def summarise(question: str, scores: Iterable[int]) -> QuestionResult:
    values = sorted(scores)
    return QuestionResult(
        question=question,
        median=statistics.median(values),
        low=values[0],
        high=values[-1],
        mean=statistics.fmean(values),
    )


def results(session: Session, pulse: PulseRound) -> Results:
    """A round's results as anyone may see them: nothing at all under the threshold."""
    settings = workspace_defaults(session, pulse.team_id)
    found = Results(pulse.month, len(pulse.answered), threshold(settings))
    if not found.visible:
        return found
    rows = list(
        session.execute(
            select(PulseAnswer.question, PulseAnswer.score, PulseAnswer.comment).where(
                PulseAnswer.team_id == pulse.team_id,
                PulseAnswer.manager_id == pulse.manager_id,
                PulseAnswer.month == pulse.month,
            )
        )
    )
    earlier = _earlier_medians(session, pulse, found.threshold)
    for question in pulse.questions.split(","):
        scores = [score for q, score, _ in rows if q == question]
        if scores:
            result = summarise(question, scores)
            result.before = earlier.get(question)
            found.questions.append(result)
    if found.comments_visible:
        found.comments = [(q, comment) for q, _, comment in rows if comment]
        secrets.SystemRandom().shuffle(found.comments)
    return found


def _earlier_medians(session: Session, pulse: PulseRound, needed: int) -> dict[str, float]:
    """Each question's median the last time it was asked and shown."""
    earlier = list(
        session.scalars(
            select(PulseRound)
            .where(
                PulseRound.team_id == pulse.team_id,
                PulseRound.manager_id == pulse.manager_id,
                PulseRound.month < pulse.month,
            )
            .order_by(PulseRound.month.desc())
        )
    )
    shown = [r for r in earlier if len(r.answered) >= needed]
    if not shown:
        return {}
    rows = session.execute(
        select(PulseAnswer.month, PulseAnswer.question, PulseAnswer.score).where(
            PulseAnswer.team_id == pulse.team_id,
            PulseAnswer.manager_id == pulse.manager_id,
            PulseAnswer.month.in_([r.month for r in shown]),
        )
    )
    scores: dict[tuple[str, str], list[int]] = {}
    for month, question, score in rows:
        scores.setdefault((month, question), []).append(score)
    medians: dict[str, float] = {}
    for past in shown:  # newest first: the first seen is "last time"
        for question in past.questions.split(","):
            values = scores.get((past.month, question))
            if values and question not in medians:
                medians[question] = statistics.median(values)
    return medians


def latest_results(
    session: Session, team_id: str, manager_id: str, now: datetime
) -> Results | None:
    """The newest closed round's results (closed rounds only: counts mid-round say too much)."""
    pulse = session.scalar(
        select(PulseRound)
        .where(
            PulseRound.team_id == team_id,
            PulseRound.manager_id == manager_id,
            PulseRound.closes_at <= now,
        )
        .order_by(PulseRound.month.desc())
        .limit(1)
    )
    return results(session, pulse) if pulse is not None else None


REFLECT_FOR = timedelta(days=28)


def reflection_for(session: Session, team_id: str, manager_id: str, now: datetime) -> str | None:
    """The weekly reflection the latest pulse points to: its lowest score's question, for
    four weeks after its results; None when there is nothing to point to."""
    from bot.prompts import render

    pulse = session.scalar(
        select(PulseRound)
        .where(
            PulseRound.team_id == team_id,
            PulseRound.manager_id == manager_id,
            PulseRound.results_at.is_not(None),
            PulseRound.results_at > now - REFLECT_FOR,
        )
        .order_by(PulseRound.month.desc())
        .limit(1)
    )
    if pulse is None:
        return None
    lowest = results(session, pulse).lowest()
    return render(f"pulse.question.{lowest.question}.reflect") if lowest else None
