"""Local schedules: DST change days, half-hour zones, other working weeks."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from bot.schedule import Schedule, describe_days, is_away, parse_days, parse_time

EVERY_DAY = "1111111"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "mask"),
    [
        ("mon-fri", "1111100"),
        ("sun-thu", "1111001"),
        ("Mon, Wed, Fri", "1010100"),
        ("weekdays", "1111100"),
        ("fri-mon", "1000111"),
        ("every day", "1111111"),
        ("tuesday thursday", "0101000"),
    ],
)
def test_working_days_are_read_in_the_forms_people_type(text: str, mask: str):
    assert parse_days(text) == mask


@pytest.mark.parametrize("text", ["", "funday", "mon-xyz", "1-5"])
def test_unreadable_days_are_refused(text: str):
    assert parse_days(text) is None


def test_days_are_described_the_way_the_week_runs():
    assert describe_days("1111100") == "Mon-Fri"
    assert describe_days("1111001") == "Sun-Thu"
    assert describe_days("1010100") == "Mon, Wed, Fri"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("08:45", time(8, 45)), ("9", time(9)), ("9am", time(9)), ("5:30pm", time(17, 30)),
     ("12am", time(0)), ("25:00", None), ("9:75", None), ("noonish", None), ("13pm", None)],
)  # fmt: skip
def test_times_are_read_in_the_forms_people_type(text: str, expected: time | None):
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    ("tz", "day", "expected_utc"),
    [
        # New York springs forward on Sunday 8 March 2026 and falls back on 1 November.
        ("America/New_York", date(2026, 3, 6), utc(2026, 3, 6, 14, 30)),
        ("America/New_York", date(2026, 3, 8), utc(2026, 3, 8, 13, 30)),
        ("America/New_York", date(2026, 3, 9), utc(2026, 3, 9, 13, 30)),
        ("America/New_York", date(2026, 11, 1), utc(2026, 11, 1, 14, 30)),
        # Berlin changes on 29 March and 25 October 2026.
        ("Europe/Berlin", date(2026, 3, 28), utc(2026, 3, 28, 8, 30)),
        ("Europe/Berlin", date(2026, 3, 29), utc(2026, 3, 29, 7, 30)),
        ("Europe/Berlin", date(2026, 10, 25), utc(2026, 10, 25, 8, 30)),
        # Half-hour zone.
        ("Asia/Kolkata", date(2026, 12, 1), utc(2026, 12, 1, 4, 0)),
    ],
)
def test_the_check_in_comes_at_0930_local_on_dst_change_days_too(
    tz: str, day: date, expected_utc: datetime
):
    schedule = Schedule(tz=tz, work_days=EVERY_DAY)
    start, _ = schedule.checkin_window(day)
    assert start == expected_utc
    assert schedule.checkin_due(expected_utc) == day


def test_a_check_in_time_inside_the_spring_forward_gap_comes_at_the_first_real_minute():
    schedule = Schedule(
        tz="America/New_York", work_days=EVERY_DAY, checkin_time=time(2, 30), work_start=time(0)
    )
    start, _ = schedule.checkin_window(date(2026, 3, 8))
    assert start.astimezone(schedule.zone).hour == 3


def test_a_missed_minute_is_still_due_later_the_same_working_day_but_not_after_work():
    schedule = Schedule(tz="Europe/Berlin")
    assert schedule.checkin_due(utc(2026, 12, 1, 8, 29)) is None  # 09:29 Berlin
    assert schedule.checkin_due(utc(2026, 12, 1, 13, 0)) == date(2026, 12, 1)
    assert schedule.checkin_due(utc(2026, 12, 1, 17, 0)) is None  # 18:00 Berlin: day is over


def test_a_sunday_to_thursday_week_checks_in_on_sunday_and_not_on_friday():
    schedule = Schedule(tz="Asia/Riyadh", work_days=parse_days("sun-thu"))
    assert schedule.checkin_due(utc(2026, 12, 6, 7, 0)) == date(2026, 12, 6)  # Sunday 10:00
    assert schedule.checkin_due(utc(2026, 12, 4, 7, 0)) is None  # Friday
    # After Thursday's check-in the next one is Sunday's.
    after_thursday = schedule.next_checkin(utc(2026, 12, 3, 7, 0), last_sent=date(2026, 12, 3))
    assert after_thursday == utc(2026, 12, 6, 6, 30)


def test_next_check_in_skips_sent_days_weekends_and_snoozes():
    schedule = Schedule(tz="America/New_York", snoozed_until=date(2026, 12, 7))
    friday = utc(2026, 12, 4, 15, 0)
    assert schedule.next_checkin(friday) == utc(2026, 12, 8, 14, 30)  # Tuesday: Monday is snoozed
    assert Schedule(tz="UTC", checkins_off=True).next_checkin(friday) is None


def test_the_reminder_never_lands_after_the_working_day():
    schedule = Schedule(tz="UTC")
    day = date(2026, 12, 1)
    assert schedule.reminder_at(utc(2026, 12, 1, 9, 30), day) == utc(2026, 12, 1, 11, 30)
    assert schedule.reminder_at(utc(2026, 12, 1, 16, 30), day) is None


def test_a_vacation_status_means_away_until_it_expires():
    now = utc(2026, 12, 1, 12)
    assert is_away("On vacation", "", 0, now)
    assert is_away("", ":palm_tree:", 0, now)
    assert is_away("OOO until Monday", "", 0, now)
    assert is_away("Out sick", ":face_with_thermometer:", 0, now)
    assert not is_away("In a meeting", ":calendar:", 0, now)
    assert not is_away("Vacation", ":palm_tree:", int(now.timestamp()) - 60, now)
    assert not is_away("Looking into OOOps bug", "", 0, now)


# --- days off -----------------------------------------------------------------------------

NEW_YORK = Schedule(tz="America/New_York", holiday_country="US")
THANKSGIVING = date(2026, 11, 26)


def test_a_public_holiday_is_no_working_day_and_gets_no_check_in():
    assert not NEW_YORK.works_on(THANKSGIVING)
    assert not NEW_YORK.checkin_day(THANKSGIVING)
    assert NEW_YORK.checkin_due(utc(2026, 11, 26, 15, 0)) is None
    # Wednesday's check-in went out: the next one is Friday's, not Thursday's.
    assert NEW_YORK.next_checkin(utc(2026, 11, 25, 15, 0), date(2026, 11, 25)) == utc(
        2026, 11, 27, 14, 30
    )


def test_nothing_is_sent_on_a_public_holiday_it_waits_for_the_next_working_start():
    assert not NEW_YORK.in_working_hours(utc(2026, 11, 26, 15, 0))
    assert NEW_YORK.next_working_start(utc(2026, 11, 26, 15, 0)) == utc(2026, 11, 27, 14, 0)
    assert NEW_YORK.digest_due(utc(2026, 11, 26, 15, 30)) is None


def test_someone_who_opted_out_of_public_holidays_works_on_them():
    assert Schedule(tz="America/New_York", holiday_country=None).works_on(THANKSGIVING)


def test_a_company_day_off_is_a_day_off_for_everyone():
    schedule = Schedule(tz="Europe/Berlin", company_days_off=frozenset({date(2026, 12, 2)}))
    assert not schedule.works_on(date(2026, 12, 2))
    assert schedule.works_on(date(2026, 12, 3))


def test_stale_counts_only_working_days_so_a_holiday_week_ages_a_priority_less():
    monday, next_monday = utc(2026, 11, 23, 15), utc(2026, 11, 30, 15)
    assert Schedule(tz="America/New_York").working_days_between(monday, next_monday) == 5
    assert NEW_YORK.working_days_between(monday, next_monday) == 4


def test_a_sunday_to_thursday_week_only_loses_holidays_on_its_own_working_days():
    riyadh = Schedule(tz="Asia/Riyadh", work_days="1111001", company_days_off=frozenset(
        {date(2026, 12, 4), date(2026, 12, 3)}  # a Friday (already off) and a Thursday
    ))  # fmt: skip
    assert riyadh.working_days_between(utc(2026, 11, 29, 12), utc(2026, 12, 6, 12)) == 4
