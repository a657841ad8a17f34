"""Reading people out of slash-command text.

With `should_escape: true` Slack sends mentions as `<@U123|name>` or `<@U123>`;
anything else that looks like a person (`@bob`) is text the user typed by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MENTION = re.compile(r"<@([UW][A-Z0-9]{2,})(?:\|[^>]*)?>")
SPECIAL = re.compile(r"<!(here|channel|everyone)(?:\|[^>]*)?>|<!subteam\^[A-Z0-9]+(?:\|[^>]*)?>")
HAND_TYPED = re.compile(r"(?<![<\w])@[\w.\-]+")


@dataclass(frozen=True)
class Mentions:
    user_ids: list[str]
    rest: str  # the text with mentions removed, whitespace tidied
    group_mentions: list[str]  # @here, @channel, user groups: not people we can add
    hand_typed: list[str]  # "@bob" typed without picking from the autocomplete


def parse(text: str) -> Mentions:
    user_ids = MENTION.findall(text)
    groups = [m.group(0) for m in SPECIAL.finditer(text)]
    rest = SPECIAL.sub(" ", MENTION.sub(" ", text))
    hand = HAND_TYPED.findall(rest)
    return Mentions(user_ids, " ".join(rest.split()), groups, hand)


def leading(text: str) -> tuple[list[str], str]:
    """Mentions at the start of `text`, and what follows them (kept verbatim)."""
    ids: list[str] = []
    rest = text.strip()
    while True:
        match = MENTION.match(rest)
        if not match:
            return ids, rest
        ids.append(match.group(1))
        rest = rest[match.end() :].lstrip(" ,")
