"""Figures 3 and 4: warm journeys (one client, sequential, Slack at a distance) and throughput
(8 client threads).

Journeys are interleaved in batches (hello, /model, mention, ..., hello, ...) so that load from
outside the benchmark falls on the baseline as much as on what is measured. A batch first sets
every scene (untimed), then times the requests, so the server's CPU is only theirs."""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bench.journeys import HELLO, HELLO_WAITING, JOURNEYS, TARGETS_ROUND_TRIP_MS, Journey
from bench.report import INFO, MISS, PASS, Row
from bench.servers import Server
from bench.stats import median_p99, ratio, summary
from bench.workload import KINDS, Kind, Target
from slack_standin.service import RESPONSE_URL_ROUTE, UPLOAD_ROUTE

# Scenes per batch; the stand-in is reset before each, so its channel stays short. A journey's
# CPU per request is the median over its batches: a batch that other work on the machine slowed
# (caches, frequency) moves it less than a mean would.
BATCH = 20
TARGET_CONNECTIONS_PER_100 = 2.0
THROUGHPUT_CHUNKS = 4
THROUGHPUT_KINDS = {"command": "`/model`", "api": "JSON API"}
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


@dataclass(frozen=True)
class Calls:
    """What one request asked of Slack: Web API methods, file uploads (the bytes' own POST to
    the upload URL a Web API call gave) and response_url posts, each counted apart."""

    web_api: int
    uploads: int
    response_urls: int

    @classmethod
    def of(cls, methods: list[str]) -> Calls:
        uploads, posts = methods.count(UPLOAD_ROUTE), methods.count(RESPONSE_URL_ROUTE)
        return cls(len(methods) - uploads - posts, uploads, posts)

    def text(self) -> str:
        parts = [_counted(self.web_api, "Web API call")]
        parts += [_counted(self.uploads, "file upload")] if self.uploads else []
        parts += [_counted(self.response_urls, "response_url post")] if self.response_urls else []
        return " + ".join(parts)


def _counted(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


@dataclass
class Tally:
    """One journey's measurements, summed over its batches."""

    seconds: list[float] = field(default_factory=list)  # each timed request's round trip
    calls: list[Calls] = field(default_factory=list)  # what each timed request asked of Slack
    batch_cpu_ms: list[float] = field(default_factory=list)  # per timed request, each batch
    bot_requests: int = 0  # scenes' and timed requests to the bot
    connections: int = 0  # new connections the stand-in accepted, scenes' included

    def cpu_ms(self) -> float:
        """The server worker's CPU per timed request: the median over batches."""
        return statistics.median(self.batch_cpu_ms)

    def connections_per_100(self) -> float:
        return self.connections * 100 / self.bot_requests if self.bot_requests else 0.0


def batch(target: Target, journey: Journey, server: Server, size: int, tally: Tally) -> None:
    standin = target.standin
    standin.reset()
    opened = standin.traffic().connections
    scenes = [journey.prepare(target) for _ in range(size)]
    failures = Failures()
    cpu = server.worker_cpu_seconds()
    for scene in scenes:
        before = len(standin.methods())
        sample = journey.act(target, scene)
        tally.calls.append(Calls.of(standin.methods()[before:]))
        tally.seconds.append(sample.elapsed)
        if sample.status != 200:
            failures.add(sample.status, sample.body)
    tally.batch_cpu_ms.append((server.worker_cpu_seconds() - cpu) * 1000 / size)
    tally.connections += standin.traffic().connections - opened
    tally.bot_requests += size * (journey.prepare_requests + 1)
    failures.check(journey.name)


def measure(target: Target, running: dict[str, Server], count: int) -> dict[str, Tally]:
    """`count` timed requests of every journey and of the hello-world, in interleaved batches."""
    journeys = [HELLO, HELLO_WAITING, *JOURNEYS]
    tallies = {journey.name: Tally() for journey in journeys}
    done = 0
    while done < count:
        size = min(BATCH, count - done)
        for journey in journeys:
            batch(target, journey, running[journey.server], size, tallies[journey.name])
        done += size
    return tallies


def journey_rows(
    target: Target, running: dict[str, Server], count: int, round_trip_ms: float
) -> list[Row]:
    tallies = measure(target, running, count)
    hello = tallies[HELLO.name]
    hello_figures = summary(hello.seconds)
    baseline = f"hello-world: CPU {hello.cpu_ms():.2f} ms · answer {median_p99(hello_figures)}"
    rows = [
        journey_row(journey, tallies[journey.name], hello, baseline, round_trip_ms)
        for journey in [HELLO_WAITING, *JOURNEYS]
    ]
    slack = [tallies[journey.name] for journey in JOURNEYS if journey.server == "slack_events"]
    return [*rows, connections_row(slack)]


def journey_row(
    journey: Journey, tally: Tally, hello: Tally, baseline: str, round_trip_ms: float
) -> Row:
    figures = summary(tally.seconds)
    cpu_ratio = ratio(tally.cpu_ms(), hello.cpu_ms())
    calls = _calls_text(tally.calls)
    checks = _checks(journey, tally, figures, cpu_ratio, round_trip_ms)
    return Row(
        3,
        f"Warm: {journey.label} ({len(tally.seconds)} req)",
        f"{calls} · {tally.connections_per_100():.1f} new conn/100 · CPU {tally.cpu_ms():.2f} ms"
        f" · answer {median_p99(figures)}",
        baseline,
        cpu_ratio,
        "; ".join(text for text, _ in checks) or "—",
        _verdict(checks),
        {
            "measured": figures,
            "web_api_calls": _spread([calls.web_api for calls in tally.calls]),
            "file_uploads": _spread([calls.uploads for calls in tally.calls]),
            "response_url_posts": _spread([calls.response_urls for calls in tally.calls]),
            "connections_per_100_requests": round(tally.connections_per_100(), 2),
            "server_cpu_ms_per_request": round(tally.cpu_ms(), 3),
            "hello_server_cpu_ms_per_request": round(hello.cpu_ms(), 3),
            "ratio_of": "server CPU per request",
        },
    )


def connections_row(tallies: list[Tally]) -> Row:
    opened = sum(t.connections for t in tallies)
    requests = sum(t.bot_requests for t in tallies)
    per_100 = opened * 100 / requests
    ok = per_100 <= TARGET_CONNECTIONS_PER_100
    return Row(
        3,
        "Warm: new connections to Slack per 100 requests to `slack_events` (all journeys)",
        f"{per_100:.2f} ({opened} in {requests:,} requests)",
        "—",
        None,
        f"≤ {TARGET_CONNECTIONS_PER_100:g}",
        PASS if ok else MISS,
        {"connections": opened, "requests": requests},
    )


Check = tuple[str, bool | None]  # (the target as text, met); None: nothing to judge


def _checks(
    journey: Journey, tally: Tally, figures: dict, cpu_ratio: float | None, round_trip_ms: float
) -> list[Check]:
    targets, checks = journey.targets, []
    if targets.calls is not None:
        most = max(calls.web_api for calls in tally.calls)
        checks.append((f"Web API calls ≤ {targets.calls}", most <= targets.calls))
    if targets.cpu_ratio is not None:
        met = cpu_ratio is not None and cpu_ratio <= targets.cpu_ratio
        checks.append((f"CPU ≤ {targets.cpu_ratio:g}x", met))
    if targets.median_ms is not None:
        # At another distance than the targets assume, the median is only shown.
        at_distance = round_trip_ms == TARGETS_ROUND_TRIP_MS
        met = figures["median_ms"] <= targets.median_ms if at_distance else None
        checks.append((f"median ≤ {targets.median_ms:g} ms", met))
    if journey.server == "slack_events":
        met = tally.connections_per_100() <= TARGET_CONNECTIONS_PER_100
        checks.append((f"≤ {TARGET_CONNECTIONS_PER_100:g} conn/100", met))
    return checks


def _verdict(checks: list[Check]) -> str:
    missed = [text for text, met in checks if met is False]
    if missed:
        return f"{MISS} ({'; '.join(missed)})"
    return PASS if any(met for _, met in checks) else INFO


def _calls_text(calls: list[Calls]) -> str:
    kinds = sorted({call.text() for call in calls})
    return kinds[0] if len(kinds) == 1 else " or ".join(kinds)


def _spread(numbers: list[int]) -> dict[str, float]:
    return {"median": statistics.median(numbers), "max": max(numbers)}


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
