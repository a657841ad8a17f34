"""What a drafted action plan must hold."""

from __future__ import annotations

from datetime import date

from bot.plans.rules import Draft, StepInput, problems, steps_of

TODAY = date(2026, 12, 1)


def draft(*steps: tuple[str, str], check_in: str = "2026-12-11") -> Draft:
    return Draft(tuple(StepInput(text, due) for text, due in steps), check_in)


def test_a_plan_with_dated_steps_and_a_check_in_has_no_problems():
    plan = draft(("Write the notes", "2026-12-02"), ("", ""), ("Walk them through", "2026-12-01"))
    assert problems(plan, TODAY) == {}
    assert steps_of(plan) == [
        ("Write the notes", date(2026, 12, 2)),
        ("Walk them through", date(2026, 12, 1)),
    ]


def test_each_step_needs_words_and_a_date_to_come():
    plan = draft(
        ("", "2026-12-02"), ("No date", ""), ("Past", "2026-11-30"), ("x" * 301, "2026-12-02")
    )
    assert problems(plan, TODAY) == {
        "step_1": "plans.form.errors.no_text",
        "due_2": "plans.form.errors.no_date",
        "due_3": "plans.form.errors.past",
        "step_4": "plans.form.errors.long",
    }


def test_a_plan_needs_a_step_and_a_check_in_date():
    assert problems(draft(check_in=""), TODAY) == {
        "step_1": "plans.form.errors.no_steps",
        "check_in": "plans.form.errors.no_date",
    }
    assert problems(draft(("A step", "2026-12-02"), check_in="soon"), TODAY) == {
        "check_in": "plans.form.errors.no_date"
    }


def test_a_date_that_is_not_one_is_no_date():
    assert problems(draft(("A step", "2026-02-30")), TODAY) == {
        "due_1": "plans.form.errors.no_date"
    }
