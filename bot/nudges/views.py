"""The messages nudges send: an event nudge, the daily digest, and a status request.

Layouts only; what to send, when and to whom is decided in `planning`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from bot import blocks, events, priorities
from bot.baselines.views import WRITE
from bot.models import CoachingEvent, Focus, Priority, ReportingLine
from bot.outbox import Planned
from bot.prompts import Safe, mention, plural, render
from bot.schedule import Schedule, hhmm

PRAISE, CHECK_IN, BASELINE = "praise", "check_in", "baseline"
URGENT = "urgent"  # a blocker, or an at-risk with a note: one DM each, never capped
REASONS = {
    events.PRIORITY_DONE: PRAISE,
    events.BLOCKER: CHECK_IN,
    events.AT_RISK: CHECK_IN,
    events.REPORT_ADDED: BASELINE,
}
DIGEST = "digest"
NEW_REPORTS = "new_reports"  # the subject of the day's one baseline nudge
WHOLE_TEAM = "team"  # the subject of a fresh install's one baseline message, for everyone
# Capped too: "feedback_unsent", bot.feedback.planning's reminder of feedback still unsaid;
# "feedback_ask_reminder", its reminder of a request for feedback; "nudge_plan",
# bot.plans.planning's nudges on an action plan's dates; "baseline_review",
# bot.baselines.planning's "does the baseline still hold?".
NUDGE_KINDS = (
    *(f"nudge_{r}" for r in (PRAISE, CHECK_IN, BASELINE, URGENT, "plan")),
    DIGEST,
    "feedback_unsent",
    "feedback_ask_reminder",
    "baseline_review",
)
SOON = timedelta(minutes=5)  # "now", to a person: within a scheduler pass or two
GIVE_FEEDBACK = "nudge_give_feedback"
BASELINE_HELD = "nudge_baseline_held"  # *Mark it held* before it became *Write it down*
REMIND_LATER = "nudge_remind_later"
ASK_ABOUT = "nudge_ask_about"
DIGEST_PEOPLE = 12  # two blocks each: the digest stays inside Slack's 50 blocks
DIGEST_STALE = 8
DIGEST_FOLDED = 6


@dataclass(frozen=True)
class Gap:
    user_id: str
    days: int


@dataclass(frozen=True)
class Stale:
    priority: Priority
    why: str  # stale | overdue
    days: int


@dataclass
class Digest:
    gaps: list[Gap] = field(default_factory=list)
    stale: list[Stale] = field(default_factory=list)
    folded: list[CoachingEvent] = field(default_factory=list)
    only_redirects: bool = False
    # Reports with no priorities at all: said once a week (the manager's first working day).
    no_priorities: list[str] = field(default_factory=list)
    # Reports who practised their focus since the last digest, with their days this week.
    practice: list[tuple[Focus, int]] = field(default_factory=list)

    def empty(self) -> bool:
        return not (self.gaps or self.stale or self.folded or self.no_priorities or self.practice)


def feedback_button(
    text: str, person: str, kind: str = "", why: str = "", title: str = ""
) -> blocks.Block:
    """A button that opens the feedback form prefilled: person, kind, and what prompted it
    (`why`: finished, blocker, at_risk or baseline; `title`: the priority, as typed)."""
    value = json.dumps({"person": person, "kind": kind, "why": why, "title": title[:200]})
    return blocks.button(text, GIVE_FEEDBACK, value, style="primary")


def event_message(
    event: CoachingEvent, line: ReportingLine, reason: str, day: date, now: datetime
) -> Planned:
    person = mention(event.user_id)
    title = str(event.detail.get("title", ""))
    note = str(event.detail.get("note", ""))
    if reason == PRAISE:
        text = render("nudge.praise", rotate=event.id, person=person, title=title)
        actions = [_feedback_button_for(event)]
    elif reason in (CHECK_IN, URGENT):
        key = "nudge.blocked" if event.kind == events.BLOCKER else "nudge.at_risk"
        if event.kind == events.BLOCKER and not title:
            key = "nudge.blocked_general"
        text = render(key, rotate=event.id, person=person, title=title)
        if note:
            text += "\n" + render("nudge.their_note", note=note)
        actions = [_feedback_button_for(event)]
    else:
        text = render("nudge.baseline", person=person)
        actions = [
            blocks.button(render("nudge.baseline_button"), WRITE, event.user_id, style="primary"),
            feedback_button(
                render("nudge.baseline_note_button"), event.user_id, "note", "baseline"
            ),
        ]
    return Planned(
        team_id=line.team_id,
        recipient_id=line.manager_id,
        kind=f"nudge_{reason}",
        subject=f"{event.user_id}:{event.id}" if reason == URGENT else event.user_id,
        period=day.isoformat(),
        body=blocks.message(text, [blocks.section(text), blocks.actions(*actions)]),
        not_before=now,
        reason=f"{event.kind} by {event.user_id}",
    )


def baseline_message(
    joined: list[CoachingEvent], line: ReportingLine, day: date, now: datetime
) -> Planned:
    """One baseline nudge for everyone who joined the manager's team since the last one."""
    people = list(dict.fromkeys(event.user_id for event in joined))
    if len(people) == 1:
        message = event_message(joined[0], line, BASELINE, day, now)
        return replace(message, subject=NEW_REPORTS)
    names = Safe(_and_list([mention(user) for user in people]))
    text = render("nudge.baseline_several", people=names)
    body: list[blocks.Block] = [blocks.section(text)]
    for user in people[:DIGEST_PEOPLE]:
        button = blocks.button(render("nudge.baseline_button"), WRITE, user)
        body.append(blocks.section(mention(user), accessory=button))
    return Planned(
        team_id=line.team_id,
        recipient_id=line.manager_id,
        kind=f"nudge_{BASELINE}",
        subject=NEW_REPORTS,
        period=day.isoformat(),
        body=blocks.message(text, body),
        not_before=now,
        reason=f"{len(people)} new reports: " + ", ".join(people),
    )


def team_baseline_message(team_id: str, manager_id: str, day: date, now: datetime) -> Planned:
    """On a fresh install: one word about baselines for the whole team, not "X just joined"
    for people the manager has worked with for years."""
    text = render("nudge.baseline_team")
    return Planned(
        team_id=team_id,
        recipient_id=manager_id,
        kind=f"nudge_{BASELINE}",
        subject=WHOLE_TEAM,
        period=day.isoformat(),
        body=blocks.message(text, [blocks.section(text)]),
        not_before=now,
        reason="fresh install: how to agree a baseline with the team",
    )


def _and_list(names: list[str]) -> str:
    if len(names) < 2:
        return "".join(names)
    return render("nudge.and_list", first=Safe(", ".join(names[:-1])), last=Safe(names[-1]))


def digest_message(
    team_id: str, manager_id: str, digest: Digest, day: date, now: datetime
) -> Planned:
    body: list[blocks.Block] = [
        blocks.section(render("nudge.digest.heading", rotate=day.toordinal()))
    ]
    for event in digest.folded[:DIGEST_FOLDED]:
        body.append(blocks.section(_folded_line(event), accessory=_folded_button(event)))
    if len(digest.folded) > DIGEST_FOLDED:
        more = len(digest.folded) - DIGEST_FOLDED
        body.append(blocks.context(render("nudge.digest.more_folded", count=more)))
    if digest.gaps:
        body.append(blocks.section(render("nudge.digest.gaps_heading")))
    for gap in digest.gaps[:DIGEST_PEOPLE]:
        line = render("nudge.digest.gap", person=mention(gap.user_id), days=gap.days)
        body.append(blocks.section(line))
        body.append(
            blocks.actions(
                feedback_button(render("nudge.digest.give_feedback"), gap.user_id),
                blocks.button(
                    render("nudge.digest.remind_later"), REMIND_LATER, f"gap:{gap.user_id}"
                ),
                block_id=f"gap_{gap.user_id}",
            )
        )
    if len(digest.gaps) > DIGEST_PEOPLE:
        body.append(
            blocks.context(
                render("nudge.digest.more_people", count=len(digest.gaps) - DIGEST_PEOPLE)
            )
        )
    if digest.only_redirects:
        body.append(blocks.context(render("nudge.digest.only_redirects")))
    if digest.stale:
        body.append(blocks.section(render("nudge.digest.stale_heading")))
    for item in digest.stale[:DIGEST_STALE]:
        p = item.priority
        key = "nudge.digest.overdue" if item.why == "overdue" else "nudge.digest.stale"
        due = p.due_on.strftime("%a %-d %b") if p.due_on else ""
        line = render(key, person=mention(p.owner_id), title=p.title, days=item.days, due=due)
        body.append(
            blocks.section(
                line,
                accessory=blocks.button(render("nudge.digest.ask_about"), ASK_ABOUT, str(p.id)),
            )
        )
    if len(digest.stale) > DIGEST_STALE:
        body.append(
            blocks.context(
                render("nudge.digest.more_stale", count=len(digest.stale) - DIGEST_STALE)
            )
        )
    for focus, count in digest.practice[:DIGEST_PEOPLE]:
        line = plural("focus.digest.line", count, person=mention(focus.report_id), title=focus.text)
        button = feedback_button(
            render("focus.digest.give_praise"), focus.report_id, "praise", "focus", focus.text
        )
        body.append(blocks.section(line, accessory=button))
    if digest.no_priorities:
        names = Safe(", ".join(mention(user) for user in digest.no_priorities[:DIGEST_PEOPLE]))
        line = plural("nudge.digest.no_priorities", len(digest.no_priorities), people=names)
        body.append(blocks.section(line))
    people = len(digest.gaps)
    text = digest_text(digest)
    return Planned(
        team_id=team_id,
        recipient_id=manager_id,
        kind=DIGEST,
        subject="",
        period=day.isoformat(),
        body=blocks.message(text, body),
        not_before=now,
        reason=f"digest: {people} gaps, {len(digest.stale)} stale, {len(digest.folded)} folded",
    )


def digest_text(digest: Digest) -> str:
    """The notification: what the digest holds, counted, with nothing said of what it lacks."""
    kinds = [REASONS.get(e.kind, PRAISE) for e in digest.folded]
    counts = [
        ("at_risk", kinds.count(CHECK_IN)),
        ("finished", kinds.count(PRAISE)),
        ("joined", kinds.count(BASELINE)),
        ("gaps", len(digest.gaps)),
        ("stale", len(digest.stale)),
        ("no_priorities", len(digest.no_priorities)),
        ("practice", len(digest.practice)),
    ]
    parts = [plural(f"nudge.digest.holds.{name}", n) for name, n in counts if n]
    return render("nudge.digest.text", holds=", ".join(parts))


def _folded_line(event: CoachingEvent) -> str:
    reason = REASONS.get(event.kind, PRAISE)
    title = str(event.detail.get("title", ""))
    return render(f"nudge.digest.folded_{reason}", person=mention(event.user_id), title=title)


def _folded_button(event: CoachingEvent) -> blocks.Block:
    """A folded nudge keeps its (first) button inside the digest."""
    if REASONS.get(event.kind) == BASELINE:
        return blocks.button(render("nudge.baseline_button"), WRITE, event.user_id)
    return _feedback_button_for(event)


def _feedback_button_for(event: CoachingEvent) -> blocks.Block:
    """The feedback form's button for a finished, blocked or at-risk priority."""
    title = str(event.detail.get("title", ""))
    if event.kind == events.PRIORITY_DONE:
        return feedback_button(
            render("nudge.praise_button"), event.user_id, "praise", "finished", title
        )
    why = "blocker" if event.kind == events.BLOCKER else "at_risk"
    return feedback_button(render("nudge.check_in_button"), event.user_id, "note", why, title)


def spoken_moment(at: datetime, reader: Schedule, now: datetime) -> str:
    """An instant as the reader says it, in their own time zone: "today at 14:00",
    "tomorrow at 09:00", "on Mon 7 Dec at 09:00"."""
    local = at.astimezone(reader.zone)
    days = (local.date() - reader.local_date(now)).days
    time = hhmm(local.time())
    if days <= 0:
        return render("nudge.when.today", time=time)
    if days == 1:
        return render("nudge.when.tomorrow", time=time)
    return render("nudge.when.later", day=local.strftime("%a %-d %b"), time=time)


def heard_line(
    manager_id: str, at: datetime | None, paused: bool, reader: Schedule, now: datetime
) -> str:
    """The report's answer to "will my manager hear about it?": when, in their own time."""
    manager = mention(manager_id)
    if at is None:
        return render("nudge.heard.no_working_days", manager=manager)
    when = spoken_moment(at, reader, now)
    if paused:
        return render("nudge.heard.paused", manager=manager, when=when)
    if at <= now + SOON:
        return render("nudge.heard.now", manager=manager)
    return render("nudge.heard.later", manager=manager, when=when)


def status_request(priority: Priority, manager_id: str, now: datetime, day: date) -> Planned:
    """'Ask about it': a one-tap status request to the owner of a priority."""
    text = render("nudge.ask.text", manager=mention(manager_id), title=priority.title)
    choices = [
        blocks.button(
            render(f"checkin.button.{choice}"), f"status_request_{choice}", str(priority.id)
        )
        for choice in (priorities.ON_TRACK, priorities.AT_RISK, priorities.BLOCKED, priorities.DONE)
    ]
    return Planned(
        team_id=priority.team_id,
        recipient_id=priority.owner_id,
        kind="status_request",
        subject=str(priority.id),
        period=day.isoformat(),
        body=blocks.message(
            text, [blocks.section(text), blocks.actions(*choices, block_id="status_request")]
        ),
        not_before=now,
        reason=f"{manager_id} asked about priority {priority.id}",
    )
