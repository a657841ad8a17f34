"""The App Home tab: what each person sees when they open Sprout.

`view` builds it from data (`rows` holds the numbers behind a manager's team), `publish`
puts it on Slack when someone opens it and again after changes that show there, and
`actions` holds the use case of opening it. `from bot import home` reads the first two.
"""

from bot.home.publish import (
    mark_opened,
    publish,
    refresh,
    refresh_after_delivery,
    refresh_with_manager,
)
from bot.home.view import (
    DETAILED,
    DONE,
    OPEN_SETTINGS,
    STATUS,
    VIEW_LIMIT,
    build,
)

__all__ = [
    "DETAILED",
    "DONE",
    "OPEN_SETTINGS",
    "STATUS",
    "VIEW_LIMIT",
    "build",
    "mark_opened",
    "publish",
    "refresh",
    "refresh_after_delivery",
    "refresh_with_manager",
]
