"""A small HTTP load generator, run as its own process.

It reads prepared requests (raw HTTP bytes, each used once, one connection each with
`Connection: close`) and, after `--warmup` requests that are only counted, for
`--seconds` either keeps `--concurrency` requests in flight (closed loop: how much can
the server do?) or, with `--rate`, starts that many requests a second whatever the
server does (open loop: how long does a request take at a given load?). In the open
loop a latency counts from when the request was due to start, so a client that falls
behind does not hide the wait. Each recorded request's start, latency and status go to
a JSON file.

Sending prepared bytes over a plain socket keeps the client's own cost per request
small, so the server is what is measured.

    python -m bench.loadgen --port P --requests FILE --out FILE [--concurrency 16] ...
"""

from __future__ import annotations

import argparse
import base64
import itertools
import json
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

IN_ACK = b'"response_type"'  # the ack's body holds the reply itself
in_ack = itertools.count()  # next(in_ack) once per such answer; read at the end


def one(port: int, raw: bytes, timeout: float) -> tuple[float, int]:
    """Send one request; (seconds until the whole answer was read, HTTP status)."""
    started = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(raw)
        chunks = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    elapsed = time.perf_counter() - started
    answer = b"".join(chunks)
    if IN_ACK in answer:
        next(in_ack)
    head = answer[:16]
    status = int(head.split()[1]) if head.startswith(b"HTTP/") else 0
    return elapsed, status


def main() -> int:
    parser = argparse.ArgumentParser(description="closed-loop load from prepared requests")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--requests", type=Path, required=True, help="one base64 request a line")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--rate", type=float, default=0.0, help="requests a second (open loop)")
    args = parser.parse_args()
    prepared = [base64.b64decode(line) for line in args.requests.read_text().split()]
    warm = prepared[: args.warmup]
    measured = prepared[args.warmup :]

    # Warm-up: a few at a time, only counted (first requests fill caches and pools).
    warm_ok: list[int] = []

    warm_errors: list[str] = []

    def warm_one(raw: bytes) -> None:
        try:
            status = one(args.port, raw, args.timeout)[1]
        except OSError as error:
            status, reason = 0, repr(error)
        else:
            reason = f"HTTP {status}"
        warm_ok.append(status == 200)
        if status != 200:
            warm_errors.append(reason)

    # The very first request goes alone: it is the one that creates the workspace's row,
    # and concurrent first requests race there (a known bug, see BENCHMARKS.md).
    if warm:
        warm_one(warm[0])
    for batch_start in range(1, len(warm), 4):
        threads = [
            threading.Thread(target=warm_one, args=(raw,))
            for raw in warm[batch_start : batch_start + 4]
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    records: list[tuple[float, float, int]] = []
    lock = threading.Lock()
    next_index = itertools.count()
    begin = time.perf_counter()
    stop_at = begin + args.seconds

    def worker() -> None:
        while time.perf_counter() < stop_at:
            index = next(next_index)
            if index >= len(measured):
                return
            started = time.perf_counter() - begin
            try:
                latency, status = one(args.port, measured[index], args.timeout)
            except OSError:
                latency, status = time.perf_counter() - begin - started, 0
            with lock:
                records.append((started, latency, status))

    def timed(index: int, due: float) -> None:
        try:
            _, status = one(args.port, measured[index], args.timeout)
        except OSError:
            status = 0
        with lock:
            records.append((due, time.perf_counter() - begin - due, status))

    if args.rate > 0:
        with ThreadPoolExecutor(max_workers=64) as pool:
            for index in range(min(len(measured), int(args.seconds * args.rate))):
                due = index / args.rate
                time.sleep(max(0.0, begin + due - time.perf_counter()))
                pool.submit(timed, index, due)
    else:
        threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    wall = time.perf_counter() - begin
    args.out.write_text(
        json.dumps(
            {
                "concurrency": args.concurrency,
                "rate": args.rate,
                "wall_seconds": wall,
                "cpu_seconds": time.process_time(),  # the whole process, warm-up included
                "exhausted": len(records) >= len(measured),
                "warmup_ok": sum(warm_ok),
                "warmup_errors": warm_errors,
                "records": records,
                "replies_in_ack": next(in_ack),
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
