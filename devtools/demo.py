"""`make demo`: the real app and scheduler against a local Slack, with a scripted team.

Prints a transcript: who did what, and what Sprout sent to whom, each in that
person's local time. No network, no workspace, a throwaway SQLite database.
"""

from __future__ import annotations

import html
import re
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from devtools import cast, slack_html
from devtools.cast import (
    ANA,
    DEPLOYBOT,
    GONE,
    JULES,
    LEO,
    LIN,
    MAYA,
    NOOR,
    OMAR,
    RAVI,
    SAM,
    TOM,
    Person,
)
from devtools.forms import form_values
from devtools.harness import Reply, Sprout, block_texts, buttons
from devtools.local_slack import LocalSlack, Message, View

START = datetime(2026, 11, 30, 14, 5, tzinfo=UTC)  # Monday 09:05 in New York
PEOPLE = {p.user_id: p for p in cast.EVERYONE}
ROLES = {MAYA.user_id: "manager", OMAR.user_id: "manager"}
MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
CHANNEL = re.compile(r"<#(C[A-Z0-9]+)(?:\|([^>]*))?>")
LINK = re.compile(r"<(https?://[^|>]+)\|([^>]+)>")
# Slack's date token shows each reader their own local time; the transcript shows its fallback.
DATE = re.compile(r"<!date\^[^|>]*\|([^>]*)>")
LAUNCH = "C0LAUNCH"  # the #launch channel where Ana posts
CHANNELS = {LAUNCH: "launch"}


def who(user_id: str) -> str:
    person = PEOPLE.get(user_id)
    return person.name if person else user_id


def readable(text: str) -> str:
    """Slack markup to what a person sees: mentions as @Name, entities decoded."""
    text = MENTION.sub(lambda m: "@" + who(m.group(1)), text)
    text = CHANNEL.sub(lambda m: "#" + (m.group(2) or CHANNELS.get(m.group(1), m.group(1))), text)
    text = LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", text)
    text = DATE.sub(lambda m: m.group(1), text)
    return html.unescape(text)


def render_blocks(blocks: list[dict[str, Any]], fallback: str) -> str:
    texts = [t for t in block_texts(blocks) if t] or [fallback]
    body = "\n".join(readable(t) for t in texts)
    labels = [e["text"]["text"] for _, e in buttons(blocks) if isinstance(e.get("text"), dict)]
    if labels:
        body += "\n" + "  ".join(f"[{label}]" for label in labels)
    return body


def render_form(view: dict[str, Any]) -> str:
    """A modal as a person sees it: title, text, each field with what is filled in."""
    lines = [f"[ {view.get('title', {}).get('text', '')} ]"]
    for block in view.get("blocks", []):
        if block.get("type") != "input":
            lines += [readable(t) for t in block_texts([block]) if t]
            labels = [e["text"]["text"] for _, e in buttons([block]) if "text" in e]
            if labels:
                lines.append("  ".join(f"[{label}]" for label in labels))
            continue
        element = block["element"]
        person = element.get("initial_user")
        shown = "@" + who(person) if person else element.get("initial_value") or ""
        label = block["label"]["text"]
        lines.append(f"{label}: {shown}" if shown else label)
    if view.get("submit"):
        lines.append(f"[{view['submit']['text']}]")
    return "\n".join(lines)


class Transcript:
    """Watches the local Slack and writes what each person saw, in their local time."""

    def __init__(self, sprout: Sprout, out: Callable[[str], None] = print) -> None:
        self.sprout = sprout
        self.slack: LocalSlack = sprout.slack
        self.out = out
        self.lines: list[str] = []
        self.entries: list[slack_html.Entry] = []  # the same story, for the HTML page
        self._actor: str | None = None  # who acted last: ephemerals and forms are theirs
        self._seen_calls = 0
        self._seen_responses = 0
        self._seen_views = 0

    def emit(self, line: str = "") -> None:
        self.lines.append(line)
        self.out(line)

    def stamp(self, person: Person) -> str:
        local = self.sprout.now().astimezone(ZoneInfo(person.tz))
        return f"{local:%a %d %b %H:%M} {person.tz.split('/')[-1].replace('_', ' ')}"

    def record(self, kind: str, **fields: Any) -> None:
        self.entries.append(slack_html.Entry(at=self.sprout.now(), kind=kind, **fields))

    def heading(self, text: str) -> None:
        self.emit("")
        self.emit(f"== {text} ==")
        self.record("note", heading=text)

    def says(self, person: Person, what: str) -> None:
        self.emit(f"[{self.stamp(person)}] {person.name}: {readable(what)}")
        self.record("action", actor=person.user_id, text=what)
        self._actor = person.user_id
        self.flush()

    def home(self, person: Person) -> None:
        """`person` opens Sprout's Home tab: show what was published for them."""
        self.emit(f"[{self.stamp(person)}] {person.name}: (opens Sprout's Home tab)")
        self.record("action", actor=person.user_id, text="(opens Sprout's Home tab)")
        self.sprout.event({"type": "app_home_opened", "user": person.user_id, "tab": "home"})
        self.flush()
        view = self.slack.home_of(person.user_id) or {"blocks": []}
        self._show("Home tab", person.user_id, view["blocks"], "(nothing published)")
        self.record("home", recipient=person.user_id, view=view, blocks=view["blocks"])

    def flush(self) -> None:
        """Print everything Sprout sent since the last flush."""
        for response in self.slack.responses[self._seen_responses :]:
            self._show("only visible to you", None, response.blocks, response.text)
            self.record(
                "ephemeral", recipient=self._actor, blocks=response.blocks, text=response.text
            )
        self._seen_responses = len(self.slack.responses)
        self.forms(self.slack.views[self._seen_views :])
        self._seen_views = len(self.slack.views)
        new_calls = self.slack.calls_since(self._seen_calls)
        for call in new_calls:
            if not call.ok or call.method not in ("chat.postMessage", "chat.update"):
                continue
            target = call.args.get("channel", "")
            user_id = "U" + target[1:] if target.startswith("D") else target
            verb = "DM" if call.method == "chat.postMessage" else "updates the DM"
            blocks, text = _as_list(call.args.get("blocks")), call.args.get("text", "")
            self._show(verb, user_id, blocks, text)
            kind = "dm" if call.method == "chat.postMessage" else "dm_update"
            self.record(kind, recipient=user_id, blocks=blocks, text=text)
        self._seen_calls += len(new_calls)

    def skip(self) -> None:
        """Leave out what Sprout sent so far and was not shown: a stretch the story skips."""
        self._seen_responses = len(self.slack.responses)
        self._seen_views = len(self.slack.views)
        self._seen_calls += len(self.slack.calls_since(self._seen_calls))

    def forms(self, views: list[View]) -> None:
        """Modals opened or changed: each one once, as it last looked."""
        modals = [view for view in views if view.kind in ("open", "update", "push")]
        opened = {view.id for view in modals if view.kind != "update"}
        latest = {view.id: view for view in modals}
        for view in latest.values():
            self.form(view.view, "shows a form" if view.id in opened else "updates the form")

    def form(self, view: dict[str, Any], how: str) -> None:
        body = render_form(view).replace("\n", "\n      ")
        self.emit(f"    Sprout ({how}):\n      {body}")
        self.record("form", recipient=self._actor, view=view, blocks=view.get("blocks", []))

    def _show(self, how: str, user_id: str | None, blocks: list[dict[str, Any]], text: str) -> None:
        person = PEOPLE.get(user_id or "")
        to = f" -> {person.name} [{self.stamp(person)}]" if person else ""
        body = render_blocks(blocks, text).replace("\n", "\n      ")
        self.emit(f"    Sprout{to} ({how}):\n      {body}")


def _as_list(blocks: Any) -> list[dict[str, Any]]:
    if isinstance(blocks, str):
        import json

        return json.loads(blocks)
    return list(blocks or [])


# The demo's workspace asks each person to confirm, as a real deployment does by default.
TEAM_CONSENT = "ask"


def mention(person: Person) -> str:
    return f"<@{person.user_id}|{person.name.lower()}>"


FOCUS = "write the handoff notes before each release"


def latest_dm(slack: LocalSlack, person: Person) -> Message:
    return slack.dms_to(person.user_id)[-1]


def play(sprout: Sprout, show: Transcript) -> None:
    """The script, in time order. Each feature adds its scenes, so the demo shows the product."""
    slack = sprout.slack

    def command(person: Person, text: str) -> Reply:
        name, _, rest = text.partition(" ")
        reply = sprout.command(person.user_id, name, rest)
        show.says(person, text)
        return reply

    def request_of(person: Person) -> Message | None:
        """The team request in the person's DMs, while it still asks."""
        asks = [m for m in slack.dms_to(person.user_id) if "says you report to them" in m.text]
        return asks[-1] if asks and asks[-1].updates == 0 else None

    def answer(person: Person, action_id: str, label: str) -> None:
        """The person answers the team request in their DMs."""
        request = request_of(person)
        assert request is not None, f"{person.name} has no team request to answer"
        sprout.click(person.user_id, request, action_id)
        show.says(person, f'(presses "{label}")')

    def answer_requests(until: datetime, answers: dict[Person, tuple[str, str]]) -> None:
        """Scheduler passes until `until`; each person answers when their request arrives."""
        waiting = dict(answers)
        at = sprout.now()
        while at < until:
            at += timedelta(minutes=15)
            sprout.tick(at)
            show.flush()
            for person, (action_id, label) in list(waiting.items()):
                if request_of(person) is not None:
                    answer(person, action_id, label)
                    del waiting[person]

    show.heading("Monday: Maya builds her team; each person confirms before anything is shared")
    command(MAYA, "/team")
    command(OMAR, f"/team add {mention(SAM)}")
    answer(SAM, "team_request_yes", "Yes")
    command(
        MAYA,
        f"/team add {mention(RAVI)} {mention(ANA)} {mention(LEO)} {mention(NOOR)}"
        f" {mention(JULES)} {mention(TOM)} {mention(LIN)}"
        f" {mention(SAM)} {mention(DEPLOYBOT)} {mention(GONE)}",
    )
    command(MAYA, "/team")  # everyone still to say yes is listed apart
    sprout.advance(minutes=10)
    for person in (ANA, NOOR, JULES):  # at work now: their requests came at once
        answer(person, "team_request_yes", "Yes")

    show.heading(
        "Each request waits for its person's working hours: Tom's comes at 09:00 in Chicago,"
        " Leo's at 09:00 in Los Angeles, and Leo doesn't actually report to Maya"
    )
    answer_requests(
        datetime(2026, 11, 30, 17, 15, tzinfo=UTC),
        {TOM: ("team_request_yes", "Yes"), LEO: ("team_request_no", "No, not my manager")},
    )
    command(MAYA, "/team")

    show.heading("Priorities: a few real ones, one of them delegated")
    sprout.advance(minutes=30)
    command(RAVI, "/priority add Ship the billing page due fri")
    command(RAVI, "/priority add Hire a designer due +2w")
    command(MAYA, f"/priority add Draft the Q1 plan due eow for {mention(ANA)}")
    command(NOOR, "/checkin days sun-thu")
    command(SAM, "/checkin time 09:15")
    command(NOOR, "/priority add Migrate billing to the new provider due +2w")
    command(JULES, "/priority add Launch the partner API docs due 2026-12-09")
    command(TOM, "/priority add Hire two support engineers due +2w")
    command(LIN, "/priority add Cut cloud costs by 15% due eow")
    command(MAYA, f"/priority list {mention(RAVI)}")

    show.heading("The scheduler runs: baseline nudges for the new reports, three at most a day")
    run_until(sprout, show, datetime(2026, 12, 1, tzinfo=UTC), {})

    show.heading("Lin's and Ravi's requests reach them at 09:00 their time, and they say yes")
    answer_requests(
        datetime(2026, 12, 1, 3, 45, tzinfo=UTC),
        {LIN: ("team_request_yes", "Yes"), RAVI: ("team_request_yes", "Yes")},
    )

    show.heading(
        "Tuesday: check-ins at each person's 09:30 for those with priorities; nudges when earned,"
        " within Maya's hours and her cap of three a day (her digest counts)"
    )

    def ravi_answers(message: Message) -> None:
        sprout.advance(minutes=4)
        sprout.click(RAVI.user_id, message, "checkin_answer_on_track", index=0)
        show.says(RAVI, "(presses On track on “Ship the billing page”)")
        sprout.click(RAVI.user_id, latest_checkin(slack, RAVI), "checkin_answer_done", index=0)
        show.says(RAVI, "(presses Done on “Hire a designer”)")

    def ana_reports_a_blocker(message: Message) -> None:
        sprout.advance(minutes=10)
        sprout.click(ANA.user_id, message, "checkin_note")
        modal = slack.views[-1].view
        option = modal["blocks"][0]["element"]["options"][0]
        sprout.submit(
            ANA.user_id,
            modal,
            {
                "priority": {"value": {"type": "static_select", "selected_option": option}},
                "note": {"value": {"type": "plain_text_input", "value": "Waiting on finance"}},
                "blocker": {
                    "value": {"type": "checkboxes", "selected_options": [{"value": "blocker"}]}
                },
            },
        )
        show.says(ANA, "(adds a note: “Waiting on finance”, ticks “This is blocking me”)")

    def noor_is_at_risk(message: Message) -> None:
        sprout.advance(minutes=5)
        sprout.click(NOOR.user_id, message, "checkin_answer_at_risk", index=0)
        show.says(NOOR, "(presses At risk on “Migrate billing to the new provider”)")

    reactions = {RAVI: ravi_answers, ANA: ana_reports_a_blocker, NOOR: noor_is_at_risk}
    run_until(sprout, show, datetime(2026, 12, 1, 14, 30, tzinfo=UTC), reactions)

    show.heading(
        "Tuesday afternoon: Maya writes down the baseline she and Ana talked about;"
        " Ana reads it and agrees, and it shows on both their Home tabs"
    )
    reply = command(MAYA, f"/coach baseline {mention(ANA)}")
    sprout.click_response(MAYA.user_id, reply.responses[-1], "baseline_write")
    show.says(MAYA, '(presses "Write it down")')
    baseline = {
        "results": "The Q1 plan drafted and agreed with finance",
        "customers": "Partners get answers within a working day",
        "growth": "Run the release retro on your own by February",
        "ground_rules": "Say early when something slips; a weekly one-on-one on Thursdays",
        "judged_by": "Releases go out with handoff notes, and partners stop chasing us",
        "by_when": "2027-03-31",
    }
    sprout.submit(MAYA.user_id, slack.views[-1].view, form_values(slack.views[-1].view, **baseline))
    show.says(MAYA, "(fills in results, customers, growth, ground rules, how it's judged, 31 Mar)")
    sprout.advance(minutes=20)
    proposal = [m for m in slack.dms_to(ANA.user_id) if "wrote down what you two" in m.text][-1]
    sprout.click(ANA.user_id, proposal, "baseline_agree")
    show.says(ANA, '(reads it, presses "Agree")')
    run_until(sprout, show, datetime(2026, 12, 2, tzinfo=UTC), {})

    show.heading("Tuesday evening: Maya pauses Sprout for Wednesday, a day of offsite planning")
    command(MAYA, "/coach snooze until 2026-12-03")

    show.heading(
        "Wednesday: Ana is on vacation, so her check-in is skipped; Jules is blocked while"
        " Maya has paused Sprout, and is told at once when Maya will see it"
    )
    user = slack.update_user(ANA.user_id, status_text="On vacation", status_emoji=":palm_tree:")
    sprout.event({"type": "user_change", "user": {**user, "team_id": sprout.team_id}})

    def jules_is_blocked(message: Message) -> None:
        sprout.advance(minutes=6)
        sprout.click(JULES.user_id, message, "checkin_answer_blocked", index=0)
        show.says(JULES, "(presses Blocked on “Launch the partner API docs”)")

    run_until(sprout, show, datetime(2026, 12, 2, 8, 29, tzinfo=UTC), {})  # to her 09:30
    run_until(sprout, show, datetime(2026, 12, 3, tzinfo=UTC), {JULES: jules_is_blocked})
    user = slack.update_user(ANA.user_id, status_text="", status_emoji="")
    sprout.event({"type": "user_change", "user": {**user, "team_id": sprout.team_id}})

    show.heading(
        "Thursday 09:00 in New York: Maya's pause is over, and Jules's blocker reaches her"
    )
    run_until(sprout, show, datetime(2026, 12, 3, 14, 5, tzinfo=UTC), {})

    show.heading("Thursday: Maya gives feedback while it's fresh")
    run_until(sprout, show, datetime(2026, 12, 3, 15, 10, tzinfo=UTC), {})
    praise = command(
        MAYA,
        f"/feedback {mention(RAVI)} praise The 2.4 release notes went out a day early, and"
        " support had answers before the first ticket came in.",
    )
    sprout.advance(minutes=1)
    sprout.click_response(MAYA.user_id, praise.responses[-1], "feedback_send")
    show.says(MAYA, '(presses "Send it to Ravi")')
    show.flush()
    sprout.advance(minutes=30)
    first = command(
        MAYA,
        f"/feedback {mention(ANA)} redirect #handoffs The night shift got no handoff notes,"
        " so the deploy waited two hours.",
    )
    sprout.advance(minutes=20)
    sprout.click_response(MAYA.user_id, first.responses[-1], "feedback_told")
    show.says(MAYA, '(talks to Ana at her desk, then presses "I told them")')
    show.flush()
    sprout.advance(minutes=5)
    command(
        MAYA,
        f"/feedback {mention(TOM)} redirect #estimates The hiring plan's numbers didn't add up"
        " in the review.",
    )
    show.says(MAYA, "(keeps it to herself for now: she isn't sure how to say it)")

    show.heading("Friday: the same thing again")
    run_until(sprout, show, datetime(2026, 12, 4, 14, 40, tzinfo=UTC), {})
    again = command(
        MAYA,
        f"/feedback {mention(ANA)} - #Handoffs No handoff notes again before the weekend release.",
    )
    sprout.advance(minutes=1)
    sprout.click_response(MAYA.user_id, again.responses[-1], "feedback_send")
    show.says(MAYA, '(presses "Send it to Ana")')
    show.flush()
    sprout.advance(minutes=6)
    delivered = [m for m in slack.dms_to(ANA.user_id) if "No handoff notes again" in str(m.blocks)]
    sprout.click(ANA.user_id, delivered[-1], "feedback_answer_talk")
    show.says(ANA, '(presses "Let\'s talk about it")')
    show.flush()

    show.heading("Feedback right where the work happened")
    sprout.advance(minutes=50)
    text = "Rollback plan for Saturday is in the doc, and on-call has walked through it."
    posted = slack.post_as(ANA.user_id, LAUNCH, text)
    show.says(ANA, f"(in #launch) {text}")
    message = {"type": "message", "user": ANA.user_id, "text": posted.text, "ts": posted.ts}
    sprout.advance(minutes=2)
    sprout.message_shortcut(MAYA.user_id, "give_feedback", message, LAUNCH)
    show.says(MAYA, '(on Ana\'s message: More actions → "Give feedback")')
    form = slack.views[-1].view
    sprout.advance(minutes=1)
    said = "A rollback plan written before anyone asked: that's what makes a handoff easy."
    sprout.submit(MAYA.user_id, form, form_values(form, kind="praise", text=said, delivery="yes"))
    show.says(MAYA, f'(picks Praise, writes "{said}", ticks "Send it to them now", saves)')
    command(MAYA, f"/feedback list {mention(ANA)}")

    show.heading("Friday 15:00 in New York: Maya's weekly summary")
    run_until(sprout, show, datetime(2026, 12, 4, 20, 1, tzinfo=UTC), {})

    def reflect(text: str, rating: str) -> None:
        """Maya answers the reflection at the bottom of her latest summary."""
        summary = [m for m in slack.dms_to(MAYA.user_id) if "weekly summary" in m.text][-1]
        sprout.advance(minutes=20)
        sprout.click(MAYA.user_id, summary, "reflection_answer")
        show.says(MAYA, '(presses "Answer" under the question to reflect on)')
        form = slack.views[-1].view
        values = form_values(form, reflection_text=text, reflection_rating=rating)
        sprout.submit(MAYA.user_id, form, values)
        show.says(MAYA, f'(writes "{text}", picks {rating} for "How did I do?", saves)')

    show.heading("Maya answers the week's question: a private journal only she can read")
    reflect(
        "I went quiet when Ana pushed back on the release date. I'll ask her what she saw.", "2"
    )

    show.heading("Week two, Monday: the digest brings up who is waiting and what went quiet")
    run_until(sprout, show, datetime(2026, 12, 7, 15, 5, tzinfo=UTC), {})
    digest = latest_dm(slack, MAYA)
    sprout.advance(minutes=3)
    sprout.click(MAYA.user_id, digest, "nudge_remind_later", index=0)
    show.says(MAYA, '(presses "Remind me in 3 days" on the first name)')
    asks = [e for _, e in buttons(digest.blocks) if e["action_id"].startswith("nudge_ask_about")]
    if asks:
        sprout.click(MAYA.user_id, digest, asks[0]["action_id"], value=asks[0]["value"])
        show.says(MAYA, '(presses "Ask about it")')

    show.heading("Ravi asks Maya for feedback on his release notes")
    sprout.advance(minutes=4)
    command(RAVI, f"/feedback ask {mention(MAYA)} #releases how did my release notes land?")
    show.flush()
    ask = [m for m in slack.dms_to(MAYA.user_id) if "would like your feedback" in m.text][-1]
    sprout.advance(minutes=3)
    sprout.click(MAYA.user_id, ask, "feedback_ask_give")
    show.says(MAYA, '(presses "Give feedback")')
    form = slack.views[-1].view
    show.form(form, "shows a form")
    said = "Clear and short: support quoted them to customers word for word."
    sprout.submit(MAYA.user_id, form, form_values(form, kind="praise", text=said, delivery="yes"))
    show.says(MAYA, f'(picks Praise, writes "{said}", ticks "Send it to them now", saves)')
    show.flush()

    show.heading(
        "Jules keeps Italy's public holidays: Tuesday 8 December is one, so nothing from"
        " Sprout reaches her that day"
    )
    command(JULES, "/coach settings")
    form = slack.views[-1].view
    sprout.advance(minutes=1)
    sprout.submit(JULES.user_id, form, form_values(form, holiday_country="IT"))
    show.says(JULES, "(types IT under “Public holidays of”, saves)")
    show.flush()

    show.heading(
        "Monday to Tuesday: what Maya kept about Tom is still unsaid after 24 of her working"
        " hours, so Sprout reminds her once; she talks to him and says so. Lin's check-ins went"
        " unanswered (no reminders after the third), so the fifth day asks her how often she"
        " wants them"
    )
    run_until(sprout, show, datetime(2026, 12, 8, 15, 20, tzinfo=UTC), {})
    unsent = [m for m in slack.dms_to(MAYA.user_id) if "haven't heard yet" in m.text]
    if unsent:
        sprout.click(MAYA.user_id, unsent[-1], "feedback_unsent_told")
        show.says(MAYA, '(talks to Tom, then presses "I told them")')
        show.flush()

    show.heading("Tuesday: the same redirect a third time, so Sprout suggests an action plan")
    sprout.advance(minutes=2)
    third = command(
        MAYA,
        f"/feedback {mention(ANA)} redirect #handoffs Monday's release again had no handoff notes.",
    )
    sprout.advance(minutes=2)
    sprout.click_response(MAYA.user_id, third.responses[-1], "feedback_send")
    show.says(MAYA, '(presses "Send it to Ana")')
    sprout.click_response(MAYA.user_id, third.responses[-1], "plan_draft")
    show.says(MAYA, '(presses "Draft an action plan")')
    form = slack.views[-1].view
    steps = {
        "step_1": "Write the handoff notes before each release",
        "due_1": "2026-12-09",
        "step_2": "Walk the night shift through the notes once",
        "due_2": "2026-12-10",
        "check_in": "2026-12-11",
    }
    sprout.advance(minutes=5)
    sprout.submit(MAYA.user_id, form, form_values(form, **steps))
    show.says(MAYA, "(writes two steps with dates, a check-in on Friday, and sends it)")
    show.flush()
    sprout.advance(minutes=10)
    proposed = [m for m in slack.dms_to(ANA.user_id) if "drafted an action plan" in m.text][-1]
    sprout.click(ANA.user_id, proposed, "plan_agree")
    show.says(ANA, '(reads it, presses "Agree")')
    show.flush()

    show.heading(
        "Coach one thing: Maya proposes one focus for Ana to practise, and Ana accepts;"
        " it joins her daily check-in"
    )
    sprout.advance(minutes=2)
    command(MAYA, f"/coach focus {mention(ANA)} {FOCUS}")
    sprout.advance(minutes=3)
    offer = [m for m in slack.dms_to(ANA.user_id) if FOCUS in m.text][-1]
    sprout.click(ANA.user_id, offer, "focus_accept")
    show.says(ANA, '(presses "Accept")')

    show.heading(
        "Tuesday and Wednesday: Tom is blocked; Maya answers straight from the nudge."
        " Ana taps *Practised it today*, and Maya's digest says so, with *Give praise*"
    )

    def tom_is_blocked(message: Message) -> None:
        sprout.advance(minutes=7)
        sprout.click(TOM.user_id, message, "checkin_answer_blocked", index=0)
        show.says(TOM, "(presses Blocked on “Hire two support engineers”)")

    run_until(sprout, show, datetime(2026, 12, 9, 9, 0, tzinfo=UTC), {TOM: tom_is_blocked})
    checkin = latest_checkin(slack, ANA)
    sprout.click(ANA.user_id, checkin, "focus_practised")
    show.says(ANA, "(presses “Practised it today” in her check-in)")
    run_until(sprout, show, datetime(2026, 12, 9, 16, 0, tzinfo=UTC), {})
    digest = [m for m in slack.dms_to(MAYA.user_id) if "practised" in str(m.blocks)]
    if digest:
        praise_value = next(
            e["value"]
            for _, e in buttons(digest[-1].blocks)
            if e["action_id"] == "nudge_give_feedback" and FOCUS in e.get("value", "")
        )
        sprout.click(MAYA.user_id, digest[-1], "nudge_give_feedback", value=praise_value)
        show.says(MAYA, '(presses "Give praise" next to Ana\'s focus)')
        form = slack.views[-1].view
        words = "The handoff notes were ready before Wednesday's release. That's exactly it."
        sprout.submit(MAYA.user_id, form, form_values(form, text=words, delivery="yes"))
        show.says(MAYA, f'(writes "{words}", ticks "Send it to them now", saves)')
    with_steps = [
        m
        for m in slack.dms_to(ANA.user_id)
        if any(e["action_id"] == "plan_step_done_1" for _, e in buttons(m.blocks))
    ]
    if with_steps:
        sprout.click(ANA.user_id, with_steps[-1], "plan_step_done_1")
        show.says(
            ANA, "(in her check-in, presses Done on “Write the handoff notes before each release”)"
        )
        show.flush()
    nudge = [m for m in slack.dms_to(MAYA.user_id) if "Tom" in m.text or TOM.user_id in m.text]
    if nudge and any(e["action_id"] == "nudge_give_feedback" for _, e in buttons(nudge[-1].blocks)):
        sprout.click(MAYA.user_id, nudge[-1], "nudge_give_feedback")
        show.says(MAYA, '(presses "Note a check-in" on the nudge)')
        form = slack.views[-1].view
        note = "Talked it through: I'll ask finance to free the two roles by Friday."
        sprout.submit(MAYA.user_id, form, form_values(form, text=note))
        show.says(MAYA, f'(writes "{note}", saves)')

    show.heading(
        "A weekly one-on-one with Ana: both add to the agenda, which comes an hour before"
        " to the three of them, with Maya's private prep; and Maya opts in to a monthly pulse"
    )
    command(MAYA, f"/coach 1on1 {mention(ANA)} every thu 11:00")
    command(ANA, f"/coach agenda {mention(MAYA)} how the handoff notes are going")
    command(MAYA, "/coach pulse on")
    run_until(sprout, show, datetime(2026, 12, 10, 16, 45, tzinfo=UTC), {})
    agenda = [m for m in slack.messages() if "One-on-one: " in m.text + str(m.blocks)][-1]
    sprout.click(MAYA.user_id, agenda, "oneonone_wrap_up")
    show.says(MAYA, '(after the one-on-one, presses "Wrap up")')
    form = slack.views[-1].view
    agreed = {
        "report_will": "Write the handoff notes before each release due fri",
        "manager_will": "Ask finance about the Q1 budget due fri",
    }
    sprout.submit(MAYA.user_id, form, form_values(form, **agreed))
    show.says(MAYA, "(writes what each of them will do, saves)")

    def answer_pulse(person: Person, scores: str, comment: str = "") -> None:
        """`person` opens their pulse DM and answers (scores for the three statements)."""
        [ask] = [m for m in slack.dms_to(person.user_id) if "monthly pulse:" in m.text]
        sprout.advance(minutes=2)
        sprout.click(person.user_id, ask, "pulse_answer")
        show.says(person, '(presses "Answer" on the pulse)')
        form = slack.views[-1].view
        rated = [b["block_id"] for b in form["blocks"] if b.get("block_id", "").startswith("q_")]
        fields: dict[str, Any] = dict(zip(rated, scores, strict=True))
        if comment:
            fields["c_" + rated[-1][2:]] = comment
        sprout.submit(person.user_id, form, form_values(form, **fields))
        said = f', adds "{comment}"' if comment else ""
        show.says(person, f"(picks {', '.join(scores)}{said}, sends anonymously)")

    show.heading(
        "Five of Maya's six answer the pulse: stored without their names, so nobody,"
        " Maya and admins included, can tell who said what"
    )
    answer_pulse(ANA, "435", "Thanks for making time for the handoff talk.")
    answer_pulse(JULES, "344")
    answer_pulse(NOOR, "424", "I'd like to hear why the Q1 dates moved.")
    answer_pulse(TOM, "534")
    answer_pulse(RAVI, "445", "Quick to notice good work.")

    show.heading(
        "Friday: the check-in day of Ana's plan; Maya closes it as resolved and says what improved"
    )
    run_until(sprout, show, datetime(2026, 12, 11, 16, 0, tzinfo=UTC), {})
    check_in = [m for m in slack.dms_to(MAYA.user_id) if "check-in on" in m.text]
    if check_in:
        sprout.click(MAYA.user_id, check_in[-1], "plan_resolved")
        show.says(MAYA, '(presses "Resolved")')
        show.flush()
        prompt = [m for m in slack.dms_to(MAYA.user_id) if "What improved?" in m.text][-1]
        sprout.advance(minutes=2)
        sprout.click(MAYA.user_id, prompt, "nudge_give_feedback")
        show.says(MAYA, '(presses "Give praise")')
        form = slack.views[-1].view
        said = "Every release this week came with handoff notes, and nights ran smoothly."
        chosen = form_values(form, topic="handoffs", text=said, delivery="yes")
        sprout.submit(MAYA.user_id, form, chosen)
        show.says(MAYA, f'(writes "{said}", ticks "Send it to them now", saves)')
        show.flush()

    show.heading("Friday 11 December, 15:00 in New York: the second weekly summary")
    run_until(sprout, show, datetime(2026, 12, 11, 20, 1, tzinfo=UTC), {})
    show.heading(
        "Every fourth week the summary looks back: Maya's own ratings beside her feedback loop;"
        " she answers again"
    )
    reflect("Better: I asked Ana first and listened. Still rushing one-on-ones.", "4")

    show.heading("Week three: Lin gets the one reminder (two of her working days on), and answers")
    run_until(sprout, show, datetime(2026, 12, 14, 4, 0, tzinfo=UTC), {}, step=timedelta(hours=2))
    answer_pulse(LIN, "335", "More context on priorities, please.")
    run_until(sprout, show, datetime(2026, 12, 17, 13, 0, tzinfo=UTC), {}, step=timedelta(hours=2))
    show.heading(
        "Thursday 17 December, an hour before the next one-on-one: the agenda comes to both,"
        " with how last week's agreements stand; later the pulse closes and Maya gets the"
        " results: six answered, so scores and comments show"
    )
    run_until(sprout, show, datetime(2026, 12, 17, 15, 5, tzinfo=UTC), {})
    run_until(sprout, show, datetime(2026, 12, 18, 16, 0, tzinfo=UTC), {}, step=timedelta(hours=2))

    show.heading(
        "Friday 18 December: Maya and Ravi open Sprout's Home tab (her journal is hers alone)"
    )
    sprout.advance(minutes=10)
    show.home(MAYA)
    sprout.advance(minutes=5)
    show.home(RAVI)
    sprout.advance(minutes=5)
    show.home(ANA)

    show.heading("Ana's handoff notes have stuck: Maya marks the focus done, with praise to give")
    sprout.advance(minutes=5)
    sprout.click_in_view(MAYA.user_id, slack.home_of(MAYA.user_id) or {}, "focus_done")
    show.says(MAYA, "(presses Done next to Ana's focus on her Home tab)")
    show.flush()
    show.home(MAYA)


def latest_checkin(slack: LocalSlack, person: Person) -> Message:
    return [m for m in slack.dms_to(person.user_id) if "priorities" in m.text][-1]


def run_until(
    sprout: Sprout,
    show: Transcript,
    end: datetime,
    reactions: dict[Person, Callable[[Message], None]],
    step: timedelta = timedelta(minutes=15),
) -> None:
    """Scheduler passes on every `step` boundary until `end`; people answer a check-in once."""
    now = sprout.now()
    at = now - timedelta(seconds=now.timestamp() % step.total_seconds()) + step
    answered: set[str] = set()
    while at < end:
        sprout.tick(at)
        show.flush()
        for person, react in reactions.items():
            checkins = [m for m in sprout.slack.dms_to(person.user_id) if "priorities" in m.text]
            if checkins and person.user_id not in answered and checkins[-1].updates == 0:
                answered.add(person.user_id)
                react(checkins[-1])
        at += step
    sprout.set_time(max(sprout.now(), end))


def main(html_path: str | None = None) -> int:
    with tempfile.TemporaryDirectory(prefix="sprout-demo-") as folder, LocalSlack() as slack:
        cast.seed(slack)
        database = f"sqlite:///{Path(folder) / 'demo.db'}"
        sprout = Sprout(slack, database, START, team_consent=TEAM_CONSENT)
        try:
            show = Transcript(sprout)
            show.emit("Sprout demo: a local Slack, the real app over HTTP, and a scripted team.")
            play(sprout, show)
        finally:
            sprout.close()
    if html_path:
        write_html(Path(html_path), show.entries)
        print(f"\nThe same story as a page, laid out the way Slack shows it: {html_path}")
    return 0


def write_html(path: Path, entries: list[slack_html.Entry]) -> None:
    """Every message, form and Home tab as Slack lays them out, plus per-person timelines."""
    people = [
        slack_html.Person(p.user_id, p.name, p.tz, ROLES.get(p.user_id, "bot" if p.is_bot else ""))
        for p in cast.EVERYONE
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    page = slack_html.render_page(entries, people, "Sprout demo: three weeks of a team")
    path.write_text(page, encoding="utf-8")
