"""Values that come back from Slack (button values, form metadata) are claims, not facts.

Whoever reads one looks it up and checks it against the database and the actor; this
module only reads the shape, the same way everywhere.
"""

from __future__ import annotations

ID_LIMIT = 2**31 - 1  # the largest value of an integer id column, on either database


def claimed_id(text: str) -> int | None:
    """A row id as a client sent it back: only ASCII digits that could name a row ("²"
    passes `isdigit` but not `int`; a number past the column's range errs on
    PostgreSQL), else None."""
    if not (text.isascii() and text.isdigit()) or int(text) > ID_LIMIT:
        return None
    return int(text)
