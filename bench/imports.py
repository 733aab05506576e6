"""Figure 2: what `import main` costs, by top-level package, and what the request path loads."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from bench.report import Row, verdict
from bench.servers import REPO, child_env
from bench.workload import (
    MODEL_7,
    RERUN_TEXT,
    SIGNING_SECRET,
    api_body,
    bot_env,
    command_text,
    fenced,
    mention_text,
)
from slack_standin import SlackStandIn
from slack_standin.sender import BotResponse, SlackSender

HEAVY = ("numpy", "pandas", "matplotlib", "scipy", "graphviz", "PIL", "systems.viz")
TOP = 10
PROBE = REPO / "bench" / "request_path.py"


def importtime(statement: str) -> list[tuple[str, int, int]]:
    """(module, self µs, cumulative µs) for each import `python -X importtime` reports."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", statement],
        cwd=REPO,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return [entry for line in done.stderr.splitlines() if (entry := _parse(line))]


def _parse(line: str) -> tuple[str, int, int] | None:
    if not line.startswith("import time:"):
        return None
    own, cumulative, name = line.removeprefix("import time:").split("|", 2)
    if not own.strip().isdigit():
        return None  # the header line
    return name.strip(), int(own), int(cumulative)


def by_package(entries: list[tuple[str, int, int]]) -> dict[str, float]:
    """Self time summed per top-level package, in ms; `main` is its cumulative time."""
    totals: dict[str, float] = defaultdict(float)
    for name, own, cumulative in entries:
        top = name.split(".")[0]
        totals[top] += (cumulative if name == "main" else own) / 1000.0
    return totals


def import_main(runs: int) -> tuple[dict[str, float], float]:
    """Median ms per top-level package, and of `functions_framework`'s cumulative time within
    the same imports (main imports it first, so it is the part every function pays)."""
    importtime("import main")  # fills the bytecode cache; not counted
    runs_entries = [importtime("import main") for _ in range(runs)]
    samples = [by_package(entries) for entries in runs_entries]
    names = set().union(*samples)
    packages = {name: statistics.median(s.get(name, 0.0) for s in samples) for name in names}
    framework = statistics.median(_cumulative(e, "functions_framework") for e in runs_entries)
    return packages, framework


def _cumulative(entries: list[tuple[str, int, int]], name: str) -> float:
    found = (cumulative for module, _, cumulative in entries if module == name)
    return next(found, 0) / 1000.0


class RecordingSender(SlackSender):
    """Builds and signs Slack's requests (setting the scene in the stand-in) without sending."""

    def __init__(self, standin: SlackStandIn):
        super().__init__(standin, "http://127.0.0.1:9/", SIGNING_SECRET)
        self.recorded: list[dict] = []

    def post(self, body, content_type, extra_headers=None, url=None, signed_at=None) -> BotResponse:
        headers = self.signed_headers(body, content_type, extra_headers, signed_at)
        self.recorded.append({"target": "slack_events", "body": body, "headers": headers})
        return BotResponse(200, "")


def request_path_requests(standin: SlackStandIn) -> list[dict]:
    """A /model, a mention, a code block and its rerun, and an API call."""
    sender = RecordingSender(standin)
    sender.command(command_text())
    sender.event(sender.as_mention(sender.user_message(mention_text())))
    parent = sender.user_message(fenced(MODEL_7))
    sender.event(parent)
    sender.event(sender.user_message(RERUN_TEXT, thread_ts=parent["ts"]))
    api = {"target": "run_model", "body": api_body().decode(), "headers": _json_headers()}
    return [*sender.recorded, api]


def _json_headers() -> dict[str, str]:
    return {"Content-Type": "application/json"}


def modules_after_requests(standin: SlackStandIn) -> tuple[list[int], list[str]]:
    standin.reset()
    requests = request_path_requests(standin)
    with tempfile.TemporaryDirectory() as scratch:
        answer_path = Path(scratch) / "answer.json"
        subprocess.run(
            [sys.executable, str(PROBE), str(answer_path)],
            cwd=REPO,
            env=bot_env(standin),
            input=json.dumps(requests),
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        answer = json.loads(answer_path.read_text())
    posted = len(standin.calls_to("chat.postMessage"))
    standin.reset()
    if posted < 3:
        raise RuntimeError(f"the request-path probe posted {posted} messages, expected 3 or more")
    return answer["statuses"], answer["modules"]


def heavy_modules(modules: list[str]) -> list[str]:
    return [m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY)]


def run(standin: SlackStandIn, runs: int) -> list[Row]:
    packages, framework = import_main(runs)
    statuses, modules = modules_after_requests(standin)
    heavy = heavy_modules(modules)
    top = sorted(packages.items(), key=lambda item: item[1], reverse=True)[:TOP]
    listed = " · ".join(f"{name} {value:.0f}" for name, value in top)
    main_ms = packages.get("main", 0.0)
    served = all(status == 200 for status in statuses)
    return [
        Row(
            2,
            "Import `main` (cumulative)",
            f"{main_ms:.0f} ms",
            f"its `functions_framework` part {framework:.0f} ms",
            round(main_ms / framework, 2) if framework else None,
            data={"main_ms": main_ms, "functions_framework_ms": framework, "runs": runs},
        ),
        Row(
            2,
            "Import by top-level package (self ms; main cumulative)",
            listed,
            "—",
            None,
            data={"top": dict(top), "all": packages},
        ),
        Row(
            2,
            "Heavy modules after /model, mention, rerun, API",
            ", ".join(heavy) or f"none (of {len(modules)} modules)",
            "—",
            None,
            "none of " + ", ".join(HEAVY),
            verdict(not heavy) if served else "ERROR",
            {"heavy": heavy, "statuses": statuses, "module_count": len(modules)},
        ),
    ]
