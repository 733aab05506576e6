"""functions-framework servers on loopback ports, their memory, and cleaning them all up."""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
MAIN_SOURCE = REPO / "main.py"
HELLO_SOURCE = REPO / "bench" / "hello" / "main.py"
HOST = "127.0.0.1"
# Bytecode goes here, never into the source tree: servers import compiled modules after the
# first (discarded) start, whatever PYTHONDONTWRITEBYTECODE says in the caller's environment.
PYCACHE = REPO / "bench" / "results" / "pycache"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

_running: list[subprocess.Popen] = []


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


# The caller's TLS trust settings are not passed on: servers trust what they trust in production
# (the system's CAs) and the stand-in through the SSL_CERT_DIR the benchmark sets. Some machines
# set SSL_CERT_FILE for every tool; the bot would then load that whole bundle, as nothing makes
# it do in production.
NOT_PASSED_ON = ("SSL_CERT_FILE", "SSL_CERT_DIR")


def server_environment(extra: dict[str, str]) -> dict[str, str]:
    """Ours, without the trust settings, the deploy's process settings, and `extra`."""
    inherited = {name: value for name, value in os.environ.items() if name not in NOT_PASSED_ON}
    return {**inherited, **deployed_process_settings(), **extra}


def deployed_process_settings() -> dict[str, str]:
    """The environment cloudbuild.yaml deploys the Slack function with, less what names the
    project (`${...}` substitutions): gunicorn's THREADS and glibc's MALLOC_ARENA_MAX shape CPU
    and memory, so every server here, the hello-world's too, runs as a deployed one would."""
    build = yaml.safe_load((REPO / "cloudbuild.yaml").read_text())
    [pairs] = [
        arg.removeprefix("--set-env-vars=")
        for step in build["steps"]
        if "--entry-point=slack_events" in step.get("args", [])
        for arg in step["args"]
        if arg.startswith("--set-env-vars=")
    ]
    settings = dict(pair.split("=", 1) for pair in pairs.split(","))
    return {name: value for name, value in settings.items() if "${" not in value}


def adopt_server_environment(extra: dict[str, str]) -> None:
    """Make this process's environment a server's, to serve requests in it."""
    environment = server_environment(extra)
    os.environ.clear()
    os.environ.update(environment)


def child_env(
    extra: dict[str, str] | None = None, pycache: Path = PYCACHE, write: bool = True
) -> dict[str, str]:
    """The environment for a child Python: ours (see NOT_PASSED_ON), `extra`, and a bytecode
    cache at `pycache`."""
    env = {**server_environment(extra or {}), "PYTHONPYCACHEPREFIX": str(pycache)}
    if write:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def server_command(target: str, source: Path, port: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "functions_framework",
        "--target",
        target,
        "--source",
        str(source),
        "--port",
        str(port),
        "--host",
        HOST,
    ]


def launch(target: str, source: Path, env: dict[str, str], log: Path | None) -> Server:
    """Start the server (in its own process group) without waiting for it to listen."""
    port = free_port()
    with open(log or os.devnull, "ab") as output:  # the child keeps its own copy
        process = subprocess.Popen(
            server_command(target, source, port),
            cwd=REPO,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    _running.append(process)
    return Server(target, port, process)


def start(target: str, source: Path, env: dict[str, str], log: Path | None) -> Server:
    """Start the server and wait until it accepts connections."""
    server = launch(target, source, env, log)
    server.wait_listening()
    return server


def stop(process: subprocess.Popen, grace: float = 5.0, graceful: bool = True) -> None:
    """SIGTERM the process group we created (master and workers), SIGKILL if it lingers."""
    if process.poll() is None and not graceful:
        _signal_group(process, signal.SIGKILL)
        process.wait(timeout=grace)
    elif process.poll() is None:
        _signal_group(process, signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            _signal_group(process, signal.SIGKILL)
            process.wait(timeout=grace)
    # A worker orphaned by a dead master is still in the group.
    _signal_group(process, signal.SIGKILL)
    if process in _running:
        _running.remove(process)


def stop_all() -> None:
    for process in list(_running):
        stop(process)


atexit.register(stop_all)


def _signal_group(process: subprocess.Popen, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)


@dataclass
class Server:
    target: str
    port: int
    process: subprocess.Popen

    def wait_listening(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.target} exited with status {self.process.returncode}")
            with socket.socket() as probe:
                if probe.connect_ex((HOST, self.port)) == 0:
                    return
            time.sleep(0.01)
        raise TimeoutError(f"{self.target} did not listen on {self.port} within {timeout} s")

    def stop(self, graceful: bool = True) -> None:
        stop(self.process, graceful=graceful)

    def worker_pid(self) -> int | None:
        """gunicorn forks its worker from the functions-framework process."""
        found = children(self.process.pid)
        return found[0] if found else None

    def worker_cpu_seconds(self) -> float:
        worker = self.worker_pid()
        return cpu_seconds(worker) if worker else 0.0

    def rss_kb(self) -> dict[str, int | None]:
        worker = self.worker_pid()
        return {
            "master": rss_kb(self.process.pid),
            "worker": rss_kb(worker) if worker else None,
        }


def children(pid: int) -> list[int]:
    """Direct children of `pid`, from /proc (the task `children` files, else every stat)."""
    found: list[int] = []
    tasks = Path(f"/proc/{pid}/task")
    try:
        for task in tasks.iterdir():
            text = (task / "children").read_text()
            found += [int(child) for child in text.split()]
        return sorted(found)
    except OSError:
        return _children_by_stat(pid)


def _children_by_stat(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            stat = (entry / "stat").read_text()
            # pid (comm) state ppid ...; comm may hold spaces, so split after the last ')'.
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return sorted(found)


def rss_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def cpu_seconds(pid: int) -> float:
    """CPU time of `pid` so far, all its threads: from its CPU-time clock, to the nanosecond
    (Linux lets a process read another's), else from /proc/<pid>/stat in clock ticks (10 ms,
    too coarse for a request of a millisecond unless thousands are summed)."""
    try:
        return time.clock_gettime(_process_cpu_clock(pid))
    except OSError:
        return _ticked_cpu_seconds(pid)


def _process_cpu_clock(pid: int) -> int:
    """Linux's clock id for a process's CPU time (CPUCLOCK_SCHED, whole process), as glibc's
    clock_getcpuclockid makes it: the bitwise inverse of the pid, shifted, and the clock kind."""
    return (~pid << 3) | 2


def _ticked_cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # After the comm: state is fields[0], so utime (field 14) and stime (15) are 11 and 12.
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
