"""Benchmark 1: /feedback through the HTTP adapter under load, beside a bare Bolt app.

Both apps run in the same server, taking turns for `--rounds` rounds in one run (each
comparison is taken within a round, and the run reports the medians), and get the same
signed `/feedback @person praise ...` requests (each with its own response URL on the
local Slack) from a separate load process (`bench.loadgen`), in two phases:

- closed loop: `--concurrency` clients send again as soon as answered, for `--seconds`:
  how many commands a second the server acknowledges;
- open loop: `--rate` commands a second, well under either app's capacity, for
  `--seconds`: how long the acknowledgement takes (p50, p99).

The bare app is Bolt with a listener that only acks. Sprout, when the people named are
in its directory, saves the record and answers in the ack's body; a command about
someone it never saw acks first, asks Slack (users.info), saves the record and answers
through the response URL. After each phase the benchmark waits (bounded)
until every acknowledged command's record is in the database, so the work behind the
acks is done, and counted, before the next phase.

Servers: gunicorn with Bolt's WSGI adapter as the Procfile runs it (2 workers, 8 threads;
Sprout on PostgreSQL when BENCH_POSTGRES_URL is set), and the threaded development
server (`python -m bot serve`; SQLite).

    python -m bench.slash [--seconds 8] [--concurrency 16] [--rate 50] [--rounds 3]
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import resource
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bench.common import (
    OUT,
    ROOT,
    Deadline,
    Target,
    banner,
    free_port,
    fresh_database,
    percentile,
    postgres_url,
    save,
    sqlite_target,
)
from bot.models import Feedback
from devtools import slack_requests as sr
from devtools.local_slack import LocalSlack

SECRET = "bench-signing-secret"
GIVERS = 10
ABOUT_EACH = 5
WARMUP = 200
POOL = 20_000  # prepared requests per app: more than either app answers in the time
GUNICORN = ["--workers", "2", "--threads", "8"]  # as the Procfile


def seed(slack: LocalSlack) -> list[tuple[str, str]]:
    """Managers and the people they give feedback about; (giver, about) pairs."""
    pairs = []
    for g in range(GIVERS):
        giver = f"UG{g:07d}"
        slack.add_user(giver, f"giver{g}", tz="Europe/Berlin")
        for a in range(ABOUT_EACH):
            about = f"UA{g:03d}{a:04d}"
            slack.add_user(about, f"person{g}x{a}", tz="America/New_York")
            pairs.append((giver, about))
    return pairs


def feedback_body(slack: LocalSlack, giver: str, about: str, i: int) -> bytes:
    """The form of one `/feedback @about praise ...` from `giver`, its own response URL."""
    return sr.command_body(
        command="/feedback",
        text=f"<@{about}|person> praise Clear write-up of the incident review, take {i}",
        user_id=giver,
        team_id=slack.team_id,
        channel_id="C0GENERAL",
        response_url=slack.new_response_url(),
        trigger_id=slack.new_trigger_id(),
    )


def prepare(
    slack: LocalSlack, port: int, pairs: list[tuple[str, str]], path: Path, count: int
) -> None:
    """Signed requests, one base64 line each; signed now, so good for five minutes."""
    timestamp = int(time.time())
    lines = []
    for i in range(count):
        giver, about = pairs[i % len(pairs)]
        body = feedback_body(slack, giver, about, i)
        headers = {
            "Host": f"127.0.0.1:{port}",
            "Content-Type": sr.FORM,
            "Content-Length": str(len(body)),
            **sr.sign(body, SECRET, timestamp),
            "Connection": "close",
        }
        head = "POST /slack/events HTTP/1.1\r\n" + "".join(
            f"{k}: {v}\r\n" for k, v in headers.items()
        )
        lines.append(base64.b64encode(head.encode() + b"\r\n" + body).decode())
    path.write_text("\n".join(lines) + "\n")


def start(server: str, app: str, port: int, env: dict[str, str], log: Path) -> subprocess.Popen:
    python = sys.executable
    if server == "gunicorn":
        entry = "bot.web:wsgi()" if app == "sprout" else "bench.bare_app:wsgi()"
        command = [python, "-m", "gunicorn", *GUNICORN, "--bind", f"127.0.0.1:{port}", entry]
    elif app == "sprout":
        command = [python, "-m", "bot", "serve", "--host", "127.0.0.1"]
    else:
        command = [python, "-m", "bench.bare_app", "--port", str(port)]
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
    deadline = Deadline(60)
    while not deadline.passed():
        if process.poll() is not None:
            raise RuntimeError(f"{server} ({app}) exited; see {log}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(b"GET /healthz HTTP/1.0\r\n\r\n")
                if sock.recv(16).startswith(b"HTTP/"):
                    return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"{server} ({app}) did not answer within 60 s; see {log}")


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGINT)  # gunicorn: quick shutdown; wsgiref: KeyboardInterrupt
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def records_in(url: str) -> int:
    from bot.db import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(Feedback)).scalar() or 0)
    finally:
        engine.dispose()


def load(
    port: int, requests_file: Path, out: Path, env: dict[str, str], **options: float
) -> dict[str, Any]:
    arguments = [f"--{k}={v}" for k, v in options.items()]
    subprocess.run(
        [sys.executable, "-m", "bench.loadgen", "--port", str(port), "--requests",
         str(requests_file), "--out", str(out), *arguments],
        cwd=ROOT, env=env, check=True, timeout=options.get("seconds", 10) + 120,
    )  # fmt: skip
    requests_file.unlink(missing_ok=True)
    return json.loads(out.read_text())


TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(root: int) -> float:
    """CPU time (user + system) of a process and its children, from /proc."""
    return sum(cpu for pid, ppid, _, cpu in _processes() if root in (pid, ppid))


def database_cpu_seconds() -> float:
    """CPU time of this machine's PostgreSQL server processes (0 when there are none)."""
    return sum(cpu for _, _, name, cpu in _processes() if name == "postgres")


def _processes() -> Iterator[tuple[int, int, str, float]]:
    """(pid, parent's pid, command name, CPU seconds) of every process, from /proc."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            head, tail = stat.read_text().rsplit(")", 1)
            fields = tail.split()
        except (OSError, ValueError):
            continue  # gone meanwhile
        name = head.split("(", 1)[1]
        cpu = (int(fields[11]) + int(fields[12])) / TICK
        yield int(stat.parent.name), int(fields[1]), name, cpu


def drained(url: str, acked: int) -> tuple[int, float]:
    """Wait (bounded) until `acked` records are in the database; (records, seconds)."""
    started = time.perf_counter()
    deadline = Deadline(60)
    written = records_in(url)
    while written < acked and not deadline.passed():
        time.sleep(0.1)
        written = records_in(url)
    return written, time.perf_counter() - started


def latencies_of(result: dict[str, Any]) -> list[float]:
    return [latency for _, latency, status in result["records"] if status == 200]


def run_one(
    server: str,
    app: str,
    target: Target,
    slack: LocalSlack,
    pairs: list[tuple[str, str]],
    seconds: float,
    concurrency: int,
    rate: float,
) -> dict[str, Any]:
    work = OUT / "slash"
    work.mkdir(parents=True, exist_ok=True)
    fresh_database(target).dispose()
    port = free_port()
    name = f"{server}-{app}"
    warm_file = work / f"{name}-warm.requests"
    closed_file, open_file = work / f"{name}-closed.requests", work / f"{name}-open.requests"
    prepare(slack, port, pairs, warm_file, WARMUP)
    prepare(slack, port, pairs, closed_file, POOL)
    prepare(slack, port, pairs, open_file, int(seconds * rate) + 10)
    slack.reset_records()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL"))},
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack.base_url,
        "DATABASE_URL": target.url,
        "PORT": str(port),
        "LOG_LEVEL": "INFO",
        "PYTHONPATH": str(ROOT),
    }
    process = start(server, app, port, env, work / f"{name}.log")
    figures: dict[str, Any] = {
        "server": server,
        "app": app,
        "database": target.label if app == "sprout" else None,
    }
    try:
        # First requests fill caches and pools, and each worker meets each person once
        # (a directory miss): a warm-up of their own, before the CPU is counted.
        warm = load(
            port, warm_file, work / f"{name}-warm.json", env,
            concurrency=concurrency, seconds=0, warmup=WARMUP,
        )  # fmt: skip
        # How much it can do: `concurrency` clients, each sending again as soon as answered.
        server_cpu, database_cpu = cpu_seconds(process.pid), database_cpu_seconds()
        own_cpu = resource.getrusage(resource.RUSAGE_SELF)
        closed = load(
            port, closed_file, work / f"{name}-closed.json", env,
            concurrency=concurrency, seconds=seconds, warmup=0,
        )  # fmt: skip
        # Where the CPU went during the closed loop (after the warm-up): the app server, the
        # local Slack (this process), the load generator and this machine's PostgreSQL.
        own = resource.getrusage(resource.RUSAGE_SELF)
        figures["cpu_seconds"] = {
            "server": cpu_seconds(process.pid) - server_cpu,
            "local_slack": own.ru_utime + own.ru_stime - own_cpu.ru_utime - own_cpu.ru_stime,
            "load_generator": closed["cpu_seconds"],
            "database": database_cpu_seconds() - database_cpu,
        }
        acked = warm["warmup_ok"] + len(latencies_of(closed))
        in_ack = warm["replies_in_ack"] + closed["replies_in_ack"]
        if app == "sprout":
            written, drain = drained(target.url, acked)
            figures |= {"closed_records": written, "closed_drain_seconds": drain}
        # How long a request takes at a steady `rate` a second, well under capacity.
        opened = load(
            port, open_file, work / f"{name}-open.json", env,
            rate=rate, seconds=seconds, warmup=0,
        )  # fmt: skip
        acked += len(latencies_of(opened))
        in_ack += opened["replies_in_ack"]
        if app == "sprout":
            written, drain = drained(target.url, acked)
            figures |= {"records_written": written, "drain_seconds": drain}
    finally:
        stop(process)
    closed_ok, open_ok = latencies_of(closed), latencies_of(opened)
    figures |= {
        "concurrency": concurrency,
        "rate": rate,
        "seconds": closed["wall_seconds"],
        "throughput": len(closed_ok) / closed["wall_seconds"],
        "closed_p50_ms": percentile(closed_ok, 0.50) * 1000,
        "closed_p99_ms": percentile(closed_ok, 0.99) * 1000,
        "exhausted": closed["exhausted"],
        "open_requests": len(opened["records"]),
        "p50_ms": percentile(open_ok, 0.50) * 1000,
        "p90_ms": percentile(open_ok, 0.90) * 1000,
        "p99_ms": percentile(open_ok, 0.99) * 1000,
        "max_ms": max(open_ok) * 1000 if open_ok else None,
        "errors": len(closed["records"]) - len(closed_ok) + len(opened["records"]) - len(open_ok),
        "acked_total": acked,
        "warmup_acks": warm["warmup_ok"],
        "closed_acks": len(closed_ok),
    }
    figures["cpu_ms_per_ack"] = {
        k: v * 1000 / max(1, figures["closed_acks"]) for k, v in figures["cpu_seconds"].items()
    }
    if app == "sprout":
        figures["responses_posted"] = len(slack.responses)
        figures["replies_in_ack"] = in_ack
    print(
        f"  {server:8} {app:6} {figures['throughput']:7.1f} acks/s"
        f" (p50 {figures['closed_p50_ms']:.0f} ms);"
        f" at {rate:.0f}/s p50 {figures['p50_ms']:5.1f} ms p99 {figures['p99_ms']:6.1f} ms;"
        f" errors {figures['errors']}"
        + (
            f"; records {figures['records_written']}/{acked}, replies"
            f" {figures['replies_in_ack']} in the ack + {figures['responses_posted']} posted"
            if app == "sprout"
            else ""
        ),
        flush=True,
    )
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="per phase and app")
    parser.add_argument("--concurrency", type=int, default=16, help="closed-loop clients")
    parser.add_argument("--rate", type=float, default=50.0, help="open-loop requests a second")
    parser.add_argument("--servers", default="gunicorn,threaded")
    parser.add_argument(
        "--rounds", type=int, default=3, help="bare then Sprout, this many times per server"
    )
    args = parser.parse_args(argv)
    pg = postgres_url()
    runs = []
    with LocalSlack(team_id="T0SLASH01", team_name="Slash") as slack:
        pairs = seed(slack)
        for server in args.servers.split(","):
            if server == "gunicorn" and pg:
                target = Target("postgresql", pg)
            else:
                target = sqlite_target(f"slash-{server}")
            banner(f"/feedback on {server} ({target.label} for Sprout)")
            options = (args.seconds, args.concurrency, args.rate)
            # The two apps take turns, so a machine that slows down or speeds up during
            # the run weighs on both alike; each ratio is taken within a round.
            for round_ in range(1, args.rounds + 1):
                for app in ("bare", "sprout"):
                    figures = run_one(server, app, target, slack, pairs, *options)
                    runs.append({**figures, "round": round_})
    ratios = {}
    for server in args.servers.split(","):
        ratios[server] = {
            name: statistics.median(
                ratio(runs, server, round_, name) for round_ in range(1, args.rounds + 1)
            )
            for name in ("throughput", "p50", "p99")
        }
        print(
            f"  {server}: bare/Sprout throughput {ratios[server]['throughput']:.2f}x,"
            f" Sprout/bare p50 {ratios[server]['p50']:.2f}x, p99 {ratios[server]['p99']:.2f}x"
            f" (medians of {args.rounds} rounds)"
        )
    save(
        "slash",
        {
            "gunicorn_args": GUNICORN,
            "rate": args.rate,
            "rounds": args.rounds,
            "runs": runs,
            "ratios": ratios,
        },
    )
    return 0


def ratio(runs: list[dict[str, Any]], server: str, round_: int, name: str) -> float:
    """One round's comparison: bare ÷ Sprout throughput, or Sprout ÷ bare latency."""
    bare, sprout = (
        next(r for r in runs if (r["server"], r["app"], r["round"]) == (server, app, round_))
        for app in ("bare", "sprout")
    )
    if name == "throughput":
        return bare["throughput"] / sprout["throughput"]
    return sprout[f"{name}_ms"] / bare[f"{name}_ms"]


if __name__ == "__main__":
    raise SystemExit(main())
