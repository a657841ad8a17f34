from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.dates import DateError, Reader, parse_due

MONDAY = date(2026, 11, 30)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-04", date(2026, 12, 4)),
        ("today", MONDAY),
        ("tomorrow", date(2026, 12, 1)),
        ("fri", date(2026, 12, 4)),
        ("Friday", date(2026, 12, 4)),
        ("mon", date(2026, 12, 7)),  # the next Monday, not today
        ("eow", date(2026, 12, 4)),
        ("+3d", date(2026, 12, 3)),
        ("+2w", date(2026, 12, 14)),
    ],
)
def test_due_dates_are_read_in_every_documented_form(text: str, expected: date):
    assert parse_due(text, MONDAY) == expected


def test_end_of_week_follows_the_persons_own_working_week():
    sun_thu = "1111001"
    assert parse_due("eow", MONDAY, sun_thu) == date(2026, 12, 3)  # Thursday
    assert parse_due("eow", date(2026, 12, 4), sun_thu) == date(2026, 12, 10)  # from a Friday
    assert parse_due("eow", date(2026, 12, 5)) == date(2026, 12, 11)  # Saturday: next week's


def test_past_and_unreadable_dates_get_a_reason():
    past = parse_due("2026-11-01", MONDAY)
    unreadable = parse_due("someday", MONDAY)
    assert isinstance(past, DateError) and "in the past" in past.render()
    assert isinstance(unreadable, DateError) and "couldn't read “someday”" in unreadable.render()


def test_a_reader_says_a_date_as_people_do_and_an_instant_in_their_zone():
    berlin = Reader(ZoneInfo("Europe/Berlin"), date(2026, 12, 1))
    assert berlin.day(date(2027, 3, 31)) == "31 Mar"
    assert berlin.day(date(2028, 3, 31)) == "31 Mar 2028"
    assert berlin.moment(datetime(2026, 12, 1, 23, 30, tzinfo=UTC)) == "2 Dec"
