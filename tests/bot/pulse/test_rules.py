"""The pulse's rules and its anonymous store, without Slack."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import inspect, select, text
from sqlalchemy.orm import Session, sessionmaker

from bot.db import transaction
from bot.models import PulseAnswer, PulseRound, Workspace
from bot.pulse import rules
from bot.pulse.actions import answer, switch
from bot.pulse.views import claim, comment_block, score_block
from bot.schedule import Schedule
from devtools.cast import ANA, EVERYONE, JULES, LEO, NOOR, OMAR, RAVI, SAM
from tests.bot.conftest import CAST_TEAM

TEAM = (RAVI, ANA, LEO, NOOR, SAM, JULES)
MONDAY = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
DURING = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
AFTER = datetime(2026, 12, 9, 12, 0, tzinfo=UTC)


def test_three_questions_a_month_in_rotation_so_all_come_round():
    months = [f"2027-{n:02d}" for n in range(1, 9)]
    asked = [q for month in months for q in rules.questions_for(month)]
    assert all(len(set(rules.questions_for(month))) == 3 for month in months)
    assert set(asked) == set(rules.QUESTIONS)


def test_the_first_working_tuesday_skips_a_tuesday_off():
    assert rules.first_working_tuesday(Schedule(), "2026-12") == date(2026, 12, 1)
    no_tuesdays = Schedule(work_days="1011100")
    assert rules.first_working_tuesday(no_tuesdays, "2026-12") == date(2026, 12, 2)


def test_a_pulse_stays_open_five_working_days():
    closes = rules.closing(Schedule(tz="America/New_York"), date(2026, 12, 1))
    assert closes == datetime(2026, 12, 7, 23, 0, tzinfo=UTC)  # Monday 18:00 in New York


def test_a_workspace_may_raise_the_threshold_but_never_lower_it():
    assert rules.threshold({}) == 5
    assert rules.threshold({"pulse_min_answers": 8}) == 8
    assert rules.threshold({"pulse_min_answers": 2}) == 5


def form(pulse: PulseRound, score: int, comment: str = "") -> dict:
    values: dict = {}
    for question in pulse.questions.split(","):
        values[score_block(question)] = {"score": {"selected_option": {"value": str(score)}}}
        values[comment_block(question)] = {"comment": {"value": comment}}
    return values


def run_pulse(
    cast_sessions: sessionmaker[Session],
    act: Callable,
    build_team: Callable,
    scores: dict,
) -> PulseRound:
    build_team(OMAR, *TEAM)
    act(switch, OMAR, "on", now=MONDAY)
    with cast_sessions() as session:
        pulse = session.scalars(select(PulseRound)).one()
    for person, score in scores.items():
        done = act(
            answer,
            person,
            claim(OMAR.user_id, pulse.month),
            form(pulse, score, f"from {score}"),
            now=DURING,
        )
        assert not done.refused
    with cast_sessions() as session:
        return session.scalars(select(PulseRound)).one()


def test_the_stored_answers_cannot_lead_back_to_who_gave_them(
    cast_sessions: sessionmaker[Session], act: Callable, build_team: Callable
):
    scores = dict(zip(TEAM, (4, 3, 5, 3, 4, 2), strict=True))
    run_pulse(cast_sessions, act, build_team, scores)
    with cast_sessions() as session:
        columns = {c["name"] for c in inspect(session.get_bind()).get_columns("pulse_answers")}
        assert columns == {"slot", "team_id", "manager_id", "month", "question", "score", "comment"}
        rows = [tuple(row) for row in session.execute(text("SELECT * FROM pulse_answers"))]
        pulse = session.scalars(select(PulseRound)).one()
    assert len(rows) == 18
    people = {p.user_id for p in EVERYONE} - {OMAR.user_id}
    assert not any(str(value) in people for row in rows for value in row)
    assert not any(isinstance(value, datetime) for row in rows for value in row)
    # Who answered is a sorted list, with no times: it does not say in what order.
    assert pulse.answered == sorted(p.user_id for p in TEAM)
    # In the order the database gives rows back (by key in SQLite, as written in PostgreSQL),
    # answers do not follow the order people answered in.
    answered_in_order = [str(scores[p]) for p in TEAM for _ in range(3)]
    assert [str(row[5]) for row in rows] != answered_in_order


def test_results_show_only_at_five_answers_and_comments_only_above(
    cast_sessions: sessionmaker[Session], act: Callable, build_team: Callable
):
    run_pulse(cast_sessions, act, build_team, dict(zip(TEAM[:4], (1, 2, 3, 4), strict=True)))
    with cast_sessions() as session:
        found = rules.results(session, session.scalars(select(PulseRound)).one())
    assert not found.visible and found.questions == [] and found.comments == []


def test_exactly_five_answers_show_scores_but_no_comments(
    cast_sessions: sessionmaker[Session], act: Callable, build_team: Callable
):
    run_pulse(cast_sessions, act, build_team, dict(zip(TEAM[:5], (1, 2, 3, 4, 5), strict=True)))
    with cast_sessions() as session:
        found = rules.results(session, session.scalars(select(PulseRound)).one())
    assert found.visible and not found.comments_visible and found.comments == []
    assert [(q.median, q.low, q.high) for q in found.questions] == [(3, 1, 5)] * 3


def test_comments_come_back_in_no_fixed_order(
    cast_sessions: sessionmaker[Session], act: Callable, build_team: Callable
):
    run_pulse(cast_sessions, act, build_team, dict(zip(TEAM, (1, 2, 3, 4, 5, 5), strict=True)))
    with cast_sessions() as session:
        pulse = session.scalars(select(PulseRound)).one()
        orders = {tuple(rules.results(session, pulse).comments) for _ in range(30)}
    assert len(orders) > 1


def test_a_raised_threshold_hides_what_five_would_show(
    cast_sessions: sessionmaker[Session], act: Callable, build_team: Callable
):
    run_pulse(cast_sessions, act, build_team, dict(zip(TEAM, (1, 2, 3, 4, 5, 5), strict=True)))
    with transaction(cast_sessions) as session:
        workspace = session.get(Workspace, CAST_TEAM)
        workspace.settings = {**workspace.settings, "pulse_min_answers": 7}
    with cast_sessions() as session:
        assert not rules.results(session, session.scalars(select(PulseRound)).one()).visible


def test_the_weekly_reflection_starts_from_the_lowest_score(
    cast_sessions: sessionmaker[Session], act: Callable, build_team: Callable
):
    pulse = run_pulse(
        cast_sessions, act, build_team, dict(zip(TEAM, (4, 4, 4, 4, 4, 4), strict=True))
    )
    lowest = pulse.questions.split(",")[1]
    with transaction(cast_sessions) as session:
        for row in session.scalars(select(PulseAnswer).where(PulseAnswer.question == lowest)):
            row.score = 2
        session.get(PulseRound, (CAST_TEAM, OMAR.user_id, pulse.month)).results_at = AFTER
    with cast_sessions() as session:
        question = rules.reflection_for(session, CAST_TEAM, OMAR.user_id, AFTER + timedelta(days=3))
        later = rules.reflection_for(session, CAST_TEAM, OMAR.user_id, AFTER + timedelta(days=40))
    from bot.prompts import render

    assert question == render(f"pulse.question.{lowest}.reflect")
    assert later is None


def test_an_answer_after_the_pulse_closed_is_refused(
    cast_sessions: sessionmaker[Session], act: Callable, build_team: Callable
):
    pulse = run_pulse(cast_sessions, act, build_team, {})
    late = act(answer, RAVI, claim(OMAR.user_id, pulse.month), form(pulse, 3), now=AFTER)
    assert late.refused
    with cast_sessions() as session:
        assert session.scalars(select(PulseAnswer)).all() == []
