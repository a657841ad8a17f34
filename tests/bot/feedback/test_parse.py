"""Reading `/feedback` text, as Slack sends it with should_escape on."""

from __future__ import annotations

import pytest

from bot.feedback.parse import AskFor, Give, Help, ListFor, OpenForm, ParseProblem, Usage, parse
from bot.feedback.rules import Kind

RAVI = "<@URAVI0002|ravi>"
ANA = "<@UANA00003>"


def test_nothing_opens_the_form_and_help_shows_usage():
    assert parse("") == OpenForm()
    assert parse("   ") == OpenForm()
    assert parse("help") == Help()
    assert parse("HELP") == Help()


def test_an_unknown_word_gets_usage():
    assert parse("frobnicate the thing") == Usage()


def test_one_person_a_kind_a_topic_and_what_happened():
    assert parse(f"{RAVI} redirect #Handoffs the notes were missing") == Give(
        ["URAVI0002"], Kind.REDIRECT, "handoffs", "the notes were missing"
    )


@pytest.mark.parametrize(
    ("word", "kind"),
    [
        ("praise", Kind.PRAISE),
        ("+", Kind.PRAISE),
        ("Kudos", Kind.PRAISE),
        ("redirect", Kind.REDIRECT),
        ("-", Kind.REDIRECT),
        ("improve", Kind.REDIRECT),
        ("note", Kind.NOTE),
        ("praise:", Kind.PRAISE),
    ],
)
def test_kind_words_and_their_aliases(word: str, kind: Kind):
    parsed = parse(f"{RAVI} {word} clear release notes")
    assert isinstance(parsed, Give) and parsed.kind is kind and parsed.text == "clear release notes"


def test_without_a_kind_it_is_left_for_the_giver_to_decide():
    parsed = parse(f"{RAVI} clear release notes")
    assert isinstance(parsed, Give) and parsed.kind is None and parsed.topic == ""


def test_the_topic_may_come_before_the_kind():
    parsed = parse(f"{RAVI} #handoffs - the notes were missing")
    assert isinstance(parsed, Give)
    assert (parsed.kind, parsed.topic, parsed.text) == (
        Kind.REDIRECT,
        "handoffs",
        "the notes were missing",
    )


def test_a_topic_that_slack_turned_into_a_channel_link_still_counts():
    parsed = parse(f"{RAVI} redirect <#C0LAUNCH|launch> missed the checklist")
    assert isinstance(parsed, Give) and parsed.topic == "launch"


def test_several_people_get_one_record_each_and_repeats_count_once():
    parsed = parse(f"{RAVI} {ANA}, {RAVI} praise smooth launch")
    assert isinstance(parsed, Give) and parsed.people == ["URAVI0002", "UANA00003"]


def test_later_mentions_are_part_of_the_text():
    parsed = parse(f"{RAVI} praise paired with {ANA} &amp; fixed it")
    assert isinstance(parsed, Give)
    assert parsed.people == ["URAVI0002"]
    assert parsed.text == "paired with <@UANA00003> & fixed it"


def test_list_needs_exactly_one_person():
    assert parse(f"list {RAVI}") == ListFor("URAVI0002")
    assert parse("list") == ParseProblem("list_needs_mention")
    assert parse("list @ravi") == ParseProblem("hand_typed", {"names": "@ravi"})
    assert parse(f"list {RAVI} {ANA}") == ParseProblem("list_one_person")


def refusal(text: str) -> str:
    parsed = parse(text)
    assert isinstance(parsed, ParseProblem), parsed
    return parsed.key


def test_no_mention_is_refused_with_a_reason():
    assert refusal("praise great job") == "person_first"
    assert refusal("#handoffs late again") == "person_first"
    assert refusal("<#C0LAUNCH|launch> late again") == "person_first"
    assert refusal(f"great job {RAVI}") == "person_first"
    assert refusal("@ravi great job") == "hand_typed"
    assert refusal(f"{RAVI} @ana great job") == "hand_typed"


def test_groups_are_refused():
    assert refusal("<!here> great job") == "group_mention"
    assert refusal(f"{RAVI} <!subteam^S1|@devs> great job") == "group_mention"


def test_empty_text_is_refused():
    assert refusal(RAVI) == "empty"
    assert refusal(f"{RAVI} praise") == "empty"
    assert refusal(f"{RAVI} praise   ") == "empty"


def test_a_topic_with_no_text_is_refused():
    assert parse(f"{RAVI} redirect #handoffs") == ParseProblem(
        "topic_without_text", {"topic": "handoffs"}
    )


def test_a_topic_that_is_not_one_word_is_refused():
    assert refusal(f"{RAVI} redirect #hand/offs late") == "topic_not_a_word"
    assert refusal(f"{RAVI} redirect # late") == "topic_not_a_word"


def test_text_over_3000_characters_is_refused():
    assert isinstance(parse(f"{RAVI} " + "a" * 3000), Give)
    assert parse(f"{RAVI} " + "a" * 3001) == ParseProblem(
        "too_long", {"count": 3001, "limit": 3000}
    )


def test_the_length_is_of_what_was_typed_not_of_slacks_escaping():
    assert isinstance(parse(f"{RAVI} " + "&amp;" * 3000), Give)


def test_more_than_ten_people_are_refused():
    people = " ".join(f"<@U{n:08d}>" for n in range(11))
    assert parse(f"{people} praise great teamwork") == ParseProblem(
        "too_many", {"count": 11, "limit": 10}
    )
    ten = " ".join(f"<@U{n:08d}>" for n in range(10))
    assert isinstance(parse(f"{ten} praise great teamwork"), Give)


def test_ask_names_people_an_optional_topic_and_the_question():
    assert parse(f"ask {RAVI} {ANA} #launch how did the review go?") == AskFor(
        ["URAVI0002", "UANA00003"], "launch", "how did the review go?"
    )
    assert parse(f"ask {RAVI} improve anything in my demo?") == AskFor(
        ["URAVI0002"], "", "improve anything in my demo?"
    )
    assert parse(f"ask {RAVI}") == ParseProblem("ask_empty")
    assert parse("ask how was it") == ParseProblem("ask_needs_mention")
