"""Every layout of feedback: the giver's confirmation with its buttons (as a reply and as
the modal after saving), `/feedback list`, the DM to the person, and the form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from bot import blocks, outbox, user_text
from bot.delivery import DeliveryReport
from bot.feedback.form import (
    CALLBACK_ID,
    DELIVERY,
    KIND,
    PERSON,
    SEND_NOW,
    TEXT,
    TOPIC,
    Meta,
    Shown,
)
from bot.feedback.rules import (
    ANSWER_KIND,
    ASK_KIND,
    ASK_REMINDER_KIND,
    DM_KIND,
    LADDER_WINDOW,
    MAX_COMMENT,
    MAX_TEXT,
    UNSENT_KIND,
    Guidance,
    Kind,
    Response,
    Rung,
    ShareOffer,
    State,
    Unsuitable,
    offers_told,
    read_permalink,
    share_offer,
    state_of,
)
from bot.models import Feedback, FeedbackAsk
from bot.people import short_date
from bot.plans.views import DRAFT as PLAN_DRAFT
from bot.prompts import Safe, escape, mention, render

SEND = "feedback_send"
UNDO = "feedback_undo"
SHARE = "feedback_share"
SEND_AND_SHARE = "feedback_send_and_share"
TOLD = "feedback_told"
TOLD_ON = "feedback_told_on"  # the date picker next to it
MARK_PRAISE = "feedback_mark_praise"
MARK_REDIRECT = "feedback_mark_redirect"
ACTIONS = (SEND, UNDO, SHARE, SEND_AND_SHARE, TOLD, MARK_PRAISE, MARK_REDIRECT)
UNSENT_SEND = "feedback_unsent_send"
UNSENT_TOLD = "feedback_unsent_told"
UNSENT_KEEP = "feedback_unsent_keep"
# The person's answers on the DM that delivers a record to them (value: the record's id).
ANSWER_THANKS = "feedback_answer_thanks"
ANSWER_TALK = "feedback_answer_talk"
ANSWER_DIFFER = "feedback_answer_differ"  # opens `differ_modal`
ANSWERS = {
    ANSWER_THANKS: Response.THANKS,
    ANSWER_TALK: Response.TALK,
    ANSWER_DIFFER: Response.DIFFER,
}
ANSWER_BLOCK = "feedback_answer"
ASK_GIVE = "feedback_ask_give"  # "Give feedback" on a request for it (value: the ask's id)
DIFFER_CALLBACK = "feedback_differ"
COMMENT = "comment"
TOLD_BLOCK = "feedback_told_"  # + the record's id: the block of the date picker
EXCERPT = 150
LIST_LIMIT = 20
LIST_EXCERPT = 300
TITLE_LIMIT = 24
PROMPTED_BY = ("finished", "blocker", "at_risk", "baseline", "focus")
# What stays as it is in a link's address; everything else is percent-encoded (`|` too).
URL_SAFE = ":/?#[]@!$&'()*+,;=%-._~"


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, ... 11th, 12th, 13th, ... 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def message_url(url: str | None) -> Safe | None:
    """A stored message link as the address of a mrkdwn link, when it is a Slack permalink:
    percent-encoded and escaped, so it can end neither the link nor its label."""
    if read_permalink(url) is None:
        return None
    assert url is not None
    return Safe(escape(quote(url, safe=URL_SAFE)))


# --- what recording said -----------------------------------------------------------------


def unsuitable_text(unsuitable: Mapping[str, Unsuitable], asked: int) -> str:
    """One line per person who cannot get feedback; and, when others could, that nothing
    was saved for them either."""
    lines = [
        render(f"feedback.refuse.{why.value}", person=mention(user_id))
        for user_id, why in unsuitable.items()
    ]
    if len(unsuitable) < asked:
        lines.append(render("feedback.refuse.nothing_saved"))
    return "\n".join(lines)


def guidance_lines(advice: Guidance, about_id: str, rotate: int | None = None) -> list[str]:
    """The coaching line(s) after recording: a praise tip, or the ladder rung for a redirect
    (a colleague's own advice when the giver does not manage the person)."""
    rotate = advice.rotate if rotate is None else rotate
    if advice.kind is Kind.PRAISE:
        return [render("feedback.guide.praise", rotate=rotate)]
    if advice.kind is Kind.NOTE or advice.rung is None:
        return []
    lines: list[str] = []
    if advice.count >= 2:
        lines.append(
            render(
                "feedback.guide.count",
                nth=ordinal(advice.count),
                person=mention(about_id),
                topic=advice.topic,
                days=LADDER_WINDOW.days,
            )
        )
    if advice.unsaid:
        lines.append(
            render(
                "feedback.guide.unsaid_" + ("one" if advice.unsaid == 1 else "many"),
                count=advice.unsaid,
                person=mention(about_id),
                topic=advice.topic,
            )
        )
    rung = ("peer_" if advice.peer else "") + advice.rung.value
    lines.append(render(f"feedback.guide.{rung}", rotate=rotate))
    if not advice.topic and advice.rung is Rung.SUPPORTIVE:
        lines.append(render("feedback.guide.no_topic"))
    return lines


def delivery_notice(about_id: str, outbox_id: int, report: DeliveryReport | None) -> str:
    """What became of the DM a giver just sent: it went, it failed, or it waits a moment."""
    person = mention(about_id)
    if report is not None and any(row.id == outbox_id for row in report.sent):
        return render("feedback.send.done", person=person)
    if report is not None and any(row.id == outbox_id for row in report.failed):
        return render("feedback.send.failed", person=person)
    return render("feedback.send.deferred", person=person)


# --- the confirmation --------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One saved record as the confirmation shows it."""

    record: Feedback
    name: str  # the subject's display name, for button labels (plain text)
    manager_id: str | None  # the subject's manager right now
    advice: Guidance | None = None
    ask_kind: bool = False  # the kind was left out: offer Praise / Redirect


def saved_line(record: Feedback) -> str:
    excerpt = user_text.excerpt(record.text, EXCERPT)
    person = mention(record.about_id)
    if record.kind == Kind.REDIRECT and record.topic:
        return render(
            "feedback.saved.redirect_topic", person=person, topic=record.topic, excerpt=excerpt
        )
    return render(f"feedback.saved.{record.kind}", person=person, excerpt=excerpt)


def status_line(record: Feedback) -> str:
    parts: list[str] = []
    state = state_of(record)
    if state is not State.KEPT:
        parts.append(render(f"feedback.saved.{state.value}", person=mention(record.about_id)))
    if record.shared_with_id and record.kind != Kind.NOTE:
        parts.append(render("feedback.saved.shared", manager=mention(record.shared_with_id)))
    return " ".join(parts) or render("feedback.saved.private")


def item_blocks(item: Item) -> list[blocks.Block]:
    record = item.record
    body = [blocks.section(saved_line(record))]
    if item.advice is not None:
        advice = guidance_lines(item.advice, record.about_id)
        if advice:
            body.append(blocks.section("\n".join(advice)))
    if item.ask_kind and record.kind == Kind.NOTE:
        body.append(blocks.section(render("feedback.guide.ask_kind")))
    value = str(record.id)
    buttons: list[blocks.Block] = []
    if record.send_requested_at is None:
        label = render("feedback.button.send", name=Safe(item.name))
        buttons.append(blocks.button(label, SEND, value, style="primary"))
    told = offers_told(record) and record.send_requested_at is None
    if told:
        buttons.append(blocks.button(render("feedback.button.told"), TOLD, value))
    if item.ask_kind and record.kind == Kind.NOTE:
        buttons.append(blocks.button(render("feedback.button.praise"), MARK_PRAISE, value))
        buttons.append(blocks.button(render("feedback.button.redirect"), MARK_REDIRECT, value))
    offer = share_offer(record, item.manager_id)
    if offer is ShareOffer.SHARE:
        buttons.append(blocks.button(render("feedback.button.share"), SHARE, value))
    elif offer is ShareOffer.SEND_AND_SHARE:
        label = render("feedback.button.send_and_share")
        buttons.append(blocks.button(label, SEND_AND_SHARE, value))
    if record.send_requested_at is None:
        buttons.append(blocks.button(render("feedback.button.undo"), UNDO, value))
    advice = item.advice
    if advice is not None and advice.rung is Rung.ACTION_PLAN and not advice.peer:
        buttons.append(blocks.button(render("plans.button.draft"), PLAN_DRAFT, value))
    if buttons:
        body.append(blocks.actions(*buttons, block_id=f"feedback_{record.id}"))
    if told:
        body.append(blocks.actions(told_on_picker(), block_id=f"{TOLD_BLOCK}{record.id}"))
    body.append(blocks.context(status_line(record)))
    return body


def told_on_picker() -> blocks.Block:
    """A date picker: "I told them on ..." another day than today."""
    return {
        "type": "datepicker",
        "action_id": TOLD_ON,
        "placeholder": blocks.plain(render("feedback.button.told_on"), 150),
    }


def confirmation(items: list[Item], notice: str | None = None) -> list[blocks.Block]:
    body: list[blocks.Block] = [blocks.section(notice)] if notice else []
    for index, item in enumerate(items):
        if index:
            body.append(blocks.divider())
        body.extend(item_blocks(item))
    return body[: blocks.MESSAGE_BLOCK_LIMIT]


def confirmation_message(items: list[Item], notice: str | None = None) -> dict[str, Any]:
    fallback = notice or (saved_line(items[0].record) if items else "")
    return blocks.message(fallback, confirmation(items, notice))


def done_view(items: list[Item], ask_kind: bool, notice: str | None = None) -> dict[str, Any]:
    """The modal after saving: the same confirmation, its buttons working in place."""
    shown = Shown(tuple(item.record.id for item in items), ask_kind)
    return {
        "type": "modal",
        "title": blocks.plain(render("feedback.modal.done_title"), TITLE_LIMIT),
        "close": blocks.plain(render("feedback.modal.done_close"), TITLE_LIMIT),
        "private_metadata": shown.dump(),
        "blocks": confirmation(items, notice),
    }


# --- /feedback list ---------------------------------------------------------------------------


def list_line(record: Feedback, viewer_id: str, tz: str) -> str:
    details: list[str] = []
    is_subject = viewer_id == record.about_id and viewer_id != record.giver_id
    if record.topic and not is_subject:  # the topic is the giver's own label
        details.append(render("feedback.list.topic", topic=record.topic))
    url = message_url(record.source_link)
    if url:
        details.append(render("feedback.list.source", url=url))
    if viewer_id == record.giver_id:
        details.append(state_detail(record, tz))
        if record.shared_with_id and record.kind != Kind.NOTE:
            details.append(render("feedback.list.shared", manager=mention(record.shared_with_id)))
    elif viewer_id == record.shared_with_id:
        details.append(render("feedback.list.shared_with_you"))
    return render(
        "feedback.list.line",
        date=short_date(record.created_at, tz),
        kind=render(f"feedback.kind_label.{record.kind}"),
        giver=mention(record.giver_id),
        details=Safe("".join(details)),
        excerpt=user_text.excerpt(record.text, LIST_EXCERPT),
    )


def state_detail(record: Feedback, tz: str) -> str:
    """Where a record stands with the person, as its giver's list says it."""
    if record.kind == Kind.NOTE:
        return render("feedback.list.private")
    state = state_of(record)
    when = {
        State.SENT: record.delivered_at,
        State.TOLD: record.told_at,
        State.DISCUSSED: record.discussed_at,
    }.get(state)
    if when is None:
        return render(f"feedback.list.{state.value}")
    return render(f"feedback.list.{state.value}", date=short_date(when, tz))


def listing(
    records: list[Feedback], viewer_id: str, about_id: str, total: int, tz: str
) -> dict[str, Any]:
    """`/feedback list @person`: what the viewer may see, newest first."""
    own = viewer_id == about_id
    if not records:
        text = (
            render("feedback.list.empty_self")
            if own
            else render("feedback.list.empty", person=mention(about_id))
        )
        return blocks.message(text, [blocks.section(text)])
    heading = (
        render("feedback.list.heading_self", count=total)
        if own
        else render("feedback.list.heading", person=mention(about_id), count=total)
    )
    lines = [list_line(record, viewer_id, tz) for record in records]
    body = [blocks.section(heading), *blocks.sections_from_lines(lines)[:45]]
    if total > len(records):
        body.append(blocks.context(render("feedback.list.more", shown=len(records), count=total)))
    return blocks.message(heading, body)


# --- the DM to the person it is about ----------------------------------------------------------


def _delivered_body(row: Feedback) -> list[blocks.Block]:
    """What the DM to the person says: who gave it, and what."""
    lead = render(f"feedback.dm.{row.kind}", rotate=row.id, giver=mention(row.giver_id))
    body = [
        blocks.section(lead),
        *blocks.sections_from_lines(str(user_text.quote(row.text)).split("\n")),
    ]
    url = message_url(row.source_link)
    if url:
        body.append(blocks.context(render("feedback.dm.source", url=url)))
    if row.ask_id is not None:
        body.append(blocks.context(render("feedback.ask.answered")))
    return body


def ask_dm(request: FeedbackAsk, now: datetime, *, day: date | None = None) -> outbox.Planned:
    """The DM asking someone for feedback, with *Give feedback* (the form prefilled); the
    one reminder of it (on the asked person's local `day`, a nudge like any) says so."""
    reminder = day is not None
    asker = mention(request.asker_id)
    key = "feedback.ask.dm_topic" if request.topic else "feedback.ask.dm"
    lead = render(key, asker=asker, topic=request.topic)
    if reminder:
        lead = render("feedback.ask.reminder", lead=Safe(lead))
    body = [
        blocks.section(lead),
        *blocks.sections_from_lines(str(user_text.quote(request.question)).split("\n")),
        blocks.actions(
            blocks.button(render("feedback.ask.give"), ASK_GIVE, str(request.id), style="primary"),
        ),
    ]
    return outbox.Planned(
        team_id=request.team_id,
        recipient_id=request.asked_id,
        kind=ASK_REMINDER_KIND if day is not None else ASK_KIND,
        subject=str(request.id),
        period=day.isoformat() if day is not None else "",
        body=blocks.message(lead, body),
        not_before=now,
        reason=f"{request.asker_id} asked for feedback {request.id}",
    )


def delivery_dm(row: Feedback, now: datetime) -> outbox.Planned:
    """The DM to the person the feedback is about, naming who gave it, with their answers."""
    giver = mention(row.giver_id)
    value = str(row.id)
    answers = blocks.actions(
        blocks.button(render("feedback.answer.button.thanks"), ANSWER_THANKS, value),
        blocks.button(render("feedback.answer.button.talk"), ANSWER_TALK, value),
        blocks.button(render("feedback.answer.button.differ"), ANSWER_DIFFER, value),
        block_id=ANSWER_BLOCK,
    )
    return outbox.Planned(
        team_id=row.team_id,
        recipient_id=row.about_id,
        kind=DM_KIND,
        subject=str(row.id),
        period="",  # one delivery per record, however often "Send" is pressed
        body=blocks.message(
            render("feedback.dm.fallback", giver=giver), [*_delivered_body(row), answers]
        ),
        not_before=now,
        reason=f"{row.giver_id} sent feedback {row.id}",
    )


def answered_dm(row: Feedback) -> dict[str, Any]:
    """The DM to the person once they answered: the buttons give way to what they said."""
    said = render(f"feedback.answer.label.{row.response}")
    note = render("feedback.answer.yours", answer=said, giver=mention(row.giver_id))
    return blocks.message(
        render("feedback.dm.fallback", giver=mention(row.giver_id)),
        [*_delivered_body(row), blocks.context(note)],
    )


def _answer_lines(row: Feedback, on_agenda: bool) -> list[str]:
    """What the person answered, as the giver reads it."""
    assert row.response is not None
    person = mention(row.about_id)
    kind = render(f"feedback.kind_label.{row.kind}").lower()
    lines = [
        render(f"feedback.answer.to_giver.{row.response}", person=person, kind=kind),
        render("feedback.answer.to_giver.about", excerpt=user_text.excerpt(row.text, EXCERPT)),
    ]
    if row.response_text:
        lines.append(
            render("feedback.answer.to_giver.comment", comment=user_text.quote(row.response_text))
        )
    if row.response == Response.TALK:
        key = "on_agenda" if on_agenda else "find_time"
        lines.append(render(f"feedback.answer.to_giver.{key}", person=person))
    return lines


def answered_reminder(
    about_id: str, rows: list[Feedback], answered: Feedback, on_agenda: bool
) -> dict[str, Any]:
    """The giver's reminder of what was unsaid, through which they sent `rows`, once the
    person answered some: what it sent, and each answer (the newest, `answered`, saying
    whether it went on their 1:1 agenda)."""
    count = len(rows)
    key = "feedback.unsent.sent_" + ("one" if count == 1 else "many")
    sent = render(key, count=count, person=mention(about_id))
    body = [blocks.section(sent)]
    for row in rows:
        if row.response is not None:
            lines = _answer_lines(row, on_agenda and row.id == answered.id)
            body.append(blocks.section("\n".join(lines)))
    return blocks.message(_answer_lines(answered, on_agenda)[0], body)


def answer_dm(row: Feedback, on_agenda: bool, now: datetime) -> outbox.Planned:
    """The short DM to the giver, and to nobody else: what the person answered."""
    lines = _answer_lines(row, on_agenda)
    lead = lines[0]
    return outbox.Planned(
        team_id=row.team_id,
        recipient_id=row.giver_id,
        kind=ANSWER_KIND,
        subject=str(row.id),
        period="",  # one answer per record
        body=blocks.message(lead, [blocks.section("\n".join(lines))]),
        not_before=now,
        reason=f"{row.about_id} answered feedback {row.id}",
    )


def differ_modal(record_id: int) -> dict[str, Any]:
    """ "I see it differently": an optional comment for the giver."""
    return {
        "type": "modal",
        "callback_id": DIFFER_CALLBACK,
        "title": _plain("feedback.answer.modal.title", TITLE_LIMIT),
        "submit": _plain("feedback.answer.modal.submit", TITLE_LIMIT),
        "close": _plain("feedback.modal.close", TITLE_LIMIT),
        "private_metadata": str(record_id),
        "blocks": [
            _input(
                COMMENT,
                "feedback.answer.modal.comment",
                {
                    "type": "plain_text_input",
                    "action_id": COMMENT,
                    "multiline": True,
                    "max_length": MAX_COMMENT,
                },
                optional=True,
                hint="feedback.answer.modal.hint",
            )
        ],
    }


# --- the form ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuotedMessage:
    """The message a shortcut was used on, as shown at the top of the form."""

    author_id: str | None
    text: str  # stored form
    link: str | None = None  # its permalink, once known


def _plain(key: str, limit: int = blocks.SECTION_LIMIT, **values: Any) -> dict[str, Any]:
    return blocks.plain(render(key, **values), limit)


# What a blocked or at-risk nudge's "Note a check-in" button opens the form for.
CHECK_IN_PROMPTS = ("blocker", "at_risk")


def form_modal(
    meta: Meta,
    *,
    person: str | None = None,
    quoted: QuotedMessage | None = None,
    kind: str | None = None,
    why: str | None = None,
    title: str = "",
    topic: str = "",
    question: str | None = None,
) -> dict[str, Any]:
    """The form; `person` and `kind` preselected, `quoted` the message it is about, `why`
    what prompted it (a nudge: finished, blocker, at_risk, baseline)."""
    body: list[blocks.Block] = []
    if question is not None and person:
        excerpt = user_text.excerpt(question, 300)
        body.append(
            blocks.context(render("feedback.ask.in_form", asker=mention(person), question=excerpt))
        )
    if why in PROMPTED_BY:
        body.append(blocks.context(render(f"feedback.modal.prompted_by_{why}", title=title)))
    if quoted is not None:
        excerpt = user_text.excerpt(quoted.text, 200)
        about = (
            render("feedback.modal.from_message", person=mention(quoted.author_id), excerpt=excerpt)
            if quoted.author_id
            else render("feedback.modal.from_bot", excerpt=excerpt)
        )
        lines = [about]
        url = message_url(quoted.link)
        if url:
            lines.append(render("feedback.modal.message_link", url=url))
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
                **({"initial_value": topic} if topic else {}),
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
        # The button that opened it names it: "Note a check-in" opens "Note a check-in".
        "title": _plain(
            "feedback.modal.title_check_in" if why in CHECK_IN_PROMPTS else "feedback.modal.title",
            TITLE_LIMIT,
        ),
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


# --- the reminder of what is still unsaid -------------------------------------------------------


def unsent_nudge(
    team_id: str, giver_id: str, about_id: str, rows: list[Feedback], day: date, now: datetime
) -> outbox.Planned:
    """ "2 things for @ravi they haven't heard yet", with Send / I told them / Keep to myself."""
    person = mention(about_id)
    count = len(rows)
    text = render(
        "feedback.unsent.lead_" + ("one" if count == 1 else "many"), count=count, person=person
    )
    lines = [
        render(
            "feedback.unsent.line",
            kind=render(f"feedback.kind_label.{row.kind}"),
            excerpt=user_text.excerpt(row.text, EXCERPT),
        )
        for row in rows[:10]
    ]
    value = ",".join(str(row.id) for row in rows)
    body = [
        blocks.section(text),
        *blocks.sections_from_lines(lines),
        blocks.context(render("feedback.unsent.why")),
        blocks.actions(
            blocks.button(render("feedback.unsent.send"), UNSENT_SEND, value, style="primary"),
            blocks.button(render("feedback.unsent.told"), UNSENT_TOLD, value),
            blocks.button(render("feedback.unsent.keep"), UNSENT_KEEP, value),
        ),
    ]
    return outbox.Planned(
        team_id=team_id,
        recipient_id=giver_id,
        kind=UNSENT_KIND,
        subject=about_id,
        period=day.isoformat(),  # counted in that day's nudge cap
        body=blocks.message(text, body),
        not_before=now,
        reason=f"{count} unsent for {about_id}",
    )
