"""What a user does and what answering it costs: one scene set up (untimed), then the request
that is timed. Each journey's figures are its Web API calls, the connections the bot opens, the
server's CPU and the time to the HTTP answer."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.workload import (
    CHANNEL,
    COMMAND_ROUNDS,
    COMPARISON_MARK,
    MODEL_7,
    RERUN_TEXT,
    Sample,
    Target,
    api,
    command,
    command_text,
    fenced,
    hello,
    hello_waiting,
    mention_text,
)
from bot.render.blocks import ACTION_CSV, ACTION_EDIT, ACTION_MORE_ROUNDS

# The distance the latency targets assume (the benchmark's default round trip).
TARGETS_ROUND_TRIP_MS = 40.0
EDITED_MODEL = MODEL_7.replace("Screens > Onsites @ 0.5", "Screens > Onsites @ 0.6")
Scene = dict[str, Any]


@dataclass(frozen=True)
class Targets:
    """What a journey should cost; None where the issue sets no target."""

    calls: int | None = None  # at most this many Web API calls
    cpu_ratio: float | None = None  # server CPU per request against the hello-world's
    median_ms: float | None = None  # time to the HTTP answer, at TARGETS_ROUND_TRIP_MS


@dataclass(frozen=True)
class Journey:
    name: str
    label: str
    prepare: Callable[[Target], Scene]  # untimed: what exists before the user acts
    act: Callable[[Target, Scene], Sample]  # the timed request
    prepare_requests: int  # requests to the bot that `prepare` sends
    targets: Targets = Targets()
    server: str = "slack_events"


def nothing(target: Target) -> Scene:
    return {}


def user_mention(target: Target) -> Scene:
    """A fresh user message each time, so the bot's dedupe has nothing to skip."""
    return {"message": target.slack.user_message(mention_text(), channel=CHANNEL)}


def answered_message(target: Target) -> Scene:
    """A code block in the channel, answered by the bot in its thread."""
    message = target.slack.user_message(fenced(MODEL_7), channel=CHANNEL)
    return {"message": message, "answer": _expect(target.slack.event(message), "a code block")}


def command_result(target: Target) -> Scene:
    """A `/model` result in the channel, with its buttons."""
    _expect(target.slack.command(command_text(), channel=CHANNEL), "/model")
    return {"result": target.standin.messages(CHANNEL)[-1]}


def _expect(response: Any, what: str) -> Any:
    if response.status_code != 200:
        raise RuntimeError(f"setting the scene: {what} answered {response.status_code}")
    return response


def _timed(response: Any, thread: str | None = None) -> Sample:
    return Sample(response.status_code, response.elapsed, response.text, thread)


def send_command(target: Target, scene: Scene) -> Sample:
    return command(target)


def send_mention(target: Target, scene: Scene) -> Sample:
    message = scene["message"]
    return _timed(target.slack.event(target.slack.as_mention(message)), message["ts"])


def send_rerun(target: Target, scene: Scene) -> Sample:
    parent = scene["message"]["ts"]
    reply = target.slack.user_message(RERUN_TEXT, channel=CHANNEL, thread_ts=parent)
    return _timed(target.slack.event(reply), parent)


def send_edit(target: Target, scene: Scene) -> Sample:
    ts = scene["message"]["ts"]
    return _timed(target.slack.edit(CHANNEL, ts, fenced(EDITED_MODEL)), ts)


def clicking(action_id: str) -> Callable[[Target, Scene], Sample]:
    def click(target: Target, scene: Scene) -> Sample:
        result = scene["result"]
        return _timed(target.slack.click(CHANNEL, result, action_id), result["ts"])

    return click


def send_api(target: Target, scene: Scene) -> Sample:
    return api(target)


def send_hello(target: Target, scene: Scene) -> Sample:
    return hello(target)


def send_hello_waiting(target: Target, scene: Scene) -> Sample:
    return hello_waiting(target)


HELLO = Journey("hello", "hello-world", nothing, send_hello, 0, server="hello")
# Not a baseline: how much CPU a request costs more only because its server waits mid-request.
HELLO_WAITING = Journey(
    "hello_waiting",
    "hello-world waiting one round trip (a reference)",
    nothing,
    send_hello_waiting,
    0,
    server="hello_waiting",
)
JOURNEYS = [
    Journey(
        "command",
        "`/model`, 7 stocks, 10 rounds",
        nothing,
        send_command,
        0,
        Targets(calls=1, cpu_ratio=4.0),
    ),
    Journey(
        "mention",
        "Mention, first delivery",
        user_mention,
        send_mention,
        0,
        Targets(calls=1, cpu_ratio=4.0, median_ms=60.0),
    ),
    Journey(
        "rerun",
        "Thread rerun `rounds=12`",
        answered_message,
        send_rerun,
        1,
        Targets(calls=2, cpu_ratio=6.0, median_ms=110.0),
    ),
    Journey(
        "edit", "Edit of an answered message", answered_message, send_edit, 1, Targets(calls=2)
    ),
    Journey(
        "more_rounds",
        "Button: More rounds",
        command_result,
        clicking(ACTION_MORE_ROUNDS),
        1,
        Targets(calls=2),
    ),
    Journey(
        "edit_button",
        "Button: Edit & rerun (opens the editor)",
        command_result,
        clicking(ACTION_EDIT),
        1,
        Targets(calls=2),
    ),
    Journey("csv", "Button: CSV", command_result, clicking(ACTION_CSV), 1, Targets(calls=2)),
    Journey("api", "JSON API `run_model` (no Slack)", nothing, send_api, 0, server="run_model"),
]


def check(target: Target) -> None:
    """One of each, checked for its effect, so the timings are of the real thing."""
    for journey in [HELLO, *JOURNEYS]:
        target.standin.reset()
        scene = journey.prepare(target)
        sample = journey.act(target, scene)
        if sample.status != 200:
            raise RuntimeError(f"{journey.name} answered {sample.status}: {sample.body[:300]}")
        problem = EFFECTS[journey.name](target, scene, sample)
        if problem:
            raise RuntimeError(f"{journey.name}: {problem}")
    target.standin.reset()


def _bot_replies(target: Target, ts: str) -> list[dict]:
    thread = target.standin.thread(CHANNEL, ts)
    return [m for m in thread if m["ts"] != ts and m.get("bot_id")]


def _command_posted(target: Target, scene: Scene, sample: Sample) -> str | None:
    if not any(m.get("bot_id") for m in target.standin.messages(CHANNEL)):
        return "/model posted nothing in the channel"
    return None


def _mention_answered(target: Target, scene: Scene, sample: Sample) -> str | None:
    return None if _bot_replies(target, scene["message"]["ts"]) else "no reply in its thread"


def _rerun_compared(target: Target, scene: Scene, sample: Sample) -> str | None:
    replies = _bot_replies(target, scene["message"]["ts"])
    if len(replies) != 2 or COMPARISON_MARK not in json.dumps(replies[-1].get("blocks")):
        return "no reply with a comparison"
    return None


def _edit_updated(target: Target, scene: Scene, sample: Sample) -> str | None:
    return None if target.standin.calls_to("chat.update") else "the reply was not updated"


def _more_rounds_posted(target: Target, scene: Scene, sample: Sample) -> str | None:
    return None if _bot_replies(target, scene["result"]["ts"]) else "no run in the thread"


def _editor_opened(target: Target, scene: Scene, sample: Sample) -> str | None:
    return None if target.standin.views else "no editor opened"


def _csv_uploaded(target: Target, scene: Scene, sample: Sample) -> str | None:
    return None if target.standin.files else "no file uploaded"


def _api_rows(target: Target, scene: Scene, sample: Sample) -> str | None:
    rows = json.loads(sample.body)["rows"]
    return None if len(rows) == COMMAND_ROUNDS + 1 else f"the API answered {len(rows)} rows"


def _hello_ok(target: Target, scene: Scene, sample: Sample) -> str | None:
    return None if sample.body == "ok" else "hello did not answer ok"


EFFECTS: dict[str, Callable[[Target, Scene, Sample], str | None]] = {
    "hello": _hello_ok,
    "api": _api_rows,
    "command": _command_posted,
    "mention": _mention_answered,
    "rerun": _rerun_compared,
    "edit": _edit_updated,
    "more_rounds": _more_rounds_posted,
    "edit_button": _editor_opened,
    "csv": _csv_uploaded,
}
