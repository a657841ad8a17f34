"""A baseline both can read: what a manager and a report expect of the report's work
(result areas, ground rules, how good work is judged, by when), written down by the
manager and agreed by the report, and looked at again every few months.

`content` reads and lays out the parts, `views` the form and messages, `actions` the use
cases, `planning` the scheduler's "does it still hold?".
"""
