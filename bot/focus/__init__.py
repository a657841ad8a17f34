"""Coach one thing: a manager and a report agree one focus to practise (either proposes,
the other accepts). The report taps *Practised it today* in their check-in, the manager's
digest says when they did, and *Done* leads to praise and the next one.

`store` finds a pair's focus and its practice, `views` lays out the messages, `actions`
the use cases.
"""
