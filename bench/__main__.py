"""`python -m bench [NAME ...]`: run the benchmarks (all by default), then update BENCHMARKS.md.

Each benchmark runs as its own process, one after the other, so none measures another's
leftovers. PostgreSQL is used when BENCH_POSTGRES_URL names a database they may wipe.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

from bench import report
from bench.common import ROOT, banner, drop_database, machine, save, targets

ORDER = ("slash", "scheduler_pass", "memory", "summaries", "delivery", "one_zone")
LIMIT = 30 * 60  # seconds for any one benchmark; each takes a few minutes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"any of {', '.join(ORDER)}")
    parser.add_argument("--keep", action="store_true", help="keep the 100k-member databases")
    args = parser.parse_args(argv)
    unknown = set(args.names) - set(ORDER)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    chosen = [name for name in ORDER if not args.names or name in args.names]
    started = time.perf_counter()
    failed = []
    for name in chosen:
        step = time.perf_counter()
        try:
            command = [sys.executable, "-m", f"bench.{name}"]
            code = subprocess.run(command, cwd=ROOT, timeout=LIMIT).returncode
        except subprocess.TimeoutExpired:
            code = -1
        print(f"  ({name}: {time.perf_counter() - step:.0f} s, exit {code})", flush=True)
        if code:
            failed.append(name)
    if not args.keep and ("memory" in chosen or "scheduler_pass" in chosen):
        for target in targets("scheduler-100000"):
            drop_database(target)
    if chosen == list(ORDER):
        save("run", {"seconds": time.perf_counter() - started, "machine": machine()})
    banner("BENCHMARKS.md")
    report.main()
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
