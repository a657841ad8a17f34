"""`/feedback`, the "Give feedback" message shortcut, its modal, and the confirmation buttons."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import (
    blocks,
    directory,
    feedback,
    feedback_form,
    feedback_parse,
    home,
    teams,
    user_text,
    visibility,
)
from bot import feedback_blocks as fb
from bot.db import transaction
from bot.delivery import DeliveryReport
from bot.feedback import Kind, Outcome, Result, Source
from bot.feedback_form import Meta
from bot.models import Feedback, Member
from bot.people import tz_of
from bot.prompts import mention, render
from bot.services import Services
from handlers.common import now_of, services_of

log = logging.getLogger(__name__)

COMMAND = "/feedback"
SHORTCUT = "give_feedback"


def register(app: App) -> None:
    app.command(COMMAND)(feedback_command)
    app.shortcut(SHORTCUT)(give_feedback_shortcut)
    app.view(feedback_form.CALLBACK_ID)(submit_form)
    for action_id in fb.ACTIONS:
        app.action(action_id)(on_button)


def _text(text: str) -> dict[str, Any]:
    return blocks.message(text, [blocks.section(text)])


def _team_of(body: dict[str, Any]) -> str:
    return body["user"].get("team_id") or body["team"]["id"]


# --- /feedback ------------------------------------------------------------------------------


def feedback_command(
    ack: Any, command: dict[str, Any], respond: Any, client: WebClient, context: Any
) -> None:
    ack()
    parsed = feedback_parse.parse(command.get("text", ""))
    if isinstance(parsed, feedback_parse.OpenForm):
        # The trigger expires in about 3 s: open the form before anything slow.
        meta = Meta(token=feedback.new_token())
        client.views_open(trigger_id=command["trigger_id"], view=feedback_form.modal(meta))
        return
    services = services_of(context)
    team_id, user_id = command["team_id"], command["user_id"]
    if isinstance(parsed, feedback_parse.Help):
        reply = _text(render("feedback.usage"))
    elif isinstance(parsed, feedback_parse.Usage):
        reply = _text(render("common.not_understood") + "\n\n" + render("feedback.usage"))
    elif isinstance(parsed, feedback_parse.Refusal):
        reply = _text(render(f"feedback.refuse.{parsed.key}", **parsed.values))
    elif isinstance(parsed, feedback_parse.ListFor):
        reply = list_for(services, team_id, user_id, parsed.person, now_of(context))
    else:
        reply = give(services, team_id, user_id, parsed, now_of(context))
    respond(response_type="ephemeral", replace_original=False, **reply)


def give(
    services: Services, team_id: str, giver_id: str, parsed: feedback_parse.Give, now: datetime
) -> dict[str, Any]:
    """Record one piece of feedback per person, or nothing at all if anyone is unsuitable."""
    members = directory.lookup_many(
        services.sessions, services.client_for(team_id), team_id, parsed.people, now
    )
    refused = feedback.judge_people(giver_id, parsed.people, members)
    if refused:
        lines = [
            render(f"feedback.refuse.{why.value}", person=mention(user_id))
            for user_id, why in refused.items()
        ]
        if len(refused) < len(parsed.people):
            lines.append(render("feedback.refuse.nothing_saved"))
        return _text("\n".join(lines))
    with transaction(services.sessions) as session:
        rows = [
            feedback.record(
                session,
                team_id=team_id,
                giver_id=giver_id,
                about_id=person,
                kind=parsed.kind or Kind.NOTE,
                topic=parsed.topic,
                text=parsed.text,
                source=Source.COMMAND,
                now=now,
            )
            for person in parsed.people
        ]
        items = _items(session, team_id, rows, now, ask_kind=parsed.kind is None)
    return fb.confirmation_message(items)


def _items(
    session: Session, team_id: str, rows: list[Feedback], now: datetime, *, ask_kind: bool
) -> list[fb.Item]:
    about = [row.about_id for row in rows]
    names = directory.cached(session, team_id, about)
    managers = teams.managers_of(session, team_id, about)
    return [
        fb.Item(
            record=row,
            name=names[row.about_id].display if row.about_id in names else row.about_id,
            manager_id=managers.get(row.about_id),
            advice=feedback.guidance(session, row, now),
            ask_kind=ask_kind,
        )
        for row in rows
    ]


def list_for(
    services: Services, team_id: str, viewer_id: str, about_id: str, now: datetime
) -> dict[str, Any]:
    viewer = directory.lookup_many(
        services.sessions, services.client_for(team_id), team_id, [viewer_id], now
    )[viewer_id]
    with services.sessions() as session:
        rows = visibility.visible(
            session, team_id, viewer_id, about_id=about_id, limit=fb.LIST_LIMIT
        )
        total = visibility.count_visible(session, team_id, viewer_id, about_id)
    return fb.listing(rows, viewer_id, about_id, total, tz_of(viewer))


# --- the "Give feedback" shortcut and the form ----------------------------------------------


def give_feedback_shortcut(
    ack: Any, shortcut: dict[str, Any], client: WebClient, context: Any
) -> None:
    """Open the form about a message, its author picked; then add the message's link."""
    ack()
    message = shortcut.get("message") or {}
    channel = (shortcut.get("channel") or {}).get("id", "")
    ts = shortcut.get("message_ts") or message.get("ts", "")
    author = None if message.get("bot_id") else message.get("user")
    person = author if author != shortcut["user"]["id"] else None
    source = feedback_form.Source(author, user_text.from_slack(message.get("text", "")))
    meta = Meta(token=feedback.new_token(), channel=channel, ts=ts)
    opened = client.views_open(
        trigger_id=shortcut["trigger_id"],
        view=feedback_form.modal(meta, person=person, source=source),
    )
    url = permalink(client, channel, ts)
    if not url:
        return
    try:
        client.views_update(
            view_id=opened["view"]["id"],
            hash=opened["view"]["hash"],
            view=feedback_form.modal(replace(meta, link=url), person=person, source=source),
        )
    except SlackApiError as error:  # e.g. already submitted: the link is added on save instead
        log.info("could not add the message link to the feedback form: %s", error)


def permalink(client: WebClient, channel: str, ts: str) -> str | None:
    if not channel or not ts:
        return None
    try:
        return client.chat_getPermalink(channel=channel, message_ts=ts).get("permalink")
    except SlackApiError as error:
        log.info("no permalink for %s/%s: %s", channel, ts, error)
        return None


def submit_form(ack: Any, body: dict[str, Any], view: dict[str, Any], context: Any) -> None:
    """Save the form, or answer with what to fix; a re-submission finds the saved record."""
    services = services_of(context)
    now = now_of(context)
    team_id, user_id = _team_of(body), body["user"]["id"]
    meta = Meta.load(view.get("private_metadata"))
    submission = feedback_form.read(view.get("state", {}).get("values", {}))
    problems = feedback_form.errors(submission, user_id)
    if submission.person and feedback_form.PERSON not in problems:
        members = _for_validation(services, team_id, submission.person, now)
        refused = feedback.judge_people(user_id, [submission.person], members)
        if submission.person in refused:
            key = f"feedback.modal.errors.{refused[submission.person].value}"
            problems[feedback_form.PERSON] = render(key)
    if problems:
        ack(response_action="errors", errors=problems)
        return
    ask_kind = submission.kind is None
    try:
        items, outbox_id = _save_form(services, team_id, user_id, submission, meta, now)
    except IntegrityError:  # the same form submitted twice: show what the first one saved
        with services.sessions() as session:
            row = feedback.by_token(session, team_id, meta.token)
            items = _items(session, team_id, [row], now, ask_kind=ask_kind) if row else []
        outbox_id = None
    notice = None if items else render("feedback.action.gone")
    ack(response_action="update", view=fb.done_view(items, ask_kind, notice))
    if not items:
        return
    record = items[0].record
    if outbox_id is not None:
        report = services.deliverer.send_now([outbox_id])
        home.refresh_after_delivery(services, report, now)
        notice = _sent_notice(record, outbox_id, report)
        _refresh_view(services, team_id, body["view"]["id"], [record.id], ask_kind, notice, now)
    if meta.from_message and not record.source_link:
        _add_link(services, team_id, record.id, meta)


def _for_validation(
    services: Services, team_id: str, user_id: str, now: datetime
) -> dict[str, Member | None]:
    """The picked person, from the directory when known: the answer to a submission must
    come within 3 s, so Slack is asked only about someone we have never seen."""
    with services.sessions() as session:
        known: dict[str, Member | None] = dict(directory.cached(session, team_id, [user_id]))
    if known:
        return known
    return directory.lookup_many(
        services.sessions, services.client_for(team_id), team_id, [user_id], now
    )


def _save_form(
    services: Services,
    team_id: str,
    user_id: str,
    submission: feedback_form.Submission,
    meta: Meta,
    now: datetime,
) -> tuple[list[fb.Item], int | None]:
    assert submission.person is not None and submission.topic is not None
    with transaction(services.sessions) as session:
        row = feedback.record(
            session,
            team_id=team_id,
            giver_id=user_id,
            about_id=submission.person,
            kind=submission.kind or Kind.NOTE,
            topic=submission.topic,
            text=submission.text,
            source=Source.SHORTCUT if meta.from_message else Source.MODAL,
            now=now,
            token=meta.token,
            source_link=meta.link or None,
        )
        outbox_id = None
        if submission.send_now:
            outbox_id = feedback.request_send(session, team_id, user_id, row.id, now).outbox_id
            session.refresh(row)
        items = _items(session, team_id, [row], now, ask_kind=submission.kind is None)
    return items, outbox_id


def _add_link(services: Services, team_id: str, record_id: int, meta: Meta) -> None:
    """The form was saved before its message link arrived: fetch it now."""
    url = permalink(services.client_for(team_id), meta.channel, meta.ts)
    if not url:
        return
    with transaction(services.sessions) as session:
        session.execute(
            update(Feedback)
            .where(Feedback.id == record_id, Feedback.source_link.is_(None))
            .values(source_link=url[:500])
            .execution_options(synchronize_session=False)
        )


def _refresh_view(
    services: Services,
    team_id: str,
    view_id: str,
    ids: list[int],
    ask_kind: bool,
    notice: str | None,
    now: datetime,
) -> None:
    with services.sessions() as session:
        rows = [row for row in (session.get(Feedback, i) for i in ids) if row is not None]
        rows = [row for row in rows if row.team_id == team_id]
        items = _items(session, team_id, rows, now, ask_kind=ask_kind)
    services.client_for(team_id).views_update(
        view_id=view_id, view=fb.done_view(items, ask_kind, notice)
    )


# --- the buttons on a confirmation ----------------------------------------------------------


def on_button(
    ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any, context: Any
) -> None:
    """Send / Undo / Share / Praise / Redirect, on an ephemeral reply or in the modal."""
    ack()
    services = services_of(context)
    now = now_of(context)
    team_id, user_id = _team_of(body), body["user"]["id"]
    action_id = action["action_id"]
    value = str(action.get("value", ""))
    record_id = int(value) if value.isdigit() else 0
    with transaction(services.sessions) as session:
        result = _act(session, action_id, team_id, user_id, record_id, now)
        advice = (
            feedback.guidance(session, result.record, now)
            if action_id in (fb.MARK_PRAISE, fb.MARK_REDIRECT)
            and result.outcome is Outcome.DONE
            and result.record is not None
            else None
        )
    report = None
    if result.outbox_id is not None:
        report = services.deliverer.send_now([result.outbox_id])
        home.refresh_after_delivery(services, report, now)
    home.refresh(services, team_id, [result.manager_id if action_id == fb.SHARE else None], now)
    notice = describe(action_id, result, report, advice)
    view = body.get("view")
    if view and view.get("id"):
        ids, ask_kind = fb.done_view_state(view.get("private_metadata", ""))
        _refresh_view(services, team_id, view["id"], ids, ask_kind, notice, now)
    else:
        respond(response_type="ephemeral", replace_original=False, **_text(notice))


def _act(
    session: Session, action_id: str, team_id: str, user_id: str, record_id: int, now: datetime
) -> Result:
    if action_id == fb.SEND:
        return feedback.request_send(session, team_id, user_id, record_id, now)
    if action_id == fb.UNDO:
        return feedback.undo(session, team_id, user_id, record_id)
    if action_id == fb.SHARE:
        return feedback.share(session, team_id, user_id, record_id, now)
    kind = Kind.PRAISE if action_id == fb.MARK_PRAISE else Kind.REDIRECT
    return feedback.set_kind(session, team_id, user_id, record_id, kind)


def _sent_notice(record: Feedback, outbox_id: int, report: DeliveryReport) -> str:
    person = mention(record.about_id)
    if any(row.id == outbox_id for row in report.sent):
        return render("feedback.send.done", person=person)
    if any(row.id == outbox_id for row in report.failed):
        return render("feedback.send.failed", person=person)
    return render("feedback.send.deferred", person=person)


def describe(
    action_id: str,
    result: Result,
    report: DeliveryReport | None,
    advice: feedback.Guidance | None,
) -> str:
    """One or two lines telling the giver what their click did (or why it did nothing)."""
    record = result.record
    if result.outcome is Outcome.NOT_YOURS:
        return render("feedback.action.not_yours")
    if result.outcome is Outcome.GONE or record is None:
        return render("feedback.action.gone")
    person = mention(record.about_id)
    if action_id == fb.SEND:
        if result.outcome is Outcome.DONE and result.outbox_id is not None and report:
            return _sent_notice(record, result.outbox_id, report)
        return render("feedback.send.already", person=person)
    if action_id == fb.UNDO:
        key = "feedback.undo.done" if result.outcome is Outcome.DONE else "feedback.undo.too_late"
        return render(key, person=person)
    if action_id == fb.SHARE:
        manager = mention(result.manager_id or "")
        return render(f"feedback.share.{result.outcome.value}", person=person, manager=manager)
    if result.outcome is Outcome.ALREADY:
        label = render(f"feedback.kind_label.{record.kind}").lower()
        return render("feedback.mark.already", kind=label)
    lines = [render(f"feedback.mark.{record.kind}")]
    if advice is not None:
        lines += fb.guidance_lines(advice, record.about_id)
    return "\n".join(lines)
