"""What people do with the pulse: a manager turns it on or off, or asks how it stands; a
report opens the questions and answers them.

Each is a use case (`bot.usecase`): `(session, actor, ..., now) -> Outcome`. Claims that
come back from Slack (a button's value, a form's metadata) are checked against the
database: the round must be open, and the actor one of that manager's accepted reports.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot import teams
from bot.models import PulseChoice, PulseRound
from bot.preferences.person import schedule_of
from bot.preferences.workspace import workspace_defaults
from bot.prompts import mention, render
from bot.pulse import rules, views
from bot.refusal import Refusal
from bot.usecase import Actor, FormAnswer, Outcome

ON_WORDS = ("on", "start", "yes")
OFF_WORDS = ("off", "stop", "no")


def switch(session: Session, actor: Actor, word: str, *, now: datetime) -> Outcome:
    """`/coach pulse on|off`: the manager's own word on their team's pulse; alone, how it stands."""
    team_id, manager_id = actor.team_id, actor.user_id
    word = word.strip().lower()
    if word and word not in ON_WORDS + OFF_WORDS:
        raise Refusal("pulse.switch.bad")
    if not teams.reports_of(session, team_id, manager_id):
        raise Refusal("pulse.switch.no_team")
    settings = workspace_defaults(session, team_id)
    threshold = rules.threshold(settings)
    if not word:
        return Outcome(text=_status(session, actor, settings, now))
    choice = session.get(PulseChoice, (team_id, manager_id))
    was_on = rules.enabled(choice, rules.workspace_on(settings))
    if choice is None:
        choice = PulseChoice(team_id=team_id, manager_id=manager_id, updated_at=now)
        session.add(choice)
    choice.enabled = word in ON_WORDS
    choice.updated_at = now
    if not choice.enabled:
        return Outcome(text=render("pulse.switch.off"))
    if was_on or rules.latest_round(session, team_id, manager_id) is not None:
        return Outcome(text=render("pulse.switch.on_already"))
    schedule = schedule_of(session, team_id, manager_id)
    day = rules.next_working_day(schedule, schedule.local_date(now))
    if day is None:
        return Outcome(text=render("pulse.switch.on_already"))
    rules.open_round(session, team_id, manager_id, schedule, day, now)
    when = day.strftime("%a %-d %b")
    return Outcome(text=render("pulse.switch.on", when=when, threshold=threshold))


def _status(session: Session, actor: Actor, settings: dict, now: datetime) -> str:
    choice = session.get(PulseChoice, (actor.team_id, actor.user_id))
    threshold = rules.threshold(settings)
    if not rules.enabled(choice, rules.workspace_on(settings)):
        lines = [render("pulse.switch.status_off")]
    else:
        why = render("pulse.switch.why_own" if choice is not None else "pulse.switch.why_workspace")
        lines = [render("pulse.switch.status_on", why=why, threshold=threshold)]
    found = rules.latest_results(session, actor.team_id, actor.user_id, now)
    if found is None:
        lines.append(render("pulse.switch.no_results_yet"))
    else:
        lines.append(render("pulse.switch.last_results", month=views.month_name(found.month)))
        lines.extend(views.results_lines(found))
    return "\n".join(lines)


def _open_round(session: Session, actor: Actor, claim: str, now: datetime) -> PulseRound:
    """The round a claim names, when the actor may answer it now."""
    manager_id, month = views.read_claim(claim)
    pulse = session.get(PulseRound, (actor.team_id, manager_id, month)) if month else None
    if pulse is None or not rules.is_report(session, actor.team_id, manager_id, actor.user_id):
        raise Refusal("pulse.answer.not_asked", manager=mention(manager_id or "USLACKBOT"))
    if not pulse.opens_at <= now < pulse.closes_at:
        raise Refusal("pulse.answer.closed")
    if actor.user_id in pulse.answered:
        raise Refusal("pulse.answer.already")
    return pulse


def open_form(session: Session, actor: Actor, claim: str, *, now: datetime) -> Outcome:
    """The DM's *Answer*: the round's questions as a form (value), or why not (text)."""
    pulse = _open_round(session, actor, claim, now)
    return Outcome(value=views.form_view(pulse.manager_id, pulse.month, pulse.questions.split(",")))


def answer(
    session: Session, actor: Actor, claim: str, values: dict[str, Any], *, now: datetime
) -> Outcome:
    """Store a submitted pulse without its author; value: a FormAnswer.

    The round is locked while it is read, so two submissions by the same person (a double
    click, two open forms) store one set of answers.
    """
    try:
        _open_round(session, actor, claim, now)
    except Refusal as refusal:
        return Outcome(refused=True, value=FormAnswer({}, views.notice_view(refusal.render())))
    manager_id, month = views.read_claim(claim)
    pulse = session.get(PulseRound, (actor.team_id, manager_id, month), with_for_update=True)
    assert pulse is not None  # checked just above, in this transaction
    if actor.user_id in pulse.answered:
        return Outcome(value=FormAnswer({}, views.notice_view(render("pulse.answer.already"))))
    answers, errors = _read(values, pulse.questions.split(","))
    if errors:
        return Outcome(refused=True, value=FormAnswer(errors))
    rules.store_answers(session, pulse, actor.user_id, answers)
    return Outcome(value=FormAnswer({}, views.thanks_view(manager_id)))


def _read(
    values: dict[str, Any], questions: list[str]
) -> tuple[dict[str, tuple[int, str]], dict[str, str]]:
    answers: dict[str, tuple[int, str]] = {}
    errors: dict[str, str] = {}
    for question in questions:
        picked = ((values.get(views.score_block(question)) or {}).get(views.SCORE) or {}).get(
            "selected_option"
        ) or {}
        raw = str(picked.get("value", ""))
        if raw not in {str(n) for n in rules.SCORES}:
            errors[views.score_block(question)] = render("pulse.answer.incomplete")
            continue
        typed = (values.get(views.comment_block(question)) or {}).get(views.COMMENT) or {}
        comment = str(typed.get("value") or "").strip()
        if len(comment) > rules.COMMENT_LIMIT:
            errors[views.comment_block(question)] = render(
                "pulse.answer.too_long", limit=rules.COMMENT_LIMIT
            )
            continue
        answers[question] = (int(raw), comment)
    return answers, errors
