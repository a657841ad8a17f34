"""Priorities: each person's few, named, dated and checked on.

`rules` holds the plain rules and the store (and is what `from bot import priorities`
reads), `text` reads `/priority ...` and words a priority, `views` the messages of
`/priority`, `actions` the use cases: what people do with their priorities.
"""

from bot.priorities.rules import (
    ACTIVE,
    AT_RISK,
    BLOCKED,
    DONE,
    DROPPED,
    HEALTHS,
    NOTE_LIMIT,
    ON_TRACK,
    TITLE_LIMIT,
    active,
    active_by_owner,
    add,
    clean_title,
    finish,
    health_from_word,
    is_stale,
    named,
    numbered,
    rename,
    set_due,
    set_health,
    set_note,
    touch,
)

__all__ = [
    "ACTIVE",
    "AT_RISK",
    "BLOCKED",
    "DONE",
    "DROPPED",
    "HEALTHS",
    "NOTE_LIMIT",
    "ON_TRACK",
    "TITLE_LIMIT",
    "active",
    "active_by_owner",
    "add",
    "clean_title",
    "finish",
    "health_from_word",
    "is_stale",
    "named",
    "numbered",
    "rename",
    "set_due",
    "set_health",
    "set_note",
    "touch",
]
