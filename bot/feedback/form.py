"""The "Give feedback" form: what the modal remembers, and reading what was submitted.

A modal carries its own state in `private_metadata`: the form, the token that makes a
re-submission land on the same record and where the message it was opened on is
(`Meta`); the confirmation modal after saving, the records it shows (`Shown`). Both come
back from Slack as claims: `load` reads anything without failing, and the use cases
check what it names against the person acting. The layouts are in `views`.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from bot.feedback.rules import MAX_TEXT, Kind, new_token, normalize_topic
from bot.prompts import render

CALLBACK_ID = "feedback_form"
PERSON = "person"
KIND = "kind"
TOPIC = "topic"
TEXT = "text"
DELIVERY = "delivery"
SEND_NOW = "send_now"
# What each field of `Meta` can be: anything else in the metadata is dropped.
META_FIELDS = {
    "token": re.compile(r"[0-9a-f]{32}"),  # `new_token`
    "channel": re.compile(r"[A-Z0-9]{2,20}"),
    "ts": re.compile(r"\d{1,12}\.\d{1,8}"),
    "ask": re.compile(r"[1-9]\d{0,9}"),  # the request for feedback it answers (a claim)
}


def _object(raw: str | None) -> dict[str, Any]:
    """A JSON object from `private_metadata`; {} for anything else."""
    try:
        data = json.loads(raw or "{}")
    except json.JSONDecodeError:
        return {}
    return data if isinstance(data, dict) else {}


def _dump(data: dict[str, Any]) -> str:
    return json.dumps(data, separators=(",", ":"))


@dataclass(frozen=True)
class Meta:
    """What the form remembers between opening and submitting."""

    token: str = field(default_factory=new_token)
    channel: str = ""  # the message it was opened on, if any
    ts: str = ""
    ask: str = ""  # the id of the `FeedbackAsk` it answers, when opened from one

    def dump(self) -> str:
        return _dump({k: v for k, v in asdict(self).items() if v})

    @classmethod
    def load(cls, raw: str | None) -> Meta:
        """The state a form was opened with; a missing or malformed token gets a fresh one."""
        data = _object(raw)
        return cls(
            **{
                name: value
                for name, shape in META_FIELDS.items()
                if isinstance(value := data.get(name), str) and shape.fullmatch(value)
            }
        )

    @property
    def from_message(self) -> bool:
        return bool(self.channel and self.ts)


@dataclass(frozen=True)
class Shown:
    """What a confirmation modal shows: its records, and whether it asks for their kind."""

    ids: tuple[int, ...] = ()
    ask_kind: bool = False

    def dump(self) -> str:
        return _dump({"ids": list(self.ids), "ask": self.ask_kind})

    @classmethod
    def load(cls, raw: str | None) -> Shown:
        data = _object(raw)
        ids = data.get("ids")
        ids = ids if isinstance(ids, list) else []
        return cls(tuple(i for i in ids if type(i) is int), bool(data.get("ask")))


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
