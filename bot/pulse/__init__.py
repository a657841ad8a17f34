"""The monthly upward pulse: a manager's accepted reports answer three anonymous questions.

`rules` holds the plain rules and the anonymous store, `planning` the scheduler's part,
`views` the messages and form, `actions` the use cases of `/coach pulse` and the form.
"""

from bot.pulse.planning import plan_pulses
from bot.pulse.rules import latest_results, reflection_for

__all__ = ["latest_results", "plan_pulses", "reflection_for"]
