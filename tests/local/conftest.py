"""`sysbot serve` started as a newcomer would start it, on a free loopback port."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.request import Request, urlopen

import pytest

from tests.servers import REPO, free_port, wait_for_port

GENERAL, RANDOM, DIRECT = "C01GENERAL", "C02RANDOM", "D01SYSBOT"


class LocalServer:
    def __init__(self, url: str, log: Path):
        self.url = url
        self.log = log

    def get(self, path: str) -> bytes:
        with urlopen(self.url + path.lstrip("/"), timeout=20) as response:
            return response.read()

    def post(self, path: str, body: dict) -> dict:
        request = Request(
            self.url + path.lstrip("/"),
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def state(self) -> dict:
        return json.loads(self.get("/local/state"))

    def channel(self, channel_id: str) -> dict:
        return next(c for c in self.state()["channels"] if c["id"] == channel_id)


@pytest.fixture(scope="session")
def local_server(tmp_path_factory) -> Iterator[LocalServer]:
    port = free_port()
    # A token already in the developer's shell must be replaced, never used.
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    log = tmp_path_factory.mktemp("local") / "serve.log"
    with open(log, "w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "serve", "--port", str(port)],
            cwd=REPO,
            env={**env, "SLACK_BOT_TOKEN": "xoxb-real-looking-token"},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for_port(port, process)
        _wait_for_address(log, process)
        yield LocalServer(f"http://127.0.0.1:{port}/", log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_for_address(log: Path, process: subprocess.Popen, timeout: float = 20.0) -> None:
    """The port listens a moment before `sysbot serve` prints where: wait for the print too."""
    deadline = time.monotonic() + timeout
    while "sysbot is running at" not in log.read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"sysbot serve printed no address:\n{log.read_text()}")
        time.sleep(0.05)


@pytest.fixture
def local(local_server: LocalServer) -> Iterator[LocalServer]:
    local_server.post("/local/reset", {})
    yield local_server
