from __future__ import annotations

import pytest

from bot.priorities.text import parse
from bot.refusal import Refusal


def test_add_reads_title_due_and_owner_in_either_order():
    a = parse("add Plan Q1 due eow for <@URAVI0002|ravi>")
    b = parse("add Plan Q1 for <@URAVI0002> due eow")
    assert (a.title, a.due, a.owner) == ("Plan Q1", "eow", "URAVI0002") == (b.title, b.due, b.owner)


def test_a_due_inside_the_title_stays_in_the_title():
    assert parse("add Write due diligence report").title == "Write due diligence report"
    request = parse("add Write due diligence report due fri")
    assert (request.title, request.due) == ("Write due diligence report", "fri")


def test_status_reads_the_word_and_an_optional_note():
    request = parse("status 2 blocked waiting on legal")
    assert (request.number, request.word, request.note) == (2, "blocked", "waiting on legal")
    assert parse("status 1 on track").word == "on_track"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("done", "priority.needs_number"),
        ("drop two", "priority.needs_number"),
        ("done ²", "priority.needs_number"),  # a digit to str.isdigit, not to int()
        ("status 2", "priority.needs_status"),
        ("list", "priority.needs_mention"),
        ("frobnicate 3", "priority.unknown"),
    ],
)
def test_incomplete_requests_are_refused_with_a_reason(text: str, key: str):
    with pytest.raises(Refusal) as refused:
        parse(text)
    assert refused.value.key == key
