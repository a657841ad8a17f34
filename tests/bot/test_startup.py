"""Starting in any weather: the web process boots without Slack; the other roles say in one
line why they can't start; /metrics is for the operator only."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import shlex
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path
from wsgiref.util import setup_testing_defaults

import pytest

from bot.config import Settings, database_label, normalize_database_url
from bot.services import make_client
from bot.startup import SlackWatch
from bot.web import SproutWSGI
from devtools.harness import Sprout
from devtools.local_slack import LocalSlack
from tests.bot.test_cli import ROOT, run

NOWHERE = "http://127.0.0.1:9/api/"  # nothing listens on the discard port


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def procfile(role: str) -> str:
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.startswith(f"{role}:"):
            return line.split(":", 1)[1].strip()
    raise AssertionError(f"no {role}: line in the Procfile")


def test_the_procfiles_web_line_boots_and_answers_healthz_without_slack(tmp_path: Path):
    port = free_port()
    command = procfile("web").replace("$PORT", str(port)).replace("0.0.0.0", "127.0.0.1")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_"))},
        "PYTHONPATH": str(ROOT),
        "SLACK_BOT_TOKEN": "xoxb-unchecked",
        "SLACK_SIGNING_SECRET": "secret",
        "SLACK_API_URL": NOWHERE,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'web.db'}",
        "LOG_FORMAT": "json",
    }
    argv = shlex.split(command)
    argv[0] = str(Path(sys.executable).parent / argv[0])  # the venv's gunicorn
    process = subprocess.Popen(
        argv, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    guard = threading.Timer(60, lambda: os.killpg(process.pid, signal.SIGKILL))  # never hang
    guard.start()
    lines: list[str] = []
    try:
        for line in process.stderr:
            lines.append(line)
            if "Listening at" in line:
                break
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=30) as answer:
            health = json.loads(answer.read())
        for _ in range(4):  # unsigned: refused, and counted by whichever worker took it
            unsigned = urllib.request.Request(f"http://127.0.0.1:{port}/slack/events", b"{}")
            with pytest.raises(urllib.error.HTTPError):
                urllib.request.urlopen(unsigned, timeout=30)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=30) as answer:
            metrics = answer.read().decode()
        process.terminate()
        lines += process.stderr.readlines()
        process.wait(timeout=30)
    finally:
        guard.cancel()
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)

    assert health == {"ok": True, "database": True, "slack": False}
    assert 'sprout_http_requests_total{path="/slack/events",status="401"} 4.0' in metrics
    logged = [json.loads(line) for line in lines]  # gunicorn's lines are JSON too
    assert not any("Traceback" in line for line in lines)
    assert any("SQLite under 2 gunicorn workers" in entry["message"] for entry in logged)
    assert not any(e["logger"].startswith("slack_sdk") for e in logged)


def test_slack_is_checked_in_the_background_until_it_answers(
    slack: LocalSlack, caplog: pytest.LogCaptureFixture
):
    settings = Settings(slack_bot_token=slack.bot_token, slack_api_url=slack.base_url)
    slack.fail("auth.test", times=3, status=500)
    waits: list[float] = []
    watch = SlackWatch(make_client(settings), settings, wait=waits.append)

    with caplog.at_level(logging.INFO, logger="sprout"):
        watch.run()

    assert waits == [5, 10, 30] and watch.connected
    messages = [r.getMessage() for r in caplog.records if r.name == "sprout"]
    assert len(messages) == 2
    assert messages[0].startswith("Slack answered") and "retrying in the background" in messages[0]
    assert messages[1].startswith("Sprout is connected as @sprout to ")
    assert "try /team add in Slack" in messages[1]


def cli_env(slack_url: str, database: str, **more: str) -> dict[str, str]:
    return {"SLACK_API_URL": slack_url, "DATABASE_URL": database, **more}


@pytest.mark.parametrize(
    ("verb", "env", "expected"),
    [
        (
            "socket",
            {"SLACK_APP_TOKEN": "xapp-never-issued"},
            "Sprout can't start: Slack refused SLACK_APP_TOKEN (invalid_auth)",
        ),
        ("scheduler", {"SLACK_API_URL": NOWHERE}, "Sprout can't start: Slack can't be reached at"),
        (
            "scheduler",
            {"DATABASE_URL": "postgres://sprout:hunter2@127.0.0.1:9/sprout"},
            "Sprout can't start: the database postgresql://sprout@127.0.0.1:9/sprout",
        ),
        (
            "run",
            {"SLACK_BOT_TOKEN": "xoxb-revoked"},
            "Sprout can't start: Slack refused SLACK_BOT_TOKEN (invalid_auth)",
        ),
    ],
)
def test_what_is_missing_outside_ends_a_start_in_one_line(
    slack: LocalSlack, tmp_path: Path, verb: str, env: dict[str, str], expected: str
):
    base = {
        "SLACK_API_URL": slack.base_url,
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_SIGNING_SECRET": "secret",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
        "PORT": str(free_port()),
    }
    result = run(verb, env={**base, **env}, cwd=tmp_path)
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(expected)
    assert "Traceback" not in result.stderr and "hunter2" not in result.stderr


def test_postgres_urls_from_hosting_platforms_work():
    assert normalize_database_url("postgres://u:p@db:5432/app") == (
        "postgresql+psycopg://u:p@db:5432/app"
    )
    assert normalize_database_url("postgresql://db/app") == "postgresql+psycopg://db/app"
    assert normalize_database_url("sqlite:///x.db") == "sqlite:///x.db"
    assert database_label("postgresql+psycopg://u:secret@db/app?sslmode=require") == (
        "postgresql://u@db/app"
    )


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="needs PostgreSQL")
def test_database_url_postgres_scheme_migrates(postgres_url: str):
    platform_style = "postgres://" + postgres_url.split("://", 1)[1]
    result = run("db", "upgrade", env={"DATABASE_URL": platform_style})
    assert result.returncode == 0, result.stderr
    assert "Database postgresql://" in result.stdout and "is up to date" in result.stdout


# --- /metrics is for the operator -----------------------------------------------------------


def get(app: SproutWSGI, path: str, remote: str, **headers: str) -> tuple[str, bytes]:
    environ: dict = {"PATH_INFO": path, "REMOTE_ADDR": remote}
    environ.update({f"HTTP_{k.upper()}": v for k, v in headers.items()})
    setup_testing_defaults(environ)
    seen: list[str] = []
    body = b"".join(app(environ, lambda status, _headers: seen.append(status)))
    return seen[0], body


def test_metrics_need_the_token_when_one_is_set(sprout: Sprout):
    sprout.services.settings = dataclasses.replace(sprout.settings, metrics_token="s3cret")
    request = urllib.request.Request(f"{sprout.base}/metrics")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 401

    request.add_header("Authorization", "Bearer s3cret")
    with urllib.request.urlopen(request, timeout=5) as answer:
        assert b"sprout_outbox_messages" in answer.read()


def test_without_a_token_metrics_answer_loopback_or_their_own_port(sprout: Sprout):
    app = SproutWSGI(sprout.app, sprout.services)
    assert get(app, "/metrics", "10.1.2.3")[0].startswith("403")
    assert get(app, "/metrics", "::1")[0].startswith("200")
    own_port = SproutWSGI(None, sprout.services, metrics_only=True)
    assert get(own_port, "/metrics", "10.1.2.3")[0].startswith("200")
    assert get(own_port, "/healthz", "10.1.2.3")[0].startswith("404")


def test_beside_socket_mode_health_and_metrics_are_served_and_nothing_else(sprout: Sprout):
    beside_socket = SproutWSGI(None, sprout.services)
    status, body = get(beside_socket, "/healthz", "10.1.2.3")
    assert status.startswith("200") and json.loads(body)["database"] is True
    assert get(beside_socket, "/metrics", "127.0.0.1")[0].startswith("200")
    assert get(beside_socket, "/slack/events", "127.0.0.1")[0].startswith("404")
