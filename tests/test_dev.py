"""`sysbot dev`: clear messages without tokens, and the Socket Mode handler built from the same app.

Nothing here reaches Slack: the handler is built and closed without connecting, and the runs
that do start talk to a fake Web API on 127.0.0.1 (or to a closed port).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.settings import Settings
from bot.slack.app import build_app
from bot.slack.dev import build_socket_mode_handler

REPO = Path(__file__).resolve().parents[1]
APP_TOKEN = "xapp-1-test"
BOT_TOKEN = "xoxb-test"
NOWHERE = "http://127.0.0.1:9/api/"  # if anything did try to reach Slack, it would fail here


def sysbot_dev(api_url: str = NOWHERE, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "dev"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**clean, "SLACK_API_URL": api_url, **env},
        timeout=60,
    )


def test_without_tokens_it_names_the_app_token_and_where_to_get_it():
    done = sysbot_dev()
    assert done.returncode == 2
    for expected in ("SLACK_APP_TOKEN", "xapp-", "connections:write", "App-Level Tokens"):
        assert expected in done.stderr
    assert "sysbot manifest --socket-mode" in done.stderr


def test_without_a_bot_token_it_names_the_bot_token_and_where_to_get_it():
    done = sysbot_dev(SLACK_APP_TOKEN=APP_TOKEN)
    assert done.returncode == 2
    assert "SLACK_BOT_TOKEN" in done.stderr and "SLACK_APP_TOKEN" not in done.stderr
    for expected in ("xoxb-", "OAuth & Permissions", "Install"):
        assert expected in done.stderr


@pytest.mark.parametrize(
    ("env", "name", "prefix"),
    [
        (
            {"SLACK_APP_TOKEN": "xoxb-123-secret", "SLACK_BOT_TOKEN": BOT_TOKEN},
            "SLACK_APP_TOKEN",
            "xapp-",
        ),
        (
            {"SLACK_APP_TOKEN": APP_TOKEN, "SLACK_BOT_TOKEN": "xoxp-123-secret"},
            "SLACK_BOT_TOKEN",
            "xoxb-",
        ),
    ],
)
def test_a_wrong_looking_token_is_named_without_echoing_it(env, name, prefix):
    done = sysbot_dev(**env)
    assert done.returncode == 2
    assert f"{name} does not look right" in done.stderr and prefix in done.stderr
    assert "secret" not in done.stderr


@pytest.fixture
def fake_slack() -> Iterator[tuple[str, dict, list]]:
    """A Web API that answers each method from `answers` and records (method, bearer token)."""
    answers: dict[str, dict] = {}
    received: list[tuple[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length") or 0))
            method = self.path.rsplit("/", 1)[-1]
            received.append((method, self.headers.get("authorization", "")))
            body = json.dumps(answers.get(method, {"ok": False, "error": "unknown_method"}))
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api/", answers, received
    finally:
        server.shutdown()
        server.server_close()


def test_a_bot_token_slack_refuses_is_named_before_connecting(fake_slack):
    url, answers, received = fake_slack
    answers["auth.test"] = {"ok": False, "error": "invalid_auth"}
    done = sysbot_dev(url, SLACK_APP_TOKEN=APP_TOKEN, SLACK_BOT_TOKEN=BOT_TOKEN)
    assert done.returncode == 2
    assert "Slack refused SLACK_BOT_TOKEN (invalid_auth)" in done.stderr
    assert received == [("auth.test", f"Bearer {BOT_TOKEN}")]


def test_an_app_token_slack_refuses_is_named(fake_slack):
    url, answers, received = fake_slack
    answers["auth.test"] = {"ok": True, "user_id": "U0BOT", "bot_id": "B0BOT", "team_id": "T0"}
    answers["apps.connections.open"] = {"ok": False, "error": "invalid_auth"}
    done = sysbot_dev(url, SLACK_APP_TOKEN=APP_TOKEN, SLACK_BOT_TOKEN=BOT_TOKEN)
    assert done.returncode == 2
    assert "Slack refused SLACK_APP_TOKEN (invalid_auth)" in done.stderr
    assert ("apps.connections.open", f"Bearer {APP_TOKEN}") in received


def test_unreachable_slack_is_said_plainly():
    done = sysbot_dev(SLACK_APP_TOKEN=APP_TOKEN, SLACK_BOT_TOKEN=BOT_TOKEN)
    assert done.returncode == 2
    assert "could not reach Slack" in done.stderr


def listeners(app: App) -> list[tuple[object, list[str]]]:
    """Each listener's function and the kinds of its matchers (command, action, event...)."""
    return [
        (listener.ack_function, [m.func.__qualname__ for m in listener.matchers])
        for listener in app._listeners
    ]


def test_handler_wraps_the_same_app_without_connecting():
    # Socket Mode needs no signing secret.
    settings = Settings(slack_bot_token=BOT_TOKEN, slack_api_url=NOWHERE)
    handler = build_socket_mode_handler(APP_TOKEN, settings)
    try:
        assert isinstance(handler, SocketModeHandler)
        assert isinstance(handler.app, App)
        assert handler.app_token == APP_TOKEN
        assert handler.app.client.token == BOT_TOKEN
        assert handler.client.web_client is handler.app.client
        assert not handler.client.is_connected()
        expected = listeners(build_app(replace(settings, slack_signing_secret="test")))
        assert len(expected) > 0
        assert listeners(handler.app) == expected
    finally:
        handler.close()
