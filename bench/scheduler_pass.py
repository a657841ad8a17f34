"""Benchmark 2: one scheduler pass at 1k, 10k and 100k members, on SQLite and PostgreSQL.

For each size and database: a workspace with a year of history is generated, then
`bot.scheduler.run_pass` runs (through a Services whose WebClient posts to a local Slack)
several times with nobody due, and several times with about 1% of the members' messages
due. Time and SQL statements are recorded per pass, split into planning (the pass's one
transaction: plan, write the outbox) and sending (claim, chat.postMessage, record).

A pass should cost the same at every size when nothing is due, and grow with the
messages due, not with the workspace.

    python -m bench.scheduler_pass [--sizes 1000,10000] [--keep]
"""

from __future__ import annotations

import argparse
import os
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine

from bench import synth
from bench.common import (
    Target,
    banner,
    drop_database,
    fresh_database,
    median,
    save,
    targets,
)
from bench.passes import MeasuredPasses, PassFigures, due_counts, local_slack_with, services_for

SIZES = (1_000, 10_000, 100_000)
IDLE_PASSES = 3
DUE_PASSES = 3
KEEP_FOR_MEMORY = 100_000  # the memory benchmark reuses this size's databases


def database_name(size: int) -> str:
    return f"scheduler-{size}"


def measure(target: Target, size: int) -> dict[str, Any]:
    from bot.db import make_engine

    slack = local_slack_with(size)
    engine = make_engine(target.url)
    services = services_for(target.url, slack)
    passes = MeasuredPasses(services)
    try:
        warm = passes.run(synth.NOW - timedelta(minutes=5))  # imports, prompts, pool
        idle = [passes.run(synth.NOW + timedelta(minutes=i)) for i in range(IDLE_PASSES)]
        due: list[PassFigures] = []
        counts = due_counts(size)
        for i in range(DUE_PASSES):
            at = synth.NOW + timedelta(minutes=10 + i)
            armed = synth.arm(engine, size, at, round_=i, **counts)
            slack.reset_records()
            due.append(passes.run(at, due=armed.people))
        return {
            "warm_up": warm.as_dict(),
            "idle": [p.as_dict() for p in idle],
            "due": [p.as_dict() for p in due],
            "armed": counts,
        }
    finally:
        services.engine.dispose()
        engine.dispose()
        slack.stop()


def summarise(figures: dict[str, Any]) -> dict[str, Any]:
    idle, due = figures["idle"], figures["due"]
    sent = median([p["sent"] for p in due])
    return {
        "idle_ms": median([p["seconds"] for p in idle]) * 1000,
        "idle_statements": median([p["statements"] for p in idle]),
        "due_messages": sent,
        "due_planned": median([p["planned"] for p in due]),
        "due_ms": median([p["seconds"] for p in due]) * 1000,
        "due_plan_ms": median([p["plan_seconds"] for p in due]) * 1000,
        "due_send_ms": median([p["send_seconds"] for p in due]) * 1000,
        "due_plan_statements": median([p["plan_statements"] for p in due]),
        "due_send_statements": median([p["send_statements"] for p in due]),
        "ms_per_message": (median([p["seconds"] for p in due]) * 1000 / sent) if sent else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", ""))
    parser.add_argument("--keep", action="store_true", help="keep every size's databases")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s] or list(SIZES)
    results: list[dict[str, Any]] = []
    for size in sizes:
        banner(f"scheduler pass: {size:,} members")
        chosen = targets(database_name(size))
        engines = [fresh_database(t) for t in chosen]  # Alembic migrates one at a time
        # Generate on both databases at once: SQLite works in this process, PostgreSQL
        # in its server, so the two loads use both cores.
        with ThreadPoolExecutor(max_workers=len(chosen)) as pool:
            generated = list(pool.map(_generate, engines, [size] * len(engines)))
        for target, gen in zip(chosen, generated, strict=True):
            print(
                f"  {target.label}: generated {gen.total_rows:,} rows in {gen.seconds:.0f} s",
                flush=True,
            )
            figures = measure(target, size)
            summary = summarise(figures)
            print(
                f"  {target.label}: idle {summary['idle_ms']:.1f} ms"
                f" ({summary['idle_statements']:.0f} statements);"
                f" {summary['due_messages']:.0f} due {summary['due_ms']:.0f} ms"
                f" (plan {summary['due_plan_ms']:.0f} ms /"
                f" {summary['due_plan_statements']:.0f} st, send {summary['due_send_ms']:.0f} ms"
                f" / {summary['due_send_statements']:.0f} st)",
                flush=True,
            )
            results.append(
                {
                    "backend": target.backend,
                    "members": size,
                    "generated_seconds": gen.seconds,
                    "rows": gen.rows,
                    "history_rows": gen.total_rows,
                    "summary": summary,
                    **figures,
                }
            )
            if not args.keep and size != KEEP_FOR_MEMORY:
                drop_database(target)
    save(
        "scheduler_pass",
        {"sizes": sizes, "shape": {"weeks": 52, "checkins_per_week": 1}, "results": results},
    )
    return 0


def _generate(engine: Engine, size: int) -> synth.Generated:
    try:
        return synth.generate(engine, synth.Shape(members=size))
    finally:
        engine.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
