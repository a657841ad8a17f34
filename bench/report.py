"""Writes the latest results (bench-out/results/*.json) into BENCHMARKS.md.

Only the parts between `<!-- results:NAME -->` and `<!-- /results:NAME -->` are
replaced; the text around them is written by hand. A benchmark without results leaves
its part as it was.

    python -m bench.report
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable
from typing import Any

from bench.common import ROOT, load

DOCUMENT = ROOT / "BENCHMARKS.md"


def _ms(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def _table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def machine(data: dict[str, Any]) -> str:
    info = data["machine"]
    lines = [
        f"- Run finished {data['finished_at'][:16].replace('T', ' ')} UTC;"
        f" `make bench` took {data['seconds'] / 60:.1f} minutes.",
        f"- {info.get('cpu', 'CPU unknown')}, {info.get('cores')} cores,"
        f" {info.get('memory_gib')} GiB; {info.get('platform')}.",
        f"- Python {info.get('python')}, SQLite {info.get('sqlite')},"
        f" PostgreSQL {info.get('postgresql', 'not run')} (local, default settings),"
        f" SQLAlchemy {info.get('sqlalchemy')}, slack-bolt {info.get('slack_bolt')},"
        f" slack-sdk {info.get('slack_sdk')}, {info.get('gunicorn')}.",
    ]
    return "\n".join(lines)


def slash(data: dict[str, Any]) -> str:
    rows = []
    for r in data["runs"]:
        work = (
            f"{r['records_written']:,} / {r['acked_total']:,};"
            f" {r.get('replies_in_ack', 0):,} + {r['responses_posted']:,}"
            if r["app"] == "sprout"
            else "–"
        )
        rows.append(
            [
                r["server"],
                str(r.get("round", 1)),
                "Sprout" if r["app"] == "sprout" else "bare Bolt (ack only)",
                r["database"] or "–",
                _ms(r["throughput"]),
                f"{_ms(r['closed_p50_ms'])} / {_ms(r['closed_p99_ms'])}",
                f"{_ms(r['p50_ms'])} / {_ms(r['p99_ms'])}",
                r["errors"],
                work,
                " / ".join(
                    f"{r['cpu_ms_per_ack'].get(k, 0):.2f}"
                    for k in ("server", "database", "local_slack", "load_generator")
                )
                if "cpu_ms_per_ack" in r
                else "–",
            ]
        )
    first = data["runs"][0]
    table = _table(
        [
            "server",
            "round",
            "app",
            "database",
            f"acks/s, {first['concurrency']} clients",
            "p50 / p99 ms there",
            f"p50 / p99 ms at {first['rate']:.0f}/s",
            "errors",
            "records / acks; replies in the ack + posted",
            "CPU ms per ack: server / PostgreSQL / local Slack / client",
        ],
        rows,
    )
    ratios = "; ".join(
        f"**{server}**: bare ÷ Sprout throughput **{r['throughput']:.2f}×**,"
        f" Sprout ÷ bare latency at {first['rate']:.0f}/s: p50 **{r['p50']:.2f}×**,"
        f" p99 **{r['p99']:.2f}×**"
        for server, r in data["ratios"].items()
    )
    rounds = data.get("rounds", 1)
    how = f"medians of {rounds} rounds, each ratio within its round" if rounds > 1 else "same run"
    return (
        f"Each phase {first['seconds']:.0f} s per app; the two apps take turns,"
        f" {rounds} round(s) per server.\n\n{table}\n\nRatios, {how}: {ratios}."
        + slash_targets(data)
    )


def slash_targets(data: dict[str, Any]) -> str:
    """Issue 17's targets for `/feedback`, each beside its limit, per server: the median
    of the rounds' figures, each round's Sprout against that round's bare app, and the
    range beside it."""
    rows = []
    for server in data["ratios"]:
        rounds = sorted({r.get("round", 1) for r in data["runs"] if r["server"] == server})
        pairs = [
            tuple(
                next(
                    r
                    for r in data["runs"]
                    if (r["server"], r["app"], r.get("round", 1)) == (server, app, round_)
                )
                for app in ("bare", "sprout")
            )
            for round_ in rounds
        ]
        if any("cpu_ms_per_ack" not in sprout for _, sprout in pairs):
            continue
        cpu = [s["cpu_ms_per_ack"]["server"] / b["cpu_ms_per_ack"]["server"] for b, s in pairs]
        share = [s["throughput"] / b["throughput"] for b, s in pairs]
        p99 = [s["closed_p99_ms"] for _, s in pairs]
        p50_open = [s["p50_ms"] / b["p50_ms"] for b, s in pairs]
        p99_open = [s["p99_ms"] / b["p99_ms"] for b, s in pairs]
        rows.append(
            [
                f"{server} ({pairs[0][1]['database']})",
                f"{_median_of(cpu, '{:.2f}×')} (≤ 3×)",
                f"{_median_of(share, '{:.2f}×')} (≥ 0.33×)",
                f"{_median_of(p99, '{:,.0f} ms')} (< 150 ms)",
                f"{statistics.median(p50_open):.2f}× / {statistics.median(p99_open):.2f}× (≈ 1×)",
            ]
        )
    if not rows:
        return ""
    table = _table(
        [
            "server",
            "server CPU per ack, Sprout ÷ bare",
            "throughput, Sprout ÷ bare",
            f"Sprout p99 at {data['runs'][0]['concurrency']} clients",
            f"p50 / p99 at {data['runs'][0]['rate']:.0f}/s, Sprout ÷ bare",
        ],
        rows,
    )
    return (
        "\n\nIssue 17's targets, each beside its limit (median of the rounds, range in"
        f" brackets):\n\n{table}"
    )


def _median_of(values: list[float], style: str) -> str:
    """The median, and the range when there are several."""
    median = style.format(statistics.median(values))
    if len(values) < 2:
        return median
    return f"{median} [{style.format(min(values))}-{style.format(max(values))}]"


def scheduler(data: dict[str, Any]) -> str:
    rows = []
    for r in data["results"]:
        s = r["summary"]
        rows.append(
            [
                "SQLite" if r["backend"] == "sqlite" else "PostgreSQL",
                f"{r['members']:,}",
                f"{r['history_rows'] / 1e6:.1f} M",
                f"{_ms(s['idle_ms'])} ms / {s['idle_statements']:.0f}",
                f"{s['due_messages']:.0f}",
                f"{_ms(s['due_ms'], 0)} ({_ms(s['due_plan_ms'], 0)} + {_ms(s['due_send_ms'], 0)})",
                f"{s['due_plan_statements']:,.0f} + {s['due_send_statements']:,.0f}",
                _ms(s["ms_per_message"], 2),
            ]
        )
    largest = max(data["results"], key=lambda r: r["members"])
    volumes = ", ".join(f"{table} {count:,}" for table, count in largest["rows"].items())
    armed = largest["armed"]
    note = (
        f"\n\nAt {largest['members']:,} members the tables hold: {volumes}. A due pass there"
        f" has {armed['checkins']:,} check-ins, {armed['managers']:,} managers' digests and"
        f" summaries and {armed['events']:,} fresh coaching events to act on."
    )
    return (
        _table(
            [
                "database",
                "members",
                "rows of history",
                "nothing due: ms / statements",
                "~1% due: messages",
                "ms (plan + send)",
                "statements (plan + send)",
                "ms per message",
            ],
            rows,
        )
        + note
    )


def summaries(data: dict[str, Any]) -> str:
    rows = []
    for r in data["results"]:
        rows.append(
            [
                "SQLite" if r["backend"] == "sqlite" else "PostgreSQL",
                f"{r['history_weeks']} weeks",
                f"{r['history_rows'] / 1e6:.1f} M",
                f"{r['summaries_planned']:,}",
                _ms(r["plan_ms_per_manager"], 2),
                _ms(r["plan_statements_per_manager"], 1),
                f"{_ms(r['compute_ms_p50'], 2)} / {_ms(r['compute_ms_p99'], 2)}",
                f"{r['compute_statements_min']}–{r['compute_statements_max']}",
            ]
        )
    return _table(
        [
            "database",
            "history",
            "rows",
            "summaries",
            "pass: ms per manager",
            "statements per manager",
            "compute alone: p50 / p99 ms",
            "statements (min–max)",
        ],
        rows,
    )


# Issue 17's limits on elapsed ÷ least, by the number of schedulers sending at once.
DELIVERY_LIMIT = {1: 1.05, 2: 1.15}


def delivery(data: dict[str, Any]) -> str:
    limits = data["limits"]
    rows = []
    for r in data["runs"]:
        rows.append(
            [
                r["schedulers"],
                f"{r['messages']:,}",
                f"{r['recipients']:,}",
                _ms(r["elapsed_seconds"]),
                _ms(r["least_seconds"]),
                f"{r['ratio']:.2f}× (≤ {DELIVERY_LIMIT.get(r['schedulers'], 1.15):.2f}×)",
                r["rate_limited"],
                r["duplicates"],
                r["losses"],
                ", ".join(f"{k} {v}" for k, v in sorted(r["outbox"].items())),
            ]
        )
    table = _table(
        [
            "schedulers",
            "DMs",
            "recipients",
            "elapsed s",
            "least the limits allow, s",
            "elapsed ÷ least (limit)",
            "429s",
            "duplicates",
            "losses",
            "outbox after",
        ],
        rows,
    )
    return (
        f"Limits on chat.postMessage: {limits['channel_per_minute']}/min per channel "
        f"(burst {limits['channel_burst']}) and {limits['workspace_per_minute']}/min for the "
        f"workspace (burst {limits['workspace_burst']}), that is Slack's "
        f"{limits['slack_workspace_per_minute']}/min run {limits['scale']}× faster.\n\n{table}"
    )


def _per_pass(values: list[Any], form: str) -> str:
    """A few passes one by one; many as their count, total and largest."""
    if len(values) <= 3:
        return " + ".join(form.format(v) for v in values)
    return (
        f"{len(values)} passes: {form.format(sum(values))} in all,"
        f" at most {form.format(max(values))}"
    )


def memory(data: dict[str, Any]) -> str:
    rows = [
        [
            "SQLite" if r["backend"] == "sqlite" else "PostgreSQL",
            f"{r['members']:,}",
            "everyone at once" if r.get("due") == "everyone" else "~1%, twice",
            _ms(r["after_imports_mib"], 0),
            _ms(r["after_services_mib"], 0),
            _ms(r["peak_mib"], 0) + (" (< 150)" if r.get("due") == "everyone" else ""),
            _per_pass(r.get("planned", [])[1:], "{:,}"),
            _per_pass(r["sent"][1:], "{:,}"),
            _per_pass(r.get("pass_seconds", []), "{:.1f}"),
        ]
        for r in data["results"]
    ]
    return _table(
        [
            "database",
            "members",
            "due",
            "RSS after imports, MiB",
            "after building services",
            "peak after the passes (limit, everyone at once)",
            "planned per pass",
            "sent per pass",
            "pass seconds",
        ],
        rows,
    )


def one_zone(data: dict[str, Any]) -> str:
    rows = [
        [
            f"{r['members']:,}",
            f"{r['checkins']:,} + {r['messages'] - r['checkins']:,}",
            _ms(r["last_checkin_seconds"], 0),
            _ms(r["least_seconds"], 0),
            f"{r['ratio']:.2f}× (≤ 1.05×)" if r.get("ratio") else "–",
            " / ".join(_ms(r[f"checkin_{p}_seconds"], 0) for p in ("p50", "p90", "p99")),
            f"{r['checkins_after_first_other']:,} (0)",
            f"{r['rate_limited']:,}",
            f"{r['passes']:,}",
            f"{r['peak_rss_mib']:.0f}",
            f"{r['wall_seconds']:.0f}",
        ]
        for r in data["runs"]
    ]
    return _table(
        [
            "members",
            "check-ins + digests and summaries",
            "last check-in sent, s",
            "least the limits allow, s",
            "ratio (target)",
            "check-ins sent after p50 / p90 / p99 s",
            "check-ins after the first summary or digest",
            "429s",
            "passes",
            "peak RSS MiB, bench process with the local Slack (section 5 has the scheduler's)",
            "real seconds",
        ],
        rows,
    )


SECTIONS: dict[str, tuple[str, Callable[[dict[str, Any]], str]]] = {
    "machine": ("run", machine),
    "slash": ("slash", slash),
    "scheduler": ("scheduler_pass", scheduler),
    "summaries": ("summaries", summaries),
    "delivery": ("delivery", delivery),
    "memory": ("memory", memory),
    "one_zone": ("one_zone", one_zone),
}


def update(text: str) -> str:
    for section, (result, render) in SECTIONS.items():
        data = load(result)
        if data is None:
            continue
        pattern = re.compile(
            rf"(<!-- results:{section} -->\n).*?(\n<!-- /results:{section} -->)", re.DOTALL
        )
        body = render(data)
        text = pattern.sub(lambda m, body=body: m.group(1) + body + m.group(2), text)
    return text


def main() -> int:
    DOCUMENT.write_text(update(DOCUMENT.read_text()))
    print(f"  -> {DOCUMENT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
