"""The messages of `/team`: the listing, the welcome note, and what an addition did."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot import blocks, outbox
from bot.models import Member, ReportingLine, TeamRequest
from bot.people import clock_time, short_date, tz_of
from bot.prompts import Safe, mention, plural, render
from bot.teams.rules import Judgement, Verdict

NOT_RIGHT = "team_not_right"
ACCEPT, DECLINE = "team_request_yes", "team_request_no"
WELCOME_KIND = "team_welcome"
REQUEST_KIND = "team_request"


def text_message(text: str) -> dict[str, Any]:
    return blocks.message(text, [blocks.section(text)])


def listing(
    rows: list[tuple[ReportingLine, Member | None]],
    waiting: list[TeamRequest],
    own_manager: str | None,
    viewer_tz: str,
    now: datetime,
) -> dict[str, Any]:
    """A manager's team, each person with their local time; those not yet confirmed apart;
    who the viewer reports to."""
    footer = render("team.list.your_manager", manager=mention(own_manager)) if own_manager else ""
    pending: list[blocks.Block] = []
    if waiting:
        pending.append(blocks.section(render("team.list.waiting_heading", count=len(waiting))))
        pending.extend(
            blocks.sections_from_lines(
                [
                    render(
                        "team.list.waiting_line",
                        person=mention(request.report_id),
                        asked=short_date(request.requested_at, viewer_tz),
                        until=short_date(request.expires_at, viewer_tz),
                    )
                    for request in waiting
                ]
            )[:10]
        )
    if not rows:
        text = render("team.list.empty")
        body = [blocks.section(text), *pending] + ([blocks.context(footer)] if footer else [])
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
    body = [blocks.section(heading), *blocks.sections_from_lines(lines)[:35], *pending]
    if footer:
        body.append(blocks.context(footer))
    return blocks.message(heading, body)


def welcome(team_id: str, manager_id: str, report_id: str, now: datetime) -> outbox.Planned:
    """The note a new report gets, with the button that undoes the link."""
    manager = mention(manager_id)
    body = [
        blocks.section(render("team.welcome.body", manager=manager)),
        blocks.actions(blocks.button(render("team.welcome.button"), NOT_RIGHT, manager_id)),
    ]
    return outbox.Planned(
        team_id=team_id,
        recipient_id=report_id,
        kind=WELCOME_KIND,
        subject=manager_id,
        period=now.isoformat(),
        body=blocks.message(render("team.welcome.text", manager=manager), body),
        not_before=now,
        reason=f"added to {manager_id}'s team",
    )


def request_message(
    team_id: str, manager_id: str, report_id: str, request_id: int, now: datetime
) -> outbox.Planned:
    """The question that makes a reporting line: "@manager says you report to them"."""
    manager = mention(manager_id)
    value = str(request_id)
    body = [
        blocks.section(render("team.request.body", manager=manager)),
        blocks.actions(
            blocks.button(render("team.request.yes"), ACCEPT, value, style="primary"),
            blocks.button(render("team.request.no"), DECLINE, value),
            block_id="team_request",
        ),
    ]
    return outbox.Planned(
        team_id=team_id,
        recipient_id=report_id,
        kind=REQUEST_KIND,
        subject=value,
        period="",
        body=blocks.message(render("team.request.text", manager=manager), body),
        not_before=now,
        reason=f"{manager_id} says they manage {report_id}",
    )


def describe_additions(judgements: list[Judgement]) -> list[str]:
    """One line for everyone added, one for everyone asked, then one per person who was
    neither, saying why."""
    added = [mention(j.user_id) for j in judgements if j.verdict is Verdict.ADDED]
    asked = [mention(j.user_id) for j in judgements if j.verdict is Verdict.ASKED]
    lines: list[str] = []
    if added:
        lines.append(plural("team.add.added", len(added), people=Safe(", ".join(added))))
    if asked:
        lines.append(render("team.add.asked", count=len(asked), people=Safe(", ".join(asked))))
    for judgement in judgements:
        if judgement.verdict in (Verdict.ADDED, Verdict.ASKED):
            continue
        lines.append(
            render(
                f"team.add.{judgement.verdict.value}",
                person=mention(judgement.user_id),
                manager=mention(judgement.other_manager or ""),
                person_plain=Safe(f"<@{judgement.user_id}>"),
            )
        )
    if not added and not asked:
        lines.append(render("team.add.nothing_added"))
    return lines
