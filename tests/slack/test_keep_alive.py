"""The bot's way to Slack as a warm instance uses it: one TLS context, kept connections, and a
connection Slack closed while idle costing nothing but a new one."""

from __future__ import annotations

import shutil
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from slack_standin import SlackStandIn
from slack_standin.sender import BotResponse, SlackSender
from slack_standin.tls import self_signed, trust_bundle
from tests.in_process import function_client
from tests.slack.conftest import BOT_TOKEN, SIGNING_SECRET, bot_env

MODEL = "[Candidates] > Screens @ 25; Screens > Onsites @ 0.5"
REQUESTS = 10


class InProcessSender(SlackSender):
    """Slack's requests, sent to main.py's function through Flask's test client."""

    def __init__(self, standin: SlackStandIn, client: FlaskClient) -> None:
        super().__init__(standin, "", SIGNING_SECRET)
        self.client = client

    def post(
        self, body: str, content_type: str, extra_headers=None, url=None, signed_at=None
    ) -> BotResponse:
        headers = self.signed_headers(body, content_type, extra_headers, signed_at)
        response = self.client.post("/", data=body, headers=headers)
        return BotResponse(response.status_code, response.get_data(as_text=True))


@pytest.fixture
def tls_standin(tmp_path: Path) -> Iterator[tuple[SlackStandIn, Path]]:
    if shutil.which("openssl") is None:
        pytest.skip("making the stand-in's certificate needs the openssl command")
    certificate = self_signed(tmp_path)
    with SlackStandIn(bot_token=BOT_TOKEN, certificate=certificate) as standin:
        standin.add_channel("C1", name="general")
        yield standin, trust_bundle(certificate, tmp_path / "trust.pem")


def test_calls_over_tls_share_one_connection_and_one_ssl_context(
    tls_standin: tuple[SlackStandIn, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    standin, trust = tls_standin
    client_contexts: list[ssl.SSLContext] = []
    wrap_socket = ssl.SSLContext.wrap_socket

    def recording(context: ssl.SSLContext, sock, *args, server_side: bool = False, **kwargs):
        if not server_side:  # the stand-in's own handshakes are in this process too
            client_contexts.append(context)
        return wrap_socket(context, sock, *args, server_side=server_side, **kwargs)

    monkeypatch.setattr(ssl.SSLContext, "wrap_socket", recording)
    env = {**bot_env(standin), "SSL_CERT_FILE": str(trust)}
    with function_client("slack_events", env) as client:
        slack = InProcessSender(standin, client)
        for rounds in range(1, REQUESTS + 1):
            assert slack.command(f"rounds={rounds} {MODEL}").status_code == 200
        message = slack.user_message(f"<@UBOT> ```{MODEL}```")
        assert slack.event(slack.as_mention(message)).status_code == 200

    assert len(standin.messages("C1")) == REQUESTS + 1
    assert standin.traffic().connections == 1
    assert len(client_contexts) == 1  # one handshake, with the one context
    # auth.test once, a response_url post per command, the mention's calls: all on it.
    assert standin.traffic().requests == len(standin.calls) > REQUESTS + 1


def test_a_warm_instance_sends_every_call_over_the_connection_it_keeps(
    slack: SlackSender, standin: SlackStandIn
) -> None:
    assert slack.command(f"rounds=1 {MODEL}").status_code == 200  # warm: its connection is open
    before = standin.traffic()
    for rounds in range(2, REQUESTS + 2):
        assert slack.command(f"rounds={rounds} {MODEL}").status_code == 200
    after = standin.traffic()
    assert after.requests - before.requests == REQUESTS
    assert after.connections == before.connections


def test_a_connection_slack_closed_while_idle_costs_only_a_new_one(
    slack: SlackSender, standin: SlackStandIn
) -> None:
    assert slack.command(f"rounds=1 {MODEL}").status_code == 200
    standin.close_connections()
    before = standin.traffic()
    assert slack.command(f"rounds=2 {MODEL}").status_code == 200
    message = slack.user_message(f"<@UBOT> ```{MODEL}```")
    assert slack.event(slack.as_mention(message)).status_code == 200
    assert standin.traffic().connections - before.connections == 1
    posted = [m for m in standin.messages("C1") if m.get("bot_id")]
    assert len(posted) == 2  # each command's result once
    assert len(standin.thread("C1", message["ts"])) == 2  # the mention and one reply
