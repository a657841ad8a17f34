"""The "Give feedback" modal: building it, its private state, and reading a submission.

The modal carries its own state in `private_metadata` (a few hundred characters at
most): the token that makes a re-submission land on the same record, and, when it
was opened from a message, where that message is and its permalink.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

from bot import blocks, feedback, user_text
from bot.feedback import MAX_TEXT, Kind, normalize_topic
from bot.prompts import mention, render

CALLBACK_ID = "feedback_form"
PERSON = "person"
KIND = "kind"
TOPIC = "topic"
TEXT = "text"
DELIVERY = "delivery"
SEND_NOW = "send_now"
TITLE_LIMIT = 24
PROMPTED_BY = ("finished", "blocker", "at_risk", "baseline")
METADATA_LIMIT = 3000


@dataclass(frozen=True)
class Meta:
    """What the modal remembers between opening and submitting."""

    token: str
    channel: str = ""  # the message it was opened from, if any
    ts: str = ""
    link: str = ""

    def dump(self) -> str:
        data = {k: v for k, v in asdict(self).items() if v}
        text = json.dumps(data, separators=(",", ":"))
        if len(text) > METADATA_LIMIT:  # a permalink is short; never let it break the modal
            text = json.dumps({k: v for k, v in data.items() if k != "link"})
        return text

    @classmethod
    def load(cls, raw: str | None) -> Meta:
        try:
            data = json.loads(raw or "{}")
        except json.JSONDecodeError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        fields = {k: str(data[k]) for k in ("token", "channel", "ts", "link") if data.get(k)}
        fields.setdefault("token", feedback.new_token())
        return cls(**fields)

    @property
    def from_message(self) -> bool:
        return bool(self.channel and self.ts)


@dataclass(frozen=True)
class Source:
    """The message a shortcut was used on, as shown at the top of the modal."""

    author_id: str | None
    text: str  # stored form


def _plain(key: str, limit: int = blocks.SECTION_LIMIT, **values: Any) -> dict[str, Any]:
    return blocks.plain(render(key, **values), limit)


def modal(
    meta: Meta,
    *,
    person: str | None = None,
    source: Source | None = None,
    kind: str | None = None,
    why: str | None = None,
    title: str = "",
) -> dict[str, Any]:
    """The form; `person` and `kind` preselected, `source` shown as the message it is
    about, `why` what prompted it (a nudge: finished, blocker, at_risk, baseline)."""
    body: list[blocks.Block] = []
    if why in PROMPTED_BY:
        body.append(blocks.context(render(f"feedback.modal.prompted_by_{why}", title=title)))
    if source is not None:
        excerpt = user_text.excerpt(source.text, 200)
        about = (
            render("feedback.modal.from_message", person=mention(source.author_id), excerpt=excerpt)
            if source.author_id
            else render("feedback.modal.from_bot", excerpt=excerpt)
        )
        lines = [about]
        if meta.link:
            lines.append(render("feedback.modal.message_link", url=meta.link))
        body.append(blocks.context(*lines))
    person_select: dict[str, Any] = {"type": "users_select", "action_id": PERSON}
    if person:
        person_select["initial_user"] = person
    options = [
        {"text": _plain(f"feedback.modal.kind_{kind.value}", 75), "value": kind.value}
        for kind in Kind
    ]
    kind_select: dict[str, Any] = {"type": "radio_buttons", "action_id": KIND, "options": options}
    chosen = [option for option in options if option["value"] == kind]
    if chosen:
        kind_select["initial_option"] = chosen[0]
    body += [
        _input(PERSON, "feedback.modal.person", person_select),
        _input(
            KIND,
            "feedback.modal.kind",
            kind_select,
            optional=True,
            hint="feedback.modal.kind_hint",
        ),
        _input(
            TOPIC,
            "feedback.modal.topic",
            {
                "type": "plain_text_input",
                "action_id": TOPIC,
                "max_length": 41,
                "placeholder": _plain("feedback.modal.topic_placeholder", 150),
            },
            optional=True,
            hint="feedback.modal.topic_hint",
        ),
        _input(
            TEXT,
            "feedback.modal.text",
            {
                "type": "plain_text_input",
                "action_id": TEXT,
                "multiline": True,
                "max_length": MAX_TEXT,
                "placeholder": _plain("feedback.modal.text_placeholder", 150),
            },
        ),
        _input(
            DELIVERY,
            "feedback.modal.delivery",
            {
                "type": "checkboxes",
                "action_id": SEND_NOW,
                "options": [{"text": _plain("feedback.modal.send_now", 75), "value": "yes"}],
            },
            optional=True,
        ),
    ]
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "title": _plain("feedback.modal.title", TITLE_LIMIT),
        "submit": _plain("feedback.modal.submit", TITLE_LIMIT),
        "close": _plain("feedback.modal.close", TITLE_LIMIT),
        "private_metadata": meta.dump(),
        "blocks": body,
    }


def _input(
    block_id: str,
    label: str,
    element: dict[str, Any],
    *,
    optional: bool = False,
    hint: str | None = None,
) -> blocks.Block:
    block: blocks.Block = {
        "type": "input",
        "block_id": block_id,
        "label": _plain(label, 2000),
        "element": element,
    }
    if optional:
        block["optional"] = True
    if hint:
        block["hint"] = _plain(hint, 2000)
    return block


@dataclass(frozen=True)
class Submission:
    person: str | None
    kind: Kind | None  # None: left empty, saved as a note
    topic: str | None  # normalised; None when it is not one word
    topic_raw: str
    text: str  # stored form
    send_now: bool


def read(values: dict[str, Any]) -> Submission:
    """The submitted state (`view.state.values`), tolerant of missing blocks."""

    def field(block_id: str, action_id: str) -> dict[str, Any]:
        return (values.get(block_id) or {}).get(action_id) or {}

    chosen = (field(KIND, KIND).get("selected_option") or {}).get("value")
    kind = Kind(chosen) if chosen in {k.value for k in Kind} else None
    topic_raw = field(TOPIC, TOPIC).get("value") or ""
    return Submission(
        person=field(PERSON, PERSON).get("selected_user") or None,
        kind=kind,
        topic=normalize_topic(topic_raw),
        topic_raw=topic_raw,
        text=(field(TEXT, TEXT).get("value") or "").strip(),
        send_now=any(
            option.get("value") == "yes"
            for option in field(DELIVERY, SEND_NOW).get("selected_options") or []
        ),
    )


def errors(submission: Submission, giver_id: str) -> dict[str, str]:
    """Problems Slack shows next to each field; people are judged later, with the directory."""
    problems: dict[str, str] = {}
    if not submission.person:
        problems[PERSON] = render("feedback.modal.errors.person")
    elif submission.person == giver_id:
        problems[PERSON] = render("feedback.modal.errors.self")
    if not submission.text:
        problems[TEXT] = render("feedback.modal.errors.empty")
    elif len(submission.text) > MAX_TEXT:
        problems[TEXT] = render(
            "feedback.modal.errors.too_long", count=len(submission.text), limit=MAX_TEXT
        )
    if submission.topic is None:
        problems[TOPIC] = render("feedback.modal.errors.topic")
    return problems
