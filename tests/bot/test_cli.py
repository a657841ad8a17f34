"""`python -m bot` as an operator meets it: real processes, real environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from devtools.cast import RAVI
from devtools.harness import Sprout
from devtools.local_slack import LocalSlack

ROOT = Path(__file__).resolve().parents[2]


def run(
    *args: str, env: dict[str, str] | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env={**clean, **(env or {}), "PYTHONPATH": str(ROOT)},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("verb", ["serve", "socket", "run", "scheduler"])
def test_missing_tokens_are_named_without_a_traceback(verb: str, tmp_path: Path):
    result = run(verb, cwd=tmp_path)
    assert result.returncode == 2
    assert "SLACK_BOT_TOKEN is not set" in result.stderr and "README" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("verb", [[], ["tick"], ["db"], ["serve"]])
def test_every_verb_has_help(verb: list[str]):
    result = run(*verb, "--help")
    assert result.returncode == 0 and "usage:" in result.stdout


def test_db_upgrade_creates_a_fresh_database(tmp_path: Path):
    result = run("db", "upgrade", env={"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "x.db").exists()


def test_tick_rejects_an_instant_without_a_zone(tmp_path: Path):
    result = run("tick", "--at", "2026-12-01T14:30", "--dry-run", cwd=tmp_path)
    assert result.returncode == 2 and "with a zone" in result.stderr


def test_tick_sends_what_is_due_and_prints_one_line_each(
    sprout: Sprout, slack: LocalSlack, database_url: str
):
    from bot import outbox
    from bot.db import transaction

    now = sprout.now()
    with transaction(sprout.services.sessions) as session:
        outbox.enqueue(
            session, outbox.note(sprout.team_id, RAVI.user_id, "test", "s", "hi", now), now
        )
    env = {
        "DATABASE_URL": database_url,
        "SLACK_API_URL": slack.base_url,
        "SLACK_BOT_TOKEN": slack.bot_token,
    }

    preview = run("tick", "--at", now.isoformat(), "--dry-run", env=env)
    assert preview.stdout.splitlines() == [
        f"would send {RAVI.user_id} test s {now.isoformat()} (queued)"
    ]
    assert slack.dms_to(RAVI.user_id) == []

    sent = run("tick", "--at", now.isoformat(), env=env)
    assert sent.stdout.splitlines() == [f"sent {RAVI.user_id} test s {now.isoformat()}"]
    assert run("tick", "--at", now.isoformat(), env=env).stdout.strip() == "nothing due"
    assert len(slack.dms_to(RAVI.user_id)) == 1


def test_the_scheduler_process_stops_cleanly_on_sigterm(slack: LocalSlack, tmp_path: Path):
    import signal

    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_"))},
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'clock.db'}",
        "SLACK_API_URL": slack.base_url,
        "SLACK_BOT_TOKEN": slack.bot_token,
        "LOG_FORMAT": "json",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "scheduler"],
        env=env,
        cwd=tmp_path,
        stderr=subprocess.PIPE,
        text=True,
    )
    guard = threading.Timer(60, process.kill)  # never hang the suite
    guard.start()
    lines: list[dict] = []
    try:
        for line in process.stderr:  # wait until the first pass has run
            lines.append(json.loads(line))
            if "scheduler_pass" in line:
                break
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        guard.cancel()
        if process.poll() is None:
            process.kill()
    ready = [e["message"] for e in lines if e["message"].startswith("Sprout is connected")]
    assert ready == [
        f"Sprout is connected as @sprout to {slack.team_name} ({slack.team_id}),"
        f" database sqlite:///{tmp_path / 'clock.db'}; try /team add in Slack"
    ]
    assert [e["level"] for e in lines if e["logger"].startswith(("alembic", "apscheduler"))] == []
    assert any("SQLite with a separate scheduler process" in e["message"] for e in lines)
