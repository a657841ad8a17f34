"""Reading when a pair meets, and finding the next meeting in the manager's zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.oneonones.cadence import (
    BIWEEKLY,
    NOW,
    OFF,
    ONCE,
    WEEKLY,
    Cadence,
    next_meeting,
    occurrence_name,
    read,
)
from bot.refusal import Refusal

MONDAY = date(2026, 11, 30)
NEW_YORK = ZoneInfo("America/New_York")


def test_every_reads_days_and_a_time():
    assert read("every tue 14:00", MONDAY) == Cadence(WEEKLY, "0100000", time(14), MONDAY)
    assert read("every mon,thu 9:30", MONDAY).days == "1001000"
    assert read("every other mon 10am", MONDAY) == Cadence(BIWEEKLY, "1000000", time(10), MONDAY)


def test_once_is_the_next_such_day_and_nothing_means_now():
    assert read("once fri 11:30", MONDAY) == Cadence(
        ONCE, "0000100", time(11, 30), date(2026, 12, 4)
    )
    assert read("once mon 16:00", MONDAY).anchor == MONDAY
    assert read("", MONDAY).kind == NOW
    assert read("off", MONDAY).kind == OFF


@pytest.mark.parametrize("text", ["every", "every tue", "once fri", "sometimes", "every 14:00"])
def test_what_cannot_be_read_is_refused(text: str):
    with pytest.raises(Refusal):
        read(text, MONDAY)


def test_the_next_meeting_keeps_the_wall_time_across_the_dst_change():
    weekly = Cadence(WEEKLY, "0100000", time(14), date(2026, 10, 26))
    first = next_meeting(weekly, NEW_YORK, datetime(2026, 10, 26, 12, tzinfo=UTC))
    second = next_meeting(weekly, NEW_YORK, first)
    assert first == datetime(2026, 10, 27, 18, tzinfo=UTC)  # 14:00 EDT
    assert second == datetime(2026, 11, 3, 19, tzinfo=UTC)  # 14:00 EST
    assert occurrence_name(second, NEW_YORK) == "2026-11-03T14:00"


def test_every_other_week_counts_weeks_from_the_first_and_once_ends():
    biweekly = Cadence(BIWEEKLY, "0100000", time(14), MONDAY)
    first = next_meeting(biweekly, NEW_YORK, datetime(2026, 11, 30, 12, tzinfo=UTC))
    assert first is not None and first.date() == date(2026, 12, 1)
    assert next_meeting(biweekly, NEW_YORK, first) == datetime(2026, 12, 15, 19, tzinfo=UTC)
    once = Cadence(ONCE, "0000100", time(11, 30), date(2026, 12, 4))
    meeting = next_meeting(once, NEW_YORK, datetime(2026, 11, 30, 12, tzinfo=UTC))
    assert meeting is not None and next_meeting(once, NEW_YORK, meeting) is None
