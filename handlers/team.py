"""`/team` and the "That's not right" button on the welcome DM."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from sqlalchemy.exc import IntegrityError

from bot import blocks, directory, events, home, mentions, outbox, person_settings, teams
from bot.app import services_of
from bot.db import transaction
from bot.models import Member
from bot.people import clock_time, short_date, tz_of
from bot.prompts import Safe, mention, render
from bot.services import Services
from bot.teams import Verdict
from handlers.messages import clicked_message, update_message

COMMAND = "/team"
NOT_RIGHT = "team_not_right"
MAX_PEOPLE = 25


def register(app: App) -> None:
    app.command(COMMAND)(team_command)
    app.action(NOT_RIGHT)(not_right)


def team_command(ack: Any, command: dict[str, Any], respond: Any, context: Any) -> None:
    ack()
    services = services_of(context)
    verb, _, rest = command.get("text", "").strip().partition(" ")
    verb = verb.lower()
    team_id, user_id = command["team_id"], command["user_id"]
    if verb == "":
        reply = list_team(services, team_id, user_id)
    elif verb in ("add", "remove"):
        reply = change_team(services, team_id, user_id, verb, rest)
    elif verb.startswith("<@"):
        ids = mentions.parse(command["text"]).user_ids
        people = " ".join(f"@{i}" for i in ids)
        reply = _text(
            render("team.did_you_mean_add", people=people) + "\n\n" + render("team.usage")
        )
    else:
        reply = _text(render("team.usage"))
    respond(response_type="ephemeral", replace_original=False, **reply)


def _text(text: str) -> dict[str, Any]:
    return blocks.message(text, [blocks.section(text)])


def list_team(services: Services, team_id: str, user_id: str) -> dict[str, Any]:
    now = services.now()
    with services.sessions() as session:
        rows = teams.reports_of(session, team_id, user_id)
        own_manager = teams.manager_of(session, team_id, user_id)
        viewer_tz = tz_of(session.get(Member, (team_id, user_id)))
    footer = render("team.list.your_manager", manager=mention(own_manager)) if own_manager else ""
    if not rows:
        text = render("team.list.empty")
        body = [blocks.section(text)] + ([blocks.context(footer)] if footer else [])
        return blocks.message(text, body)
    lines = [
        render(
            "team.list.line",
            person=mention(line.report_id),
            since=short_date(line.since, viewer_tz),
            local_time=clock_time(now, tz_of(member)),
            tz=tz_of(member),
        )
        for line, member in rows
    ]
    heading = render("team.list.heading", count=len(rows))
    body = [blocks.section(heading), *blocks.sections_from_lines(lines)[:45]]
    if footer:
        body.append(blocks.context(footer))
    return blocks.message(heading, body)


def change_team(
    services: Services, team_id: str, user_id: str, verb: str, rest: str
) -> dict[str, Any]:
    found = mentions.parse(rest)
    problems = _mention_problems(found)
    ids = list(dict.fromkeys(found.user_ids))
    if not ids:
        return _text("\n".join(problems or [render("team.needs_mention", verb=verb)]))
    if len(ids) > MAX_PEOPLE:
        return _text(render("team.too_many", count=len(ids), limit=MAX_PEOPLE))
    if verb == "remove":
        lines = [remove(services, team_id, user_id, report_id) for report_id in ids]
    else:
        lines = add(services, team_id, user_id, found.user_ids)
    home.refresh(services, team_id, [user_id, *ids])
    return _text("\n".join(lines + problems))


def _mention_problems(found: mentions.Mentions) -> list[str]:
    problems = [render("team.group_mention", mention=Safe(g)) for g in found.group_mentions]
    if found.hand_typed:
        problems.append(render("team.hand_typed", names=", ".join(found.hand_typed)))
    return problems


def add(services: Services, team_id: str, manager_id: str, candidates: list[str]) -> list[str]:
    now = services.now()
    # The manager too: their time zone schedules their digest and summary.
    members = directory.lookup_many(
        services.sessions, services.client_for(team_id), team_id, [*candidates, manager_id], now
    )
    try:
        judgements, outbox_ids = _record_additions(
            services, team_id, manager_id, candidates, members
        )
    except IntegrityError:
        # Someone else gave one of these people a manager a moment ago: judge again.
        judgements, outbox_ids = _record_additions(
            services, team_id, manager_id, candidates, members
        )
    services.deliverer.deliver(outbox_ids, now)
    return _describe(judgements)


def _record_additions(
    services: Services,
    team_id: str,
    manager_id: str,
    candidates: list[str],
    members: dict[str, Member | None],
) -> tuple[list[teams.Judgement], list[int]]:
    """Add the reports and queue their welcome notes in one transaction."""
    now = services.now()
    outbox_ids: list[int] = []
    with transaction(services.sessions) as session:
        judgements = teams.add_reports(session, team_id, manager_id, candidates, members, now)
        for judgement in judgements:
            if judgement.verdict is Verdict.ADDED:
                events.record(
                    session,
                    team_id=team_id,
                    kind=events.REPORT_ADDED,
                    user_id=judgement.user_id,
                    actor_id=manager_id,
                    now=now,
                    subject=manager_id,
                )
                person_settings.refresh_next_checkin(
                    session, team_id, judgement.user_id, now, from_now=True
                )
                person_settings.refresh_next_digest(session, team_id, manager_id, now)
                person_settings.refresh_next_summary(session, team_id, manager_id, now)
                row_id = outbox.enqueue(
                    session, welcome(team_id, manager_id, judgement.user_id, now), now
                )
                if row_id is not None:
                    outbox_ids.append(row_id)
    return judgements, outbox_ids


def welcome(team_id: str, manager_id: str, report_id: str, now: Any) -> outbox.Planned:
    manager = mention(manager_id)
    body = [
        blocks.section(render("team.welcome.body", manager=manager)),
        blocks.actions(blocks.button(render("team.welcome.button"), NOT_RIGHT, manager_id)),
    ]
    return outbox.Planned(
        team_id=team_id,
        recipient_id=report_id,
        kind="team_welcome",
        subject=manager_id,
        period=now.isoformat(),
        body=blocks.message(render("team.welcome.text", manager=manager), body),
        not_before=now,
        reason=f"added to {manager_id}'s team",
    )


def _describe(judgements: list[teams.Judgement]) -> list[str]:
    added = [mention(j.user_id) for j in judgements if j.verdict is Verdict.ADDED]
    lines: list[str] = []
    if added:
        lines.append(render("team.add.added", rotate=len(added), people=Safe(", ".join(added))))
    for judgement in judgements:
        if judgement.verdict is Verdict.ADDED:
            continue
        lines.append(
            render(
                f"team.add.{judgement.verdict.value}",
                person=mention(judgement.user_id),
                manager=mention(judgement.other_manager or ""),
                person_plain=Safe(f"<@{judgement.user_id}>"),
            )
        )
    if not added:
        lines.append(render("team.add.nothing_added"))
    return lines


def remove(services: Services, team_id: str, manager_id: str, report_id: str) -> str:
    now = services.now()
    with transaction(services.sessions) as session:
        removed = teams.remove_report(session, team_id, manager_id, report_id)
        row_id = None
        if removed:
            text = render("team.remove.told_report", manager=mention(manager_id))
            planned = outbox.note(team_id, report_id, "team_removed", manager_id, text, now)
            row_id = outbox.enqueue(session, planned, now)
    if row_id is not None:
        services.deliverer.deliver([row_id], now)
    key = "team.remove.removed" if removed else "team.remove.not_yours"
    return render(key, person=mention(report_id))


def not_right(
    ack: Any, body: dict[str, Any], action: dict[str, Any], client: Any, context: Any
) -> None:
    """The added person says the link is wrong: undo it and tell the manager."""
    ack()
    services = services_of(context)
    now = services.now()
    user_id = body["user"]["id"]
    team_id = body["user"].get("team_id") or body["team"]["id"]
    manager_id = action.get("value", "")
    row_id = None
    with transaction(services.sessions) as session:
        removed = teams.remove_report(session, team_id, manager_id, user_id)
        if removed:
            text = render("team.not_right.told_manager", person=mention(user_id))
            planned = outbox.note(team_id, manager_id, "team_not_right", user_id, text, now)
            row_id = outbox.enqueue(session, planned, now)
    if row_id is not None:
        services.deliverer.deliver([row_id], now)
    home.refresh(services, team_id, [user_id, manager_id])
    key = "team.not_right.done" if removed else "team.not_right.already"
    text = render(key, manager=mention(manager_id))
    update_message(client, *clicked_message(body), blocks.message(text, [blocks.section(text)]))
