"""People's data: `export-user` holds what Sprout knows; `forget-user` leaves no words behind."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import JSON, String, Text, select

from bot.models import (
    ActionPlan,
    ActionPlanStep,
    AgendaItem,
    Agreement,
    Base,
    Baseline,
    Feedback,
    FeedbackAsk,
    Focus,
    FocusPractice,
    OneOnOne,
    OutboxMessage,
    PersonSettings,
    Priority,
    PulseAnswer,
    PulseChoice,
    PulseRound,
    Reflection,
    TeamRequest,
    WrapUp,
)
from bot.privacy import slack_store_tables
from devtools.cast import ANA, MAYA, RAVI
from devtools.harness import Sprout, block_texts
from devtools.local_slack import LocalSlack
from tests.bot.test_cli import run

# Words only Ravi's story uses, so finding one anywhere means something was left behind.
RAVIS_WORDS = (
    "zebrafish",
    "quasar",
    "marmalade",
    "periwinkle",
    "kumquat",
    # the tables that came later: written straight into them by `later_tables`
    "xylophone",
    "capybara",  # an action plan's step
    "persimmon",  # and the change he suggested
    "gooseberry",
    "armadillo",
    "tamarind",
    "narwhal",
    "wombat",
    "pomegranate",
    "lemur",
    "dragonfruit",
    "okapi",
    "capybara",
    "axolotl",
    "quokka",
)
AT = datetime(2026, 12, 1, 16, 0, tzinfo=UTC)


def m(person) -> str:
    return f"<@{person.user_id}|{person.name.lower()}>"


@pytest.fixture
def story(sprout: Sprout, slack: LocalSlack) -> Sprout:
    """Maya manages Ravi and Ana. Ravi is praised, writes feedback, has a priority and a note."""
    sprout.command(MAYA.user_id, "/team", f"add {m(RAVI)} {m(ANA)}")
    praise = sprout.command(MAYA.user_id, "/feedback", f"{m(RAVI)} praise #quasar zebrafish demo")
    sprout.click_response(MAYA.user_id, praise.responses[0], "feedback_send")
    sprout.command(RAVI.user_id, "/feedback", f"{m(ANA)} note marmalade handoff was smooth")
    sprout.command(MAYA.user_id, "/feedback", f"{m(ANA)} praise tangerine launch")
    sprout.command(RAVI.user_id, "/priority", "add Ship the periwinkle migration")
    sprout.tick(datetime(2026, 12, 1, 4, 0, tzinfo=UTC))  # Ravi's 09:30 check-in
    [checkin] = [d for d in slack.dms_to(RAVI.user_id) if "priorities" in d.text]
    sprout.click(RAVI.user_id, checkin, "checkin_note")
    modal = slack.views[-1].view
    option = modal["blocks"][0]["element"]["options"][0]
    sprout.submit(
        RAVI.user_id,
        modal,
        {
            "priority": {"value": {"type": "static_select", "selected_option": option}},
            "note": {"value": {"type": "plain_text_input", "value": "Waiting on kumquat vendor"}},
            "blocker": {
                "value": {"type": "checkboxes", "selected_options": [{"value": "blocker"}]}
            },
        },
    )
    sprout.tick(datetime(2026, 12, 1, 15, 0, tzinfo=UTC))  # Maya's nudges quote the blocker
    later_tables(sprout)
    return sprout


def later_tables(sprout: Sprout) -> None:
    """A row in every table that holds a person's data and came after the story's features:
    Ravi answers Maya's praise, they ask each other for feedback, hold one-on-ones with an
    agenda, an agreement and wrap-ups, a held DM he caused, a group DM, a pulse he answered.
    """
    team, ravi, maya, ana = sprout.team_id, RAVI.user_id, MAYA.user_id, ANA.user_id
    pair = {"team_id": team, "manager_id": maya, "report_id": ravi}

    def message(recipient: str, kind: str, text: str, extra: dict | None = None) -> OutboxMessage:
        payload = {"text": text, "extra": extra or {}}
        return OutboxMessage(
            team_id=team, recipient_id=recipient, kind=kind, status="pending",
            payload=payload, not_before=AT, attempts=0, created_at=AT, expires_at=AT,
        )  # fmt: skip

    with sprout.services.sessions.begin() as session:
        praise = session.scalars(select(Feedback).where(Feedback.about_id == ravi)).one()
        praise.response, praise.response_text, praise.responded_at = "thanks", "xylophone!", AT
        settings = session.get(PersonSettings, (team, ravi))
        assert settings is not None
        settings.holiday_country, settings.checkin_cadence, settings.cadence_asked_at = (
            "DE", "weekly", AT,
        )  # fmt: skip
        session.add_all(
            [
                FeedbackAsk(
                    team_id=team, asker_id=ravi, asked_id=maya, topic="gooseberry",
                    question="How was my gooseberry talk?", created_at=AT,
                ),
                FeedbackAsk(
                    team_id=team, asker_id=maya, asked_id=ravi, topic="",
                    question="Thoughts on the armadillo plan?", created_at=AT,
                ),
                TeamRequest(
                    team_id=team, report_id=ravi, manager_id=ana, requested_at=AT, expires_at=AT,
                    answer="declined", answered_at=AT,
                ),
                OneOnOne(
                    **pair, cadence="weekly", days="0100000", at_time="14:00", anchor=AT.date(),
                    updated_by=maya, updated_at=AT,
                ),
                AgendaItem(**pair, author_id=ravi, text="The tamarind roadmap", created_at=AT),
                AgendaItem(**pair, author_id=maya, text="Ravi's narwhal growth", created_at=AT),
                Agreement(
                    **pair, occurrence="2026-12-01T14:00", owner_id=ravi,
                    text="Draft the wombat spec", created_by=maya, created_at=AT,
                ),
                WrapUp(
                    **pair, occurrence="2026-12-01T14:00", author_id=ravi,
                    note="Felt rushed about pomegranate", at=AT,
                ),
                WrapUp(
                    **pair, occurrence="2026-12-01T14:00", author_id=maya,
                    note="He seems stretched: lemur", at=AT,
                ),
                Baseline(
                    **pair, proposal={"results": "Ship the capybara"}, version=1, state="agreed",
                    comment="Less axolotl", agreed={"results": "Ship the capybara"},
                    agreed_at=AT, updated_at=AT,
                ),
                Focus(
                    id=7, **pair, text="Practise the quokka pitch", proposed_by=maya,
                    state="active", created_at=AT,
                ),
                FocusPractice(focus_id=7, day=AT.date(), team_id=team, at=AT),
                message(f"{maya},{ravi}", "oneonone_agenda", "Agenda: dragonfruit"),
                message(maya, "held_test", "Ravi asks about the okapi", {"sender": ravi}),
                PulseChoice(team_id=team, manager_id=ravi, enabled=False, updated_at=AT),
                PulseRound(
                    team_id=team, manager_id=maya, month="2026-11", questions="energy",
                    opens_at=AT, closes_at=AT, answered=sorted([ana, ravi]),
                ),
                PulseAnswer(
                    slot="a1", team_id=team, manager_id=maya, month="2026-11", question="energy",
                    score=4, comment="More bonsai time",
                ),
            ]
        )  # fmt: skip
        plan = ActionPlan(
            team_id=team, manager_id=maya, report_id=ravi, feedback_id=praise.id, topic="",
            status="changes", check_in_on=AT.date(), token="t", comment="Later: persimmon",
            created_at=AT,
        )  # fmt: skip
        session.add(plan)
        session.flush()
        session.add(
            ActionPlanStep(
                team_id=team, plan_id=plan.id, position=1, text="Feed the capybara",
                due_on=AT.date(),
            )
        )  # fmt: skip


def env_for(sprout: Sprout) -> dict[str, str]:
    return {"DATABASE_URL": sprout.settings.database_url}


def every_text(sprout: Sprout) -> str:
    """Every text and JSON value in every table, one per line."""
    values: list[str] = []
    with sprout.services.engine.connect() as conn:
        for table in [*Base.metadata.sorted_tables, *slack_store_tables()]:
            columns = [c for c in table.c if isinstance(c.type, String | Text | JSON)]
            for row in conn.execute(select(*columns)) if columns else []:
                values.extend(json.dumps(v) if not isinstance(v, str) else v for v in row)
    return "\n".join(values)


def test_forget_user_leaves_none_of_their_words_and_keeps_others_counts(story: Sprout):
    before = every_text(story)
    assert all(word in before for word in RAVIS_WORDS), "the story should have left them all"

    result = run("forget-user", "--team", story.team_id, "--user", RAVI.user_id, env=env_for(story))

    assert result.returncode == 0, result.stderr
    assert f"Erased {RAVI.user_id}'s personal data" in result.stdout
    assert "feedback about them, emptied: 1" in result.stdout
    assert "priorities emptied: 1" in result.stdout and "directory entries: 1" in result.stdout
    assert "outbox messages emptied" in result.stdout
    assert "Traceback" not in result.stderr and "Using database " in result.stderr
    after = every_text(story)
    left = [word for word in RAVIS_WORDS if word in after]
    assert left == []
    assert "tangerine launch" in after  # Maya's words about Ana are Ana's and Maya's
    assert "More bonsai time" in after  # anonymous: nobody can tell whose it is
    assert RAVI.user_id not in after.split(",")  # e.g. in a group DM's recipients
    with story.services.sessions() as session:
        kinds = [f.kind for f in session.scalars(select(Feedback).order_by(Feedback.id))]
        priorities = session.scalars(select(Priority)).all()
    assert kinds == ["praise", "note", "praise"]  # counts in summaries stay
    assert [(p.title, p.note) for p in priorities] == [("", None)]
    with story.services.sessions() as session:
        [pulse] = session.scalars(select(PulseRound)).all()
        held = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "held_test")).all()
        asks = session.scalars(select(FeedbackAsk)).all()
        gone = [
            session.scalars(select(model)).all()
            for model in (TeamRequest, OneOnOne, AgendaItem, PulseChoice, Baseline, Focus)
        ]
        assert session.get(PersonSettings, (story.team_id, RAVI.user_id)) is None
        wrapups = session.scalars(select(WrapUp)).all()
    assert RAVI.user_id not in pulse.answered and len(pulse.answered) == 2  # still counted
    assert [m.status for m in held] == ["cancelled"]
    assert [(a.question, a.topic) for a in asks] == [("", ""), ("", "")]
    assert gone == [[], [], [], [], [], []]
    assert sorted(w.note for w in wrapups) == ["", ""]  # the rows say a wrap-up happened


def test_forgetting_someone_unknown_says_so(story: Sprout):
    result = run("forget-user", "--team", story.team_id, "--user", "UNOBODY01", env=env_for(story))
    assert result.returncode == 0 and "holds nothing about UNOBODY01" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--team", "nope", "--user", "U1"], "--team wants a workspace id"),
        (["--team", "T1", "--user", "#general"], "--user wants a Slack user id"),
    ],
)
def test_bad_ids_get_a_clear_answer(story: Sprout, args: list[str], message: str):
    result = run("forget-user", *args, env=env_for(story))
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_data_verbs_never_create_a_database_where_they_run(tmp_path: Path):
    result = run("export-user", "--team", "T1", "--user", "U1", cwd=tmp_path)
    assert result.returncode == 2 and "no database at sqlite:///" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_export_user_holds_what_their_home_shows_and_what_they_wrote(
    story: Sprout, slack: LocalSlack, tmp_path: Path
):
    story.event({"type": "app_home_opened", "user": RAVI.user_id, "tab": "home"})
    home = " ".join(block_texts(slack.home_of(RAVI.user_id)["blocks"]))
    out = tmp_path / "ravi.json"

    result = run(
        "export-user", "--team", story.team_id, "--user", RAVI.user_id, "--out", str(out),
        env=env_for(story),
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert f"Wrote {out}" in result.stdout
    data = json.loads(out.read_text())
    assert data["profile"]["real_name"] == "Ravi" and data["manager"]["manager_id"] == MAYA.user_id
    [priority] = data["priorities"]
    assert "Ship the periwinkle migration" in home and priority["title"] in home
    assert priority["note"] == "Waiting on kumquat vendor"
    [received] = data["feedback_received"]
    assert received["text"] == "zebrafish demo" and "zebrafish demo" in home
    assert "topic" not in received  # the giver's own label, not shown to him
    assert [f["text"] for f in data["feedback_given"]] == ["marmalade handoff was smooth"]
    assert any(c["answers"].get("note") == "Waiting on kumquat vendor" for c in data["checkins"])
    assert "tangerine" not in out.read_text()  # Maya's feedback about Ana is not his
    assert received["response_text"] == "xylophone!"
    assert data["settings"]["holiday_country"] == "DE"
    assert data["settings"]["checkin_cadence"] == "weekly"
    assert [a["question"] for a in data["feedback_requests_made"]] == [
        "How was my gooseberry talk?"
    ]
    assert [a["question"] for a in data["feedback_requests_to_them"]] == [
        "Thoughts on the armadillo plan?"
    ]
    assert [(r["manager_id"], r["answer"]) for r in data["team_requests"]] == [
        (ANA.user_id, "declined")
    ]
    assert [o["manager_id"] for o in data["one_on_ones"]] == [MAYA.user_id]
    assert [i["text"] for i in data["agenda_items"]] == [
        "The tamarind roadmap",
        "Ravi's narwhal growth",  # the pair's shared agenda
    ]
    assert [a["text"] for a in data["agreements"]] == ["Draft the wombat spec"]
    assert [w["note"] for w in data["wrap_ups"]] == ["Felt rushed about pomegranate"]
    assert "lemur" not in out.read_text()  # Maya's wrap-up note is hers alone
    assert [b["agreed"] for b in data["baselines"]] == [{"results": "Ship the capybara"}]
    assert [f["text"] for f in data["focuses"]] == ["Practise the quokka pitch"]
    group = [m for m in data["messages_to_them"] if "," in m["recipient_id"]]
    assert [m["payload"]["text"] for m in group] == ["Agenda: dragonfruit"]
    [caused] = data["messages_they_caused"]
    assert caused["recipient_id"] == MAYA.user_id and "payload" not in caused
    assert "okapi" not in out.read_text()  # what the held DM says is Maya's
    assert data["pulse_choices"][0]["enabled"] is False
    assert data["pulse_rounds_answered"] == [{"manager_id": MAYA.user_id, "month": "2026-11"}]
    assert "bonsai" not in out.read_text() and "score" not in out.read_text()  # anonymous


def test_a_database_that_does_not_answer_is_one_line():
    env = {"DATABASE_URL": "postgres://sprout:hunter2@127.0.0.1:9/sprout"}
    result = run("export-user", "--team", "T1", "--user", "U1", env=env)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1].startswith(
        "Sprout can't start: the database postgresql://sprout@127.0.0.1:9/sprout does not answer"
    )


def test_forgetting_a_manager_leaves_their_id_on_no_pulse_row_and_no_journal(story: Sprout):
    team, maya = story.team_id, MAYA.user_id
    with story.services.sessions.begin() as session:
        session.add(
            Reflection(
                team_id=team, manager_id=maya, week="2026-W49", question="Did you listen?",
                figures={"praise": 1}, asked_at=AT, answer="I rushed the capybara talk",
                rating=2, answered_at=AT,
            )
        )  # fmt: skip
    exported = run("export-user", "--team", team, "--user", maya, "--out", "/dev/stdout",
                   env=env_for(story))  # fmt: skip
    assert "I rushed the capybara talk" in exported.stdout

    result = run("forget-user", "--team", team, "--user", maya, env=env_for(story))

    assert result.returncode == 0, result.stderr
    assert "reflection journal entries: 1" in result.stdout
    assert "pulse rounds no longer naming them: 1" in result.stdout
    after = every_text(story)
    assert "capybara" not in after and "More bonsai time" not in after
    with story.services.sessions() as session:
        rounds = session.scalars(select(PulseRound)).all()
        answers = session.scalars(select(PulseAnswer)).all()
        assert session.scalars(select(Reflection)).all() == []
    assert [r.manager_id for r in rounds] != [maya] and len(rounds) == 1
    assert all(maya not in (r.manager_id, *r.answered) for r in rounds)
    assert [(a.manager_id, a.score, a.comment) for a in answers] == [
        (rounds[0].manager_id, 4, None)
    ]
