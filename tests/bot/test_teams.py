from __future__ import annotations

from datetime import UTC, datetime

from bot.models import Member
from bot.teams import Verdict, judge_additions

NOW = datetime(2026, 11, 30, tzinfo=UTC)


def person(user_id: str, **flags: bool) -> Member:
    return Member(team_id="T1", user_id=user_id, fetched_at=NOW, **flags)


def verdicts(candidates, members, current=None, above=()):
    result = judge_additions("UMGR", candidates, members, current or {}, list(above))
    return [j.verdict for j in result]


def test_a_plain_colleague_is_added():
    assert verdicts(["UA"], {"UA": person("UA")}) == [Verdict.ADDED]


def test_self_bots_deleted_and_unknown_people_are_refused():
    members = {
        "UMGR": person("UMGR"),
        "UBOT": person("UBOT", is_bot=True),
        "UOLD": person("UOLD", deleted=True),
        "UNONE": None,
    }
    assert verdicts(["UMGR", "UBOT", "UOLD", "UNONE"], members) == [
        Verdict.SELF,
        Verdict.BOT,
        Verdict.DELETED,
        Verdict.UNKNOWN,
    ]


def test_one_manager_per_person_names_the_current_manager():
    [judgement] = judge_additions("UMGR", ["UA"], {"UA": person("UA")}, {"UA": "UOTHER"}, [])
    assert judgement.verdict is Verdict.HAS_MANAGER and judgement.other_manager == "UOTHER"


def test_anyone_above_the_manager_would_make_a_cycle():
    members = {"UBOSS": person("UBOSS"), "UBIGBOSS": person("UBIGBOSS")}
    assert verdicts(["UBIGBOSS"], members, above=["UBOSS", "UBIGBOSS"]) == [Verdict.CYCLE]


def test_someone_mentioned_twice_is_added_once():
    assert verdicts(["UA", "UA"], {"UA": person("UA")}) == [Verdict.ADDED, Verdict.REPEATED]
