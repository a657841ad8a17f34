"""People's data: `export-user` holds what Sprout knows; `forget-user` leaves no words behind."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import JSON, String, Text, select

from bot.models import Base, Feedback, Priority
from bot.privacy import slack_store_tables
from devtools.cast import ANA, MAYA, RAVI
from devtools.harness import Sprout, block_texts
from devtools.local_slack import LocalSlack
from tests.bot.test_cli import run

# Words only Ravi's story uses, so finding one anywhere means something was left behind.
RAVIS_WORDS = ("zebrafish", "quasar", "marmalade", "periwinkle", "kumquat")


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
    return sprout


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
    with story.services.sessions() as session:
        kinds = [f.kind for f in session.scalars(select(Feedback).order_by(Feedback.id))]
        priorities = session.scalars(select(Priority)).all()
    assert kinds == ["praise", "note", "praise"]  # counts in summaries stay
    assert [(p.title, p.note) for p in priorities] == [("", None)]


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


def test_a_database_that_does_not_answer_is_one_line():
    env = {"DATABASE_URL": "postgres://sprout:hunter2@127.0.0.1:9/sprout"}
    result = run("export-user", "--team", "T1", "--user", "U1", env=env)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1].startswith(
        "Sprout can't start: the database postgresql://sprout@127.0.0.1:9/sprout does not answer"
    )
