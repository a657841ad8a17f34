"""Benchmark 5: memory of the scheduler process at 100k members (and at 1k, to compare).

A separate Python process does what `python -m bot scheduler` does each minute: build
the services, then run passes (one with nothing due, then two with about 1% of the
members' messages due, sent to a local Slack living in the parent process). It reports
its resident set size after the imports, after building the services, and its peak
(VmHWM) after the passes.

One more case: 10k members who all work in one time zone with the same check-in time,
so everyone is due in the same minute (every check-in, every manager's digest and
summary), planned by one pass.

The 100k databases left by the scheduler-pass benchmark are reused when present;
otherwise they are generated here.

    python -m bench.memory
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from datetime import timedelta
from typing import Any

from sqlalchemy import text

from bench.common import (
    ROOT,
    Target,
    banner,
    drop_database,
    fresh_database,
    rss_now_mib,
    rss_peak_mib,
    save,
    targets,
)

# (members, who is due): "usual" is about 1% of the members' messages, twice.
CASES = ((1_000, "usual"), (100_000, "usual"), (10_000, "everyone"), (100_000, "everyone"))
MAX_EVERYONE_PASSES = 60  # "everyone": passes until nothing more is planned, at most this


def child(url: str, slack_url: str, token: str, members: int, due: str) -> dict[str, Any]:
    """Runs in the measured process."""
    figures: dict[str, Any] = {}
    from bot import nudges, summary  # noqa: F401 - what a pass imports
    from bot.checkins import planning  # noqa: F401
    from bot.config import Settings
    from bot.scheduler import run_pass
    from bot.services import build_services

    figures["after_imports_mib"] = rss_now_mib()
    settings = Settings(slack_bot_token=token, slack_api_url=slack_url, database_url=url)
    services = build_services(settings, migrate=False)
    figures["after_services_mib"] = rss_now_mib()
    from bench import passes, synth

    base = synth.NOW + timedelta(minutes=20)  # the scheduler-pass benchmark used :30 to :42
    sent = [len(run_pass(services, base).delivery.sent)]
    planned = [0]
    figures["after_idle_pass_peak_mib"] = rss_peak_mib()
    if due == "everyone":
        counts = {
            "checkins": members - 1,
            "managers": synth.managers_in(members),
            "events": 0,
        }
        rounds = [0]
    else:
        counts, rounds = passes.due_counts(members), [11, 12]
    seconds = []
    for i, round_ in enumerate(rounds, start=1):
        at = base + timedelta(minutes=i)
        synth.arm(services.engine, members, at, round_=round_, **counts)
        started = time.perf_counter()
        result = run_pass(services, at)
        seconds.append(time.perf_counter() - started)
        sent.append(len(result.delivery.sent))
        planned.append(result.planned_count)
    # Everyone due at once: the next passes (a minute apart) go on planning what is left.
    for extra in range(1, MAX_EVERYONE_PASSES if due == "everyone" else 0):
        if result.planned_count == 0:
            break
        started = time.perf_counter()
        result = run_pass(services, at + timedelta(minutes=extra))
        seconds.append(time.perf_counter() - started)
        sent.append(len(result.delivery.sent))
        planned.append(result.planned_count)
    figures["peak_mib"] = rss_peak_mib()
    figures["final_mib"] = rss_now_mib()
    figures["sent"] = sent
    figures["planned"] = planned
    figures["pass_seconds"] = seconds
    services.engine.dispose()
    return figures


def has_workspace(target: Target, members: int) -> bool:
    from bot.db import make_engine

    try:
        engine = make_engine(target.url)
        with engine.connect() as conn:
            count = conn.execute(text("SELECT count(*) FROM members")).scalar()
        engine.dispose()
    except Exception:  # noqa: BLE001 - no file, no table: generate it
        return False
    return count == members


def prepared(target: Target, members: int, fresh: bool) -> Target:
    from bench import synth

    if fresh or not has_workspace(target, members):
        print(f"  generating {members:,} members on {target.label}", flush=True)
        engine = fresh_database(target)
        synth.generate(engine, synth.Shape(members=members))
        engine.dispose()
    return target


def measure(target: Target, members: int, due: str) -> dict[str, Any]:
    from bench.passes import local_slack_with

    slack = local_slack_with(members)
    try:
        output = subprocess.run(
            [
                sys.executable, "-m", "bench.memory", "--child", "--url", target.url,
                "--slack-url", slack.base_url, "--token", slack.bot_token,
                "--members", str(members), "--due", due,
            ],
            cwd=ROOT, capture_output=True, text=True, check=True, timeout=600,
        )  # fmt: skip
    except subprocess.CalledProcessError as error:
        print(error.stdout, error.stderr, file=sys.stderr)
        raise
    finally:
        slack.stop()
    figures = json.loads(output.stdout.strip().splitlines()[-1])
    return {"backend": target.backend, "members": members, "due": due, **figures}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--url")
    parser.add_argument("--slack-url")
    parser.add_argument("--token")
    parser.add_argument("--members", type=int)
    parser.add_argument("--due", default="usual")
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.url, args.slack_url, args.token, args.members, args.due)))
        return 0
    banner("scheduler process memory")
    results = []
    for members, due in CASES:
        for target in targets(f"scheduler-{members}"):
            if members != 100_000 and target.backend == "postgresql":
                continue  # the comparisons are on SQLite only
            ready = prepared(target, members, fresh=due == "everyone")
            figures = measure(ready, members, due)
            print(
                f"  {target.label}, {members:,} members, {due} due: after imports"
                f" {figures['after_imports_mib']:.0f} MiB, services"
                f" {figures['after_services_mib']:.0f} MiB, peak {figures['peak_mib']:.0f} MiB"
                f" (planned {figures['planned']}, sent {figures['sent']},"
                f" {', '.join(f'{s:.1f}' for s in figures['pass_seconds'])} s)",
                flush=True,
            )
            results.append(figures)
            if members != 100_000:
                drop_database(target)
    save("memory", {"results": results})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
