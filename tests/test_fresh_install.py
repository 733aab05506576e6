"""A fresh, production-like install serves both entry points (slow: builds a virtualenv).

This is what the Cloud Functions buildpack does, minus Google: install the project without
test extras, then run `functions-framework` against main.py. It catches a runtime dependency
that only the test extras happened to provide, an import that calls Slack, and an entry point
that does not start. Slack is pointed at a closed local port, so any call to it fails fast.
"""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
TEST_ONLY = ("pytest", "hypothesis")
RUNTIME = ("functions_framework", "slack_bolt", "slack_sdk", "systems", "bot")
SERVER_ENV = {
    "SLACK_BOT_TOKEN": "xoxb-test",
    "SLACK_SIGNING_SECRET": "test-secret",
    "SLACK_API_URL": "http://127.0.0.1:9/api/",  # discard port: nothing listens there
    "THREADS": "2",
}
START_TIMEOUT = 60.0
# Outer environment that would let the venv see this interpreter's packages.
_LEAKY_ENV = ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _LEAKY_ENV}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def source(tmp_path_factory) -> Path:
    """A clean copy of the repo: pip's in-tree build would otherwise leave build/ and
    *.egg-info in the working tree, and a stale build/lib can leak into the wheel."""
    dest = tmp_path_factory.mktemp("src") / "sysbot"
    shutil.copytree(ROOT, dest, ignore=_skip)
    return dest


_SKIP_AT_ROOT = {".git", ".venv", "venv", "build", "dist", "tests", "bench", "node_modules"}
_SKIP_ANYWHERE = ("__pycache__", "*.egg-info", ".*_cache", ".hypothesis")


def _skip(directory: str, names: list[str]) -> set[str]:
    skipped = set(shutil.ignore_patterns(*_SKIP_ANYWHERE)(directory, names))
    if Path(directory) == ROOT:
        skipped |= _SKIP_AT_ROOT & set(names)
    return skipped


@pytest.fixture(scope="module")
def venv(tmp_path_factory, source) -> Path:
    path = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(path)], check=True, env=_clean_env())
    _run_checked([str(path / "bin" / "python"), "-m", "pip", "install", "--quiet", str(source)])
    return path


def _run_checked(cmd: list[str]) -> str:
    result = subprocess.run(cmd, capture_output=True, text=True, env=_clean_env(), timeout=900)
    assert result.returncode == 0, f"{' '.join(cmd)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _installed(venv: Path, modules: tuple[str, ...]) -> dict[str, bool]:
    code = (
        "import importlib.util, json, sys; "
        "print(json.dumps({m: importlib.util.find_spec(m) is not None for m in sys.argv[1:]}))"
    )
    # cwd=venv so the copied source tree is not importable by accident.
    result = subprocess.run(
        [str(venv / "bin" / "python"), "-c", code, *modules],
        capture_output=True, text=True, env=_clean_env(), cwd=venv, check=True,
    )  # fmt: skip
    return json.loads(result.stdout)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"functions-framework exited with {proc.returncode}:\n{log.read_text()}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.2)
    pytest.fail(f"nothing listened on port {port} after {START_TIMEOUT}s:\n{log.read_text()}")


def _stop(proc: subprocess.Popen) -> None:
    # The server runs in its own session, so this signals gunicorn's master and its worker.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


@contextlib.contextmanager
def _serve(venv: Path, source: Path, target: str, tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    log = tmp_path / f"{target}.log"
    cmd = [
        str(venv / "bin" / "functions-framework"),
        "--target", target, "--source", str(source / "main.py"),
        "--port", str(port), "--host", "127.0.0.1",
    ]  # fmt: skip
    with log.open("w") as out:
        proc = subprocess.Popen(
            cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env=_clean_env(**SERVER_ENV), cwd=tmp_path, start_new_session=True,
        )  # fmt: skip
    try:
        _wait_for_port(port, proc, log)
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(proc)


def _post(url: str, body: bytes, content_type: str) -> tuple[int, bytes]:
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"Content-Type": content_type}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_install_has_runtime_deps_but_no_test_tools(venv):
    assert _installed(venv, TEST_ONLY) == dict.fromkeys(TEST_ONLY, False)
    assert _installed(venv, RUNTIME) == dict.fromkeys(RUNTIME, True)
    assert (venv / "bin" / "functions-framework").exists()


def test_both_entry_points_serve(venv, source, tmp_path):
    with (
        _serve(venv, source, "slack_events", tmp_path) as slack_url,
        _serve(venv, source, "run_model", tmp_path) as api_url,
    ):
        status, _ = _post(
            f"{slack_url}/", b"command=%2Fmodel&text=x", "application/x-www-form-urlencoded"
        )
        assert status == 401, "an unsigned request must be rejected by the signature check"

        payload = {"definition": "[a] > b @ 5\nb > c @ 4", "rounds": 3}
        status, body = _post(api_url, json.dumps(payload).encode(), "application/json")
        assert status == 200, body
        result = json.loads(body)
        assert result["columns"] == ["round", "b", "c"]
        assert len(result["rows"]) == 4  # the initial state plus three rounds


DEPLOY_GUIDE = ROOT / "docs" / "deploy.md"
MANIFEST_STEP = "Create the Slack app from the manifest"
SCHEMA = ROOT.parent / "shared" / "reference" / "slack-manifest.schema.1.0.0.json"


def _shell_block_under(heading: str, markdown: str) -> str:
    """The first ```sh block after the heading that contains `heading`."""
    section = markdown[markdown.index(heading) :]
    opening = section.index("```sh\n") + len("```sh\n")
    return section[opening : section.index("```", opening)]


def test_deploy_step_9_prints_a_valid_manifest_from_a_plain_install(source, tmp_path):
    """The guide's step 9, run as written in a fresh copy: its own venv, `pip install .`, then
    `sysbot manifest --url "$SLACK_URL"`, from the source folder as a user would."""
    import jsonschema

    script = _shell_block_under(MANIFEST_STEP, DEPLOY_GUIDE.read_text(encoding="utf-8"))
    assert "pip install ." in script and "sysbot manifest" in script
    checkout = tmp_path / "checkout"
    shutil.copytree(source, checkout)
    url = "https://us-central1-demo.cloudfunctions.net/slack_events"
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=checkout, capture_output=True, text=True, timeout=900,
        env=_clean_env(SLACK_URL=url),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()  # pip's output comes first, then the JSON manifest
    manifest = json.loads("\n".join(lines[lines.index("{") :]))
    if SCHEMA.exists():  # ../shared/reference sits beside a checkout, not inside it
        jsonschema.validate(manifest, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert manifest["settings"]["event_subscriptions"]["request_url"] == url
    assert all(c["url"] == url for c in manifest["features"]["slash_commands"])
