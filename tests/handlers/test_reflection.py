"""The weekly reflection can be answered: a private journal on the manager's Home, read by
its author alone, and a four-weekly look back in the summary."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.db import transaction
from bot.models import Reflection
from devtools.cast import ANA, MAYA, OMAR, RAVI, SAM
from devtools.forms import form_values
from devtools.harness import Sprout, block_texts
from devtools.local_slack import LocalSlack


def m(person) -> str:
    return f"<@{person.user_id}|{person.name.lower()}>"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def summaries(slack: LocalSlack, person) -> list:
    return [x for x in slack.dms_to(person.user_id) if "weekly summary" in x.text]


def text_of(message) -> str:
    return "\n".join(block_texts(message.blocks))


def action_ids(message) -> set[str]:
    return {e["action_id"] for b in message.blocks if b["type"] == "actions" for e in b["elements"]}


def open_home(sprout: Sprout, person) -> None:
    sprout.event({"type": "app_home_opened", "user": person.user_id, "tab": "home"})


def home_text(slack: LocalSlack, person) -> str:
    view = slack.home_of(person.user_id)
    return " ".join(block_texts(view["blocks"])) if view else ""


def reflect(sprout: Sprout, slack: LocalSlack, person, summary, text: str, rating: str):
    """Press *Answer* on a summary and submit the form; the reply's body is the ack."""
    sprout.click(person.user_id, summary, "reflection_answer")
    view = slack.views[-1].view
    assert view["callback_id"] == "reflection_form"
    values = form_values(view, reflection_text=text, reflection_rating=rating)
    return sprout.submit(person.user_id, view, values)


@pytest.fixture
def weekly(sprout: Sprout, slack: LocalSlack) -> Sprout:
    """Maya (New York) manages Ravi and Ana, Omar manages Sam; both get Friday's summary."""
    sprout.set_time(utc(2026, 11, 30, 15, 0))
    sprout.command(MAYA.user_id, "/team", f"add {m(RAVI)} {m(ANA)}")
    sprout.command(OMAR.user_id, "/team", f"add {m(SAM)}")
    sprout.command(MAYA.user_id, "/feedback", f"{m(RAVI)} praise clear handover notes")
    sprout.tick(utc(2026, 12, 4, 15, 0))  # Omar's Friday 15:00
    sprout.tick(utc(2026, 12, 4, 20, 0))  # Maya's Friday 15:00
    open_home(sprout, MAYA)
    return sprout


def test_the_summary_question_can_be_answered_into_a_private_journal_on_home(
    weekly: Sprout, slack: LocalSlack
):
    [summary] = summaries(slack, MAYA)
    question = next(t for t in block_texts(summary.blocks) if "reflect on" in t)
    assert {"reflection_answer", "reflection_skip"} <= action_ids(summary)
    weekly.set_time(utc(2026, 12, 4, 21, 0))

    reply = reflect(weekly, slack, MAYA, summary, "I steered around <the> hard talk", "2")

    done = json.loads(reply.body)
    assert done["response_action"] == "update" and "Saved to your journal" in json.dumps(done)
    home = home_text(slack, MAYA)
    assert "Your reflection journal" in home and "how you did: 2/5" in home
    assert "I steered around &lt;the&gt; hard talk" in home
    assert question.split("* ", 1)[1] in home  # the question beside the answer
    assert "week of 30 Nov" in home and "1 praise" in home  # that week's numbers


def test_answering_again_updates_the_entry_and_newest_comes_first(
    weekly: Sprout, slack: LocalSlack, database_url: str
):
    [summary] = summaries(slack, MAYA)
    weekly.set_time(utc(2026, 12, 4, 21, 0))
    reflect(weekly, slack, MAYA, summary, "first thoughts", "2")
    again = reflect(weekly, slack, MAYA, summary, "second thoughts", "4")
    assert "updated" in json.dumps(json.loads(again.body))
    view = slack.views[-2].view  # the form opened again shows the earlier answer
    assert "first thoughts" in json.dumps(view)
    weekly.tick(utc(2026, 12, 11, 20, 0))
    later = summaries(slack, MAYA)[-1]
    weekly.set_time(utc(2026, 12, 11, 21, 0))
    reflect(weekly, slack, MAYA, later, "a better week", "5")

    with transaction(weekly.services.sessions) as session:
        rows = session.scalars(select(Reflection).where(Reflection.manager_id == MAYA.user_id))
        assert sorted((r.week, r.answer, r.rating) for r in rows) == [
            ("2026-W49", "second thoughts", 4),
            ("2026-W50", "a better week", 5),
        ]
    home = home_text(slack, MAYA)
    assert "first thoughts" not in home
    assert home.index("a better week") < home.index("second thoughts")


def test_the_form_asks_for_a_few_lines_and_a_rating(weekly: Sprout, slack: LocalSlack):
    [summary] = summaries(slack, MAYA)
    reply = reflect(weekly, slack, MAYA, summary, "", "")
    errors = json.loads(reply.body)["errors"]
    assert set(errors) == {"reflection_text", "reflection_rating"}


def test_skip_is_noted_and_asks_nothing_more(weekly: Sprout, slack: LocalSlack):
    [summary] = summaries(slack, MAYA)
    reply = weekly.click(MAYA.user_id, summary, "reflection_skip")
    assert "Skipped for this week" in reply.text
    with transaction(weekly.services.sessions) as session:
        [entry] = session.scalars(select(Reflection).where(Reflection.manager_id == MAYA.user_id))
        assert entry.skipped_at is not None and entry.answered_at is None


def test_nobody_else_reads_the_journal_on_any_surface(weekly: Sprout, slack: LocalSlack):
    """Omar's journal: not for Maya (another manager, and a workspace admin), not for Sam
    (his report), nor Ravi; not on Home, not with a tampered button, not with a tampered
    form."""
    [omars] = summaries(slack, OMAR)
    [mayas] = summaries(slack, MAYA)
    weekly.set_time(utc(2026, 12, 4, 16, 0))
    reflect(weekly, slack, OMAR, omars, "my private doubt", "3")
    secret_id = next(
        e["value"]
        for b in omars.blocks
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "reflection_answer"
    )
    for person in (MAYA, SAM, RAVI):
        open_home(weekly, person)
        assert "my private doubt" not in home_text(slack, person)
        assert "reflection journal" not in home_text(slack, person)
    before = len(slack.views)
    for person, message in ((MAYA, mayas), (SAM, omars), (MAYA, omars)):
        tampered = {"value": secret_id}
        reply = weekly.click(person.user_id, message, "reflection_answer", tampered=tampered)
        assert "someone else's journal" in reply.text
        reply = weekly.click(person.user_id, message, "reflection_skip", tampered=tampered)
        assert "someone else's journal" in reply.text
    assert len(slack.views) == before  # no form opened for anyone
    # A form of Maya's own, its metadata pointed at Omar's entry, or at nothing sensible.
    weekly.click(MAYA.user_id, mayas, "reflection_answer")
    form = slack.views[-1].view
    forged = {**form, "private_metadata": secret_id}
    answer = form_values(forged, reflection_text="overwritten", reflection_rating="1")
    done = json.loads(weekly.submit(MAYA.user_id, forged, answer).body)
    assert "someone else's journal" in json.dumps(done)
    for odd in ("²", "99999999999", "-1", ""):
        weekly.submit(MAYA.user_id, {**form, "private_metadata": odd}, answer)
    with transaction(weekly.services.sessions) as session:
        entry = session.get(Reflection, int(secret_id))
        assert entry.answer == "my private doubt" and entry.rating == 3
        assert entry.manager_id == OMAR.user_id
    open_home(weekly, MAYA)
    assert "my private doubt" not in home_text(slack, MAYA)
    open_home(weekly, OMAR)
    assert "my private doubt" in home_text(slack, OMAR)


def test_every_four_weeks_the_summary_looks_back_at_ratings_loop_and_pulse(
    weekly: Sprout, slack: LocalSlack
):
    [summary] = summaries(slack, MAYA)
    assert "Four weeks in the mirror" not in text_of(summary)  # week of 30 Nov
    weekly.set_time(utc(2026, 12, 4, 21, 0))
    reflect(weekly, slack, MAYA, summary, "so-so", "3")
    weekly.tick(utc(2026, 12, 11, 20, 0))  # week of 7 Dec: a fourth week
    shown = text_of(summaries(slack, MAYA)[-1])
    assert "Four weeks in the mirror" in shown
    assert "Your own rating, your latest answer: 3" in shown
    assert "Your feedback, last 4 weeks: 1:0 praise to redirects" in shown
    assert "0 of 1 reached the person" in shown


def test_home_shows_the_latest_three_and_folds_the_rest_within_100_blocks(
    weekly: Sprout, slack: LocalSlack
):
    now = weekly.now()
    with transaction(weekly.services.sessions) as session:
        for week in range(1, 41):
            session.add(
                Reflection(
                    team_id=weekly.team_id,
                    manager_id=MAYA.user_id,
                    week=f"2026-W{week:02d}",
                    question=f"question {week}?",
                    figures={"praise": week},
                    asked_at=now,
                    answer=f"answer {week}",
                    rating=1 + week % 5,
                    answered_at=now,
                )
            )
    open_home(weekly, MAYA)
    view = slack.home_of(MAYA.user_id)
    home = home_text(slack, MAYA)
    assert len(view["blocks"]) <= 100
    assert "answer 40" in home and "answer 38" in home and "answer 37" not in home
    assert "and 37 earlier answers" in home
    assert home.index("answer 40") < home.index("answer 39")
