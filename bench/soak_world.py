"""The soak's world: a Slack stand-in in this process, and real functions-framework servers for
`slack_events` (one or two) and `run_model` on loopback ports, all pointed at the stand-in."""

from __future__ import annotations

import contextlib
import http.client
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from slack_standin import SlackStandIn
from slack_standin.sender import signature_headers
from tests.servers import FunctionServer

SIGNING_SECRET = "soak-signing-secret-5f1c"
BOT_TOKEN = "xoxb-soak-0000-TOKEN"
CHANNELS = ("C1", "C2", "C3")
DIRECT = ("D1", "D2")
HEALTH_TIMEOUT = 10.0


@dataclass
class World:
    standin: SlackStandIn
    slack_ports: list[int]
    api_port: int
    logs: list[Path]


@contextlib.contextmanager
def soak_world(log_dir: Path, slack_servers: int = 1) -> Iterator[World]:
    """Start everything; on exit the servers stop before the stand-in they call."""
    log_dir.mkdir(parents=True, exist_ok=True)
    with SlackStandIn(bot_token=BOT_TOKEN) as standin, contextlib.ExitStack() as stack:
        for channel in (*CHANNELS, *DIRECT):
            standin.add_channel(channel, name=channel.lower(), bot_is_member=True)
        env = server_env(standin)
        logs = [log_dir / f"slack_events_{i + 1}.log" for i in range(slack_servers)]
        slack = [_start(stack, "slack_events", env, log) for log in logs]
        api = _start(stack, "run_model", env, log_dir / "run_model.log")
        yield World(standin, [s.port for s in slack], api.port, [*logs, log_dir / "run_model.log"])


def server_env(standin: SlackStandIn) -> dict[str, str]:
    return {**standin.bot_settings(SIGNING_SECRET), "LOG_LEVEL": "INFO"}


def _start(stack: contextlib.ExitStack, target: str, env: dict, log: Path) -> FunctionServer:
    return stack.enter_context(FunctionServer(target, env, log_path=log))


@dataclass
class Answer:
    """One HTTP exchange as a client saw it; `status` None means no answer in time."""

    status: int | None
    text: str
    seconds: float


def post(port: int, body: str, headers: dict[str, str], timeout: float) -> Answer:
    """POST to a loopback port on a fresh connection, giving up after `timeout` seconds."""
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("POST", "/", body=body.encode(), headers=headers)
        response = connection.getresponse()
        text = response.read().decode(errors="replace")
        return Answer(response.status, text, time.monotonic() - started)
    except (OSError, http.client.HTTPException) as error:  # socket timeouts are OSErrors
        return Answer(None, type(error).__name__, time.monotonic() - started)
    finally:
        connection.close()


def healthy(world: World) -> list[str]:
    """Problems with a final signed url_verification to each bot server and one API run."""
    problems = []
    for server, port in enumerate(world.slack_ports, start=1):
        body = json.dumps(
            {"token": "legacy", "challenge": "still-here", "type": "url_verification"}
        )
        answer = post(port, body, signature_headers(body, SIGNING_SECRET), HEALTH_TIMEOUT)
        if answer.status != 200 or "still-here" not in answer.text:
            problems.append(f"health: slack_events server {server} answered {answer.status}")
    body = json.dumps({"definition": "[a] > b @ 1", "rounds": 1})
    answer = post(world.api_port, body, {"Content-Type": "application/json"}, HEALTH_TIMEOUT)
    if answer.status != 200:
        problems.append(f"health: run_model answered {answer.status}")
    return problems
