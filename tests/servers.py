"""Starting the real functions-framework server on a loopback port, as Cloud Functions would."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early with status {process.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listened on port {port} within {timeout} s")


class FunctionServer:
    """`functions-framework --target TARGET` from the repo's main.py, on 127.0.0.1."""

    def __init__(
        self, target: str, env: dict[str, str] | None = None, log_path: Path | None = None
    ):
        self.target = target
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self._env = {**os.environ, **(env or {})}
        self._log_path = log_path
        self._process: subprocess.Popen | None = None

    def start(self) -> FunctionServer:
        command = [
            sys.executable,
            "-m",
            "functions_framework",
            "--target",
            self.target,
            "--source",
            str(REPO / "main.py"),
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
        ]
        output = open(self._log_path, "w") if self._log_path else subprocess.DEVNULL  # noqa: SIM115
        self._process = subprocess.Popen(
            command, cwd=REPO, env=self._env, stdout=output, stderr=subprocess.STDOUT
        )
        wait_for_port(self.port, self._process)
        return self

    def stop(self) -> None:
        if self._process and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()

    def __enter__(self) -> FunctionServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
