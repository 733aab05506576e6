"""Figure 6: resident memory of the servers after start-up, after a warm-up, and after 10,000
requests (the latency and throughput phases count, topped up with a mix)."""

from __future__ import annotations

import time

from bench.report import Row, verdict
from bench.servers import Server
from bench.warm import Failures, concurrently
from bench.workload import SLACK_REQUESTS, Target, api, command, mention, rerun

TARGET_GROWTH_MB = 5.0
MIX_THREADS = 4
CYCLES_PER_ROUND = 10  # per thread; the stand-in is reset between rounds
SETTLE_SECONDS = 0.5
WARM_UP_SLACK_REQUESTS = 200
CYCLE = (command, mention, rerun, api)
CYCLE_SLACK_REQUESTS = sum(SLACK_REQUESTS[kind.__name__] for kind in CYCLE)


def snapshot(servers: dict[str, Server]) -> dict[str, dict[str, int | None]]:
    time.sleep(SETTLE_SECONDS)
    return {name: server.rss_kb() for name, server in servers.items()}


def mixed(target: Target, slack_requests: int, threads: int = MIX_THREADS) -> None:
    """Cycles of command, mention, rerun (2 requests) and API call, on `threads` clients."""
    cycles = -(-slack_requests // CYCLE_SLACK_REQUESTS)
    failures = Failures()
    while cycles > 0:
        per_thread = min(CYCLES_PER_ROUND, -(-cycles // threads))
        target.standin.reset()
        concurrently(lambda n=per_thread: _cycles(target, n, failures), threads)
        cycles -= per_thread * threads
    target.standin.reset()
    failures.check("mixed requests")


def _cycles(target: Target, count: int, failures: Failures) -> None:
    for _ in range(count):
        for kind in CYCLE:
            sample = kind(target)
            if sample.status != 200:
                failures.add(sample.status, sample.body)


def warm_up(target: Target) -> None:
    """Lazy imports, the Bolt app, and gunicorn's threads (8), before the first reading."""
    mixed(target, WARM_UP_SLACK_REQUESTS, threads=8)


def top_up(target: Target, sent_since_warm: int, wanted: int) -> None:
    if sent_since_warm < wanted:
        mixed(target, wanted - sent_since_warm)


def _mb(kb: int | None) -> float:
    return (kb or 0) / 1024.0


def server_row(name: str, readings: dict, requests: int, hello_kb: int | None) -> Row:
    start, warm, end = (readings[stage][name] for stage in ("startup", "warm", "end"))
    growth = _mb(end["worker"]) - _mb(warm["worker"])
    master_growth = _mb(end["master"]) - _mb(warm["master"])
    return Row(
        6,
        f"Memory: `{name}` worker RSS, start-up → warm → after {requests:,} requests",
        f"{_mb(start['worker']):.1f} → {_mb(warm['worker']):.1f} → {_mb(end['worker']):.1f} MB "
        f"(+{growth:.1f}; master {_mb(warm['master']):.1f} → {_mb(end['master']):.1f})",
        f"hello-world worker {_mb(hello_kb):.1f} MB",
        round(_mb(end["worker"]) / _mb(hello_kb), 2) if hello_kb else None,
        f"growth < {TARGET_GROWTH_MB:g} MB (warm → end)",
        verdict(growth < TARGET_GROWTH_MB and master_growth < TARGET_GROWTH_MB),
        {
            "rss_kb": {stage: readings[stage][name] for stage in ("startup", "warm", "end")},
            "requests_after_warm": requests,
            "growth_mb": round(growth, 2),
            "master_growth_mb": round(master_growth, 2),
        },
    )


def rows(readings: dict, requests: dict[str, int]) -> list[Row]:
    hello_kb = readings["end"]["hello"]["worker"]
    return [
        server_row("slack_events", readings, requests["slack_events"], hello_kb),
        server_row("run_model", readings, requests["run_model"], hello_kb),
    ]
