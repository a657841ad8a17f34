"""`python -m bot serve` as a user runs it: a subprocess, the real clock, no scheduler.

What a person causes must reach Slack from the request itself; a frozen test clock
would hide a second clock reading that leaves a DM waiting for a scheduler pass.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.db import make_engine, make_sessionmaker, transaction
from bot.models import PersonSettings
from devtools import slack_requests as sr
from devtools.cast import ANA, MAYA, RAVI
from devtools.harness import FORM, SIGNING_SECRET
from devtools.local_slack import LocalSlack

ROOT = Path(__file__).resolve().parents[2]
PATIENCE = 20.0  # seconds: a bound on waiting for a process, never a measure of speed


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def eventually(check: Callable[[], bool]) -> bool:
    """Poll `check` until it holds or PATIENCE runs out (the subprocess has its own pace)."""
    give_up = time.monotonic() + PATIENCE
    while time.monotonic() < give_up:
        if check():
            return True
        time.sleep(0.02)
    return check()


def healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=1) as answer:
            return answer.status == 200
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture
def served(slack: LocalSlack, database_url: str) -> Iterator[str]:
    """Sprout's HTTP server as its own process; yields its base URL."""
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_"))},
        "PYTHONPATH": str(ROOT),
        "PORT": str(port),
        "DATABASE_URL": database_url,
        "SLACK_API_URL": slack.base_url,
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        if not eventually(lambda: healthy(base) or process.poll() is not None):
            pytest.fail("serve did not come up")
        if process.poll() is not None:
            pytest.fail(f"serve exited: {process.stderr.read() if process.stderr else ''}")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=PATIENCE)
        except subprocess.TimeoutExpired:
            process.kill()


def at_work_whenever_this_runs(database_url: str, *people) -> None:
    """The real clock: give `people` a zone where it is about noon now, and every day off
    work, so Sprout's rule (nothing outside their working hours) lets their DMs go at once."""
    offset = (12 - datetime.now(UTC).hour + 12) % 24 - 12
    zone = f"Etc/GMT{-offset:+d}" if offset else "Etc/GMT"
    engine = make_engine(database_url)
    with transaction(make_sessionmaker(engine)) as session:
        for person in people:
            session.add(
                PersonSettings(
                    team_id="T0SPROUT",
                    user_id=person.user_id,
                    work_days="1111111",
                    work_start="00:00",
                    work_end="23:59",
                    tz_override=zone,
                    updated_at=datetime.now(UTC),
                )
            )
    engine.dispose()


def test_team_add_asks_each_person_at_once_with_no_scheduler_running(
    served: str, slack: LocalSlack, database_url: str
):
    at_work_whenever_this_runs(database_url, RAVI, ANA)
    body = sr.command_body(
        command="/team",
        text=f"add <@{RAVI.user_id}|ravi> <@{ANA.user_id}|ana>",
        user_id=MAYA.user_id,
        team_id=slack.team_id,
        channel_id="C0GENERAL",
        response_url=slack.new_response_url(),
        trigger_id=slack.new_trigger_id(),
    )

    answer = sr.post(f"{served}/slack/events", body, content_type=FORM, secret=SIGNING_SECRET)

    assert answer.status == 200
    assert eventually(lambda: all(slack.dms_to(p.user_id) for p in (RAVI, ANA)))
    for person in (RAVI, ANA):
        assert "says you report to them" in slack.dms_to(person.user_id)[0].text
