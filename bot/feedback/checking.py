"""The form's answer while Slack is asked who the person is.

A form is answered within Slack's 3 seconds. The person picked is judged from the
directory; someone it has never seen needs `users.info`, which can be slow. Then the form
is answered at once with a "checking" view, and updated when Slack has answered: to the
confirmation, or back to the form with what was typed and why it wasn't saved.
"""

from __future__ import annotations

from typing import Any

from bot import blocks
from bot.feedback.form import DELIVERY, TEXT, TOPIC, Meta, Submission
from bot.feedback.views import TITLE_LIMIT, form_modal
from bot.prompts import Safe, mention, render


def checking_view(meta: Meta, person: str) -> dict[str, Any]:
    """Shown in place of the form while Slack says who `person` is (nothing to submit)."""
    return {
        "type": "modal",
        "callback_id": "feedback_checking",
        "title": blocks.plain(render("feedback.modal.title"), TITLE_LIMIT),
        "close": blocks.plain(render("feedback.modal.close"), TITLE_LIMIT),
        "private_metadata": meta.dump(),
        "blocks": [blocks.section(render("feedback.modal.checking.text", person=mention(person)))],
    }


def form_again(meta: Meta, submission: Submission, problems: dict[str, str]) -> dict[str, Any]:
    """The form as it was submitted, with why it wasn't saved on top."""
    kind = submission.kind.value if submission.kind is not None else None
    view = form_modal(meta, person=submission.person, kind=kind)
    typed = {TOPIC: submission.topic_raw, TEXT: submission.text}
    for block in view["blocks"]:
        element = block.get("element") or {}
        if typed.get(block.get("block_id", "")):
            element["initial_value"] = typed[block["block_id"]]
        if block.get("block_id") == DELIVERY and submission.send_now:
            element["initial_options"] = element["options"]
    # Each problem is a prompt already rendered (escaped): it goes in as it is.
    lines = [
        render("feedback.modal.checking.not_saved", problem=Safe(p)) for p in problems.values()
    ]
    view["blocks"].insert(0, blocks.section("\n".join(lines)))
    return view
