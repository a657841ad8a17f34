"""Action plans: on the third rung of the redirect ladder, a manager drafts a written plan
(up to five dated steps and a check-in date), the report agrees to it or suggests a
change, and both follow it until the manager closes it.

`rules` holds the limits, the states and the lookups (through `bot.visibility`), `views`
the layouts, `actions` the use cases and `planning` the manager's nudges on the dates.
"""

from bot.plans.rules import checkin_steps, open_steps, steps_due

__all__ = ["checkin_steps", "open_steps", "steps_due"]
