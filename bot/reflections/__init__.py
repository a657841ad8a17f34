"""The weekly reflection a manager can answer: a private journal of their own.

`store` holds the rules and the reads and writes the summary, Home and the use cases
share, `views` the buttons, form and journal (Block Kit only), `actions` the use cases of
*Answer* and *Skip*. Only the author ever reads an entry (`bot.visibility.may_read_journal`).
"""
