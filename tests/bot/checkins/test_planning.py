"""The check-in decision as a pure function of a person's state and `now`."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.checkins.planning import decide
from bot.schedule import Schedule

BERLIN = Schedule(tz="Europe/Berlin")
TUESDAY_1030 = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)  # 10:30 in Berlin


def test_a_person_with_a_manager_is_due_once_their_time_has_come():
    decision = decide(BERLIN, TUESDAY_1030, None, has_manager=True, reachable=True, away=False)
    assert decision.day == date(2026, 12, 1) and decision.skip_reason is None
    assert decision.next_at == datetime(2026, 12, 2, 8, 30, tzinfo=UTC)


def test_never_two_check_ins_on_one_local_date():
    decision = decide(
        BERLIN, TUESDAY_1030, date(2026, 12, 1), has_manager=True, reachable=True, away=False
    )
    assert decision.day is None
    assert decision.next_at == datetime(2026, 12, 2, 8, 30, tzinfo=UTC)


def test_an_away_status_skips_the_day_and_moves_on():
    decision = decide(BERLIN, TUESDAY_1030, None, has_manager=True, reachable=True, away=True)
    assert decision.day == date(2026, 12, 1) and decision.skip_reason == "away"


def test_people_without_a_manager_or_unreachable_are_not_scheduled():
    assert (
        decide(BERLIN, TUESDAY_1030, None, has_manager=False, reachable=True, away=False).next_at
        is None
    )
    assert (
        decide(BERLIN, TUESDAY_1030, None, has_manager=True, reachable=False, away=False).next_at
        is None
    )
