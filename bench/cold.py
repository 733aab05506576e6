"""Figure 1: from starting a fresh functions-framework process to its first answer."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from bench import servers
from bench.client import BenchSender, Pool
from bench.report import INFO, Row, verdict
from bench.stats import min_median_max, ratio, summary
from bench.workload import CHANNEL, SIGNING_SECRET, command_text, slack_settings
from slack_standin import SlackStandIn

TARGET_RATIO = 1.5
PATIENCE_SECONDS = 30.0


def bot_cold_start(standin: SlackStandIn, env: dict[str, str], log: Path) -> float:
    """Seconds from Popen to the first signed `/model` answered 200 (and its post made)."""
    standin.reset()
    pool = Pool(patience=PATIENCE_SECONDS)
    started = time.perf_counter()
    server = servers.launch("slack_events", servers.MAIN_SOURCE, env, log)
    try:
        sender = BenchSender(standin, server.port, SIGNING_SECRET, pool)
        response = sender.command(command_text(), channel=CHANNEL)
        elapsed = time.perf_counter() - started
    finally:
        pool.close()
        server.stop(graceful=False)
    if response.status_code != 200 or not standin.messages(CHANNEL):
        raise RuntimeError(f"cold /model answered {response.status_code}: {response.text[:300]}")
    return elapsed


def hello_cold_start(env: dict[str, str], log: Path) -> float:
    """Seconds from Popen to the hello-world function's first GET answered 200."""
    pool = Pool(patience=PATIENCE_SECONDS)
    started = time.perf_counter()
    server = servers.launch("hello", servers.HELLO_SOURCE, env, log)
    try:
        reply = pool.request(server.port, "GET", None, {})
        elapsed = time.perf_counter() - started
    finally:
        pool.close()
        server.stop(graceful=False)
    if reply.status != 200:
        raise RuntimeError(f"cold hello answered {reply.status}")
    return elapsed


def without_repo_bytecode() -> Path:
    """A copy of the bytecode cache without this repository's modules (nothing is written to
    it): every start compiles bot/ and main.py from source, as where no .pyc ships."""
    stripped = servers.PYCACHE.with_name("pycache-no-repo")
    shutil.rmtree(stripped, ignore_errors=True)
    shutil.copytree(servers.PYCACHE, stripped)
    shutil.rmtree(stripped / servers.REPO.relative_to(servers.REPO.anchor), ignore_errors=True)
    return stripped


def run(standin: SlackStandIn, runs: int, logs: Path) -> list[Row]:
    """Interleaved (bot, hello, and every other time bot without bytecode for bot/), after one
    discarded start of each that fills the bytecode cache."""
    bot_log, hello_log = logs / "cold_slack_events.log", logs / "cold_hello.log"
    env = servers.child_env(slack_settings(standin))
    bot_cold_start(standin, env, bot_log)
    hello_cold_start(env, hello_log)
    uncompiled_env = servers.child_env(
        slack_settings(standin), pycache=without_repo_bytecode(), write=False
    )
    bot, hello, uncompiled = [], [], []
    for index in range(runs):
        bot.append(bot_cold_start(standin, env, bot_log))
        hello.append(hello_cold_start(env, hello_log))
        if index % 2 == 0:
            uncompiled.append(bot_cold_start(standin, uncompiled_env, bot_log))
    return rows(summary(bot), summary(hello), summary(uncompiled))


def rows(bot: dict, hello: dict, uncompiled: dict) -> list[Row]:
    cold_ratio = ratio(bot["median_ms"], hello["median_ms"])
    baseline = f"hello-world {min_median_max(hello)}"
    return [
        Row(
            1,
            f"Cold start to first `/model` answered ({bot['n']} processes; min/median/max)",
            min_median_max(bot),
            baseline,
            cold_ratio,
            f"≤ {TARGET_RATIO}x (medians)",
            verdict(cold_ratio is not None and cold_ratio <= TARGET_RATIO),
            {"slack_events": bot, "hello": hello},
        ),
        Row(
            1,
            f"Cold start, bot/ not byte-compiled ({uncompiled['n']} processes)",
            min_median_max(uncompiled),
            baseline,
            ratio(uncompiled["median_ms"], hello["median_ms"]),
            "—",
            INFO,
            {"slack_events_uncompiled": uncompiled},
        ),
    ]
