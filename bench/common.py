"""What the benchmarks share: databases to run on, counting statements, timing, results.

Results go to `bench-out/results/<name>.json`; `python -m bench.report` turns the latest
ones into the tables of BENCHMARKS.md.
"""

from __future__ import annotations

import json
import math
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, text

from bot.db import make_engine, upgrade

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench-out"
RESULTS = OUT / "results"
POSTGRES_ENV = "BENCH_POSTGRES_URL"


# --- databases ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """One database a benchmark runs on: SQLite in a file under bench-out/, or PostgreSQL."""

    backend: str  # sqlite | postgresql
    url: str

    @property
    def label(self) -> str:
        return "SQLite" if self.backend == "sqlite" else "PostgreSQL"


def postgres_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


def targets(name: str) -> list[Target]:
    """SQLite always; PostgreSQL when BENCH_POSTGRES_URL names a database we may wipe."""
    found = [sqlite_target(name)]
    url = postgres_url()
    if url:
        found.append(Target("postgresql", url))
    else:
        print(f"  (PostgreSQL skipped: set {POSTGRES_ENV} to a database the benchmarks may wipe)")
    return found


def sqlite_target(name: str) -> Target:
    path = OUT / "db" / f"{name}.db"
    return Target("sqlite", f"sqlite:///{path}")


def fresh_database(target: Target) -> Engine:
    """Empty the target (delete the file, or drop the public schema) and migrate it."""
    if target.backend == "sqlite":
        Path(target.url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    drop_database(target)
    engine = make_engine(target.url)
    upgrade(engine)
    return engine


def drop_database(target: Target) -> None:
    """Give the space back (SQLite files of 100k members are a few GB)."""
    if target.backend == "sqlite":
        path = Path(target.url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        engine = make_engine(target.url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()


# --- counting statements --------------------------------------------------------------------

_NOT_COUNTED = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "PRAGMA")


class Statements:
    """Counts the SQL statements an engine sends (transaction control not included).

    An executemany counts once: it is one round of the driver, as SQLAlchemy sees it.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.count = 0
        self.kinds: Counter[str] = Counter()
        self.samples: Counter[str] = Counter()
        self.keep_samples = False

    def _on_execute(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        word = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else ""
        if word in _NOT_COUNTED:
            return
        self.count += 1
        self.kinds[word] += 1
        if self.keep_samples:
            self.samples[" ".join(statement.split())[:160]] += 1

    def __enter__(self) -> Statements:
        event.listen(self.engine, "before_cursor_execute", self._on_execute)
        return self

    def __exit__(self, *exc: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._on_execute)

    def take(self) -> int:
        """The count so far, starting again from zero."""
        count, self.count = self.count, 0
        return count


# --- numbers --------------------------------------------------------------------------------


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (share in 0..1) of a non-empty sequence."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else math.nan


class Deadline:
    """A time bound for a loop: `while deadline.left(): ...`."""

    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        return max(0.0, self.end - time.monotonic())

    def passed(self) -> bool:
        return time.monotonic() >= self.end


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def stopwatch() -> Iterator[list[float]]:
    """`with stopwatch() as elapsed: ...` then `elapsed[0]` is the seconds taken."""
    box: list[float] = []
    started = time.perf_counter()
    try:
        yield box
    finally:
        box.append(time.perf_counter() - started)


# --- results --------------------------------------------------------------------------------


def save(name: str, data: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    payload = {"name": name, "finished_at": datetime.now(UTC).isoformat(), **data}
    path.write_text(json.dumps(payload, indent=2, default=str) + "\n")
    print(f"  -> {path.relative_to(ROOT)}")
    return path


def load(name: str) -> dict[str, Any] | None:
    path = RESULTS / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    info: dict[str, Any] = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cores": os.cpu_count(),
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
                break
    except OSError:
        pass
    import sqlite3

    import slack_bolt
    import slack_sdk
    import sqlalchemy

    info["sqlite"] = sqlite3.sqlite_version
    info["sqlalchemy"] = sqlalchemy.__version__
    info["slack_bolt"] = slack_bolt.version.__version__
    info["slack_sdk"] = slack_sdk.version.__version__
    url = postgres_url()
    if url:
        try:
            engine = make_engine(url)
            with engine.connect() as conn:
                info["postgresql"] = conn.execute(text("SHOW server_version")).scalar()
            engine.dispose()
        except Exception as error:  # noqa: BLE001 - only informative
            info["postgresql"] = f"unreachable: {error}"
    try:
        info["gunicorn"] = (
            subprocess.run(
                [sys.executable, "-m", "gunicorn", "--version"],
                capture_output=True,
                text=True,
                timeout=30,
            ).stdout.strip()
            or "?"
        )
    except (OSError, subprocess.SubprocessError):
        info["gunicorn"] = "?"
    return info


def rss_peak_mib() -> float:
    """This process's peak resident set size (VmHWM), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_now_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return math.nan


def banner(text_: str) -> None:
    print(f"\n== {text_}", flush=True)
