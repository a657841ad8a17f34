"""Teams: who reports to whom.

`rules` holds the plain rules (and is what `from bot import teams` reads), `actions` the
use cases of `/team` and the welcome note's button, `views` their messages.
"""

from bot.teams.rules import (
    MAX_CHAIN,
    Judgement,
    Verdict,
    add_reports,
    judge_additions,
    manager_of,
    managers_above,
    managers_of,
    remove_report,
    reports_of,
)

__all__ = [
    "MAX_CHAIN",
    "Judgement",
    "Verdict",
    "add_reports",
    "judge_additions",
    "manager_of",
    "managers_above",
    "managers_of",
    "remove_report",
    "reports_of",
]
