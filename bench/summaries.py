"""Benchmark 3: weekly summaries for 1,000 managers, at two lengths of history.

A workspace of 7,001 people: 1,000 managers with seven reports each, every report
checking in four days a week. With 13 weeks of history, then the same people with 52
weeks, all 1,000 managers are made due and measured two ways:

- `plan_summaries` as the scheduler runs it (one transaction, all due managers; rolled
  back afterwards so nothing is sent): time and SQL statements, per manager;
- `summary.compute` for 200 of them, each in a session of its own: the spread of
  statements and time per manager.

Per-manager cost should not depend on how much history there is.

    python -m bench.summaries
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from functools import partial
from typing import Any

from sqlalchemy import Engine

from bench import synth
from bench.common import (
    Statements,
    banner,
    drop_database,
    fresh_database,
    median,
    percentile,
    save,
    targets,
)
from bot.db import make_sessionmaker
from bot.summary import compute, plan_summaries

MANAGERS = 1_000
MEMBERS = MANAGERS * synth.TEAM_SIZE + 1
HISTORIES = (13, 52)  # weeks
CHECKINS_PER_WEEK = 4
SAMPLE = 200  # managers whose summary is also computed alone


def measure(engine: Engine, at_minutes: int) -> dict[str, Any]:
    at = synth.NOW + timedelta(minutes=at_minutes)
    synth.arm(
        engine, MEMBERS, at, checkins=0, managers=MANAGERS, events=0, round_=0,
        summaries_only=True,
    )  # fmt: skip
    sessions = make_sessionmaker(engine)
    with Statements(engine) as statements:
        # As the scheduler's pass does it, all due managers in one transaction.
        with sessions() as session:
            session.begin()
            started = time.perf_counter()
            planned = plan_summaries(session, at)
            planning = time.perf_counter() - started
            session.rollback()
        plan_statements = statements.take()
        # A sample of managers one at a time, each in a fresh session.
        per_manager: list[tuple[float, int, int]] = []
        for manager in range(0, MANAGERS, MANAGERS // SAMPLE):
            with sessions() as session:
                started = time.perf_counter()
                summary = compute(session, synth.TEAM, synth.uid(manager), at)
                per_manager.append(
                    (time.perf_counter() - started, statements.take(), len(summary.reports))
                )
    seconds = [s for s, _, _ in per_manager]
    counts = [c for _, c, _ in per_manager]
    return {
        "managers_due": MANAGERS,
        "summaries_planned": len(planned),
        "plan_seconds": planning,
        "plan_statements": plan_statements,
        "plan_ms_per_manager": planning * 1000 / max(1, len(planned)),
        "plan_statements_per_manager": plan_statements / max(1, len(planned)),
        "compute_ms_p50": median(seconds) * 1000,
        "compute_ms_p99": percentile(seconds, 0.99) * 1000,
        "compute_statements_min": min(counts),
        "compute_statements_max": max(counts),
        "reports_per_manager": median([r for _, _, r in per_manager]),
    }


def main() -> int:
    banner(f"weekly summaries: {MANAGERS:,} managers, {synth.TEAM_SIZE} reports each")
    chosen = targets("summaries")
    engines = [fresh_database(t) for t in chosen]
    results = []
    try:
        done = 0
        for step, weeks in enumerate(HISTORIES):
            shape = synth.Shape(members=MEMBERS, weeks=weeks, checkins_per_week=CHECKINS_PER_WEEK)
            # Both databases load at once (SQLite here, PostgreSQL in its server).
            with ThreadPoolExecutor(max_workers=len(engines)) as pool:
                load = partial(synth.generate, shape=shape, weeks_from=done)
                generated = list(pool.map(load, engines))
            done = weeks
            for target, engine, rows in zip(chosen, engines, generated, strict=True):
                result = measure(engine, at_minutes=1 + step)
                result |= {
                    "backend": target.backend,
                    "history_weeks": weeks,
                    "rows": rows.rows,
                    "history_rows": rows.total_rows,
                }
                print(
                    f"  {target.label}, {weeks} weeks ({result['history_rows']:,} rows):"
                    f" plan {result['plan_ms_per_manager']:.2f} ms and"
                    f" {result['plan_statements_per_manager']:.1f} statements per manager;"
                    f" compute p50 {result['compute_ms_p50']:.2f} ms,"
                    f" statements {result['compute_statements_min']}-"
                    f"{result['compute_statements_max']}",
                    flush=True,
                )
                results.append(result)
    finally:
        for target, engine in zip(chosen, engines, strict=True):
            engine.dispose()
            drop_database(target)
    save(
        "summaries",
        {
            "managers": MANAGERS,
            "members": MEMBERS,
            "checkins_per_week": CHECKINS_PER_WEEK,
            "results": results,
        },
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
