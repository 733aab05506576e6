"""Soak the bot: many mixed requests from concurrent clients, with Slack's retries and, if asked,
Slack failing a share of its calls; then check every reply against `systems`.

    python bench/soak.py [--requests 5000] [--clients 20] [--faults 0.1] [--seed 1]
                         [--two-servers] [--max-seconds 600] [--log-dir DIR]

Loopback only: a Slack stand-in runs in this process, and real functions-framework servers
(`slack_events`, twice with --two-servers, and `run_model`) run as child processes. The traffic
(bench/soak_traffic.py) mixes slash commands, mentions, code blocks, direct messages, thread
reruns, edits, More rounds and CSV clicks and API calls; Slack's retries are emulated. The checks
(bench/soak_verify.py): one reply per request, in its channel and thread, with the table
`systems` computes; edits update the reply in place; no 5xx but the bot's own request for a retry
after a Slack failure; a request with no reply has its failure in the logs or an apology; no log
holds a secret or a model; every server still answers. Exits 1 and lists the failures if any
invariant fails; stops sending at 85% of --max-seconds. `run_soak()` is the same run for tests.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

if __name__ == "__main__":  # run as a script, Python puts bench/ first on the path
    sys.path[0] = str(Path(__file__).resolve().parents[1])

from bench.soak_traffic import EVENT_KINDS, WEIGHTS, Record, SoakSender, Traffic  # noqa: E402
from bench.soak_verify import Verdict, verify  # noqa: E402
from bench.soak_world import World, healthy, soak_world  # noqa: E402

SLOW_DELAY = 2.5  # the stand-in's slow answers: near Slack's 3 s deadline, never past it alone
VERIFY_RESERVE = 0.15  # share of the time cap kept for settling and checking
QUIET_SECONDS = 2.0
SETTLE_LIMIT = 30.0
OUTCOMES = ("ok", "retried", "apology", "failed_logged")


@dataclass
class SoakConfig:
    requests: int = 5000
    clients: int = 20
    faults: float = 0.0
    seed: int = 1
    two_servers: bool = False
    max_seconds: float = 600.0
    log_dir: Path | None = None


@dataclass
class SoakResult:
    config: SoakConfig
    records: list[Record]
    verdict: Verdict
    seconds: float
    log_dir: Path
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def run_soak(config: SoakConfig) -> SoakResult:
    """Start the world, send the traffic, let the servers settle, and check everything."""
    started = time.monotonic()
    log_dir = config.log_dir or Path(tempfile.mkdtemp(prefix="sysbot-soak-"))
    with soak_world(log_dir, 2 if config.two_servers else 1) as world:
        _warm_up(world)
        world.standin.set_random_faults(config.faults, seed=config.seed, slow_delay=SLOW_DELAY)
        deadline = started + config.max_seconds * (1 - VERIFY_RESERVE)
        records = Traffic(world, config.seed, deadline).run(config.requests, config.clients)
        _settle(world, started + config.max_seconds - SETTLE_LIMIT)
        world.standin.set_random_faults(0)
        verdict = verify(records, world, config.faults)
        failures = [*verdict.failures, *healthy(world)]
    seconds = time.monotonic() - started
    return SoakResult(config, records, verdict, seconds, log_dir, failures)


def _warm_up(world: World) -> None:
    """Each instance's one auth.test happens before the faults begin, as after a deploy."""
    for server in range(len(world.slack_ports)):
        record = Record(-1, "command", server)
        SoakSender(world, record).command("help", channel="C1", user="U0")
        if record.deliveries[-1].status != 200:
            raise RuntimeError(f"server {server + 1} did not answer its first command")


def _settle(world: World, cap: float) -> None:
    """Wait until the logs stop growing: answers Slack stopped waiting for still finish."""
    deadline = min(time.monotonic() + SETTLE_LIMIT, max(cap, time.monotonic() + QUIET_SECONDS))
    sizes = None
    while time.monotonic() < deadline:
        now = [path.stat().st_size if path.exists() else 0 for path in world.logs]
        if now == sizes:
            return
        sizes = now
        time.sleep(QUIET_SECONDS)


# -- the report ----------------------------------------------------------------------------------


def report(result: SoakResult) -> str:
    config, records = result.config, result.records
    servers = 2 if config.two_servers else 1
    lines = [
        f"sysbot soak: {config.requests} requests, {config.clients} clients, faults "
        f"{config.faults:g}, seed {config.seed}, {servers} slack_events server(s)",
        f"sent {len(records)} requests; the run took {result.seconds:.1f} s",
        f"server logs: {result.log_dir}",
    ]
    if len(records) < config.requests:
        lines.append(f"STOPPED AT THE TIME CAP after {len(records)} of {config.requests} requests")
    lines += _delivery_lines(records, result.verdict)
    lines += _outcome_table(result.verdict)
    lines += _latency_lines(records)
    if result.failures:
        lines.append(f"FAILED: {len(result.failures)} invariant failures")
        lines += [f"  - {failure}" for failure in result.failures[:50]]
        if len(result.failures) > 50:
            lines.append(f"  … and {len(result.failures) - 50} more")
    else:
        lines.append("all invariants hold")
    return "\n".join(lines)


def _delivery_lines(records: list[Record], verdict: Verdict) -> list[str]:
    deliveries = [d for r in records for d in r.deliveries]
    statuses = Counter(_status_class(d.status) for d in deliveries)
    events = [r for r in records if r.kind in EVENT_KINDS]
    extra = Counter(r.extra for r in events if r.extra)
    suppressed = sum(
        1
        for r in events
        if r.extra
        and verdict.by_record.get(r.index) in ("ok", "retried")
        and r.index not in verdict.failed
    )
    retries = sum(1 for d in deliveries if d.retry and not d.extra)
    logged = Counter()
    for (_, outcome), count in verdict.logged.items():
        logged[outcome] += count
    return [
        f"HTTP requests: {len(deliveries)} ("
        + ", ".join(f"{name} {count}" for name, count in sorted(statuses.items()))
        + ")",
        f"events redelivered on purpose: {sum(extra.values())} ({_counts(extra)}); "
        f"duplicate-suppressed: {suppressed}",
        f"Slack-style retries after a 5xx or no answer in 3 s: {retries}",
        f"outcomes the servers logged: {_counts(logged)}",
        f"second replies deleted after two instances answered at once: {verdict.deleted}",
    ]


def _status_class(status: int | None) -> str:
    return "no answer in time" if status is None else f"{status // 100}xx"


def _counts(counter: Counter) -> str:
    return ", ".join(f"{key} {value}" for key, value in sorted(counter.items())) or "none"


def _outcome_table(verdict: Verdict) -> list[str]:
    kinds = list(WEIGHTS)
    width = max(len(kind) for kind in kinds) + 1
    header = "outcome".ljust(14) + "".join(k.rjust(width) for k in kinds) + "total".rjust(8)
    lines = [header]
    for outcome in OUTCOMES:
        counts = [verdict.outcomes[(kind, outcome)] for kind in kinds]
        cells = "".join(str(c).rjust(width) for c in counts)
        lines.append(outcome.ljust(14) + cells + str(sum(counts)).rjust(8))
    return lines


def _latency_lines(records: list[Record]) -> list[str]:
    """Server answer times of first deliveries, per kind (answered ones only)."""
    parts = []
    for kind in WEIGHTS:
        times = sorted(
            r.deliveries[0].seconds
            for r in records
            if r.kind == kind and r.deliveries and r.deliveries[0].status
        )
        if times:
            p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
            parts.append(f"{kind} {statistics.median(times):.2f}/{p95:.2f}")
    return ["answer time p50/p95 s: " + ", ".join(parts)]


# -- the command ---------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> SoakConfig:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--faults", type=float, default=0.0, help="share of Slack calls to fail")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--two-servers", action="store_true")
    parser.add_argument("--max-seconds", type=float, default=600.0, help="hard wall-clock cap")
    parser.add_argument("--log-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    return SoakConfig(
        args.requests,
        args.clients,
        args.faults,
        args.seed,
        args.two_servers,
        args.max_seconds,
        args.log_dir,
    )


def main(argv: list[str] | None = None) -> int:
    result = run_soak(parse_args(argv))
    print(report(result))
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
