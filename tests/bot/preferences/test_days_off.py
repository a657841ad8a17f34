"""Whose public holidays a person keeps, and the workspace's own days off."""

from __future__ import annotations

from datetime import date

from bot.db import transaction
from bot.models import Workspace
from bot.preferences import person
from devtools.cast import ANA, MAYA, SAM
from tests.bot.conftest import CAST_TEAM, KNOWN_SINCE

THANKSGIVING = date(2026, 11, 26)


def test_a_person_keeps_the_public_holidays_of_their_time_zones_country(cast_sessions):
    with cast_sessions() as session:
        assert person.schedule_of(session, CAST_TEAM, SAM.user_id).holiday_country == "US"
        assert person.schedule_of(session, CAST_TEAM, ANA.user_id).holiday_country == "DE"
        assert not person.schedule_of(session, CAST_TEAM, SAM.user_id).works_on(THANKSGIVING)


def test_a_person_may_choose_another_country_or_none(cast_sessions):
    with transaction(cast_sessions) as session:
        person.ensure(session, CAST_TEAM, SAM.user_id, KNOWN_SINCE).holiday_country = "none"
        person.ensure(session, CAST_TEAM, ANA.user_id, KNOWN_SINCE).holiday_country = "gb"
    with cast_sessions() as session:
        assert person.schedule_of(session, CAST_TEAM, SAM.user_id).works_on(THANKSGIVING)
        assert person.schedule_of(session, CAST_TEAM, ANA.user_id).holiday_country == "GB"


def test_a_workspaces_company_days_off_are_everyones(cast_sessions):
    with transaction(cast_sessions) as session:
        workspace = session.get(Workspace, CAST_TEAM)
        workspace.settings = {**workspace.settings, "company_days_off": ["2026-12-02", "junk"]}
    with cast_sessions() as session:
        for someone in (SAM, ANA, MAYA):
            assert not person.schedule_of(session, CAST_TEAM, someone.user_id).works_on(
                date(2026, 12, 2)
            )
