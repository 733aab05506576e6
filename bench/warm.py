"""Figures 3 and 4: warm latency (one client, sequential) and throughput (8 client threads).

Kinds are interleaved in blocks (hello, /model, mention, rerun, API, hello, ...) so that load
from outside the benchmark falls on the baseline as much as on what is measured."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from bench.report import INFO, Row, verdict
from bench.servers import Server
from bench.stats import median_p99, ratio, summary
from bench.workload import KINDS, Kind, Target

TARGET_P99_RATIO = 3.0
RESET_EVERY = 100  # the stand-in scans a channel's messages for a thread; keep it short
LATENCY_BLOCKS = 10
THROUGHPUT_CHUNKS = 4
LATENCY_KINDS = {
    "command": "`/model`, 7 stocks, 10 rounds",
    "mention": "Mention answered in a thread",
    "rerun": "Thread rerun `rounds=12` with comparison",
    "api": "JSON API `run_model`",
}
THROUGHPUT_KINDS = {"command": "`/model`", "api": "JSON API"}
SERVER_OF = {
    "hello": "hello",
    "command": "slack_events",
    "mention": "slack_events",
    "rerun": "slack_events",
    "api": "run_model",
}
JOIN_SECONDS = 600.0


class Failures:
    """Non-200 answers, counted across threads."""

    def __init__(self) -> None:
        self.count = 0
        self.first: str | None = None
        self._lock = threading.Lock()

    def add(self, status: int, body: str) -> None:
        with self._lock:
            self.count += 1
            self.first = self.first or f"{status}: {body[:200]}"

    def check(self, what: str) -> None:
        if self.count:
            raise RuntimeError(f"{what}: {self.count} requests failed, first {self.first}")


def latency(target: Target, kind: Kind, count: int) -> list[float]:
    """Sequential requests from one client; seconds each."""
    failures, elapsed = Failures(), []
    for index in range(count):
        if index % RESET_EVERY == 0:
            target.standin.reset()
        sample = kind(target)
        if sample.status != 200:
            failures.add(sample.status, sample.body)
        elapsed.append(sample.elapsed)
    failures.check(kind.__name__)
    return elapsed


def interleaved_latency(
    target: Target, running: dict[str, Server], count: int
) -> tuple[dict[str, list[float]], dict[str, float]]:
    """Per kind: every request's seconds, and the server worker's CPU ms per request."""
    names = ["hello", *LATENCY_KINDS]
    blocks = min(LATENCY_BLOCKS, count)
    seconds: dict[str, list[float]] = {name: [] for name in names}
    cpu: dict[str, float] = dict.fromkeys(names, 0.0)
    for block in range(blocks):
        size = count // blocks + (1 if block < count % blocks else 0)
        for name in names:
            server = running[SERVER_OF[name]]
            before = server.worker_cpu_seconds()
            seconds[name] += latency(target, KINDS[name], size)
            cpu[name] += server.worker_cpu_seconds() - before
    return seconds, {name: round(cpu[name] * 1000 / count, 2) for name in names}


def latency_rows(target: Target, running: dict[str, Server], count: int) -> list[Row]:
    seconds, cpu = interleaved_latency(target, running, count)
    hello = summary(seconds["hello"])
    baseline = f"hello-world {median_p99(hello)}; CPU {cpu['hello']:.1f} ms"
    rows = []
    for name, label in LATENCY_KINDS.items():
        figures = summary(seconds[name])
        p99_ratio = ratio(figures["p99_ms"], hello["p99_ms"])
        targeted = name == "command"
        note = " (with its first run)" if name == "rerun" else ""
        rows.append(
            Row(
                3,
                f"Warm latency: {label} ({count} req; median / p99)",
                f"{median_p99(figures)}; server CPU {cpu[name]:.1f} ms{note}",
                baseline,
                p99_ratio,
                f"p99 ≤ {TARGET_P99_RATIO:g}x hello p99" if targeted else "—",
                verdict(p99_ratio is not None and p99_ratio <= TARGET_P99_RATIO)
                if targeted
                else INFO,
                {
                    "measured": figures,
                    "hello": hello,
                    "ratio_of": "p99",
                    "server_cpu_ms_per_request": cpu[name],
                    "hello_server_cpu_ms_per_request": cpu["hello"],
                },
            )
        )
    return rows


def concurrently(work: Callable[[], None], threads: int) -> float:
    """Run `work` on `threads` threads released together; wall-clock seconds until all end."""
    barrier = threading.Barrier(threads + 1)

    def body() -> None:
        barrier.wait()
        work()

    workers = [threading.Thread(target=body, daemon=True) for _ in range(threads)]
    for worker in workers:
        worker.start()
    barrier.wait()
    started = time.perf_counter()
    deadline = time.monotonic() + JOIN_SECONDS
    for worker in workers:
        worker.join(max(0.0, deadline - time.monotonic()))
    if any(worker.is_alive() for worker in workers):
        raise TimeoutError(f"client threads still running after {JOIN_SECONDS} s")
    return time.perf_counter() - started


def burst(target: Target, kind: Kind, total: int, threads: int) -> float:
    """Seconds for `total` requests shared among `threads` clients."""
    target.standin.reset()
    failures = Failures()
    remaining = iter(range(total))
    lock = threading.Lock()

    def work() -> None:
        while True:
            with lock:
                if next(remaining, None) is None:
                    return
            sample = kind(target)
            if sample.status != 200:
                failures.add(sample.status, sample.body)

    seconds = concurrently(work, threads)
    failures.check(kind.__name__)
    target.standin.reset()
    return seconds


def interleaved_throughput(target: Target, total: int, threads: int) -> dict[str, float]:
    """Requests per second per kind, over chunks taken in turn (hello, /model, API, ...)."""
    names = ["hello", *THROUGHPUT_KINDS]
    chunks = min(THROUGHPUT_CHUNKS, total)
    seconds = dict.fromkeys(names, 0.0)
    for chunk in range(chunks):
        size = total // chunks + (1 if chunk < total % chunks else 0)
        for name in names:
            seconds[name] += burst(target, KINDS[name], size, threads)
    return {name: total / seconds[name] for name in names}


def throughput_rows(target: Target, total: int, threads: int) -> list[Row]:
    rates = interleaved_throughput(target, total, threads)
    hello = rates["hello"]
    return [
        Row(
            4,
            f"Throughput: {label}, {threads} clients ({total} req)",
            f"{rates[name]:.0f} req/s",
            f"hello-world {hello:.0f} req/s",
            ratio(rates[name], hello),
            data={"requests_per_second": round(rates[name], 1), "hello": round(hello, 1)},
        )
        for name, label in THROUGHPUT_KINDS.items()
    ]
