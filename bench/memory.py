"""Benchmark 5: memory of the scheduler process at 100k members (and at 1k, to compare).

A separate Python process does what `python -m bot scheduler` does each minute: build
the services, then run passes (one with nothing due, then two with about 1% of the
members' messages due, sent to a local Slack living in the parent process). It reports
its resident set size after the imports, after building the services, and its peak
(VmHWM) after the passes.

The 100k databases left by the scheduler-pass benchmark are reused when present;
otherwise they are generated here.

    python -m bench.memory
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
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

SIZES = (1_000, 100_000)


def child(url: str, slack_url: str, token: str, members: int) -> dict[str, Any]:
    """Runs in the measured process."""
    figures: dict[str, Any] = {}
    from bot import checkins, nudges, summary  # noqa: F401 - what a pass imports
    from bot.config import Settings
    from bot.scheduler import run_pass
    from bot.services import build_services

    figures["after_imports_mib"] = rss_now_mib()
    settings = Settings(slack_bot_token=token, slack_api_url=slack_url, database_url=url)
    services = build_services(settings, migrate=False)
    figures["after_services_mib"] = rss_now_mib()
    from bench import passes, synth

    base = synth.NOW + timedelta(minutes=30)
    sent = [len(run_pass(services, base).delivery.sent)]
    figures["after_idle_pass_peak_mib"] = rss_peak_mib()
    for i in (1, 2):
        at = base + timedelta(minutes=i)
        synth.arm(services.engine, members, at, round_=10 + i, **passes.due_counts(members))
        sent.append(len(run_pass(services, at).delivery.sent))
    figures["peak_mib"] = rss_peak_mib()
    figures["final_mib"] = rss_now_mib()
    figures["sent"] = sent
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


def prepared(target: Target, members: int) -> Target:
    from bench import synth

    if not has_workspace(target, members):
        print(f"  generating {members:,} members on {target.label}", flush=True)
        engine = fresh_database(target)
        synth.generate(engine, synth.Shape(members=members))
        engine.dispose()
    return target


def measure(target: Target, members: int) -> dict[str, Any]:
    from bench.passes import local_slack_with

    slack = local_slack_with(members)
    try:
        output = subprocess.run(
            [
                sys.executable, "-m", "bench.memory", "--child", "--url", target.url,
                "--slack-url", slack.base_url, "--token", slack.bot_token,
                "--members", str(members),
            ],
            cwd=ROOT, capture_output=True, text=True, check=True, timeout=600,
        )  # fmt: skip
    except subprocess.CalledProcessError as error:
        print(error.stdout, error.stderr, file=sys.stderr)
        raise
    finally:
        slack.stop()
    figures = json.loads(output.stdout.strip().splitlines()[-1])
    return {"backend": target.backend, "members": members, **figures}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--url")
    parser.add_argument("--slack-url")
    parser.add_argument("--token")
    parser.add_argument("--members", type=int)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.url, args.slack_url, args.token, args.members)))
        return 0
    banner("scheduler process memory")
    results = []
    for members in SIZES:
        for target in targets(f"scheduler-{members}"):
            if members != 100_000 and target.backend == "postgresql":
                continue  # one small comparison is enough
            figures = measure(prepared(target, members), members)
            print(
                f"  {target.label}, {members:,} members: after imports"
                f" {figures['after_imports_mib']:.0f} MiB, services"
                f" {figures['after_services_mib']:.0f} MiB, peak {figures['peak_mib']:.0f} MiB"
                f" (sent {figures['sent']})",
                flush=True,
            )
            results.append(figures)
            if members != 100_000:
                drop_database(target)
    save("memory", {"results": results})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
