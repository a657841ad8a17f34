"""Daily check-ins.

`planning` decides who is due one and writes the day's rows (the scheduler's planners),
`answers` what a person's answers change, `actions` the use cases of `/checkin` and of the
check-in DM's buttons and note form, `views` the messages and the form.
"""
