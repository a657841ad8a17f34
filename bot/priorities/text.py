"""Priorities in words: reading `/priority ...` into a request (or a reason it cannot be
read), and how a priority reads in a list, a check-in or a reply."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot import mentions, user_text
from bot.dates import DateError, parse_due
from bot.models import Priority
from bot.prompts import Safe, render
from bot.refusal import Refusal


def _who(name: str) -> str:
    return rf"<@(?P<{name}>[UW][A-Z0-9]+)(?:\|[^>]*)?>"


# A title, then at the very end optional "due <one word>" and/or "for @person", in either
# order. A "due" inside the title ("due diligence") stays in the title.
_ADD = re.compile(
    r"^(?P<title>.*?)(?:\s+(?:"
    rf"for\s+{_who('for1')}\s+due\s+(?P<due1>\S+)"
    rf"|due\s+(?P<due2>\S+)\s+for\s+{_who('for2')}"
    r"|due\s+(?P<due3>\S+)"
    rf"|for\s+{_who('for3')}"
    r"))?\s*$",
    re.IGNORECASE | re.DOTALL,
)
VERBS = ("add", "done", "drop", "status", "edit", "due", "list", "help")


@dataclass(frozen=True)
class Request:
    verb: str  # "" (show mine), add, done, drop, status, edit, due, list, help
    number: int | None = None
    title: str = ""
    due: str | None = None  # as typed; read in the speaker's time zone later
    owner: str | None = None  # `for @x` / `list @x`
    word: str = ""  # status word, or the new due text
    note: str = ""


def parse(text: str) -> Request:
    text = text.strip()
    verb, _, rest = text.partition(" ")
    verb = verb.lower()
    rest = rest.strip()
    if verb == "":
        return Request("")
    if verb in ("help", "?"):
        return Request("help")
    if verb == "add":
        return _parse_add(rest)
    if verb == "list":
        found = mentions.parse(rest)
        if not found.user_ids:
            raise Refusal("priority.needs_mention")
        return Request("list", owner=found.user_ids[0])
    if verb in ("done", "drop", "status", "edit", "due"):
        return _parse_numbered(verb, rest)
    raise Refusal("priority.unknown", word=verb[:30])


def _parse_add(rest: str) -> Request:
    match = _ADD.match(rest)
    assert match is not None  # every string matches: the tail is optional
    owner = match.group("for1") or match.group("for2") or match.group("for3")
    due = match.group("due1") or match.group("due2") or match.group("due3")
    title = user_text.from_slack(match.group("title")).strip()
    return Request("add", title=title, due=due, owner=owner)


def _parse_numbered(verb: str, rest: str) -> Request:
    first, _, tail = rest.partition(" ")
    if not first.isdecimal():  # isdigit() would pass "²", which int() cannot read
        raise Refusal("priority.needs_number", verb=verb)
    number = int(first)
    tail = tail.strip()
    if verb == "edit":
        return Request("edit", number=number, title=user_text.from_slack(tail).strip())
    if verb == "due":
        return Request("due", number=number, word=tail)
    if verb == "status":
        words = tail.split(None, 2)
        if len(words) >= 2 and f"{words[0]} {words[1]}".lower() == "on track":
            return Request("status", number=number, word="on_track", note=" ".join(words[2:]))
        if not words:
            raise Refusal("priority.needs_status", number=number)
        word, _, note = tail.partition(" ")
        return Request("status", number=number, word=word, note=user_text.from_slack(note).strip())
    return Request(verb, number=number)


def read_date(text: str, today: date, work_days: str) -> date:
    """A due date as typed (`fri`, `+2w`...), read from the speaker's `today`."""
    if not text:
        raise Refusal("priority.date_refused", reason=Safe(render("dates.missing")))
    result = parse_due(text, today, work_days)
    if isinstance(result, DateError):
        raise Refusal("priority.date_refused", reason=Safe(result.render()))
    return result


# --- how a priority reads -----------------------------------------------------------------


def day_label(day: date) -> str:
    """A due date as every priority message shows it: "Fri 4 Dec"."""
    return day.strftime("%a %-d %b")


def due_label(priority: Priority, today: date) -> str:
    """' · due Fri 4 Dec', or ' · was due ...' once past; empty without a due date."""
    if priority.due_on is None:
        return ""
    key = "checkin.overdue" if priority.due_on < today else "checkin.due"
    return render(key, date=day_label(priority.due_on))


def status_word(health: str) -> str:
    """On track, At risk, Blocked: as the status menus and replies name a health."""
    return render(f"priority.status.{health}")


def priority_line(number: int, priority: Priority, today: date, stale: bool = False) -> str:
    """How a priority reads in a list (`/priority`, Home): number, title, due, health, note."""
    health = render(f"priority.list.health_{priority.health}") if priority.health else ""
    line = render(
        "priority.list.line",
        number=number,
        title=priority.title,
        due=Safe(due_label(priority, today)),
        health=Safe(health),
    )
    if stale:
        line += render("priority.list.stale")
    if priority.note:
        line += "\n" + render("priority.list.note", note=priority.note)
    return line
