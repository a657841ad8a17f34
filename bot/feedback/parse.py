"""Reading `/feedback` text into what the person asked for. Pure: no database, no Slack.

/feedback                                   -> OpenForm
/feedback help                              -> Help
/feedback list @name                        -> ListFor
/feedback ask @a [@b ...] [#topic] question -> AskFor
/feedback @a [@b ...] [kind] [#topic] text  -> Give (kind and #topic in either order)
anything else                               -> Usage, or a ParseProblem saying what is wrong
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot import mentions, user_text
from bot.feedback.rules import MAX_PEOPLE, MAX_TEXT, Kind, kind_from_word, normalize_topic

# `#launch` arrives as <#C123|launch> when a channel of that name exists.
CHANNEL_TOPIC = re.compile(r"<#C[A-Z0-9]+\|([^>]*)>")
GROUP = re.compile(r"<!(?:subteam\^[A-Z0-9]+|here|channel|everyone)(?:\|[^>]*)?>")


@dataclass(frozen=True)
class OpenForm:
    pass


@dataclass(frozen=True)
class Help:
    pass


@dataclass(frozen=True)
class Usage:
    pass


@dataclass(frozen=True)
class ListFor:
    person: str


@dataclass(frozen=True)
class Give:
    people: list[str]
    kind: Kind | None  # None: not said, saved as a note and the giver is asked
    topic: str  # normalised; "" for none
    text: str  # stored form (see bot.user_text)


@dataclass(frozen=True)
class AskFor:
    """Ask `people` for feedback on yourself."""

    people: list[str]
    topic: str  # normalised; "" for none
    question: str  # stored form


@dataclass(frozen=True)
class ParseProblem:
    """What is wrong with the text, in one line: the prompt `feedback.refuse.<key>` with
    `values`."""

    key: str
    values: dict[str, Any] = field(default_factory=dict)


Parsed = OpenForm | Help | Usage | ListFor | Give | AskFor | ParseProblem


def parse(text: str) -> Parsed:
    text = text.strip()
    if not text:
        return OpenForm()
    verb, _, rest = text.partition(" ")
    if verb.lower() in ("help", "?"):
        return Help()
    if verb.lower() == "list":
        return _parse_list(rest)
    if verb.lower() == "ask":
        return _parse_ask(rest)
    people, rest = mentions.leading(text)
    if not people:
        return _without_mention(text)
    return _parse_give(people, rest)


def _first_word(text: str) -> str:
    return text.split(maxsplit=1)[0] if text.split() else ""


def _without_mention(text: str) -> ParseProblem | Usage:
    first = _first_word(text)
    group = GROUP.match(text)
    if group:
        return ParseProblem("group_mention", {"group": user_text.from_slack(group.group(0))})
    if first.startswith("@"):
        return ParseProblem("hand_typed", {"names": first})
    if kind_from_word(first) or _topic_word(first) or mentions.MENTION.search(text):
        return ParseProblem("person_first")
    return Usage()


def _parse_list(rest: str) -> ListFor | ParseProblem:
    people, _ = mentions.leading(rest)
    if not people:
        first = _first_word(rest)
        if first.startswith("@"):
            return ParseProblem("hand_typed", {"names": first})
        return ParseProblem("list_needs_mention")
    if len(set(people)) > 1:
        return ParseProblem("list_one_person")
    return ListFor(people[0])


def _parse_ask(rest: str) -> AskFor | ParseProblem:
    people, rest = mentions.leading(rest.strip())
    if not people:
        first = _first_word(rest)
        if first.startswith("@"):
            return ParseProblem("hand_typed", {"names": first})
        return ParseProblem("ask_needs_mention")
    parsed = _parse_give(people, rest)
    if isinstance(parsed, ParseProblem):
        if parsed.key in ("empty", "topic_without_text"):
            return ParseProblem("ask_empty")
        return parsed
    if parsed.kind is not None:  # a question has no kind: "improve" was its first word
        return _parse_ask_words(people, rest)
    return AskFor(parsed.people, parsed.topic, parsed.text)


def _parse_ask_words(people: list[str], rest: str) -> AskFor | ParseProblem:
    """The question as typed, after an optional #topic."""
    rest = rest.strip()
    topic = ""
    raw_topic = _topic_word(_first_word(rest))
    if raw_topic is not None:
        topic = normalize_topic(raw_topic) or ""
        rest = rest[len(_first_word(rest)) :]
    said = user_text.from_slack(rest).strip()
    if not said or len(said) > MAX_TEXT:
        return ParseProblem("ask_empty")
    return AskFor(list(dict.fromkeys(people)), topic, said)


def _parse_give(people: list[str], rest: str) -> Give | ParseProblem:
    group = GROUP.match(rest)
    if group:
        return ParseProblem("group_mention", {"group": user_text.from_slack(group.group(0))})
    if _first_word(rest).startswith("@"):
        return ParseProblem("hand_typed", {"names": _first_word(rest)})
    distinct = list(dict.fromkeys(people))
    if len(distinct) > MAX_PEOPLE:
        return ParseProblem("too_many", {"count": len(distinct), "limit": MAX_PEOPLE})
    kind: Kind | None = None
    topic: str | None = None
    for _ in range(2):  # a kind and a #topic, in either order
        rest = rest.lstrip()
        word = _first_word(rest)
        remainder = rest[len(word) :].lstrip() if word else ""
        if kind is None and kind_from_word(word):
            kind, rest = kind_from_word(word), remainder
            continue
        raw_topic = _topic_word(word)
        if topic is None and raw_topic is not None:
            topic = normalize_topic(raw_topic)
            if not topic:
                return ParseProblem("topic_not_a_word", {"topic": raw_topic})
            rest = remainder
            continue
        break
    said = user_text.from_slack(rest).strip()
    if not said:
        if topic:
            return ParseProblem("topic_without_text", {"topic": topic})
        return ParseProblem("empty")
    if len(said) > MAX_TEXT:
        return ParseProblem("too_long", {"count": len(said), "limit": MAX_TEXT})
    return Give(distinct, kind, topic or "", said)


def _topic_word(word: str) -> str | None:
    """The topic a word names (`#handoffs`, or Slack's channel link for it), else None."""
    if word.startswith("#"):
        return word
    channel = CHANNEL_TOPIC.fullmatch(word)
    return "#" + channel.group(1) if channel else None
