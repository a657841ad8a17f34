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
    python -m bench.memory --plan-all 100000 [--weeks 2] [--trace]

The second is the fast way to the planning memory of a whole time zone at 100k: the
people get a short history (`--weeks`), everyone is made due, and the measured process
plans all of it in one call of `plan_in_batches` (no time or batch cap, each batch
committed), then sends for `SEND_SECONDS` (a pass's sending, to a local Slack without
limits). It reports the peak RSS after planning and after sending (and, with `--trace`,
the largest Python allocations live at the end, from tracemalloc). It does not touch
BENCHMARKS.md (`bench-out/results/memory_plan_all.json`).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
import tracemalloc
from datetime import datetime, timedelta
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
    sqlite_target,
    targets,
)

# (members, who is due): "usual" is about 1% of the members' messages, twice.
CASES = ((1_000, "usual"), (100_000, "usual"), (10_000, "everyone"), (100_000, "everyone"))
MAX_EVERYONE_PASSES = 60  # "everyone": passes until nothing more is planned, at most this
SEND_SECONDS = 30  # "plan-all": how long its one delivery pass sends


def child(
    url: str, slack_url: str, token: str, members: int, due: str, trace: bool = False
) -> dict[str, Any]:
    """Runs in the measured process."""
    figures: dict[str, Any] = {}
    if trace:
        tracemalloc.start(8)
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
    if due == "plan-all":
        return figures | plan_all(services, members, base, trace)
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


def plan_all(services: Any, members: int, at: datetime, trace: bool) -> dict[str, Any]:
    """Everyone due at `at`, all of it planned by one uncapped `plan_in_batches`, then one
    delivery pass of `SEND_SECONDS`."""
    from bench import synth
    from bot import scheduler

    counts = {"checkins": members - 1, "managers": synth.managers_in(members), "events": 0}
    synth.arm(services.engine, members, at, round_=0, **counts)
    scheduler.PLAN_SECONDS, scheduler.MAX_BATCHES = float("inf"), 1_000_000
    result = scheduler.PassResult(now=at)
    started = time.perf_counter()
    scheduler.plan_in_batches(services, at, result)
    figures: dict[str, Any] = {
        "plan_seconds": time.perf_counter() - started,
        "planned": result.planned_count,
        "batches": result.batches,
        "after_planning_peak_mib": rss_peak_mib(),
        "after_planning_mib": rss_now_mib(),
    }
    started = time.perf_counter()
    until = at + timedelta(seconds=SEND_SECONDS)
    report = services.deliverer.deliver_due(at, until=until)
    figures |= {
        "send_seconds": time.perf_counter() - started,
        "sent": len(report.sent),
        "peak_mib": rss_peak_mib(),
        "final_mib": rss_now_mib(),
    }
    del report
    if tracemalloc.is_tracing():
        top = tracemalloc.take_snapshot().statistics("traceback")[:8]
        figures["traced_top"] = [
            [stat.size / 2**20, stat.count, [str(frame) for frame in stat.traceback][-4:]]
            for stat in top
        ]
        figures["traced_peak_mib"] = tracemalloc.get_traced_memory()[1] / 2**20
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


def prepared(target: Target, members: int, fresh: bool, weeks: int = 52) -> Target:
    from bench import synth

    if fresh or not has_workspace(target, members):
        print(f"  generating {members:,} members on {target.label}", flush=True)
        engine = fresh_database(target)
        synth.generate(engine, synth.Shape(members=members, weeks=weeks))
        engine.dispose()
    return target


def measure(target: Target, members: int, due: str, trace: bool = False) -> dict[str, Any]:
    from bench.passes import local_slack_with

    slack = local_slack_with(members)
    try:
        output = subprocess.run(
            [
                sys.executable, "-m", "bench.memory", "--child", "--url", target.url,
                "--slack-url", slack.base_url, "--token", slack.bot_token,
                "--members", str(members), "--due", due, *(["--trace"] if trace else []),
            ],
            cwd=ROOT, capture_output=True, text=True, check=True, timeout=3600,
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
    parser.add_argument("--plan-all", type=int, metavar="MEMBERS")
    parser.add_argument("--weeks", type=int, default=2)
    parser.add_argument("--trace", action="store_true")
    args = parser.parse_args(argv)
    if args.child:
        figures = child(args.url, args.slack_url, args.token, args.members, args.due, args.trace)
        print(json.dumps(figures))
        return 0
    if args.plan_all:
        return plan_all_main(args.plan_all, args.weeks, args.trace)
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


def plan_all_main(members: int, weeks: int, trace: bool) -> int:
    banner(f"planning memory, {members:,} members due at once ({weeks} weeks of history)")
    target = sqlite_target(f"plan-all-{members}")
    ready = prepared(target, members, fresh=True, weeks=weeks)
    figures = measure(ready, members, "plan-all", trace)
    print(
        f"  planned {figures['planned']:,} in {figures['batches']} batches,"
        f" {figures['plan_seconds']:.0f} s: peak {figures['after_planning_peak_mib']:.0f} MiB"
        f" (now {figures['after_planning_mib']:.0f}); sent {figures['sent']:,} in"
        f" {figures['send_seconds']:.0f} s: peak {figures['peak_mib']:.0f} MiB"
        f" (final {figures['final_mib']:.0f})",
        flush=True,
    )
    for size, count, frames in figures.get("traced_top", []):
        print(f"    {size:6.1f} MiB {count:8,}  {' <- '.join(reversed(frames))}")
    save("memory_plan_all", {"results": [figures]})
    drop_database(target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
