"""Text people typed, stored plainly and echoed safely.

Stored form: the characters the person wrote, with person and channel references
kept as Slack markup (`<@U123>`, `<#C123>`) so they still show as names. Slack sends
slash-command and message text with `&`, `<` and `>` as entities and special
mentions as markup; `from_slack` turns that into the stored form. `echo` turns the
stored form into mrkdwn where only those references are live and everything else is
escaped, so nothing typed can ping a channel, forge a link or break the layout.
"""

from __future__ import annotations

import html
import re

from bot.prompts import Safe, escape

# One piece of Slack markup: <...> with no nested angle brackets.
MARKUP = re.compile(r"<([^<>]*)>")
PERSON = re.compile(r"@([UW][A-Z0-9]{2,})(?:\|[^>]*)?")
CHANNEL = re.compile(r"#(C[A-Z0-9]{2,})(?:\|[^>]*)?")
SPECIAL = re.compile(r"!(?:subteam\^[A-Z0-9]+|here|channel|everyone)(?:\|(.*))?", re.S)
# What `echo` keeps live: normalised person and channel references only.
LIVE = re.compile(r"<[@#](?:[UW]|C)[A-Z0-9]{2,}>")
# A reference someone typed by hand (Slack sent it escaped, `&lt;@U1&gt;`): after
# unescaping, a word joiner after its `<` keeps it from ever reading as a live one.
TYPED_REFERENCE = re.compile(r"<(?=[@#!])")
WORD_JOINER = "\u2060"


def from_slack(text: str) -> str:
    """Slack's wire format (escaped, with markup) to the stored form."""
    parts: list[str] = []
    position = 0
    for match in MARKUP.finditer(text):
        parts.append(_typed(text[position : match.start()]))
        parts.append(_plain_markup(match.group(1)))
        position = match.end()
    parts.append(_typed(text[position:]))
    return "".join(parts)


def _typed(text: str) -> str:
    """Text between markup, unescaped: only what Slack itself formatted becomes markup."""
    return TYPED_REFERENCE.sub("<" + WORD_JOINER, html.unescape(text))


def _plain_markup(inner: str) -> str:
    person = PERSON.fullmatch(inner)
    if person:
        return f"<@{person.group(1)}>"
    channel = CHANNEL.fullmatch(inner)
    if channel:
        return f"<#{channel.group(1)}>"
    special = SPECIAL.fullmatch(inner)
    if special:
        label = html.unescape(special.group(1) or inner[1:].split("|")[0].split("^")[0])
        return label if label.startswith("@") else "@" + label
    url, _, label = inner.partition("|")
    if url.startswith(("http://", "https://", "mailto:")):
        return html.unescape(url)  # the address itself: a typed label could disguise it
    return html.unescape(label or url)


def echo(text: str) -> Safe:
    """The stored form as safe mrkdwn: references stay live, everything else is escaped."""
    parts: list[str] = []
    position = 0
    for match in LIVE.finditer(text):
        parts.append(escape(text[position : match.start()]))
        parts.append(match.group(0))
        position = match.end()
    parts.append(escape(text[position:]))
    return Safe("".join(parts))


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters of stored text on one line, never cutting a reference."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    broken = cut.rfind("<")
    if broken != -1 and ">" not in cut[broken:]:
        cut = cut[:broken]
    return cut.rstrip() + "…"


def excerpt(text: str, limit: int = 150) -> Safe:
    """A short, safe, single-line quote of stored text."""
    return echo(shorten(text, limit))


def quote(text: str) -> Safe:
    """Stored text as a mrkdwn block quote, line by line."""
    lines = text.strip().splitlines() or [""]
    return Safe("\n".join(f">{echo(line)}" if line.strip() else ">" for line in lines))
