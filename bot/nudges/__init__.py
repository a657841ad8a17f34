"""Nudges: tell a manager, at the right moment, that feedback is earned.

`planning` decides what each scheduler pass sends, `views` lays the messages out, and
`actions` are the use cases of their buttons.
"""

from bot.nudges.planning import (
    PRAISE_WINDOW,
    REMIND_AFTER,
    build_digest,
    gap_days,
    is_urgent,
    manager_hears,
    only_redirects,
    plan_digests,
    plan_event_nudges,
    raises_urgent,
    stale_ids,
)
from bot.nudges.views import (
    ASK_ABOUT,
    BASELINE,
    BASELINE_HELD,
    CHECK_IN,
    DIGEST,
    GIVE_FEEDBACK,
    PRAISE,
    REMIND_LATER,
    feedback_button,
    status_request,
)

__all__ = [
    "ASK_ABOUT",
    "BASELINE",
    "BASELINE_HELD",
    "CHECK_IN",
    "DIGEST",
    "GIVE_FEEDBACK",
    "PRAISE",
    "PRAISE_WINDOW",
    "REMIND_AFTER",
    "REMIND_LATER",
    "build_digest",
    "feedback_button",
    "gap_days",
    "is_urgent",
    "manager_hears",
    "only_redirects",
    "plan_digests",
    "plan_event_nudges",
    "raises_urgent",
    "stale_ids",
    "status_request",
]
