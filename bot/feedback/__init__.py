"""Feedback: what a person records about someone else, and what becomes of it.

- `rules`: the words and limits of feedback, who it can be about, the redirect ladder and
  the advice after recording, what counts as a link to a message;
- `store`: recording, finding and changing records (inside the caller's transaction);
- `parse`: `/feedback` text, read into what the person asked for;
- `form`: the form's private state, and reading what was submitted;
- `views`: every message and modal layout (the confirmation, the listing, the DM, the form);
- `stats`: counts about the feedback a manager gave;
- `actions`: one use case per thing a person does (`bot.usecase`).

Who may see a record is decided by `bot.visibility` alone.
"""
