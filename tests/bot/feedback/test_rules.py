"""The rules of feedback: topics, who it can be about, links to messages, the redirect
ladder and the advice after recording."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot import prompts
from bot.db import transaction
from bot.feedback import rules, store, views
from bot.feedback.rules import (
    LADDER_WINDOW,
    Guidance,
    Kind,
    Rung,
    Unsuitable,
    counts_toward_ladder,
    judge_people,
    message_link,
    normalize_topic,
    read_permalink,
    rung_for,
)
from bot.models import Feedback, Member
from devtools.cast import ANA, LEO, MAYA, OMAR, RAVI
from tests.bot.feedback.conftest import NOW, T, manage, save

# --- pure rules ------------------------------------------------------------------------------


def test_the_rungs_are_supportive_then_curious_then_a_written_plan():
    assert [rung_for(n) for n in (1, 2, 3, 4, 12)] == [
        Rung.SUPPORTIVE,
        Rung.CURIOUS,
        Rung.ACTION_PLAN,
        Rung.ACTION_PLAN,
        Rung.ACTION_PLAN,
    ]


@dataclass
class Past:
    about_id: str = ANA.user_id
    kind: str = "redirect"
    topic: str = "handoffs"
    created_at: datetime = NOW


def test_only_recent_redirects_about_the_same_person_on_the_same_topic_count():
    def counts(**change: object) -> bool:
        return counts_toward_ladder(Past(**change), ANA.user_id, "handoffs", NOW)  # type: ignore[arg-type]

    assert counts()
    assert counts(created_at=NOW - LADDER_WINDOW)
    assert not counts(created_at=NOW - LADDER_WINDOW - timedelta(seconds=1))
    assert not counts(topic="estimates")
    assert not counts(about_id=RAVI.user_id)
    assert not counts(kind="praise")
    assert not counts(kind="note")


def test_redirects_without_a_topic_never_group_together():
    assert not counts_toward_ladder(Past(topic=""), ANA.user_id, "", NOW)


def test_topics_are_one_word_compared_without_case():
    assert normalize_topic("#Handoffs") == "handoffs"
    assert normalize_topic("code-review") == "code-review"
    assert normalize_topic("") == ""
    assert normalize_topic("   ") == ""
    assert normalize_topic("#") is None
    assert normalize_topic("two words") is None
    assert normalize_topic("#a/b") is None
    assert normalize_topic("x" * 41) is None


def member(user_id: str, **flags: bool) -> Member:
    return Member(team_id=T, user_id=user_id, fetched_at=NOW, **flags)


def test_yourself_bots_deactivated_and_unknown_people_cannot_get_feedback():
    members = {
        MAYA.user_id: member(MAYA.user_id),
        "UBOT": member("UBOT", is_bot=True),
        "UOLD": member("UOLD", deleted=True),
        "UNONE": None,
        RAVI.user_id: member(RAVI.user_id),
    }
    people = [MAYA.user_id, "UBOT", "UOLD", "UNONE", RAVI.user_id]
    assert judge_people(MAYA.user_id, people, members) == {
        MAYA.user_id: Unsuitable.SELF,
        "UBOT": Unsuitable.BOT,
        "UOLD": Unsuitable.DELETED,
        "UNONE": Unsuitable.UNKNOWN,
    }


# --- links to messages ---------------------------------------------------------------------

HOME = "https://sprout-demo.slack.com/"
LINK = "https://sprout-demo.slack.com/archives/C0LAUNCH/p1700000000000100"


def test_a_link_to_the_message_in_the_actors_own_workspace_is_kept():
    assert message_link(LINK, HOME, "C0LAUNCH", "1700000000.000100") == LINK
    in_thread = LINK + "?thread_ts=1700000000.000001&cid=C0LAUNCH"
    assert message_link(in_thread, HOME, "C0LAUNCH", "1700000000.000100") == in_thread


def test_any_other_link_is_dropped():
    def kept(link: str | None, home: str | None = HOME, channel: str = "C0LAUNCH") -> bool:
        return message_link(link, home, channel, "1700000000.000100") is not None

    assert not kept(None) and not kept("")
    assert not kept("https://evil.example/archives/C0LAUNCH/p1700000000000100")
    assert not kept("https://other.slack.com/archives/C0LAUNCH/p1700000000000100")
    assert not kept(LINK.replace("https://", "http://"))
    assert not kept(LINK.replace("sprout-demo.slack.com", "sprout-demo.slack.com@evil.example"))
    assert not kept(LINK.replace(".slack.com", ".slack.com.evil.example"))
    assert not kept(LINK.replace(".slack.com", ".slack.com:8443"))
    assert not kept(LINK + "|click here") and not kept(LINK + "?x=<b>") and not kept(LINK + "#x")
    assert not kept(LINK.replace("p1700000000000100", "p1700000000000999"))  # another message
    assert not kept(LINK, channel="C0OTHER")
    assert not kept(LINK, home=None) and not kept(LINK, home="https://other.slack.com/")
    assert not kept(LINK + "?q=" + "x" * 500)


def test_only_slack_permalinks_read_as_links_to_messages():
    read = read_permalink(LINK)
    assert read is not None
    assert (read.host, read.channel, read.ts) == ("sprout-demo.slack.com", "C0LAUNCH", LINK[-16:])
    assert read_permalink("https://evil.example/x|y") is None
    assert read_permalink("javascript:alert(1)") is None


# --- the ladder, with a database ----------------------------------------------------------------


def redirect(
    sessions,
    about: str = ANA.user_id,
    topic: str = "handoffs",
    *,
    giver: str = MAYA.user_id,
    at: datetime = NOW,
    kind: Kind = Kind.REDIRECT,
    sent: bool = True,
) -> Guidance:
    """Record one and return what the giver is told: the ladder counted at that moment.
    Then it is sent to the person (unless `sent` is False: the giver keeps it)."""
    row = save(sessions, giver, about, kind=kind, topic=topic, at=at)
    with sessions() as session:
        advice = rules.guidance(session, session.merge(row), at)
    if sent:
        with transaction(sessions) as session:
            session.get(Feedback, row.id).delivered_at = at
    return advice


def test_redirect_for_the_first_time_is_supportive(sessions):
    advice = redirect(sessions)
    assert (advice.rung, advice.count) == (Rung.SUPPORTIVE, 1)


def test_redirect_for_the_second_time_on_a_topic_gets_curious(sessions):
    redirect(sessions)
    advice = redirect(sessions, at=NOW + timedelta(days=3))
    assert (advice.rung, advice.count) == (Rung.CURIOUS, 2)


def test_redirect_for_the_third_time_suggests_an_action_plan(sessions):
    redirect(sessions)
    redirect(sessions, at=NOW + timedelta(days=3))
    advice = redirect(sessions, at=NOW + timedelta(days=9))
    assert (advice.rung, advice.count) == (Rung.ACTION_PLAN, 3)
    assert redirect(sessions, at=NOW + timedelta(days=10)).rung is Rung.ACTION_PLAN


def test_the_ladder_does_not_climb_across_topics_or_people(sessions):
    redirect(sessions, topic="handoffs")
    redirect(sessions, topic="estimates")
    redirect(sessions, about=RAVI.user_id, topic="handoffs")
    assert redirect(sessions, topic="reviews").rung is Rung.SUPPORTIVE
    assert redirect(sessions, about=LEO.user_id, topic="handoffs").rung is Rung.SUPPORTIVE
    assert redirect(sessions, topic="handoffs").rung is Rung.CURIOUS


def test_the_same_topic_in_another_case_is_the_same_topic(sessions):
    redirect(sessions, topic=normalize_topic("#Handoffs") or "")
    assert redirect(sessions, topic=normalize_topic("HANDOFFS") or "").count == 2


def test_redirects_older_than_ninety_days_no_longer_count(sessions):
    redirect(sessions, at=NOW)
    later = NOW + LADDER_WINDOW + timedelta(minutes=1)
    assert redirect(sessions, at=later).rung is Rung.SUPPORTIVE
    assert redirect(sessions, at=later + timedelta(days=1)).rung is Rung.CURIOUS


def test_praise_and_notes_on_the_topic_do_not_count_as_redirects(sessions):
    redirect(sessions, kind=Kind.PRAISE)
    redirect(sessions, kind=Kind.NOTE)
    assert redirect(sessions).rung is Rung.SUPPORTIVE


def test_redirects_without_a_topic_each_stay_on_the_first_rung(sessions):
    for _ in range(3):
        advice = redirect(sessions, topic="")
        assert (advice.rung, advice.count) == (Rung.SUPPORTIVE, 1)


def test_the_ladder_only_counts_redirects_the_giver_may_see(sessions):
    leos = save(sessions, LEO.user_id, ANA.user_id, kind=Kind.REDIRECT, topic="handoffs")
    redirect(sessions, giver=OMAR.user_id)  # a peer's private redirect: Maya must not learn of it
    assert redirect(sessions).rung is Rung.SUPPORTIVE
    manage(sessions, MAYA.user_id, ANA.user_id)
    with transaction(sessions) as session:
        shared = session.merge(leos)
        shared.delivered_at = NOW
        assert store.share(session, shared, MAYA.user_id, NOW)
    assert redirect(sessions).count == 3  # two of hers, and the one Leo shared with her


def test_the_wording_moves_on_with_each_record_of_the_same_kind_from_the_same_giver(sessions):
    first = redirect(sessions, kind=Kind.PRAISE)
    second = redirect(sessions, kind=Kind.PRAISE)
    other_giver = redirect(sessions, kind=Kind.PRAISE, giver=LEO.user_id)
    assert (first.rotate, second.rotate, other_giver.rotate) == (0, 1, 0)


# --- what counts is what the person heard ------------------------------------------------------


def test_kept_redirects_do_not_climb_the_ladder_and_a_fourth_sent_one_is_the_first_heard(
    sessions,
):
    manage(sessions, MAYA.user_id, ANA.user_id)
    for day in range(3):
        kept = redirect(sessions, at=NOW + timedelta(days=day), sent=False)
        assert (kept.rung, kept.count, kept.unsaid) == (Rung.SUPPORTIVE, 1, day)
    fourth = redirect(sessions, at=NOW + timedelta(days=4))
    assert (fourth.rung, fourth.count, fourth.unsaid) == (Rung.SUPPORTIVE, 1, 3)
    assert redirect(sessions, at=NOW + timedelta(days=5)).count == 2


def test_a_redirect_told_in_person_climbs_the_ladder(sessions):
    manage(sessions, MAYA.user_id, ANA.user_id)
    told = save(sessions, MAYA.user_id, ANA.user_id, kind=Kind.REDIRECT, topic="handoffs")
    with transaction(sessions) as session:
        assert store.mark_told(session, session.merge(told), NOW)
    assert redirect(sessions).rung is Rung.CURIOUS


def test_a_colleague_gets_a_colleagues_advice_and_never_a_written_plan(sessions):
    manage(sessions, OMAR.user_id, ANA.user_id)
    for _ in range(2):
        redirect(sessions)
    third = redirect(sessions)
    assert (third.rung, third.peer) == (Rung.ACTION_PLAN, True)
    said = "\n".join(views.guidance_lines(third, ANA.user_id))
    assert "manager" in said
    assert not any(plan in said for plan in prompts.variants("feedback.guide.action_plan"))


def test_the_manager_gets_the_managers_rungs(sessions):
    manage(sessions, MAYA.user_id, ANA.user_id)
    for _ in range(2):
        redirect(sessions)
    third = redirect(sessions)
    said = "\n".join(views.guidance_lines(third, ANA.user_id))
    assert not third.peer
    assert any(plan in said for plan in prompts.variants("feedback.guide.action_plan"))


def test_a_told_date_is_today_or_within_the_window_before():
    today = NOW.date()
    assert rules.told_day(today.isoformat(), today) == today
    assert rules.told_day("2026-11-27", today) == today - timedelta(days=3)
    assert rules.told_day("2026-12-01", today) is None  # tomorrow
    assert rules.told_day((today - timedelta(days=91)).isoformat(), today) is None
    assert rules.told_day("last tuesday", today) is None
