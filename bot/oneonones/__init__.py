"""One-on-ones: a manager and a report meet on a schedule in the manager's zone; an hour
before, both get a shared agenda in their group DM with Sprout and the manager a private
prep; a wrap-up turns what they agreed into priorities that the next agenda follows up.

`cadence` reads when a pair meets, `agenda` keeps what each meeting brings (and
`bring_up`, the hook other features use to add to it), `gather` collects an agenda and a
prep, `views` lays them out, `planning` is the scheduler's part, `actions` the use cases.
"""

from bot.oneonones.agenda import bring_up
from bot.oneonones.planning import plan_one_on_ones

__all__ = ["bring_up", "plan_one_on_ones"]
