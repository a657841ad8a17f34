"""The messages of `/team`: the listing, the welcome note, and what an addition did."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot import blocks, outbox
from bot.models import Member, ReportingLine
from bot.people import clock_time, short_date, tz_of
from bot.prompts import Safe, mention, render
from bot.teams.rules import Judgement, Verdict

NOT_RIGHT = "team_not_right"
WELCOME_KIND = "team_welcome"


def text_message(text: str) -> dict[str, Any]:
    return blocks.message(text, [blocks.section(text)])


def listing(
    rows: list[tuple[ReportingLine, Member | None]],
    own_manager: str | None,
    viewer_tz: str,
    now: datetime,
) -> dict[str, Any]:
    """A manager's team, each person with their local time; who the viewer reports to."""
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


def describe_additions(judgements: list[Judgement]) -> list[str]:
    """One line for everyone added, then one per person who wasn't, saying why."""
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
