"""Everything in one go: the six figures, one table, and a JSON copy."""

from __future__ import annotations

import argparse
import signal
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bench import cold, imports, journeys, memory, model_layer, servers, warm
from bench.client import BenchSender, Pool
from bench.report import Row, load_average, machine, machine_line, now, table, write_json
from bench.workload import SIGNING_SECRET, Target, bot_env, new_standin
from slack_standin import Latency, SlackStandIn

RESULTS = servers.REPO / "bench" / "results"
COMMAND = "python bench/run.py"
ROUND_TRIP_MS = journeys.TARGETS_ROUND_TRIP_MS  # a Cloud Functions region to Slack, roughly


@dataclass(frozen=True)
class Plan:
    cold_runs: int = 10
    import_runs: int = 3
    journey_requests: int = 120
    throughput_requests: int = 2000
    throughput_threads: int = 8
    memory_requests: int = 10_000
    model_repeats: int = 9


FULL = Plan()
QUICK = Plan(
    cold_runs=3,
    import_runs=1,
    journey_requests=20,
    throughput_requests=200,
    memory_requests=1000,
    model_repeats=3,
)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=COMMAND, description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer iterations (CI smoke test)")
    parser.add_argument(
        "--json", type=Path, default=RESULTS / "latest.json", help="where to write the JSON"
    )
    parser.add_argument(
        "--figures",
        type=_figures,
        default=ALL_FIGURES,
        help="only these figures, e.g. 3 or 1,2 (while working on them; the table is partial)",
    )
    parser.add_argument(
        "--round-trip-ms",
        type=float,
        default=ROUND_TRIP_MS,
        help="Slack's distance in the warm journeys: per request, and twice per new connection",
    )
    return parser.parse_args(argv)


ALL_FIGURES = frozenset(range(1, 7))


def _figures(text: str) -> frozenset[int]:
    chosen = frozenset(int(part) for part in text.split(","))
    if not chosen <= ALL_FIGURES:
        raise argparse.ArgumentTypeError(f"figures are numbered 1 to 6, not {text}")
    return chosen


def served(
    standin: SlackStandIn, plan: Plan, logs: Path, round_trip_ms: float, figures: frozenset[int]
) -> list[Row]:
    """Figures 3, 4 and 6 (those of them in `figures`) against one set of real servers."""
    env = bot_env(standin)
    running = {
        "slack_events": servers.start("slack_events", servers.MAIN_SOURCE, env, logs / "slack.log"),
        "run_model": servers.start("run_model", servers.MAIN_SOURCE, env, logs / "api.log"),
        "hello": servers.start("hello", servers.HELLO_SOURCE, env, logs / "hello.log"),
        "hello_waiting": servers.start(
            "hello_waiting",
            servers.HELLO_SOURCE,
            {**env, "BENCH_WAIT_SECONDS": str(round_trip_ms / 1000)},
            logs / "hello_waiting.log",
        ),
    }
    try:
        return _measure_served(standin, plan, running, round_trip_ms, figures)
    finally:
        for server in running.values():
            server.stop()


def _measure_served(
    standin: SlackStandIn, plan: Plan, running: dict, round_trip_ms: float, figures: frozenset[int]
) -> list[Row]:
    """Journeys with Slack at a distance; throughput and memory without (they are about the
    server, and at a distance they would take many minutes)."""
    readings = {"startup": memory.snapshot(running)}
    pool = Pool()
    slack_port, api_port = running["slack_events"].port, running["run_model"].port
    sender = BenchSender(standin, slack_port, SIGNING_SECRET, pool)
    target = Target(
        standin, pool, sender, api_port, running["hello"].port, running["hello_waiting"].port
    )
    journeys.check(target)
    memory.warm_up(target)
    readings["warm"] = memory.snapshot(running)
    at_warm = dict(pool.sent)
    rows = []
    if 3 in figures:
        standin.set_latency(Latency.round_trips(round_trip_ms / 1000))
        try:
            rows += warm.journey_rows(target, running, plan.journey_requests, round_trip_ms)
        finally:
            standin.set_latency(Latency())
    if 4 in figures:
        rows += warm.throughput_rows(target, plan.throughput_requests, plan.throughput_threads)
    if 6 not in figures:
        pool.close()
        return rows
    memory.top_up(target, pool.sent[slack_port] - at_warm[slack_port], plan.memory_requests)
    readings["end"] = memory.snapshot(running)
    requests = {
        "slack_events": pool.sent[slack_port] - at_warm[slack_port],
        "run_model": pool.sent[api_port] - at_warm[api_port],
    }
    pool.close()
    return rows + memory.rows(readings, requests)


def progress(what: str, started: float) -> None:
    print(f"[{time.monotonic() - started:6.1f} s] {what}", file=sys.stderr, flush=True)


def run_all(
    plan: Plan, logs: Path, round_trip_ms: float, figures: frozenset[int] = ALL_FIGURES
) -> list[Row]:
    started = time.monotonic()
    rows = []
    if 5 in figures:
        progress("5. model layer (in-process, first: no server competes for the CPU)", started)
        rows += model_layer.run(plan.model_repeats)
    with new_standin() as standin:
        if 2 in figures:
            progress("2. import cost", started)
            rows += imports.run(standin, plan.import_runs)
        if 1 in figures:
            progress("1. cold start", started)
            rows += cold.run(standin, plan.cold_runs, logs)
        if figures & {3, 4, 6}:
            far = f"{round_trip_ms:g} ms away"
            progress(f"3, 4, 6. warm journeys ({far}), throughput, memory", started)
            rows += served(standin, plan, logs, round_trip_ms, figures)
    progress("done", started)
    return rows


def _stop_on_sigterm() -> None:
    def handler(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    plan = QUICK if args.quick else FULL
    _stop_on_sigterm()
    logs = RESULTS / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    for old_log in logs.glob("*.log"):
        old_log.unlink()
    info, date, started = machine(), now(), time.monotonic()
    load = {"start": load_average()}
    command = f"{COMMAND} --quick" if args.quick else COMMAND
    if args.figures != ALL_FIGURES:
        command += f" --figures {','.join(map(str, sorted(args.figures)))}"
    if args.round_trip_ms != ROUND_TRIP_MS:
        command += f" --round-trip-ms {args.round_trip_ms:g}"
    print(f"{command}: {date}\n{machine_line(info)}\n", file=sys.stderr, flush=True)
    try:
        rows = run_all(plan, logs, args.round_trip_ms, args.figures)
    finally:
        servers.stop_all()
    seconds = round(time.monotonic() - started, 1)
    load["end"] = load_average()
    print(f"Machine: {machine_line(info)}")
    print(f"Date: {date}; command: `{command}`; took {seconds} s", end="; ")
    print(f"load average {load['start']} at start, {load['end']} at end\n")
    print(table(rows))
    header = {
        "command": command,
        "date": date,
        "machine": info,
        "seconds": seconds,
        "load": load,
        "round_trip_ms": args.round_trip_ms,
    }
    write_json(args.json, {**header, "plan": asdict(plan)}, rows)
    print(f"\nJSON: {args.json}", file=sys.stderr)
    return 0
